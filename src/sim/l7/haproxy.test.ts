import { describe, expect, it } from 'vitest'
import type { IngressDecl } from '../../model/l7-decls.ts'
import { ingressDecl, ingressPath, where } from '../../test/ingress-decls.ts'
import type { ServicePortDecl } from '../../model/scenario.ts'
import { parseIp } from '../../model/ipv4.ts'
import { matchIngress } from './ingress-match.ts'
import { httpRequest } from './request.ts'
import {
  haproxyBackendName,
  haproxyConfig,
  haproxyFrontendLines,
  haproxyMapLine,
  haproxyRoute,
  haproxySlotCount,
  type HaproxyServiceSource,
} from './haproxy.ts'

function port(name: string | null, n: number): ServicePortDecl {
  return { name, port: n, targetPort: null, nodePort: null, protocol: 'TCP' }
}

const path = ingressPath
const ingress = (name: string, over: Partial<IngressDecl>) => ingressDecl(name, 'haproxy', over)

function ep(ip: string, ready = true) {
  return { ip: parseIp(ip)!, port: 8080, ready, pod: null }
}

const services = (_ns: string, name: string): HaproxyServiceSource | null =>
  name === 'missing'
    ? null
    : {
        decl: { ports: [port(null, 80)] },
        ports: [
          {
            name: '',
            port: 80,
            endpoints: name === 'empty' ? [] : [ep('10.244.1.5'), ep('10.244.2.7', false)],
          },
        ],
      }

const req = (host: string, p: string) => httpRequest({ host, path: p })

describe('HAProxy kubernetes-ingress backend names', () => {
  const ports = [port(null, 80), port('https', 443)]
  it('uses the port number for an unnamed Service port', () => {
    expect(haproxyBackendName('shop', 'api', ports, 80)).toBe('shop_svc_api_80')
  })
  it('uses the Service port name when the port has one, even when named by number', () => {
    expect(haproxyBackendName('shop', 'api', ports, 443)).toBe('shop_svc_api_https')
    expect(haproxyBackendName('shop', 'api', ports, 'https')).toBe('shop_svc_api_https')
  })
  it('gives no backend for a port the Service does not have', () => {
    expect(haproxyBackendName('shop', 'api', ports, 8080)).toBeNull()
    expect(haproxyBackendName('shop', 'api', ports, 'grpc')).toBeNull()
  })
})

