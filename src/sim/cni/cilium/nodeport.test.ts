import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatIp } from '../../../model/ipv4.ts'
import { build, traceOf } from '../../../test/scenario.ts'
import { nodeTables } from '../../print/tables.ts'
import { bpfLbList } from './bpf-lb-list.ts'

const lesson = readFileSync(
  new URL('../../../lessons/mode4-nodeport-cilium.yaml', import.meta.url),
  'utf8',
)
const { cluster } = build(lesson)
const node = (name: string) => cluster.nodeByName.get(name)!
const web = cluster.pods.find((p) => p.name === 'web')!
const CLIENT = '203.0.113.9'

describe('a NodePort from outside the cluster, Cilium replacing kube-proxy (snat, VXLAN)', () => {
  const t = traceOf(lesson, 'internet-to-node-1')
  const request = t.steps.filter((s) => s.phase === 'request')
  const reply = t.steps.filter((s) => s.phase === 'reply')

  it('is delivered and back, with no iptables rule, no kube-proxy chain and no netfilter conntrack', () => {
    expect(t.outcome).toBe('delivered')
    const tables = t.steps.flatMap((s) => s.lookups.map((l) => l.table + ' ' + l.rule))
    expect(tables.some((l) => /iptables|nft |ipvsadm|KUBE-|conntrack -L/.test(l))).toBe(false)
    expect(reply.at(-1)!.at.component).toBe('internet')
  })

  it("has cil_from_netdev on node-1's eth0 pick the backend from its Services map and DNAT to it", () => {
    const dnat = request.find((s) => s.action === 'dnat')!
    expect(dnat.at).toMatchObject({
      node: 'node-1',
      device: 'eth0',
      component: 'cilium',
      hook: 'tc ingress',
    })
    expect(dnat.lookups[0]!.rule).toMatch(/^eth0\(\d+\) tcx\/ingress cil_from_netdev$/)
    const lb = dnat.lookups.filter((l) => l.table === 'cilium-dbg bpf lb list').map((l) => l.rule)
    expect(lb[0]).toMatch(
      /^192\.168\.1\.11:30080\/TCP +0\.0\.0\.0:0 \((\d+)\) \(0\) \[NodePort\] +$/,
    )
    expect(lb[1]).toMatch(
      new RegExp(`^ +${formatIp(web.ip).replaceAll('.', '\\.')}:80/TCP \\(\\d+\\) \\(1\\) +$`),
    )
    expect(dnat.packet.l3!.dst).toBe(formatIp(web.ip))
    expect(dnat.packet.l4!.dstPort).toBe(80)
  })

  it("SNATs to node-1's router address (cilium_host), keeping the client's port, then tunnels to node-2", () => {
    const before = request.find((s) => s.action === 'dnat')!.packet.l4!.srcPort
    const snat = request.find((s) => s.action === 'snat')!
    expect(snat.packet.l3!.src).toBe(formatIp(node('node-1').routerIp!))
    expect(before).toBeGreaterThanOrEqual(32768)
    expect(snat.packet.l4!.srcPort).toBe(before)
    expect(snat.lookups.map((l) => l.table)).toEqual([
      'Cilium ipcache (cilium_ipcache)',
      'Cilium NAT map (cilium_snat_v4_external)',
    ])
    const encap = request.find((s) => s.action === 'encapsulate')!
    expect(encap.at).toMatchObject({ node: 'node-1', device: 'cilium_vxlan' })
    expect(encap.packet.outer!.l3).toMatchObject({ src: '192.168.1.11', dst: '192.168.1.12' })
    const at = request.find((s) => s.action === 'deliver')!
    expect(at.packet.l3!.src).toBe(formatIp(node('node-1').routerIp!))
  })

  it('returns through node-1, where cil_from_overlay reverses the SNAT and rev_nodeport_lb4 the DNAT', () => {
    const unnat = reply.filter((s) => s.action === 'unnat')
    expect(unnat.map((s) => [s.at.node, s.at.device, s.lookups.map((l) => l.table)])).toEqual([
      [
        'node-1',
        'cilium_vxlan',
        ['bpftool net show dev cilium_vxlan', 'Cilium NAT map (cilium_snat_v4_external)'],
      ],
      [
        'node-1',
        'cilium_vxlan',
        ['Cilium conntrack (cilium_ct4_global)', 'cilium-dbg bpf lb list --revnat'],
      ],
    ])
    expect(unnat[0]!.packet.l3!.dst).toBe(CLIENT)
    expect(unnat[1]!.packet.l3!.src).toBe('192.168.1.11')
    expect(unnat[1]!.packet.l4!.srcPort).toBe(30080)
    expect(unnat[1]!.lookups[1]!.rule).toMatch(/^\d+ +192\.168\.1\.11:30080 +$/)
    const out = reply[reply.indexOf(unnat[1]!) + 1]!
    expect(out).toMatchObject({ action: 'route', at: { node: 'node-1', device: 'eth0' } })
    expect(out.lookups.map((l) => l.rule)).toContain('default via 192.168.1.1 dev eth0')
  })
})

