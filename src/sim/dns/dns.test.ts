import { describe, expect, it } from 'vitest'
import { build, traceOf } from '../../test/scenario.ts'
import { candidates, resolvConf } from './coredns.ts'

const yaml = (to: string) => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: dns}
spec:
  cni: {plugin: calico, backend: ipip}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop}
spec: {nodeName: node-1, containers: [{name: curl}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: {pod: shop/client}, to: "${to}"}
`

describe('cluster DNS', () => {
  it('gives a Pod the resolv.conf kubelet writes for dnsPolicy ClusterFirst, with kube-dns at the 10th address', () => {
    const { cluster } = build(yaml('http://web/'))
    expect(resolvConf(cluster, 'shop')).toEqual([
      'search shop.svc.cluster.local svc.cluster.local cluster.local',
      'nameserver 10.96.0.10',
      'options ndots:5',
    ])
  })

  it('expands short names through the search list first (ndots:5), and long ones as given first', () => {
    expect(candidates('web', 'shop', 'cluster.local')).toEqual([
      'web.shop.svc.cluster.local.',
      'web.svc.cluster.local.',
      'web.cluster.local.',
      'web.',
    ])
    expect(candidates('web.shop.svc.cluster.local', 'shop', 'cluster.local')[0]).toBe(
      'web.shop.svc.cluster.local.shop.svc.cluster.local.',
    )
    expect(candidates('a.b.c.d.e.f', 'shop', 'cluster.local')[0]).toBe('a.b.c.d.e.f.')
    expect(candidates('web.shop.svc.cluster.local.', 'shop', 'cluster.local')).toEqual([
      'web.shop.svc.cluster.local.',
    ])
  })

  it('resolves a short Service name on the first try, through the kube-dns Service to a CoreDNS Pod', () => {
    const t = traceOf(yaml('http://web/'))
    expect(t.outcome).toBe('delivered')
    const dns = t.steps.filter((s) => s.phase === 'dns')
    expect(dns[0]!.action).toBe('dns-query')
    expect(dns.filter((s) => s.action === 'dns-answer')).toHaveLength(1)
    const dnat = dns.find((s) => s.action === 'dnat')!
    expect(
      dnat.lookups.some(
        (l) =>
          l.matched &&
          l.rule.includes('"kube-system/kube-dns:dns cluster IP"') &&
          l.rule.includes('-d 10.96.0.10/32 -p udp'),
      ),
    ).toBe(true)
    const answer = dns.find((s) => s.action === 'dns-answer' && s.at.component === 'coredns')!
    expect(answer.at.pod).toMatch(/^kube-system\/coredns-/)
    expect(answer.lookups.at(-1)!.rule).toMatch(
      /^web\.shop\.svc\.cluster\.local\.\t30\tIN\tA\t10\.\d+\.\d+\.\d+$/,
    )
    // The answer reaches the client from the address it asked.
    const back = dns.at(-1)!
    expect(back).toMatchObject({ action: 'deliver', at: { pod: 'shop/client' } })
    expect(back.packet.l3!.src).toBe('10.96.0.10')
    // Then the connection goes to the address in the answer.
    const first = t.steps.find((s) => s.phase === 'request')!
    expect(answer.lookups.at(-1)!.rule.endsWith(first.packet.l3!.dst)).toBe(true)
  })

  it('pays NXDOMAIN round trips for a fully qualified name written without its final dot', () => {
    const t = traceOf(yaml('http://web.shop.svc.cluster.local/'))
    const misses = t.steps.filter(
      (s) =>
        s.action === 'dns-answer' &&
        s.packet.app?.protocol === 'dns' &&
        s.packet.app.status === 'NXDOMAIN',
    )
    expect(misses.map((s) => (s.packet.app as { question: string }).question)).toEqual([
      'web.shop.svc.cluster.local.shop.svc.cluster.local.',
      'web.shop.svc.cluster.local.svc.cluster.local.',
      'web.shop.svc.cluster.local.cluster.local.',
    ])
    expect(t.outcome).toBe('delivered')
  })
})
