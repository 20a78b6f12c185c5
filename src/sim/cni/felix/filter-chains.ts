/**
 * The filter table felix (projectcalico/calico v3.31, felix/rules) programs on a node for its
 * workloads, with the default FelixConfiguration of the calico.yaml manifest:
 * - FORWARD: `-j cali-FORWARD` inserted at the top, and "Policy explicitly accepted packet."
 *   ACCEPT plus a set-mark appended at the end (int_dataplane.go setUpIptablesNormal,
 *   static.go StaticFilterForwardChains and StaticFilterForwardAppendRules);
 * - cali-from-wl-dispatch / cali-to-wl-dispatch: a goto per local workload interface, as a
 *   shallow tree by name prefix, ending in "Unknown interface" DROP (dispatch.go);
 * - cali-tw-<iface> (to the workload: ingress policy) and cali-fw-<iface> (from it: egress):
 *   conntrack, the clear of the policy marks, one tier "default" with a jump per policy, the
 *   end-of-tier DROP, then the namespace and service-account profiles (endpoints.go
 *   endpointIptablesChain);
 * - cali-pi-_<hash> / cali-po-_<hash> per NetworkPolicy selecting a local workload, and
 *   cali-pri-/cali-pro- per profile (policy.go).
 * Mark bits, allocated from IptablesMarkMask 0xffff0000 in order (dataplane/driver.go): accept
 * 0x10000, pass 0x20000, drop 0x40000, scratch0 0x80000, scratch1 0x100000.
 * A pod or namespace selector peer is matched with an IP set of the Pods it selects (./selector.ts,
 * ./k8s-selectors.ts: `-m set --match-set cali40s:<id> src` on ingress, `dst` on egress), a named
 * port with a hash:ip,port set of the selected Pods' addresses and ports (`cali40n:<id> dst,dst`).
 * Host endpoints and cali-INPUT / cali-OUTPUT (traffic to and from the node itself) are not
 * modelled. Ports one multiport match cannot hold (named ports beside other ports, more than 15
 * slots) are or-ed in felix's port match block.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { formatCidr } from '../../../model/ipv4.ts'
import type {
  NetworkPolicyDecl,
  PolicyPortDecl,
  PolicyRuleDecl,
} from '../../../model/network-policy.ts'
import type { RestoreRule } from '../../proxy/iptables-rules.ts'
import type { CniIpSet } from '../cni-iptables.ts'
import { selectingPolicies, type PolicyPod, type PolicyWorld } from '../../policy/verdict.ts'
import { a, felixChain, m, type FelixRule } from './felix-rule.ts'
import { mainIpSetName, namedPortSetId } from './ipsets.ts'
import { peerSelector, workloadLabels } from './k8s-selectors.ts'
import { base64url } from './rule-hash.ts'
import { parseSelector, selectorMatches, selectorString, selectorUniqueId } from './selector.ts'

export const MARK_ACCEPT = 0x10000
export const MARK_PASS = 0x20000
export const MARK_SCRATCH0 = 0x80000
export const MARK_SCRATCH1 = 0x100000

/** felix/iptables/table.go MaxChainNameLength. */
const MAX_CHAIN_NAME = 28
/** WorkloadIfacePrefixes for Kubernetes: FELIX_INTERFACEPREFIX "cali", matched as `cali+`. */
const IFACE_MATCH = 'cali+'
/** The tier every Kubernetes NetworkPolicy is in. */
const TIER = 'default'
/** config_params.go VXLANPort. */
const VXLAN_PORT = 4789

/** A Calico workload endpoint on the node: its Pod and host-side interface. */
export interface FelixEndpoint {
  pod: PolicyPod
  iface: string
  serviceAccount: string
}

/**
 * felix/hashutils GetLengthLimitedID: prefix + suffix, or, when that is longer than the limit
 * (or exactly as long and the suffix starts with "_"), prefix + "_" + base64url(sha256(suffix))
 * cut to fit.
 */
