import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Trace } from '../../model/trace.ts'
import { rewritesOf } from './rewrites.ts'

const LESSONS_DIR = join(import.meta.dirname, '..', '..', 'lessons')

function golden(id: string, traffic = 0): Trace {
  return JSON.parse(readFileSync(join(LESSONS_DIR, `${id}.golden.json`), 'utf8')).traces[traffic]
}

const rewritesAt = (t: Trace, i: number) =>
  rewritesOf(t.steps[i - 1]?.packet ?? null, t.steps[i]!.packet, t.steps[i]!.changed)

describe('the fields a step rewrote, as the packet shows them', () => {
  const ipt = golden('mode3-clusterip-iptables')

  it('names the destination a DNAT wrote, with the address before and after', () => {
    const step = ipt.steps.findIndex((s) => s.action === 'dnat' && s.phase === 'request')
    const prev = ipt.steps[step - 1]!.packet
    const now = ipt.steps[step]!.packet
    expect(rewritesAt(ipt, step)).toEqual([
      { field: 'l3.dst', from: prev.l3!.dst, to: now.l3!.dst },
      { field: 'l4.dstPort', from: String(prev.l4!.dstPort), to: String(now.l4!.dstPort) },
    ])
    // The Service's ClusterIP before, a Pod's address after.
    expect(prev.l3!.dst).not.toBe(now.l3!.dst)
  })

  it('names the source that conntrack gives back on the reply', () => {
    const step = ipt.steps.findIndex((s) => s.action === 'unnat' && s.phase === 'reply')
    expect(rewritesAt(ipt, step).map((r) => r.field)).toEqual(['l3.src', 'l4.srcPort'])
  })

  it('leaves TTL, MAC addresses and the outer header to the packet panel and the envelope', () => {
    const vx = golden('mode2-flannel-vxlan')
    for (const [i, s] of vx.steps.entries())
      if (s.changed.every((c) => c.startsWith('l2') || c === 'l3.ttl' || c.startsWith('outer')))
        expect(rewritesAt(vx, i), `step ${i}: ${s.changed.join(',')}`).toEqual([])
  })

  it('is no rewrite when a process starts a packet of its own', () => {
    // The DNS query's first IP header: l3 and l4 appear, nothing is rewritten.
    const step = ipt.steps.findIndex((s) => s.changed.includes('l3'))
    expect(ipt.steps[step - 1]!.packet.l3).toBe(null)
    expect(rewritesAt(ipt, step).filter((r) => r.field.startsWith('l'))).toEqual([])
  })

  it('counts the HTTP headers a proxy set, and names the address it sends from', () => {
    const cap = golden('mode4-capstone')
    const step = cap.steps.findIndex((s) => s.changed.includes('app.headers.Host'))
    const rw = rewritesAt(cap, step)
    expect(rw.at(-1)).toEqual({
      field: 'app.headers',
      count: cap.steps[step]!.changed.filter((c) => c.startsWith('app.headers.')).length,
    })
    expect(rw.map((r) => r.field)).toContain('l3.src')
  })

  it('shows a DNS answer that had no value before', () => {
    const cap = golden('mode4-capstone')
    const step = cap.steps.findIndex((s) => s.changed.includes('app.answers.0'))
    const answer = rewritesAt(cap, step).find((r) => r.field === 'app.answers.0')
    expect(answer).toEqual({
      field: 'app.answers.0',
      from: null,
      to: (cap.steps[step]!.packet.app as { answers: string[] }).answers[0],
    })
  })

  it('is empty when nothing changed', () => {
    expect(rewritesAt(ipt, 0)).toEqual([])
  })
})
