/**
 * What IPVS on each node remembers between the connections of one session: how many
 * connections each real server holds (ActiveConn / InActConn in `ipvsadm -Ln`, which lc, wlc,
 * sed and nq read), where round robin stopped, and the persistence templates of
 * sessionAffinity: ClientIP. A trace of the k-th connection replays the k-1 before it into one
 * ledger, so a session is still a pure function of (scenario, traffic, seed, k).
 */
import type { MemoryKey } from '../walk/state.ts'

export interface ConnCounts {
  active: number
  inactive: number
}

const key = (node: string, vs: string, dest: string) => `${node}|${vs}|${dest}`

export class IpvsLedger {
  private readonly conns = new Map<string, ConnCounts>()
  private readonly lastRr = new Map<string, number>()
  private readonly templates = new Map<string, string>()

  /** A copy that later connections do not change (the kernel's state at one step). */
  clone(): IpvsLedger {
    const c = new IpvsLedger()
    for (const [k, v] of this.conns) c.conns.set(k, { ...v })
    for (const [k, v] of this.lastRr) c.lastRr.set(k, v)
    for (const [k, v] of this.templates) c.templates.set(k, v)
    return c
  }

  counts(node: string, vs: string, dest: string): ConnCounts {
    return this.conns.get(key(node, vs, dest)) ?? { active: 0, inactive: 0 }
  }

  /** The index round robin used last on this virtual service, if any connection went through it. */
  lastRoundRobin(node: string, vs: string): number | null {
    return this.lastRr.get(`${node}|${vs}`) ?? null
  }

  /** The real server a persistence template binds this client to, if one exists. */
  template(node: string, vs: string, client: string): string | null {
    return this.templates.get(key(node, vs, client)) ?? null
  }

  /**
   * A new connection to `dest`. A TCP connection that completed its handshake counts as active;
   * UDP has no such state and IPVS counts it as inactive (ip_vs_conn.c, ip_vs_proto_udp.c).
   */
  record(
    node: string,
    vs: string,
    dest: string,
    index: number,
    proto: string,
    client: string,
    persistent: boolean,
  ): void {
    const c = this.counts(node, vs, dest)
    this.conns.set(
      key(node, vs, dest),
      proto === 'tcp' ? { ...c, active: c.active + 1 } : { ...c, inactive: c.inactive + 1 },
    )
    this.lastRr.set(`${node}|${vs}`, index)
    if (persistent) this.templates.set(key(node, vs, client), dest)
  }
}

/** The walk's session memory for the ledger, shared by the connections of one session. */
export const IPVS_LEDGER: MemoryKey<IpvsLedger> = {
  name: 'IPVS connection counts',
  make: () => new IpvsLedger(),
}
