/**
 * What a lab checks, read from a PodPath trace: the packets the client sends (the DNS queries and
 * the connection the trace follows, from the trace's own source ports), and what the kernel must
 * then show: the outcome, every socket that accepted the request and the address it saw, the
 * conntrack entries, the netfilter rules each followed packet matched on each node, and the
 * frames that crossed the node network. The backend is read from the trace's deliver steps, not
 * from `endpoint` (whose meaning is the dialled address in some versions of the format).
 */
import type { Lookup, Packet, Step, Trace } from '../../model/trace.ts'
import type { Text } from '../../model/text.ts'
import type { Cluster } from '../cluster.ts'
import { nodeTables } from '../proxy/kube-proxy.ts'
import { formatConntrack, type CtEntry } from '../walk/conntrack.ts'

/** A port the lab cannot fix in advance: the kernel or a proxy picks it (masquerade, connect()). */
export const ANY = '*'
export type Port = number | typeof ANY

export interface LabTuple {
  proto: string
  src: string
  dst: string
  sport: Port
  dport: Port
}

export interface LabDnsQuery {
  server: string
  port: number
  sport: number
  id: number
  qname: string
  /** What PodPath's CoreDNS (or public DNS) answered. */
  status: 'NOERROR' | 'NXDOMAIN'
  records: string[]
}

export interface LabRequest {
  proto: string
  dst: string
  dport: number
  sport: number
  http: { method: string; host: string; path: string; headers: Record<string, string> } | null
  /** HTTPS: the name in the ClientHello. */
  sni: string | null
}

/** A socket that accepted the request: a proxy on the way, or the backend at the end. */
export interface LabHop {
  /** tcp: a socket that accepted the request; udp: a DNS server that took a query. */
  proto: string
  /** `namespace/name` of the Pod, or null for a node's own socket. */
  pod: string | null
  node: string
  nsId: string
  component: string
  local: { ip: string; port: number }
  peer: { ip: string; port: Port }
}

/**
 * One packet the trace follows on one node: a leg begins at each send (a query, a request, a
 * proxy's upstream request, an answer). In the kernel it is the first packet of its flow in its
 * direction: for TCP the SYN of a new connection, the SYN-ACK of a reply.
 */
export interface LabPacketAt {
  node: string
  nsId: string
  leg: number
  dir: 'orig' | 'reply'
  /** The tuples it carries while on that node (it may be DNATed or masqueraded there). */
  tuples: LabTuple[]
}

/** A netfilter rule the trace says a packet matched, as the tool prints it. */
export interface LabRule {
  node: string
  nsId: string
  /** The leg (packet) that matched it. */
  leg: number
  /** iptables: filter, nat; nftables: the table, `ip kube-proxy`. */
  table: string
  chain: string
  rule: string
  tool: 'iptables' | 'nft'
}

/**
 * A rule whose counter must move during the traffic (iptables-save -c), and none other on its
 * node and table: every rule a packet of the trace matched there, the followed packets' and the
 * tunnel's own outer packets' (VXLAN's UDP, IP-in-IP), whichever leg.
 */
export interface LabCounter {
  node: string
  nsId: string
  table: string
  chain: string
  rule: string
}

/**
 * A connection IPVS scheduled on a node (the trace's `ipvsadm -Ln` lookups): the virtual
 * service as ipvsadm names it, the real server it picked, and the client address it saw.
 */
export interface LabIpvs {
  node: string
  nsId: string
  /** `TCP 10.96.0.10:80` */
  service: string
  /** `10.244.1.2:8080` */
  server: string
  source: { ip: string; port: Port }
}

export interface LabConntrack {
  node: string
  nsId: string
  /** The line PodPath prints, with ports the kernel picks replaced by `*`. */
  line: string
}

/** A frame on the node network, outer header first when tunnelled. */
export interface LabFrame {
  phase: Step['phase']
  l2: { src: string; dst: string } | null
  outer: {
    encap: 'vxlan' | 'ipip'
    vni: number | null
    src: string
    dst: string
    proto: string
    ttl: number
    dport: number | null
  } | null
  inner: LabTuple & { ttl: number }
}