describe('HAProxy kubernetes-ingress configuration', () => {
  it('adds server slots 42 at a time, as scaleHAProxySrvs computes them', () => {
    expect([0, 1, 41, 42, 43, 84].map((n) => haproxySlotCount(n))).toEqual([
      42, 42, 42, 42, 126, 126,
    ])
  })

  it('writes the ready endpoints into SRV_n slots and leaves the rest disabled', () => {
    const ing = ingress('s', {
      rules: [{ host: 'a.example', paths: [path('/', 'Prefix', 'api')], where }],
    })
    const [b] = haproxyConfig([ing], services).backends
    expect(b!.name).toBe('shop_svc_api_80')
    expect(b!.servers.length).toBe(42)
    expect(b!.servers.slice(0, 2).map((s) => [s.name, s.address, s.port, s.enabled])).toEqual([
      ['SRV_1', '10.244.1.5', 8080, true],
      ['SRV_2', '127.0.0.1', 1, false],
    ])
  })

  it('writes host and path map rows per path type, sorted, with three tabs', () => {
    const ing = ingress('s', {
      rules: [
        {
          host: 'www.example.com',
          paths: [
            path('/api/', 'Prefix', 'api'),
            path('/health', 'Exact', 'api'),
            path('/static', 'ImplementationSpecific', 'web'),
            path('/', 'Prefix', 'web'),
          ],
          where,
        },
        { host: '*.example.com', paths: [path('/', 'Prefix', 'web')], where },
      ],
    })
    const { maps } = haproxyConfig([ing], services)
    const lines = (m: keyof typeof maps) => maps[m].map(haproxyMapLine)
    expect(lines('host')).toEqual([
      '.example.com\t\t\t.example.com',
      'www.example.com\t\t\twww.example.com',
      'www.example.com\t\t\twww.example.com',
      'www.example.com\t\t\twww.example.com',
      'www.example.com\t\t\twww.example.com',
    ])
    expect(lines('path-exact')).toEqual(['www.example.com/health\t\t\tshop_svc_api_80'])
    expect(lines('path-prefix-exact')).toEqual([
      'www.example.com/api\t\t\tshop_svc_api_80',
      'www.example.com/static\t\t\tshop_svc_web_80',
    ])
    expect(lines('path-prefix')).toEqual([
      '.example.com/\t\t\tshop_svc_web_80',
      'www.example.com/\t\t\tshop_svc_web_80',
      'www.example.com/api/\t\t\tshop_svc_api_80',
      'www.example.com/static\t\t\tshop_svc_web_80',
    ])
    expect(haproxyFrontendLines(haproxyConfig([ing], services)).at(-1)).toBe(
      'use_backend %[var(txn.path_match),field(1,.)]',
    )
  })

  it('looks up exact, then prefix-exact, then the longest map_beg prefix', () => {
    const ing = ingress('s', {
      rules: [
        {
          host: 'a.example',
          paths: [
            path('/', 'Prefix', 'root'),
            path('/api', 'Prefix', 'api'),
            path('/api/v1', 'Prefix', 'v1'),
            path('/api/v1/status', 'Exact', 'status'),
          ],
          where,
        },
      ],
    })
    const cfg = haproxyConfig([ing], services)
    const pick = (p: string) => {
      const r = haproxyRoute(cfg, req('A.example:80', p))
      return [r.via, r.backend?.name]
    }
    expect(pick('/api/v1/status')).toEqual(['path-exact', 'shop_svc_status_80'])
    expect(pick('/api')).toEqual(['path-prefix-exact', 'shop_svc_api_80'])
    // Row order puts a.example/ first; the prefix tree still returns the longest key.
    expect(pick('/api/v1/users')).toEqual(['path-prefix', 'shop_svc_v1_80'])
    expect(pick('/apix')).toEqual(['path-prefix', 'shop_svc_root_80'])
    const r = haproxyRoute(cfg, req('a.example', '/api/v1/users'))
    expect(r.lookups.filter((l) => l.matched).map((l) => l.rule)).toContain(
      'a.example/api/v1/\t\t\tshop_svc_v1_80',
    )
  })

  it('serves a wildcard host by cutting off the first label, over one label only', () => {
    const ing = ingress('s', {
      rules: [{ host: '*.example.com', paths: [path('/', 'Prefix', 'web')], where }],
    })
    const cfg = haproxyConfig([ing], services)
    expect(haproxyRoute(cfg, req('shop.example.com', '/')).backend?.name).toBe('shop_svc_web_80')
    expect(haproxyRoute(cfg, req('a.shop.example.com', '/')).backend).toBeNull()
  })

  it('ImplementationSpecific is a character prefix: /static takes /staticfiles', () => {
    const ing = ingress('s', {
      rules: [{ host: null, paths: [path('/static', 'ImplementationSpecific', 'web')], where }],
    })
    expect(
      haproxyRoute(haproxyConfig([ing], services), req('x', '/staticfiles')).backend?.name,
    ).toBe('shop_svc_web_80')
  })

  it('differs from the docs: a known host does not fall back to rules without a host', () => {
    const ing = ingress('s', {
      rules: [
        { host: 'a.example', paths: [path('/api', 'Prefix', 'api')], where },
        { host: null, paths: [path('/', 'Prefix', 'web')], where },
      ],
    })
    const cfg = haproxyConfig([ing], services)
    const r = haproxyRoute(cfg, req('a.example', '/about'))
    expect([r.hostMatch, r.via, r.backend]).toEqual(['a.example', 'none', null])
    const docs = matchIngress([ing], req('a.example', '/about')).match
    expect(docs.kind === 'rule' && docs.path.backend.service?.name).toBe('web')
    // An unknown host does fall back: txn.host_match is '' and the hostless row matches.
    expect(haproxyRoute(cfg, req('b.example', '/about')).backend?.name).toBe('shop_svc_web_80')
  })

  it('sends what no row matches to the default_backend from an Ingress defaultBackend', () => {
    const ing = ingress('s', {
      defaultBackend: { service: { name: 'web', port: 80 }, resource: null },
      rules: [{ host: 'a.example', paths: [path('/api', 'Exact', 'api')], where }],
    })
    const cfg = haproxyConfig([ing], services)
    expect(haproxyFrontendLines(cfg).at(-1)).toBe('default_backend shop_svc_web_80')
    const r = haproxyRoute(cfg, req('a.example', '/other'))
    expect([r.via, r.backend?.name]).toEqual(['default_backend', 'shop_svc_web_80'])
  })
})
