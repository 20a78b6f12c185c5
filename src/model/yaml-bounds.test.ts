import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'
import { LineCounter } from 'yaml'
import {
  describeExpansion,
  ExpansionCounter,
  MAX_DEPTH,
  MAX_NODES,
  MAX_SOURCE_CHARS,
  parseStream,
} from './yaml-bounds.ts'

const errors = (src: string) =>
  parseScenario(src, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')

/** Milliseconds `f` takes. */
function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now()
  const value = f()
  return { value, ms: performance.now() - t0 }
}

/** A List of `services` Services, each with `ports: *p`, the one list of `ports` ports. */
function aliasBomb(services: number, ports: number): string {
  const lines = ['apiVersion: v1', 'kind: List', 'ports: &p']
  for (let i = 1; i <= ports; i++) lines.push(`  - {port: ${i}, name: p${i}}`)
  lines.push('items:')
  for (let i = 0; i < services; i++)
    lines.push(`  - {apiVersion: v1, kind: Service, metadata: {name: s${i}}, spec: {ports: *p}}`)
  return lines.join('\n') + '\n'
}

describe('YAML nested too deep', () => {
  it('is refused before parsing, at the level past the bound, not "Maximum call stack size exceeded"', () => {
    const [e, more] = errors('['.repeat(1000) + ']'.repeat(1000))
    expect(more).toBeUndefined()
    expect(e).toMatchObject({ line: 1, col: MAX_DEPTH + 1, cause: 'yaml' })
    expect(e!.message.en).toBe(
      `YAML nested more than ${MAX_DEPTH} levels deep here; PodPath reads no deeper (real manifests stay under 20)`,
    )
    expect(e!.message['zh-CN']).toMatch(/嵌套超过 128 层/)
  })

  it('is refused as fast when it would nest a million levels (the parser never sees it all)', () => {
    const { value, ms } = timed(() => errors('['.repeat(1_000_000) + ']'.repeat(1_000_000)))
    expect(value[0]).toMatchObject({ line: 1, col: MAX_DEPTH + 1 })
    // A few milliseconds; the bound is loose so that a loaded machine does not fail it.
    expect(ms).toBeLessThan(2000)
  })

  it('counts block nesting too: maps by indentation and compact "- - -" lists', () => {
    const block = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')
    const [e] = errors(`${block} v\n`)
    // Line n opens the n-th map (at its ":"); the 129th is one too many.
    expect(e).toMatchObject({ line: MAX_DEPTH + 1, col: MAX_DEPTH + 5, cause: 'yaml' })
    // The n-th "- " opens the n-th list at column 2n - 1.
    expect(errors(`${'- '.repeat(300)}x\n`)[0]).toMatchObject({ line: 1, col: 2 * MAX_DEPTH + 1 })
  })

  it('reads nesting at the bound', () => {
    // The document's top map, data's map, then lists: MAX_DEPTH collections in all.
    const inner = '['.repeat(MAX_DEPTH - 2) + '1' + ']'.repeat(MAX_DEPTH - 2)
    const src = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: {x: ${inner}}\n`
    expect(errors(src)).toEqual([])
    const past = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: {x: [${inner}]}\n`
    expect(errors(past)[0]).toMatchObject({ line: 4, cause: 'yaml' })
  })
})

