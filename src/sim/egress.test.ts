import { describe, expect, it } from 'vitest'
import { traceOf } from '../test/scenario.ts'

/** A Pod on node-1 calling a host on the Internet, with flannel VXLAN. */
function egress(
  cni = '{plugin: flannel, backend: vxlan}',
  to = 'https://api.github.com/',
  kubeProxy = 'iptables',
) {
  return `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cni: ${cni}
  kubeProxy: {mode: ${kubeProxy}}
  upstreamDNS: 192.168.1.1
  externalHosts:
    - {name: api.github.com, ip: 140.82.112.6}
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
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: out}
spec:
  from: {pod: default/client}
  to: ${to}
`
}

describe('a Pod calling a host on the Internet, flannel with --ip-masq', () => {
  const t = traceOf(egress())
  const request = t.steps.filter((s) => s.phase === 'request')
  const reply = t.steps.filter((s) => s.phase === 'reply')

  it('resolves the name through CoreDNS, which forwards it to the nameserver of its node', () => {
    const forward = t.steps.find((s) => s.action === 'dns-answer' && s.at.component === 'coredns')!
    expect(forward.lookups.map((l) => l.rule)).toEqual([
      'forward . /etc/resolv.conf',
      'nameserver 192.168.1.1',
      'api.github.com.\t30\tIN\tA\t140.82.112.6',
    ])
    // The search list is tried first: "api.github.com" has 2 dots, fewer than ndots:5.
    const misses = t.steps.filter(
      (s) =>
        s.action === 'dns-answer' &&
        s.packet.app?.protocol === 'dns' &&
        s.packet.app.status === 'NXDOMAIN',
    )
    expect(misses).toHaveLength(3)
    expect(t.dialled).toEqual({ ip: '140.82.112.6', port: 443 })
  })

  it("masquerades on node-1's eth0 with FLANNEL-POSTRTG's MASQUERADE rule, to the node's address", () => {
    const masq = request.find((s) => s.action === 'masquerade')!
    expect(masq.at).toMatchObject({ node: 'node-1', device: 'eth0', hook: 'POSTROUTING' })
    expect(masq.packet.l3!.src).toBe('192.168.1.11')
    expect(masq.lookups.filter((l) => l.matched).map((l) => l.rule)).toContain(
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    )
    const ct = masq.lookups.find((l) => l.table === 'conntrack -L')!.rule
    expect(ct).toMatch(
      /src=10\.244\.0\.2 dst=140\.82\.112\.6 sport=\d+ dport=443 \[UNREPLIED\] src=140\.82\.112\.6 dst=192\.168\.1\.11 sport=443/,
    )
  })

  it("shows the Internet host the node's address and never the Pod's", () => {
    const got = request.at(-1)!
    expect(got).toMatchObject({ action: 'deliver', at: { component: 'internet' } })
    expect(got.packet.l3!.src).toBe('192.168.1.11')
    expect(t.endpoint).toMatchObject({ pod: null, node: '', ip: '140.82.112.6', port: 443 })
  })

  it('un-SNATs the reply by conntrack at PREROUTING on node-1 and delivers it to the Pod', () => {
    expect(reply[0]!.packet.l3).toMatchObject({ src: '140.82.112.6', dst: '192.168.1.11' })
    const unnat = reply.find((s) => s.action === 'unnat')!
    expect(unnat.at).toMatchObject({ node: 'node-1', device: 'eth0', hook: 'PREROUTING' })
    expect(unnat.packet.l3!.dst).toBe('10.244.0.2')
    expect(t.outcome).toBe('delivered')
    expect(reply.at(-1)).toMatchObject({ action: 'deliver', at: { pod: 'default/client' } })
  })

  it('loses the connection without --ip-masq: the Pod address cannot come back from the Internet', () => {
    const off = traceOf(egress('{plugin: flannel, backend: vxlan, ipMasq: false}'))
    expect(off.steps.some((s) => s.action === 'masquerade')).toBe(false)
    expect(off.outcome).toBe('dropped')
    expect(off.reason!.en).toBe('private source address')
    expect(off.steps.at(-1)!.packet.l3!.src).toBe('10.244.0.2')
  })

  it('takes an address of the Internet as an egress request too, with no DNS', () => {
    const byIp = traceOf(egress(undefined, '140.82.112.6:443'))
    expect(byIp.steps.some((s) => s.phase === 'dns')).toBe(false)
    expect(byIp.outcome).toBe('delivered')
    expect(byIp.steps.find((s) => s.action === 'masquerade')!.packet.l3!.src).toBe('192.168.1.11')
  })
})

describe('the same egress with kube-proxy in nftables mode: flanneld still writes iptables', () => {
  // flanneld's traffic manager is iptables unless net-conf.json sets EnableNFTables (main.go
  // newTrafficManager); kube-proxy keeps its own `table ip kube-proxy`. Both hook the node.
  const t = traceOf(egress(undefined, undefined, 'nftables'))
  const request = t.steps.filter((s) => s.phase === 'request')

  it("accepts the request in flanneld's FLANNEL-FWD and kube-proxy's filter-forward alike", () => {
    const forward = request.find(
      (s) => s.at.node === 'node-1' && s.lookups.some((l) => l.table.includes('filter-forward')),
    )!
    const tables = forward.lookups.map((l) => l.table)
    // iptables-nft's FORWARD chain ties with filter-forward at priority 0 and was registered
    // later, so it runs first.
    expect(tables.indexOf('iptables -t filter FLANNEL-FWD')).toBeGreaterThanOrEqual(0)
    expect(tables.indexOf('iptables -t filter FLANNEL-FWD')).toBeLessThan(
      tables.indexOf('nft ip kube-proxy filter-forward'),
    )
  })

  it("masquerades on node-1's eth0 with FLANNEL-POSTRTG, not with kube-proxy's nat-postrouting", () => {
    const masq = request.find((s) => s.action === 'masquerade')!
    expect(masq.at).toMatchObject({ node: 'node-1', device: 'eth0', hook: 'POSTROUTING' })
    expect(masq.packet.l3!.src).toBe('192.168.1.11')
    expect(masq.lookups.filter((l) => l.matched).map((l) => l.rule)).toContain(
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    )
    // The first nat chain that translates ends the hook: kube-proxy's never runs for it.
    expect(masq.lookups.some((l) => l.table.startsWith('nft '))).toBe(false)
    expect(t.outcome).toBe('delivered')
  })
})