describe("the tunnelled NodePort request carries the world's identity, not the router address's", () => {
  const policy = (spec: string) => `${lesson}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: default}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
${spec}`
  // nodeport.h tail_nodeport_nat_egress_ipv4: __encap_with_nodeid(..., WORLD_ID, ...).
  it('node-1 writes VNI 2 (reserved:world); node-2 reads it from the tunnel key and Hubble says world', () => {
    const t = traceOf(lesson, 'internet-to-node-1')
    const encap = t.steps.find((s) => s.phase === 'request' && s.action === 'encapsulate')!
    expect(encap.packet.outer!.vni).toBe(2)
    const route = t.steps.find(
      (s) => s.phase === 'request' && s.at.node === 'node-2' && s.at.component === 'cilium',
    )!
    expect(route.explain.en).toContain('reads the VNI of the tunnel key, 2')
    const hubble = route.lookups.find((l) => l.table === 'hubble observe')!.rule
    expect(hubble).toMatch(/:\d+ \(world\) -> default\/web:80 \(ID:\d+\) to-endpoint FORWARDED/)
  })

  it('so a policy admitting only Pods drops it, naming identity 2, and one admitting 0.0.0.0/0 lets it in', () => {
    const pods = traceOf(policy('    - from: [{podSelector: {}}]\n'), 'internet-to-node-1')
    expect(pods.outcome).toBe('dropped')
    const drop = pods.steps.find((s) => s.action === 'drop')!
    expect(drop.at.node).toBe('node-2')
    expect(drop.lookups[0]!.table).toBe('cilium-dbg endpoint list')
    expect(drop.lookups[1]!.rule).toMatch(/^ingress identity=2 dport=80 protocol=TCP -> no entry/)
    const world = traceOf(
      policy('    - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n'),
      'internet-to-node-1',
    )
    expect(world.outcome).toBe('delivered')
  })
})

describe('a NodePort whose backend is on the node called', () => {
  const local = lesson.replace('to: http://192.168.1.11:30080/', 'to: http://192.168.1.12:30080/')
  const t = traceOf(local)

  it('needs no SNAT: the Pod sees the client, and bpf_lxc sends the reply to rev_nodeport_lb4', () => {
    expect(t.outcome).toBe('delivered')
    expect(t.steps.some((s) => s.action === 'snat' || s.action === 'encapsulate')).toBe(false)
    const at = t.steps.find((s) => s.phase === 'request' && s.action === 'deliver')!
    expect(at.packet.l3!.src).toBe(CLIENT)
    const unnat = t.steps.filter((s) => s.action === 'unnat')
    expect(unnat).toHaveLength(1)
    expect(unnat[0]!.lookups[0]!.rule).toMatch(/tcx\/ingress cil_from_container$/)
    expect(unnat[0]!.packet.l3!.src).toBe('192.168.1.12')
  })
})

