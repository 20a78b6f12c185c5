/**
 * The endpoints Cilium's agent on one node manages, and `cilium-dbg endpoint list` as the real
 * tool prints them (cilium/cilium).
 *
 * Which endpoints:
 * - one per Pod on the node that has its own network namespace (the CNI plugin's ADD makes it;
 *   a hostNetwork Pod gets none), its identity and labels those of ./identity.ts, its IPv4 the
 *   Pod's address;
 * - the host endpoint, which the agent always creates at start-up (daemon/cmd/daemon_main.go:
 *   AddHostEndpoint when no host endpoint exists): identity 1, labels reserved:host plus the
 *   Node's labels with source k8s that the identity label filter keeps (pkg/endpoint
 *   InitWithNodeLabels: labelsfilter.Filter of the node labels), and no address of its own;
 * - not the health endpoint (reserved:health, identity 4, on lxc_health): PodPath does not model
 *   cilium-health, so its endpoint is left out.
 *
 * Endpoint IDs: pkg/endpointmanager/allocator.go hands out a random free ID of an idpool from
 * 1 to 4095 (idpool AllocateID), per agent, so the numbers differ from node to node and run to
 * run. PodPath's stand-in is deterministic: a hash of the node and the endpoint picks the ID in
 * [1, 4095], the next free one on a collision, the endpoints taken host first, then the Pods in
 * sorted order.
 *
 * Policy enforcement, under the agent's default mode (policy-enforcement "default", the Helm
 * chart's policyEnforcementMode): pkg/policy/repository.go computePolicyEnforcementAndRules
 * enables a direction when a rule selecting the endpoint has rules in that direction. A
 * Kubernetes NetworkPolicy becomes one such rule (pkg/k8s/network_policy.go ParseNetworkPolicy):
 * its ingress rules, or, with none, one empty ingress rule (a default deny) when policyTypes has
 * Ingress; the same for egress. So a direction is Enabled when a NetworkPolicy of the Pod's
 * namespace selects the Pod and has rules in that direction or lists it in policyTypes (which the
 * API server always fills in). The host endpoint: NetworkPolicy never selects a node, so both
 * Disabled. STATUS is "ready": PodPath's endpoints have their identity and their programs.
 *
 * Printing (cilium-dbg/cmd/endpoint_list.go printEndpointList): a tabwriter with minwidth 5,
 * padding 3; a header line ENDPOINT, POLICY (ingress), POLICY (egress), IDENTITY, LABELS
 * (source:key[=value]), IPv6, IPv4, STATUS and a second one with ENFORCEMENT under both policy
 * columns (one cell fewer); endpoints sorted by ID; an endpoint's security-relevant labels sorted
 * as strings, the first on the endpoint's own line, each further one on a line of its own in the
 * LABELS column; every cell tab-terminated, so lines end in padding. PodPath has no IPv6: the
 * IPv6 cells are empty, as on an IPv4-only cluster.
 */
import { formatIp } from '../../../model/ipv4.ts'
import type { PolicyType } from '../../../model/network-policy.ts'
import { labelSelectorMatches } from '../../../model/network-policy.ts'
import type { BuiltPod, Cluster } from '../../cluster.ts'
import { hash32 } from '../../hash.ts'
import { tabwrite } from '../../print/tabwriter.ts'
import { identityRelevant, podIdentity, RESERVED_IDENTITIES } from './identity.ts'

export const MIN_ENDPOINT_ID = 1
export const MAX_ENDPOINT_ID = 4095

export type Enforcement = 'Enabled' | 'Disabled'

export interface CiliumEndpoint {
  id: number
  /** The Pod (`namespace/name`), or null for the host endpoint. */
  pod: string | null
  ingress: Enforcement
  egress: Enforcement
  identity: number
  /** source:key[=value], sorted as the CLI sorts them. */
  labels: string[]
  ipv4: string
  status: 'ready'
}

/**
 * Whether the agent enforces policy on the Pod's endpoint in direction `dir` (default mode): a
 * NetworkPolicy of its namespace selects it with rules in that direction, or with `dir` in its
 * policyTypes (ParseNetworkPolicy's default deny).
 */
export function policyEnforced(c: Cluster, pod: BuiltPod, dir: PolicyType): boolean {
  return c.policy.policies.some(
    (p) =>
      p.namespace === pod.namespace &&
      labelSelectorMatches(p.podSelector, pod.labels) &&
      ((dir === 'Ingress' ? p.ingress : p.egress).length > 0 || p.policyTypes.includes(dir)),
  )
}

