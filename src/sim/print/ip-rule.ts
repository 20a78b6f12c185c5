/** Policy rules as `ip rule` prints them: "512:\tfrom all to 10.0.0.23 lookup main". */
import { formatIp } from '../../model/ipv4.ts'
import type { Rule } from '../net/netns.ts'

export function formatRule(r: Rule): string {
  const cidr = (c: NonNullable<Rule['from']>) =>
    c.prefix === 32 ? formatIp(c.base) : `${formatIp(c.base)}/${c.prefix}`
  const from = r.from ? cidr(r.from) : 'all'
  const to = r.to ? ` to ${cidr(r.to)}` : ''
  const table = r.table === 253 ? 'default' : String(r.table)
  return `${r.priority}:\tfrom ${from}${to} lookup ${table}`
}
