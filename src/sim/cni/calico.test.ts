import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { build, traceOf, twoNodes } from '../../test/scenario.ts'
import { realCluster } from '../../test/real-clusters.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { formatCidr, formatIp } from '../../model/ipv4.ts'
import { nodeTables, podTables } from '../print/tables.ts'
import { calicoVethName, calicoVtepMac } from './calico.ts'

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')

describe('Calico names and addresses', () => {
  it('names the host veth "cali" + the first 11 hex digits of sha1("<namespace>.<pod>")', () => {
    expect(calicoVethName('default', 'web')).toBe(`cali${sha1('default.web').slice(0, 11)}`)
    expect(calicoVethName('default', 'web')).toHaveLength(15)
  })

  it('derives the VXLAN VTEP MAC as 0x66 and the first 5 bytes of sha1(node name)', () => {
    const h = sha1('node-1')
    expect(calicoVtepMac('node-1')).toBe(
      `66:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}`,
    )
  })

  it('gives each node a /26 block of the pool, the tunnel the first address, Pods the next', () => {
    const { cluster } = build(twoNodes('{plugin: calico, backend: ipip}'))
    const n2 = cluster.nodeByName.get('node-2')!
    expect(n2.podCIDR).toEqual({ base: 0x0af40040, prefix: 26 }) // 10.244.0.64/26
    expect(nodeTables(cluster, 'node-2')).toContain('inet 10.244.0.64/32 scope global tunl0')
    expect(cluster.pods.find((p) => p.name === 'web')!.ip).toBe(0x0af40041) // 10.244.0.65
  })
})

describe('Calico IP-in-IP', () => {
  const yaml = twoNodes('{plugin: calico, backend: ipip}')
  const { cluster } = build(yaml)

  it('has tunl0 at MTU 1480 (20 bytes of outer IPv4), and BIRD routes with blackholes', () => {
    const t = nodeTables(cluster, 'node-1')!
    expect(t).toContain('tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480')
    expect(t).toContain('ipip any remote any local any ttl inherit nopmtudisc')
    expect(t).toContain('10.244.0.64/26 via 192.168.1.12 dev tunl0 proto bird onlink')
    expect(t).toContain('blackhole 10.244.0.0/26 proto bird')
    expect(t).toMatch(/10\.244\.0\.1 dev cali[0-9a-f]{11} scope link/)
    expect(t).not.toContain('cni0')
  })

  it('puts the host veth at ee:ee:ee:ee:ee:ee and the Pod behind 169.254.1.1', () => {
    expect(nodeTables(cluster, 'node-1')).toMatch(
      /link\/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns cni-/,
    )
    const pod = podTables(cluster, 'default/client')!
    expect(pod).toContain('default via 169.254.1.1 dev eth0')
    expect(pod).toContain('169.254.1.1 dev eth0 scope link')
    expect(pod).toContain('inet 10.244.0.1/32 scope global eth0')
  })

  it('gets the gateway MAC by proxy ARP from the host veth', () => {
    const t = traceOf(yaml, 'cross')
    const arp = t.steps.find((s) => s.action === 'arp')!
    expect(arp.lookups[1]!.rule).toBe(
      'ee:ee:ee:ee:ee:ee > ' +
        arp.packet.l2!.src +
        ', ARP, Reply 169.254.1.1 is-at ee:ee:ee:ee:ee:ee, length 28',
    )
    expect(arp.explain.en).toMatch(/proxy_arp=1/)
  })

  it('adds an outer IPv4 header with protocol 4 from node to node, TTL inherited, and no inner Ethernet', () => {
    const t = traceOf(yaml, 'cross')
    const enc = t.steps.find((s) => s.action === 'encapsulate')!
    expect(enc.packet.outer).toEqual({
      encap: 'ipip',
      l2: null,
      l3: { src: '192.168.1.11', dst: '192.168.1.12', proto: 'ipip', ttl: 63 },
      l4: null,
    })
    expect(enc.packet.l2).toBeNull()
    const dec = t.steps.find((s) => s.action === 'decapsulate')!
    expect(dec.at).toMatchObject({ node: 'node-2', device: 'tunl0' })
    expect(t.outcome).toBe('delivered')
  })

  it('routes between two Pods on one node through the host, not a bridge', () => {
    const t = traceOf(yaml, 'same')
    expect(t.outcome).toBe('delivered')
    expect(t.steps.some((s) => s.action === 'bridge')).toBe(false)
    const hop = t.steps.find((s) => s.action === 'route' && s.at.pod === null)!
    expect(hop.lookups[0]!.rule).toMatch(/^10\.244\.0\.2 dev cali[0-9a-f]{11} scope link$/)
  })
})