/** The host endpoint's labels: reserved:host and the Node's identity-relevant labels. */
export function hostEndpointLabels(nodeLabels: Record<string, string>): string[] {
  // Label.String (pkg/labels): "source:key=value", or "source:key" for an empty value.
  const k8s = Object.entries(nodeLabels)
    .filter(([k]) => identityRelevant(k))
    .map(([k, v]) => (v === '' ? `k8s:${k}` : `k8s:${k}=${v}`))
  return [...k8s, 'reserved:host'].sort()
}

const cache = new WeakMap<Cluster, Map<string, CiliumEndpoint[]>>()

/** The endpoints the agent on `node` manages, sorted by endpoint ID. */
export function ciliumEndpoints(c: Cluster, node: string): CiliumEndpoint[] {
  const perNode = cache.get(c) ?? new Map<string, CiliumEndpoint[]>()
  cache.set(c, perNode)
  const hit = perNode.get(node)
  if (hit) return hit
  const n = c.nodeByName.get(node)
  if (!n) return []
  const pods = c.pods
    .filter((p) => p.node === node && !p.hostNetwork && p.hostVeth !== null)
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
  const span = MAX_ENDPOINT_ID - MIN_ENDPOINT_ID + 1
  const taken = new Set<number>()
  const allocate = (key: string) => {
    let off = hash32(`cilium-endpoint:${node}:${key}`, 0) % span
    while (taken.has(MIN_ENDPOINT_ID + off)) off = (off + 1) % span
    taken.add(MIN_ENDPOINT_ID + off)
    return MIN_ENDPOINT_ID + off
  }
  const out: CiliumEndpoint[] = [
    {
      id: allocate('host'),
      pod: null,
      ingress: 'Disabled',
      egress: 'Disabled',
      identity: RESERVED_IDENTITIES.host,
      labels: hostEndpointLabels(n.labels),
      ipv4: '',
      status: 'ready',
    },
  ]
  for (const p of pods) {
    const identity = podIdentity(c, p)!
    const on = (dir: PolicyType): Enforcement =>
      policyEnforced(c, p, dir) ? 'Enabled' : 'Disabled'
    out.push({
      id: allocate(`pod:${p.namespace}/${p.name}`),
      pod: `${p.namespace}/${p.name}`,
      ingress: on('Ingress'),
      egress: on('Egress'),
      identity: identity.id,
      labels: [...identity.labels].sort(),
      ipv4: formatIp(p.ip),
      status: 'ready',
    })
  }
  out.sort((a, b) => a.id - b.id)
  perNode.set(node, out)
  return out
}

/** The lines printEndpointList writes, tabs and all, before the tabwriter aligns them. */
function rawLines(endpoints: readonly CiliumEndpoint[]): string[] {
  const lines = [
    [
      'ENDPOINT',
      'POLICY (ingress)',
      'POLICY (egress)',
      'IDENTITY',
      'LABELS (source:key[=value])',
      'IPv6',
      'IPv4',
      'STATUS',
      '',
    ].join('\t'),
    ['', 'ENFORCEMENT', 'ENFORCEMENT', '', '', '', '', ''].join('\t'),
  ]
  for (const e of endpoints)
    e.labels.forEach((l, i) =>
      lines.push(
        i === 0
          ? [e.id, e.ingress, e.egress, e.identity, l, '', e.ipv4, e.status, ''].join('\t')
          : ['', '', '', '', l, '', '', '', ''].join('\t'),
      ),
    )
  return lines
}

/** `cilium-dbg endpoint list` on `node`. */
export function ciliumEndpointList(c: Cluster, node: string): string[] {
  return tabwrite(rawLines(ciliumEndpoints(c, node)), { minwidth: 5, padding: 3 })
}

/**
 * The line of `cilium-dbg endpoint list` on `node` that names the Pod's endpoint (its ID, both
 * enforcement columns, its identity), for a step whose policy lookup that endpoint's enforcement
 * caused; null when the Pod has no endpoint there.
 */
export function endpointLine(c: Cluster, node: string, pod: string): string | null {
  const eps = ciliumEndpoints(c, node)
  const at = eps.findIndex((e) => e.pod === pod)
  if (at < 0) return null
  // Two header lines, then one line per label of each endpoint before it.
  const line = 2 + eps.slice(0, at).reduce((n, e) => n + e.labels.length, 0)
  return ciliumEndpointList(c, node)[line] ?? null
}
