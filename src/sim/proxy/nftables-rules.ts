/**
 * kube-proxy's nftables mode (GA in Kubernetes 1.33): the `ip kube-proxy` table it programs on
 * one node, built as kubernetes pkg/proxy/nftables/proxier.go does in setupNFTables and
 * syncProxyRules, with the base chains and jumps its proxier_test.go (baseRules) expects.
 * One table holds everything; Services are found with verdict-map lookups keyed on
 * `ip daddr . meta l4proto . th dport`, and an endpoint is picked with `numgen random mod N`.
 */
import { cidrContains, formatCidr, formatIp, type Cidr } from '../../model/ipv4.ts'
import { chainHash, chainHasher } from './chain-hash.ts'
import type { BuiltEndpoint, BuiltService, BuiltServicePort } from '../services/service.ts'
import {
  categorizeEndpoints,
  externalPolicyLocal,
  loadBalancerVIPs,
  servicePortName,
} from '../services/service.ts'
import type {
  NftChain,
  NftElement,
  NftLookup,
  NftMatch,
  NftRule,
  NftSet,
  NftStatement,
  NftTable,
} from './nft-table.ts'
import { elementKey } from './nft-table.ts'

export interface NftablesOptions {
  node: string
  /** The node's primary address: the default `nodePortAddresses` of nftables mode ("primary"). */
  nodeIP: number
  /** The local-traffic detector's cluster CIDR; null leaves the off-cluster masquerade rule out. */
  clusterCIDR: Cidr | null
  /** The Service CIDR(s): traffic to an unallocated address in them is dropped. */
  serviceCIDRs: Cidr[]
  masqueradeAll: boolean
  /** 1 << masqueradeBit (14). */
  mark: number
  /** How kube-proxy spells the mark: fmt.Sprintf("%#08x") gives "0x004000"; its tests use "0x4000". */
  markText: string
}

/** `%#08x` as Go prints it: "0x" counts toward the width of 8. */
export function goHexMark(mark: number): string {
  return `0x${mark.toString(16).padStart(6, '0')}`
}

/**
 * hashAndTruncate: the first 8 characters of base32(sha256(name)), a dash, then the name itself
 * (truncated with "..." past 240 characters, which Kubernetes names never reach).
 */
export function hashAndTruncate(name: string, hash = chainHash): string {
  const full = `${hash(name).slice(0, 8)}-${name}`
  return full.length > 240 ? `${full.slice(0, 237)}...` : full
}

/** servicePortChainNameBase: "HASH-namespace/name/protocol/portName" (the port name may be empty). */
export function serviceChainBase(
  svc: BuiltService,
  port: BuiltServicePort,
  hash = chainHash,
): string {
  return hashAndTruncate(
    `${svc.namespace}/${svc.name}/${port.protocol.toLowerCase()}/${port.name}`,
    hash,
  )
}

/** servicePortEndpointChainNameBase: the same, then "__IP/port". */
export function endpointChainBase(
  svc: BuiltService,
  port: BuiltServicePort,
  ep: BuiltEndpoint,
  hash = chainHash,
): string {
  return hashAndTruncate(
    `${svc.namespace}/${svc.name}/${port.protocol.toLowerCase()}/${port.name}__${formatIp(ep.ip)}/${ep.port}`,
    hash,
  )
}

// Chain names kube-proxy uses for its fixed chains (proxier.go constants).
export const CHAIN = {
  filterPreroutingPreDnat: 'filter-prerouting-pre-dnat',
  filterOutputPreDnat: 'filter-output-pre-dnat',
  filterInput: 'filter-input',
  filterForward: 'filter-forward',
  filterOutput: 'filter-output',
  natPrerouting: 'nat-prerouting',
  natOutput: 'nat-output',
  natPostrouting: 'nat-postrouting',
  services: 'services',
  serviceEndpointsCheck: 'service-endpoints-check',
  nodePortEndpointsCheck: 'nodeport-endpoints-check',
  rejectChain: 'reject-chain',
  clusterIPsCheck: 'cluster-ips-check',
  firewallCheck: 'firewall-check',
  markMasq: 'mark-for-masquerade',
  masquerading: 'masquerading',
} as const

