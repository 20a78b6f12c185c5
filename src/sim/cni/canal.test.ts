import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { build, traceOf, twoNodes } from '../../test/scenario.ts'
import { realCluster } from '../../test/real-clusters.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { nodeTables, podTables } from '../print/tables.ts'
import { calicoVethName, CALICO_HOST_VETH_MAC } from './calico.ts'
import { iptablesSave } from '../print/iptables-save.ts'
import { nodeIptables } from '../proxy/kube-proxy.ts'

// node-a 10.10.0.11 (10.244.0.0/24, VtepMAC b2:7e:19:4c:d0:3a): client 10.244.0.5 and the
// terminating web replica 10.244.0.6; node-b 10.10.0.12 (10.244.1.0/24, 3e:a1:c6:09:5f:e2): the
// ready web replica 10.244.1.3 (containerPort http 8080). Service web: 10.103.47.218:80.
const yaml = realCluster('kubeadm-canal', 'http://10.103.47.218/')
const { cluster } = build(yaml)

describe('kubeadm + canal, as it prints itself', () => {
  it('is recognised from the canal DaemonSet: Calico veths over flannel VXLAN', () => {
    expect(cluster.decl.cni).toMatchObject({ plugin: 'canal', backend: 'vxlan' })
    const a = nodeTables(cluster, 'node-a')!
    const veth = calicoVethName('default', 'client')
    expect(a).toContain(`10.244.0.5 dev ${veth} scope link`)
    expect(a).toMatch(
      new RegExp(`${veth}@if2: .*\\n {4}link/ether ${CALICO_HOST_VETH_MAC} brd ff:ff:ff:ff:ff:ff`),
    )
    expect(a).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink')
    expect(a).toContain('3e:a1:c6:09:5f:e2 dev flannel.1 dst 10.10.0.12 self permanent')
    expect(a).toContain('10.244.1.0 dev flannel.1 lladdr 3e:a1:c6:09:5f:e2 PERMANENT')
    // No bridge, and no BIRD: CALICO_NETWORKING_BACKEND=none leaves no blackhole route.
    expect(a).not.toMatch(/cni0|blackhole|tunl0/)
  })

  it('gives Pods a /32 behind 169.254.1.1 at the host MTU, while flannel.1 is 50 bytes smaller', () => {
    const pod = podTables(cluster, 'default/client')!
    expect(pod).toContain('inet 10.244.0.5/32 scope global eth0')
    expect(pod).toContain('default via 169.254.1.1 dev eth0')
    expect(pod).toMatch(/eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500/)
    expect(nodeTables(cluster, 'node-a')).toMatch(/flannel\.1: <[^>]*> mtu 1450/)
    expect(cluster.podMtu).toBe(1500)
  })

  it('takes the endpoints from the EndpointSlice: the terminating replica is left out', () => {
    const web = cluster.services.find((s) => s.name === 'web')!
    expect(web.ports[0]!.endpoints.map((e) => [e.pod, e.port, e.ready, e.terminating])).toEqual([
      ['default/web-6b9f7c5d88-9jz2c', 8080, false, true],
      ['default/web-6b9f7c5d88-r4wfx', 8080, true, false],
    ])
  })

  it('DNATs the ClusterIP to the ready replica on node-b and carries it through flannel.1', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const dnat = t.steps.find((s) => s.action === 'dnat')!
    expect(dnat.at).toMatchObject({ node: 'node-a', device: calicoVethName('default', 'client') })
    expect(dnat.packet.l3!.dst).toBe('10.244.1.3')
    expect(dnat.packet.l4!.dstPort).toBe(8080)
    const enc = t.steps.find((s) => s.action === 'encapsulate' && s.phase === 'request')!
    expect(enc.packet.l2).toMatchObject({ src: 'b2:7e:19:4c:d0:3a', dst: '3e:a1:c6:09:5f:e2' })
    expect(enc.packet.outer).toMatchObject({ vni: 1, l3: { src: '10.10.0.11', dst: '10.10.0.12' } })
    const inB = t.steps.find((s) => s.action === 'route' && s.at.node === 'node-b' && !s.at.pod)!
    expect(inB.lookups[0]!.rule).toBe(
      `10.244.1.3 dev ${calicoVethName('default', 'web-6b9f7c5d88-r4wfx')} scope link`,
    )
    // The reply is un-DNATed on node-a: the client sees the ClusterIP answer.
    expect(t.steps.at(-1)!.packet.l3).toMatchObject({ src: '10.103.47.218', dst: '10.244.0.5' })
  })
})

describe('an EndpointSlice that disagrees with the selector', () => {
  it('wins, as it does for kube-proxy, and the diagnostics say how they differ', () => {
    // The slice as it was a moment later: the terminating replica already gone from it.
    const start = yaml.indexOf('  - addresses:\n    - 10.244.0.6')
    const end = yaml.indexOf('  - addresses:\n    - 10.244.1.3')
    const later = yaml.slice(0, start) + yaml.slice(end)
    const l = loadScenarioSource(later, 'later.yaml')
    const web = l.cluster!.services.find((s) => s.name === 'web')!
    expect(web.ports[0]!.endpoints.map((e) => e.pod)).toEqual(['default/web-6b9f7c5d88-r4wfx'])
    expect(l.diagnostics.map((d) => d.message.en)).toContain(
      'Service default/web port http: its EndpointSlices list 10.244.1.3:8080, where its selector picks 10.244.0.6:8080 (not ready), 10.244.1.3:8080 here; kube-proxy follows the EndpointSlices, and so does PodPath.',
    )
  })
})

