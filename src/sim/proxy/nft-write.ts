/**
 * What kube-proxy writes: its rules as the text it hands to `nft` through knftables
 * (pkg/proxy/nftables/proxier.go), and a whole table as knftables' Fake.Dump() lists it
 * (sigs.k8s.io/knftables fake.go): the table, the chains sorted by name, the sets and maps
 * sorted by name, then every chain's rules, then every set's and map's elements.
 */
import type { NftElement, NftMatch, NftRule, NftSet, NftStatement, NftTable } from './nft-table.ts'
import { listElement, listStatement } from '../print/nft-list.ts'

function writeMatch(m: NftMatch, markText: string): string {
  switch (m.m) {
    case 'ct-new':
      return 'ct state new'
    case 'addr':
      return `ip ${m.field}${m.negate ? ' !=' : ''} ${m.value}`
    case 'addr-set':
      return `ip ${m.field} @${m.set}`
    case 'addr-anon':
      return `ip ${m.field}${m.negate ? ' !=' : ''} { ${m.values.join(m.sep)} }`
    case 'dport':
      return `${m.proto} dport ${m.port}`
    case 'fib-local':
      return `fib ${m.field} type local`
    case 'mark-clear':
      return `mark and ${markText} == 0`
    case 'l4proto':
      return `meta l4proto ${m.proto}`
  }
}

/** One statement as kube-proxy writes it: as nft lists it, except for these two spellings. */
function writeStatement(s: NftStatement, markText: string): string {
  switch (s.s) {
    case 'numgen':
      // knftables.Concat joins kube-proxy's tokens with spaces, so "," stands alone.
      return `numgen random mod ${s.chains.length} vmap { ${s.chains.map((c, i) => `${i} : goto ${c}`).join(' , ')} }`
    case 'mark':
      return `mark set mark ${s.op} ${markText}`
    default:
      return listStatement(s)
  }
}

/** One rule as kube-proxy writes it, e.g. `ip saddr 10.180.0.1 jump mark-for-masquerade`. */
export function writeRule(r: NftRule, markText: string): string {
  const parts = [
    ...r.matches.map((m) => writeMatch(m, markText)),
    writeStatement(r.statement, markText),
  ]
  if (r.comment !== null) parts.push(`comment "${r.comment}"`)
  return parts.join(' ')
}

function writeElement(e: NftElement): string {
  return `{ ${listElement(e)} }`
}

function writeSetSpec(s: NftSet): string {
  const parts = [`type ${s.type} ;`]
  if (s.flags.length) parts.push(`flags ${s.flags.join(',')} ;`)
  if (s.timeout !== null) parts.push(`timeout ${s.timeout}s ;`)
  if (s.comment !== null) parts.push(`comment "${s.comment}" ;`)
  return `{ ${parts.join(' ')} }`
}

/** The table as `add table/chain/set/map/rule/element` lines, in knftables' Dump() order. */
export function transactionText(t: NftTable, markText: string): string {
  const p = `${t.family} ${t.name}`
  const byName = <T extends { name: string }>(xs: readonly T[]) =>
    [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const chains = byName(t.chains)
  const sets = byName(t.sets.filter((s) => s.kind === 'set'))
  const maps = byName(t.sets.filter((s) => s.kind === 'map'))
  const out = [`add table ${p}${t.comment !== null ? ` { comment "${t.comment}" ; }` : ''}`]
  for (const c of chains) {
    const spec: string[] = []
    // knftables' fake stores the priority as a number (DNATPriority + "-10" becomes -110).
    if (c.base) spec.push(`type ${c.base.type} hook ${c.base.hook} priority ${c.base.priority} ;`)
    if (c.comment !== null) spec.push(`comment "${c.comment}" ;`)
    out.push(`add chain ${p} ${c.name}${spec.length ? ` { ${spec.join(' ')} }` : ''}`)
  }
  for (const s of sets) out.push(`add set ${p} ${s.name} ${writeSetSpec(s)}`)
  for (const m of maps) out.push(`add map ${p} ${m.name} ${writeSetSpec(m)}`)
  for (const c of chains)
    for (const r of c.rules) out.push(`add rule ${p} ${c.name} ${writeRule(r, markText)}`)
  for (const s of [...sets, ...maps])
    for (const e of s.elements) out.push(`add element ${p} ${s.name} ${writeElement(e)}`)
  return `${out.join('\n')}\n`
}