const IPV4_CONCAT = 'ipv4_addr . inet_proto . inet_service : verdict'
const PROTO_PORT = 'inet_proto . inet_service : verdict'

/**
 * nftElementStorage.ensureElem: one element per key; a second add with the same key replaces it.
 * `rank` is the writer's place in kube-proxy's order: a Service port written out of order (the
 * walk's table writes them as it needs them) replaces only what an earlier one wrote.
 */
const positions = new WeakMap<NftSet, Map<string, { at: number; rank: number }>>()
function ensureElemRanked(s: NftSet, e: NftElement, rank: number): void {
  let at = positions.get(s)
  if (!at) {
    at = new Map()
    positions.set(s, at)
  }
  const key = elementKey(e.key)
  const i = at.get(key)
  if (i === undefined) {
    at.set(key, { at: s.elements.length, rank })
    s.elements.push(e)
  } else if (rank >= i.rank) {
    s.elements[i.at] = e
    i.rank = rank
  }
}

const rule = (
  matches: NftMatch[],
  statement: NftStatement,
  comment: string | null = null,
): NftRule => ({ matches, statement, comment })

/** The table kube-proxy's nftables proxier writes for one node. */
/** What writing the Service ports needs of the table: its chains, sets and helpers. */
interface NftWriter {
  table: NftTable
  /** The chains created so far, by name. */
  byName: ReadonlyMap<string, NftChain>
  ensure: (name: string, base?: NftChain['base'], comment?: string | null) => NftChain
  add: (chain: string, r: NftRule) => void
  set: (s: Omit<NftSet, 'elements' | 'flags' | 'timeout'> & Partial<NftSet>) => NftSet
  maps: Record<
    | 'clusterIPs'
    | 'noEndpointServices'
    | 'noEndpointNodePorts'
    | 'firewallIPs'
    | 'serviceIPs'
    | 'serviceNodePorts',
    NftSet
  >
  /** The Service ports in kube-proxy's order (PodPath's: by namespace/name). */
  ports: { svc: BuiltService; port: BuiltServicePort }[]
  hash: (name: string) => string
  notLocal: NftMatch[]
  o: NftablesOptions
}

