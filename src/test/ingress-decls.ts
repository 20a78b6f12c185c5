/** Ingress declarations for unit tests of the controllers' matching, without a scenario file. */
import type { IngressDecl, IngressPathDecl } from '../model/l7-decls.ts'

/** A source location for declarations that come from no file. */
export const where = { doc: 0, path: '' } as unknown as IngressDecl['where']

/** One path of a rule, to port 80 of Service `svc`. */
export function ingressPath(
  p: string,
  pathType: IngressPathDecl['pathType'],
  svc: string,
): IngressPathDecl {
  return { path: p, pathType, backend: { service: { name: svc, port: 80 }, resource: null }, where }
}

/** An Ingress in namespace shop of class `ingressClassName`, with `over` on top. */
export function ingressDecl(
  name: string,
  ingressClassName: string,
  over: Partial<IngressDecl>,
): IngressDecl {
  return {
    namespace: 'shop',
    name,
    ingressClassName,
    classAnnotation: null,
    creationTimestamp: null,
    defaultBackend: null,
    rules: [],
    tls: [],
    where,
    ...over,
  }
}
