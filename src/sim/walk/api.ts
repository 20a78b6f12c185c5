/**
 * What the packet walk shows to the code that hooks into it: a data plane's netfilter hook
 * functions (`NfHookFn`, registered in ./hooks.ts) and the processes listening on a socket
 * (`ProxyListener`, found through a `ListenerSource`) see the walk as a `Walk`. Types only, and
 * nothing here imports a data plane: data planes import this file, never the other way round.
 */
import type { Text } from '../../model/text.ts'
import type { Action, Location, Lookup, Packet, Phase, Step } from '../../model/trace.ts'
import type { BuiltPod, Cluster } from '../cluster.ts'
import type { Link, NetNs, Route } from '../net/netns.ts'
import type { RouteMatch } from '../net/fib.ts'
import type { Rng } from '../rng.ts'
import type { BuiltLoadBalancer } from '../services/load-balancer.ts'
import type { CtEntry } from './conntrack.ts'
import type { WalkState } from './state.ts'

export interface Endpoint {
  nsId: string
  node: string
  pod: BuiltPod | null
  container: string | null
  /** A client outside the cluster: its address (it has no namespace in the model). */
  external?: string
  /** Set when a proxy process (userspace kube-proxy, an Ingress controller) owns the socket. */
  process?: ProxyListener
}

export type WalkResult =
  | {
      kind: 'delivered'
      to: Endpoint
      packet: Packet
      /** The proxy processes the request went through, outermost first. */
      via?: ProxyHop[]
      /** The last proxy answered the request itself, with this HTTP status. */
      answer?: { status: number; headers: Record<string, string>; why?: Text }
    }
  | { kind: 'dropped' | 'rejected'; reason: Text }

/** The netfilter hooks of IPv4 (NF_INET_PRE_ROUTING .. NF_INET_POST_ROUTING), by iptables' names. */
export type NfHook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING'

/**
 * A function a data plane registers at a netfilter hook (nf_hookfn): it sees the packet in `ns`,
 * on `device` (the in device before routing, the out device at POSTROUTING; null where the
 * kernel has none) and at FORWARD also `out`, the device it will leave by; it may rewrite it
 * and emit steps, and returns a result to stop the walk there (NF_DROP, or a packet it took
 * over: NF_STOLEN) or null to let it go on (NF_ACCEPT).
 */
export type NfHookFn = (
  w: Walk,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: NfHook,
  out?: string | null,
) => WalkResult | null

/**
 * A BPF program attached on tc to a device (a tc/tcx filter in direct-action mode): it sees
 * each frame the device receives before the stack does, and returns a result when it took the
 * packet (TC_ACT_REDIRECT, a drop) or null to hand it to the stack (TC_ACT_OK).
 */
export type TcProgramFn = (w: Walk, ns: NetNs, link: Link, pkt: Packet) => WalkResult | null

/**
 * A program at a socket's connect() (a cgroup/connect4 or sendmsg4 BPF program): it may
 * rewrite the destination before any packet exists, and returns a result when connect() fails.
 */
export type SockConnectFn = (w: Walk, from: Endpoint, ns: NetNs, pkt: Packet) => WalkResult | null

/** The connection a cloud load balancer forwarded (to rewrite its reply). */
export interface LbFlow {
  lb: BuiltLoadBalancer
  lbIp: string
  lbPort: number
  nodeIp: string
  nodePort: number
}

/** The walk of one trace, as the walk's own steps, the hooks and the listeners use it. */
export interface Walk {
  readonly state: WalkState
  readonly rng: Rng
  readonly steps: Step[]
  phase: Phase
  /** Whether the packet being walked opens a connection (conntrack NEW) or belongs to one. */
  newConnection: boolean
  /** The trace's seed, for choices a real component makes from its history (round robin). */
  seed: number
  /** In the reply phase: the client whose connected socket the reply is for. */
  replyTo: Endpoint | null
  /** The connection a cloud load balancer forwarded (to rewrite its reply). */
  lbFlow: LbFlow | null
  /** The packet's netfilter mark (skb->mark), e.g. kube-proxy's 0x4000 "masquerade me". */
  mark: number
  /** A reply's conntrack entry, found at PREROUTING, whose DNAT is undone at POSTROUTING or INPUT. */
  reverse: CtEntry | null
  /** The nat rules the packet was last tested against without a DNAT (a later hook shows them). */
  natTested: Lookup[]
  /** nat rules a new packet went through without being DNATed (a KUBE-FW chain), for a later DROP. */
  natTrail: Lookup[] | null
  /** The bridge port a frame for the bridge's own MAC came in on, kept by br_netfilter. */
  bridgeIngress: { nsId: string; bridge: string; port: string; dnatted: boolean } | null