describe('YAML aliases that expand past the bound', () => {
  it('refuses 900 Services aliasing one 5,000-port list at the alias that passes the bound', () => {
    const src = aliasBomb(900, 5000)
    const { value, ms } = timed(() => errors(src))
    expect(value).toHaveLength(1)
    // Each port is 5 nodes (a map, two keys and their values), so each alias 25,001: the alias of the
    // 19th Service (s18) is the one that takes the file past 500,000.
    const line = src.split('\n').findIndex((l) => l.includes('name: s18}')) + 1
    expect(value[0]).toMatchObject({ line, col: 74, cause: 'yaml' })
    expect(value[0]!.message.en).toMatch(
      /^alias \*p \(anchor at 4:3\) takes the file past 500,000 YAML nodes once aliases are replaced/,
    )
    expect(value[0]!.message['zh-CN']).toMatch(/别名炸弹/)
    // Was 14 s for check and out of memory for trace; now a parse of a 155 KB file.
    expect(ms).toBeLessThan(20_000)
  })

  it('reads the same aliases while they stay under the bound', () => {
    const r = parseScenario(aliasBomb(20, 50), 'f.yaml')
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(r.scenario!.services).toHaveLength(20)
    expect(r.scenario!.services[19]!.ports).toHaveLength(50)
  })

  it('refuses a billion laughs at its first alias past the bound, without expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)]
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`)
    }
    const { value, ms } = timed(() => errors(lines.join('\n')))
    expect(value).toHaveLength(1)
    // e stands for 66,430 nodes; the seventh *e on line 6 takes the file past 500,000.
    expect(value[0]).toMatchObject({ line: 6, col: 32 })
    expect(value[0]!.message.en).toMatch(/^alias \*e \(anchor at 5:7\)/)
    expect(ms).toBeLessThan(5000)
  })

  it('refuses scalar text that aliases multiply past 5 MB', () => {
    const big = 'x'.repeat(2 ** 20)
    const src = `a: &a "${big}"\nb: [*a, *a, *a, *a, *a]\n`
    const [e] = errors(src)
    // 1 MB written, and each alias 1 MB more: the fourth passes 5 MB (with the keys' 2 characters).
    expect(e).toMatchObject({ line: 2, col: 17, cause: 'yaml' })
    expect(e!.message.en).toMatch(/past 5 MB of text once aliases are replaced/)
  })

  it('refuses an alias that nests its anchor deeper than the bound', () => {
    const deep = '['.repeat(100) + ']'.repeat(100)
    const src = `a: &a ${deep}\nb: &b [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n`
    const [e] = errors(src)
    // 31 collections around the alias, and 100 in what it names.
    expect(e).toMatchObject({ line: 2, col: 37 })
    expect(e!.message.en).toMatch(/^alias \*a \(anchor at 1:7\) nests what it names here more than/)
  })

  it('refuses an alias inside the node it names, which made reading a List recurse forever', () => {
    const [e] = errors('&a {apiVersion: v1, kind: List, items: [*a]}\n')
    expect(e).toMatchObject({ line: 1, col: 41, cause: 'yaml' })
    expect(e!.message.en).toMatch(/lies inside the node its anchor &a names/)
  })

  it('points at an alias with no anchor, not at the document start', () => {
    const [e] = errors('apiVersion: v1\nkind: Pod\nmetadata: {name: *nope}\n')
    expect(e).toMatchObject({ line: 3, col: 18 })
    expect(e!.message.en).toBe('alias *nope names no anchor &nope before it')
  })

  it('counts every document of the file together', () => {
    // Each document stands for about 112,000 nodes; the fifth takes the file past 500,000.
    const doc = `l: &l [${Array(1000).fill('1').join(',')}]\nm: [${Array(110).fill('*l').join(', ')}]\n`
    expect(errors(doc)[0]!.message.en).not.toMatch(/past/)
    const [e] = errors(Array(5).fill(doc).join('---\n'))
    expect(e).toMatchObject({ line: 4 * 3 + 2 })
    expect(e!.message.en).toMatch(
      new RegExp(
        `^alias \\*l \\(anchor at 13:7\\) takes the file past ${MAX_NODES.toLocaleString('en')}`,
      ),
    )
  })

  it('stops a file without aliases at the node past the bound (a smaller bound, to stay fast)', () => {
    const lines = new LineCounter()
    const stream = parseStream('x: [1, 2, 3, 4, 5]\n', lines, { uniqueKeys: true })
    if ('tooDeep' in stream) throw new Error('not deep')
    const p = new ExpansionCounter({ nodes: 6, chars: 100, depth: 10 }).count(stream.docs[0]!)
    // The map, x, the list, 1, 2, 3: the seventh node is 4.
    expect(p).toMatchObject({ kind: 'nodes', alias: null })
    expect(lines.linePos(p!.at.range![0])).toEqual({ line: 1, col: 14 })
    expect(describeExpansion(p!, lines).en).toBe(
      `the file holds more than ${MAX_NODES.toLocaleString('en')} YAML nodes by here, more than PodPath reads`,
    )
  })
})

describe('a text longer than PodPath reads', () => {
  it('is refused at its start, whatever it holds (the file chooser refuses it too)', () => {
    const [e] = errors(`# ${'x'.repeat(MAX_SOURCE_CHARS)}\n`)
    expect(e).toMatchObject({ line: 1, col: 1, cause: 'yaml' })
    expect(e!.message.en).toMatch(/more than the 5,242,880 \(5 MB\) PodPath reads/)
  })
})