/** The table's fixed part: base chains, kube-proxy's own chains and rules, empty sets and maps. */
function nftWriter(services: readonly BuiltService[], o: NftablesOptions): NftWriter {
  const chains: NftChain[] = []
  const byName = new Map<string, NftChain>()
  const ensure = (name: string, base: NftChain['base'] = null, comment: string | null = null) => {
    let c = byName.get(name)
    if (!c) {
      c = { name, base, comment, rules: [] }
      chains.push(c)
      byName.set(name, c)
    }
    return c
  }
  const add = (chain: string, r: NftRule) => ensure(chain).rules.push(r)
  const set = (s: Omit<NftSet, 'elements' | 'flags' | 'timeout'> & Partial<NftSet>): NftSet => ({
    flags: [],
    timeout: null,
    elements: [],
    ...s,
  })

  // Base chains: filtering sees pre-DNAT addresses (dstnat - 10); knftables.DNATPriority is -100,
  // FilterPriority 0, SNATPriority 100.
  ensure(CHAIN.filterPreroutingPreDnat, { type: 'filter', hook: 'prerouting', priority: -110 })
  ensure(CHAIN.filterOutputPreDnat, { type: 'filter', hook: 'output', priority: -110 })
  ensure(CHAIN.filterInput, { type: 'filter', hook: 'input', priority: 0 })
  ensure(CHAIN.filterForward, { type: 'filter', hook: 'forward', priority: 0 })
  ensure(CHAIN.filterOutput, { type: 'filter', hook: 'output', priority: 0 })
  ensure(CHAIN.natPrerouting, { type: 'nat', hook: 'prerouting', priority: -100 })
  ensure(CHAIN.natOutput, { type: 'nat', hook: 'output', priority: -100 })
  ensure(CHAIN.natPostrouting, { type: 'nat', hook: 'postrouting', priority: 100 })

  // nftablesJumpChains: the rules in the base chains that reach kube-proxy's own chains.
  const ctNew: NftMatch[] = [{ m: 'ct-new' }]
  const jumps: [string, string, NftMatch[]][] = [
    [CHAIN.nodePortEndpointsCheck, CHAIN.filterInput, ctNew],
    [CHAIN.serviceEndpointsCheck, CHAIN.filterInput, ctNew],
    [CHAIN.serviceEndpointsCheck, CHAIN.filterForward, ctNew],
    [CHAIN.serviceEndpointsCheck, CHAIN.filterOutput, ctNew],
    [CHAIN.firewallCheck, CHAIN.filterPreroutingPreDnat, ctNew],
    [CHAIN.firewallCheck, CHAIN.filterOutputPreDnat, ctNew],
    [CHAIN.services, CHAIN.natOutput, []],
    [CHAIN.services, CHAIN.natPrerouting, []],
    [CHAIN.masquerading, CHAIN.natPostrouting, []],
    [CHAIN.clusterIPsCheck, CHAIN.filterForward, ctNew],
    [CHAIN.clusterIPsCheck, CHAIN.filterOutput, ctNew],
  ]
  for (const [dst, src, extra] of jumps) {
    ensure(dst)
    add(src, rule(extra, { s: 'jump', chain: dst }))
  }
  ensure(CHAIN.markMasq)

  add(CHAIN.markMasq, rule([], { s: 'mark', op: 'or', mark: o.mark }))
  add(CHAIN.masquerading, rule([{ m: 'mark-clear', mark: o.mark }], { s: 'return' }))
  add(CHAIN.masquerading, rule([], { s: 'mark', op: 'xor', mark: o.mark }))
  add(CHAIN.masquerading, rule([], { s: 'masquerade' }))

  const clusterIPs = set({
    name: 'cluster-ips',
    kind: 'set',
    type: 'ipv4_addr',
    comment: 'Active ClusterIPs',
  })
  add(
    CHAIN.clusterIPsCheck,
    rule(
      [{ m: 'addr-set', field: 'daddr', set: 'cluster-ips' }],
      { s: 'reject' },
      'Reject traffic to invalid ports of ClusterIPs',
    ),
  )
  if (o.serviceCIDRs.length > 0)
    add(
      CHAIN.clusterIPsCheck,
      rule(
        [
          {
            m: 'addr-anon',
            field: 'daddr',
            negate: false,
            // proxier.go joins the Service CIDRs with "," itself, inside the braces.
            values: o.serviceCIDRs.map(formatCidr),
            sep: ',',
          },
        ],
        { s: 'drop' },
        'Drop traffic to unallocated ClusterIPs',
      ),
    )

  const nodePortIPs = set({
    name: 'nodeport-ips',
    kind: 'set',
    type: 'ipv4_addr',
    comment: 'IPs that accept NodePort traffic',
    elements: [{ key: [formatIp(o.nodeIP)], comment: null, verdict: null }],
  })
  const noEndpointServices = set({
    name: 'no-endpoint-services',
    kind: 'map',
    type: IPV4_CONCAT,
    comment: 'vmap to drop or reject packets to services with no endpoints',
  })
  const noEndpointNodePorts = set({
    name: 'no-endpoint-nodeports',
    kind: 'map',
    type: PROTO_PORT,
    comment: 'vmap to drop or reject packets to service nodeports with no endpoints',
  })
  ensure(CHAIN.rejectChain, null, 'helper for @no-endpoint-services / @no-endpoint-nodeports')
  add(CHAIN.rejectChain, rule([], { s: 'reject' }))
  add(
    CHAIN.serviceEndpointsCheck,
    rule([], { s: 'vmap', key: 'daddr-proto-port', map: 'no-endpoint-services' }),
  )
  add(
    CHAIN.nodePortEndpointsCheck,
    rule([{ m: 'addr-set', field: 'daddr', set: 'nodeport-ips' }], {
      s: 'vmap',
      key: 'proto-port',
      map: 'no-endpoint-nodeports',
    }),
  )
  const firewallIPs = set({
    name: 'firewall-ips',
    kind: 'map',
    type: IPV4_CONCAT,
    comment: 'destinations that are subject to LoadBalancerSourceRanges',
  })
  add(CHAIN.firewallCheck, rule([], { s: 'vmap', key: 'daddr-proto-port', map: 'firewall-ips' }))
  const serviceIPs = set({
    name: 'service-ips',
    kind: 'map',
    type: IPV4_CONCAT,
    comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic',
  })
  const serviceNodePorts = set({
    name: 'service-nodeports',
    kind: 'map',
    type: PROTO_PORT,
    comment: 'NodePort traffic',
  })
  add(CHAIN.services, rule([], { s: 'vmap', key: 'daddr-proto-port', map: 'service-ips' }))
  add(
    CHAIN.services,
    rule([{ m: 'addr-set', field: 'daddr', set: 'nodeport-ips' }], {
      s: 'vmap',
      key: 'proto-port',
      map: 'service-nodeports',
    }),
  )

  const sets: NftSet[] = [
    clusterIPs,
    nodePortIPs,
    noEndpointServices,
    noEndpointNodePorts,
    firewallIPs,
    serviceIPs,
    serviceNodePorts,
  ]

  // kube-proxy ranges over a Go map, so a real node meets Services in no fixed order; PodPath
  // sorts them by namespace/name.
  const ordered = [...services]
    .filter((s) => s.clusterIP !== null)
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
  const hash = chainHasher(services)
  const notLocal: NftMatch[] = o.clusterCIDR
    ? [{ m: 'addr', field: 'saddr', negate: true, value: formatCidr(o.clusterCIDR) }]
    : []
  return {
    table: { family: 'ip', name: 'kube-proxy', comment: 'rules for kube-proxy', sets, chains },
    byName,
    ensure,
    add,
    set,
    maps: {
      clusterIPs,
      noEndpointServices,
      noEndpointNodePorts,
      firewallIPs,
      serviceIPs,
      serviceNodePorts,
    },
    ports: ordered.flatMap((svc) => svc.ports.map((port) => ({ svc, port }))),
    hash,
    notLocal,
    o,
  }
}

