/**
 * The L7 routing objects of a built cluster (Ingress, Gateway, HTTPRoute) for drawing, with the
 * Pods that implement each. Nothing is decided here: classes come from ingressClassOf, route
 * status from attachRoutes, the implementing Pods from the controller and Envoy Pod lookups the
 * packet walk itself uses.
 */
import type { Cluster } from './cluster.ts'
import { gatewayPodsFor } from './gateway/gateway-listener.ts'
import { ingressControllerOf, ingressesOf } from './ingress/controller-listener.ts'
import { attachRoutes, gatewayWorld } from './l7/gateway-attach.ts'
import { ingressClassOf } from './l7/ingress-match.ts'
import type { L7ObjectSummary } from './protocol.ts'

const keyOf = (x: { namespace: string; name: string }) => `${x.namespace}/${x.name}`

export function summarizeL7(c: Cluster): L7ObjectSummary[] {
  const out: L7ObjectSummary[] = []
  const { ingresses, ingressClasses, gateways, httpRoutes } = c.l7
  for (const ing of ingresses) {
    const pods = c.pods
      .filter((p) => {
        const ctrl = ingressControllerOf(p)
        return ctrl !== null && ingressesOf(c, ctrl.kind).includes(ing)
      })
      .map(keyOf)
    const rules = ing.rules.map(
      (r) => `${r.host ?? '*'} ${r.paths.map((p) => p.path ?? '*').join(' ')}`,
    )
    if (ing.defaultBackend) rules.push('* (defaultBackend)')
    out.push({
      kind: 'Ingress',
      namespace: ing.namespace,
      name: ing.name,
      owner: ingressClassOf(ing, ingressClasses).className,
      detail: rules.length ? [rules.join(' · ')] : [],
      accepted: null,
      reason: null,
      pods,
    })
  }
  for (const gw of gateways) {
    out.push({
      kind: 'Gateway',
      namespace: gw.namespace,
      name: gw.name,
      owner: gw.gatewayClassName,
      detail: [
        gw.listeners
          .map((l) => `${l.name} ${l.protocol}/${l.port}${l.hostname ? ` ${l.hostname}` : ''}`)
          .join(' · '),
      ],
      accepted: null,
      reason: null,
      pods: gatewayPodsFor(c, gw).map(keyOf),
    })
  }
  if (httpRoutes.length) {
    const { statuses, attachments } = attachRoutes(
      gatewayWorld(c.l7, c.services, c.l7.namespaceLabels),
    )
    for (const route of httpRoutes) {
      const conds = statuses
        .filter((s) => s.route === route)
        .flatMap((s) => s.conditions.filter((k) => k.type === 'Accepted'))
      const accepted = conds.some((k) => k.status === 'True')
      const refused = conds.find((k) => k.status === 'False')
      const pods = new Set<string>()
      for (const a of attachments)
        if (a.route === route) for (const p of gatewayPodsFor(c, a.gateway)) pods.add(keyOf(p))
      out.push({
        kind: 'HTTPRoute',
        namespace: route.namespace,
        name: route.name,
        owner:
          route.parentRefs.map((p) => `${p.namespace ?? route.namespace}/${p.name}`).join(', ') ||
          null,
        detail: [route.hostnames.length ? route.hostnames.join(' · ') : '*'],
        accepted,
        reason: accepted ? null : (refused?.reason ?? null),
        pods: [...pods],
      })
    }
  }
  return out
}
