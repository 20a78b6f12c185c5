/**
 * The `recent` match's address lists (xt_recent), which kube-proxy's iptables mode uses for
 * sessionAffinity: ClientIP: the KUBE-SEP chain `--set`s the client's address in a list named
 * after itself, and KUBE-SVC's `--rcheck --seconds <timeout>` sends a client found there back to
 * the same endpoint. The lists live in the node's kernel, so they outlast one connection: a
 * session keeps them (see traceSession).
 */
import type { MemoryKey } from '../walk/state.ts'
export class RecentLists {
  private readonly lists = new Map<string, Set<number>>()

  has(node: string, name: string, ip: number): boolean {
    return this.lists.get(`${node}|${name}`)?.has(ip) ?? false
  }

  set(node: string, name: string, ip: number): void {
    const k = `${node}|${name}`
    const list = this.lists.get(k) ?? new Set<number>()
    list.add(ip)
    this.lists.set(k, list)
  }
}

/** The walk's session memory for these lists, shared by the connections of one session. */
export const RECENT_LISTS: MemoryKey<RecentLists> = {
  name: 'xt_recent lists',
  make: () => new RecentLists(),
}
