/**
 * Calico's label selector language, as libcalico-go parses, prints and hashes it
 * (projectcalico/calico v3.31.7, libcalico-go/lib/selector): the tokenizer (tokenizer.go), the
 * parser (parser/parser.go: `||` binds loosest, then `&&`, then `!` and the operations; a
 * parenthesised expression is its own node, so `(a) && (b && c)` keeps its nesting), the
 * canonical string (parser/ast.go collectFragments: `&&` and `||` nodes in parentheses, values in
 * double quotes unless they hold one, `in` sets sorted and deduplicated), the unique ID
 * (ast.go updateFields: hash.MakeUniqueID("s", canonical), libcalico-go/lib/hash/unique_id.go:
 * "s:" + base64url without padding of SHA-224("s:" + canonical)), and evaluation against a label
 * set. The `contains`, `starts with`, `ends with` and `global()` forms are parsed too.
 */
import { sha224 } from '@noble/hashes/sha2.js'
import { base64url } from './rule-hash.ts'

export type SelectorNode =
  | { op: 'all' }
  | { op: 'global' }
  | { op: 'has'; label: string }
  | { op: '==' | '!=' | 'contains' | 'starts with' | 'ends with'; label: string; value: string }
  | { op: 'in' | 'not in'; label: string; values: string[] }
  | { op: 'not'; operand: SelectorNode }
  | { op: 'and' | 'or'; operands: SelectorNode[] }

type Tok =
  | { k: 'label' | 'string' | 'has'; v: string }
  | { k: '(' | ')' | '{' | '}' | ',' | '==' | '!=' | '!' | '&&' | '||' | 'all' | 'global' | 'eof' }
  | { k: 'in' | 'not in' | 'contains' | 'starts with' | 'ends with' }

const identChar = (c: string | undefined) => c !== undefined && /[a-zA-Z0-9_./-]/.test(c)

function cutIdent(s: string): [string, string] {
  let i = 0
  while (identChar(s[i])) i++
  if (i === 0) throw new Error('expected identifier')
  return [s.slice(0, i), s.slice(i)]
}

const trim = (s: string) => s.replace(/^[ \t]+/, '')

/** The words after a label, each ending at a word boundary (cutMultiWordPrefixCheckBreak). */
function cutWords(s: string, words: string[]): string | null {
  let rest = s
  for (const w of words) {
    if (!rest.startsWith(w)) return null
    rest = trim(rest.slice(w.length))
  }
  return identChar(rest[0]) ? null : rest
}

function tokenize(input: string): Tok[] {
  const out: Tok[] = []
  let s = input
  for (;;) {
    s = trim(s)
    if (s === '') return [...out, { k: 'eof' }]
    const c = s[0]!
    const two = s.slice(0, 2)
    if ('(){},'.includes(c)) {
      out.push({ k: c as '(' })
      s = s.slice(1)
    } else if (c === '"' || c === "'") {
      const end = s.indexOf(c, 1)
      if (end < 0) throw new Error('unterminated string')
      out.push({ k: 'string', v: s.slice(1, end) })
      s = s.slice(end + 1)
    } else if (two === '==' || two === '!=' || two === '&&' || two === '||') {
      out.push({ k: two })
      s = s.slice(2)
    } else if (c === '!') {
      out.push({ k: '!' })
      s = s.slice(1)
    } else if (out.at(-1)?.k === 'label') {
      const ops: [Tok['k'], string[]][] = [
        ['contains', ['contains']],
        ['starts with', ['starts', 'with']],
        ['ends with', ['ends', 'with']],
        ['not in', ['not', 'in']],
        ['in', ['in']],
      ]
      const hit = ops.find(([, w]) => cutWords(s, w) !== null)
      if (!hit) throw new Error('expected operator after label')
      out.push({ k: hit[0] } as Tok)
      s = cutWords(s, hit[1])!
    } else if (s.startsWith('has(')) {
      const [id, rest] = cutIdent(trim(s.slice(4)))
      const r = trim(rest)
      if (!r.startsWith(')')) throw new Error("no closing ')' after has(")
      out.push({ k: 'has', v: id })
      s = r.slice(1)
    } else if (/^all\([ \t]*\)/.test(s) || /^global\([ \t]*\)/.test(s)) {
      out.push({ k: s.startsWith('all') ? 'all' : 'global' })
      s = s.slice(s.indexOf(')') + 1)
    } else {
      const [id, rest] = cutIdent(s)
      out.push({ k: 'label', v: id })
      s = rest
    }
  }
}

