/** What every Linux network namespace starts with, and what a node's own eth0 brings. */
import { maskOf, type Cidr } from '../../model/ipv4.ts'
import type { BuiltNode } from '../cluster.ts'
import { defaultRules, newLink, route, type Link, type NetNs, type Route } from '../net/netns.ts'
import type { BuildContext } from './context.ts'

const LOOPBACK = 0x7f000001 // 127.0.0.1

// The loopback routes the kernel adds to table local of every namespace (shared: routes are
// values, see defaultRules).
const LOOPBACK_ROUTES: readonly Route[] = [
  Object.freeze(
    route({
      table: 'local',
      type: 'local',
      dst: { base: 0x7f000000, prefix: 8 },
      dev: 'lo',
      proto: 'kernel',
      scope: 'host',
      src: LOOPBACK,
    }),
  ),
  Object.freeze(
    route({
      table: 'local',
      type: 'local',
      dst: { base: LOOPBACK, prefix: 32 },
      dev: 'lo',
      proto: 'kernel',
      scope: 'host',
      src: LOOPBACK,
    }),
  ),
  Object.freeze(
    route({
      table: 'local',
      type: 'broadcast',
      dst: { base: 0x7fffffff, prefix: 32 },
      dev: 'lo',
      proto: 'kernel',
      scope: 'link',
      src: LOOPBACK,
    }),
  ),
]

/** A namespace with only `lo` (the kernel creates it in every new namespace). */
export function newNamespace(
  id: string,
  kind: NetNs['kind'],
  node: string,
  pod: string | null,
): NetNs {
  const lo = newLink(1, 'lo', 'loopback', 65536, '00:00:00:00:00:00')
  lo.addrs.push({ ip: LOOPBACK, prefix: 8, scope: 'host' })
  return {
    id,
    kind,
    node,
    pod,
    links: [lo],
    routes: [...LOOPBACK_ROUTES],
    neigh: [],
    fdb: [],
    rules: defaultRules(),
    ipForward: kind === 'host',
  }
}

/**
 * Gives `link` the address `ip/prefix` and the routes the kernel adds for it: a local route in
 * table local, the broadcast route, and (unless a /32) the connected route in table main.
 */
export function addAddress(ns: NetNs, link: Link, ip: number, prefix: number): void {
  link.addrs.push({ ip, prefix, scope: 'global' })
  ns.routes.push(
    route({
      table: 'local',
      type: 'local',
      dst: { base: ip, prefix: 32 },
      dev: link.name,
      proto: 'kernel',
      scope: 'host',
      src: ip,
    }),
  )
  if (prefix >= 31) return
  const net: Cidr = { base: (ip & maskOf(prefix)) >>> 0, prefix }
  const bcast = (net.base | ~maskOf(prefix)) >>> 0
  ns.routes.push(
    route({
      table: 'local',
      type: 'broadcast',
      dst: { base: bcast, prefix: 32 },
      dev: link.name,
      proto: 'kernel',
      scope: 'link',
      src: ip,
    }),
  )
  ns.routes.push(route({ dst: net, dev: link.name, proto: 'kernel', scope: 'link', src: ip }))
}

// The highest ifindex among a namespace's links, and how many links it has looked at: links are
// only ever appended (or the list replaced), so each is looked at once.
const highest = new WeakMap<Link[], { seen: number; max: number }>()

/** The index the kernel gives the next link: one more than the highest in the namespace. */
export function nextIfindex(ns: NetNs): number {
  let h = highest.get(ns.links)
  if (!h || h.seen > ns.links.length) {
    h = { seen: 0, max: 0 }
    highest.set(ns.links, h)
  }
  for (; h.seen < ns.links.length; h.seen++) h.max = Math.max(h.max, ns.links[h.seen]!.ifindex)
  return h.max + 1
}

/** The node's host namespace: lo, eth0 on the underlay, a default route to the router. */
export function buildHostNamespace(ctx: BuildContext, node: BuiltNode): NetNs {
  const ns = newNamespace(node.nsId, 'host', node.name, null)
  const eth0 = newLink(2, 'eth0', 'ether', ctx.mtu, node.eth0Mac)
  ns.links.push(eth0)
  addAddress(ns, eth0, node.ip, node.subnet.prefix)
  ns.routes.push(route({ dst: 'default', via: node.gateway, dev: 'eth0' }))
  ctx.netns.set(ns.id, ns)
  return ns
}

/**
 * Nodes that talk all the time (kubelet, the API server) already know each other's MACs:
 * their entries are REACHABLE before any Pod sends a packet.
 */
export function seedUnderlayNeighbours(ctx: BuildContext, routerMac: string): void {
  for (const node of ctx.nodes) {
    const ns = ctx.netns.get(node.nsId)!
    ns.neigh.push({ ip: node.gateway, dev: 'eth0', lladdr: routerMac, state: 'REACHABLE' })
    for (const other of ctx.nodes) {
      if (
        other === node ||
        other.subnet.base !== node.subnet.base ||
        other.subnet.prefix !== node.subnet.prefix
      )
        continue
      ns.neigh.push({ ip: other.ip, dev: 'eth0', lladdr: other.eth0Mac, state: 'REACHABLE' })
    }
  }
}
