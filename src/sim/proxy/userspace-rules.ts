/**
 * kube-proxy's userspace mode (kubernetes v1.25 pkg/proxy/userspace/proxier.go; the mode was
 * removed in v1.26). kube-proxy itself listens on one "proxy port" per Service port and writes
 * iptables rules ("portals") that steer traffic for the ClusterIP, or a node port, to that
 * socket: REDIRECT for packets from containers (nat PREROUTING), DNAT to the node's own IP for
 * packets the node sends (nat OUTPUT). The rules are argument for argument what iptablesInit and
 * iptablesContainerPortalArgs / iptablesHostPortalArgs / iptablesHostNodePortArgs /
 * iptablesNonLocalNodePortArgs build; `print/iptables-save.ts` prints them as iptables-save does.
 */
import { formatIp } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'
import { hash32 } from '../hash.ts'
import { servicePortName, type BuiltService, type BuiltServicePort } from '../services/service.ts'
import type { IptablesRules, RestoreRule } from './iptables-rules.ts'

export const PORTALS_CONTAINER = 'KUBE-PORTALS-CONTAINER'
export const PORTALS_HOST = 'KUBE-PORTALS-HOST'
export const NODEPORT_CONTAINER = 'KUBE-NODEPORT-CONTAINER'
export const NODEPORT_HOST = 'KUBE-NODEPORT-HOST'
export const NODEPORT_NON_LOCAL = 'KUBE-NODEPORT-NON-LOCAL'

/** One Service port kube-proxy proxies on a node, and the port its own socket listens on. */
export interface UserspacePortal {
  svc: BuiltService
  port: BuiltServicePort
  /** ServicePortName.String(), which is also the rules' comment. */
  spn: string
  proxyPort: number
}

// The kernel's bind(0) search (net/ipv4/inet_connection_sock.c inet_csk_find_open_port): first
// the lower half of ip_local_port_range [32768, 61000), odd ports only (even ones are left to
// connect()). low + ((high - low) >> 2 << 1) = 46884.
const BIND_LOW = 32768
const BIND_HALF = 46884
const ODD_SLOTS = (BIND_HALF - BIND_LOW) / 2
const BIND_RANGE_END = 61000

const portalCache = new WeakMap<Cluster, Map<string, UserspacePortal[]>>()

/**
 * The proxy port of every Service port on `node`. With no --proxy-port-range (the default)
 * kube-proxy's randomAllocator hands 0 to net.Listen and the kernel picks a free port at random;
 * with a range, kube-proxy's rangeAllocator picks one at random inside it. PodPath derives the
 * "random" choice from the node and the Service port name instead, so `podpath tables` and every
 * trace of one built cluster agree. Each node's kube-proxy has its own ports.
 */
export function userspacePortals(c: Cluster, node: string): UserspacePortal[] {
  let byNode = portalCache.get(c)
  if (!byNode) {
    byNode = new Map()
    portalCache.set(c, byNode)
  }
  const cached = byNode.get(node)
  if (cached) return cached
  const out: UserspacePortal[] = []
  // kube-proxy walks a map of Services; PodPath sorts them for a stable listing.
  const ordered = [...c.services]
    .filter((s) => s.clusterIP !== null)
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
  const range = c.decl.kubeProxy.portRange
  const next = range ? rangeAllocator(range) : kernelAllocator()
  for (const svc of ordered) {
    for (const port of svc.ports) {
      const spn = servicePortName(svc, port)
      const proxyPort = next(hash32(`${node} ${spn} ${port.protocol}`, 7))
      // An exhausted --proxy-port-range: kube-proxy logs "failed to allocate proxy port" and skips it.
      if (proxyPort === null) continue
      out.push({ svc, port, spn, proxyPort })
    }
  }
  byNode.set(node, out)
  return out
}

/**
 * Slots 0..n-1 in a ring: the first free one at or after a slot, wrapping, found in near-constant
 * time (a union-find whose taken slots point on to the next), so that handing out thousands of
 * ports costs no more than thousands of lookups.
 */
function ring(n: number): { firstFree(from: number): number | null; take(slot: number): void } {
  const next = new Int32Array(n).map((_, i) => i)
  let taken = 0
  const find = (i: number): number => {
    let root = i
    while (next[root] !== root) root = next[root]!
    while (next[i] !== root) {
      const up = next[i]!
      next[i] = root
      i = up
    }
    return root
  }
  return {
    firstFree: (from) => (taken === n ? null : find(from)),
    take(slot) {
      next[slot] = (slot + 1) % n
      taken++
    },
  }
}

/**
 * bind(0), one port after another: an odd port of the lower half, the next free odd one if
 * taken. When all 7,058 of them are taken the kernel searches on through the rest of the range;
 * PodPath then takes the lowest free port anywhere in [32768, 61000) (the order of that further
 * search is not modelled), and null when there is none (kube-proxy logs the failure and skips
 * the Service port).
 */
