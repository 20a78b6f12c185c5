/**
 * The whole L7 decision for one Traffic document, the way the packet walker will call it: parse,
 * pick the controller's objects, build the request, route it.
 */
import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../model/parse-scenario.ts'
import { createRng } from '../rng.ts'
import { attachRoutes, gatewaysOfController, gatewayWorld } from './gateway-attach.ts'
import { routeHttpRequest, selectListener } from './httproute-match.ts'
import {
  classesOfController,
  ingressesOfClass,
  ingressTlsFor,
  matchIngress,
} from './ingress-match.ts'
import { ingressNginxRoute, ingressNginxServers } from './ingress-nginx.ts'
import { requestFromTraffic } from './request.ts'

const SCENARIO = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: web}
spec:
  ingressClassName: nginx
  tls: [{hosts: [www.example.com], secretName: shop-tls}]
  rules:
  - host: www.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api-service, port: {number: 80}}}}
      - {path: /web, pathType: Prefix, backend: {service: {name: web-service, port: {number: 80}}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: eg, namespace: web}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: web}
spec:
  parentRefs: [{name: eg}]
  hostnames: [www.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api-v1, port: 80, weight: 90}, {name: api-v2, port: 80, weight: 10}]
---
apiVersion: v1
kind: Service
metadata: {name: api-v1, namespace: web}
spec: {selector: {app: api, track: stable}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: api-v2, namespace: web}
spec: {selector: {app: api, track: canary}, ports: [{port: 80}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: shop-api}
spec:
  from: {external: 203.0.113.9}
  to: https://www.example.com/api/cart
`

describe('one Traffic through the L7 layer', () => {
  const s = parseScenario(SCENARIO, 'flow.yaml').scenario!
  const req = requestFromTraffic(s.traffic[0]!)!

  it('Ingress: the class of ingress-nginx, TLS by SNI, then host and path', () => {
    const [cls] = classesOfController(s.ingressClasses, 'k8s.io/ingress-nginx')
    const ings = ingressesOfClass(s.ingresses, s.ingressClasses, cls!)
    expect(ingressTlsFor(ings, req.sni!).secret).toBe('web/shop-tls')
    const m = matchIngress(ings, req)
    expect(m.match).toMatchObject({
      kind: 'rule',
      target: { namespace: 'web', service: 'api-service', port: 80 },
    })
    const n = ingressNginxRoute(ingressNginxServers(ings), req)
    expect(n.location.upstream).toBe('web-api-service-80')
  })

  it('Gateway API: the Gateways of the controller, the listener, the route and a weighted backend', () => {
    const w = gatewayWorld(s, s.services)
    const [gw] = gatewaysOfController(w, 'gateway.envoyproxy.io/gatewayclass-controller')
    const { attachments } = attachRoutes(w)
    const http = { ...req, scheme: 'http' as const, port: 80, sni: null }
    const l = selectListener(gw!, http)
    const r = routeHttpRequest(w, attachments, l.listener!, http, createRng(7))
    expect(r.outcome.kind).toBe('backend')
    expect(r.shares.map((x) => x.share)).toEqual([0.9, 0.1])
    // Without the Services, the backendRefs do not resolve: BackendNotFound, and 500.
    const bare = gatewayWorld(s, [])
    expect(attachRoutes(bare).statuses[0]!.conditions[1]!.reason).toBe('BackendNotFound')
    expect(
      routeHttpRequest(bare, attachRoutes(bare).attachments, l.listener!, http, createRng(7))
        .outcome,
    ).toMatchObject({
      kind: 'error',
      status: 500,
    })
  })
})
