import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * docs/scenario-format.md stays true to the parser: read from the parser's own source, every
 * field it asks a document for, every kind it dispatches on and every value list it checks a
 * field against must appear in the page in code type (an inline `code` span or a code block).
 * A field added to a parse-*.ts file without a word in the page fails here.
 */
const MODEL = import.meta.dirname
const DOC = readFileSync(join(MODEL, '..', '..', 'docs', 'scenario-format.md'), 'utf8')

const SOURCES = readdirSync(MODEL)
  .filter((f) => /^parse-.*\.ts$/.test(f) && !f.endsWith('.test.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(MODEL, f), 'utf8') }))

/** Every token the page shows as code, and each dotted part of it. */
function codeTokens(md: string): Set<string> {
  const spans = [
    ...[...md.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!),
    ...[...md.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
  ]
  const out = new Set<string>()
  for (const s of spans)
    for (const t of s.split(/[\s[\]{}(),:="'`|#<>]+/).filter(Boolean)) {
      out.add(t)
      for (const part of t.split('.')) out.add(part)
    }
  return out
}

/** The fields the parser reads: `r.str('key')` and its kin, `helper(r, 'key', ...)`, `r.value.key`. */
function fieldsRead(src: string): Set<string> {
  const code = src.replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '')
  const out = new Set<string>()
  const patterns = [
    /\.(?:str|int|bool|obj|list|strMap|has)\(\s*'([^']+)'/g,
    /\b(?:oneOf|readCidr|readIp|readStringMatches|readHeaderList)\(\s*[a-zA-Z]+[!?]?\s*,\s*'([^']+)'/g,
    /\.value\.([a-zA-Z]+)/g,
    /\bkey = type === '[A-Za-z]+' \? '([a-zA-Z]+)' : '([a-zA-Z]+)'/g,
  ]
  for (const re of patterns)
    for (const m of code.matchAll(re)) for (const g of m.slice(1)) if (g) out.add(g)
  return out
}

/** Lists of literal values: `const X = ['a', 'b']`, `oneOf(r, 'k', ['A', 'B'] as const)`. */
function valueLists(src: string): string[] {
  const code = src.replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '')
  const out: string[] = []
  for (const m of code.matchAll(/\[((?:\s*'[^']*'\s*,?\s*){2,})\]/g))
    for (const v of m[1]!.matchAll(/'([^']*)'/g)) out.push(v[1]!)
  return out
}

describe('docs/scenario-format.md', () => {
  const shown = codeTokens(DOC)

  it('reads its own fields out of the parser source (the check itself works)', () => {
    const all = new Set(SOURCES.flatMap((s) => [...fieldsRead(s.text)]))
    for (const k of ['clusterCIDR', 'externalTrafficPolicy', 'backendRefs', 'hostnames', 'to'])
      expect(all.has(k), k).toBe(true)
    expect(shown.has('clusterCIDR')).toBe(true)
    expect(shown.has('no-such-field-anywhere')).toBe(false)
  })

  for (const { file, text } of SOURCES) {
    it(`names every field ${file} reads`, () => {
      const missing = [...fieldsRead(text)].filter((k) => !shown.has(k))
      expect(missing).toEqual([])
    })

    it(`names every value ${file} accepts from a fixed list`, () => {
      const missing = [...new Set(valueLists(text))].filter((v) => v !== '' && !shown.has(v))
      expect(missing).toEqual([])
    })
  }

  it('names every kind the parser dispatches on', () => {
    const scenario = SOURCES.find((s) => s.file === 'parse-scenario.ts')!.text
    const kinds = new Set([
      ...[...scenario.matchAll(/case '([A-Z][A-Za-z]+)':/g)].map((m) => m[1]!),
      ...[...scenario.matchAll(/kind === '([A-Z][A-Za-z]+)'/g)].map((m) => m[1]!),
      ...[...scenario.matchAll(/^ {2}([A-Z][A-Za-z]+): '[a-z0-9.]+',$/gm)].map((m) => m[1]!),
    ])
    for (const k of ['Pod', 'Cluster', 'Traffic', 'List', 'HTTPRoute', 'ReferenceGrant', 'Secret'])
      expect(kinds.has(k), k).toBe(true)
    expect([...kinds].filter((k) => !shown.has(k))).toEqual([])
  })
})
