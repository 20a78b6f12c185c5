/**
 * The trace format, `podpath.trace/v2` (docs/trace-format.md): what the engine
 * produces, the UI animates, the command line prints and tests assert on.
 */
import type { Text } from './text.ts'

export const TRACE_FORMAT = 'podpath.trace/v2'

export type Phase = 'dns' | 'request' | 'reply'

export type Action =
  | 'send'
  | 'loopback'
  | 'veth'
  | 'bridge'
  | 'arp'
  | 'route'
  | 'encapsulate'
  | 'decapsulate'
  | 'dnat'
  | 'snat'
  | 'masquerade'
  | 'unnat'
  | 'lb-select'
  | 'dns-query'
  | 'dns-answer'
  | 'proxy'
  | 'tls-terminate'
  | 'l7-route'
  | 'deliver'
  | 'drop'
  | 'reject'

export interface L2 {
  src: string
  dst: string
}

export interface L3 {
  src: string
  dst: string
  /** tcp | udp | icmp | ipip (IP protocol 4) */
  proto: string
  ttl: number
}

export interface L4 {
  srcPort: number
  dstPort: number
}

export interface Outer {
  encap: 'vxlan' | 'ipip'
  vni?: number
  l2: L2 | null
  l3: L3
  l4: (L4 & { proto: 'udp' }) | null
}

/** An ARP message, shown on `arp` steps instead of the data packet. */
export interface ArpApp {
  protocol: 'arp'
  operation: 'request' | 'reply'
  senderIp: string
  senderMac: string
  targetIp: string
  /** All zeros in a request: that is what the sender asks for. */
  targetMac: string
  /** The MAC the reply gave, or null when nobody answered. */
  answer: string | null
}

export interface HttpApp {
  protocol: 'http'
  kind: 'request' | 'response'
  method?: string
  host?: string
  path?: string
  headers?: Record<string, string>
  /** HTTPS: the request travels inside TLS; `sni` is the name in the ClientHello. */
  tls?: { sni: string }
  /** On a response that a proxy wrote itself (404, 308, 503): its status code. */
  status?: number
}

/** A DNS message: the question, and on answers the status and records (as `dig` prints them). */
export interface DnsApp {
  protocol: 'dns'
  kind: 'query' | 'answer'
  id: number
  question: string
  type: 'A'
  status?: 'NOERROR' | 'NXDOMAIN'
  answers?: string[]
}

export interface Packet {
  l2: L2 | null
  l3: L3 | null
  l4: L4 | null
  app: HttpApp | ArpApp | DnsApp | null
  outer: Outer | null
}

export interface Location {
  node: string | null
  pod: string | null
  container: string | null
  device: string | null
  component: string | null
  hook: string | null
}

export interface Lookup {
  /** The table and the command that prints it on a node: `ip route`, `ip neigh`, `bridge fdb show`. */
  table: string
  /** The entry exactly as that tool prints it. */
  rule: string
  matched: boolean
  /**
   * Set on a netfilter rule the tunnel's outer packet (VXLAN's UDP, IP-in-IP) matched as it
   * left or reached the node, not the packet the step shows: the kernel counts both.
   */
  outer?: true
}

export interface Step {
  index: number
  phase: Phase
  at: Location
  action: Action
  packet: Packet
  /** Dotted paths of the fields that changed since the previous step's packet. */
  changed: string[]
  lookups: Lookup[]
  explain: Text
}

export type Outcome = 'delivered' | 'dropped' | 'rejected' | 'dns-only' | 'error'

/** The address and port the client's socket connected to: a ClusterIP, a NodePort, an LB IP, a Pod IP. */
export interface Dialled {
  ip: string
  port: number
}

/**
 * The backend the connection reached: the socket that accepted it at the end of the path, after
 * every DNAT and proxy (a Service's endpoint Pod on its targetPort, or a proxy that answered
 * itself, such as an Ingress controller's 404).
 */
export interface TraceEndpoint {
  /** `namespace/name`, or null for a socket of the node itself. */
  pod: string | null
  container: string | null
  /** The node of the socket; empty for a host outside the cluster (an egress request). */
  node: string
  /** The destination address and port as the accepting socket sees them. */
  ip: string
  port: number
}

export interface Trace {
  format: typeof TRACE_FORMAT
  traffic: string
  seed: number
  /**
   * Present from the second connection of a session on: this trace is connection k of the same
   * traffic, after k-1 earlier ones (seeds seed .. seed+k-2) that are still open.
   */
  connection?: number
  outcome: Outcome
  /** Why it was not delivered, in both languages (as `explain`); null when delivered. */
  reason: Text | null
  /** What the client connected to; null when no connection was opened (DNS failed, ExternalName, an error). */
  dialled: Dialled | null
  /** Where the connection was accepted; null when the request reached no socket (dropped, rejected on the way). */
  endpoint: TraceEndpoint | null
  steps: Step[]
}

/** The one way a trace is written as JSON: two-space indent and a final newline, everywhere. */
export function traceJson(t: Trace): string {
  return `${JSON.stringify(t, null, 2)}\n`
}
