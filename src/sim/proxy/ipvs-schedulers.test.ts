import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LESSONS_DIR } from '../../cli/golden.ts'
import type { Trace } from '../../model/trace.ts'
import { build } from '../../test/scenario.ts'
import { trace } from '../trace.ts'
import { MH_TABLE_SIZE, maglev } from './ipvs-schedulers.ts'
import { virtualServices } from './ipvs.ts'

const lesson = readFileSync(join(LESSONS_DIR, 'mode3-clusterip-ipvs.yaml'), 'utf8')

function withScheduler(scheduler: string, affinity = false): string {
  const y = lesson.replace('scheduler: rr', `scheduler: ${scheduler}`)
  if (y === lesson && scheduler !== 'rr') throw new Error('lesson text changed')
  return affinity
    ? y.replace('selector: { app: web }', 'selector: { app: web }\n  sessionAffinity: ClientIP')
    : y
}

/** The real server the request's IPVS step chose, and the ipvsadm lines it was shown. */
function picked(t: Trace) {
  const lb = t.steps.find(
    (s) => s.action === 'lb-select' && s.phase === 'request' && s.packet.l4!.dstPort === 8080,
  )!
  return { dst: lb.packet.l3!.dst, lines: lb.lookups.map((l) => l.rule), why: lb.explain.en }
}

function session(yaml: string, n: number, seed = 1) {
  const { cluster, scenario } = build(yaml)
  const t = scenario.traffic[0]!
  return Array.from({ length: n }, (_, i) => picked(trace(cluster, t, { seed, connection: i + 1 })))
}

describe('IPVS schedulers across the connections of a session', () => {
  it('lc sends each new connection to the server with the fewest, and ipvsadm shows the counts', () => {
    const s = session(withScheduler('lc'), 6)
    const order = s.map((x) => x.dst)
    // All three start at zero: the first server wins the tie, then the next, and so on.
    expect(new Set(order.slice(0, 3)).size).toBe(3)
    expect(order.slice(3)).toEqual(order.slice(0, 3))
    expect(s[0]!.why).toContain('every server has none yet')
    expect(s[3]!.lines.filter((l) => /Masq {4}1 {6}1 {10}0 /.test(l))).toHaveLength(3)
    expect(s[4]!.why).toContain('256 x ActiveConn + InActConn')
  })

  it('a later connection of the session reports which connection it is, with the session seed', () => {
    const { cluster, scenario } = build(lesson)
    const t = trace(cluster, scenario.traffic[0]!, { seed: 5, connection: 3 })
    expect(t.seed).toBe(5)
    expect(t.connection).toBe(3)
    expect(Object.keys(t).slice(0, 4)).toEqual(['format', 'traffic', 'seed', 'connection'])
    expect(trace(cluster, scenario.traffic[0]!, { seed: 5 }).connection).toBeUndefined()
  })

  it('rr goes on from where the previous connection of the session left it', () => {
    const { cluster } = build(lesson)
    const dests = virtualServices(cluster, 'node-1')
      .find((v) => v.port === 80 && v.dests.length === 3)!
      .dests.map((d) => `${d.ip >>> 24}.${(d.ip >>> 16) & 255}.${(d.ip >>> 8) & 255}.${d.ip & 255}`)
    for (const seed of [1, 2, 3]) {
      const s = session(lesson, 4, seed).map((x) => dests.indexOf(x.dst))
      for (let i = 1; i < s.length; i++) expect(s[i]).toBe((s[i - 1]! + 1) % 3)
    }
  })

  it('sh and mh send the same client to the same server every time', () => {
    for (const sched of ['sh', 'mh']) {
      const s = session(withScheduler(sched), 5)
      expect(new Set(s.map((x) => x.dst)).size).toBe(1)
    }
  })

  it('sessionAffinity ClientIP makes rr persistent: later connections follow the template', () => {
    const s = session(withScheduler('rr', true), 4)
    expect(new Set(s.map((x) => x.dst)).size).toBe(1)
    expect(s[1]!.why).toContain('left a template')
    expect(s[0]!.lines.find((l) => l.startsWith('TCP '))).toMatch(/ rr persistent 10800$/)
  })

  it('nq gives a new connection to an idle server first', () => {
    const s = session(withScheduler('nq'), 4)
    expect(new Set(s.slice(0, 3).map((x) => x.dst)).size).toBe(3)
    expect(s[0]!.why).toMatch(/never queue/i)
    expect(s[3]!.why).toMatch(/shortest expected delay/i)
  })

  it('the Maglev table gives each of 3 equal servers a third of the 4093 slots', () => {
    const { cluster } = build(withScheduler('mh'))
    const v = virtualServices(cluster, 'node-1').find((x) => x.dests.length === 3)!
    const { table } = maglev(v, 0x0af40002)
    const share = [0, 1, 2].map((i) => table.filter((x) => x === i).length)
    expect(share.reduce((a, b) => a + b)).toBe(MH_TABLE_SIZE)
    expect(Math.max(...share) - Math.min(...share)).toBeLessThanOrEqual(1)
    // Different clients land on different servers.
    const picks = new Set<number>()
    for (let c = 0; c < 64; c++) picks.add(table[maglev(v, 0x0af40100 + c).slot]!)
    expect(picks.size).toBe(3)
  })
})