export interface LabExpectation {
  traffic: string
  seed: number
  /** What the client sees: an answer, a refused connection, nothing (timeout), a DNS answer only. */
  outcome: 'answered' | 'refused' | 'timeout' | 'dns-only' | 'error'
  reason: Text | null
  client: {
    nsId: string | null
    /** Traffic from outside: the client's address (in the lab's Internet namespace). */
    external: string | null
    label: string
    dns: LabDnsQuery[]
    request: LabRequest | null
  }
  /** The HTTP status of the answer when a proxy answers itself (404, 308...). */
  status: number | null
  hops: LabHop[]
  conntrack: LabConntrack[]
  /** IPVS mode: each connection a node's IPVS scheduled (`ipvsadm -Lnc`, `--stats`). */
  ipvs: LabIpvs[]
  rules: LabRule[]
  counters: LabCounter[]
  packets: LabPacketAt[]
  frames: LabFrame[]
  /** Devices the trace crosses (tunl0 needs the ipip module). */
  devices: string[]
  /**
   * The cloud load balancer's choice (the trace's lb-select step): connections to vip:port go to
   * node:nodePort, keeping the client's address.
   */
  lb: { vip: string; port: number; proto: string; nodeIp: string; nodePort: number } | null
}

const IPTABLES = /^iptables -t (\w+) (\S+)$/
const NFT = /^nft (ip \S+) (\S+)$/

function tupleOf(p: Packet, random: Set<number>): LabTuple | null {
  if (!p.l3 || !p.l4) return null
  const port = (n: number): Port => (random.has(n) ? ANY : n)
  return {
    proto: p.l3.proto,
    src: p.l3.src,
    dst: p.l3.dst,
    sport: port(p.l4.srcPort),
    dport: port(p.l4.dstPort),
  }
}

function sameTuple(a: LabTuple, b: LabTuple): boolean {
  return (
    a.proto === b.proto &&
    a.src === b.src &&
    a.dst === b.dst &&
    a.sport === b.sport &&
    a.dport === b.dport
  )
}

/**
 * Ports chosen by someone other than the lab's client: masquerade with --random-fully, a proxy's
 * own connect(), a load balancer's or a tunnel's source port. The kernel picks them at run time.
 */
function randomPorts(t: Trace, fromClient: (s: Step) => boolean): Set<number> {
  const out = new Set<number>()
  for (const s of t.steps) {
    const p = s.packet
    if ((s.action === 'masquerade' || s.action === 'snat') && p.l4) out.add(p.l4.srcPort)
    // A proxy's own upstream connection: its source port comes from connect().
    if (s.action === 'send' && s.phase === 'request' && !fromClient(s) && p.l4)
      out.add(p.l4.srcPort)
    // A tunnel's UDP source port is a hash of the inner flow (udp_flow_src_port).
    if (p.outer?.l4) out.add(p.outer.l4.srcPort)
  }
  return out
}

function withAny(line: string, random: Set<number>): string {
  return line.replace(/\b(sport|dport)=(\d+)/g, (m, k: string, v: string) =>
    random.has(Number(v)) ? `${k}=${ANY}` : m,
  )
}

/** One traffic as the engine ran it: its trace, and each namespace's conntrack entries after it. */
export interface LabRun {
  trace: Trace
  conntrack: Map<string, CtEntry[]>
}

