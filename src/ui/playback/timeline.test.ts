import { describe, expect, it } from 'vitest'
import type { Phase } from '../../model/trace.ts'
import {
  phaseBands,
  phaseTarget,
  shownBands,
  sliderTarget,
  stepAtFraction,
  stepCentre,
  stepMark,
} from './timeline.ts'

const steps = (...phases: Phase[]) => phases.map((phase) => ({ phase }))

describe('the timeline of a trace', () => {
  it('groups consecutive steps of one phase into a band, in the order they happen', () => {
    expect(phaseBands(steps('dns', 'dns', 'request', 'request', 'request', 'reply'))).toEqual([
      { phase: 'dns', start: 0, end: 1 },
      { phase: 'request', start: 2, end: 4 },
      { phase: 'reply', start: 5, end: 5 },
    ])
  })

  it('gives a phase the trace comes back to a band of its own each time', () => {
    const bands = phaseBands(steps('request', 'dns', 'dns', 'request', 'reply', 'request'))
    expect(bands.map((b) => b.phase)).toEqual(['request', 'dns', 'request', 'reply', 'request'])
    expect(bands[2]).toEqual({ phase: 'request', start: 3, end: 3 })
  })

  it('has no bands for no steps', () => {
    expect(phaseBands([])).toEqual([])
  })

  it('marks drops and rejects, proxy hops and address translation, and nothing else', () => {
    expect(stepMark('drop')).toBe('stop')
    expect(stepMark('reject')).toBe('stop')
    expect(stepMark('proxy')).toBe('proxy')
    expect(stepMark('l7-route')).toBe('proxy')
    expect(stepMark('tls-terminate')).toBe('proxy')
    for (const a of ['dnat', 'snat', 'masquerade', 'unnat'] as const)
      expect(stepMark(a)).toBe('nat')
    for (const a of ['send', 'route', 'veth', 'lb-select', 'deliver', 'dns-query'] as const)
      expect(stepMark(a)).toBeNull()
  })
})

describe('pointing at the timeline', () => {
  it('finds the step whose slice is under the pointer', () => {
    expect(stepAtFraction(0, 3)).toBe(0)
    expect(stepAtFraction(0.34, 3)).toBe(1)
    expect(stepAtFraction(0.99, 3)).toBe(2)
  })

  it('keeps a pointer dragged past either end on the first or last step', () => {
    expect(stepAtFraction(-0.5, 240)).toBe(0)
    expect(stepAtFraction(1, 240)).toBe(239)
    expect(stepAtFraction(3, 240)).toBe(239)
  })

  it('lands on every one of 240 steps when each slice centre is pointed at', () => {
    for (let i = 0; i < 240; i++) expect(stepAtFraction(stepCentre(i, 240) / 100, 240)).toBe(i)
  })

  it('puts each step at the middle of its slice', () => {
    expect(stepCentre(0, 4)).toBe(12.5)
    expect(stepCentre(3, 4)).toBe(87.5)
  })
})

describe('the timeline slider and its keys', () => {
  const bands = phaseBands(steps('dns', 'dns', 'request', 'request', 'request', 'reply', 'reply'))

  it('moves one step with the arrows, Right and Up forward, and stops at the ends', () => {
    expect(sliderTarget('ArrowRight', 2, 7)).toBe(3)
    expect(sliderTarget('ArrowUp', 2, 7)).toBe(3)
    expect(sliderTarget('ArrowLeft', 2, 7)).toBe(1)
    expect(sliderTarget('ArrowDown', 2, 7)).toBe(1)
    expect(sliderTarget('ArrowRight', 6, 7)).toBe(6)
    expect(sliderTarget('ArrowLeft', 0, 7)).toBe(0)
  })

  it('jumps to the ends with Home and End', () => {
    expect(sliderTarget('Home', 4, 7)).toBe(0)
    expect(sliderTarget('End', 4, 7)).toBe(6)
  })

  it('jumps phase by phase (the stage’s Shift+Page Down and Shift+Page Up)', () => {
    expect(phaseTarget(1, 0, 7, bands)).toBe(2)
    expect(phaseTarget(1, 3, 7, bands)).toBe(5)
    expect(phaseTarget(1, 5, 7, bands)).toBe(6)
    expect(phaseTarget(-1, 4, 7, bands)).toBe(2)
    expect(phaseTarget(-1, 2, 7, bands)).toBe(0)
    expect(phaseTarget(-1, 1, 7, bands)).toBe(0)
  })

  it('leaves Space and Page Down/Up to the stage, whose keys step one at a time as clickers do', () => {
    expect(sliderTarget(' ', 2, 7)).toBeNull()
    expect(sliderTarget('PageDown', 2, 7)).toBeNull()
    expect(sliderTarget('PageUp', 2, 7)).toBeNull()
    expect(sliderTarget('a', 2, 7)).toBeNull()
  })

  it('bands the steps as displayed: a closed fold is one slice of its phase', () => {
    const s = steps('dns', 'dns', 'dns', 'request', 'reply')
    const fold = { id: 'dns:0', topic: 'dns' as const, start: 0, end: 2 }
    const shown = [
      { kind: 'fold' as const, fold },
      { kind: 'step' as const, position: 3 },
      { kind: 'step' as const, position: 4 },
    ]
    expect(shownBands(s, shown)).toEqual([
      { phase: 'dns', start: 0, end: 0 },
      { phase: 'request', start: 1, end: 1 },
      { phase: 'reply', start: 2, end: 2 },
    ])
  })
})
