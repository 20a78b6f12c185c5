/**
 * What a trace learns as it goes (ARP entries, bridge MAC learning) without touching the built
 * cluster: each namespace's tables are copied on first write, so `trace` stays a pure function.
 */
import type { Cluster } from '../cluster.ts'
import type { Fdb, Neigh, NetNs } from '../net/netns.ts'
import type { CtEntry } from './conntrack.ts'

/**
 * Memory a data plane keeps across the connections of one session (IPVS's connection counts,
 * iptables' `recent` lists): a typed key, made on first use (`WalkState.memory`).
 */
export interface MemoryKey<T> {
  readonly name: string
  make(): T
}

export class WalkState {
  private neighs = new Map<string, Neigh[]>()
  private fdbs = new Map<string, Fdb[]>()
  /** Each node's conntrack table, as the trace fills it. */
  readonly conntrack = new Map<string, CtEntry[]>()
  /**
   * The flows of the tunnels' own packets (VXLAN's UDP, IP-in-IP) in each node's conntrack, by
   * original tuple. IP-in-IP has no ports: conntrack's generic tracker keys it by addresses and
   * protocol (net/netfilter/nf_conntrack_proto_generic.c), so one flow holds both directions.
   */
  private readonly tunnelFlows = new Map<string, Set<string>>()
  /** Called after each step is emitted, with its index (a trace stopped at a step: inspect.ts). */
  onStep: ((index: number) => void) | null = null

  constructor(
    readonly cluster: Cluster,
    /** The data planes' memory, shared by the connections of one session (by key). */
    private readonly session: Map<MemoryKey<unknown>, unknown> = new Map(),
  ) {}

  /**
   * conntrack meets a tunnel's outer packet (at PREROUTING or OUTPUT): whether it opens a flow
   * (NEW) or belongs to one seen before, in either direction; a new flow is remembered.
   */
  tunnelFlowIsNew(
    nsId: string,
    t: { proto: string; src: string; dst: string; sport: number; dport: number },
  ): boolean {
    const key = (a: string, ap: number, b: string, bp: number) => `${t.proto} ${a}:${ap} ${b}:${bp}`
    let seen = this.tunnelFlows.get(nsId)
    if (!seen) {
      seen = new Set()
      this.tunnelFlows.set(nsId, seen)
    }
    if (
      seen.has(key(t.src, t.sport, t.dst, t.dport)) ||
      seen.has(key(t.dst, t.dport, t.src, t.sport))
    )
      return false
    seen.add(key(t.src, t.sport, t.dst, t.dport))
    return true
  }

  /** A data plane's memory for this session, made on first use. */
  memory<T>(key: MemoryKey<T>): T {
    if (!this.session.has(key)) this.session.set(key, key.make())
    return this.session.get(key) as T
  }

  ns(id: string): NetNs {
    const ns = this.cluster.netns.get(id)
    if (!ns) throw new Error(`internal: no namespace ${id}`)
    return ns
  }

  neigh(nsId: string): readonly Neigh[] {
    return this.neighs.get(nsId) ?? this.ns(nsId).neigh
  }

  fdb(nsId: string): readonly Fdb[] {
    return this.fdbs.get(nsId) ?? this.ns(nsId).fdb
  }

  /** Adds or refreshes a neighbour entry; PERMANENT entries are never overwritten. */
  learnNeigh(nsId: string, entry: Neigh): Neigh {
    let list = this.neighs.get(nsId)
    if (!list) {
      list = [...this.ns(nsId).neigh]
      this.neighs.set(nsId, list)
    }
    const i = list.findIndex((n) => n.ip === entry.ip && n.dev === entry.dev)
    if (i >= 0) {
      if (list[i]!.state === 'PERMANENT') return list[i]!
      list[i] = entry
    } else list.push(entry)
    return entry
  }

  /** The neighbour and bridge entries learnt so far, by namespace: copies, safe to keep. */
  learnt(): { neigh: Map<string, Neigh[]>; fdb: Map<string, Fdb[]> } {
    const copy = <T extends object>(m: Map<string, T[]>) =>
      new Map([...m].map(([k, v]) => [k, v.map((e) => ({ ...e }))]))
    return { neigh: copy(this.neighs), fdb: copy(this.fdbs) }
  }

  /** Bridge MAC learning: the source MAC of a frame is now known to live behind its port. */
  learnFdb(nsId: string, entry: Fdb): void {
    let list = this.fdbs.get(nsId)
    if (!list) {
      list = [...this.ns(nsId).fdb]
      this.fdbs.set(nsId, list)
    }
    const i = list.findIndex((f) => f.mac === entry.mac && f.master === entry.master)
    if (i >= 0) {
      if (list[i]!.permanent) return
      list[i] = entry
    } else list.push(entry)
  }
}
