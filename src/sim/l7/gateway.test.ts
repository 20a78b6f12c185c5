import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../model/parse-scenario.ts'
import type { Scenario } from '../../model/scenario.ts'
import { createRng } from '../rng.ts'
import {
  attachRoutes,
  gatewaysOfController,
  gatewayWorld,
  intersectHostnames,
  type GatewayWorld,
} from './gateway-attach.ts'
import { replacePrefix, routeHttpRequest, selectListener } from './httproute-match.ts'
import { httpRequest, type HttpRequest } from './request.ts'

const HEAD = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: example.com/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.example.com"
    allowedRoutes: {namespaces: {from: All}}
  - name: same-only
    port: 8080
    protocol: HTTP
`

function load(routes: string): Scenario {
  const r = parseScenario(`${HEAD}${routes}`, 't.yaml')
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return r.scenario!
}

function route(name: string, body: string, ns = 'web', ts = '2024-01-01T00:00:00Z'): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${ns}, creationTimestamp: "${ts}"}
spec:
${body}
`
}

function world(s: Scenario): GatewayWorld {
  return gatewayWorld(s)
}

function send(s: Scenario, req: Partial<HttpRequest> & { host: string; path: string }, seed = 1) {
  const w = world(s)
  const { attachments } = attachRoutes(w)
  const r = httpRequest(req)
  const l = selectListener(s.gateways[0]!, r)
  expect(l.listener).not.toBeNull()
  return routeHttpRequest(w, attachments, l.listener!, r, createRng(seed))
}

const svc = (r: ReturnType<typeof send>) =>
  r.outcome.kind === 'backend' ? r.outcome.target.service : r.outcome.kind

describe('HTTPRoute attachment and its status conditions', () => {
  it('attaches to the listener named by sectionName, with the intersected hostnames', () => {
    const s = load(
      route(
        'a',
        `  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  hostnames: [www.example.com, www.example.net]
  rules: [{backendRefs: [{name: web, port: 80}]}]`,
      ),
    )
    const { statuses, attachments } = attachRoutes(world(s))
    expect(statuses[0]!.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Accepted', 'True', 'Accepted'],
      ['ResolvedRefs', 'True', 'ResolvedRefs'],
    ])
    expect(attachments.map((a) => [a.listener.name, a.hostnames])).toEqual([
      ['http', ['www.example.com']],
    ])
  })

  it('NotAllowedByListeners: a listener takes routes from its own namespace by default (From: Same)', () => {
    const s = load(
      route(
        'a',
        `  parentRefs: [{name: gw, namespace: infra, sectionName: same-only}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]`,
      ),
    )
    const st = attachRoutes(world(s)).statuses[0]!
    expect(st.conditions[0]).toMatchObject({
      type: 'Accepted',
      status: 'False',
      reason: 'NotAllowedByListeners',
    })
    expect(st.conditions[0]!.message.en).toMatch(/From: Same|from: Same/)
    expect(st.listeners).toEqual([])
  })

  it('From: Selector admits namespaces whose labels match; kinds can exclude HTTPRoute', () => {
    const r = parseScenario(
      HEAD.replace(
        '  - name: same-only',
        '  - name: teams\n    port: 81\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: shop}}}}\n  - name: tls-only\n    port: 82\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: All}, kinds: [{kind: GRPCRoute}]}\n  - name: same-only',
      ) +
        route(
          'a',
          `  parentRefs: [{name: gw, namespace: infra, sectionName: teams}, {name: gw, namespace: infra, sectionName: tls-only}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]`,
        ),
      't.yaml',
    )
    expect(r.diagnostics).toEqual([])
    const s = r.scenario!
    const reasons = (labels: Record<string, Record<string, string>>) =>
      attachRoutes(gatewayWorld(s, null, labels)).statuses.map((x) => x.conditions[0]!.reason)
    expect(reasons({ web: { team: 'shop' } })).toEqual(['Accepted', 'NotAllowedByListeners'])
    expect(reasons({ web: { team: 'blog' } })).toEqual([
      'NotAllowedByListeners',
      'NotAllowedByListeners',
    ])
    // The labels can come from a kind: Namespace document of the scenario.
    const withNs = parseScenario(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: web, labels: {team: shop}}\n',
      't.yaml',
    ).scenario!
    expect(withNs.namespaceLabels).toEqual({ web: { team: 'shop' } })
    expect(
      attachRoutes(gatewayWorld({ ...s, namespaceLabels: withNs.namespaceLabels })).statuses[0]!
        .conditions[0]!.reason,
    ).toBe('Accepted')
  })

  it('NoMatchingListenerHostname: route and listener hostnames do not intersect', () => {
    const s = load(
      route(
        'a',
        `  parentRefs: [{name: gw, namespace: infra, sectionName: http}]\n  hostnames: [example.com]\n  rules: [{backendRefs: [{name: web, port: 80}]}]`,
      ),
    )
    expect(attachRoutes(world(s)).statuses[0]!.conditions[0]!.reason).toBe(
      'NoMatchingListenerHostname',
    )
  })

  it('NoMatchingParent: no listener has that sectionName or port', () => {
    const s = load(
      route(
        'a',
        `  parentRefs: [{name: gw, namespace: infra, sectionName: https}, {name: gw, namespace: infra, port: 9999}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]`,
      ),
    )
    const st = attachRoutes(world(s)).statuses
    expect(st.map((x) => x.conditions[0]!.reason)).toEqual(['NoMatchingParent', 'NoMatchingParent'])
  })

  it('no Gateway by that name: no controller writes any status', () => {
    const s = load(
      route('a', `  parentRefs: [{name: nope}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]`),
    )
    const st = attachRoutes(world(s)).statuses[0]!
    expect(st.conditions).toEqual([])
    expect(st.controllerName).toBeNull()
  })

  it('ResolvedRefs False RefNotPermitted across namespaces, until a ReferenceGrant allows it', () => {
    const r = route(
      'a',
      `  parentRefs: [{name: gw, namespace: infra}]\n  rules: [{backendRefs: [{name: db, namespace: data, port: 80}]}]`,
    )
    const s = load(r)
    expect(attachRoutes(world(s)).statuses[0]!.conditions[1]).toMatchObject({
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'RefNotPermitted',
    })
    const grant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-web, namespace: data}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}]
  to: [{group: "", kind: Service}]
