/**
 * The HAProxy backends that HAProxy Technologies' kubernetes-ingress controller creates for the
 * Service ports an Ingress refers to. Follows haproxytech/kubernetes-ingress
 * pkg/service/service.go (GetBackendName): `<Service namespace>_svc_<Service name>_<port>`,
 * where the port is the matched Service port's name, or its number when that port has no name
 * (standalone-backend annotations, which change the name, are not modelled).
 */
import type { Lookup } from '../../model/trace.ts'
import type { IngressDecl } from '../../model/l7-decls.ts'
import type { ServicePortDecl } from '../../model/scenario.ts'

/** GetBackendName: the Service port the Ingress names (by number or by name) decides the suffix. */
export function haproxyBackendName(
  namespace: string,
  service: string,
  ports: ServicePortDecl[],
  want: number | string,
): string | null {
  const sp = ports.find((p) =>
    typeof want === 'number' ? p.port === want : p.name !== null && p.name === want,
  )
  if (!sp) return null
  return `${namespace}_svc_${service}_${sp.name ?? sp.port}`
}

/** Every backend the Ingresses lead to, once each, in the order first referenced. */
export function haproxyBackendLookups(
  ingresses: IngressDecl[],
  portsOf: (namespace: string, service: string) => ServicePortDecl[] | null,
  chosen: { namespace: string; service: string; port: number | string } | null,
): Lookup[] {
  const names: string[] = []
  const add = (ns: string, svc: string, port: number | string) => {
    const ports = portsOf(ns, svc)
    const n = ports ? haproxyBackendName(ns, svc, ports, port) : null
    if (n && !names.includes(n)) names.push(n)
  }
  for (const ing of ingresses) {
    for (const r of ing.rules)
      for (const p of r.paths)
        if (p.backend.service) add(ing.namespace, p.backend.service.name, p.backend.service.port)
    const d = ing.defaultBackend?.service
    if (d) add(ing.namespace, d.name, d.port)
  }
  const chosenPorts = chosen ? portsOf(chosen.namespace, chosen.service) : null
  const chosenName =
    chosen && chosenPorts
      ? haproxyBackendName(chosen.namespace, chosen.service, chosenPorts, chosen.port)
      : null
  return names.map((n) => ({
    table: 'haproxy.cfg backends',
    rule: `backend ${n}`,
    matched: n === chosenName,
  }))
}
