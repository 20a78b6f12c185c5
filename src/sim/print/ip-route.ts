/** Routes as `ip route` prints them (iproute2 ip/iproute.c print_route field order). */
import { formatIp } from '../../model/ipv4.ts'
import type { Route } from '../net/netns.ts'

export function formatDst(dst: Route['dst']): string {
  if (dst === 'default') return 'default'
  // iproute2 leaves out /32 on host routes.
  return dst.prefix === 32 ? formatIp(dst.base) : `${formatIp(dst.base)}/${dst.prefix}`
}

export function formatRoute(r: Route): string {
  const parts: string[] = []
  if (r.type !== 'unicast') parts.push(r.type)
  parts.push(formatDst(r.dst))
  if (r.via !== null) parts.push('via', formatIp(r.via))
  if (r.dev !== null) parts.push('dev', r.dev)
  if (r.proto !== null) parts.push('proto', r.proto)
  if (r.scope !== null) parts.push('scope', r.scope)
  if (r.src !== null) parts.push('src', formatIp(r.src))
  if (r.metric !== null) parts.push('metric', String(r.metric))
  if (r.onlink) parts.push('onlink')
  if (r.mtu !== null) parts.push('mtu', String(r.mtu))
  return parts.join(' ')
}

/** The command a learner types to see this route's table. */
export function routeCommand(table: Route['table']): string {
  if (table === 'main') return 'ip route'
  return `ip route show table ${table}`
}