export function lengthLimitedId(prefix: string, suffix: string, max = MAX_CHAIN_NAME): string {
  const total = prefix.length + suffix.length
  if (total > max || (total === max && suffix.startsWith('_'))) {
    const hash = base64url(sha256(new TextEncoder().encode(suffix)))
    return `${prefix}_${hash.slice(0, max - 1 - prefix.length)}`
  }
  return prefix + suffix
}

/**
 * The name felix knows a Kubernetes NetworkPolicy by (v3.31): "knp.default." + its name
 * (libcalico-go conversion K8sNetworkPolicyToCalico), prefixed "<namespace>/" by the syncer
 * (updateprocessors/networkpolicyprocessor.go), in tier "default".
 */
export function felixPolicyName(p: { namespace: string; name: string }): string {
  return `${p.namespace}/knp.default.${p.name}`
}

/** rules/policy.go PolicyChainName: prefix + limited(tier + "/" + name). */
export function policyChainName(dir: 'pi' | 'po', p: { namespace: string; name: string }): string {
  return lengthLimitedId(`cali-${dir}-`, `${TIER}/${felixPolicyName(p)}`)
}

export function profileChainName(dir: 'pri' | 'pro', profile: string): string {
  return lengthLimitedId(`cali-${dir}-`, profile)
}

export function endpointChainName(dir: 'tw' | 'fw', iface: string): string {
  return lengthLimitedId(`cali-${dir}-`, iface)
}

/** The profiles of a Kubernetes workload: its namespace's, then its ServiceAccount's. */
export function profilesOf(ep: FelixEndpoint): string[] {
  // conversion.go NamespaceProfileNamePrefix "kns.", serviceAccountNameToProfileName "ksa.<ns>.<sa>".
  return [`kns.${ep.pod.namespace}`, `ksa.${ep.pod.namespace}.${ep.serviceAccount}`]
}

/** A Pod as felix's IP sets see it: its workload endpoint's labels, address and named ports. */
export interface SetMemberPod {
  labels: Record<string, string>
  ip: number
  ports: PolicyPod['ports']
}

/** One IP set a policy rule references: its kernel name, ID, selector and members. */
export interface FelixIpSet {
  name: string
  id: string
  /** The selector, canonical, as felix logs it. */
  selector: string
  set: CniIpSet
}

/** The IP sets of the rules being rendered, by name, with their members from `pods`. */
class IpSetRegistry {
  readonly sets = new Map<string, FelixIpSet>()
  constructor(private readonly pods: readonly SetMemberPod[]) {}

  /** rule_scanner.go selectorsToIPSets: a hash:net set of the matching Pods' /32s. */
  selector(raw: string): string {
    const sel = parseSelector(raw)
    const id = selectorUniqueId(sel)
    const name = mainIpSetName(id)
    if (!this.sets.has(name)) {
      const members = this.pods
        .filter((p) => selectorMatches(sel, p.labels))
        .map((p) => ({ base: p.ip, prefix: 32 }))
      const set: CniIpSet = { name, type: 'hash:net', members }
      this.sets.set(name, { name, id, selector: selectorString(sel), set })
    }
    return name
  }

  /** namedPortsToIPSets: the matching Pods' container ports of that name and protocol. */
  namedPort(raw: string, protocol: 'TCP' | 'UDP' | 'SCTP', port: string): string {
    const sel = parseSelector(raw)
    const id = namedPortSetId(selectorUniqueId(sel), protocol, port)
    const name = mainIpSetName(id)
    if (!this.sets.has(name)) {
      const proto = protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp'
      const members = this.pods
        .filter((p) => selectorMatches(sel, p.labels))
        .flatMap((p) =>
          p.ports
            .filter((c) => c.name === port && c.protocol === protocol)
            .map((c) => ({ ip: p.ip, proto, port: c.containerPort })),
        )
      const set: CniIpSet = { name, type: 'hash:ip,port', members }
      this.sets.set(name, { name, id, selector: selectorString(sel), set })
    }
    return name
  }
}

