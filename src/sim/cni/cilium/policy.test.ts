import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../../cli/load.ts'
import { build, traceOf } from '../../../test/scenario.ts'
import { fmtIdentity, hubbleCompact } from './hubble.ts'
import { podIdentity } from './identity.ts'

const lesson = readFileSync(
  new URL('../../../lessons/mode2-policy-cilium.yaml', import.meta.url),
  'utf8',
)
const { cluster } = build(lesson)
const id = (name: string) =>
  podIdentity(
    cluster,
    cluster.pods.find((p) => p.name === name)!,
  )!.id

describe('NetworkPolicy enforced by Cilium: an allow-from-label policy on the web Pod', () => {
  it("carries the sender's security identity in the VXLAN VNI, both ways", () => {
    const t = traceOf(lesson, 'from-frontend')
    const vnis = t.steps
      .filter((s) => s.action === 'encapsulate')
      .map((s) => [s.phase, s.packet.outer!.vni])
    expect(vnis).toEqual([
      ['request', id('frontend')],
      ['reply', id('web')],
    ])
  })

  it('lets the frontend client in: the policy map has an entry for its identity on TCP 80, and Hubble shows it forwarded to the endpoint', () => {
    const t = traceOf(lesson, 'from-frontend')
    expect(t.outcome).toBe('delivered')
    const step = t.steps.find((s) =>
      s.lookups.some((l) => l.table.startsWith('Cilium policy map')),
    )!
    expect(step.at).toMatchObject({ node: 'node-2', component: 'cilium' })
    expect(step.lookups[0]!.rule).toMatch(/^cilium_vxlan\(\d+\) tcx\/ingress cil_from_overlay$/)
    const map = step.lookups.find((l) => l.table.startsWith('Cilium policy map'))!
    expect(map.table).toBe(`Cilium policy map of default/web (identity ${id('web')})`)
    expect(map.rule).toBe(
      `ingress identity=${id('frontend')} dport=80 protocol=TCP -> allow (NetworkPolicy default/allow-from-frontend, ingress rule 1)`,
    )
    expect(step.lookups.find((l) => l.table === 'hubble observe')!.rule).toMatch(
      new RegExp(
        `: default/frontend:\\d+ \\(ID:${id('frontend')}\\) -> default/web:80 \\(ID:${id('web')}\\) to-endpoint FORWARDED \\(TCP Flags: SYN\\)$`,
      ),
    )
    expect(step.explain.en).toContain(`VNI of the tunnel key, ${id('frontend')}`)
    expect(step.explain['zh-CN']).toContain('NetworkPolicy default/allow-from-frontend')
  })

  it('lets the reply back by conntrack, with no policy lookup', () => {
    const t = traceOf(lesson, 'from-frontend')
    const reply = t.steps.filter((s) => s.phase === 'reply')
    expect(reply.some((s) => s.lookups.some((l) => l.table.startsWith('Cilium policy map')))).toBe(
      false,
    )
    expect(reply.at(-1)!.action).toBe('deliver')
  })

  it('drops the other client at the web endpoint, "Policy denied", naming the policy and the identity, in both languages', () => {
    const t = traceOf(lesson, 'from-other')
    expect(t.outcome).toBe('dropped')
    const drop = t.steps.at(-1)!
    expect(drop.action).toBe('drop')
    expect(drop.at).toMatchObject({ node: 'node-2', device: 'cilium_vxlan', component: 'cilium' })
    // The endpoint's line in `cilium-dbg endpoint list` (ingress Enabled), then its policy map.
    expect(drop.lookups.map((l) => l.rule)).toEqual([
      expect.stringMatching(new RegExp(`^\\d+ +Enabled +Disabled +${id('web')} +k8s:app=web `)),
      `ingress identity=${id('other')} dport=80 protocol=TCP -> no entry: DROP_POLICY (Policy denied)`,
      expect.stringMatching(
        new RegExp(
          `: default/other:\\d+ \\(ID:${id('other')}\\) <> default/web:80 \\(ID:${id('web')}\\) Policy denied DROPPED \\(TCP Flags: SYN\\)$`,
        ),
      ),
    ])
    expect(t.reason?.en).toBe(
      'NetworkPolicy default/allow-from-frontend: no rule allows ingress from default/other for default/web (Cilium: Policy denied)',
    )
    expect(drop.explain.en).toContain(`identity ${id('other')}`)
    expect(drop.explain['zh-CN']).toContain('Policy denied')
    expect(drop.explain['zh-CN']).toContain('default/allow-from-frontend')
  })

  it('drops on egress at the source endpoint, in cil_from_container, when a policy isolates the client', () => {
    const egress = `${lesson}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-egress, namespace: default }
spec:
  podSelector:
    matchLabels: { role: frontend }
  policyTypes: [Egress]
`
    const t = traceOf(egress, 'from-frontend')
    expect(t.outcome).toBe('dropped')
    const drop = t.steps.at(-1)!
    expect(drop.at).toMatchObject({ node: 'node-1', component: 'cilium', hook: 'tc ingress' })
    expect(drop.at.device).toMatch(/^lxc/)
    expect(drop.lookups[0]!.rule).toMatch(
      new RegExp(`^\\d+ +Disabled +Enabled +${id('frontend')} `),
    )
    expect(drop.lookups[1]!.rule).toBe(
      `egress identity=${id('web')} dport=80 protocol=TCP -> no entry: DROP_POLICY (Policy denied)`,
    )
    expect(drop.explain.en).toContain('cil_from_container')
    expect(drop.explain.en).toContain('default deny')
    expect(t.steps.some((s) => s.action === 'encapsulate')).toBe(false)
  })

  it('reports no "not enforced" warning for a NetworkPolicy on Cilium any more', () => {
    const { diagnostics } = loadScenarioSource(lesson, 'mode2-policy-cilium.yaml')
    expect(diagnostics.map((d) => d.message.en)).toEqual([])
  })
})

describe("Hubble's compact line (hubble/pkg/printer WriteProtoFlow)", () => {
  const end = (pod: string | null, ip: string, port: number, identity: number) => ({
    pod,
    ip,
    port,
    identity,
  })
  it('names reserved identities, and numbers the others as ID:n', () => {
    expect([fmtIdentity(1), fmtIdentity(2), fmtIdentity(6), fmtIdentity(4242)]).toEqual([
      '(host)',
      '(world)',
      '(remote-node)',
      '(ID:4242)',
    ])
  })
  it('flips a reply, and prints <> when the direction is unknown', () => {
    const f = {
      src: end('a/b', '10.0.0.1', 40000, 300),
      dst: end(null, '10.0.0.2', 80, 2),
      type: 'to-endpoint',
      verdict: 'FORWARDED' as const,
      summary: 'TCP Flags: SYN',
    }
    expect(hubbleCompact({ ...f, isReply: false })).toBe(
      'Jan  1 00:00:00.000: a/b:40000 (ID:300) -> 10.0.0.2:80 (world) to-endpoint FORWARDED (TCP Flags: SYN)',
    )
    expect(hubbleCompact({ ...f, isReply: true })).toBe(
      'Jan  1 00:00:00.000: 10.0.0.2:80 (world) <- a/b:40000 (ID:300) to-endpoint FORWARDED (TCP Flags: SYN)',
    )
    expect(hubbleCompact({ ...f, isReply: null })).toContain(' <> ')
  })
})