`
    const s2 = load(r + grant)
    expect(attachRoutes(world(s2)).statuses[0]!.conditions[1]!.reason).toBe('ResolvedRefs')
  })

  it('ResolvedRefs False BackendNotFound when the Service does not exist', () => {
    const s = load(
      route(
        'a',
        `  parentRefs: [{name: gw, namespace: infra}]\n  rules: [{backendRefs: [{name: ghost, port: 80}]}]`,
      ),
    )
    const w = gatewayWorld(s, [{ namespace: 'web', name: 'web' }])
    expect(attachRoutes(w).statuses[0]!.conditions[1]!.reason).toBe('BackendNotFound')
  })

  it('finds the Gateways of a controller through their GatewayClass', () => {
    const s = load('')
    expect(
      gatewaysOfController(world(s), 'example.com/gateway-controller').map((g) => g.name),
    ).toEqual(['gw'])
    expect(gatewaysOfController(world(s), 'k8s.io/other')).toEqual([])
  })

  it('picks the HTTPS listener by SNI and presents its certificate', () => {
    const r = parseScenario(
      HEAD.replace(
        '  - name: same-only',
        '  - name: https\n    port: 443\n    protocol: HTTPS\n    hostname: shop.example.com\n    tls: {certificateRefs: [{name: shop-cert}]}\n  - name: same-only',
      ),
      't.yaml',
    )
    expect(r.diagnostics).toEqual([])
    const gw = r.scenario!.gateways[0]!
    const c = selectListener(
      gw,
      httpRequest({ host: 'shop.example.com', path: '/', sni: 'shop.example.com' }),
    )
    expect([c.listener?.name, c.certificate]).toEqual(['https', 'infra/shop-cert'])
    expect(
      selectListener(gw, httpRequest({ host: 'x.example.com', path: '/' })).listener?.name,
    ).toBe('http')
    expect(
      selectListener(gw, httpRequest({ host: 'x.example.org', path: '/' })).listener,
    ).toBeNull()
  })

  it('intersects hostnames as the HTTPRoute reference describes', () => {
    expect(intersectHostnames('test.example.com', ['*.example.com'])).toEqual(['test.example.com'])
    expect(intersectHostnames('*.example.com', ['foo.test.example.com'])).toEqual([
      'foo.test.example.com',
    ])
    expect(intersectHostnames('*.example.com', ['example.com', 'test.example.net'])).toBeNull()
    expect(intersectHostnames('*.example.com', [])).toEqual(['*.example.com'])
    expect(intersectHostnames(null, ['a.b'])).toEqual(['a.b'])
  })
})

describe('HTTPRoute match precedence across routes', () => {
  const parent = `  parentRefs: [{name: gw, namespace: infra, sectionName: http}]\n`
  it('an Exact path beats a longer PathPrefix; the longest PathPrefix beats a shorter one', () => {
    const s = load(
      route(
        'prefix',
        `${parent}  rules:\n  - matches: [{path: {type: PathPrefix, value: /api/v1/users}}]\n    backendRefs: [{name: long, port: 80}]\n  - matches: [{path: {type: PathPrefix, value: /api}}]\n    backendRefs: [{name: short, port: 80}]`,
      ) +
        route(
          'exact',
          `${parent}  rules:\n  - matches: [{path: {type: Exact, value: /api/v1/users}}]\n    backendRefs: [{name: exact, port: 80}]`,
        ),
    )
    expect(svc(send(s, { host: 'a.example.com', path: '/api/v1/users' }))).toBe('exact')
    expect(svc(send(s, { host: 'a.example.com', path: '/api/v1/users/7' }))).toBe('long')
    expect(svc(send(s, { host: 'a.example.com', path: '/api/v2' }))).toBe('short')
    expect(svc(send(s, { host: 'a.example.com', path: '/apix' }))).toBe('not-found')
  })

  it('then a method match, then more header matches, then more query matches', () => {
    const s = load(
      route(
        'r',
        `${parent}  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: plain, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}, queryParams: [{name: v, value: "2"}]}]
    backendRefs: [{name: query, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}, headers: [{name: x-canary, value: "yes"}]}]
    backendRefs: [{name: header, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}, method: POST}]
    backendRefs: [{name: method, port: 80}]`,
      ),
    )
    const h = { host: 'a.example.com', path: '/x?v=2', headers: { 'X-Canary': 'yes' } }
    expect(svc(send(s, { ...h, method: 'POST' }))).toBe('method')
    expect(svc(send(s, h))).toBe('header')
    expect(svc(send(s, { ...h, headers: {} }))).toBe('query')
    expect(svc(send(s, { host: 'a.example.com', path: '/x' }))).toBe('plain')
  })

  it('a tie goes to the oldest route, then to namespace/name, then to the first rule', () => {
    const rule = (svcName: string) =>
      `${parent}  rules:\n  - matches: [{path: {type: PathPrefix, value: /}}]\n    backendRefs: [{name: ${svcName}, port: 80}]`
    const older = load(
      route('b', rule('newer'), 'web', '2024-05-01T00:00:00Z') +
        route('z', rule('older'), 'web', '2024-01-01T00:00:00Z'),
    )
    expect(svc(send(older, { host: 'a.example.com', path: '/' }))).toBe('older')
    const same = load(route('b', rule('b'), 'web') + route('a', rule('a'), 'web'))
    expect(svc(send(same, { host: 'a.example.com', path: '/' }))).toBe('a')
    const rules = load(
      route(
        'r',
        `${parent}  rules:\n  - backendRefs: [{name: first, port: 80}]\n  - backendRefs: [{name: second, port: 80}]`,
      ),
    )
    expect(svc(send(rules, { host: 'a.example.com', path: '/' }))).toBe('first')
  })

  it('a more specific hostname wins before any path precedence', () => {
    const s = load(
      route(
        'wild',
        `${parent}  rules:\n  - matches: [{path: {type: Exact, value: /shop}}]\n    backendRefs: [{name: wild, port: 80}]`,
      ) +
        route(
          'exact',
          `${parent}  hostnames: [shop.example.com]\n  rules:\n  - backendRefs: [{name: exact-host, port: 80}]`,
        ),
    )
    expect(svc(send(s, { host: 'shop.example.com', path: '/shop' }))).toBe('exact-host')
    expect(svc(send(s, { host: 'other.example.com', path: '/shop' }))).toBe('wild')
  })

  it('lists every rule tested as a lookup and marks the winner', () => {
    const s = load(
      route(
        'r',
        `${parent}  hostnames: [www.example.com]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /api}, method: GET}]\n    backendRefs: [{name: api, port: 80}]`,
      ),
    )
    const r = send(s, { host: 'www.example.com', path: '/api/x' })
    expect(r.lookups).toEqual([
      {
        table: 'HTTPRoute web/r',
        rule: 'hostnames: [www.example.com]  rules[0]  path: {type: PathPrefix, value: /api}  method: GET  -> api:80 weight 1',
        matched: true,
      },
    ])
    expect(r.reason['zh-CN']).toMatch(/转发给 Service web\/api/)
  })
})

describe('HTTPRoute filters', () => {
  const parent = `  parentRefs: [{name: gw, namespace: infra, sectionName: http}]\n`
  it('RequestHeaderModifier sets, appends and removes headers', () => {
    const s = load(
      route(
        'r',
        `${parent}  rules:
  - filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: x-env, value: prod}]
        add: [{name: my-header, value: "bar,baz"}]
        remove: [x-debug]
    backendRefs: [{name: web, port: 80}]`,
      ),
    )
    const r = send(s, {
      host: 'a.example.com',
      path: '/',
      headers: { 'X-Env': 'dev', 'my-header': 'foo', 'X-Debug': '1' },
    })
    expect(r.request.headers).toEqual({ 'x-env': 'prod', 'my-header': 'foo,bar,baz' })
  })

  it('RequestRedirect answers with Location and the default 302, without a backend', () => {
    const s = load(
      route(
        'r',
        `${parent}  rules:\n  - filters:\n    - type: RequestRedirect\n      requestRedirect: {scheme: https}`,
      ),
    )
    const r = send(s, { host: 'a.example.com', path: '/cart?id=1' })
    expect(r.outcome).toMatchObject({
      kind: 'redirect',
      status: 302,
      location: 'https://a.example.com/cart?id=1',
    })
  })

  it('URLRewrite ReplacePrefixMatch and ReplaceFullPath', () => {
    const s = load(
      route(
        'r',
        `${parent}  rules:
  - matches: [{path: {type: PathPrefix, value: /foo}}]
    filters: [{type: URLRewrite, urlRewrite: {hostname: internal.svc, path: {type: ReplacePrefixMatch, replacePrefixMatch: /xyz}}}]
    backendRefs: [{name: web, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}]
    backendRefs: [{name: web, port: 80}]`,
      ),
    )
    const a = send(s, { host: 'a.example.com', path: '/foo/bar?q=1' })
    expect([a.request.host, a.request.path]).toEqual(['internal.svc', '/xyz/bar?q=1'])
    expect(send(s, { host: 'a.example.com', path: '/old/page' }).request.path).toBe('/new')
  })

  it('ReplacePrefixMatch follows the table of the HTTPPathModifier reference', () => {
    const rows: [string, string, string, string][] = [
      ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
      ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
      ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
      ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
      ['/foo', '/foo', '/xyz', '/xyz'],
      ['/foo/', '/foo', '/xyz', '/xyz/'],
      ['/foo/bar', '/foo', '', '/bar'],
      ['/foo/', '/foo', '', '/'],
      ['/foo', '/foo', '', '/'],
      ['/foo/', '/foo', '/', '/'],
      ['/foo', '/foo', '/', '/'],
    ]
    for (const [path, prefix, repl, want] of rows)
      expect(replacePrefix(path, prefix, repl)).toBe(want)
  })
})

describe('HTTPRoute weighted backends', () => {
  const parent = `  parentRefs: [{name: gw, namespace: infra, sectionName: http}]\n`
  const split = (weights: string) =>
    load(route('r', `${parent}  rules:\n  - backendRefs: ${weights}`))

  it('a 90/10 split sends 90% and 10% over 2,000 seeds', () => {
    const s = split('[{name: stable, port: 80, weight: 90}, {name: canary, port: 80, weight: 10}]')
    const counts: Record<string, number> = {}
    for (let seed = 1; seed <= 2000; seed++) {
      const k = svc(send(s, { host: 'a.example.com', path: '/' }, seed))
      counts[k] = (counts[k] ?? 0) + 1
    }
    // Binomial(2000, 0.1): standard deviation 13.4; 6 sigma is +-80.
    expect(counts.canary).toBeGreaterThan(200 - 80)
    expect(counts.canary).toBeLessThan(200 + 80)
    expect(counts.stable! + counts.canary!).toBe(2000)
    const r = send(s, { host: 'a.example.com', path: '/' })
    expect(r.shares.map((x) => [x.ref.name, x.share])).toEqual([
      ['stable', 0.9],
      ['canary', 0.1],
    ])
  })

  it('weight 0 receives nothing; unspecified weight is 1', () => {
    const s = split('[{name: off, port: 80, weight: 0}, {name: on, port: 80}]')
    for (let seed = 1; seed <= 200; seed++)
      expect(svc(send(s, { host: 'a.example.com', path: '/' }, seed))).toBe('on')
  })

  it('every weight 0: no backend may receive the request, so 500', () => {
    const r = send(split('[{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 0}]'), {
      host: 'a.example.com',
      path: '/',
    })
    expect(r.outcome).toMatchObject({ kind: 'error', status: 500 })
    expect(r.reason.en).toMatch(/weight 0/)
  })

  it('requests drawn for an invalid backend (cross-namespace, no grant) get 500 in proportion', () => {
    const s = split('[{name: ok, port: 80}, {name: db, namespace: data, port: 80}]')
    let errors = 0
    for (let seed = 1; seed <= 2000; seed++) {
      const r = send(s, { host: 'a.example.com', path: '/' }, seed)
      if (r.outcome.kind === 'error') errors++
      else expect(svc(r)).toBe('ok')
    }
    // Binomial(2000, 0.5): standard deviation 22.4; 6 sigma is +-134.
    expect(Math.abs(errors - 1000)).toBeLessThan(134)
  })

  it('the same seed always draws the same backend', () => {
    const s = split('[{name: a, port: 80, weight: 50}, {name: b, port: 80, weight: 50}]')
    const once = (seed: number) => svc(send(s, { host: 'a.example.com', path: '/' }, seed))
    for (let seed = 1; seed <= 50; seed++) expect(once(seed)).toBe(once(seed))
  })
})
