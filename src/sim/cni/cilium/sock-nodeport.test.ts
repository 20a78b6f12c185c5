import { describe, expect, it } from 'vitest'
import { formatIp } from '../../../model/ipv4.ts'
import type { Trace } from '../../../model/trace.ts'
import { build, traceOf } from '../../../test/scenario.ts'

/**
 * Two nodes with Cilium replacing kube-proxy; the web Pod on node-2, a client Pod on node-1 and
 * NodePort Services over web with each traffic policy (bpf/bpf_sock.c __sock4_xlate_fwd).
 */
const cluster = (services: string, traffic: string) => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: sock-nodeport}
spec:
  cni: {plugin: cilium, routingMode: tunnel, tunnelProtocol: vxlan, kubeProxyReplacement: true}
  nodes:
    - {name: node-1, ip: 192.168.1.11}
    - {name: node-2, ip: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers: [{name: curl, image: curl}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: node-2
  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
${services}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec:
${traffic}`

const service = (name: string, nodePort: number, policies = '') => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  type: NodePort
  selector: {app: web}
${policies}  ports: [{port: 80, targetPort: 80, nodePort: ${nodePort}}]`

const SERVICES = [
  service('web-cluster', 30080),
  service('web-local', 30081, '  externalTrafficPolicy: Local\n'),
  service(
    'web-both-local',
    30082,
    '  externalTrafficPolicy: Local\n  internalTrafficPolicy: Local\n',
  ),
].join('\n')

const fromPod = (to: string) => `  from: {pod: default/client}\n  to: ${to}`
const podTrace = (to: string) => traceOf(cluster(SERVICES, fromPod(to)))
const WEB = formatIp(
  build(cluster(SERVICES, fromPod('http://192.168.1.12:30080/'))).cluster.pods.find(
    (p) => p.name === 'web',
  )!.ip,
)
const web = () => WEB

const request = (t: Trace) => t.steps.filter((s) => s.phase === 'request')
const sockStep = (t: Trace) => t.steps.find((s) => s.at.hook === 'cgroup/connect4')!
/** Every packet the request put on a wire or a device, after the socket program ran. */
const onTheWire = (t: Trace) => request(t).filter((s) => s.at.hook !== 'cgroup/connect4')

describe("a Pod's connect() to another node's address and a nodePort, Cilium's socket load balancer", () => {
  const t = podTrace('http://192.168.1.12:30080/')

  it('is translated at the socket to the backend: no packet ever carries the node address, and no step DNATs', () => {
    expect(t.outcome).toBe('delivered')
    const sock = sockStep(t)
    expect(sock).toMatchObject({ action: 'lb-select', at: { node: 'node-1', component: 'cilium' } })
    expect(sock.packet.l3!.dst).toBe('192.168.1.12')
    expect(sock.packet.l4!.dstPort).toBe(30080)
    // The tunnel's outer header goes to node-2; the packet inside it never to its NodePort.
    for (const s of onTheWire(t)) {
      expect(s.packet.l3?.dst).not.toBe('192.168.1.12')
      expect(s.packet.l4?.dstPort).not.toBe(30080)
    }
    expect(onTheWire(t).some((s) => s.packet.outer?.l3.dst === '192.168.1.12')).toBe(true)
    expect(t.steps.some((s) => s.action === 'dnat' || s.action === 'unnat')).toBe(false)
    const first = onTheWire(t)[0]!
    expect(first.packet.l3).toMatchObject({ dst: web() })
    expect(first.packet.l4!.dstPort).toBe(80)
  })

  it('finds it by sock4_wildcard_lookup: the ipcache says remote-node, so node-1 looks up its 0.0.0.0 surrogate', () => {
    const sock = sockStep(t)
    const tables = sock.lookups.map((l) => [l.table, l.rule])
    expect(tables[0]).toEqual([
      'Cilium ipcache (cilium_ipcache)',
      // node-2's InternalIP: remote-node, not reached through the tunnel (nodeAddressHasTunnelIP).
      '192.168.1.12/32 identity=6 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>',
    ])
    const rows = sock.lookups
      .filter((l) => l.table === 'cilium-dbg service list')
      .map((l) => l.rule)
    expect(rows[0]).toMatch(/^\d+ +0\.0\.0\.0:30080\/TCP +NodePort +1 => \S+:80\/TCP \(active\) *$/)
    // node-1's agent holds no frontend for node-2's address.
    expect(rows.join('\n')).not.toContain('192.168.1.12:30080')
    expect(sock.explain.en).toContain('sock4_wildcard_lookup')
  })
})

describe("a connect() to the client's own node address and a nodePort", () => {
  it('matches the NodePort frontend the agent wrote for that address, directly', () => {
    const t = podTrace('http://192.168.1.11:30080/')
    expect(t.outcome).toBe('delivered')
    const sock = sockStep(t)
    expect(sock.lookups[0]!.table).toBe('cilium-dbg service list')
    expect(sock.lookups[0]!.rule).toMatch(/^\d+ +192\.168\.1\.11:30080\/TCP +NodePort +1 => /)
    expect(onTheWire(t)[0]!.packet.l3!.dst).toBe(web())
  })
})

describe('externalTrafficPolicy Local, from a Pod in the cluster', () => {
  it('uses the internal scope (two-scopes): every backend, so node-1, with none of its own, still reaches node-2', () => {
    for (const to of ['http://192.168.1.11:30081/', 'http://192.168.1.12:30081/']) {
      const t = podTrace(to)
      expect(t.outcome).toBe('delivered')
      const sock = sockStep(t)
      const rows = sock.lookups.filter((l) => l.table === 'cilium-dbg service list')
      // The external-scope row found first (not the one used), then its /i twin, which holds web.
      expect(rows.map((r) => r.matched)).toEqual([false, true])
      expect(rows[0]!.rule).toMatch(/:30081\/TCP +NodePort *$/)
      expect(rows[1]!.rule).toMatch(
        new RegExp(
          `:30081/TCP/i +NodePort +1 => ${web().replaceAll('.', '\\.')}:80/TCP \\(active\\)`,
        ),
      )
      expect(sock.explain.en).toContain('internal scope')
      expect(onTheWire(t)[0]!.packet.l3!.dst).toBe(web())
    }
  })

  it('while a packet from outside to node-1 is still dropped by cil_from_netdev (external scope)', () => {
    const yaml = cluster(
      SERVICES,
      '  from: {external: 203.0.113.9}\n  to: http://192.168.1.11:30081/',
    )
    const t = traceOf(yaml)
    expect(t.outcome).toBe('dropped')
    expect(t.steps.at(-1)!.explain.en).toMatch(/DROP_NO_SERVICE/)
  })
})

describe('no backend for the socket', () => {
  it('with both traffic policies Local there is one scope, of node-1 backends only: connect() fails with EHOSTUNREACH', () => {
    const t = podTrace('http://192.168.1.12:30082/')
    expect(t.outcome).toBe('rejected')
    const last = t.steps.at(-1)!
    expect(last).toMatchObject({
      action: 'reject',
      at: { node: 'node-1', hook: 'cgroup/connect4' },
    })
    expect(last.explain.en).toMatch(/EHOSTUNREACH/)
    expect(last.explain.en).toContain('both Local')
    expect(last.lookups.filter((l) => l.table === 'cilium-dbg service list')).toHaveLength(1)
    // No packet: the only request step is the socket's.
    expect(onTheWire(t)).toHaveLength(0)
  })
})

describe('addresses the wildcard lookup does not take', () => {
  it("a Pod's own address with a port in the NodePort range is not a NodePort: connect() is left alone", () => {
    const webIp = web()
    const t = podTrace(`http://${webIp}:30080/`)
    expect(t.steps.some((s) => s.at.hook === 'cgroup/connect4')).toBe(false)
    expect(onTheWire(t)[0]!.packet.l3).toMatchObject({ dst: webIp })
    expect(onTheWire(t)[0]!.packet.l4!.dstPort).toBe(30080)
  })
})

describe("a host-network process's connect() to another node's nodePort", () => {
  it('is translated the same way: bpf_sock runs on the root cgroup, the host included', () => {
    const t = traceOf(cluster(SERVICES, '  from: {node: node-1}\n  to: http://192.168.1.12:30080/'))
    expect(t.outcome).toBe('delivered')
    expect(sockStep(t).at).toMatchObject({ node: 'node-1', pod: null })
    expect(onTheWire(t)[0]!.packet.l3!.dst).toBe(web())
    expect(t.steps.some((s) => s.action === 'dnat')).toBe(false)
  })
})

describe('a ClusterIP with internalTrafficPolicy Local', () => {
  it("holds only the client node's backends: from node-1, with web on node-2, connect() fails with EHOSTUNREACH", () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: {name: web-internal}
spec:
  clusterIP: 10.96.100.100
  internalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]`
    const t = traceOf(cluster(svc, fromPod('http://10.96.100.100/')))
    expect(t.outcome).toBe('rejected')
    const last = t.steps.at(-1)!
    expect(last.explain.en).toMatch(/EHOSTUNREACH/)
    expect(last.explain.en).toContain('internalTrafficPolicy Local')
    expect(last.lookups[0]!.rule).toMatch(/^\d+ +10\.96\.100\.100:80\/TCP +ClusterIP *$/)
  })
})

describe("another node's router address (its CiliumInternalIP) with a nodePort", () => {
  it('is a remote-node address in the ipcache too, so the wildcard lookup takes it', () => {
    const { cluster: c } = build(cluster(SERVICES, fromPod('http://192.168.1.12:30080/')))
    const router = formatIp(c.nodeByName.get('node-2')!.routerIp!)
    const t = podTrace(`http://${router}:30080/`)
    expect(t.outcome).toBe('delivered')
    // The router address (CiliumInternalIP) is the one node address behind the tunnel.
    expect(sockStep(t).lookups[0]!.rule).toBe(
      `${router}/32 identity=6 encryptkey=0 tunnelendpoint=192.168.1.12 flags=hastunnel`,
    )
    expect(onTheWire(t)[0]!.packet.l3!.dst).toBe(web())
  })
})

