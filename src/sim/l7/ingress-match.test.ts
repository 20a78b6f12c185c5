import { describe, expect, it } from 'vitest'
import type { IngressClassDecl, IngressDecl, IngressPathType } from '../../model/l7-decls.ts'
import {
  ingressClassOf,
  ingressesOfClass,
  ingressTlsFor,
  matchIngress,
  type IngressMatchResult,
} from './ingress-match.ts'
import { httpRequest } from './request.ts'

const W = { file: 't.yaml', line: 1, col: 1, object: '' }

function ingress(
  name: string,
  rules: { host?: string; paths: [string, IngressPathType, string][] }[],
  extra: Partial<IngressDecl> = {},
): IngressDecl {
  return {
    namespace: 'default',
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
      paths: r.paths.map(([path, pathType, svc]) => ({
        path,
        pathType,
        backend: { service: { name: svc, port: 80 }, resource: null },
        where: W,
      })),
    })),
    ...extra,
  }
}

const route = (ings: IngressDecl[], host: string, path: string) =>
  matchIngress(ings, httpRequest({ host, path }))

const svcOf = (r: IngressMatchResult) =>
  r.match.kind === 'not-found' ? null : (r.match.target?.service ?? null)

describe('Ingress path matching: the "Examples" table of the Kubernetes Ingress docs, row by row', () => {
  // Each row: kind, path(s), request path(s), match?; paths are named by index so that the row
  // also says WHICH path matched.
  const rows: [string, [string, IngressPathType][], string[], string | null][] = [
    ['Prefix', [['/', 'Prefix']], ['/', '/foo', '/aaa/bbb/ccc'], '/'],
    ['Exact', [['/foo', 'Exact']], ['/foo'], '/foo'],
    ['Exact', [['/foo', 'Exact']], ['/bar'], null],
    ['Exact', [['/foo', 'Exact']], ['/foo/'], null],
    ['Exact', [['/foo/', 'Exact']], ['/foo'], null],
    ['Prefix', [['/foo', 'Prefix']], ['/foo', '/foo/'], '/foo'],
    ['Prefix', [['/foo/', 'Prefix']], ['/foo', '/foo/'], '/foo/'],
    ['Prefix', [['/aaa/bb', 'Prefix']], ['/aaa/bbb'], null],
    ['Prefix', [['/aaa/bbb', 'Prefix']], ['/aaa/bbb'], '/aaa/bbb'],
    ['Prefix (ignores trailing slash)', [['/aaa/bbb/', 'Prefix']], ['/aaa/bbb'], '/aaa/bbb/'],
    ['Prefix (matches trailing slash)', [['/aaa/bbb', 'Prefix']], ['/aaa/bbb/'], '/aaa/bbb'],
    ['Prefix (matches subpath)', [['/aaa/bbb', 'Prefix']], ['/aaa/bbb/ccc'], '/aaa/bbb'],
    ['Prefix (not a string prefix)', [['/aaa/bbb', 'Prefix']], ['/aaa/bbbxyz'], null],
    [
      'Prefix (matches /aaa prefix)',
      [
        ['/', 'Prefix'],
        ['/aaa', 'Prefix'],
      ],
      ['/aaa/ccc'],
      '/aaa',
    ],
    [
      'Prefix (matches /aaa/bbb prefix)',
      [
        ['/', 'Prefix'],
        ['/aaa', 'Prefix'],
        ['/aaa/bbb', 'Prefix'],
      ],
      ['/aaa/bbb'],
      '/aaa/bbb',
    ],
    [
      'Prefix (matches / prefix)',
      [
        ['/', 'Prefix'],
        ['/aaa', 'Prefix'],
        ['/aaa/bbb', 'Prefix'],
      ],
      ['/ccc'],
      '/',
    ],
    ['Prefix (uses default backend)', [['/aaa', 'Prefix']], ['/ccc'], null],
    [
      'Mixed (prefers Exact)',
      [
        ['/foo', 'Prefix'],
        ['/foo', 'Exact'],
      ],
      ['/foo'],
      '/foo Exact',
    ],
  ]
  for (const [kind, paths, requests, want] of rows) {
    for (const req of requests) {
      it(`${kind}: ${paths.map((p) => p[0]).join(', ')} vs ${req} -> ${want ?? 'no match'}`, () => {
        const ing = ingress('t', [
          { paths: paths.map(([p, t]): [string, IngressPathType, string] => [p, t, `${p} ${t}`]) },
        ])
        const r = route([ing], 'any.example.com', req)
        if (want === null) {
          expect(r.match.kind).toBe('not-found')
          expect(r.lookups.every((l) => !l.matched)).toBe(true)
        } else {
          expect(r.match.kind).toBe('rule')
          const svc = svcOf(r)!
          expect(want.includes(' ') ? svc : svc.split(' ')[0]).toBe(want)
          expect(r.lookups.filter((l) => l.matched)).toHaveLength(1)
        }
      })
    }
  }
})

