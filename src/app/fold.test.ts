import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LESSONS, type LessonMeta } from '../lessons/catalog.ts'
import type { Action, Phase, Step, Trace } from '../model/trace.ts'
import {
  foldAt,
  foldsFor,
  foldToOpen,
  MIN_FOLD,
  positionOf,
  shownIndexOf,
  shownSteps,
  stepBy,
} from './fold.ts'

const lesson = (id: string) => LESSONS.find((l) => l.id === id)!

/** The first trace of a lesson, as its golden file holds it. */
function firstTrace(id: string): Trace {
  const path = new URL(
    `../lessons/${lesson(id).file.replace('.yaml', '.golden.json')}`,
    import.meta.url,
  )
  return (JSON.parse(readFileSync(path, 'utf8')) as { traces: Trace[] }).traces[0]!
}

const steps = (...s: [Phase, Action][]): Pick<Step, 'phase' | 'action'>[] =>
  s.map(([phase, action]) => ({ phase, action }))

describe('which parts of a trace fold', () => {
  it('folds the whole DNS lookup of a ClusterIP lesson into one step, so the request comes second', () => {
    const t = firstTrace('mode3-clusterip-iptables')
    const folds = foldsFor(lesson('mode3-clusterip-iptables'), t.steps)
    const firstRequest = t.steps.findIndex((s) => s.phase !== 'dns')
    expect(firstRequest).toBeGreaterThan(30)
    expect(folds).toEqual([{ id: 'dns:0', topic: 'dns', start: 0, end: firstRequest - 1 }])
    const shown = shownSteps(t.steps.length, folds, new Set())
    expect(shown).toHaveLength(t.steps.length - firstRequest + 1)
    expect(positionOf(shown[1]!)).toBe(firstRequest)
    // The first DNAT is a few steps in, not forty.
    const dnat = t.steps.findIndex((s) => s.action === 'dnat' && s.phase === 'request')
    expect(shownIndexOf(shown, dnat)).toBeLessThan(15)
  })

  it('keeps the lookup of a lesson that teaches DNS, as its catalog entry says', () => {
    for (const id of ['mode3-dns-search', 'mode3-headless', 'mode3-externalname']) {
      expect(lesson(id).teaches).toContain('dns')
      expect(foldsFor(lesson(id), firstTrace(id).steps)).toEqual([])
    }
  })

  it('keeps ARP in a Pod-to-Pod lesson: how a Pod finds its gateway is mode 2’s subject', () => {
    const s = steps(
      ['request', 'send'],
      ['request', 'arp'],
      ['request', 'arp'],
      ['request', 'veth'],
    )
    const pod2pod: Pick<LessonMeta, 'mode'> = { mode: 2 }
    expect(foldsFor(pod2pod, s)).toEqual([])
    expect(foldsFor({ mode: 4 }, s)).toEqual([{ id: 'arp:1', topic: 'arp', start: 1, end: 2 }])
  })

  it('folds the two-step public DNS lookup of an Ingress lesson, and no single ARP step', () => {
    const t = firstTrace('mode4-ingress-nginx')
    const folds = foldsFor(lesson('mode4-ingress-nginx'), t.steps)
    expect(t.steps.filter((s) => s.action === 'arp').length).toBeGreaterThan(0)
    expect(folds.map((f) => f.topic)).toEqual(['dns'])
    expect(folds[0]!.end - folds[0]!.start + 1).toBe(2)
  })

  it('never folds a run shorter than MIN_FOLD, nor a whole trace, nor a scenario of one’s own', () => {
    expect(MIN_FOLD).toBe(2)
    const one = steps(['request', 'send'], ['request', 'arp'], ['request', 'veth'])
    expect(foldsFor({ mode: 4 }, one)).toEqual([])
    const allDns = steps(['dns', 'dns-query'], ['dns', 'route'], ['dns', 'dns-answer'])
    expect(foldsFor({ mode: 3 }, allDns)).toEqual([])
    const t = firstTrace('mode3-clusterip-iptables')
    expect(foldsFor(null, t.steps)).toEqual([])
  })

  it('folds nothing in modes 1 and 2 of the built-in lessons, and only DNS in the others', () => {
    for (const l of LESSONS) {
      if (l.id === 'mode1-port-conflict') continue
      const t = firstTrace(l.id)
      const folds = foldsFor(l, t.steps)
      if (l.mode <= 2) expect(folds, l.id).toEqual([])
      for (const f of folds) {
        expect(f.topic, l.id).toBe('dns')
        expect(t.steps.slice(f.start, f.end + 1).every((s) => s.phase === 'dns')).toBe(true)
      }
    }
  })
})

describe('the steps as displayed', () => {
  const s = steps(
    ['dns', 'dns-query'],
    ['dns', 'arp'],
    ['dns', 'dns-answer'],
    ['request', 'send'],
    ['request', 'dnat'],
    ['reply', 'deliver'],
  )
  const folds = foldsFor({ mode: 3 }, s)

  it('counts a closed fold as one step and an open one as all of its steps', () => {
    expect(shownSteps(s.length, folds, new Set())).toEqual([
      { kind: 'fold', fold: folds[0] },
      { kind: 'step', position: 3 },
      { kind: 'step', position: 4 },
      { kind: 'step', position: 5 },
    ])
    expect(shownSteps(s.length, folds, new Set(['dns:0']))).toHaveLength(6)
  })

  it('steps over a closed fold in one move, and through an open one step by step', () => {
    const closed = shownSteps(s.length, folds, new Set())
    expect(stepBy(closed, 0, 1)).toBe(3)
    expect(stepBy(closed, 3, -1)).toBe(0)
    expect(stepBy(closed, 5, 1)).toBe(5)
    expect(stepBy(closed, 0, -1)).toBe(0)
    const open = shownSteps(s.length, folds, new Set(['dns:0']))
    expect(stepBy(open, 0, 1)).toBe(1)
    expect(stepBy(open, 3, -1)).toBe(2)
  })

  it('finds the displayed step of every position, inside a fold too', () => {
    const closed = shownSteps(s.length, folds, new Set())
    expect([0, 1, 2, 3, 4, 5].map((p) => shownIndexOf(closed, p))).toEqual([0, 0, 0, 1, 2, 3])
  })

  it('opens a fold only for a position it hides: its first step is the fold itself', () => {
    expect(foldToOpen(folds, new Set(), 0)).toBeNull()
    expect(foldToOpen(folds, new Set(), 2)).toEqual(folds[0])
    expect(foldToOpen(folds, new Set(['dns:0']), 2)).toBeNull()
    expect(foldToOpen(folds, new Set(), 3)).toBeNull()
    expect(foldAt(folds, 1)).toEqual(folds[0])
    expect(foldAt(folds, 4)).toBeNull()
  })

  it('shows every trace position of every lesson exactly once, in order, folded or open', () => {
    for (const l of LESSONS) {
      if (l.id === 'mode1-port-conflict') continue
      const t = firstTrace(l.id)
      const f = foldsFor(l, t.steps)
      for (const open of [new Set<string>(), new Set(f.map((x) => x.id))]) {
        const covered = shownSteps(t.steps.length, f, open).flatMap((x) =>
          x.kind === 'step'
            ? [x.position]
            : Array.from({ length: x.fold.end - x.fold.start + 1 }, (_, k) => x.fold.start + k),
        )
        expect(covered, l.id).toEqual(t.steps.map((_, i) => i))
      }
    }
  })
})
