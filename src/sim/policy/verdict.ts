/**
 * NetworkPolicy semantics, pure: whether the first packet of a connection is allowed out of its
 * source and into its destination, as kubernetes.io/docs/concepts/services-networking/
 * network-policies/ defines it:
 * - a Pod is isolated for a direction once any NetworkPolicy of its namespace selects it with that
 *   direction in policyTypes; otherwise that direction is not restricted;
 * - policies are additive: an isolated Pod admits what at least one selecting policy allows;
 * - a connection needs the source's egress and the destination's ingress to allow it; replies of
 *   an allowed connection are allowed implicitly (the caller's conntrack, not this file);
 * - hostNetwork Pods are not selected ("behaviour for hostNetwork Pods is undefined", and
 *   Calico programs no workload endpoint for them); traffic from a Pod's own node cannot be
 *   blocked ("What you can't do": "access from their resident node");
 * - a named port resolves against the destination Pod's container ports.
 */
import type { Cidr } from '../../model/ipv4.ts'
import { cidrContains } from '../../model/ipv4.ts'
import {
  labelSelectorMatches,
  namespaceLabelsOf,
  type NetworkPolicyDecl,
  type PolicyPeerDecl,
  type PolicyPortDecl,
  type PolicyRuleDecl,
  type PolicyType,
} from '../../model/network-policy.ts'

export interface PolicyPod {
  namespace: string
  name: string
  labels: Record<string, string>
  ip: number
  hostNetwork: boolean
  node: string
  /** Every container's ports (name, number, protocol), for named ports. */
  ports: { name: string | null; containerPort: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[]
}

/** One end of a connection: a Pod, a node (its own address), or any other address. */
export type PolicyEnd =
  | { kind: 'pod'; pod: PolicyPod }
  | { kind: 'node'; node: string; ip: number }
  | { kind: 'ip'; ip: number }

export interface PolicyPacket {
  src: PolicyEnd
  dst: PolicyEnd
  protocol: 'TCP' | 'UDP' | 'SCTP'
  port: number
}

export interface PolicyWorld {
  policies: readonly NetworkPolicyDecl[]
  namespaceLabels: Record<string, Record<string, string>>
}

export interface PolicyRef {
  namespace: string
  name: string
}

/** One direction's answer, with what decided it (for the narration of a drop). */
export type DirectionVerdict =
  | { allowed: true; why: 'not-a-pod' | 'host-network' | 'not-isolated' | 'resident-node' }
  | { allowed: true; why: 'rule'; policy: PolicyRef; rule: number }
  | { allowed: false; why: 'no-rule'; isolatedBy: PolicyRef[] }

export interface PolicyVerdict {
  egress: DirectionVerdict
  ingress: DirectionVerdict
  allowed: boolean
}

const endIp = (e: PolicyEnd): number => (e.kind === 'pod' ? e.pod.ip : e.ip)

/** The policies of the Pod's namespace that select it for `type`: its isolation. */
export function selectingPolicies(
  world: PolicyWorld,
  pod: PolicyPod,
  type: PolicyType,
): NetworkPolicyDecl[] {
  if (pod.hostNetwork) return []
  return world.policies.filter(
    (p) =>
      p.namespace === pod.namespace &&
      p.policyTypes.includes(type) &&
      labelSelectorMatches(p.podSelector, pod.labels),
  )
}

/** Whether a peer of a policy in `policyNs` matches the other end of the connection. */
export function peerMatches(
  world: PolicyWorld,
  policyNs: string,
  peer: PolicyPeerDecl,
  other: PolicyEnd,
): boolean {
  if (peer.kind === 'ipBlock') return ipBlockMatches(peer.cidr, peer.except, endIp(other))
  // Selectors select Pods (by the Pod IPs the plugin knows), never a node or a host-network Pod.
  if (other.kind !== 'pod' || other.pod.hostNetwork) return false
  const pod = other.pod
  const nsOk =
    peer.namespaceSelector === null
      ? pod.namespace === policyNs
      : labelSelectorMatches(
          peer.namespaceSelector,
          namespaceLabelsOf(world.namespaceLabels, pod.namespace),
        )
  const podOk = peer.podSelector === null || labelSelectorMatches(peer.podSelector, pod.labels)
  return nsOk && podOk
}

/** In `cidr` and in none of `except` (IPBlock). */
export function ipBlockMatches(cidr: Cidr, except: readonly Cidr[], ip: number): boolean {
  return cidrContains(cidr, ip) && !except.some((e) => cidrContains(e, ip))
}

/** Whether a NetworkPolicyPort admits the packet; a named port needs the destination Pod's. */
export function portMatches(p: PolicyPortDecl, pkt: PolicyPacket): boolean {
  if (p.protocol !== pkt.protocol) return false
  if (p.port === null) return true
  if (typeof p.port === 'number') return pkt.port >= p.port && pkt.port <= (p.endPort ?? p.port)
  if (pkt.dst.kind !== 'pod') return false
  const name = p.port
  return pkt.dst.pod.ports.some(
    (c) => c.name === name && c.protocol === pkt.protocol && c.containerPort === pkt.port,
  )
}

function ruleMatches(
  world: PolicyWorld,
  ns: string,
  rule: PolicyRuleDecl,
  other: PolicyEnd,
  pkt: PolicyPacket,
): boolean {
  const peerOk = rule.peers.length === 0 || rule.peers.some((p) => peerMatches(world, ns, p, other))
  const portOk = rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, pkt))
  return peerOk && portOk
}

function direction(world: PolicyWorld, pkt: PolicyPacket, type: PolicyType): DirectionVerdict {
  const self = type === 'Egress' ? pkt.src : pkt.dst
  const other = type === 'Egress' ? pkt.dst : pkt.src
  if (self.kind !== 'pod') return { allowed: true, why: 'not-a-pod' }
  if (self.pod.hostNetwork) return { allowed: true, why: 'host-network' }
  if (type === 'Ingress' && other.kind === 'node' && other.node === self.pod.node)
    return { allowed: true, why: 'resident-node' }
  const selecting = selectingPolicies(world, self.pod, type)
  if (selecting.length === 0) return { allowed: true, why: 'not-isolated' }
  for (const p of selecting) {
    const rules = type === 'Egress' ? p.egress : p.ingress
    const i = rules.findIndex((r) => ruleMatches(world, p.namespace, r, other, pkt))
    if (i >= 0) return { allowed: true, why: 'rule', policy: ref(p), rule: i }
  }
  return { allowed: false, why: 'no-rule', isolatedBy: selecting.map(ref) }
}

const ref = (p: NetworkPolicyDecl): PolicyRef => ({ namespace: p.namespace, name: p.name })

/** The verdict on a connection's first packet: the source's egress, then the destination's ingress. */
export function policyVerdict(world: PolicyWorld, pkt: PolicyPacket): PolicyVerdict {
  const egress = direction(world, pkt, 'Egress')
  const ingress = direction(world, pkt, 'Ingress')
  return { egress, ingress, allowed: egress.allowed && ingress.allowed }
}
