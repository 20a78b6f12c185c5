import { beforeAll, describe, expect, it } from 'vitest'
import { formatIp } from '../../model/ipv4.ts'
import type { HttpApp } from '../../model/trace.ts'
import { text } from '../../model/text.ts'
import { build } from '../../test/scenario.ts'
import { trace } from '../trace.ts'
import type { ListenerSource } from './api.ts'
import { dataPlaneHooks } from '../assemble/data-planes.ts'

// A made-up L7 proxy on node-1 (port 8443), the way an Ingress controller will plug in: it
// picks the web Pod and adds an X-Forwarded-For header.
const yaml = `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: pp}
spec:
  cni: {plugin: flannel, backend: vxlan}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-2, containers: [{name: curl}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: {pod: client}, to: "http://192.168.1.11:8443/app"}
`

describe('the proxy-process step, with an L7 proxy plugged in', () => {
  const { cluster, scenario } = build(yaml)
  const web = cluster.podByKey.get('default/web')!
  const fake: ListenerSource = (c, ns) =>
    ns.kind === 'host' && ns.node === 'node-1'
      ? [
          {
            component: 'test-l7',
            proto: 'tcp',
            port: 8443,
            role: text('a test proxy', '一个测试代理'),
            choose: (a) => ({
              kind: 'upstream',
              ip: formatIp(web.ip),
              port: 8080,
              pod: 'default/web',
              lookups: [],
              explain: text('picks web', '选择 web'),
              app: {
                ...(a.app as HttpApp),
                headers: { ...(a.app as HttpApp).headers, 'X-Forwarded-For': a.client.ip },
              },
            }),
          },
        ]
      : []
  // A data plane of its own: one registration, as every listener joins the walk.
  beforeAll(() => dataPlaneHooks(cluster).registerListeners(fake))

  it('ends the client connection in the process and opens a second one, with the rewritten request', () => {
    const t = trace(cluster, scenario.traffic[0]!, { seed: 3 })
    expect(t.outcome).toBe('delivered')
    const i = t.steps.findIndex((s) => s.action === 'proxy')
    // The client as the proxy sees it: node-2's address, since flanneld's --ip-masq rules
    // masquerade a Pod's packet for a node address (outside the Pod network).
    const client = t.steps[i - 1]!.packet.l3!.src
    expect(client).toBe('192.168.1.12')
    expect(t.steps[i]!.at.component).toBe('test-l7')
    expect(t.steps[i - 1]!.action).toBe('deliver')
    const second = t.steps[i + 1]!
    expect(second.action).toBe('send')
    expect(second.packet.l3!.dst).toBe(formatIp(web.ip))
    expect(second.packet.l3!.src).not.toBe(client)
    const atWeb = t.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/web')!
    expect((atWeb.packet.app as HttpApp).headers?.['X-Forwarded-For']).toBe(client)
  })

  it("walks the server's answer to the proxy, then the proxy's answer to the client", () => {
    const t = trace(cluster, scenario.traffic[0]!, { seed: 3 })
    const reply = t.steps.filter((s) => s.phase === 'reply')
    const toProxy = reply.findIndex((s) => s.action === 'deliver' && s.at.component === 'test-l7')
    const fromProxy = reply.findIndex((s) => s.action === 'send' && s.at.component === 'test-l7')
    expect(toProxy).toBeGreaterThan(0)
    expect(fromProxy).toBe(toProxy + 1)
    const last = reply.at(-1)!
    expect(last.at.pod).toBe('default/client')
    expect(last.packet.l3!.src).toBe('192.168.1.11')
    expect(last.packet.l4!.srcPort).toBe(8443)
  })
})