describe('canal as a CNI choice', () => {
  it('is chosen with cni: {plugin: canal} and hands out addresses from the podCIDR, .2 first', () => {
    const { cluster: c } = build(twoNodes('{plugin: canal}'))
    expect(c.decl.cni).toMatchObject({ plugin: 'canal', backend: 'vxlan' })
    expect(c.pods.find((p) => p.name === 'web')!.ip).toBe(0x0af40102) // 10.244.1.2
    expect(traceOf(twoNodes('{plugin: canal}'), 'cross').outcome).toBe('delivered')
    expect(traceOf(twoNodes('{plugin: canal}'), 'same').outcome).toBe('delivered')
  })

  it('runs flannel host-gw under canal when its backend says so', () => {
    const { cluster: c } = build(twoNodes('{plugin: canal, backend: host-gw}'))
    expect(nodeTables(c, 'node-1')).toContain('10.244.1.0/24 via 192.168.1.12 dev eth0')
    expect(nodeTables(c, 'node-1')).not.toContain('flannel.1')
  })
})

// The flannel egress lesson's cluster with canal: a Pod on node-1 calls api.github.com.
const egress = readFileSync(
  new URL('../../lessons/mode2-egress-flannel.yaml', import.meta.url),
  'utf8',
).replace('plugin: flannel', 'plugin: canal')

describe("canal's two agents in iptables: flanneld's chains and felix's", () => {
  const save = (src: string, node: string) =>
    iptablesSave(nodeIptables(build(src).cluster, node)).split('\n')

  it("writes flanneld's FLANNEL-POSTRTG (--ip-masq, as canal.yaml runs it) and FLANNEL-FWD beside felix's chains", () => {
    const lines = save(egress, 'node-1')
    for (const chain of ['FLANNEL-POSTRTG', 'FLANNEL-FWD', 'cali-POSTROUTING', 'cali-FORWARD'])
      expect(lines).toContain(`:${chain} - [0:0]`)
    // Felix keeps its appended jump after every other rule of the chain.
    const post = lines.filter((l) => l.startsWith('-A POSTROUTING'))
    expect(post.map((l) => l.split(' -j ')[1])).toEqual([
      'KUBE-POSTROUTING',
      'FLANNEL-POSTRTG',
      'cali-POSTROUTING',
    ])
    expect(lines).toContain(
      '-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    )
  })

  it('leaves FLANNEL-POSTRTG out without --ip-masq, and keeps FLANNEL-FWD', () => {
    const lines = save(egress.replace('plugin: canal', 'plugin: canal, ipMasq: false'), 'node-1')
    expect(lines.join('\n')).not.toContain('FLANNEL-POSTRTG')
    expect(lines).toContain(':FLANNEL-FWD - [0:0]')
  })

  it("masquerades a Pod's call to the Internet by FLANNEL-POSTRTG, before felix's chain is reached", () => {
    const t = traceOf(egress)
    const masq = t.steps.find((s) => s.action === 'masquerade')!
    expect(masq.at).toMatchObject({ node: 'node-1', device: 'eth0', hook: 'POSTROUTING' })
    expect(masq.packet.l3!.src).toBe('192.168.1.11')
    const matched = masq.lookups.filter((l) => l.matched).map((l) => l.table)
    expect(matched).toContain('iptables -t nat FLANNEL-POSTRTG')
    expect(matched).not.toContain('iptables -t nat cali-nat-outgoing')
    expect(masq.explain.en).toContain('canal.yaml passes it')
    expect(masq.explain.en).toContain("felix's cali-nat-outgoing is not reached")
    expect(t.outcome).toBe('delivered')
  })

  it("masquerades by felix's cali-nat-outgoing (the kubeadm podSubnet pool) when flanneld runs without --ip-masq", () => {
    const t = traceOf(egress.replace('plugin: canal', 'plugin: canal, ipMasq: false'))
    const masq = t.steps.find((s) => s.action === 'masquerade')!
    expect(masq.lookups.filter((l) => l.matched).map((l) => l.table)).toContain(
      'iptables -t nat cali-nat-outgoing',
    )
    expect(masq.explain.en).toContain('cali40network-ip-pools')
    expect(masq.explain.en).not.toContain('FLANNEL-POSTRTG')
    expect(t.outcome).toBe('delivered')
  })

  it('leaves the Pod address untranslated, and loses the reply, with neither', () => {
    const t = traceOf(
      egress.replace('plugin: canal', 'plugin: canal, ipMasq: false, natOutgoing: false'),
    )
    expect(t.steps.some((s) => s.action === 'masquerade')).toBe(false)
    expect(t.outcome).toBe('dropped')
  })
})