export function kernelAllocator(): (h: number) => number | null {
  const odd = ring(ODD_SLOTS)
  const used = new Set<number>()
  // Past the odd slots, ports are only ever added, so the lowest free one only moves up.
  let lowest = BIND_LOW
  return (h) => {
    const slot = odd.firstFree(h % ODD_SLOTS)
    let p: number
    if (slot !== null) {
      odd.take(slot)
      p = BIND_LOW + 2 * slot + 1
    } else {
      while (lowest < BIND_RANGE_END && used.has(lowest)) lowest++
      if (lowest === BIND_RANGE_END) return null
      p = lowest
    }
    used.add(p)
    return p
  }
}

/**
 * rangeAllocator.nextFreePort (pkg/proxy/userspace/port_allocator.go), one port after another:
 * a random offset in the range, else the next free one scanning upwards and wrapping; null when
 * every port is used.
 */
export function rangeAllocator(r: { base: number; size: number }): (h: number) => number | null {
  const slots = ring(r.size)
  return (h) => {
    const slot = slots.firstFree(h % r.size)
    if (slot === null) return null
    slots.take(slot)
    return r.base + slot
  }
}

/** iptablesCommonPortalArgs: comment, protocol, destination port, then the destination if any. */
function commonArgs(spn: string, proto: string, dport: number, dst: string | null): string[] {
  return [
    '-m',
    'comment',
    '--comment',
    spn,
    '-p',
    proto,
    '-m',
    proto,
    '--dport',
    String(dport),
    ...(dst ? ['-d', `${dst}/32`] : []),
  ]
}

/**
 * The rules kube-proxy --proxy-mode=userspace keeps on `node`, with --bind-address 0.0.0.0 (the
 * default): REDIRECT for containers, DNAT to the node's address (ChooseHostInterface: the
 * interface of the default route) for the node itself. Only kube-proxy's own chains: kubelet's
 * and the CNI plugin's rules are not shown.
 */
export function userspaceIptables(c: Cluster, node: string): IptablesRules {
  const hostIp = formatIp(c.nodeByName.get(node)!.ip)
  const rules: RestoreRule[] = []
  const nat = (chain: string, args: string[]) => rules.push({ table: 'nat', chain, args })
  for (const p of userspacePortals(c, node)) {
    const proto = p.port.protocol.toLowerCase()
    const vip = formatIp(p.svc.clusterIP!)
    const redirect = ['-j', 'REDIRECT', '--to-ports', String(p.proxyPort)]
    const dnat = ['-j', 'DNAT', '--to-destination', `${hostIp}:${p.proxyPort}`]
    nat(PORTALS_CONTAINER, [...commonArgs(p.spn, proto, p.port.port, vip), ...redirect])
    nat(PORTALS_HOST, [...commonArgs(p.spn, proto, p.port.port, vip), ...dnat])
    if (p.port.nodePort !== null) {
      nat(NODEPORT_CONTAINER, [...commonArgs(p.spn, proto, p.port.nodePort, null), ...redirect])
      nat(NODEPORT_HOST, [...commonArgs(p.spn, proto, p.port.nodePort, null), ...dnat])
      // The non-local rule matches the proxy port, not the node port: it accepts what was redirected.
      rules.push({
        table: 'filter',
        chain: NODEPORT_NON_LOCAL,
        args: [
          ...commonArgs(p.spn, proto, p.proxyPort, null),
          '-m',
          'state',
          '--state',
          'NEW',
          '-j',
          'ACCEPT',
        ],
      })
    }
  }
  return {
    chains: {
      filter: [NODEPORT_NON_LOCAL],
      nat: [PORTALS_CONTAINER, PORTALS_HOST, NODEPORT_CONTAINER, NODEPORT_HOST],
    },
    rules,
    jumps: USERSPACE_JUMPS,
  }
}

const CLUSTER_IPS = '"handle ClusterIPs; NOTE: this must be before the NodePort rules"'
const NODE_PORTS = '"handle service NodePorts; NOTE: this must be the last rule in the chain"'

/** iptablesInit: portal jumps prepended, node-port jumps appended, the filter INPUT jump prepended. */
const USERSPACE_JUMPS: RestoreRule[] = [
  {
    table: 'filter',
    chain: 'INPUT',
    args: [
      '-m',
      'comment',
      '--comment',
      '"Ensure that non-local NodePort traffic can flow"',
      '-j',
      NODEPORT_NON_LOCAL,
    ],
  },
  {
    table: 'nat',
    chain: 'PREROUTING',
    args: ['-m', 'comment', '--comment', CLUSTER_IPS, '-j', PORTALS_CONTAINER],
  },
  {
    table: 'nat',
    chain: 'PREROUTING',
    args: [
      '-m',
      'addrtype',
      '--dst-type',
      'LOCAL',
      '-m',
      'comment',
      '--comment',
      NODE_PORTS,
      '-j',
      NODEPORT_CONTAINER,
    ],
  },
  {
    table: 'nat',
    chain: 'OUTPUT',
    args: ['-m', 'comment', '--comment', CLUSTER_IPS, '-j', PORTALS_HOST],
  },
  {
    table: 'nat',
    chain: 'OUTPUT',
    args: [
      '-m',
      'addrtype',
      '--dst-type',
      'LOCAL',
      '-m',
      'comment',
      '--comment',
      NODE_PORTS,
      '-j',
      NODEPORT_HOST,
    ],
  },
]
