/**
 * The Linux networking state PodPath simulates: network namespaces holding links, addresses,
 * routes, neighbour (ARP) entries, bridge forwarding entries and policy rules. Everything the
 * engine decides, it decides by looking these up, exactly as the kernel would.
 */
import type { Cidr } from '../../model/ipv4.ts'

export type LinkKind = 'loopback' | 'ether' | 'veth' | 'bridge' | 'vxlan' | 'ipip' | 'dummy'

export interface Addr {
  ip: number
  prefix: number
  scope: 'global' | 'host' | 'link'
}

export interface Link {
  ifindex: number
  name: string
  kind: LinkKind
  mtu: number
  /** Null for links without a hardware address (loopback prints zeros, ipip prints its IPs). */
  mac: string | null
  addrs: Addr[]
  /** The bridge this link is a port of. */
  master: string | null
  /** The other end of a veth pair. */
  peer: { ns: string; ifname: string; ifindex: number } | null
  vxlan: {
    vni: number
    port: number
    local: number
    dev: string
    learning: boolean
    /** A collect-metadata device (`ip link add ... external`): the VNI and remote come per packet. */
    external?: boolean
  } | null
  /** The BPF programs attached on tc to this device, by program name (bpftool net). */
  tc?: { ingress?: string; egress?: string }
  /** Bridge-port hairpin mode: the bridge may send a frame back out the port it came in on. */
  hairpin: boolean
  /** The link answers ARP for addresses it routes elsewhere (net.ipv4.conf.IF.proxy_arp). */
  proxyArp: boolean
  noarp: boolean
  /** For an ENI (AWS): the secondary IPs the cloud delivers to this interface. */
  secondaryIps: number[]
}

export type RouteTable = 'main' | 'local' | number

export interface Route {
  table: RouteTable
  type: 'unicast' | 'local' | 'blackhole' | 'broadcast'
  dst: Cidr | 'default'
  via: number | null
  dev: string | null
  proto: string | null
  scope: 'link' | 'host' | null
  src: number | null
  onlink: boolean
  metric: number | null
  /** Route MTU (`ip route ... mtu 1450`), as Felix sets on VXLAN routes. */
  mtu: number | null
}

export type NeighState = 'PERMANENT' | 'REACHABLE' | 'STALE' | 'NOARP'

export interface Neigh {
  ip: number
  dev: string
  lladdr: string
  state: NeighState
}

/** An entry of `bridge fdb show`: on a bridge port (master) or on a VXLAN device (self, dst). */
export interface Fdb {
  mac: string
  dev: string
  master: string | null
  dst: number | null
  self: boolean
  permanent: boolean
}

export interface Rule {
  priority: number
  from: Cidr | null
  to: Cidr | null
  table: RouteTable
}

export interface NetNs {
  id: string
  kind: 'host' | 'pod'
  node: string
  /** `namespace/name` of the Pod, for Pod namespaces. */
  pod: string | null
  links: Link[]
  routes: Route[]
  neigh: Neigh[]
  fdb: Fdb[]
  rules: Rule[]
  ipForward: boolean
}

export function hostNsId(node: string): string {
  return `host:${node}`
}

export function podNsId(namespace: string, name: string): string {
  return `pod:${namespace}/${name}`
}

// Rules and routes are values: nothing changes one once it is in a table, so every namespace
// can hold the same objects for what the kernel gives each of them (frozen, to keep it so).
const DEFAULT_RULES: readonly Rule[] = [
  Object.freeze({ priority: 0, from: null, to: null, table: 'local' }),
  Object.freeze({ priority: 32766, from: null, to: null, table: 'main' }),
  Object.freeze({ priority: 32767, from: null, to: null, table: 253 }),
]

/** The three rules every Linux namespace starts with (`ip rule show`). */
export function defaultRules(): Rule[] {
  return [...DEFAULT_RULES]
}

export function newLink(
  ifindex: number,
  name: string,
  kind: LinkKind,
  mtu: number,
  mac: string | null,
): Link {
  return {
    ifindex,
    name,
    kind,
    mtu,
    mac,
    addrs: [],
    master: null,
    peer: null,
    vxlan: null,
    hairpin: false,
    proxyArp: false,
    noarp: kind === 'loopback' || kind === 'ipip' || kind === 'dummy',
    secondaryIps: [],
  }
}

export function route(partial: Partial<Route> & Pick<Route, 'dst'>): Route {
  return {
    table: 'main',
    type: 'unicast',
    via: null,
    dev: null,
    proto: null,
    scope: null,
    src: null,
    onlink: false,
    metric: null,
    mtu: null,
    ...partial,
  }
}

export function findLink(ns: NetNs, name: string): Link | undefined {
  return ns.links.find((l) => l.name === name)
}
