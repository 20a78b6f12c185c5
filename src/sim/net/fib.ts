/**
 * Route lookup as the kernel does it: policy rules in priority order (`ip rule`), then the
 * longest matching prefix of each rule's table; table local comes first (rule 0).
 */
import { cidrContains } from '../../model/ipv4.ts'
import type { NetNs, Route, Rule } from './netns.ts'

export interface RouteMatch {
  route: Route
  /** The policy rule that chose the table, when it is not one of the three default rules. */
  rule: Rule | null
}

function isDefaultRule(r: Rule): boolean {
  return (
    r.from === null &&
    r.to === null &&
    (r.priority === 0 || r.priority === 32766 || r.priority === 32767)
  )
}

export function lookupTable(ns: NetNs, table: Route['table'], dst: number): Route | null {
  let best: Route | null = null
  let bestLen = -1
  for (const r of ns.routes) {
    if (r.table !== table) continue
    const len = r.dst === 'default' ? 0 : r.dst.prefix
    if (len <= bestLen) continue
    if (r.dst !== 'default' && !cidrContains(r.dst, dst)) continue
    best = r
    bestLen = len
  }
  return best
}

export function lookupRoute(ns: NetNs, dst: number, src: number | null): RouteMatch | null {
  const rules = [...ns.rules].sort((a, b) => a.priority - b.priority)
  for (const rule of rules) {
    if (rule.to && !cidrContains(rule.to, dst)) continue
    if (rule.from && (src === null || !cidrContains(rule.from, src))) continue
    const route = lookupTable(ns, rule.table, dst)
    if (route) return { route, rule: isDefaultRule(rule) ? null : rule }
  }
  return null
}