describe('Calico VXLAN', () => {
  const yaml = twoNodes('{plugin: calico, backend: vxlan}')
  const { cluster } = build(yaml)

  it("creates vxlan.calico with VNI 4096 on UDP 4789 at MTU 1450, and Felix's entries per remote node", () => {
    const t = nodeTables(cluster, 'node-1')!
    const mac = calicoVtepMac('node-2')
    expect(t).toMatch(/vxlan\.calico: .* mtu 1450/)
    expect(t).toMatch(
      /vxlan id 4096 local 192\.168\.1\.11 dev eth0 srcport 0 0 dstport 4789 nolearning/,
    )
    expect(t).toContain(`10.244.0.64 dev vxlan.calico lladdr ${mac} PERMANENT`)
    expect(t).toContain(`${mac} dev vxlan.calico dst 192.168.1.12 self permanent`)
    expect(t).toContain('10.244.0.64/26 via 10.244.0.64 dev vxlan.calico onlink mtu 1450')
    expect(t).toContain('blackhole 10.244.0.0/26 proto 80')
  })

  it('encapsulates in UDP 4789 with VNI 4096', () => {
    const t = traceOf(yaml, 'cross')
    const enc = t.steps.find((s) => s.action === 'encapsulate')!
    expect(enc.packet.outer).toMatchObject({ encap: 'vxlan', vni: 4096, l4: { dstPort: 4789 } })
    expect(enc.packet.l2!.dst).toBe(calicoVtepMac('node-2'))
  })
})

describe('Calico BGP (no encapsulation)', () => {
  const yaml = twoNodes('{plugin: calico, backend: bgp}')

  it('routes the remote block via the peer node on eth0, proto bird, at the full MTU', () => {
    const { cluster } = build(yaml)
    const t = nodeTables(cluster, 'node-1')!
    expect(t).toContain('10.244.0.64/26 via 192.168.1.12 dev eth0 proto bird')
    expect(t).not.toContain('tunl0')
    expect(cluster.podMtu).toBe(1500)
  })

  it('carries Pod addresses on the underlay itself', () => {
    const t = traceOf(yaml, 'cross')
    expect(t.outcome).toBe('delivered')
    const u = t.steps.find((s) => s.at.component === 'underlay')!
    expect(u.packet.outer).toBeNull()
    expect(u.packet.l3!.dst).toBe('10.244.0.64')
  })
})

describe('minikube + Calico IP-in-IP, as it prints itself: blocks out of node order', () => {
  // Blocks in the dump: minikube 10.244.120.64/26, minikube-m02 10.244.205.192/26, minikube-m03
  // 10.244.151.0/26 and 10.244.151.64/26 (web is at .66 of the second).
  const yaml = realCluster('minikube-calico-ipip', 'http://10.244.151.66/')
  const loaded = loadScenarioSource(yaml, 'minikube.yaml')
  const { cluster } = build(yaml)
  const m03 = cluster.nodeByName.get('minikube-m03')!

  it('accepts every Pod IP in a block of the pool, wherever IPAM put the block', () => {
    expect(loaded.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(cluster.decl.cni).toMatchObject({ plugin: 'calico', backend: 'ipip' })
    expect(cluster.pods.find((p) => p.name === 'web-7c5ddbdf54-kq2vz')!.ip).toBe(0x0af49742)
  })

  it('reads block affinity off the tunnel addresses and Pod IPs: minikube-m03 owns two blocks', () => {
    expect(m03.blocks.map(formatCidr)).toEqual(['10.244.151.0/26', '10.244.151.64/26'])
    expect(cluster.nodeByName.get('minikube')!.blocks.map(formatCidr)).toEqual(['10.244.120.64/26'])
    expect(m03.tunnelIp).toBe(0x0af49700) // projectcalico.org/IPv4IPIPTunnelAddr 10.244.151.0
    expect(loaded.diagnostics.map((d) => d.message.en)).toContain(
      "Calico block affinity read from its tunnel address 10.244.151.0 and its 2 Pods' addresses: minikube-m03 owns 10.244.151.0/26, 10.244.151.64/26. Calico IPAM picks a node's first block by a hash of its name (randomBlockGenerator) and claims another when one is full, so blocks are not in node order.",
    )
  })

  it('takes the address of a Pod still being created from cni.projectcalico.org/podIP', () => {
    const pending = cluster.pods.find((p) => p.name === 'web-7c5ddbdf54-8mxtw')!
    expect(pending.ip).toBe(0x0af49701) // 10.244.151.1, in no status yet
    expect(pending.ready).toBe(false)
  })

  it('blackholes each owned block and routes each remote block through tunl0, as BIRD does', () => {
    const own = nodeTables(cluster, 'minikube-m03')!
    expect(own).toContain('blackhole 10.244.151.0/26 proto bird')
    expect(own).toContain('blackhole 10.244.151.64/26 proto bird')
    expect(own).toContain('inet 10.244.151.0/32 scope global tunl0')
    const m02 = nodeTables(cluster, 'minikube-m02')!
    for (const r of [
      '10.244.120.64/26 via 192.168.49.2 dev tunl0 proto bird onlink',
      '10.244.151.0/26 via 192.168.49.4 dev tunl0 proto bird onlink',
      '10.244.151.64/26 via 192.168.49.4 dev tunl0 proto bird onlink',
      'blackhole 10.244.205.192/26 proto bird',
      '192.168.49.0/24 dev eth0 proto kernel scope link src 192.168.49.3',
    ])
      expect(m02).toContain(r)
    expect(m02).toMatch(/10\.244\.205\.193 dev cali[0-9a-f]{11} scope link/)
    expect(m02).not.toContain('10.244.1.0/24')
  })

  it('tunnels a request to the second block from node to node in IP-in-IP', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const hop = t.steps.find(
      (s) => s.action === 'route' && s.at.node === 'minikube-m02' && !s.at.pod,
    )!
    expect(hop.lookups[0]!.rule).toBe(
      '10.244.151.64/26 via 192.168.49.4 dev tunl0 proto bird onlink',
    )
    const enc = t.steps.find((s) => s.action === 'encapsulate')!
    expect(enc.packet.outer!.l3).toMatchObject({ src: '192.168.49.3', dst: '192.168.49.4' })
    const dec = t.steps.find((s) => s.action === 'decapsulate')!
    expect(dec.at).toMatchObject({ node: 'minikube-m03', device: 'tunl0' })
    const last = t.steps.filter((s) => s.phase === 'request').at(-1)!
    expect(last.at.pod).toBe('default/web-7c5ddbdf54-kq2vz')
  })

  it('refuses an address in a block another node owns, naming the borrowing Calico would need', () => {
    // 10.244.151.0/26 holds minikube-m03's tunnel address: a Pod of minikube-m02 there is borrowed.
    const borrowed = yaml.replace('podIP: 10.244.205.193\n', 'podIP: 10.244.151.5\n')
    const l = loadScenarioSource(borrowed, 'b.yaml')
    expect(l.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message.en)).toEqual([
      "status.podIP 10.244.151.5 on minikube-m02 is in Calico block 10.244.151.0/26, which minikube-m03's addresses say is affine to minikube-m03. Calico lends an address of another node's block only when the IPPool has no free block left (strictAffinity false); PodPath does not model borrowed addresses.",
    ])
  })

  it('keeps node order for a scenario that gives no addresses', () => {
    const { cluster: c } = build(twoNodes('{plugin: calico, backend: ipip}'))
    expect(c.nodes.map((n) => n.blocks.map(formatCidr))).toEqual([
      ['10.244.0.0/26'],
      ['10.244.0.64/26'],
    ])
  })
})

