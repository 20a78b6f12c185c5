/**
 * networking.k8s.io/v1 NetworkPolicy as the scenario declares it, after the API server's
 * defaulting (k8s.io/api/networking/v1 types.go; pkg/apis/networking/v1/defaults.go).
 */
import type { Cidr } from './ipv4.ts'
import type { Where } from './diagnostic.ts'
import type { LabelSelectorDecl } from './l7-decls.ts'

export type PolicyType = 'Ingress' | 'Egress'

/** One element of `from` or `to`: the fields of one peer are ANDed, separate peers are ORed. */
export type PolicyPeerDecl =
  | {
      kind: 'selector'
      /** Null: the field is absent (with namespaceSelector: every Pod in the matched namespaces). */
      podSelector: LabelSelectorDecl | null
      /** Null: the field is absent (the policy's own namespace only). */
      namespaceSelector: LabelSelectorDecl | null
    }
  | { kind: 'ipBlock'; cidr: Cidr; except: Cidr[] }

export interface PolicyPortDecl {
  /** Defaults to TCP (NetworkPolicyPort.protocol). */
  protocol: 'TCP' | 'UDP' | 'SCTP'
  /** Null: every port of the protocol. A string is a named container port. */
  port: number | string | null
  /** The last port of a range starting at `port` (a number), inclusive. */
  endPort: number | null
}

export interface PolicyRuleDecl {
  /** Empty: every source (ingress) or destination (egress). */
  peers: PolicyPeerDecl[]
  /** Empty: every port. */
  ports: PolicyPortDecl[]
  where: Where
}

export interface NetworkPolicyDecl {
  namespace: string
  name: string
  /** An empty selector selects every Pod of the namespace. */
  podSelector: LabelSelectorDecl
  /**
   * After defaulting: as written, or Ingress always and Egress when `egress` has rules
   * (SetDefaults_NetworkPolicySpec).
   */
  policyTypes: PolicyType[]
  ingress: PolicyRuleDecl[]
  egress: PolicyRuleDecl[]
  where: Where
}

/**
 * The labels a Namespace has: its own plus `kubernetes.io/metadata.name` = its name, which the
 * API server sets on every namespace since Kubernetes 1.22 (NamespaceDefaultLabelName), also on
 * namespaces a scenario only implies (default, kube-system).
 */
export function namespaceLabelsOf(
  declared: Record<string, Record<string, string>>,
  ns: string,
): Record<string, string> {
  return { ...(declared[ns] ?? {}), 'kubernetes.io/metadata.name': ns }
}

/** Whether a label selector (matchLabels AND every matchExpression) matches a label set. */
export function labelSelectorMatches(
  sel: LabelSelectorDecl,
  labels: Record<string, string>,
): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false
  for (const e of sel.matchExpressions) {
    const has = Object.hasOwn(labels, e.key)
    const v = labels[e.key]
    if (e.operator === 'Exists' && !has) return false
    if (e.operator === 'DoesNotExist' && has) return false
    if (e.operator === 'In' && (!has || !e.values.includes(v!))) return false
    if (e.operator === 'NotIn' && has && e.values.includes(v!)) return false
  }
  return true
}