/** The table kube-proxy's nftables proxier writes for one node. */
export function kubeProxyNftables(services: readonly BuiltService[], o: NftablesOptions): NftTable {
  const w = nftWriter(services, o)
  w.ports.forEach((p, rank) => writeServicePort(w, p.svc, p.port, rank))
  return w.table
}

/**
 * kubeProxyNftables' table as a walk reads it, each Service port written the first time the walk
 * looks up an element it may have written (its ClusterIP, external and LB IPs with protocol and
 * port, its node port), so that its chains exist before a verdict sends the packet to them. A
 * walk to one Service of 10,000 writes a few ports, not 10,000, and hashes their chain names
 * only. What it reads is what kubeProxyNftables writes: an element two ports share is the later
 * port's (ensureElemRanked), and a chain or set the written ports do not have writes them all.
 */
export function kubeProxyNftablesOnDemand(
  services: readonly BuiltService[],
  o: NftablesOptions,
): NftLookup {
  const w = nftWriter(services, o)
  const byKey = new Map<string, number[]>()
  const may = (key: string[], rank: number) => {
    const k = elementKey(key)
    const ranks = byKey.get(k)
    if (ranks) ranks.push(rank)
    else byKey.set(k, [rank])
  }
  w.ports.forEach(({ svc, port }, rank) => {
    const proto = port.protocol.toLowerCase()
    const vip = formatIp(svc.clusterIP!)
    const p = String(port.port)
    may([vip], rank)
    for (const ip of [
      vip,
      ...svc.externalIPs.map(formatIp),
      ...loadBalancerVIPs(svc).map(formatIp),
    ])
      may([ip, proto, p], rank)
    if (port.nodePort !== null) may([proto, String(port.nodePort)], rank)
  })
  const unwritten = new Set(w.ports.keys())
  const write = (rank: number) => {
    if (!unwritten.delete(rank)) return
    const { svc, port } = w.ports[rank]!
    writeServicePort(w, svc, port, rank)
  }
  const writeAll = () => {
    for (const rank of [...unwritten]) write(rank)
  }
  const setNamed = (name: string) => w.table.sets.find((x) => x.name === name)
  return {
    bases: w.table.chains.filter((c) => c.base),
    chain(name) {
      const c = w.byName.get(name)
      if (c || unwritten.size === 0) return c
      writeAll()
      return w.byName.get(name)
    },
    element(name, key) {
      for (const rank of byKey.get(key) ?? []) write(rank)
      let set = setNamed(name)
      if (!set && unwritten.size > 0) {
        writeAll()
        set = setNamed(name)
      }
      if (!set) return undefined
      const at = positions.get(set)
      if (at) {
        const i = at.get(key)
        return i === undefined ? undefined : set.elements[i.at]
      }
      return set.elements.find((e) => elementKey(e.key) === key)
    },
  }
}

