import { describe, expect, it } from 'vitest'
import type { IngressDecl } from '../../model/l7-decls.ts'
import { ingressDecl, ingressPath, where } from '../../test/ingress-decls.ts'
import { parseIp } from '../../model/ipv4.ts'
import { matchIngress } from './ingress-match.ts'
import { httpRequest } from './request.ts'
import {
  traefikConfig,
  traefikHashedKey,
  traefikHostMatches,
  traefikNormalize,
  traefikRoute,
  traefikRouterRule,
  type TraefikServiceSource,
} from './traefik.ts'

const path = ingressPath
const ingress = (name: string, over: Partial<IngressDecl>) => ingressDecl(name, 'traefik', over)

function ep(ip: string, over: Partial<{ serving: boolean; terminating: boolean }> = {}) {
  return { ip: parseIp(ip)!, port: 8080, serving: true, terminating: false, pod: null, ...over }
}

/** Every Service has port 80 (unnamed) with two endpoints; `empty` has none. */
const services = (ns: string, name: string): TraefikServiceSource | null =>
  name === 'missing'
    ? null
    : {
        ports: [
          {
            name: '',
            port: 80,
            endpoints: name === 'empty' ? [] : [ep('10.244.1.5'), ep('10.244.2.7')],
          },
        ],
      }

const req = (host: string, p: string, scheme: 'http' | 'https' = 'http') =>
  httpRequest({ host, path: p, scheme })

describe('Traefik kubernetesIngress routers and services', () => {
  it('normalizes names: every run of non-letters and non-digits becomes one dash', () => {
    expect(traefikNormalize('shop-site-www.example.com/api/v1')).toBe(
      'shop-site-www-example-com-api-v1',
    )
    expect(traefikNormalize('-a//b-')).toBe('a-b')
  })

  it('names routers and services, quotes rules with %q, and gives each its rule length as priority', () => {
    const ing = ingress('site', {
      rules: [
        {
          host: 'www.example.com',
          paths: [path('/api', 'Prefix', 'api'), path('/health', 'Exact', 'api')],
          where,
        },
        { host: null, paths: [path('/', 'ImplementationSpecific', 'web')], where },
      ],
    })
    const { routers, services: svcs } = traefikConfig([ing], services)
    expect(routers.map((r) => [r.name, r.rule, r.priority, r.service])).toEqual([
      [
        'shop-site-www-example-com-api',
        'Host("www.example.com") && PathPrefix("/api")',
        45,
        'shop-api-80',
      ],
      [
        'shop-site-www-example-com-health',
        'Host("www.example.com") && Path("/health")',
        42,
        'shop-api-80',
      ],
      ['shop-site', 'PathPrefix("/")', 15, 'shop-web-80'],
    ])
    expect(svcs.map((s) => [s.name, s.servers.map((v) => v.url)])).toEqual([
      ['shop-api-80', ['http://10.244.1.5:8080', 'http://10.244.2.7:8080']],
      ['shop-web-80', ['http://10.244.1.5:8080', 'http://10.244.2.7:8080']],
    ])
  })

  it('builds servers from serving endpoints only, each address once, https for port 443', () => {
    const src = (): TraefikServiceSource => ({
      ports: [
        {
          name: 'https',
          port: 443,
          endpoints: [
            ep('10.244.1.5'),
            ep('10.244.1.5'),
            ep('10.244.2.7', { serving: false }),
            ep('10.244.3.9', { terminating: true }),
          ],
        },
      ],
    })
    const ing = ingress('s', {
      rules: [
        {
          host: 'a.example',
          paths: [
            {
              ...path('/', 'Prefix', 'api'),
              backend: { service: { name: 'api', port: 'https' }, resource: null },
            },
          ],
          where,
        },
      ],
    })
    const [svc] = traefikConfig([ing], src).services
    expect(svc!.name).toBe('shop-api-https')
    expect(svc!.servers.map((s) => [s.url, s.fenced])).toEqual([
      ['https://10.244.1.5:8080', false],
      ['https://10.244.3.9:8080', true],
    ])
  })

  it('skips a path whose Service is missing or has no server: no router, and says why', () => {
    const ing = ingress('s', {
      rules: [
        {
          host: 'a.example',
          paths: [path('/x', 'Prefix', 'missing'), path('/y', 'Prefix', 'empty')],
          where,
        },
      ],
    })
    const cfg = traefikConfig([ing], services)
    expect(cfg.routers).toEqual([])
    expect(cfg.skipped.map((k) => k.reason)).toEqual([
      'Cannot create service: service not found',
      'Skipping service: no endpoints found',
    ])
    // With no router at all, Traefik answers 404 where the docs' model would pick the rule.
    expect(traefikRoute(cfg, req('a.example', '/y')).router).toBeNull()
  })

  it('hashes the key of two paths that normalize to the same router name', () => {
    const ing = ingress('s', {
      rules: [
        {
          host: null,
          paths: [path('/a-b', 'Prefix', 'api'), path('/a/b', 'Prefix', 'api')],
          where,
        },
      ],
    })
    const names = traefikConfig([ing], services).routers.map((r) => r.name)
    expect(names).toEqual([
      traefikHashedKey('shop-s-a-b', 'PathPrefix("/a-b")'),
      traefikHashedKey('shop-s-a-b', 'PathPrefix("/a/b")'),
    ])
    // %.10x of the sha256 sum: 10 bytes, 20 hex digits.
    expect(names[0]).toMatch(/^shop-s-a-b-[0-9a-f]{20}$/)
    expect(names[0]).not.toBe(names[1])
  })

  it('matches a wildcard host over exactly one label (v3.7 Host matcher)', () => {
    expect(traefikRouterRule('*.example.com', path('/a', 'Prefix', 's'))).toBe(
      'Host("*.example.com") && PathPrefix("/a")',
    )
    expect(traefikHostMatches('*.example.com', 'shop.example.com')).toBe(true)
    expect(traefikHostMatches('*.example.com', 'a.shop.example.com')).toBe(false)
    expect(traefikHostMatches('*.example.com', 'example.com')).toBe(false)
    expect(traefikHostMatches('WWW.example.com', 'www.EXAMPLE.com:8443')).toBe(true)
  })

  it('gives an Ingress with only a defaultBackend the default-router at the lowest priority', () => {
    const fallback = ingress('fallback', {
      defaultBackend: { service: { name: 'web', port: 80 }, resource: null },
    })
    const site = ingress('site', {
      rules: [{ host: 'a.example', paths: [path('/api', 'Prefix', 'api')], where }],
    })
    const cfg = traefikConfig([fallback, site], services)
    expect(cfg.routers.map((r) => [r.name, r.rule, r.priority, r.service])).toEqual([
      ['default-router', 'PathPrefix("/")', -2147483648, 'default-backend'],
      ['shop-site-a-example-api', 'Host("a.example") && PathPrefix("/api")', 39, 'shop-api-80'],
    ])
    expect(traefikRoute(cfg, req('a.example', '/api/x')).router!.name).toBe(
      'shop-site-a-example-api',
    )
    expect(traefikRoute(cfg, req('other.example', '/')).router!.name).toBe('default-router')
    // With rules, this provider ignores the defaultBackend: no default-router.
    const both = ingress('both', {
      defaultBackend: { service: { name: 'web', port: 80 }, resource: null },
      rules: [{ host: 'a.example', paths: [path('/', 'Prefix', 'web')], where }],
    })
    expect(traefikConfig([both], services).routers.map((r) => r.name)).toEqual([
      'shop-both-a-example',
    ])
  })
})