describe('Ingress host matching', () => {
  const ing = ingress('w', [{ host: '*.foo.com', paths: [['/', 'Prefix', 'wild']] }])
  it('*.foo.com matches bar.foo.com (one DNS label), case-insensitively and ignoring the port', () => {
    expect(svcOf(route([ing], 'bar.foo.com', '/'))).toBe('wild')
    expect(svcOf(route([ing], 'BAR.Foo.com:8080', '/'))).toBe('wild')
  })
  it('*.foo.com does not match baz.bar.foo.com nor foo.com', () => {
    expect(route([ing], 'baz.bar.foo.com', '/').match.kind).toBe('not-found')
    expect(route([ing], 'foo.com', '/').match.kind).toBe('not-found')
  })
  it('an exact host beats a wildcard, which beats a rule without host', () => {
    const all = ingress('a', [
      { paths: [['/', 'Prefix', 'any']] },
      { host: '*.foo.com', paths: [['/', 'Prefix', 'wild']] },
      { host: 'www.foo.com', paths: [['/', 'Prefix', 'exact']] },
    ])
    expect(svcOf(route([all], 'www.foo.com', '/x'))).toBe('exact')
    expect(svcOf(route([all], 'api.foo.com', '/x'))).toBe('wild')
    expect(svcOf(route([all], 'example.org', '/x'))).toBe('any')
  })
  it('the fanout from the curriculum: www.example.com/api and /web go to two Services', () => {
    const fan = ingress('fan', [
      {
        host: 'www.example.com',
        paths: [
          ['/api', 'Prefix', 'api-service'],
          ['/web', 'Prefix', 'web-service'],
        ],
      },
    ])
    const r = route([fan], 'www.example.com', '/api/users?id=1')
    expect(r.match).toMatchObject({
      kind: 'rule',
      target: { namespace: 'default', service: 'api-service', port: 80 },
    })
    expect(r.lookups).toEqual([
      {
        table: 'Ingress default/fan',
        rule: 'host: www.example.com  path: /api  pathType: Prefix  -> api-service:80',
        matched: true,
      },
      {
        table: 'Ingress default/fan',
        rule: 'host: www.example.com  path: /web  pathType: Prefix  -> web-service:80',
        matched: false,
      },
    ])
    expect(r.reason.en).toMatch(/exactly www.example.com/)
    expect(r.reason['zh-CN']).toMatch(/主机正好是/)
    expect(svcOf(route([fan], 'www.example.com', '/web'))).toBe('web-service')
  })
})

