import { describe, expect, it } from 'vitest'
import type { IngressDecl, IngressPathDecl } from '../../model/l7-decls.ts'
import {
  traefikNormalize,
  traefikRouterLookups,
  traefikRouters,
  traefikRouterRule,
} from './traefik.ts'

const where = { doc: 0, path: '' } as unknown as IngressDecl['where']

function path(p: string, pathType: IngressPathDecl['pathType'], svc: string): IngressPathDecl {
  return { path: p, pathType, backend: { service: { name: svc, port: 80 }, resource: null }, where }
}

function ingress(name: string, over: Partial<IngressDecl>): IngressDecl {
  return {
    namespace: 'shop',
    name,
    ingressClassName: 'traefik',
    classAnnotation: null,
    creationTimestamp: null,
    defaultBackend: null,
    rules: [],
    tls: [],
    where,
    ...over,
  }
}

describe('Traefik kubernetesIngress routers', () => {
  it('normalizes names: every run of non-letters and non-digits becomes one dash', () => {
    expect(traefikNormalize('shop-site-www.example.com/api/v1')).toBe(
      'shop-site-www-example-com-api-v1',
    )
    expect(traefikNormalize('-a//b-')).toBe('a-b')
  })

  it('names a host+prefix router and service, and maps Exact to Path', () => {
    const ing = ingress('site', {
      rules: [
        {
          host: 'www.example.com',
          paths: [path('/api', 'Prefix', 'api'), path('/health', 'Exact', 'api')],
          where,
        },
        { host: null, paths: [path('/', 'Prefix', 'web')], where },
      ],
    })
    const routers = traefikRouters([ing])
    expect(routers.map((r) => [r.name, r.rule, r.service])).toEqual([
      [
        'shop-site-www-example-com-api',
        'Host(`www.example.com`) && PathPrefix(`/api`)',
        'shop-api-80',
      ],
      [
        'shop-site-www-example-com-health',
        'Host(`www.example.com`) && Path(`/health`)',
        'shop-api-80',
      ],
      ['shop-site', 'PathPrefix(`/`)', 'shop-web-80'],
    ])
    const chosen = {
      kind: 'rule' as const,
      ingress: ing,
      rule: ing.rules[0]!,
      path: ing.rules[0]!.paths[1]!,
    }
    expect(traefikRouterLookups(routers, chosen).map((l) => l.matched)).toEqual([
      false,
      true,
      false,
    ])
  })

  it('turns a wildcard host into HostRegexp with one label', () => {
    expect(traefikRouterRule('*.example.com', path('/a', 'Prefix', 's'))).toBe(
      'HostRegexp(`^[a-zA-Z0-9-]+\\.example\\.com$`) && PathPrefix(`/a`)',
    )
  })

  it('gives an Ingress with only a defaultBackend the default-router', () => {
    const fallback = ingress('fallback', {
      defaultBackend: { service: { name: 'web', port: 80 }, resource: null },
    })
    const routers = traefikRouters([fallback])
    expect(routers.map((r) => [r.name, r.rule, r.service])).toEqual([
      ['default-router', 'PathPrefix(`/`)', 'default-backend'],
    ])
    const l = traefikRouterLookups(routers, { kind: 'default-backend', ingress: fallback })
    expect(l[0]!.matched).toBe(true)
    // With rules, this provider ignores the defaultBackend: no default-router.
    const both = ingress('both', {
      defaultBackend: { service: { name: 'web', port: 80 }, resource: null },
      rules: [{ host: 'a.example', paths: [path('/', 'Prefix', 'web')], where }],
    })
    expect(traefikRouters([both]).map((r) => r.name)).toEqual(['shop-both-a-example'])
  })
})