describe("a Pod's connect() to a LoadBalancer IP", () => {
  const lbService = `---
apiVersion: v1
kind: Service
metadata: {name: web-lb}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]`
  const withCloud = (traffic: string) =>
    cluster(lbService, traffic).replace('  nodes:', '  cloud: generic\n  nodes:')
  const { cluster: c } = build(withCloud(fromPod('http://192.168.1.12/')))
  const vip = formatIp(c.services.find((s) => s.name === 'web-lb')!.ingress[0]!.ip!)

  it('is translated at the socket (internal scope of a two-scopes frontend): the cloud balancer never sees it', () => {
    const t = traceOf(withCloud(fromPod(`http://${vip}/`)))
    expect(t.outcome).toBe('delivered')
    const sock = sockStep(t)
    const rows = sock.lookups.filter((l) => l.table === 'cilium-dbg service list')
    expect(rows.map((r) => r.matched)).toEqual([false, true])
    expect(rows[0]!.rule).toMatch(
      new RegExp(`${vip.replaceAll('.', '\\.')}:80/TCP +LoadBalancer *$`),
    )
    expect(rows[1]!.rule).toMatch(/:80\/TCP\/i +LoadBalancer +1 => /)
    expect(t.steps.some((s) => s.at.component === 'cloud-lb' || s.action === 'dnat')).toBe(false)
    expect(onTheWire(t)[0]!.packet.l3!.dst).toBe(web())
  })
})