describe('Ingress default backend and 404', () => {
  const withDefault = ingress('d', [{ host: 'a.com', paths: [['/app', 'Prefix', 'app']] }], {
    defaultBackend: { service: { name: 'fallback', port: 8080 }, resource: null },
  })
  it('sends what no rule matches to spec.defaultBackend', () => {
    const r = route([withDefault], 'a.com', '/other')
    expect(r.match).toMatchObject({
      kind: 'default-backend',
      target: { service: 'fallback', port: 8080 },
    })
    expect(r.lookups.at(-1)).toEqual({
      table: 'Ingress default/d',
      rule: 'defaultBackend: -> fallback:8080',
      matched: true,
    })
  })
  it('answers 404 when nothing matches and no Ingress has a default backend', () => {
    const r = route(
      [ingress('x', [{ host: 'a.com', paths: [['/app', 'Prefix', 'app']] }])],
      'b.com',
      '/app',
    )
    expect(r.match).toEqual({ kind: 'not-found', status: 404 })
    expect(r.reason.en).toMatch(/404/)
  })
  it('merges the Ingresses of a class: the longest path wins across Ingresses', () => {
    const a = ingress('a', [{ host: 'a.com', paths: [['/', 'Prefix', 'root']] }])
    const b = ingress('b', [{ host: 'a.com', paths: [['/shop/cart', 'Prefix', 'cart']] }])
    expect(svcOf(route([a, b], 'a.com', '/shop/cart/1'))).toBe('cart')
    expect(svcOf(route([a, b], 'a.com', '/shop'))).toBe('root')
  })
})

describe('IngressClass selection', () => {
  const classes: IngressClassDecl[] = [
    {
      name: 'nginx',
      controller: 'k8s.io/ingress-nginx',
      isDefault: true,
      creationTimestamp: '2024-01-01T00:00:00Z',
      where: W,
    },
    {
      name: 'traefik',
      controller: 'traefik.io/ingress-controller',
      isDefault: false,
      creationTimestamp: '2024-06-01T00:00:00Z',
      where: W,
    },
  ]
  it('uses ingressClassName, then the deprecated annotation, then the default class', () => {
    expect(
      ingressClassOf(ingress('a', [], { ingressClassName: 'traefik' }), classes),
    ).toMatchObject({
      className: 'traefik',
      via: 'ingressClassName',
    })
    expect(
      ingressClassOf(
        ingress('b', [], { ingressClassName: null, classAnnotation: 'traefik' }),
        classes,
      ),
    ).toMatchObject({ className: 'traefik', via: 'annotation' })
    expect(ingressClassOf(ingress('c', [], { ingressClassName: null }), classes)).toMatchObject({
      className: 'nginx',
      via: 'default',
    })
  })
  it('with two defaults, the admission controller assigns the newest', () => {
    const two = classes.map((c) => ({ ...c, isDefault: true }))
    const r = ingressClassOf(ingress('c', [], { ingressClassName: null }), two)
    expect(r.className).toBe('traefik')
    expect(r.reason.en).toMatch(/assigned the newest/)
    const sameTime = two.map((c) => ({ ...c, creationTimestamp: null }))
    expect(ingressClassOf(ingress('c', [], { ingressClassName: null }), sameTime).className).toBe(
      'nginx',
    )
  })
  it('without any default, a class-less Ingress has no class', () => {
    const none = classes.map((c) => ({ ...c, isDefault: false }))
    expect(ingressClassOf(ingress('c', [], { ingressClassName: null }), none).via).toBe('none')
  })
  it('lists the Ingresses of one class, oldest first', () => {
    const ings = [
      ingress('new', [], { creationTimestamp: '2024-02-01T00:00:00Z' }),
      ingress('other', [], { ingressClassName: 'traefik' }),
      ingress('old', [], { creationTimestamp: '2024-01-01T00:00:00Z' }),
    ]
    expect(ingressesOfClass(ings, classes, 'nginx').map((i) => i.name)).toEqual(['old', 'new'])
  })
})

describe('Ingress TLS: which Secret answers an SNI name', () => {
  const a = ingress('a', [], {
    tls: [
      { hosts: ['*.example.com'], secretName: 'wild-tls', where: W },
      { hosts: ['www.example.com'], secretName: 'www-tls', where: W },
    ],
  })
  it('an exact host beats a wildcard', () => {
    expect(ingressTlsFor([a], 'www.example.com').secret).toBe('default/www-tls')
    expect(ingressTlsFor([a], 'shop.example.com').secret).toBe('default/wild-tls')
  })
  it('no entry for the name: the controller falls back to its default certificate', () => {
    const r = ingressTlsFor([a], 'a.b.example.com')
    expect(r.secret).toBeNull()
    expect(r.lookups.every((l) => !l.matched)).toBe(true)
    expect(r.reason['zh-CN']).toMatch(/默认证书/)
  })
})
