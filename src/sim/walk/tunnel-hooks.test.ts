import { describe, expect, it } from 'vitest'
import type { Step } from '../../model/trace.ts'
import { computeGolden } from '../../cli/golden.ts'
import { LESSONS } from '../../lessons/catalog.ts'

/** The steps of a lesson's first trace, and the outer packet's rules on each, by step. */
function outerRules(id: string) {
  const steps = computeGolden(LESSONS.find((l) => l.id === id)!).traces[0]!.steps
  const on = (s: Step) => s.lookups.filter((l) => l.outer).map((l) => `${l.table} ${l.rule}`)
  return { steps, on }
}

const natOutput = 'iptables -t nat OUTPUT'
const natPrerouting = 'iptables -t nat PREROUTING'
const ctNew = '--ctstate NEW'

describe("a tunnel's outer packet at the node's netfilter hooks", () => {
  it('goes through OUTPUT and POSTROUTING where it leaves, PREROUTING and INPUT where it arrives', () => {
    const { steps, on } = outerRules('mode2-calico-vxlan')
    const marked = steps.filter((s) => on(s).length > 0)
    // Its rules go on steps already there: the outer packet's route and the decapsulation.
    expect(marked.map((s) => [s.phase, s.action, s.at.node])).toEqual([
      ['request', 'route', 'node-1'],
      ['request', 'decapsulate', 'node-2'],
      ['reply', 'route', 'node-2'],
      ['reply', 'decapsulate', 'node-1'],
    ])
    const send = on(marked[0]!)
    expect(send.some((r) => r.startsWith(natOutput))).toBe(true)
    expect(send.some((r) => r.startsWith('iptables -t filter OUTPUT'))).toBe(true)
    expect(send.some((r) => r.startsWith('iptables -t nat POSTROUTING'))).toBe(true)
    const receive = on(marked[1]!)
    expect(receive.some((r) => r.startsWith(natPrerouting))).toBe(true)
    expect(receive.some((r) => r.startsWith('iptables -t filter INPUT'))).toBe(true)
    // The followed packet's own rules stay unmarked.
    expect(
      steps.some((s) => s.lookups.some((l) => l.table.startsWith('iptables') && !l.outer)),
    ).toBe(true)
  })

  it("is a flow of its own: VXLAN's reply is another UDP flow, so its first packet runs the nat table", () => {
    const { steps, on } = outerRules('mode2-calico-vxlan')
    const reply = steps.filter((s) => s.phase === 'reply' && on(s).length > 0)
    expect(on(reply[0]!).some((r) => r.startsWith(natOutput))).toBe(true)
    expect(on(reply[1]!).some((r) => r.startsWith(natPrerouting))).toBe(true)
  })

  it("IP-in-IP's reply belongs to the request's flow (no ports): no nat rules, no ctstate NEW", () => {
    const { steps, on } = outerRules('mode2-calico-ipip')
    const reply = steps.filter((s) => s.phase === 'reply' && on(s).length > 0)
    expect(reply.length).toBe(2)
    for (const s of reply) {
      expect(on(s).length).toBeGreaterThan(0)
      expect(on(s).filter((r) => r.startsWith('iptables -t nat') || r.includes(ctNew))).toEqual([])
    }
    const request = steps.filter((s) => s.phase === 'request' && on(s).length > 0)
    expect(on(request[0]!).some((r) => r.startsWith(natOutput))).toBe(true)
  })
})
