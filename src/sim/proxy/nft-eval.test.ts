import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Step, Trace } from '../../model/trace.ts'
import { nodeTables } from '../print/tables.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { trace } from '../trace.ts'
import { nftRulesTested } from './nft-narration.ts'
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
    const step0 = step(t, 'reject')!
    // The lesson runs Calico: felix's iptables FORWARD rules run beside the table and are shown
    // too (its chains, not kube-proxy's); kube-proxy's own account is the nft lookups.
    const r = { ...step0, lookups: step0.lookups.filter((l) => l.table.startsWith('nft ')) }
    // What rejected it first; then the rules it passed on this node before (nat prerouting).
    expect(r.lookups.slice(0, 4).map((l) => l.table)).toEqual([
      'nft ip kube-proxy filter-forward',
      'nft ip kube-proxy service-endpoints-check',
      'nft ip kube-proxy map no-endpoint-services',
      'nft ip kube-proxy reject-chain',
    ])
    expect(r.lookups[2]!.rule).toMatch(/ comment "default\/api:http" : goto reject-chain$/)
    expect(r.lookups.slice(4).map((l) => [l.table, l.rule, l.matched])).toEqual([
      ['nft ip kube-proxy filter-prerouting-pre-dnat', 'ct state new jump firewall-check', true],
      ['nft ip kube-proxy nat-prerouting', 'jump services', true],
    ])
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
    expect(t.reason?.en).toBe('has no local endpoints')
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
      // Passed before, at prerouting: the firewall check and the services map found nothing.
      'ct state new jump firewall-check',
      'jump services',
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
    const rejected = step(badPort, 'reject')!.lookups.filter((l) => l.matched)
    expect(rejected.map((l) => l.rule)).toContain(
      'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
    )
    const unallocated = traceOf(to('10.100.0.99:80'), 'client-to-service')
    expect(unallocated.outcome).toBe('dropped')
    const dropped = step(unallocated, 'drop')!.lookups.filter((l) => l.matched)
    expect(dropped.map((l) => l.rule)).toContain(
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

  it("podpath tables lists table ip kube-proxy, and in iptables only flanneld's rules, none of kube-proxy's", () => {
    const { cluster } = build(lesson('mode3-clusterip-iptables'))
    const out = nodeTables(cluster, 'node-1')!
    expect(out).toContain('$ nft list table ip kube-proxy\ntable ip kube-proxy {\n')
    const save = out.slice(out.indexOf('$ iptables-save'), out.indexOf('$ nft list'))
    expect(save).toContain('-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD')
    expect(save).toContain('-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG')
    expect(save).not.toContain('KUBE-')
    expect(out).toMatch(
      /\t\tnumgen random mod 3 vmap \{ 0 : goto endpoint-[A-Z2-7]{8}-default\/web\/tcp\/http__/,
    )
  })
})

