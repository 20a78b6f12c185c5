/**
 * What `nft list table ip kube-proxy` prints on the node (nftables src/rule.c table_print,
 * set_print_declaration, chain_print_declaration, prio2str; src/expression.c set_expr_print).
 * nft prints rules back in its own normal form: `mark set mark or 0x4000` comes back as
 * `meta mark set meta mark | 0x00004000`, a one-element anonymous set loses its braces, a
 * numgen vmap's entries are joined with ", ".
 */
import type {
  NftChain,
  NftElement,
  NftHook,
  NftMatch,
  NftRule,
  NftSet,
  NftStatement,
  NftTable,
} from '../proxy/nft-table.ts'
import { elementKey } from '../proxy/nft-table.ts'

/** Marks are printed as 32-bit hex, "0x%08x" (nftables datatype mark_type). */
function mark(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`
}

function listMatch(m: NftMatch): string {
  switch (m.m) {
    case 'ct-new':
      return 'ct state new'
    case 'addr':
      return `ip ${m.field}${m.negate ? ' !=' : ''} ${m.value}`
    case 'addr-set':
      return `ip ${m.field} @${m.set}`
    case 'addr-anon':
      // A one-element anonymous set is turned into a plain comparison when the rule is added.
      return m.values.length === 1
        ? `ip ${m.field}${m.negate ? ' !=' : ''} ${m.values[0]}`
        : `ip ${m.field}${m.negate ? ' !=' : ''} { ${m.values.join(', ')} }`
    case 'dport':
      return `${m.proto} dport ${m.port}`
    case 'fib-local':
      return `fib ${m.field} type local`
    case 'mark-clear':
      return `meta mark & ${mark(m.mark)} == ${mark(0)}`
    case 'l4proto':
      return `meta l4proto ${m.proto}`
  }
}

/** One statement as `nft list` prints it. */
export function listStatement(s: NftStatement): string {
  switch (s.s) {
    case 'jump':
    case 'goto':
      return `${s.s} ${s.chain}`
    case 'vmap':
      return s.key === 'daddr-proto-port'
        ? `ip daddr . meta l4proto . th dport vmap @${s.map}`
        : `meta l4proto . th dport vmap @${s.map}`
    case 'numgen':
      // An anonymous set prints on one line, elements joined with ", ".
      return `numgen random mod ${s.chains.length} vmap { ${s.chains.map((c, i) => `${i} : goto ${c}`).join(', ')} }`
    case 'return':
    case 'drop':
    case 'reject':
      return s.s
    case 'masquerade':
      return 'masquerade fully-random'
    case 'mark':
      return `meta mark set meta mark ${s.op === 'or' ? '|' : '^'} ${mark(s.mark)}`
    case 'dnat':
      return `dnat to ${s.ip}:${s.port}`
    case 'update':
      // src/statement.c set_stmt_print: "update", the set reference, then "{ key }".
      return `update @${s.set} { ip saddr }`
  }
}

/** One rule as `nft list` prints it inside its chain (rule_print). */
export function listRule(r: NftRule): string {
  const parts = [...r.matches.map(listMatch), listStatement(r.statement)]
  if (r.comment !== null) parts.push(`comment "${r.comment}"`)
  return parts.join(' ')
}

/** One element of a set or map as nft prints it, e.g. `10.96.0.10 . udp . 53 : goto service-...`. */
export function listElement(e: NftElement): string {
  const comment = e.comment !== null ? ` comment "${e.comment}"` : ''
  const value = e.verdict ? ` : ${e.verdict.s === 'goto' ? `goto ${e.verdict.chain}` : 'drop'}` : ''
  return `${elementKey(e.key)}${comment}${value}`
}

/** time_print: days, hours, minutes, seconds, e.g. 10800 -> "3h", 3661 -> "1h1m1s". */
export function nftTime(seconds: number): string {
  const units: [number, string][] = [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ]
  let rest = seconds
  let out = ''
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  return out || '0s'
}

const NEWLINE = ',\n\t\t\t     '

/**
 * set_expr_print with calculate_delim: maps, concatenations, sets with a timeout and elements
 * with comments put one element per line; a plain address set puts two on a line.
 */
function listElements(s: NftSet): string {
  const forceNewline =
    s.kind === 'map' ||
    s.type.includes(' . ') ||
    s.timeout !== null ||
    s.elements.some((e) => e.comment !== null)
  const parts: string[] = []
  let count = 0
  s.elements.forEach((e, i) => {
    parts.push(listElement(e))
    count++
    if (i === s.elements.length - 1) return
    if (forceNewline) parts.push(NEWLINE)
    else if (count < 2) parts.push(', ')
    else {
      count = 0
      parts.push(NEWLINE)
    }
  })
  return `{ ${parts.join('')} }`
}

function listSet(s: NftSet): string[] {
  const out = [`\t${s.kind} ${s.name} {`, `\t\ttype ${s.type}`]
  // "timeout" is left out of the flags when the set has a default timeout.
  const flags = s.flags.filter((f) => !(f === 'timeout' && s.timeout !== null))
  if (flags.length) out.push(`\t\tflags ${flags.join(',')}`)
  if (s.timeout !== null) out.push(`\t\ttimeout ${nftTime(s.timeout)}`)
  if (s.comment !== null) out.push(`\t\tcomment "${s.comment}"`)
  if (s.elements.length) out.push(`\t\telements = ${listElements(s)}`)
  out.push('\t}')
  return out
}

const STD_PRIOS: [number, string][] = [
  [-300, 'raw'],
  [-150, 'mangle'],
  [-100, 'dstnat'],
  [0, 'filter'],
  [50, 'security'],
  [100, 'srcnat'],
]

/**
 * prio2str: the first standard priority within 10 of the chain's, as "name", "name + n" or
 * "name - n", if that name may be used on the hook (dstnat: prerouting and output; srcnat:
 * input and postrouting, since nftables accepted Dan Winship's 2023 change); else the number.
 */
export function priorityName(priority: number, hook: NftHook): string {
  for (const [value, name] of STD_PRIOS) {
    const offset = priority - value
    if (Math.abs(offset) > 10) continue
    const compatible =
      name === 'dstnat'
        ? hook === 'prerouting' || hook === 'output'
        : name === 'srcnat'
          ? hook === 'input' || hook === 'postrouting'
          : true
    if (!compatible) break
    return offset > 0 ? `${name} + ${offset}` : offset < 0 ? `${name} - ${-offset}` : name
  }
  return String(priority)
}

function listChain(c: NftChain): string[] {
  const out = [`\tchain ${c.name} {`]
  if (c.comment !== null) out.push(`\t\tcomment "${c.comment}"`)
  if (c.base)
    out.push(
      `\t\ttype ${c.base.type} hook ${c.base.hook} priority ${priorityName(c.base.priority, c.base.hook)}; policy accept;`,
    )
  for (const r of c.rules) out.push(`\t\t${listRule(r)}`)
  out.push('\t}')
  return out
}

/**
 * table_print: the comment, then the sets and maps, then the chains, each in the order the kernel
 * holds them (the order kube-proxy created them), separated by blank lines. A real node lists
 * set elements in the kernel's hash order; PodPath keeps the order they were added.
 */
export function nftListTable(t: NftTable): string {
  const out = [`table ${t.family} ${t.name} {`]
  if (t.comment !== null) out.push(`\tcomment "${t.comment}"`)
  const blocks = [...t.sets.map(listSet), ...t.chains.map(listChain)]
  blocks.forEach((b, i) => {
    if (i > 0) out.push('')
    out.push(...b)
  })
  out.push('}')
  return `${out.join('\n')}\n`
}