/** The expectations of one trace. `c` is the cluster it was traced on. */
export function labExpectation(c: Cluster, run: LabRun): LabExpectation {
  const t = run.trace
  const steps = t.steps
  // The client: an app in a Pod, a client on the Internet, or a node itself (its own kernel's
  // socket, as curl on the node would open).
  const firstSend = steps.find(
    (s) =>
      s.action === 'send' &&
      (s.at.component === 'app' ||
        s.at.component === 'internet' ||
        (s.at.component === 'kernel' && s.at.pod === null)),
  )
  const external =
    firstSend?.at.component === 'internet' ? (firstSend.packet.l3?.src ?? null) : null
  const clientPod = firstSend?.at.pod ?? null
  const clientNode = firstSend?.at.node ?? null
  const clientNsId = external
    ? null
    : clientPod
      ? (c.podByKey.get(clientPod)?.nsId ?? null)
      : clientNode
        ? (c.nodeByName.get(clientNode)?.nsId ?? null)
        : null
  const fromClient = (s: Step) =>
    (s.action === 'send' || (s.action === 'dns-query' && s.at.component === 'internet')) &&
    (external ? s.at.component === 'internet' : s.at.pod === clientPod && s.at.node === clientNode)

  // The DNS queries the trace follows: each send of the client in the DNS phase, answered by
  // the last DNS answer it gets back.
  const dns: LabDnsQuery[] = []
  for (const s of steps) {
    if (s.phase !== 'dns' || !fromClient(s) || s.packet.app?.protocol !== 'dns') continue
    const q = s.packet
    const answerStep = steps.find(
      (x) =>
        x.index > s.index &&
        x.packet.app?.protocol === 'dns' &&
        x.packet.app.kind === 'answer' &&
        x.packet.app.id === (q.app as { id: number }).id &&
        x.packet.l3 !== null,
    )
    const a = answerStep?.packet.app
    dns.push({
      server: q.l3!.dst,
      port: q.l4!.dstPort,
      sport: q.l4!.srcPort,
      id: (q.app as { id: number }).id,
      qname: (q.app as { question: string }).question,
      status: a?.protocol === 'dns' ? (a.status ?? 'NXDOMAIN') : 'NXDOMAIN',
      records: a?.protocol === 'dns' ? (a.answers ?? []) : [],
    })
  }
  const reqStep = steps.find((s) => s.phase === 'request' && fromClient(s))
  const rp = reqStep?.packet
  const request: LabRequest | null =
    rp?.l3 && rp.l4
      ? {
          proto: rp.l3.proto,
          dst: rp.l3.dst,
          dport: rp.l4.dstPort,
          sport: rp.l4.srcPort,
          http:
            rp.app?.protocol === 'http'
              ? {
                  method: rp.app.method ?? 'GET',
                  host: rp.app.host ?? rp.l3.dst,
                  path: rp.app.path ?? '/',
                  headers: rp.app.headers ?? {},
                }
              : null,
          sni: rp.app?.protocol === 'http' ? (rp.app.tls?.sni ?? null) : null,
        }
      : null
  const random = randomPorts(t, fromClient)
  // A port the client chose is never random, even where another socket happens to reuse it.
  for (const port of [...dns.map((d) => d.sport), ...(request ? [request.sport] : [])])
    random.delete(port)

  // Every socket that accepted the request (deliver steps of the request phase), and the DNS
  // servers that took the queries (deliver steps of the DNS phase, other than at the client).
  const hops: LabHop[] = []
  for (const s of steps) {
    if (s.action !== 'deliver' || !s.packet.l3 || !s.packet.l4) continue
    if (s.phase === 'reply') continue
    if (s.phase === 'dns' && (s.at.pod === clientPod || s.packet.app?.protocol !== 'dns')) continue
    const nsId = s.at.pod
      ? (c.podByKey.get(s.at.pod)?.nsId ?? '')
      : s.at.node
        ? (c.nodeByName.get(s.at.node)?.nsId ?? '')
        : ''
    hops.push({
      proto: s.packet.l3.proto,
      pod: s.at.pod,
      node: s.at.node ?? '',
      nsId,
      component: s.at.component ?? 'app',
      local: { ip: s.packet.l3.dst, port: s.packet.l4.dstPort },
      peer: {
        ip: s.packet.l3.src,
        port: random.has(s.packet.l4.srcPort) ? ANY : s.packet.l4.srcPort,
      },
    })
  }

  // Legs: each send starts one; a leg whose tuple is a reversed earlier one is a reply.
  const legOf: number[] = []
  const legDir = new Map<number, 'orig' | 'reply'>()
  const legTuples = new Map<number, LabTuple[]>()
  let leg = -1
  for (const s of steps) {
    const starts =
      s.packet.l3 !== null &&
      s.packet.l4 !== null &&
      (s.action === 'send' || (s.action === 'dns-query' && s.at.component === 'internet'))
    if (starts) {
      leg = s.index
      const t0 = tupleOf(s.packet, random)!
      const reply = [...legTuples.values()].some((ts) =>
        ts.some(
          (x) =>
            x.proto === t0.proto &&
            x.src === t0.dst &&
            x.dst === t0.src &&
            x.sport === t0.dport &&
            x.dport === t0.sport,
        ),
      )
      legDir.set(leg, reply ? 'reply' : 'orig')
      legTuples.set(leg, [])
    }
    legOf.push(leg)
    const tu = tupleOf(s.packet, random)
    if (leg >= 0 && tu && s.packet.app?.protocol !== 'arp') {
      const ts = legTuples.get(leg)!
      if (!ts.some((x) => sameTuple(x, tu))) ts.push(tu)
    }
  }

  // conntrack: what `conntrack -L` shows on each node once the traffic is over, as PodPath
  // keeps it (the entries the trace's conntrack lookups showed, in their last state).
  const conntrack: LabConntrack[] = []
  for (const [nsId, entries] of run.conntrack) {
    const node = c.nodes.find((n) => n.nsId === nsId)
    if (!node) continue
    for (const e of entries)
      conntrack.push({ node: node.name, nsId, line: withAny(formatConntrack(e), random) })
  }
  const rules: LabRule[] = []
  const seenRule = new Set<string>()
  const nftMode = c.decl.kubeProxy.mode === 'nftables'
  const counters: LabCounter[] = []
  const seenCounter = new Set<string>()
  const packets: LabPacketAt[] = []
  const ipvs: LabIpvs[] = []
  for (const s of steps) {
    if (!s.at.node) continue
    const nsId = c.nodeByName.get(s.at.node)?.nsId ?? ''
    const l0 = legOf[s.index]!
    // IPVS's pick (ipvs-hook.ts): the virtual service's line, then its real servers', the one
    // it scheduled matched. The packet is the scheduled one; IPVS keeps the client's source.
    const vsLine = s.lookups.find((l) => l.table === 'ipvsadm -Ln' && !l.rule.startsWith(' '))
    const rsLine = s.lookups.find(
      (l) => l.table === 'ipvsadm -Ln' && l.matched && l.rule.startsWith('  ->'),
    )
    if (vsLine && rsLine && s.packet.l3 && s.packet.l4) {
      const [proto, vip] = vsLine.rule.trim().split(/\s+/)
      ipvs.push({
        node: s.at.node,
        nsId,
        service: `${proto} ${vip}`,
        server: rsLine.rule.trim().split(/\s+/)[1]!,
        source: {
          ip: s.packet.l3.src,
          port: random.has(s.packet.l4.srcPort) ? ANY : s.packet.l4.srcPort,
        },
      })
    }
    for (const l of s.lookups) {
      const rule = ruleOf(l)
      if (rule && l.matched && rule.tool === 'iptables') {
        const k = `${s.at.node}\t${rule.table}\t${rule.chain}\t${rule.rule}`
        if (!seenCounter.has(k)) {
          seenCounter.add(k)
          counters.push({
            node: s.at.node,
            nsId,
            table: rule.table,
            chain: rule.chain,
            rule: rule.rule,
          })
        }
      }
      // A tunnel's outer packet is not the packet the rule monitor follows (`counters` has it).
      // In nftables mode the monitor is `nft monitor trace` of kube-proxy's table; the lab does
      // not load a CNI agent's iptables rules beside it (flanneld's; docs/lab.md), so they are
      // not asked of the kernel there.
      if (rule && l.matched && !l.outer && (!nftMode || rule.tool === 'nft')) {
        const k = `${s.at.node}\t${l0}\t${rule.table}\t${rule.chain}\t${rule.rule}`
        if (!seenRule.has(k)) {
          seenRule.add(k)
          rules.push({ node: s.at.node, nsId, leg: l0, ...rule })
        }
      }
    }
    // The followed packet on this node's own namespace (Pods have no rules; a hostNetwork Pod
    // is its node's namespace). Outer headers aside: the rule monitor follows the inner packet.
    const pod = s.at.pod ? c.podByKey.get(s.at.pod) : null
    if (pod && !pod.hostNetwork) continue
    const tuple = tupleOf(s.packet, random)
    if (!tuple || l0 < 0 || s.packet.app?.protocol === 'arp') continue
    let at = packets.find((p) => p.node === s.at.node && p.leg === l0)
    if (!at) {
      at = { node: s.at.node, nsId, leg: l0, dir: legDir.get(l0) ?? 'orig', tuples: [] }
      packets.push(at)
      // As it arrived: the step before may already show the node's translation (a DNAT).
      const prev = steps[s.index - 1]
      const arrived = prev && legOf[prev.index] === l0 ? tupleOf(prev.packet, random) : null
      if (arrived && prev!.packet.app?.protocol !== 'arp') at.tuples.push(arrived)
    }
    if (!at.tuples.some((x) => sameTuple(x, tuple))) at.tuples.push(tuple)
  }

  if (t.outcome === 'delivered')
    for (const k of laterPacketCounters(c, steps, legOf)) {
      const key = `${k.node}\t${k.table}\t${k.chain}\t${k.rule}`
      if (!seenCounter.has(key)) {
        seenCounter.add(key)
        counters.push(k)
      }
    }

  const frames: LabFrame[] = []
  for (const s of steps) {
    if (s.at.component !== 'underlay' || s.action !== 'bridge') continue
    const p = s.packet
    const inner = tupleOf(p, random)
    if (!inner || !p.l3) continue
    const o = p.outer
    frames.push({
      phase: s.phase,
      l2: o ? o.l2 : p.l2,
      outer: o
        ? {
            encap: o.encap,
            vni: o.vni ?? null,
            src: o.l3.src,
            dst: o.l3.dst,
            proto: o.l3.proto,
            ttl: o.l3.ttl,
            dport: o.l4?.dstPort ?? null,
          }
        : null,
      inner: { ...inner, ttl: p.l3.ttl },
    })
  }

  // The cloud load balancer's pick (IPVS's pick on a node is an lb-select too).
  const lbStep = steps.find(
    (s) => s.action === 'lb-select' && !s.at.node && s.packet.l3 && s.packet.l4,
  )
  const lbBefore = lbStep ? steps[lbStep.index - 1] : undefined
  const lb =
    lbStep && lbBefore?.packet.l3 && lbBefore.packet.l4
      ? {
          vip: lbBefore.packet.l3.dst,
          port: lbBefore.packet.l4.dstPort,
          proto: lbStep.packet.l3!.proto,
          nodeIp: lbStep.packet.l3!.dst,
          nodePort: lbStep.packet.l4!.dstPort,
        }
      : null
  const last = [...steps]
    .reverse()
    .find((s) => s.phase === 'reply' && s.packet.app?.protocol === 'http')
  const status =
    last?.packet.app?.protocol === 'http' && last.packet.app.status !== undefined
      ? last.packet.app.status
      : null
  const outcome: LabExpectation['outcome'] =
    t.outcome === 'delivered'
      ? 'answered'
      : t.outcome === 'rejected'
        ? 'refused'
        : t.outcome === 'dropped'
          ? 'timeout'
          : t.outcome === 'dns-only'
            ? 'dns-only'
            : 'error'
  return {
    traffic: t.traffic,
    seed: t.seed,
    outcome,
    reason: t.reason,
    client: {
      nsId: clientNsId,
      external,
      label: external
        ? `${external} on the Internet`
        : clientPod
          ? `Pod ${clientPod}`
          : `node ${clientNode ?? '?'}`,
      dns,
      request,
    },
    status,
    hops,
    conntrack,
    ipvs,
    rules,
    counters,
    packets,
    frames,
    devices: [...new Set(steps.map((s) => s.at.device).filter((d): d is string => d !== null))],
    lb,
  }
}

