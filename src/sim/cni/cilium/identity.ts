/**
 * Cilium's security identities (cilium/cilium). An endpoint's identity is a number shared by
 * every Pod with the same identity-relevant labels; the BPF programs key their policy maps by
 * it, and a tunnelled packet carries its sender's in the VNI.
 *
 * Labels (pkg/k8s/utils GetPodMetadata): the Pod's own labels, each label of its Namespace as
 * io.cilium.k8s.namespace.labels.<key>, io.kubernetes.pod.namespace, io.cilium.k8s.policy.
 * serviceaccount (spec.serviceAccountName; the ServiceAccount admission plugin sets "default"
 * when a Pod names none)
 * and io.cilium.k8s.policy.cluster (the agent's cluster-name, "default" unless set), all with
 * source "k8s". pkg/labelsfilter defaultLabelPrefixCfg then keeps what is identity-relevant: it
 * ignores other io.kubernetes / kubernetes.io / k8s.io keys, pod-template-hash,
 * controller-revision-hash and pod-template-generation, and keeps everything else.
 *
 * Numbers (pkg/identity/numericidentity.go): 0 unknown, then the reserved identities host 1,
 * world 2, unmanaged 3, health 4, init 5, remote-node 6, kube-apiserver 7, ingress 8,
 * world-ipv4 9, world-ipv6 10 (the last two are the world of a dual-stack agent;
 * 11, encrypted-overlay, has no labels and is never listed); MinimalNumericIdentity 256 is the first one the allocator hands out, and with cluster ID 0 the
 * last is (1 << 16) - 1. The CRD allocator (pkg/allocator selectAvailableID) leases a random
 * free ID from its pool (pkg/idpool LeaseAvailableID: Go map iteration), so the number a set of
 * labels gets differs from cluster to cluster. PodPath's stand-in is deterministic: a hash of
 * the sorted label strings picks the offset in [256, 65535], the next free number on a
 * collision, the label sets taken in sorted order.
 */
import { namespaceLabelsOf } from '../../../model/network-policy.ts'
import type { BuiltPod, Cluster } from '../../cluster.ts'
import { hash32 } from '../../hash.ts'
import { tabwrite } from '../../print/tabwriter.ts'

export const RESERVED_IDENTITIES = {
  host: 1,
  world: 2,
  unmanaged: 3,
  health: 4,
  init: 5,
  'remote-node': 6,
  'kube-apiserver': 7,
  ingress: 8,
  'world-ipv4': 9,
  'world-ipv6': 10,
} as const

export type ReservedIdentity = keyof typeof RESERVED_IDENTITIES

/** `reserved:<name>` of a reserved identity number, or null for an allocated one. */
export function reservedName(id: number): string | null {
  const name = Object.entries(RESERVED_IDENTITIES).find(([, n]) => n === id)?.[0]
  return name ? `reserved:${name}` : null
}

export const MIN_ALLOCATION_IDENTITY = 256
export const MAX_ALLOCATION_IDENTITY = (1 << 16) - 1

// pkg/k8s/apis/cilium.io const.go.
const POD_NAMESPACE = 'io.kubernetes.pod.namespace'
const NAMESPACE_LABELS = 'io.cilium.k8s.namespace.labels'
const SERVICE_ACCOUNT = 'io.cilium.k8s.policy.serviceaccount'
const CLUSTER = 'io.cilium.k8s.policy.cluster'
const CLUSTER_NAME = 'default'

// pkg/labelsfilter defaultLabelPrefixCfg: includes (longest match wins over an ignore) and
// ignores, each matched at the start of the key.
const INCLUDE = [POD_NAMESPACE, NAMESPACE_LABELS, 'app.kubernetes.io', CLUSTER]
const IGNORE: RegExp[] = [
  /^io\.kubernetes/,
  /^kubernetes\.io/,
  /^statefulset\.kubernetes\.io\/pod-name/,
  /^apps\.kubernetes\.io\/pod-index/,
  /^batch\.kubernetes\.io\/job-completion-index/,
  /^.*beta\.kubernetes\.io/,
  /^k8s\.io/,
  /^pod-template-generation/,
  /^pod-template-hash/,
  /^controller-revision-hash/,
  /^annotation.*/,
  /^etcd_node/,
]

/** Whether the default label filter keeps `key` for the identity (filterLabels). */
export function identityRelevant(key: string): boolean {
  const included = Math.max(0, ...INCLUDE.filter((p) => key.startsWith(p)).map((p) => p.length))
  const ignoredLens = IGNORE.map((r) => r.exec(key)?.[0].length ?? 0).filter((n) => n > 0)
  const ignored = ignoredLens.length ? Math.min(...ignoredLens) : 0
  return ignored === 0 || included > ignored
}

