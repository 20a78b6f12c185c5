import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LESSONS_DIR } from '../../cli/golden.ts'
import { formatIp } from '../../model/ipv4.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { trace } from '../trace.ts'

const scenario = (extra = '', replicas = 3, from = '{pod: client}') => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: svc}
spec:
  cni: {plugin: flannel, backend: vxlan}
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
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
${extra}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: ${from}, to: "http://web/"}
`

describe('Services: addresses and endpoints', () => {
  const { cluster } = build(scenario())
  const web = cluster.services.find((s) => s.name === 'web')!

  it('gives default/kubernetes the first address of the service CIDR', () => {
    expect(formatIp(cluster.services.find((s) => s.name === 'kubernetes')!.clusterIP!)).toBe(
      '10.96.0.1',
    )
  })

  it('allocates other ClusterIPs above the static band of the service CIDR (KEP-3070)', () => {
    expect(web.clusterIP! - cluster.decl.serviceCIDR.base).toBeGreaterThanOrEqual(256)
  })

  it('derives endpoints from the selector, resolving the named targetPort, in address order', () => {
    const eps = web.ports[0]!.endpoints
    expect(eps).toHaveLength(3)
    expect(eps.every((e) => e.port === 8080)).toBe(true)
    expect(eps.map((e) => e.ip)).toEqual([...eps.map((e) => e.ip)].sort((a, b) => a - b))
  })
})

describe('pod to ClusterIP Service, kube-proxy iptables mode', () => {
  it('DNATs in PREROUTING on the client node to one endpoint, showing every rule tested', () => {
    const t = traceOf(scenario())
    expect(t.outcome).toBe('delivered')
    const dnat = t.steps.find((s) => s.action === 'dnat' && s.phase === 'request')!
    expect(dnat.at).toMatchObject({ node: 'node-1', hook: 'PREROUTING', device: 'cni0' })
    expect(dnat.changed).toEqual(['l3.dst', 'l4.dstPort'])
    expect(dnat.packet.l4!.dstPort).toBe(8080)
    const rules = dnat.lookups.map((l) => l.rule)
    expect(rules[0]).toBe(
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    )
    expect(
      dnat.lookups.find(
        (l) =>
          l.matched &&
          l.rule.includes('"default/web:http cluster IP"') &&
          l.rule.startsWith('-A KUBE-SERVICES'),
      ),
    ).toBeDefined()
    expect(dnat.lookups.find((l) => l.rule.includes('-j DNAT --to-destination'))!.matched).toBe(
      true,
    )
    expect(dnat.lookups.at(-1)!.rule).toMatch(
      /^tcp {6}6 120 SYN_SENT src=10\.244\.0\.2 dst=10\.\d+\.\d+\.\d+ sport=\d+ dport=80 \[UNREPLIED\] src=10\.244\.\d+\.\d+ dst=10\.244\.0\.2 sport=8080 dport=\d+ mark=0 use=1$/,
    )
  })

  it('un-DNATs the reply from conntrack: the client sees the ClusterIP answer', () => {
    const t = traceOf(scenario())
    const vip = t.steps.find((s) => s.phase === 'request')!.packet.l3!.dst
    const unnat = t.steps.find((s) => s.action === 'unnat' && s.phase === 'reply')!
    expect(unnat.at.node).toBe('node-1')
    expect(unnat.packet.l3!.src).toBe(vip)
    expect(unnat.packet.l4!.srcPort).toBe(80)
    const last = t.steps.at(-1)!
    expect(last).toMatchObject({ action: 'deliver', at: { pod: 'default/client' } })
    expect(last.packet.l3!.src).toBe(vip)
  })

  it('chooses each of three endpoints about a third of the time over seeds, as the statistic match does', () => {
    const counts = new Map<string, number>()
    const runs = 600
    const { cluster, scenario: s } = build(scenario())
    for (let seed = 0; seed < runs; seed++) {
      const t = trace(cluster, s.traffic[0]!, { seed })
      const ip = t.steps.find((x) => x.action === 'dnat' && x.phase === 'request')!.packet.l3!.dst
      counts.set(ip, (counts.get(ip) ?? 0) + 1)
    }
    expect(counts.size).toBe(3)
    for (const n of counts.values()) expect(Math.abs(n / runs - 1 / 3)).toBeLessThan(0.06)
  })

  it('REJECTs a Service without endpoints in filter FORWARD', () => {
    const t = traceOf(scenario('', 0))
    expect(t.outcome).toBe('rejected')
    const last = t.steps.at(-1)!
    expect(last).toMatchObject({ action: 'reject', at: { hook: 'FORWARD', node: 'node-1' } })
    expect(
      last.lookups.find((l) => l.matched && l.rule.includes('has no endpoints'))!.rule,
    ).toMatch(/-j REJECT --reject-with icmp-port-unreachable$/)
  })

  it('masquerades traffic from a node (its address is outside the cluster CIDR)', () => {
    const t = traceOf(scenario('', 1, '{node: node-1}'))
    expect(t.outcome).toBe('delivered')
    expect(t.steps.find((s) => s.action === 'dnat')!.at.hook).toBe('OUTPUT')
    const masq = t.steps.find((s) => s.action === 'masquerade')!
    expect(masq.at).toMatchObject({ hook: 'POSTROUTING', device: 'cni0' })
    expect(masq.packet.l3!.src).toBe('10.244.0.1')
    expect(
      masq.lookups.some((l) => l.rule.includes('MASQUERADE --random-fully') && l.matched),
    ).toBe(true)
    expect(t.steps.at(-1)!.packet.l3!.src).toBe(t.steps[0]!.packet.l3!.dst)
  })
})

describe('NodePort Service, externalTrafficPolicy Cluster', () => {
  const yaml = readFileSync(join(LESSONS_DIR, 'mode3-nodeport.yaml'), 'utf8')

  it('DNATs on the called node through KUBE-NODEPORTS and KUBE-EXT, masquerading to reach another node', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const dnat = t.steps.find((s) => s.action === 'dnat')!
    expect(dnat.at).toMatchObject({ node: 'node-2', hook: 'PREROUTING' })
    expect(
      dnat.lookups.some(
        (l) =>
          l.matched &&
          l.rule.startsWith(
            '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-EXT-',
          ),
      ),
    ).toBe(true)
    expect(
      dnat.lookups.some(
        (l) =>
          l.matched &&
          /^-A KUBE-EXT-\w+ -m comment --comment "masquerade traffic for default\/web external destinations" -j KUBE-MARK-MASQ$/.test(
            l.rule,
          ),
      ),
    ).toBe(true)
    const masq = t.steps.find((s) => s.action === 'masquerade')!
    expect(masq.at.node).toBe('node-2')
    // The reply returns through node-2, which undoes both translations.
    const unnat = t.steps.filter((s) => s.action === 'unnat')
    expect(unnat.map((s) => s.at.node)).toEqual(['node-2', 'node-2'])
    const last = t.steps.at(-1)!
    expect(last.packet.l3).toMatchObject({ src: '192.168.1.12', dst: '192.168.1.11' })
    expect(last.packet.l4!.srcPort).toBe(30080)
  })
})

describe('hairpin: a Pod calling its own Service', () => {
  const yaml = readFileSync(join(LESSONS_DIR, 'mode3-hairpin.yaml'), 'utf8')

  it('masquerades and sends the frame back out its own bridge port when hairpin mode is on', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const req = t.steps.filter((s) => s.phase === 'request')
    const masq = req.find((s) => s.action === 'masquerade')!
    expect(masq.packet.l3!.src).toBe('10.244.0.1')
    const dnat = req.find((s) => s.action === 'dnat')!
    expect(
      dnat.lookups.some(
        (l) =>
          l.matched &&
          /^-A KUBE-SEP-\w+ -s 10\.244\.0\.2\/32 -m comment --comment "default\/web" -j KUBE-MARK-MASQ$/.test(
            l.rule,
          ),
      ),
    ).toBe(true)
    expect(
      req.find((s) => s.action === 'bridge' && s.explain.en.includes('hairpin mode')),
    ).toBeDefined()
  })

  it('drops it at the bridge when hairpin mode is off', () => {
    const t = traceOf(yaml.replace(/plugin: flannel, backend: vxlan/, 'plugin: bridge'))
    expect(t).toMatchObject({ outcome: 'dropped', reason: { en: 'hairpin mode off' } })
    expect(t.steps.at(-1)!.explain.en).toMatch(/the DNAT picked the Pod itself/)
  })
})
