/** Neighbour (ARP) entries as `ip neigh` prints them. */
import { formatIp } from '../../model/ipv4.ts'
import type { Neigh } from '../net/netns.ts'

export function formatNeigh(n: Neigh): string {
  return `${formatIp(n.ip)} dev ${n.dev} lladdr ${n.lladdr} ${n.state}`
}
