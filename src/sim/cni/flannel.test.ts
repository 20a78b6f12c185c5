import { describe, expect, it } from 'vitest'
import { build, traceOf, twoNodes } from '../../test/scenario.ts'
import { realCluster } from '../../test/real-clusters.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { nodeTables } from '../print/tables.ts'

describe('flannel VXLAN across nodes', () => {
  const yaml = twoNodes('{plugin: flannel, backend: vxlan}')
  const { cluster } = build(yaml)
  const node1 = nodeTables(cluster, 'node-1')!

  it('creates flannel.1: VNI 1, kernel default UDP port 8472, MTU 1500 - 50, the subnet address as /32', () => {
    expect(node1).toContain(
      'flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN',
    )
    expect(node1).toMatch(
      /vxlan id 1 local 192\.168\.1\.11 dev eth0 srcport 0 0 dstport 8472 nolearning/,
    )
    expect(node1).toContain('inet 10.244.0.0/32 scope global flannel.1')
  })

  it('gives cni0 the first address of the node subnet and the Pods .2 onward, at the flannel MTU', () => {
    expect(node1).toContain('inet 10.244.0.1/24 brd 10.244.0.255 scope global cni0')
    expect(node1).toMatch(/cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450/)
    expect(cluster.pods.find((p) => p.name === 'client')!.ip).toBe(0x0af40002) // 10.244.0.2
    expect(cluster.podMtu).toBe(1450)
  })

  it('installs, per remote node, the neighbour, FDB and onlink route flanneld writes', () => {
    const node2 = cluster.nodeByName.get('node-2')!
    const mac = node2.vtepMac!
    expect(node1).toContain(`10.244.1.0 dev flannel.1 lladdr ${mac} PERMANENT`)
    expect(node1).toContain(`${mac} dev flannel.1 dst 192.168.1.12 self permanent`)
    expect(node1).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink')
  })

  it('names host veths "veth" + 8 hex digits, plugged into cni0 with hairpin on', () => {
    const veth = cluster.pods.find((p) => p.name === 'client')!.hostVeth!
    expect(veth).toMatch(/^veth[0-9a-f]{8}$/)
    expect(node1).toMatch(new RegExp(`${veth}@if2: .* master cni0 state UP`))
    expect(node1).toContain('bridge_slave state forwarding priority 32 cost 2 hairpin on')
  })

  it('gives the Pod a default route and the cluster CIDR via the gateway', () => {
    const t = traceOf(yaml, 'cross')
    expect(t.steps[1]!.lookups[0]!.rule).toBe('10.244.0.0/16 via 10.244.0.1 dev eth0')
  })

  it('wraps the Pod frame in UDP/8472 VXLAN VNI 1 between the node addresses, and unwraps it on node-2', () => {
    const t = traceOf(yaml, 'cross')
    expect(t.outcome).toBe('delivered')
    const enc = t.steps.find((s) => s.action === 'encapsulate' && s.phase === 'request')!
    expect(enc.at).toMatchObject({ node: 'node-1', device: 'flannel.1' })
    expect(enc.packet.outer).toMatchObject({
      encap: 'vxlan',
      vni: 1,
      l3: { src: '192.168.1.11', dst: '192.168.1.12', proto: 'udp', ttl: 64 },
      l4: { proto: 'udp', dstPort: 8472 },
    })
    expect(enc.packet.outer!.l4!.srcPort).toBeGreaterThanOrEqual(32768)
    // The inner headers are the Pod's own: no NAT anywhere.
    expect(enc.packet.l3).toMatchObject({ src: '10.244.0.2', dst: '10.244.1.2' })
    expect(enc.changed).toContain('outer')
    const underlay = t.steps.find((s) => s.at.component === 'underlay')!
    expect(underlay.packet.outer!.l2).not.toBeNull()
    const dec = t.steps.find((s) => s.action === 'decapsulate' && s.phase === 'request')!
    expect(dec.at).toMatchObject({ node: 'node-2', device: 'flannel.1' })
    expect(dec.packet.outer).toBeNull()
  })

  it('makes the underlay hop a step of its own, and the reply come back the same way', () => {
    const t = traceOf(yaml, 'cross')
    const phases = t.steps.filter((s) => s.at.component === 'underlay').map((s) => s.phase)
    expect(phases).toEqual(['request', 'reply'])
    expect(t.steps.at(-1)).toMatchObject({
      action: 'deliver',
      phase: 'reply',
      at: { pod: 'default/client' },
    })
  })

  it('decrements the inner TTL once on each node it is routed through', () => {
    const t = traceOf(yaml, 'cross')
    const delivered = t.steps.find((s) => s.action === 'deliver' && s.phase === 'request')!
    expect(delivered.packet.l3!.ttl).toBe(62)
  })

  it('honours VNI and Port from net-conf.json', () => {
    const { cluster: c } = build(`
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-flannel-cfg}
data:
  net-conf.json: '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan", "VNI": 4, "Port": 4789}}'
`)
    expect(nodeTables(c, 'node-1')).toMatch(/vxlan id 4 local .* dstport 4789/)
    expect(nodeTables(c, 'node-1')).toContain('flannel.4:')
  })
})