/** Parse a selector; the empty selector is all(). */
export function parseSelector(input: string): SelectorNode {
  const toks = tokenize(input)
  let i = 0
  const peek = () => toks[i]!
  // A run of `next` joined by one operator: || of &&-runs, && of operations.
  const joined =
    (tok: '||' | '&&', op: 'or' | 'and', next: () => SelectorNode) => (): SelectorNode => {
      const ops = [next()]
      while (peek().k === tok) {
        i++
        ops.push(next())
      }
      return ops.length === 1 ? ops[0]! : { op, operands: ops }
    }
  const andExpr = joined('&&', 'and', () => operation())
  const orExpr = joined('||', 'or', andExpr)
  const operation = (): SelectorNode => {
    // Leading "!"s collapse to one negation.
    let negated = false
    while (peek().k === '!') {
      negated = !negated
      i++
    }
    const t = toks[i++]!
    let node: SelectorNode
    if (t.k === 'has') node = { op: 'has', label: t.v }
    else if (t.k === 'all' || t.k === 'global') node = { op: t.k }
    else if (t.k === '(') {
      node = orExpr()
      if (toks[i++]?.k !== ')') throw new Error('expected )')
    } else if (t.k === 'label') {
      const o = toks[i++]!
      if (o.k === 'in' || o.k === 'not in') {
        if (toks[i++]?.k !== '{') throw new Error('expected set literal')
        const values: string[] = []
        while (peek().k === 'string') {
          values.push((toks[i++] as { v: string }).v)
          if (peek().k !== ',') break
          i++
        }
        if (toks[i++]?.k !== '}') throw new Error('expected }')
        // ConvertToStringSetInPlace: sorted, duplicates dropped.
        const set = [...new Set(values)].sort()
        node = { op: o.k, label: t.v, values: set }
      } else if (
        o.k === '==' ||
        o.k === '!=' ||
        o.k === 'contains' ||
        o.k === 'starts with' ||
        o.k === 'ends with'
      ) {
        const v = toks[i++]!
        if (v.k !== 'string') throw new Error('expected string')
        node = { op: o.k, label: t.v, value: v.v }
      } else throw new Error(`expected == or != after ${t.v}`)
    } else throw new Error(`unexpected token ${t.k}`)
    return negated ? { op: 'not', operand: node } : node
  }
  if (peek().k === 'eof') return { op: 'all' }
  const root = orExpr()
  if (peek().k !== 'eof') throw new Error('unexpected content at end of selector')
  return root
}

/** A value quoted as appendLabelOpAndQuotedString does: double quotes unless it holds one. */
const quote = (s: string) => (s.includes('"') ? `'${s}'` : `"${s}"`)

/** The canonical form (ast.go collectFragments). */
export function selectorString(n: SelectorNode): string {
  switch (n.op) {
    case 'all':
      return 'all()'
    case 'global':
      return 'global()'
    case 'has':
      return `has(${n.label})`
    case 'in':
    case 'not in':
      return `${n.label} ${n.op} {${n.values.map(quote).join(', ')}}`
    case 'not':
      return `!${selectorString(n.operand)}`
    case 'and':
    case 'or':
      return `(${n.operands.map(selectorString).join(n.op === 'and' ? ' && ' : ' || ')})`
    default:
      return `${n.label} ${n.op} ${quote(n.value)}`
  }
}

/** libcalico-go/lib/hash MakeUniqueID: prefix + ":" + base64url(SHA-224(prefix + ":" + content)). */
export function makeUniqueId(prefix: string, content: string): string {
  return `${prefix}:${base64url(sha224(new TextEncoder().encode(`${prefix}:${content}`)))}`
}

/** Selector.UniqueID(): the hash of the canonical string. */
export function selectorUniqueId(n: SelectorNode): string {
  return makeUniqueId('s', selectorString(n))
}

/** PrefixVisitor: every label name the selector tests gets `prefix` in front. */
export function prefixLabels(n: SelectorNode, prefix: string): SelectorNode {
  switch (n.op) {
    case 'all':
    case 'global':
      return n
    case 'not':
      return { op: 'not', operand: prefixLabels(n.operand, prefix) }
    case 'and':
    case 'or':
      return { op: n.op, operands: n.operands.map((o) => prefixLabels(o, prefix)) }
    default:
      return { ...n, label: prefix + n.label }
  }
}

/** Evaluate against a label set (each node's Evaluate in ast.go). */
export function selectorMatches(n: SelectorNode, labels: Record<string, string>): boolean {
  const has = (k: string) => Object.hasOwn(labels, k)
  switch (n.op) {
    case 'all':
    case 'global':
      return true
    case 'has':
      return has(n.label)
    case '==':
      return has(n.label) && labels[n.label] === n.value
    case '!=':
      return !has(n.label) || labels[n.label] !== n.value
    case 'contains':
      return has(n.label) && labels[n.label]!.includes(n.value)
    case 'starts with':
      return has(n.label) && labels[n.label]!.startsWith(n.value)
    case 'ends with':
      return has(n.label) && labels[n.label]!.endsWith(n.value)
    case 'in':
      return has(n.label) && n.values.includes(labels[n.label]!)
    case 'not in':
      return !has(n.label) || !n.values.includes(labels[n.label]!)
    case 'not':
      return !selectorMatches(n.operand, labels)
    case 'and':
      return n.operands.every((o) => selectorMatches(o, labels))
    case 'or':
      return n.operands.some((o) => selectorMatches(o, labels))
  }
}
