import { describe, expect, it } from 'vitest'
import type { IngressDecl, IngressPathType } from '../../model/l7-decls.ts'
import {
  ingressNginxRoute,
  ingressNginxServers,
  ingressNginxUpstreamName,
  nginxConfLines,
  nginxServerName,
} from './ingress-nginx.ts'
import { httpRequest } from './request.ts'

const W = { file: 't.yaml', line: 1, col: 1, object: '' }

function ingress(
  name: string,
  rules: { host?: string; paths: [string, IngressPathType, string, number | string][] }[],
  extra: Partial<IngressDecl> = {},
): IngressDecl {
  return {
    namespace: 'shop',
    name,
    ingressClassName: 'nginx',
    classAnnotation: null,
    creationTimestamp: null,
    defaultBackend: null,
    tls: [],
    where: W,
    rules: rules.map((r) => ({
      host: r.host ?? null,
      where: W,
      paths: r.paths.map(([path, pathType, svc, port]) => ({
        path,
        pathType,
        backend: { service: { name: svc, port }, resource: null },
        where: W,
      })),
    })),
    ...extra,
  }
}

const fanout = ingress('fan', [
  {
    host: 'www.example.com',
    paths: [
      ['/api', 'Prefix', 'api-service', 80],
      ['/web', 'Exact', 'web-service', 'http'],
    ],
  },
])

const route = (ings: IngressDecl[], host: string, path: string) =>
  ingressNginxRoute(ingressNginxServers(ings), httpRequest({ host, path }))

describe('ingress-nginx: the nginx.conf it generates', () => {
  it('names upstreams <namespace>-<service>-<port number or name>', () => {
    expect(ingressNginxUpstreamName('shop', 'api-service', 80)).toBe('shop-api-service-80')
    expect(ingressNginxUpstreamName('shop', 'web-service', 'http')).toBe('shop-web-service-http')
  })

  it('writes one server per host; a Prefix path becomes "/p/" plus "= /p"; "/" goes to the default backend', () => {
    expect(nginxConfLines(ingressNginxServers([fanout]))).toEqual([
      '## start server _',
      'server {',
      '    server_name "_" ;',
      '    listen 80 default_server reuseport ;',
      '    location "/" {',
      '        set $proxy_upstream_name "upstream-default-backend";',
      '    }',
      '}',
      '## end server _',
      '## start server www.example.com',
      'server {',
      '    server_name "www.example.com" ;',
      '    listen 80  ;',
      // Sorted as getBackendServers does: by path descending, then by length descending.
      '    location = "/web" {',
      '        set $proxy_upstream_name "shop-web-service-http";',
      '    }',
      '    location "/api/" {',
      '        set $proxy_upstream_name "shop-api-service-80";',
      '    }',
      '    location = "/api" {',
      '        set $proxy_upstream_name "shop-api-service-80";',
      '    }',
      '    location "/" {',
      '        set $proxy_upstream_name "upstream-default-backend";',
      '    }',
      '}',
      '## end server www.example.com',
    ])
  })

  it('turns a wildcard host into a regex server_name covering one label', () => {
    expect(nginxServerName('*.foo.com')).toBe('~^(?<subdomain>[\\w-]+)\\.foo\\.com$')
  })

  it("uses an Ingress's defaultBackend as the root location of its servers", () => {
    const d = ingress('d', [{ host: 'a.com', paths: [['/x', 'Prefix', 'x', 80]] }], {
      defaultBackend: { service: { name: 'fallback', port: 8080 }, resource: null },
    })
    const r = route([d], 'a.com', '/nothing')
    expect(r.location.upstream).toBe('shop-fallback-8080')
    expect(r.status).toBeNull()
  })
})

describe('ingress-nginx: how nginx picks a server and a location', () => {
  it('routes by server_name then by longest location', () => {
    const r = route([fanout], 'www.example.com', '/api/users')
    expect(r.location.upstream).toBe('shop-api-service-80')
    expect(r.lookups.filter((l) => l.matched).map((l) => l.rule)).toEqual([
      'location "/api/" { set $proxy_upstream_name "shop-api-service-80"; }',
    ])
    expect(route([fanout], 'www.example.com', '/api').location.exact).toBe(true)
    expect(route([fanout], 'www.example.com', '/apix').status).toBe(404)
  })

  it('an unknown host goes to the default server "_" and its default backend: 404', () => {
    const r = route([fanout], 'other.example.com', '/api')
    expect(r.server.hostname).toBe('_')
    expect(r.status).toBe(404)
    expect(r.reason.en).toMatch(/default server "_"/)
  })

  it('differs from the docs table: Prefix "/foo/" does not match "/foo" (its locations are "/foo/" and "= /foo/")', () => {
    const ing = ingress('t', [{ paths: [['/foo/', 'Prefix', 'foo', 80]] }])
    expect(route([ing], 'x', '/foo').status).toBe(404)
    expect(route([ing], 'x', '/foo/').location.upstream).toBe('shop-foo-80')
  })

  it('ImplementationSpecific is a plain nginx prefix: "/foo" matches "/foobar"', () => {
    const ing = ingress('t', [{ paths: [['/foo', 'ImplementationSpecific', 'foo', 80]] }])
    expect(route([ing], 'x', '/foobar').location.upstream).toBe('shop-foo-80')
  })

  it('plain HTTP to a host with a certificate is redirected 308 to https, without the final slash', () => {
    const tls = ingress('t', [{ host: 'a.com', paths: [['/', 'Prefix', 'web', 80]] }], {
      tls: [{ hosts: ['a.com'], secretName: 'a-tls', where: W }],
    })
    const r = route([tls], 'a.com', '/shop/')
    expect(r.server.tlsSecret).toBe('shop/a-tls')
    expect(r.redirect).toEqual({ status: 308, location: 'https://a.com/shop' })
    const https = ingressNginxRoute(
      ingressNginxServers([tls]),
      httpRequest({ host: 'a.com', path: '/shop/', sni: 'a.com' }),
    )
    expect(https.redirect).toBeNull()
    expect(https.location.upstream).toBe('shop-web-80')
  })

  it('a host server does not fall through to rules without host', () => {
    const ing = ingress('t', [
      { host: 'a.com', paths: [['/a', 'Prefix', 'a', 80]] },
      { paths: [['/b', 'Prefix', 'b', 80]] },
    ])
    expect(route([ing], 'a.com', '/b').status).toBe(404)
    expect(route([ing], 'b.com', '/b').location.upstream).toBe('shop-b-80')
  })
})
