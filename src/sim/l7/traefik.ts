/**
 * What Traefik's kubernetesIngress provider makes of the Ingresses of its class: one router per
 * rule path and one service per Service port. Follows traefik/traefik v3
 * pkg/provider/kubernetes/ingress/kubernetes.go (loadConfigurationFromIngresses: router key,
 * service name, the `default-router`/`default-backend` pair; loadRouter and buildHostRule: the
 * rule text) and pkg/provider/configuration.go (Normalize).
 */
import type { Lookup } from '../../model/trace.ts'
import type { IngressDecl, IngressPathDecl, IngressRuleDecl } from '../../model/l7-decls.ts'

export interface TraefikRouter {
  name: string
  rule: string
  service: string
  /** The Ingress rule path it was made from; null for the default router. */
  from: { ingress: IngressDecl; rule: IngressRuleDecl; path: IngressPathDecl } | null
  /** For the default router: the Ingress whose defaultBackend it serves. */
  defaultOf: IngressDecl | null
}

/** configuration.go Normalize: runs of characters that are not letters or digits become one `-`. */
export function traefikNormalize(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((s) => s !== '')
    .join('-')
}

/** kubernetes.go: `<namespace>-<service>-<port name, else number>`, normalized. */
export function traefikServiceName(namespace: string, service: string, port: number | string) {
  return traefikNormalize(`${namespace}-${service}-${port}`)
}

/** kubernetes.go: `<namespace>-<ingress>-<host><path>`, normalized, without a leading `-`. */
export function traefikRouterName(ing: IngressDecl, host: string | null, path: string | null) {
  return traefikNormalize(`${ing.namespace}-${ing.name}-${host ?? ''}${path ?? ''}`).replace(
    /^-/,
    '',
  )
}

/** buildHostRule (v3): `Host(...)`, or an anchored `HostRegexp(...)` with one label for `*.`. */
export function traefikHostRule(host: string): string {
  if (host.startsWith('*.')) {
    // Traefik v3 quotes the name as a regexp (a DNS name has only dots to escape) and anchors it.
    const re = host.replaceAll('.', '\\.').replace('*\\.', '[a-zA-Z0-9-]+\\.')
    return `HostRegexp(\`^${re}$\`)`
  }
  return `Host(\`${host}\`)`
}

/** loadRouter: host rule, then `Path` for Exact or `PathPrefix` otherwise, joined by `&&`. */
export function traefikRouterRule(host: string | null, p: IngressPathDecl): string {
  const parts: string[] = []
  if (host) parts.push(traefikHostRule(host))
  if (p.path) parts.push(`${p.pathType === 'Exact' ? 'Path' : 'PathPrefix'}(\`${p.path}\`)`)
  return parts.join(' && ')
}

/**
 * The routers Traefik builds. An Ingress without rules but with a defaultBackend gives the
 * router `default-router` (rule PathPrefix(`/`), lowest priority) to the service
 * `default-backend`; a defaultBackend on an Ingress that has rules is not used by this provider.
 * Paths whose backend is not a Service are left out (loadService needs a Service).
 */
export function traefikRouters(ingresses: IngressDecl[]): TraefikRouter[] {
  const out: TraefikRouter[] = []
  for (const ing of ingresses) {
    if (ing.rules.length === 0 && ing.defaultBackend?.service) {
      if (!out.some((r) => r.name === 'default-router')) {
        out.push({
          name: 'default-router',
          rule: 'PathPrefix(`/`)',
          service: 'default-backend',
          from: null,
          defaultOf: ing,
        })
      }
    }
    for (const rule of ing.rules) {
      for (const path of rule.paths) {
        const svc = path.backend.service
        if (!svc) continue
        out.push({
          name: traefikRouterName(ing, rule.host, path.path),
          rule: traefikRouterRule(rule.host, path),
          service: traefikServiceName(ing.namespace, svc.name, svc.port),
          from: { ingress: ing, rule, path },
          defaultOf: null,
        })
      }
    }
  }
  return out
}

/** The routers as lookups, marking the one made from the Ingress rule path (or default) chosen. */
export function traefikRouterLookups(
  routers: TraefikRouter[],
  chosen:
    | { kind: 'rule'; ingress: IngressDecl; rule: IngressRuleDecl; path: IngressPathDecl }
    | { kind: 'default-backend'; ingress: IngressDecl }
    | { kind: 'not-found' },
): Lookup[] {
  return routers.map((r) => ({
    table: 'Traefik routers (/api/http/routers)',
    rule: `${r.name}: rule ${r.rule} -> service ${r.service}`,
    matched:
      chosen.kind === 'rule'
        ? r.from !== null &&
          r.from.ingress === chosen.ingress &&
          r.from.rule === chosen.rule &&
          r.from.path === chosen.path
        : chosen.kind === 'default-backend'
          ? r.defaultOf === chosen.ingress
          : false,
  }))
}
