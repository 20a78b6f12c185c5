/** Connection tracking entries, and how `conntrack -L` prints them (libnetfilter_conntrack). */
export interface Tuple {
  src: string
  dst: string
  sport: number
  dport: number
}

export interface CtEntry {
  proto: string
  orig: Tuple
  /** What the reply will look like; NAT is the difference between this and the swapped original. */
  reply: Tuple
  replied: boolean
  /** How the destination was translated: REDIRECT (to the node itself) or DNAT (the default). */
  nat?: 'redirect' | 'dnat'
  /** How the source was translated: MASQUERADE (the out device's address) or SNAT --to-source. */
  srcNat?: 'masquerade' | 'snat'
}

const PROTO_NUM: Record<string, number> = { tcp: 6, udp: 17, sctp: 132 }

/**
 * "%-8s %u " protocol and number, the timeout, the TCP state, both tuples, flags, mark and use.
 * A new TCP connection waits in SYN_SENT (nf_conntrack_tcp_timeout_syn_sent 120 s); once replied,
 * ESTABLISHED for 86400 s, the value kube-proxy sets (conntrack.tcpEstablishedTimeout).
 */
export function formatConntrack(e: CtEntry): string {
  const t = (x: Tuple) => `src=${x.src} dst=${x.dst} sport=${x.sport} dport=${x.dport}`
  const head = `${e.proto.padEnd(8)} ${PROTO_NUM[e.proto] ?? 0} `
  if (e.proto === 'tcp') {
    return e.replied
      ? `${head}86399 ESTABLISHED ${t(e.orig)} ${t(e.reply)} [ASSURED] mark=0 use=1`
      : `${head}120 SYN_SENT ${t(e.orig)} [UNREPLIED] ${t(e.reply)} mark=0 use=1`
  }
  // UDP (nf_conntrack_proto_udp.c): 30 s until replied, and a single query and answer (DNS) stays
  // at 30 s without ASSURED; only traffic still flowing after 2 s becomes a 120 s ASSURED stream.
  return e.replied
    ? `${head}29 ${t(e.orig)} ${t(e.reply)} mark=0 use=1`
    : `${head}29 ${t(e.orig)} [UNREPLIED] ${t(e.reply)} mark=0 use=1`
}

export function sameTuple(a: Tuple, b: Tuple): boolean {
  return a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport
}