/** The Pod's identity labels as Cilium prints them ("k8s:key=value"), sorted (GetPrintableModel). */
export function identityLabels(
  pod: Pick<BuiltPod, 'namespace' | 'labels' | 'serviceAccount'>,
  namespaceLabels: Record<string, string>,
): string[] {
  const all: Record<string, string> = { ...pod.labels }
  for (const [k, v] of Object.entries(namespaceLabels)) all[`${NAMESPACE_LABELS}.${k}`] = v
  all[POD_NAMESPACE] = pod.namespace
  all[SERVICE_ACCOUNT] = pod.serviceAccount
  all[CLUSTER] = CLUSTER_NAME
  return Object.entries(all)
    .filter(([k]) => identityRelevant(k))
    .map(([k, v]) => `k8s:${k}=${v}`)
    .sort()
}

export interface CiliumIdentity {
  id: number
  labels: string[]
}

export interface CiliumIdentities {
  /** Every allocated identity, by number. */
  list: CiliumIdentity[]
  /** The identity of each Pod endpoint, by `namespace/name`. */
  byPod: Map<string, CiliumIdentity>
}

const cache = new WeakMap<Cluster, CiliumIdentities>()

/** The Namespace labels, with kubernetes.io/metadata.name the API server always sets. */
const nsLabels = (c: Cluster, ns: string) => namespaceLabelsOf(c.l7.namespaceLabels, ns)

/** The identities of the cluster's Pod endpoints (hostNetwork Pods have none of their own). */
export function ciliumIdentities(c: Cluster): CiliumIdentities {
  const hit = cache.get(c)
  if (hit) return hit
  const pods = c.pods.filter((p) => !p.hostNetwork && p.hostVeth !== null)
  const labelsOf = new Map(pods.map((p) => [p, identityLabels(p, nsLabels(c, p.namespace))]))
  const keys = [...new Set([...labelsOf.values()].map((l) => l.join(',')))].sort()
  const span = MAX_ALLOCATION_IDENTITY - MIN_ALLOCATION_IDENTITY + 1
  const taken = new Set<number>()
  const byKey = new Map<string, CiliumIdentity>()
  for (const key of keys) {
    let off = hash32(`cilium-identity:${key}`, 0) % span
    while (taken.has(MIN_ALLOCATION_IDENTITY + off)) off = (off + 1) % span
    const id = MIN_ALLOCATION_IDENTITY + off
    taken.add(id)
    byKey.set(key, { id, labels: key.split(',') })
  }
  const byPod = new Map<string, CiliumIdentity>()
  for (const [p, l] of labelsOf) byPod.set(`${p.namespace}/${p.name}`, byKey.get(l.join(','))!)
  const out = { list: [...byKey.values()].sort((a, b) => a.id - b.id), byPod }
  cache.set(c, out)
  return out
}

/** The identity of a Pod endpoint, or null for a hostNetwork Pod. */
export function podIdentity(c: Cluster, pod: BuiltPod): CiliumIdentity | null {
  return ciliumIdentities(c).byPod.get(`${pod.namespace}/${pod.name}`) ?? null
}

/**
 * The reserved identities and their labels, as the agent lists them
 * (pkg/identity/numericidentity.go NewReservedIdentitySet: each reserved label is
 * "reserved:<name>"; kube-apiserver's identity carries reserved:remote-node too, and unknown (0)
 * and encrypted-overlay (11) have none, so they are not listed). The Helm chart leaves the
 * well-known identities (100 and up, enable-well-known-identities) off, so there are none.
 */
export function reservedIdentities(): CiliumIdentity[] {
  return Object.entries(RESERVED_IDENTITIES).map(([name, id]) => ({
    id,
    labels:
      name === 'kube-apiserver'
        ? ['reserved:kube-apiserver', 'reserved:remote-node']
        : [`reserved:${name}`],
  }))
}

/**
 * `cilium-dbg identity list`: every identity the agent knows (pkg/identity/api GET /identity with
 * no labels: CachingIdentityAllocator.GetIdentities, the allocated ones and the reserved ones),
 * sorted by ID, so the reserved identities 1 to 10 come first. Printed as printIdentities does
 * (cilium-dbg/cmd/identity_get.go): a tabwriter with minwidth 2, padding 3; "ID\tLABELS", then
 * each identity's labels sorted (GetPrintableModel), the first beside its number, every further
 * one on a line of its own. Left out: the node-local CIDR identities (16777216 and up) the agent
 * allocates for a policy's ipBlock peers, which PodPath does not model.
 */
export function ciliumIdentityList(c: Cluster): string[] {
  const lines = ['ID\tLABELS']
  const all = [...reservedIdentities(), ...ciliumIdentities(c).list].sort((a, b) => a.id - b.id)
  for (const i of all)
    [...i.labels].sort().forEach((l, k) => lines.push(`${k === 0 ? i.id : ''}\t${l}`))
  return tabwrite(lines, { minwidth: 2, padding: 3 })
}
