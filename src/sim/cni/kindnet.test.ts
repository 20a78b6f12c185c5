import { describe, expect, it } from 'vitest'
import { build, traceOf, twoNodes } from '../../test/scenario.ts'
import { realCluster } from '../../test/real-clusters.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { nodeTables, podTables } from '../print/tables.ts'

// The kind dump's nodes: kind-control-plane 172.18.0.2 (10.244.0.0/24), kind-worker2 172.18.0.3
// (10.244.1.0/24, client 10.244.1.2), kind-worker 172.18.0.4 (10.244.2.0/24, web 10.244.2.2).
const yaml = realCluster('kind', 'http://10.244.2.2/')
const { cluster } = build(yaml)
const lines = (t: string | null) => t!.split('\n')
const section = (t: string | null, cmd: string) => {
  const all = lines(t)
  // A Pod's commands run in its namespace: "$ ip netns exec cni-... ip route".
  const start = all.findIndex(
    (l) => l === `$ ${cmd}` || (l.startsWith('$ ip netns exec ') && l.endsWith(` ${cmd}`)),
  )
  const end = all.findIndex((l, i) => i > start && (l === '' || l.startsWith('$ ')))
  return all.slice(start + 1, end < 0 ? undefined : end)
}

describe('kind, as it prints itself: kindnet', () => {
  it('is recognised from the kindnet DaemonSet and built with ptp veths, no bridge, no overlay', () => {
    expect(cluster.decl.cni.plugin).toBe('kindnet')
    const t = nodeTables(cluster, 'kind-worker')!
    expect(t).not.toMatch(/cni0|flannel\.1|tunl0|vxlan/)
    expect(cluster.podMtu).toBe(1500)
  })

  it('gives the Pod its address with the podCIDR prefix and the three routes ptp installs', () => {
    // ptp.go setupContainerVeth: the connected route is replaced by "<gw> scope link src" and
    // "<subnet> via <gw> src"; IPAM's 0.0.0.0/0 route goes via the gateway (kindnet cni.go).
    const pod = podTables(cluster, 'default/client')
    expect(pod).toContain('inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0')
    expect(section(pod, 'ip route')).toEqual([
      'default via 10.244.1.1 dev eth0',
      '10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.2',
      '10.244.1.1 dev eth0 scope link src 10.244.1.2',
    ])
  })

  it('puts the gateway on every host veth as /32 and routes each Pod with scope host', () => {
    const node = nodeTables(cluster, 'kind-worker')
    const veth = cluster.pods.find((p) => p.ip === 0x0af40202)!.hostVeth!
    expect(veth).toMatch(/^veth[0-9a-f]{8}$/)
    expect(node).toContain(`inet 10.244.2.1/32 scope global ${veth}`)
    expect(node).toMatch(new RegExp(`${veth}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500`))
    expect(section(node, 'ip route')).toEqual([
      'default via 172.18.0.1 dev eth0',
      '10.244.0.0/24 via 172.18.0.2 dev eth0',
      '10.244.1.0/24 via 172.18.0.3 dev eth0',
      `10.244.2.2 dev ${veth} scope host`,
      '172.18.0.0/24 dev eth0 proto kernel scope link src 172.18.0.4',
    ])
    expect(section(node, 'ip route show table local')).toContain(
      `local 10.244.2.1 dev ${veth} proto kernel scope host src 10.244.2.1`,
    )
  })

  it('keeps the real podCIDRs, out of node order: kind-worker2 joined first and holds 10.244.1.0/24', () => {
    expect(cluster.nodeByName.get('kind-worker')!.podCIDR).toEqual({ base: 0x0af40200, prefix: 24 })
    expect(cluster.nodeByName.get('kind-worker2')!.podCIDR).toEqual({
      base: 0x0af40100,
      prefix: 24,
    })
  })

  it('masquerades what leaves the Pod network with KIND-MASQ-AGENT, as iptables-save prints it', () => {
    // Printed by iptables-save v1.8.9 (nf_tables) after the rules of masq.go SyncRules were
    // added with iptables in a scratch network namespace.
    const save = nodeTables(cluster, 'kind-worker')!
    for (const line of [
      ':KIND-MASQ-AGENT - [0:0]',
      '-A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment "kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain" -j KIND-MASQ-AGENT',
      '-A KIND-MASQ-AGENT -d 10.244.0.0/16 -m comment --comment "kind-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN',
      '-A KIND-MASQ-AGENT -m comment --comment "kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE',
    ])
      expect(save).toContain(line)
    // kindnetd appends its jump after kube-proxy's.
    expect(save.indexOf('-j KUBE-POSTROUTING')).toBeLessThan(save.indexOf('-j KIND-MASQ-AGENT'))
  })

  it('routes a Pod packet to the other node by its InternalIP, with no NAT and no tunnel', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const rules = t.steps.flatMap((s) => s.lookups.map((l) => l.rule))
    expect(rules).toContain('default via 10.244.1.1 dev eth0')
    expect(rules).toContain('10.244.2.0/24 via 172.18.0.4 dev eth0')
    expect(rules.some((r) => /^10\.244\.2\.2 dev veth[0-9a-f]{8} scope host$/.test(r))).toBe(true)
    const arp = t.steps.find((s) => s.action === 'arp')!
    expect(arp.explain.en).toContain('node kind-worker2 replies "10.244.1.1 is at')
    expect(t.steps.some((s) => s.action === 'encapsulate' || s.action === 'masquerade')).toBe(false)
    expect(t.steps.at(-1)!.packet.l3).toMatchObject({ src: '10.244.2.2', dst: '10.244.1.2' })
  })

  it('masquerades a Pod packet to a node address, keeping its source port (no --random-fully)', () => {
    const t = traceOf(realCluster('kind', '172.18.0.4:10250'))
    const m = t.steps.find((s) => s.action === 'masquerade')!
    expect(m.at).toMatchObject({ node: 'kind-worker2', device: 'eth0', hook: 'POSTROUTING' })
    expect(m.packet.l3!.src).toBe('172.18.0.3')
    expect(m.packet.l4!.srcPort).toBe(t.steps[0]!.packet.l4!.srcPort)
    expect(m.lookups.filter((l) => l.matched).map((l) => l.table)).toContain(
      'iptables -t nat KIND-MASQ-AGENT',
    )
    expect(m.explain.en).toContain('KIND-MASQ-AGENT')
    expect(m.explain.en).not.toContain('KUBE-MARK-MASQ')
  })
})

