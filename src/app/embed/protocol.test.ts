import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COMMAND_TYPES, parseCommand, PROTOCOL } from './protocol.ts'

describe('the embedding protocol reads commands against their schema', () => {
  it('takes every command in its documented shape', () => {
    const good = [
      { podpath: 1, type: 'goto', step: 5 },
      { podpath: 1, type: 'next' },
      { podpath: 1, type: 'prev' },
      { podpath: 1, type: 'play' },
      { podpath: 1, type: 'pause' },
      { podpath: 1, type: 'setLanguage', lang: 'zh-CN' },
      { podpath: 1, type: 'setSpeed', speed: 0.25 },
      { podpath: 1, type: 'openScenario', yaml: 'kind: Cluster' },
      { podpath: 1, type: 'openScenario', yaml: 'kind: Cluster', name: 'mine.yaml' },
      { podpath: 1, type: 'getState' },
      { podpath: 1, type: 'export', format: 'svg' },
      { podpath: 1, type: 'export', format: 'png' },
    ]
    for (const m of good) expect(parseCommand(m)).toEqual({ ok: true, command: m })
    expect(new Set(good.map((m) => m.type))).toEqual(new Set(COMMAND_TYPES))
  })

  it.each([
    ['a string', 'goto 5', 'plain object'],
    ['null', null, 'plain object'],
    ['an array', [1, 'goto'], 'plain object'],
    ['another version', { podpath: 2, type: 'next' }, 'podpath must be 1'],
    ['no version', { type: 'next' }, 'podpath must be 1'],
    ['an unknown type', { podpath: 1, type: 'jump' }, 'unknown type'],
    ['a type inherited from Object', { podpath: 1, type: 'toString' }, 'unknown type'],
    ['goto without a step', { podpath: 1, type: 'goto' }, 'step is missing'],
    ['goto to a negative step', { podpath: 1, type: 'goto', step: -1 }, 'step must be'],
    ['goto to half a step', { podpath: 1, type: 'goto', step: 2.5 }, 'step must be'],
    ['goto to a step as text', { podpath: 1, type: 'goto', step: '5' }, 'step must be'],
    ['a language PodPath lacks', { podpath: 1, type: 'setLanguage', lang: 'fr' }, 'lang must be'],
    ['a speed not on the menu', { podpath: 1, type: 'setSpeed', speed: 3 }, 'speed must be'],
    ['a scenario that is not text', { podpath: 1, type: 'openScenario', yaml: 1 }, 'yaml must be'],
    ['an empty file name', { podpath: 1, type: 'openScenario', yaml: '', name: '' }, 'name must'],
    ['an unknown field', { podpath: 1, type: 'next', by: 2 }, 'unknown field by'],
    ['export without a format', { podpath: 1, type: 'export' }, 'format is missing'],
    ['export as a JPEG', { podpath: 1, type: 'export', format: 'jpeg' }, 'format must be'],
    [
      'export with a size',
      { podpath: 1, type: 'export', format: 'png', scale: 2 },
      'unknown field',
    ],
  ])('refuses %s, saying why', (_, data, why) => {
    const parsed = parseCommand(data)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.message).toContain(why)
  })

  it('never throws, whatever arrives, and takes only what has a known type', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            { podpath: fc.constant(PROTOCOL), type: fc.constantFrom(...COMMAND_TYPES) },
            {
              requiredKeys: [],
            },
          ),
          fc.dictionary(fc.string(), fc.anything()),
        ),
        (data) => {
          const parsed = parseCommand(data)
          if (parsed.ok) expect(COMMAND_TYPES).toContain(parsed.command.type)
        },
      ),
      { numRuns: 1000, seed: 13 },
    )
  })
})
