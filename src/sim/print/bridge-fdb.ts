/** Forwarding database entries as `bridge fdb show` prints them (iproute2 bridge/fdb.c). */
import { formatIp } from '../../model/ipv4.ts'
import type { Fdb } from '../net/netns.ts'

export function formatFdb(f: Fdb): string {
  const parts = [f.mac, 'dev', f.dev]
  if (f.dst !== null) parts.push('dst', formatIp(f.dst))
  if (f.self) parts.push('self')
  if (f.master !== null) parts.push('master', f.master)
  if (f.permanent) parts.push('permanent')
  return parts.join(' ')
}
