import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'

const errors = (src: string) =>
  parseScenario(src, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: web}
spec:
  ingressClassName: nginx
  tls:
  - hosts: [www.example.com]
    secretName: shop-tls
  defaultBackend:
    service: {name: fallback, port: {number: 8080}}
  rules:
  - host: www.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend: {service: {name: api-service, port: {number: 80}}}
      - path: /web
        pathType: Exact
        backend: {service: {name: web-service, port: {name: http}}}
`

describe('Ingress and IngressClass (networking.k8s.io/v1)', () => {
  it('reads rules, paths, backends, TLS, default backend and the default-class annotation', () => {
    const r = parseScenario(INGRESS, 'f.yaml')
    expect(r.diagnostics).toEqual([])
    const s = r.scenario!
    expect(s.ignored).toEqual([])
    expect(s.ingressClasses).toEqual([
      expect.objectContaining({
        name: 'nginx',
        controller: 'k8s.io/ingress-nginx',
        isDefault: true,
      }),
    ])
    const ing = s.ingresses[0]!
    expect(ing).toMatchObject({ namespace: 'web', name: 'shop', ingressClassName: 'nginx' })
    expect(ing.defaultBackend).toEqual({
      service: { name: 'fallback', port: 8080 },
      resource: null,
    })
    expect(ing.tls).toEqual([
      expect.objectContaining({ hosts: ['www.example.com'], secretName: 'shop-tls' }),
    ])
    expect(ing.rules[0]!.host).toBe('www.example.com')
    expect(ing.rules[0]!.paths.map((p) => [p.path, p.pathType, p.backend.service])).toEqual([
      ['/api', 'Prefix', { name: 'api-service', port: 80 }],
      ['/web', 'Exact', { name: 'web-service', port: 'http' }],
    ])
  })

  it('requires pathType, and names the line and column of the path', () => {
    const src = INGRESS.replace('        pathType: Exact\n', '')
    const [e] = errors(src)
    expect(e).toMatchObject({ file: 'f.yaml', line: 25, col: 9, object: 'Ingress/web/shop' })
    expect(e!.message.en).toMatch(/"pathType" is missing/)
    expect(e!.message['zh-CN']).toMatch(/pathType/)
  })

  it('rejects an IP address or a two-label wildcard as a host', () => {
    const ip = errors(INGRESS.replace('  - host: www.example.com', '  - host: 10.0.0.1'))
    expect(ip[0]).toMatchObject({ line: 19, col: 11 })
    expect(ip[0]!.message.en).toMatch(/not a valid host name/)
    expect(
      errors(INGRESS.replace('  - host: www.example.com', '  - host: "*.*.example.com"')),
    ).toHaveLength(1)
  })

  it('rejects a port with both number and name', () => {
    const [e] = errors(INGRESS.replace('port: {number: 80}', 'port: {number: 80, name: http}'))
    expect(e).toMatchObject({ line: 24, col: 54, object: 'Ingress/web/shop' })
    expect(e!.message.en).toMatch(/exactly one of "number" and "name"/)
  })

  it('says that networking.k8s.io/v1beta1 Ingress is gone', () => {
    const [e] = errors(
      'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: a}\nspec: {}\n',
    )
    expect(e).toMatchObject({ line: 1, col: 13 })
    expect(e!.message.en).toMatch(/removed in Kubernetes 1.22/)
    const [x] = errors(
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}\nspec: {}\n',
    )
    expect(x!.message['zh-CN']).toMatch(/networking.k8s.io\/v1/)
  })
})

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
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
    allowedRoutes:
      namespaces: {from: All}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: web}
spec:
  parentRefs:
  - {name: gw, namespace: infra, sectionName: http}
  hostnames: [www.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api}
      headers: [{name: x-canary, value: "yes"}]
      method: GET
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        add: [{name: x-via, value: gw}]
    backendRefs:
    - {name: api-v1, port: 80, weight: 90}
    - {name: api-v2, port: 80, weight: 10}
  - backendRefs:
    - {name: web, port: 8080}
`

describe('Gateway API kinds (gateway.networking.k8s.io/v1)', () => {
  it('reads classes, listeners, parentRefs, matches, filters and weighted backendRefs', () => {
    const r = parseScenario(GATEWAY, 'f.yaml')
    expect(r.diagnostics).toEqual([])
    const s = r.scenario!
    expect(s.gatewayClasses[0]).toMatchObject({ name: 'eg' })
    expect(s.gateways[0]!.listeners[0]).toMatchObject({
      name: 'http',
      port: 80,
      protocol: 'HTTP',
      hostname: '*.example.com',
      allowedRoutes: { from: 'All', selector: null, kinds: [] },
    })
    const route = s.httpRoutes[0]!
    expect(route.parentRefs[0]).toMatchObject({
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      namespace: 'infra',
      name: 'gw',
      sectionName: 'http',
    })
    expect(route.rules[0]!.matches[0]).toEqual({
      path: { type: 'PathPrefix', value: '/api' },
      headers: [{ type: 'Exact', name: 'x-canary', value: 'yes' }],
      queryParams: [],
      method: 'GET',
    })
    expect(route.rules[0]!.backendRefs.map((b) => [b.name, b.weight])).toEqual([
      ['api-v1', 90],
      ['api-v2', 10],
    ])
    // A rule without matches gets the CRD default: PathPrefix "/".
    expect(route.rules[1]!.matches[0]!.path).toEqual({ type: 'PathPrefix', value: '/' })
    // A backendRef without weight gets the default 1.
    expect(route.rules[1]!.backendRefs[0]!.weight).toBe(1)
  })

  it('rejects an unknown listener protocol with its position', () => {
    const [e] = errors(GATEWAY.replace('protocol: HTTP', 'protocol: QUIC'))
    expect(e).toMatchObject({ line: 14, col: 15, object: 'Gateway/infra/gw' })
    expect(e!.message.en).toMatch(/not one of HTTP, HTTPS, TLS, TCP, UDP/)
  })

  it('rejects an HTTPS listener without tls', () => {
    const [e] = errors(GATEWAY.replace('protocol: HTTP', 'protocol: HTTPS'))
    expect(e!.message.en).toMatch(/HTTPS listener needs "tls"/)
  })

  it('rejects a weight above 1000000 and a relative path', () => {
    const es = errors(
      GATEWAY.replace('weight: 90', 'weight: 2000000').replace('value: /api', 'value: api'),
    )
    expect(es.map((e) => [e.line, e.object])).toEqual([
      [28, 'HTTPRoute/web/shop'],
      [36, 'HTTPRoute/web/shop'],
    ])
  })
})