describe('flannel host-gw', () => {
  const yaml = twoNodes('{plugin: flannel, backend: host-gw}')

  it('routes each remote Pod subnet via the remote node address, at the full MTU', () => {
    const { cluster } = build(yaml)
    const t = nodeTables(cluster, 'node-1')!
    expect(t).toContain('10.244.1.0/24 via 192.168.1.12 dev eth0')
    expect(t).not.toContain('flannel.1')
    expect(cluster.podMtu).toBe(1500)
  })

  it('sends the Pod packet unencapsulated across the node network', () => {
    const t = traceOf(yaml, 'cross')
    expect(t.outcome).toBe('delivered')
    expect(t.steps.every((s) => s.packet.outer === null)).toBe(true)
    const underlay = t.steps.find((s) => s.at.component === 'underlay')!
    expect(underlay.packet.l3).toMatchObject({ src: '10.244.0.2', dst: '10.244.1.2' })
  })

  it('refuses nodes on different layer-2 networks', () => {
    expect(() =>
      build(`
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cni: {plugin: flannel, backend: host-gw}
  nodes: [{name: a, ip: 192.168.1.11}, {name: b, ip: 192.168.2.11}]
`),
    ).toThrow(/one layer-2 network/)
  })
})

describe('kubeadm + flannel, as it prints itself: the lease in the Node annotations', () => {
  // backend-data VtepMACs: cp-1 1e:4b:2f:93:7a:c0, worker-1 92:01:5e:01:fe:01,
  // worker-2 5a:cd:3e:81:04:b7; public-ip = InternalIP (192.168.122.10-12).
  const yaml = realCluster('kubeadm-flannel', 'http://web-0/')
  const { cluster } = build(yaml)
  const w1 = nodeTables(cluster, 'worker-1')!

  it('gives flannel.1 the VtepMAC its own Node publishes', () => {
    expect(w1).toMatch(
      /flannel\.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default\n {4}link\/ether 92:01:5e:01:fe:01 brd ff:ff:ff:ff:ff:ff/,
    )
    expect(w1).toContain(
      'vxlan id 1 local 192.168.122.11 dev eth0 srcport 0 0 dstport 8472 nolearning',
    )
  })

  it("installs each peer's VtepMAC in ip neigh and bridge fdb, toward its public-ip", () => {
    expect(w1).toContain('10.244.0.0 dev flannel.1 lladdr 1e:4b:2f:93:7a:c0 PERMANENT')
    expect(w1).toContain('10.244.2.0 dev flannel.1 lladdr 5a:cd:3e:81:04:b7 PERMANENT')
    expect(w1).toContain('1e:4b:2f:93:7a:c0 dev flannel.1 dst 192.168.122.10 self permanent')
    expect(w1).toContain('5a:cd:3e:81:04:b7 dev flannel.1 dst 192.168.122.12 self permanent')
    expect(w1).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink')
  })

  it('keeps the Pod IPs the cluster handed out (.4, .7), not host-local order', () => {
    expect(cluster.pods.find((p) => p.name === 'client')!.ip).toBe(0x0af40104)
    expect(cluster.pods.find((p) => p.name === 'web-0')!.ip).toBe(0x0af40207)
    expect(w1).toContain('inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0')
  })

  it('sends the inner frame to the peer VtepMAC inside UDP 8472 between the public IPs', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const enc = t.steps.find((s) => s.action === 'encapsulate' && s.phase === 'request')!
    expect(enc.packet.l2).toMatchObject({ src: '92:01:5e:01:fe:01', dst: '5a:cd:3e:81:04:b7' })
    expect(enc.packet.outer).toMatchObject({
      vni: 1,
      l3: { src: '192.168.122.11', dst: '192.168.122.12' },
      l4: { dstPort: 8472 },
    })
    expect(enc.lookups.map((l) => l.rule)).toContain(
      '5a:cd:3e:81:04:b7 dev flannel.1 dst 192.168.122.12 self permanent',
    )
  })

  it('builds the tunnel on public-ip when flanneld publishes another address than the InternalIP', () => {
    // A second NIC chosen with --iface: public-ip differs, and peers send VXLAN there.
    const moved = yaml.replace(
      'flannel.alpha.coreos.com/public-ip: 192.168.122.12',
      'flannel.alpha.coreos.com/public-ip: 192.168.122.52',
    )
    const l = loadScenarioSource(moved, 'moved.yaml')
    expect(l.diagnostics.map((d) => d.message.en)).toContain(
      'flannel on worker-2 publishes public-ip 192.168.122.52, not its InternalIP 192.168.122.12: flanneld builds its VXLAN tunnel on that address, and PodPath gives the node that address',
    )
    expect(nodeTables(l.cluster!, 'worker-1')).toContain(
      '5a:cd:3e:81:04:b7 dev flannel.1 dst 192.168.122.52 self permanent',
    )
  })

  it('warns about a backend-data annotation that is not JSON and generates the MAC instead', () => {
    const bad = yaml.replace(`'{"VNI":1,"VtepMAC":"92:01:5e:01:fe:01"}'`, `'{"VNI":1,'`)
    const l = loadScenarioSource(bad, 'bad.yaml')
    const w = l.diagnostics.filter((d) => d.severity === 'warning')
    expect(w.map((d) => `${d.object}: ${d.message.en}`)).toEqual([
      'Node/worker-1: annotation flannel.alpha.coreos.com/backend-data is not JSON; PodPath computes the value instead',
    ])
    expect(l.cluster!.nodeByName.get('worker-1')!.vtepMac).not.toBe('92:01:5e:01:fe:01')
  })
})