describe('kindnet as a CNI choice', () => {
  it('is chosen with cni: {plugin: kindnet} and builds two nodes from node order', () => {
    const { cluster: c } = build(twoNodes('{plugin: kindnet}'))
    expect(c.decl.cni).toMatchObject({ plugin: 'kindnet', backend: null })
    const t = nodeTables(c, 'node-1')!
    expect(t).toContain('10.244.1.0/24 via 192.168.1.12 dev eth0')
    expect(section(podTables(c, 'default/client'), 'ip route')).toEqual([
      'default via 10.244.0.1 dev eth0',
      '10.244.0.0/24 via 10.244.0.1 dev eth0 src 10.244.0.2',
      '10.244.0.1 dev eth0 scope link src 10.244.0.2',
    ])
    expect(traceOf(twoNodes('{plugin: kindnet}'), 'cross').outcome).toBe('delivered')
    expect(traceOf(twoNodes('{plugin: kindnet}'), 'same').outcome).toBe('delivered')
  })

  it('refuses nodes on different subnets: a route via another node needs it on-link', () => {
    expect(() =>
      build(twoNodes('{plugin: kindnet}').replace('192.168.1.12', '192.168.2.12')),
    ).toThrow(/kindnet needs every node on one layer-2 network/)
  })
})

describe('a finished Pod in the dump', () => {
  it('gives its old address up to the running Pod that holds it now', () => {
    // A Completed Job Pod on kind-worker2 that once had the client's address.
    const job = `
- apiVersion: v1
  kind: Pod
  metadata:
    labels: {job-name: migrate}
    name: migrate-7k2x9
    namespace: default
    ownerReferences: [{apiVersion: batch/v1, controller: true, kind: Job, name: migrate, uid: 1}]
  spec:
    containers: [{image: migrate:1, name: migrate}]
    nodeName: kind-worker2
    restartPolicy: Never
  status:
    phase: Succeeded
    podIP: 10.244.1.2
`
    const dump = realCluster('kind', 'http://10.244.2.2/').replace(
      '\n- apiVersion: v1\n  kind: Pod',
      `${job}- apiVersion: v1\n  kind: Pod`,
    )
    const l = loadScenarioSource(dump, 'job.yaml')
    expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(l.diagnostics.map((d) => d.message.en)).toContain(
      'Pod default/migrate-7k2x9 has finished and no longer holds 10.244.1.2, which a running Pod has now; PodPath leaves it out of the network',
    )
    expect(l.cluster!.pods.find((p) => p.ip === 0x0af40102)!.name).toBe('client')
  })
})