  startPhase(phase: Phase, newConnection: boolean, keepLast?: boolean): void
  /** `note`: what the data plane that let the packet pass says of it, added to that step's narration. */
  passed(ns: NetNs, lookups: Lookup[], after?: boolean, note?: Text | null): void
  where(ns: NetNs, extra?: Partial<Location>): Location
  emit(
    action: Action,
    at: Location,
    pkt: Packet,
    lookups: Lookup[],
    explain: Text,
    opts?: { sideMessage?: boolean },
  ): void
  drop(
    ns: NetNs | null,
    at: Partial<Location>,
    pkt: Packet,
    reason: Text,
    explain: Text,
    lookups?: Lookup[],
  ): WalkResult
  routeLookups(m: RouteMatch): Lookup[]
  selectSource(ns: NetNs, r: Route): string
  send(from: Endpoint, pkt: Packet, sendExplain: Text): WalkResult
  noRoute(ns: NetNs, pkt: Packet): WalkResult
  afterRoute(ns: NetNs, inLink: Link | null, pkt: Packet, m: RouteMatch, local: boolean): WalkResult
  transmit(ns: NetNs, link: Link, pkt: Packet): WalkResult
  receive(ns: NetNs, link: Link, pkt: Packet): WalkResult
  ipReceive(ns: NetNs, link: Link, pkt: Packet): WalkResult
  /**
   * Runs what registered at a netfilter hook, from priority `from` on (see ./hooks.ts). A packet
   * with an outer header meets them as that outer packet (its rules marked `outer`, walker.ts).
   */
  nfHook(
    hook: NfHook,
    ns: NetNs,
    device: string | null,
    pkt: Packet,
    from?: number,
    out?: string | null,
  ): WalkResult | null
  /** Runs the BPF program attached on tc ingress of `link`, if any (see ./hooks.ts). */
  tcIngress(ns: NetNs, link: Link, pkt: Packet): WalkResult | null
  /** The process listening on `proto` port `port` in `ns`, if one registered. */
  listenerAt(ns: NetNs, proto: string, port: number): ProxyListener | null
}

/** One accepted connection, as the process sees it (getpeername / getsockname). */
export interface Accepted {
  walker: Walk
  client: { ip: string; port: number }
  local: { ip: string; port: number }
  proto: string
  app: Packet['app']
}

/** A step the process takes before it connects onwards (TLS termination, an L7 route). */
export interface ProxyStep {
  action: Action
  lookups: Lookup[]
  explain: Text
  /** The request as the process sees it after this step (e.g. decrypted); default: unchanged. */
  app?: Packet['app']
}

/** What the process decided for one connection. */
export type UpstreamChoice =
  | {
      kind: 'upstream'
      /** Steps before the upstream is chosen, shown in order at the process. */
      steps?: ProxyStep[]
      ip: string
      port: number
      /** `namespace/name` of the Pod behind the upstream address, when known. */
      pod: string | null
      /** How it chose: its tables, logs or config lines, as the real tool shows them. */
      lookups: Lookup[]
      explain: Text
      /** An L7 proxy may rewrite the request (e.g. add X-Forwarded-For); default: copied as is. */
      app?: Packet['app']
    }
  | { kind: 'refuse'; reason: Text; lookups: Lookup[]; explain: Text }
  | {
      /** An L7 proxy answers the request itself (404, a redirect, 503): no second connection. */
      kind: 'answer'
      status: number
      steps?: ProxyStep[]
      headers?: Record<string, string>
      /** Why the proxy answers itself, for the answer's explanation. */
      why?: Text
    }

/** A listening process: where it listens, who it is, and how it picks an upstream. */
export interface ProxyListener {
  /** The trace's `at.component`: 'kube-proxy', 'ingress-nginx', 'gateway', ... */
  component: string
  proto: string
  /** The port it listens on, on every address of its namespace (0.0.0.0). */
  port: number
  /** A short description for explanations, e.g. "kube-proxy's socket for Service default/web:http". */
  role: Text
  choose(c: Accepted): UpstreamChoice
  /** What crossing this process costs, appended to the proxy step's explanation. */
  cost?: Text
  /** The container the process runs in, when it runs in a Pod. */
  container?: string
}

/** The processes of one kind listening in a namespace (a data plane registers one of these). */
export type ListenerSource = (c: Cluster, ns: NetNs) => ProxyListener[]

/** A proxy the request went through: the process, its client, and the packet it accepted. */
export interface ProxyHop {
  proxy: Endpoint
  listener: ProxyListener
  client: Endpoint
  accepted: Packet
}