describe('externalTrafficPolicy Local on a node without a backend', () => {
  it('is dropped by cil_from_netdev: the NodePort frontend holds only local backends (DROP_NO_SERVICE)', () => {
    const yaml = lesson.replace(
      'type: NodePort\n',
      'type: NodePort\n  externalTrafficPolicy: Local\n',
    )
    const t = traceOf(yaml)
    expect(t.outcome).toBe('dropped')
    const drop = t.steps.at(-1)!
    expect(drop.at).toMatchObject({ node: 'node-1', device: 'eth0', component: 'cilium' })
    expect(drop.explain.en).toMatch(/DROP_NO_SERVICE/)
    // node-1 has no backend: its external-scope NodePort frontends hold only slot 0. With
    // internalTrafficPolicy Cluster the policies differ, so the agent writes two scopes, and the
    // internal one ("/i", for its socket load balancer) holds web on node-2.
    const lb = bpfLbList(build(yaml).cluster, 'node-1')
    const at = (key: string) => lb.findIndex((r) => r.startsWith(`${key} `))
    expect(lb[at('0.0.0.0:30080/TCP')]).toMatch(
      /^0\.0\.0\.0:30080\/TCP +0\.0\.0\.0:0 \(\d+\) \(0\) \[NodePort, Local, two-scopes, non-routable\] +$/,
    )
    expect(lb[at('192.168.1.11:30080/TCP')]).toMatch(
      /^192\.168\.1\.11:30080\/TCP +0\.0\.0\.0:0 \(\d+\) \(0\) \[NodePort, Local, two-scopes\] +$/,
    )
    for (const key of ['0.0.0.0:30080/TCP', '192.168.1.11:30080/TCP']) {
      expect(lb[at(key) + 1]).not.toMatch(/^ +\d/)
      const i = at(`${key}/i`)
      expect(lb[i]).toMatch(/\[NodePort, Local, two-scopes(, non-routable)?\] +$/)
      expect(lb[i + 1]).toMatch(new RegExp(`^ +${formatIp(web.ip).replaceAll('.', '\\.')}:80/TCP`))
    }
  })
})

describe('cilium-dbg bpf lb list and service list on a node', () => {
  const lines = nodeTables(cluster, 'node-1')!.split('\n')
  const section = (cmd: string) => {
    const at = lines.indexOf(`$ ${cmd}`)
    return lines.slice(at + 1, lines.indexOf('', at))
  }

  it('prints SERVICE ADDRESS and BACKEND ADDRESS (REVNAT_ID) (SLOT) in its tabwriter columns', () => {
    const [header, ...rows] = section('cilium-dbg bpf lb list')
    expect(header).toMatch(/^SERVICE ADDRESS {3,}BACKEND ADDRESS \(REVNAT_ID\) \(SLOT\) {3,}$/)
    const col = header!.indexOf('BACKEND')
    for (const r of rows) {
      expect(r.slice(0, col)).toMatch(/^(\d+\.\d+\.\d+\.\d+:\d+\/(TCP|UDP) +| +)$/)
      expect(r.slice(col)).toMatch(
        /^(0\.0\.0\.0:0 \(\d+\) \(0\) \[[A-Za-z, -]+\] |\S+:\d+\/(TCP|UDP) \(\d+\) \(\d+\)) *$/,
      )
    }
    const svc = formatIp(cluster.services.find((s) => s.name === 'web')!.clusterIP!)
    const keys = rows.map((r) => r.slice(0, col).trim()).filter(Boolean)
    // The ClusterIP, the 0.0.0.0 surrogate and node-1's own address; never node-2's.
    expect(keys).toEqual(
      expect.arrayContaining([`${svc}:80/TCP`, '0.0.0.0:30080/TCP', '192.168.1.11:30080/TCP']),
    )
    expect(keys).not.toContain('192.168.1.12:30080/TCP')
    const flags = (key: string) => rows[rows.findIndex((r) => r.startsWith(key))]!.slice(col)
    expect(flags(`${svc}:80/TCP`)).toMatch(/\[ClusterIP, non-routable\]/)
    expect(flags('0.0.0.0:30080/TCP')).toMatch(/\[NodePort, non-routable\]/)
    expect(flags('192.168.1.11:30080/TCP')).toMatch(/\[NodePort\] /)
  })

  it('lists the NodePort frontends in cilium-dbg service list too', () => {
    const rows = section('cilium-dbg service list')
    expect(rows.find((r) => /^\d+ +0\.0\.0\.0:30080\/TCP +NodePort +1 => /.test(r))).toBeTruthy()
    expect(
      rows.find((r) => /^\d+ +192\.168\.1\.11:30080\/TCP +NodePort +1 => /.test(r)),
    ).toBeTruthy()
  })
})
