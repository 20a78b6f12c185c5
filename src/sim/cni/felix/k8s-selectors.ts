/**
 * How a Kubernetes NetworkPolicy peer becomes the selector felix matches with an IP set, and the
 * labels felix evaluates it against (projectcalico/calico v3.31.7):
 * - libcalico-go/lib/backend/k8s/conversion/conversion.go k8sSelectorToCalico: a pod selector
 *   starts with `projectcalico.org/orchestrator == 'k8s'` (so host endpoints never match), then
 *   matchLabels by sorted key as `k == 'v'`, then matchExpressions in order (`k in { 'a', 'b' }`,
 *   `k not in { ... }`, `has(k)`, `! has(k)`), joined with ` && `; an absent namespace selector
 *   is "", an empty one `all()`; k8sPeerToCalicoFields converts a peer's two fields apart;
 * - libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go getEndpointSelector: the
 *   namespace selector's labels get the `pcns.` prefix (selectors.go parseSelectorAttachPrefix,
 *   printed canonically), `all()` there becomes `has(projectcalico.org/namespace)`; without one, a
 *   namespaced policy's peers stay in its namespace (`projectcalico.org/namespace == '<ns>'`);
 *   the two are joined as `(<namespaces>) && (<pods>)`;
 * - a workload endpoint's labels (conversion/workload_endpoint_default.go): the Pod's, plus
 *   projectcalico.org/namespace, projectcalico.org/orchestrator = k8s and
 *   projectcalico.org/serviceaccount; it inherits its profiles' labels (NamespaceToProfile: each
 *   namespace label as `pcns.<key>`, and `pcns.projectcalico.org/name` = the namespace;
 *   ServiceAccountToProfile: `pcsa.projectcalico.org/name` = the ServiceAccount).
 */
import type { LabelSelectorDecl } from '../../../model/l7-decls.ts'
import { namespaceLabelsOf, type PolicyPeerDecl } from '../../../model/network-policy.ts'
import { parseSelector, prefixLabels, selectorString } from './selector.ts'

const ORCHESTRATOR = 'projectcalico.org/orchestrator'
const NAMESPACE = 'projectcalico.org/namespace'
const SERVICE_ACCOUNT = 'projectcalico.org/serviceaccount'
const NAME = 'projectcalico.org/name'
const NS_PREFIX = 'pcns.'
const SA_PREFIX = 'pcsa.'

/** conversion.go k8sSelectorToCalico. */
export function k8sSelectorToCalico(
  s: LabelSelectorDecl | null,
  type: 'pod' | 'namespace',
): string {
  const parts = type === 'pod' ? [`${ORCHESTRATOR} == 'k8s'`] : []
  if (s === null) return parts.join(' && ')
  const keys = Object.keys(s.matchLabels).sort()
  if (type === 'namespace' && keys.length === 0 && s.matchExpressions.length === 0) return 'all()'
  for (const k of keys) parts.push(`${k} == '${s.matchLabels[k]}'`)
  for (const e of s.matchExpressions) {
    const values = e.values.join("', '")
    if (e.operator === 'In') parts.push(`${e.key} in { '${values}' }`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} not in { '${values}' }`)
    else if (e.operator === 'Exists') parts.push(`has(${e.key})`)
    else parts.push(`! has(${e.key})`)
  }
  return parts.join(' && ')
}

/** updateprocessors/rules.go getEndpointSelector, for a namespaced policy's peer. */
export function endpointSelector(namespaceSelector: string, selector: string, ns: string): string {
  let nsSel: string
  if (namespaceSelector !== '')
    nsSel = selectorString(prefixLabels(parseSelector(namespaceSelector), NS_PREFIX))
      .replaceAll('all()', `has(${NAMESPACE})`)
      .replaceAll('global()', `!has(${NAMESPACE})`)
  else nsSel = `${NAMESPACE} == '${ns}'`
  if (selector === '' && namespaceSelector === '') return selector
  return selector !== '' ? `(${nsSel}) && (${selector})` : nsSel
}

/** The selector string of a pod/namespace-selector peer of a policy in `ns`, as felix gets it. */
export function peerSelector(
  peer: Extract<PolicyPeerDecl, { kind: 'selector' }>,
  ns: string,
): string {
  return endpointSelector(
    k8sSelectorToCalico(peer.namespaceSelector, 'namespace'),
    k8sSelectorToCalico(peer.podSelector, 'pod'),
    ns,
  )
}

/** A Kubernetes Pod's workload endpoint labels, with those its profiles apply. */
export function workloadLabels(
  pod: { namespace: string; labels: Record<string, string> },
  serviceAccount: string,
  namespaceLabels: Record<string, Record<string, string>>,
): Record<string, string> {
  const profile: Record<string, string> = {}
  for (const [k, v] of Object.entries(namespaceLabelsOf(namespaceLabels, pod.namespace)))
    profile[NS_PREFIX + k] = v
  profile[NS_PREFIX + NAME] = pod.namespace
  profile[SA_PREFIX + NAME] = serviceAccount
  return {
    ...profile,
    ...pod.labels,
    [NAMESPACE]: pod.namespace,
    [ORCHESTRATOR]: 'k8s',
    [SERVICE_ACCOUNT]: serviceAccount,
  }
}