/**
 * A rule's numeric ports as felix matches them: conversion.go SimplifyPorts sorts them and joins
 * adjacent ones into ranges, and policy.go SplitPortList cuts the list into multiport matches of
 * at most 15 slots (iptables' limit; a single port takes one slot, a range two). Empty when the
 * rule names no numeric port.
 */
export function portSplits(ports: readonly PolicyPortDecl[]): string[] {
  const nums = new Set<number>()
  for (const p of ports) {
    if (typeof p.port !== 'number') continue
    for (let i = p.port; i <= (p.endPort ?? p.port); i++) nums.add(i)
  }
  const sorted = [...nums].sort((x, y) => x - y)
  const splits: string[][] = []
  let split: string[] = []
  let slots = 15
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++
    const need = i === j ? 1 : 2
    if (slots < need) {
      splits.push(split)
      split = []
      slots = 15
    }
    split.push(i === j ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`)
    slots -= need
    i = j + 1
  }
  if (split.length) splits.push(split)
  return splits.map((x) => x.join(','))
}

/**
 * One Kubernetes rule as felix renders it: conversion.go k8sRuleToCalico makes one Calico rule
 * per protocol (sorted) and peer, and policy.go turns each allow rule into "match -> set the
 * accept mark" and "accept mark set -> RETURN" (the last RETURN of a chain is dropped).
 */
function policyRules(
  rule: PolicyRuleDecl,
  ingress: boolean,
  ns: string,
  sets: IpSetRegistry,
): FelixRule[] {
  const protocols = new Map<string, PolicyPortDecl[]>()
  for (const p of rule.ports) {
    const list = protocols.get(p.protocol) ?? []
    list.push(p)
    protocols.set(p.protocol, list)
  }
  const protoList = rule.ports.length === 0 ? [null] : [...protocols.keys()].sort()
  const out: FelixRule[] = []
  for (const proto of protoList) {
    const all = proto ? protocols.get(proto)! : []
    // A port entry without a port opens every port of its protocol (the rule matches no port).
    const anyPort = all.some((p) => p.port === null)
    const named = anyPort ? [] : all.flatMap((p) => (typeof p.port === 'string' ? [p.port] : []))
    const splits = anyPort ? [] : portSplits(all)
    // ProtoRuleToIptablesRules: ports that one multiport match cannot hold (more than one split,
    // or a named port beside another port) are or-ed in a port match block.
    const portBlock = splits.length + named.length > 1
    const peers = rule.peers.length === 0 ? [null] : rule.peers
    for (const peer of peers) {
      const match = []
      const net = peer && peer.kind === 'ipBlock' ? formatCidr(peer.cidr) : null
      const except = peer && peer.kind === 'ipBlock' ? peer.except.map(formatCidr) : []
      const onNet = ingress ? m.srcNet : m.dstNet
      // The peer's selector (rules.go getEndpointSelector), on the source for ingress and on the
      // destination for egress; the rule's destination is the local Pod on ingress (no selector).
      const peerSel = peer && peer.kind === 'selector' ? peerSelector(peer, ns) : null
      // rule_scanner.go ruleToParsedRule: a named port is an IP set filtered by the destination
      // selector (all() without one); the destination's own selector set is left out when the
      // named ports cover it, that is when no numeric port sits beside them.
      const dstSel = ingress ? null : peerSel
      const namedSets = named.map((n) =>
        sets.namedPort(dstSel ?? '', proto as PolicyPortDecl['protocol'], n),
      )
      const dstSelSet = dstSel && (splits.length > 0 || named.length === 0)
      // The blocks (matchBlockBuilder): a first rule clears both scratch bits (or sets the
      // all-blocks bit, scratch0, when the first block is a negated one); the port block sets
      // scratch0 on any of its ports (each split with the protocol, each named port's set alone);
      // a negated block (an ipBlock's excepts, since iptables takes one -s or -d per rule)
      // clears scratch0 for each except; the rule itself then requires scratch0.
      const blocks = portBlock || except.length > 0
      if (blocks)
        out.push({
          action: a.setMaskedMark(portBlock ? 0 : MARK_SCRATCH0, MARK_SCRATCH0 | MARK_SCRATCH1),
        })
      if (portBlock) {
        for (const split of splits)
          out.push({
            match: [m.proto(proto!.toLowerCase()), m.dports(split)],
            action: a.setMark(MARK_SCRATCH0),
          })
        for (const set of namedSets)
          out.push({ match: [m.set(set, 'dst,dst')], action: a.setMark(MARK_SCRATCH0) })
      }
      for (const e of except) out.push({ match: [onNet(e)], action: a.clearMark(MARK_SCRATCH0) })
      // CalculateRuleMatch: protocol, source net, source sets, destination net, destination
      // sets, destination ports, the destination named-port set; then the blocks' bit.
      if (proto) match.push(m.proto(proto.toLowerCase()))
      if (net && ingress) match.push(onNet(net))
      if (ingress && peerSel) match.push(m.set(sets.selector(peerSel), 'src'))
      if (net && !ingress) match.push(onNet(net))
      if (dstSelSet) match.push(m.set(sets.selector(dstSel), 'dst'))
      if (!portBlock && splits.length) match.push(m.dports(splits[0]!))
      if (!portBlock && namedSets.length) match.push(m.set(namedSets[0]!, 'dst,dst'))
      if (blocks) match.push(m.markSet(MARK_SCRATCH0))
      out.push({ match, action: a.setMark(MARK_ACCEPT) })
      out.push({ match: [m.markSet(MARK_ACCEPT)], action: a.return })
    }
  }
  return out
}

/** policy.go PolicyToIptablesChains: a chain per direction, commented on its first rule. */
function policyChain(p: NetworkPolicyDecl, ingress: boolean, sets: IpSetRegistry): FelixRule[] {
  const rules = (ingress ? p.ingress : p.egress).flatMap((r) =>
    policyRules(r, ingress, p.namespace, sets),
  )
  // ProtoRulesToIptablesRules strips trailing RETURNs, then comments the first rule.
  while (rules.length && rules.at(-1)!.action === a.return) rules.pop()
  if (rules.length === 0) rules.push({ action: null })
  const comment = `Policy ${felixPolicyName(p)} ${ingress ? 'ingress' : 'egress'}`
  rules[0] = { ...rules[0]!, comments: [...(rules[0]!.comments ?? []), comment] }
  return rules
}

/** A namespace profile allows everything; a ServiceAccount profile has no rules (conversion.go). */
function profileChain(profile: string, ingress: boolean): FelixRule[] {
  const comment = `Profile ${profile} ${ingress ? 'ingress' : 'egress'}`
  return profile.startsWith('kns.')
    ? [{ comments: [comment], action: a.setMark(MARK_ACCEPT) }]
    : [{ comments: [comment], action: null }]
}

/** endpoints.go endpointIptablesChain for a workload, in one direction. */
function endpointChain(policies: NetworkPolicyDecl[], profiles: string[], ingress: boolean) {
  const rules: FelixRule[] = [
    // appendConntrackRules, with the filter allow action ACCEPT.
    { match: [m.ctstate('RELATED,ESTABLISHED')], action: a.accept },
    { match: [m.ctstate('INVALID')], action: a.drop },
    { action: a.clearMark(MARK_ACCEPT | MARK_PASS) },
  ]
  if (!ingress) {
    // AllowVXLANPacketsFromWorkloads and AllowIPIPPacketsFromWorkloads default to false.
    rules.push({
      comments: ['Drop VXLAN encapped packets originating in workloads'],
      match: [m.protoNum(17, 'udp'), m.dports(`${VXLAN_PORT}`)],
      action: a.drop,
    })
    rules.push({
      comments: ['Drop IPinIP encapped packets originating in workloads'],
      match: [m.protoNum(4, 'ipencap')],
      action: a.drop,
    })
  }
  if (policies.length) {
    rules.push({ comments: [`Start of tier ${TIER}`], action: a.clearMark(MARK_PASS) })
    for (const p of policies) {
      rules.push({
        match: [m.markClear(MARK_PASS)],
        action: a.jump(policyChainName(ingress ? 'pi' : 'po', p)),
      })
      rules.push({
        comments: ['Return if policy accepted'],
        match: [m.markSet(MARK_ACCEPT)],
        action: a.return,
      })
    }
    rules.push({
      comments: [`End of tier ${TIER}. Drop if no policies passed packet`],
      match: [m.markClear(MARK_PASS)],
      action: a.drop,
    })
  }
  for (const prof of profiles) {
    rules.push({ action: a.jump(profileChainName(ingress ? 'pri' : 'pro', prof)) })
    rules.push({
      comments: ['Return if profile accepted'],
      match: [m.markSet(MARK_ACCEPT)],
      action: a.return,
    })
  }
  rules.push({ comments: ['Drop if no profiles matched'], action: a.drop })
  return rules
}

/** stringutils.CommonPrefix of sorted names. */
function commonPrefix(names: string[]): string {
  if (names.length === 0) return ''
  let p = names[0]!
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1)
  return p
}

/** dispatch.go buildSingleDispatchChainTree: the root chain and its child chains by prefix. */
function dispatchChains(
  root: string,
  names: string[],
  matchOf: (iface: string) => ReturnType<typeof m.inIface>,
  target: (iface: string) => string,
): [string, FelixRule[]][] {
  const sorted = [...new Set(names)].sort()
  const common = commonPrefix(sorted)
  const bins = new Map<string, string[]>()
  for (const n of sorted) {
    const prefix = n.length > common.length ? n.slice(0, common.length + 1) : common
    bins.set(prefix, [...(bins.get(prefix) ?? []), n])
  }
  const end: FelixRule = { comments: ['Unknown interface'], action: a.drop }
  const rootRules: FelixRule[] = []
  const children: [string, FelixRule[]][] = []
  for (const [prefix, ifaces] of bins) {
    if (ifaces.length > 1) {
      const child = `${root}-${prefix.slice(common.length)}`
      rootRules.push({ match: [matchOf(`${prefix}+`)], action: a.goto(child) })
      children.push([
        child,
        [...ifaces.map((n) => ({ match: [matchOf(n)], action: a.goto(target(n)) })), end],
      ])
    } else {
      const n = ifaces[0]!
      rootRules.push({ match: [matchOf(n)], action: a.goto(target(n)) })
    }
  }
  rootRules.push(end)
  return [...children, [root, rootRules]]
}

export interface FelixFilter {
  /** User chains of the filter table, as `:name - [0:0]` declares them. */
  chains: string[]
  /** felix's jump at the top of FORWARD (before kube-proxy's). */
  inserts: RestoreRule[]
  /** felix's rules at the end of FORWARD (after kube-proxy's). */
  appends: RestoreRule[]
  rules: RestoreRule[]
  /** Which endpoint and direction each endpoint chain is for (to narrate a drop there). */
  endpointOf: Map<string, { endpoint: FelixEndpoint; ingress: boolean }>
  /** The IP sets the active policies' rules match, in the order the rules first use them. */
  ipsets: FelixIpSet[]
}

/**
 * The filter table felix programs on a node for `endpoints` (its local workloads); `cluster` is
 * every workload endpoint of the cluster, the members of the IP sets its rules match.
 */
export function felixFilter(
  world: PolicyWorld,
  endpoints: readonly FelixEndpoint[],
  cluster: readonly FelixEndpoint[] = endpoints,
): FelixFilter {
  const sets = new IpSetRegistry(
    cluster.map((e) => ({
      labels: workloadLabels(e.pod, e.serviceAccount, world.namespaceLabels),
      ip: e.pod.ip,
      ports: e.pod.ports,
    })),
  )
  const byName = (x: NetworkPolicyDecl, y: NetworkPolicyDecl) => {
    const [i, j] = [felixPolicyName(x), felixPolicyName(y)]
    return i < j ? -1 : i > j ? 1 : 0
  }
  const chains = new Map<string, FelixRule[]>()
  const endpointOf = new Map<string, { endpoint: FelixEndpoint; ingress: boolean }>()
  const active = new Set<NetworkPolicyDecl>()
  const profiles = new Set<string>()
  for (const ep of endpoints) {
    const ing = selectingPolicies(world, ep.pod, 'Ingress').sort(byName)
    const eg = selectingPolicies(world, ep.pod, 'Egress').sort(byName)
    for (const p of [...ing, ...eg]) active.add(p)
    for (const prof of profilesOf(ep)) profiles.add(prof)
    const tw = endpointChainName('tw', ep.iface)
    const fw = endpointChainName('fw', ep.iface)
    chains.set(tw, endpointChain(ing, profilesOf(ep), true))
    chains.set(fw, endpointChain(eg, profilesOf(ep), false))
    endpointOf.set(tw, { endpoint: ep, ingress: true })
    endpointOf.set(fw, { endpoint: ep, ingress: false })
  }
  for (const p of active) {
    chains.set(policyChainName('pi', p), policyChain(p, true, sets))
    chains.set(policyChainName('po', p), policyChain(p, false, sets))
  }
  for (const prof of profiles) {
    chains.set(profileChainName('pri', prof), profileChain(prof, true))
    chains.set(profileChainName('pro', prof), profileChain(prof, false))
  }
  const ifaces = endpoints.map((e) => e.iface)
  const dispatch = [
    ...dispatchChains('cali-from-wl-dispatch', ifaces, m.inIface, (n) =>
      endpointChainName('fw', n),
    ),
    ...dispatchChains('cali-to-wl-dispatch', ifaces, m.outIface, (n) => endpointChainName('tw', n)),
  ]
  for (const [name, rules] of dispatch) chains.set(name, rules)
  chains.set('cali-FORWARD', [
    // Clear every Calico mark bit but accept (allCalicoMarkBits &^ MarkAccept).
    { action: a.clearMark(MARK_PASS | MARK_SCRATCH0 | MARK_SCRATCH1) },
    { match: [m.markClear(MARK_ACCEPT)], action: a.jump('cali-from-hep-forward') },
    { match: [m.inIface(IFACE_MATCH)], action: a.jump('cali-from-wl-dispatch') },
    { match: [m.outIface(IFACE_MATCH)], action: a.jump('cali-to-wl-dispatch') },
    { action: a.jump('cali-to-hep-forward') },
    { action: a.jump('cali-cidr-block') },
  ])
  // No host endpoints and no advertised service CIDRs: these chains stay empty.
  for (const empty of ['cali-from-hep-forward', 'cali-to-hep-forward', 'cali-cidr-block'])
    chains.set(empty, [])
  const rules = [...chains].flatMap(([name, r]) => felixChain(name, r))
  return {
    chains: [...chains.keys()],
    inserts: felixChain('FORWARD', [{ action: a.jump('cali-FORWARD') }]),
    appends: felixChain(
      'FORWARD',
      [
        {
          comments: ['Policy explicitly accepted packet.'],
          match: [m.markSet(MARK_ACCEPT)],
          action: a.accept,
        },
        { action: a.setMark(MARK_ACCEPT) },
      ],
      'FORWARD*appends*',
    ),
    rules,
    endpointOf,
    ipsets: [...sets.sets.values()],
  }
}
