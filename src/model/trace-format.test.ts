import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { TRACE_FORMAT } from './trace.ts'

/**
 * docs/trace-format.md stays true to src/model/trace.ts: read with the TypeScript compiler, every
 * property of every exported interface, every string of every union type and the format's
 * version must appear in the page in code type; every Action has its own row in the table of
 * actions; and the page's example has the shape of a real trace (the same keys at every level
 * as the golden trace of the lesson it is taken from).
 */
const MODEL = import.meta.dirname
const ROOT = join(MODEL, '..', '..')
const DOC = readFileSync(join(ROOT, 'docs', 'trace-format.md'), 'utf8')
const SOURCE = ts.createSourceFile(
  'trace.ts',
  readFileSync(join(MODEL, 'trace.ts'), 'utf8'),
  ts.ScriptTarget.Latest,
  true,
)

function codeTokens(md: string): Set<string> {
  const spans = [
    ...[...md.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!),
    ...[...md.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
  ]
  const out = new Set<string>()
  for (const s of spans) {
    out.add(s.trim())
    for (const t of s.split(/[\s[\]{}(),:="`|<>]+/).filter(Boolean)) out.add(t)
  }
  return out
}

/** Exported interfaces' property names, and the string literals of every type, by declaration. */
function typeFacts(): { props: Map<string, string[]>; literals: Map<string, string[]> } {
  const props = new Map<string, string[]>()
  const literals = new Map<string, string[]>()
  const addLiterals = (owner: string, node: ts.Node) => {
    const visit = (n: ts.Node) => {
      if (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal))
        literals.set(owner, [...(literals.get(owner) ?? []), n.literal.text])
      ts.forEachChild(n, visit)
    }
    visit(node)
  }
  const propsOf = (owner: string, members: ts.NodeArray<ts.TypeElement>) => {
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.name) continue
      const name = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(SOURCE)
      props.set(owner, [...(props.get(owner) ?? []), name])
      if (m.type) {
        addLiterals(`${owner}.${name}`, m.type)
        // Inline object types (Outer.l4, HttpApp.tls): their fields count too.
        const walk = (n: ts.Node) => {
          if (ts.isTypeLiteralNode(n)) propsOf(`${owner}.${name}`, n.members)
          ts.forEachChild(n, walk)
        }
        walk(m.type)
      }
    }
  }
  for (const st of SOURCE.statements) {
    if (!ts.isInterfaceDeclaration(st) && !ts.isTypeAliasDeclaration(st)) continue
    if (!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue
    if (ts.isInterfaceDeclaration(st)) propsOf(st.name.text, st.members)
    else addLiterals(st.name.text, st.type)
  }
  return { props, literals }
}

/** Every key path of a JSON value: `steps[].at.node`, ... (array items merged). */
function keyPaths(v: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) keyPaths(x, `${prefix}[]`, out)
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.add(`${prefix}.${k}`)
      keyPaths(x, `${prefix}.${k}`, out)
    }
  return out
}

describe('docs/trace-format.md', () => {
  const shown = codeTokens(DOC)
  const { props, literals } = typeFacts()

  it('reads the trace types with the TypeScript compiler (the check itself works)', () => {
    expect(props.get('Trace')).toEqual(expect.arrayContaining(['format', 'dialled', 'endpoint']))
    expect(props.get('HttpApp.tls')).toEqual(['sni'])
    expect(literals.get('Action')).toContain('dnat')
    expect(shown.has('dialled')).toBe(true)
    expect(shown.has('no-such-field')).toBe(false)
  })

  it('names the version it describes, in its title', () => {
    expect(DOC.split('\n')[0]).toBe(`# Trace format (\`${TRACE_FORMAT}\`)`)
  })

  it('names every field of the exported trace types', () => {
    const missing = [...props].flatMap(([owner, names]) =>
      names.filter((n) => !shown.has(n)).map((n) => `${owner}.${n}`),
    )
    expect(missing).toEqual([])
  })

  it('names every value of their unions', () => {
    const missing = [...literals].flatMap(([owner, values]) =>
      values.filter((v) => !shown.has(v)).map((v) => `${owner}: ${v}`),
    )
    expect(missing).toEqual([])
  })

  it('gives every Action a row of its own in the table of actions', () => {
    const rows = new Set([...DOC.matchAll(/^\| `([a-z0-9-]+)` +\|/gm)].map((m) => m[1]!))
    expect(literals.get('Action')!.filter((a) => !rows.has(a))).toEqual([])
  })

  it('shows an example with the keys of a real trace, at every level', () => {
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(DOC)![1]!) as {
      format: string
      traffic: string
    }
    expect(example.format).toBe(TRACE_FORMAT)
    const golden = JSON.parse(
      readFileSync(join(ROOT, 'src', 'lessons', 'mode3-clusterip-iptables.golden.json'), 'utf8'),
    ) as { traces: { traffic: string; steps: unknown[] }[] }
    const real = golden.traces.find((t) => t.traffic === example.traffic)!
    // The example drops the steps it does not show, so compare what a step of each has.
    expect(keyPaths(example)).toEqual(keyPaths({ ...real, steps: [real.steps[39]] }))
  })
})
