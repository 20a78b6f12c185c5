import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Step, Trace } from '../../model/trace.ts'
import { nodeTables } from '../print/tables.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { trace } from '../trace.ts'
import { nftRulesTested } from '../walk/nft-narration.ts'
import { numgenRandom } from './nft-eval.ts'

/** A built-in lesson, switched to kube-proxy's nftables mode. */
function lesson(id: string): string {
  const yaml = readFileSync(new URL(`../../lessons/${id}.yaml`, import.meta.url), 'utf8')
  if (!yaml.includes('kubeProxy: { mode: iptables }')) throw new Error(`${id} is not iptables`)
  return yaml.replace('kubeProxy: { mode: iptables }', 'kubeProxy: { mode: nftables }')
}

const request = (t: Trace) => t.steps.filter((s) => s.phase === 'request')
const step = (t: Trace, action: string): Step | undefined =>
  request(t).find((s) => s.action === action)

describe('kube-proxy nftables mode in the packet walk', () => {
  it('DNATs a Pod-to-ClusterIP connection in PREROUTING through service-ips and a numgen vmap', () => {
    const t = traceOf(lesson('mode3-clusterip-iptables'), 'client-to-service')
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    expect(dnat.at.hook).toBe('PREROUTING')
    const rules = dnat.lookups.filter((l) => l.table.startsWith('nft'))
    expect(rules.map((l) => l.table)).toEqual([
      'nft ip kube-proxy filter-prerouting-pre-dnat',
      'nft ip kube-proxy firewall-check',
      'nft ip kube-proxy nat-prerouting',
      'nft ip kube-proxy services',
      'nft ip kube-proxy map service-ips',
      expect.stringMatching(/^nft ip kube-proxy service-[A-Z2-7]{8}-default\/web\/tcp\/http$/),
      expect.stringMatching(/service-[A-Z2-7]{8}-default\/web\/tcp\/http$/),
      expect.stringMatching(
        /endpoint-[A-Z2-7]{8}-default\/web\/tcp\/http__10\.244\.\d+\.\d+\/8080$/,
      ),
      expect.stringMatching(/endpoint-/),
    ])
    expect(rules[6]!.rule).toMatch(/^numgen random mod 3 vmap \{ 0 : goto endpoint-/)
    expect(rules[8]!.rule).toBe(`meta l4proto tcp dnat to ${dnat.packet.l3!.dst}:8080`)
    expect(nftRulesTested(dnat.lookups)).toBe(8)
    // No mark: the source is a Pod, so nothing is masqueraded on the way out.
    expect(step(t, 'masquerade')).toBeUndefined()
    expect(t.steps.some((s) => s.phase === 'reply' && s.action === 'unnat')).toBe(true)
  })

  it('marks and masquerades what the node itself sends to a ClusterIP, and un-NATs the reply', () => {
    const t = traceOf(lesson('mode3-clusterip-iptables'), 'node-to-service')
    expect(t.outcome).toBe('delivered')
    expect(step(t, 'dnat')!.at.hook).toBe('OUTPUT')
    const masq = step(t, 'masquerade')!
    expect(masq.lookups.filter((l) => l.table.startsWith('nft')).map((l) => l.rule)).toEqual([
      'jump masquerading',
      'meta mark & 0x00004000 == 0x00000000 return',
      'meta mark set meta mark ^ 0x00004000',
      'masquerade fully-random',
    ])
    const unnat = t.steps.filter((s) => s.phase === 'reply' && s.action === 'unnat')
    expect(unnat.map((s) => s.packet.l3!.dst)).toContain('192.168.1.12')
  })

  it('NodePort: service-nodeports sends the packet to the external chain, which marks it', () => {
    const t = traceOf(lesson('mode3-nodeport'))
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    const tables = dnat.lookups.map((l) => l.table)
    expect(tables).toContain('nft ip kube-proxy map service-nodeports')
    expect(tables.some((x) => /^nft ip kube-proxy external-[A-Z2-7]{8}-/.test(x))).toBe(true)
    expect(dnat.lookups.find((l) => l.table === 'nft ip kube-proxy services')!.matched).toBe(false)
    expect(step(t, 'masquerade')).toBeDefined()
  })

  it('hairpin: a Pod reaching itself through its Service is masqueraded', () => {
    const t = traceOf(lesson('mode3-hairpin'))
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    expect(dnat.packet.l3!.dst).toBe(dnat.packet.l3!.src)
    const marked = dnat.lookups.find((l) =>
      /^ip saddr [\d.]+ jump mark-for-masquerade$/.test(l.rule),
    )
    expect(marked?.matched).toBe(true)
    expect(step(t, 'masquerade')).toBeDefined()
  })

  it('REJECTs a Service with no endpoints through no-endpoint-services and reject-chain', () => {
    const t = traceOf(lesson('mode3-no-endpoints'))
    expect(t.outcome).toBe('rejected')
    const r = step(t, 'reject')!
    expect(r.lookups.map((l) => l.table)).toEqual([
      'nft ip kube-proxy filter-forward',
      'nft ip kube-proxy service-endpoints-check',
      'nft ip kube-proxy map no-endpoint-services',
      'nft ip kube-proxy reject-chain',
    ])
    expect(r.lookups[2]!.rule).toMatch(/ comment "default\/api:http" : goto reject-chain$/)
  })

  it('DROPs when internalTrafficPolicy is Local and the client node has no endpoint', () => {
    const yaml = lesson('mode3-clusterip-iptables')
      .replace('replicas: 3', 'replicas: 1')
      .replace(
        '    - { name: http, port: 80, targetPort: http }',
        '    - { name: http, port: 80, targetPort: http }\n  internalTrafficPolicy: Local',
      )
    expect(yaml).toContain('internalTrafficPolicy: Local')
    // The one replica lands on node-1; node-2 asks for the Service.
    const t = traceOf(yaml, 'node-to-service')
    expect(t.outcome).toBe('dropped')
    expect(t.reason).toBe('has no local endpoints')
    const d = step(t, 'drop')!
    expect(
      d.lookups.find((l) => l.table === 'nft ip kube-proxy map no-endpoint-services')!.rule,
    ).toMatch(/ : drop$/)
  })

  it('REJECTs a node port with no endpoints in filter input, through no-endpoint-nodeports', () => {
    const yaml = lesson('mode3-nodeport').replace(
      'selector: { app: web }',
      'selector: { app: nothing }',
    )
    expect(yaml).toContain('app: nothing')
    const t = traceOf(yaml)
    expect(t.outcome).toBe('rejected')
    const r = step(t, 'reject')!
    expect(r.at.hook).toBe('INPUT')
    expect(r.lookups.map((l) => l.rule)).toEqual([
      'ct state new jump nodeport-endpoints-check',
      'ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports',
      'tcp . 30080 comment "default/web" : goto reject-chain',
      'reject',
    ])
  })

  // proxier_test.go TestClusterIPGeneral: "svc1 does not accept svc2's ports" is REJECTed,
  // "packet to unallocated cluster ip" is DROPped.
  it('REJECTs a ClusterIP on a port no Service offers, DROPs an unallocated ClusterIP', () => {
    const base = lesson('mode3-clusterip-iptables')
    const { cluster } = build(base)
    const vip = cluster.services.find((x) => x.name === 'web')!.clusterIP!
    const to = (dst: string) =>
      base.replace(
        'from: { pod: default/client }\n  to: http://web.default.svc.cluster.local/',
        `from: { pod: default/client }\n  to: ${dst}`,
      )
    const ip = [vip >>> 24, (vip >>> 16) & 255, (vip >>> 8) & 255, vip & 255].join('.')
    const badPort = traceOf(to(`${ip}:81`), 'client-to-service')
    expect(badPort.outcome).toBe('rejected')
    expect(step(badPort, 'reject')!.lookups.at(-1)!.rule).toBe(
      'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
    )
    const unallocated = traceOf(to('10.100.0.99:80'), 'client-to-service')
    expect(unallocated.outcome).toBe('dropped')
    expect(step(unallocated, 'drop')!.lookups.at(-1)!.rule).toBe(
      'ip daddr 10.96.0.0/12 drop comment "Drop traffic to unallocated ClusterIPs"',
    )
  })

  it('sessionAffinity ClientIP: checks the affinity sets before the draw and records the client after', () => {
    const yaml = lesson('mode3-clusterip-iptables').replace(
      '    - { name: http, port: 80, targetPort: http }',
      '    - { name: http, port: 80, targetPort: http }\n  sessionAffinity: ClientIP',
    )
    expect(yaml).toContain('sessionAffinity: ClientIP')
    const rules = step(traceOf(yaml, 'client-to-service'), 'dnat')!.lookups.map((l) => l.rule)
    const checks = rules.filter((r) => r.startsWith('ip saddr @affinity-'))
    expect(checks).toHaveLength(3)
    const draw = rules.findIndex((r) => r.startsWith('numgen'))
    expect(rules.findIndex((r) => r.startsWith('ip saddr @affinity-'))).toBeLessThan(draw)
    expect(rules.findIndex((r) => r.startsWith('update @affinity-'))).toBeGreaterThan(draw)
  })

  it('picks each of three endpoints about equally often over 600 seeds', () => {
    const { cluster, scenario } = build(lesson('mode3-clusterip-iptables'))
    const traffic = scenario.traffic.find((x) => x.name === 'node-to-service')!
    const counts = new Map<string, number>()
    for (let seed = 0; seed < 600; seed++) {
      const dst = step(trace(cluster, traffic, { seed }), 'dnat')!.packet.l3!.dst
      counts.set(dst, (counts.get(dst) ?? 0) + 1)
    }
    expect(counts.size).toBe(3)
    // Binomial(600, 1/3): mean 200, sd 11.5; +-60 is more than 5 sd.
    for (const n of counts.values()) expect(Math.abs(n - 200)).toBeLessThan(60)
  })

  it('draws numgen as reciprocal_scale does: the top bits of u32 * N', () => {
    const at = (x: number) => ({ next: () => x, int: () => 0 })
    expect([0, 0.3333, 0.3334, 0.6666, 0.6667, 0.9999].map((x) => numgenRandom(at(x), 3))).toEqual([
      0, 0, 1, 1, 2, 2,
    ])
  })

  it('tests the same number of rules with 10 Services or 300', () => {
    const many = (n: number) => {
      const svcs = Array.from(
        { length: n },
        (_, i) => `---
apiVersion: v1
kind: Service
metadata: { name: svc-${i}, namespace: default }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]`,
      ).join('\n')
      const yaml = lesson('mode3-clusterip-iptables').replace(
        'kind: Traffic\nmetadata: { name: client-to-service }\nspec:\n  from: { pod: default/client }\n  to: http://web.default.svc.cluster.local/',
        `kind: Traffic\nmetadata: { name: client-to-service }\nspec:\n  from: { pod: default/client }\n  to: http://svc-${n - 1}.default.svc.cluster.local/`,
      )
      expect(yaml).toContain(`svc-${n - 1}.default`)
      const t = traceOf(`${yaml}\n${svcs}`, 'client-to-service')
      return nftRulesTested(step(t, 'dnat')!.lookups)
    }
    expect(many(10)).toBe(8)
    expect(many(300)).toBe(8)
  })

  it('podpath tables lists table ip kube-proxy, not iptables rules kube-proxy no longer keeps', () => {
    const { cluster } = build(lesson('mode3-clusterip-iptables'))
    const out = nodeTables(cluster, 'node-1')!
    expect(out).toContain('$ nft list table ip kube-proxy\ntable ip kube-proxy {\n')
    expect(out).not.toContain('iptables-save')
    expect(out).toMatch(
      /\t\tnumgen random mod 3 vmap \{ 0 : goto endpoint-[A-Z2-7]{8}-default\/web\/tcp\/http__/,
    )
  })
})
