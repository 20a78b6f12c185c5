import { describe, expect, it } from 'vitest'
import type { Trace } from '../../model/trace.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { traceOf } from '../../test/scenario.ts'

function scenario(policy: 'Cluster' | 'Local', client = '203.0.113.9'): string {
  return `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: ext}
spec:
  cni: {plugin: calico, backend: ipip}
  nodes:
    - {name: node-1, ip: 192.168.1.11}
    - {name: node-2, ip: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  nodeName: node-2
  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  externalTrafficPolicy: ${policy}
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-node-1}
spec:
  from: {external: ${client}}
  to: http://192.168.1.11:30080/
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-node-2}
spec:
  from: {external: ${client}}
  to: http://192.168.1.12:30080/
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-cluster-ip}
spec:
  from: {external: ${client}}
  to: http://web.default.svc.cluster.local/
`
}

/** The source address the web Pod sees, and the address the reply reaches the client from. */
function ends(t: Trace) {
  const atPod = t.steps.find((s) => s.action === 'deliver' && s.phase === 'request')!
  const back = t.steps.at(-1)!
  return { podSees: atPod.packet.l3!.src, replyFrom: back.packet.l3!.src, back }
}

describe('a client outside the cluster reaches a NodePort', () => {
  it('externalTrafficPolicy Cluster: any node forwards, and masquerades, so the Pod never sees the client', () => {
    const t = traceOf(scenario('Cluster'), 'to-node-1')
    expect(t.outcome).toBe('delivered')
    expect(t.steps[0]!.at.component).toBe('internet')
    const e = ends(t)
    expect(e.podSees).not.toBe('203.0.113.9')
    expect(t.steps.some((s) => s.action === 'masquerade' && s.at.node === 'node-1')).toBe(true)
    expect(t.steps.some((s) => s.action === 'encapsulate')).toBe(true)
    expect(e.replyFrom).toBe('192.168.1.11')
    expect(e.back.at.component).toBe('internet')
    expect(e.back.packet.l4!.srcPort).toBe(30080)
  })

  it('externalTrafficPolicy Local: the node with the endpoint keeps the client address', () => {
    const t = traceOf(scenario('Local'), 'to-node-2')
    expect(t.outcome).toBe('delivered')
    expect(ends(t).podSees).toBe('203.0.113.9')
    expect(t.steps.some((s) => s.action === 'masquerade')).toBe(false)
    expect(ends(t).replyFrom).toBe('192.168.1.12')
  })

  it('externalTrafficPolicy Local: a node without an endpoint drops it', () => {
    const t = traceOf(scenario('Local'), 'to-node-1')
    expect([t.outcome, t.reason?.en]).toEqual(['dropped', 'has no local endpoints'])
    expect(
      t.steps.at(-1)!.lookups.some((l) => /has no local endpoints" .*-j DROP/.test(l.rule)),
    ).toBe(true)
  })

  it('cannot reach a ClusterIP from outside: no node on the network has that address', () => {
    const t = traceOf(scenario('Cluster'), 'to-cluster-ip')
    expect([t.outcome, t.reason?.en]).toEqual(['dropped', 'no such address on the node network'])
  })

  it('needs an address outside the cluster’s own ranges', () => {
    const l = loadScenarioSource(scenario('Cluster', '10.244.3.3'), 'x.yaml')
    expect(
      l.diagnostics.some((d) => d.severity === 'error' && /Pod range/.test(d.message.en)),
    ).toBe(true)
  })
})