describe('Traefik chooses by its own rules where they differ from the Ingress docs', () => {
  it('PathPrefix is a character prefix: Prefix /foo takes /foobar (the docs say it must not)', () => {
    const ing = ingress('s', {
      rules: [
        {
          host: null,
          paths: [path('/foo', 'Prefix', 'foo'), path('/', 'Prefix', 'root')],
          where,
        },
      ],
    })
    const r = req('a.example', '/foobar')
    expect(traefikRoute(traefikConfig([ing], services), r).router!.service).toBe('shop-foo-80')
    const docs = matchIngress([ing], r).match
    expect(docs.kind === 'rule' && docs.path.path).toBe('/')
  })

  it('priority is rule length: Prefix /foo beats Exact /foo for /foo (the docs pick Exact)', () => {
    const ing = ingress('s', {
      rules: [
        {
          host: null,
          paths: [path('/foo', 'Exact', 'exact'), path('/foo', 'Prefix', 'prefix')],
          where,
        },
      ],
    })
    const cfg = traefikConfig([ing], services)
    // Same key "shop-s-foo": hashed names. Path("/foo") is 12 characters, PathPrefix("/foo") 18.
    expect(cfg.routers.map((r) => r.priority)).toEqual([12, 18])
    const got = traefikRoute(cfg, req('a.example', '/foo'))
    expect(got.router!.service).toBe('shop-prefix-80')
    expect(got.lookups[0]!.matched).toBe(true)
    const docs = matchIngress([ing], req('a.example', '/foo')).match
    expect(docs.kind === 'rule' && docs.path.pathType).toBe('Exact')
  })

  it('priority is rule length: a long hostless path beats a host rule with a short one', () => {
    const ing = ingress('s', {
      rules: [
        { host: 'a.example', paths: [path('/', 'Prefix', 'host')], where },
        { host: null, paths: [path('/assets/images/large', 'Prefix', 'cdn')], where },
      ],
    })
    const r = req('a.example', '/assets/images/large/x.png')
    const got = traefikRoute(traefikConfig([ing], services), r)
    // Host("a.example") && PathPrefix("/") is 36 characters; PathPrefix("/assets/images/large") 34.
    expect(got.router!.service).toBe('shop-host-80')
    const longer = ingress('s', {
      rules: [
        { host: 'a.example', paths: [path('/', 'Prefix', 'host')], where },
        { host: null, paths: [path('/assets/images/thumbnail', 'Prefix', 'cdn')], where },
      ],
    })
    // PathPrefix("/assets/images/thumbnail") is 38 characters: tried before the host rule.
    const r2 = req('a.example', '/assets/images/thumbnail/x.png')
    expect(traefikRoute(traefikConfig([longer], services), r2).router!.service).toBe('shop-cdn-80')
    // The docs' model ranks the host first and picks the host rule.
    const docs = matchIngress([longer], r2).match
    expect(docs.kind === 'rule' && docs.rule.host).toBe('a.example')
  })

  it('says so when routers of equal priority both match (no defined order in Traefik)', () => {
    const a = ingress('a', { rules: [{ host: null, paths: [path('/z', 'Prefix', 'p')], where }] })
    const b = ingress('b', { rules: [{ host: null, paths: [path('/z', 'Prefix', 'q')], where }] })
    const r = traefikRoute(traefikConfig([b, a], services), req('x', '/z'))
    expect(r.router!.name).toBe('shop-a-z')
    expect(r.reason.en).toMatch(/shop-b-z has the same priority and matches too/)
    expect(r.reason['zh-CN']).toMatch(/“shop-b-z” 的优先级相同/)
    // Equal priority but only one matches: nothing to say.
    const c = ingress('c', { rules: [{ host: null, paths: [path('/y', 'Prefix', 'q')], where }] })
    expect(traefikRoute(traefikConfig([c, a], services), req('x', '/z')).reason.en).not.toMatch(
      /same priority/,
    )
  })

  it('a router.priority annotation overrides the rule length', () => {
    const ing = ingress('s', {
      annotations: { 'traefik.ingress.kubernetes.io/router.priority': '100' },
      rules: [{ host: null, paths: [path('/', 'Prefix', 'web')], where }],
    })
    const other = ingress('t', {
      rules: [{ host: 'a.example', paths: [path('/api', 'Prefix', 'api')], where }],
    })
    const cfg = traefikConfig([ing, other], services)
    expect(cfg.routers.map((r) => [r.priority, r.prioritySet])).toEqual([
      [100, true],
      [39, false],
    ])
    expect(traefikRoute(cfg, req('a.example', '/api')).router!.service).toBe('shop-web-80')
  })

  it('on a TLS connection only routers with router.tls serve: an Ingress tls entry is not enough', () => {
    const plain = ingress('s', {
      tls: [{ hosts: ['a.example'], secretName: 'cert', where }],
      rules: [{ host: 'a.example', paths: [path('/', 'Prefix', 'web')], where }],
    })
    expect(
      traefikRoute(traefikConfig([plain], services), req('a.example', '/', 'https')).router,
    ).toBeNull()
    expect(
      traefikRoute(traefikConfig([plain], services), req('a.example', '/')).router,
    ).not.toBeNull()
    const tls = { ...plain, annotations: { 'traefik.ingress.kubernetes.io/router.tls': 'true' } }
    const cfg = traefikConfig([tls], services)
    expect(traefikRoute(cfg, req('a.example', '/', 'https')).router!.tls).toBe(true)
    expect(traefikRoute(cfg, req('a.example', '/')).router).toBeNull()
  })

  it('agrees with the docs on Exact, on element-wise matches and on one-label wildcards', () => {
    const ing = ingress('s', {
      rules: [
        { host: '*.example.com', paths: [path('/shop', 'Prefix', 'shop')], where },
        { host: null, paths: [path('/health', 'Exact', 'health')], where },
      ],
    })
    const cfg = traefikConfig([ing], services)
    for (const [host, p, want] of [
      ['a.example.com', '/shop/cart', 'shop-shop-80'],
      ['a.example.com', '/shop', 'shop-shop-80'],
      ['a.b.example.com', '/shop', null],
      ['x', '/health', 'shop-health-80'],
      ['x', '/health/', null],
    ] as const) {
      expect([host, p, traefikRoute(cfg, req(host, p)).router?.service ?? null]).toEqual([
        host,
        p,
        want,
      ])
      const docs = matchIngress([ing], req(host, p)).match
      expect(docs.kind === 'rule').toBe(want !== null)
    }
  })
})
