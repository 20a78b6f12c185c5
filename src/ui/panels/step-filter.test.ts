import { describe, expect, it } from 'vitest'
import type { Action, Phase } from '../../model/trace.ts'
import {
  countBy,
  firstSentence,
  isFiltering,
  NO_FILTER,
  toggled,
  visiblePositions,
  visibleTarget,
  type StepFilter,
} from './step-filter.ts'

const s = (phase: Phase, action: Action) => ({ phase, action })
const trace = [
  s('dns', 'dns-query'),
  s('dns', 'route'),
  s('dns', 'dns-answer'),
  s('request', 'send'),
  s('request', 'dnat'),
  s('request', 'route'),
  s('reply', 'unnat'),
  s('reply', 'route'),
  s('reply', 'deliver'),
]
const filter = (phases: Phase[], actions: Action[] = []): StepFilter => ({
  phases: new Set(phases),
  actions: new Set(actions),
})

describe('counting the steps of a trace', () => {
  it('counts each phase and each action, in the order they first appear', () => {
    expect(countBy(trace, 'phase')).toEqual([
      { value: 'dns', count: 3 },
      { value: 'request', count: 3 },
      { value: 'reply', count: 3 },
    ])
    const actions = countBy(trace, 'action')
    expect(actions[0]).toEqual({ value: 'dns-query', count: 1 })
    expect(actions.find((a) => a.value === 'route')).toEqual({ value: 'route', count: 3 })
    expect(actions.reduce((n, a) => n + a.count, 0)).toBe(trace.length)
  })
})

describe('filtering the step list', () => {
  it('keeps every step with no filter', () => {
    expect(isFiltering(NO_FILTER)).toBe(false)
    expect(visiblePositions(trace, NO_FILTER)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('keeps the steps of the chosen phases', () => {
    expect(visiblePositions(trace, filter(['dns']))).toEqual([0, 1, 2])
    expect(visiblePositions(trace, filter(['dns', 'reply']))).toEqual([0, 1, 2, 6, 7, 8])
  })

  it('keeps the steps of the chosen actions, within the chosen phases', () => {
    expect(visiblePositions(trace, filter([], ['route']))).toEqual([1, 5, 7])
    expect(visiblePositions(trace, filter(['request', 'reply'], ['route', 'dnat']))).toEqual([
      4, 5, 7,
    ])
    expect(visiblePositions(trace, filter(['dns'], ['deliver']))).toEqual([])
  })

  it('toggles a value in and out of a set', () => {
    const once = toggled(new Set<Phase>(), 'dns')
    expect([...once]).toEqual(['dns'])
    expect([...toggled(once, 'dns')]).toEqual([])
  })
})

describe('keys in a filtered list', () => {
  const visible = [1, 5, 7]
  it('moves to the next or previous visible step', () => {
    expect(visibleTarget('ArrowDown', 1, visible)).toBe(5)
    expect(visibleTarget('ArrowRight', 5, visible)).toBe(7)
    expect(visibleTarget('ArrowUp', 5, visible)).toBe(1)
    expect(visibleTarget('ArrowLeft', 7, visible)).toBe(5)
  })

  it('stays on the first or last visible step at the ends', () => {
    expect(visibleTarget('ArrowDown', 7, visible)).toBe(7)
    expect(visibleTarget('ArrowUp', 1, visible)).toBe(1)
  })

  it('steps from a hidden selection to the visible step beside it', () => {
    expect(visibleTarget('ArrowDown', 3, visible)).toBe(5)
    expect(visibleTarget('ArrowUp', 3, visible)).toBe(1)
    expect(visibleTarget('ArrowUp', 0, visible)).toBe(1)
  })

  it('jumps to the first and last visible step with Home and End', () => {
    expect(visibleTarget('Home', 5, visible)).toBe(1)
    expect(visibleTarget('End', 1, visible)).toBe(7)
  })

  it('does nothing with nothing visible, or for other keys', () => {
    expect(visibleTarget('ArrowDown', 1, [])).toBeNull()
    expect(visibleTarget('x', 1, visible)).toBeNull()
  })
})

describe('the one-line summary of a step', () => {
  it('takes the first English sentence, not stopping at addresses or abbreviations', () => {
    expect(
      firstSentence(
        'The packet leaves 10.244.1.2 for 10.96.0.10, e.g. the DNS Service. Then more.',
      ),
    ).toBe('The packet leaves 10.244.1.2 for 10.96.0.10, e.g. the DNS Service.')
  })

  it('takes the first Chinese sentence', () => {
    expect(firstSentence('数据包离开 Pod。随后查路由表。')).toBe('数据包离开 Pod。')
  })

  it('does not end a sentence at a question quoted inside it', () => {
    expect(
      firstSentence('ARP：eth0 广播“谁是 10.244.0.2？告诉 10.244.0.1”，对方应答。之后发帧。'),
    ).toBe('ARP：eth0 广播“谁是 10.244.0.2？告诉 10.244.0.1”，对方应答。')
    expect(firstSentence('It asks "Who has 10.0.0.1? Tell me." and waits. Then more.')).toBe(
      'It asks "Who has 10.0.0.1? Tell me." and waits.',
    )
  })

  it('ends a sentence after a quote even when the next begins with a lower-case name', () => {
    expect(firstSentence('It goes into tunl0 "via 192.168.1.12 onlink". tunl0 is a tunnel.')).toBe(
      'It goes into tunl0 "via 192.168.1.12 onlink".',
    )
  })

  it('keeps a text of one sentence whole', () => {
    expect(firstSentence('  Delivered to nginx on port 80  ')).toBe('Delivered to nginx on port 80')
  })
})