/**
 * The counters a TCP connection's later packets move beyond its first one's: the client's ACKs,
 * data and FIN are ESTABLISHED (nf_conntrack_tcp.c), so on each node, in the first filter chain
 * the request's first packet entered that holds a `--ctstate RELATED,ESTABLISHED -j ACCEPT`
 * rule (kube-proxy's KUBE-FORWARD, felix's cali-fw-/cali-tw-), they are accepted by it. Not so
 * where a rule before it that the first packet matched already ended the chain for it.
 */
function laterPacketCounters(c: Cluster, steps: readonly Step[], legOf: number[]): LabCounter[] {
  const entered = new Map<string, { node: string; chains: string[]; matched: Set<string> }>()
  for (const s of steps) {
    if (s.phase !== 'request' || !s.at.node || s.packet.l3?.proto !== 'tcp') continue
    const key = `${s.at.node}\t${legOf[s.index]}`
    let e = entered.get(key)
    if (!e) entered.set(key, (e = { node: s.at.node, chains: [], matched: new Set() }))
    for (const l of s.lookups) {
      const rule = ruleOf(l)
      if (!rule || rule.tool !== 'iptables' || rule.table !== 'filter' || !l.matched || l.outer)
        continue
      e.matched.add(l.rule)
      if (!e.chains.includes(rule.chain)) e.chains.push(rule.chain)
      const to = / -[jg] (\S+)/.exec(l.rule)?.[1]
      if (to && !e.chains.includes(to)) e.chains.push(to)
    }
  }
  const out: LabCounter[] = []
  for (const e of entered.values()) {
    const node = c.nodeByName.get(e.node)
    if (!node) continue
    const tables = nodeTables(c, e.node)
    for (const chain of e.chains) {
      const rules = tables.chain('filter', chain)
      const at = rules.findIndex(
        (r) => r.target === 'ACCEPT' && r.text.includes('--ctstate RELATED,ESTABLISHED'),
      )
      if (at < 0) continue
      const ended = rules
        .slice(0, at)
        .some((r) => e.matched.has(r.text) && (r.goto || ENDS_CHAIN.has(r.target ?? '')))
      if (!ended)
        out.push({ node: e.node, nsId: node.nsId, table: 'filter', chain, rule: rules[at]!.text })
      break
    }
  }
  return out
}

const ENDS_CHAIN = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN'])

function ruleOf(l: Lookup): Omit<LabRule, 'node' | 'nsId' | 'leg'> | null {
  const ipt = IPTABLES.exec(l.table)
  if (ipt) return { table: ipt[1]!, chain: ipt[2]!, rule: l.rule, tool: 'iptables' }
  const nft = NFT.exec(l.table)
  if (nft) return { table: nft[1]!, chain: nft[2]!, rule: l.rule, tool: 'nft' }
  return null
}