/** A client on node-1, web Pods (app: web) and Service `web` of the given spec, in nftables mode. */
const svcScenario = (o: { svc: string; to: string; pods?: string; replicas?: number }) => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: nft-types}
spec:
  cni: {plugin: flannel, backend: vxlan}
  kubeProxy: {mode: nftables}
  cloud: generic
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: curl}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${o.replicas ?? 2}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, ports: [{name: http, containerPort: 8080}]}]}
${o.pods ?? ''}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
${o.svc}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: {pod: client}, to: "${o.to}"}
`

const nftTables = (s: Step) =>
  s.lookups.filter((l) => l.table.startsWith('nft ')).map((l) => l.table)
const matchedRules = (s: Step) => s.lookups.filter((l) => l.matched).map((l) => l.rule)

describe('nftables mode: LoadBalancer, external IPs, source ranges, readiness', () => {
  it('LB IP from a Pod: service-ips sends it to the external chain on the client node; it never leaves for the cloud LB', () => {
    const t = traceOf(lesson('mode3-loadbalancer'))
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    expect(dnat.at).toMatchObject({ node: 'node-1', hook: 'PREROUTING' })
    expect(nftTables(dnat)).toContain('nft ip kube-proxy map service-ips')
    expect(matchedRules(dnat)).toContainEqual(
      expect.stringMatching(
        /^198\.51\.100\.1 \. tcp \. 80 : goto external-[A-Z2-7]{8}-default\/web\/tcp\/http$/,
      ),
    )
    // externalTrafficPolicy Cluster: the external chain marks the packet, postrouting masquerades.
    expect(matchedRules(dnat)).toContain('jump mark-for-masquerade')
    expect(step(t, 'masquerade')).toBeDefined()
    // Every step that still carries the LB IP as destination is on the client's node.
    const toLb = request(t).filter((s) => s.packet.l3?.dst === '198.51.100.1')
    expect(toLb.length).toBeGreaterThan(0)
    expect(new Set(toLb.map((s) => s.at.node))).toEqual(new Set(['node-1']))
    expect(dnat.explain.en).toMatch(/never travels to the cloud load balancer/)
    expect(dnat.explain['zh-CN']).toMatch(/负载均衡器 IP/)
  })

  it('external IP: captured through service-ips and the external chain', () => {
    const t = traceOf(
      svcScenario({ svc: '  externalIPs: [192.168.1.100]', to: 'http://192.168.1.100/' }),
    )
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    expect(matchedRules(dnat)).toContainEqual(
      expect.stringMatching(/^192\.168\.1\.100 \. tcp \. 80 : goto external-/),
    )
    expect(dnat.explain.en).toMatch(/an external IP of Service default\/web \(spec\.externalIPs\)/)
    expect(dnat.packet.l3!.dst).toMatch(/^10\.244\./)
  })

  it('loadBalancerSourceRanges: a source outside them is dropped before DNAT by the firewall chain', () => {
    const t = traceOf(lesson('mode3-source-ranges'))
    expect(t).toMatchObject({
      outcome: 'dropped',
      reason: { en: 'not in loadBalancerSourceRanges' },
    })
    const drop = t.steps.at(-1)!
    expect(drop.action).toBe('drop')
    expect(drop.at.hook).toBe('PREROUTING')
    expect(nftTables(drop)).toEqual([
      'nft ip kube-proxy filter-prerouting-pre-dnat',
      'nft ip kube-proxy firewall-check',
      'nft ip kube-proxy map firewall-ips',
      expect.stringMatching(/^nft ip kube-proxy firewall-[A-Z2-7]{8}-default\/admin\/tcp\/http$/),
    ])
    expect(drop.lookups.at(-1)).toMatchObject({
      rule: 'ip saddr != 203.0.113.0/24 drop',
      matched: true,
    })
    expect(step(t, 'dnat')).toBeUndefined()
  })

  it('loadBalancerSourceRanges: a source inside them passes the firewall chain and is DNATed', () => {
    const yaml = lesson('mode3-source-ranges').replace(
      'loadBalancerSourceRanges: [203.0.113.0/24]',
      'loadBalancerSourceRanges: [203.0.113.0/24, 10.244.0.0/16]',
    )
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    expect(dnat.lookups).toContainEqual(
      expect.objectContaining({
        rule: 'ip saddr != { 203.0.113.0/24, 10.244.0.0/16 } drop',
        matched: false,
      }),
    )
    expect(dnat.explain.en).toMatch(/fell off the end of that chain/)
  })

  it('externalTrafficPolicy Local: a Pod calling the LB IP is short-circuited to the cluster chain, unmarked', () => {
    const t = traceOf(
      svcScenario({
        svc: '  type: LoadBalancer\n  externalTrafficPolicy: Local',
        to: 'http://198.51.100.1/',
      }),
    )
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    const short = dnat.lookups.find((l) => l.rule.includes('short-circuit pod traffic'))!
    expect(short).toMatchObject({ matched: true })
    expect(short.rule).toMatch(/^ip saddr 10\.244\.0\.0\/16 goto service-/)
    expect(matchedRules(dnat)).not.toContain('jump mark-for-masquerade')
    expect(step(t, 'masquerade')).toBeUndefined()
    expect(dnat.explain.en).toMatch(/short-circuit pod traffic/)
  })

  it('leaves a not-ready endpoint out of the numgen vmap (mode3-not-ready)', () => {
    const t = traceOf(lesson('mode3-not-ready'), 'client-to-web')
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    expect(matchedRules(dnat)).toContainEqual(expect.stringMatching(/^numgen random mod 1 vmap/))
    expect(dnat.explain.en).toMatch(/web-b.*not ready/)
  })

  it('REJECTs through no-endpoint-services when every endpoint is not ready', () => {
    const t = traceOf(lesson('mode3-not-ready'), 'client-to-reports')
    expect(t).toMatchObject({ outcome: 'rejected', reason: { en: 'service has no endpoints' } })
    const last = t.steps.at(-1)!
    expect(matchedRules(last)).toContainEqual(
      expect.stringMatching(/comment "default\/reports:http" : goto reject-chain$/),
    )
    expect(last.explain.en).toMatch(/lists default\/reports, but with condition ready: false/)
  })

  it('falls back to a terminating endpoint that still serves when none is ready', () => {
    const leaving = `---
apiVersion: v1
kind: Pod
metadata: {name: web-leaving, labels: {app: web}, deletionTimestamp: "2026-01-01T00:00:00Z"}
spec: {nodeName: node-2, containers: [{name: nginx, ports: [{name: http, containerPort: 8080}]}]}
status:
  conditions: [{type: Ready, status: "True"}]`
    const t = traceOf(svcScenario({ svc: '', to: 'http://web/', replicas: 0, pods: leaving }))
    expect(t.outcome).toBe('delivered')
    const dnat = step(t, 'dnat')!
    expect(matchedRules(dnat)).toContainEqual(expect.stringMatching(/^numgen random mod 1 vmap/))
    expect(dnat.explain.en).toMatch(/terminating but still serving/)
  })
})