describe('Calico VXLAN and BGP with blocks read off the Pods', () => {
  // node-2's Pods sit in two blocks far from node order; node-1 says nothing and keeps block 0.
  const withIps = (backend: string) =>
    twoNodes(`{plugin: calico, backend: ${backend}}`).replace(
      'metadata: {name: web}\nspec:\n  nodeName: node-2\n  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]',
      'metadata: {name: web}\nspec:\n  nodeName: node-2\n  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]\nstatus: {podIP: 10.244.77.130}',
    ).concat(`---
apiVersion: v1
kind: Pod
metadata: {name: web3}
spec:
  nodeName: node-2
  containers: [{name: nginx, image: nginx}]
status: {podIP: 10.244.9.5}
`)

  it('VXLAN: Felix blackholes each own block (proto 80) and routes each remote one via the VTEP', () => {
    const { cluster } = build(withIps('vxlan'))
    const n2 = cluster.nodeByName.get('node-2')!
    expect(n2.blocks.map(formatCidr)).toEqual(['10.244.9.0/26', '10.244.77.128/26'])
    const t2 = nodeTables(cluster, 'node-2')!
    expect(t2).toContain('blackhole 10.244.9.0/26 proto 80')
    expect(t2).toContain('blackhole 10.244.77.128/26 proto 80')
    const t1 = nodeTables(cluster, 'node-1')!
    const vtep = formatIp(n2.tunnelIp!)
    expect(t1).toContain(`10.244.9.0/26 via ${vtep} dev vxlan.calico onlink mtu 1450`)
    expect(t1).toContain(`10.244.77.128/26 via ${vtep} dev vxlan.calico onlink mtu 1450`)
    // One neighbour and one FDB entry per remote VTEP, however many blocks it owns.
    expect(t1.match(/dev vxlan\.calico lladdr/g)).toHaveLength(1)
    expect(traceOf(withIps('vxlan'), 'cross').outcome).toBe('delivered')
  })

  it('BGP: one proto bird route per remote block, via the peer on eth0', () => {
    const { cluster } = build(withIps('bgp'))
    const t1 = nodeTables(cluster, 'node-1')!
    expect(t1).toContain('10.244.9.0/26 via 192.168.1.12 dev eth0 proto bird')
    expect(t1).toContain('10.244.77.128/26 via 192.168.1.12 dev eth0 proto bird')
    expect(t1).toContain('blackhole 10.244.0.0/26 proto bird')
    expect(traceOf(withIps('bgp'), 'cross').outcome).toBe('delivered')
  })
})