/**
 * One Service port's part of the table (syncProxyRules' loop body): its elements in the shared
 * sets and maps, its chains, its endpoints' chains and affinity sets.
 */
function writeServicePort(
  w: NftWriter,
  svc: BuiltService,
  port: BuiltServicePort,
  rank: number,
): void {
  const { ensure, add, set, hash, notLocal, o } = w
  const sets = w.table.sets
  const { clusterIPs, noEndpointServices, noEndpointNodePorts, firewallIPs, serviceIPs } = w.maps
  const { serviceNodePorts } = w.maps
  const ensureElem = (s: NftSet, e: NftElement) => ensureElemRanked(s, e, rank)
  const d = svc.decl
  const proto = port.protocol.toLowerCase()
  const spn = servicePortName(svc, port)
  const base = serviceChainBase(svc, port, hash)
  const clusterChain = `service-${base}`
  const localChain = `local-${base}`
  const externalChain = `external-${base}`
  const fwChain = `firewall-${base}`
  const vip = formatIp(svc.clusterIP!)
  const lbVips = loadBalancerVIPs(svc).map(formatIp)
  const externalIPs = svc.externalIPs.map(formatIp)
  // proxy.CategorizeEndpoints, shared with the other modes: ready endpoints, or the
  // serving-and-terminating ones when none is ready.
  const cat = categorizeEndpoints(svc, port, o.node)
  const itpLocal = d.internalTrafficPolicy === 'Local'
  // ServicePort.ExternallyAccessible: a node port, a load-balancer VIP or an external IP.
  const externallyAccessible = port.nodePort !== null || lbVips.length > 0 || externalIPs.length > 0
  const etpLocal = externalPolicyLocal(svc)
  const affinity = d.sessionAffinity === 'ClientIP'
  const usesClusterChain = cat.cluster.length > 0 && (!itpLocal || externallyAccessible)
  const usesLocalChain = cat.local.length > 0 && (itpLocal || (etpLocal && externallyAccessible))
  const clusterEndpoints = usesClusterChain ? cat.cluster : []
  const localEndpoints = usesLocalChain ? cat.local : []
  const reachable = cat.reachable
  const hasEndpoints = cat.hasAny
  const hasInternal = itpLocal ? cat.local.length > 0 : hasEndpoints
  const hasExternal = etpLocal ? cat.local.length > 0 : hasEndpoints
  const internalChain = itpLocal ? localChain : clusterChain
  const externalPolicyChain = etpLocal ? localChain : clusterChain
  const usesExternalChain = hasEndpoints && externallyAccessible
  // Unlike iptables mode, the firewall chain does not depend on there being endpoints.
  const usesFwChain = lbVips.length > 0 && d.loadBalancerSourceRanges.length > 0
  const internalVerdict = !hasEndpoints ? 'reject' : !hasInternal ? 'drop' : null
  const externalVerdict = !hasEndpoints ? 'reject' : !hasExternal ? 'drop' : null
  const toVerdict = (v: 'reject' | 'drop') =>
    v === 'reject' ? ({ s: 'goto', chain: CHAIN.rejectChain } as const) : ({ s: 'drop' } as const)
  const epChain = (ep: BuiltEndpoint) => `endpoint-${endpointChainBase(svc, port, ep, hash)}`
  const affinitySet = (ep: BuiltEndpoint) => `affinity-${endpointChainBase(svc, port, ep, hash)}`

  for (const ep of reachable) ensure(epChain(ep))
  if (clusterEndpoints.length > 0) ensure(clusterChain)
  if (localEndpoints.length > 0) ensure(localChain)
  if (usesExternalChain) ensure(externalChain)
  if (usesFwChain) ensure(fwChain)

  // Capture the ClusterIP.
  ensureElem(clusterIPs, { key: [vip], comment: null, verdict: null })
  const key = [vip, proto, String(port.port)]
  if (hasInternal)
    ensureElem(serviceIPs, {
      key,
      comment: null,
      verdict: { s: 'goto', chain: internalChain },
    })
  else
    ensureElem(noEndpointServices, {
      key,
      comment: spn,
      verdict: toVerdict(internalVerdict!),
    })

  // Capture external IPs: through the external chain; without endpoints for external
  // traffic, reject (none at all) or drop (none on this node with policy Local).
  for (const ip of externalIPs) {
    const k = [ip, proto, String(port.port)]
    if (hasEndpoints)
      ensureElem(serviceIPs, {
        key: k,
        comment: null,
        verdict: { s: 'goto', chain: externalChain },
      })
    if (externalVerdict)
      ensureElem(noEndpointServices, {
        key: k,
        comment: spn,
        verdict: toVerdict(externalVerdict),
      })
  }

  // Capture load-balancer IPs the same way; with loadBalancerSourceRanges, firewall-ips
  // also sends them to the Service's firewall chain before DNAT.
  for (const ip of lbVips) {
    const k = [ip, proto, String(port.port)]
    if (hasEndpoints)
      ensureElem(serviceIPs, {
        key: k,
        comment: null,
        verdict: { s: 'goto', chain: externalChain },
      })
    if (usesFwChain)
      ensureElem(firewallIPs, { key: k, comment: null, verdict: { s: 'goto', chain: fwChain } })
  }
  if (externalVerdict)
    for (const ip of lbVips)
      ensureElem(noEndpointServices, {
        key: [ip, proto, String(port.port)],
        comment: spn,
        verdict: toVerdict(externalVerdict),
      })

  // Capture the node port.
  if (port.nodePort !== null) {
    const npKey = [proto, String(port.nodePort)]
    if (hasEndpoints)
      ensureElem(serviceNodePorts, {
        key: npKey,
        comment: null,
        verdict: { s: 'goto', chain: externalChain },
      })
    if (externalVerdict)
      ensureElem(noEndpointNodePorts, {
        key: npKey,
        comment: spn,
        verdict: toVerdict(externalVerdict),
      })
  }
  // No rule for spec.healthCheckNodePort: nftables mode leaves its chains' policy accept,
  // so kube-proxy only serves it (proxier.go syncs serviceHealthServer, writes no rule).

  // Internal traffic: mark what does not come from a Pod (or everything) for masquerading.
  if (hasInternal) {
    const dst: NftMatch[] = [
      { m: 'addr', field: 'daddr', negate: false, value: vip },
      { m: 'dport', proto, port: port.port },
    ]
    if (o.masqueradeAll) add(internalChain, rule(dst, { s: 'jump', chain: CHAIN.markMasq }))
    else if (o.clusterCIDR)
      add(internalChain, rule([...dst, ...notLocal], { s: 'jump', chain: CHAIN.markMasq }))
  }

  // External traffic (node ports).
  if (usesExternalChain) {
    if (!etpLocal) add(externalChain, rule([], { s: 'jump', chain: CHAIN.markMasq }))
    else {
      if (o.clusterCIDR)
        add(
          externalChain,
          rule(
            [{ m: 'addr', field: 'saddr', negate: false, value: formatCidr(o.clusterCIDR) }],
            { s: 'goto', chain: clusterChain },
            'short-circuit pod traffic',
          ),
        )
      const fromHost: NftMatch[] = [{ m: 'fib-local', field: 'saddr' }]
      add(
        externalChain,
        rule(fromHost, { s: 'jump', chain: CHAIN.markMasq }, 'masquerade local traffic'),
      )
      add(
        externalChain,
        rule(fromHost, { s: 'goto', chain: clusterChain }, 'short-circuit local traffic'),
      )
    }
    if (hasExternal) add(externalChain, rule([], { s: 'goto', chain: externalPolicyChain }))
  }

  // loadBalancerSourceRanges: the firewall chain drops every other source. Allowed packets
  // fall off its end and go on to the nat chains, which send the LB IP to the external chain.
  if (usesFwChain) {
    const sources = d.loadBalancerSourceRanges.map(formatCidr)
    // A node reaching a VIP bound on itself may loop back with the VIP as its source.
    if (d.loadBalancerSourceRanges.some((c) => cidrContains(c, o.nodeIP))) sources.push(...lbVips)
    add(
      fwChain,
      rule([{ m: 'addr-anon', field: 'saddr', negate: true, values: sources, sep: ' , ' }], {
        s: 'drop',
      }),
    )
  }

  // Session affinity: one dynamic set per endpoint, entries expiring after the timeout.
  if (affinity)
    for (const ep of reachable)
      sets.push(
        set({
          name: affinitySet(ep),
          kind: 'set',
          type: 'ipv4_addr',
          flags: ['dynamic', 'timeout'],
          timeout: d.sessionAffinityTimeout,
          comment: null,
        }),
      )

  // writeServiceToEndpointRules: affinity first, then one numgen vmap over the endpoints.
  const toEndpoints = (chain: string, eps: BuiltEndpoint[]) => {
    if (affinity)
      for (const ep of eps)
        add(
          chain,
          rule([{ m: 'addr-set', field: 'saddr', set: affinitySet(ep) }], {
            s: 'goto',
            chain: epChain(ep),
          }),
        )
    add(chain, rule([], { s: 'numgen', chains: eps.map(epChain) }))
  }
  if (clusterEndpoints.length > 0) toEndpoints(clusterChain, clusterEndpoints)
  if (localEndpoints.length > 0) toEndpoints(localChain, localEndpoints)

  for (const ep of reachable) {
    const chain = epChain(ep)
    // Hairpin: a Pod reaching itself through the Service is masqueraded.
    add(
      chain,
      rule([{ m: 'addr', field: 'saddr', negate: false, value: formatIp(ep.ip) }], {
        s: 'jump',
        chain: CHAIN.markMasq,
      }),
    )
    if (affinity) add(chain, rule([], { s: 'update', set: affinitySet(ep) }))
    add(chain, rule([{ m: 'l4proto', proto }], { s: 'dnat', ip: formatIp(ep.ip), port: ep.port }))
  }
}
