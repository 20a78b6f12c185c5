import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { HttpApp, Step } from '../../model/trace.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { envoyContainerPort, envoyProxyName } from './envoy-gateway.ts'

const YAML = readFileSync(
  new URL('../../lessons/mode4-gateway-httproute.yaml', import.meta.url),
  'utf8',
)
const app = (s: Step): HttpApp => s.packet.app as HttpApp

describe('Envoy Gateway as the data plane of a Gateway', () => {
  it('runs an Envoy Deployment and LoadBalancer Service named and labelled as Envoy Gateway does', () => {
    expect(envoyProxyName({ namespace: 'shop', name: 'eg' })).toMatch(/^envoy-shop-eg-[0-9a-f]{8}$/)
    // The example in Envoy Gateway's own source (its xDS server's token review names the proxy's
    // service account for Gateway default/eg "envoy-default-eg-e41e7b31").
    expect(envoyProxyName({ namespace: 'default', name: 'eg' })).toBe('envoy-default-eg-e41e7b31')
    expect([envoyContainerPort(80), envoyContainerPort(443), envoyContainerPort(8080)]).toEqual([
      10080, 10443, 8080,
    ])
    const { cluster } = build(YAML)
    const pod = cluster.pods.find((p) => p.namespace === 'envoy-gateway-system')!
    expect(pod.labels['gateway.envoyproxy.io/owning-gateway-name']).toBe('eg')
    expect(pod.containers[0]!.ports.map((p) => p.containerPort)).toEqual([10080])
    const svc = cluster.services.find((s) => s.namespace === 'envoy-gateway-system')!
    expect([svc.decl.type, svc.decl.externalTrafficPolicy, svc.ports[0]!.port]).toEqual([
      'LoadBalancer',
      'Local',
      80,
    ])
  })

  it('routes by the attached HTTPRoute and draws a weighted backend', () => {
    const picks = new Set<string>()
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const t = traceOf(YAML, 'weighted-route', seed)
      expect(t.outcome).toBe('delivered')
      const route = t.steps.find((s) => s.action === 'l7-route')!
      expect(route.at.component).toBe('envoy')
      expect(route.explain.en).toMatch(
        /infrastructure provider.*cluster operator.*application developers/,
      )
      expect(
        route.lookups.filter((l) => l.table === 'backendRefs (weight)').map((l) => l.rule),
      ).toEqual(['store-v1:80  weight 90  share 90%', 'store-v2:80  weight 10  share 10%'])
      const at = t.steps.find((s) => s.action === 'deliver' && s.at.pod?.startsWith('shop/store'))!
      picks.add(at.at.pod!)
      expect(app(at).headers?.['X-Forwarded-For']).toBe('203.0.113.9')
    }
    expect(picks).toEqual(new Set(['shop/store-v1', 'shop/store-v2']))
  })

  it('says why a route is not attached, and its host gets 404', () => {
    const t = traceOf(YAML, 'route-not-attached')
    expect(t.outcome).toBe('delivered')
    const route = t.steps.find((s) => s.action === 'l7-route')!
    const status = route.lookups.find((l) => l.rule.startsWith('HTTPRoute blog/blog'))!
    expect(status.matched).toBe(false)
    expect(status.rule).toContain('Accepted=False (NotAllowedByListeners)')
    expect(route.explain.en).toMatch(/Not attached: HTTPRoute blog\/blog \(NotAllowedByListeners/)
    expect(t.steps.some((s) => s.action === 'proxy')).toBe(false)
    expect(app(t.steps.at(-1)!).status).toBe(404)
  })

  it('attaches once the listener allows routes from all namespaces', () => {
    const yaml = YAML.replace(
      '- { name: http, port: 80, protocol: HTTP }',
      '- { name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }',
    )
    expect(yaml).not.toBe(YAML)
    const t = traceOf(yaml, 'route-not-attached')
    expect(t.steps.some((s) => s.action === 'deliver' && s.at.pod === 'blog/blog')).toBe(true)
  })

  const SECRET = (ns: string, keys: string) => `
---
apiVersion: v1
kind: Secret
metadata: { name: store-tls, namespace: ${ns} }
type: kubernetes.io/tls
data: { ${keys} }
`
  const HTTPS = (ref: string) =>
    YAML.replace(
      '- { name: http, port: 80, protocol: HTTP }',
      `- { name: http, port: 80, protocol: HTTP }
    - name: https
      port: 443
      protocol: HTTPS
      tls: { mode: Terminate, certificateRefs: [${ref}] }`,
    ).replace('to: http://www.example.com/cart', 'to: https://www.example.com/cart')

  it('does not program an HTTPS listener whose certificate Secret is missing or incomplete', () => {
    const warnings = (y: string) =>
      loadScenarioSource(y, 't.yaml').diagnostics.filter((d) => d.severity === 'warning')
    for (const [yaml, reason, why] of [
      [HTTPS('{ name: store-tls }'), 'InvalidCertificateRef', /does not exist/],
      [
        HTTPS('{ name: store-tls }') + SECRET('shop', 'tls.crt: QUJD'),
        'InvalidCertificateRef',
        /has no tls\.key/,
      ],
      [
        HTTPS('{ name: store-tls, namespace: certs }') +
          SECRET('certs', 'tls.crt: QUJD, tls.key: QUJD'),
        'RefNotPermitted',
        /no ReferenceGrant/,
      ],
    ] as const) {
      const w = warnings(yaml)
      expect(w.map((d) => d.message.en).join('\n')).toContain(`ResolvedRefs False (${reason})`)
      const t = traceOf(yaml, 'weighted-route')
      expect(t.outcome).toBe('rejected')
      const last = t.steps.at(-1)!
      expect(last.explain.en).toMatch(why)
      expect(last.explain.en).toContain(`reason ${reason}`)
      expect(t.steps.some((s) => s.action === 'l7-route')).toBe(false)
    }
  })

  it('terminates TLS on an HTTPS listener with its certificateRef', () => {
    const yaml = HTTPS('{ name: store-tls }') + SECRET('shop', 'tls.crt: QUJD, tls.key: QUJD')
    expect(yaml).toContain('store-tls')
    expect(yaml).toContain('https://www.example.com/cart')
    const { cluster } = build(yaml)
    const pod = cluster.pods.find((p) => p.namespace === 'envoy-gateway-system')!
    expect(pod.containers[0]!.ports.map((p) => p.containerPort)).toEqual([10080, 10443])
    const t = traceOf(yaml, 'weighted-route')
    expect(t.outcome).toBe('delivered')
    const i = t.steps.findIndex((s) => s.action === 'tls-terminate')
    expect(i).toBeGreaterThan(0)
    expect(t.steps[i]!.explain.en).toContain('Secret shop/store-tls')
    expect(t.steps[i]!.at.component).toBe('envoy')
    expect(app(t.steps[i]!).tls).toBeUndefined()
    expect(t.steps[i + 1]!.action).toBe('l7-route')
    const at = t.steps.find((s) => s.action === 'deliver' && s.at.pod?.startsWith('shop/store'))!
    expect(app(at).headers?.['X-Forwarded-Proto']).toBe('https')
    expect(app(t.steps.at(-1)!).tls).toEqual({ sni: 'www.example.com' })
  })
})

describe('Gateway API hostnames from outside', () => {
  it('matches a wildcard route hostname at any depth, as the public DNS resolves it (RFC 4592)', () => {
    const yaml = YAML.replace(
      'hostnames: [www.example.com]',
      "hostnames: ['*.example.com']",
    ).replace('to: http://www.example.com/cart', 'to: http://api.eu.example.com/cart')
    const t = traceOf(yaml, 'weighted-route')
    expect(t.steps.find((s) => s.action === 'dns-answer')!.lookups[0]!.rule).toMatch(
      /^api\.eu\.example\.com\.\t300\tIN\tA\t/,
    )
    // gateway-api HTTPRouteSpec.Hostnames: "*.example.com" matches foo.test.example.com too.
    expect(t.endpoint?.pod).toMatch(/^shop\/store-v[12]$/)
  })

  it('says at the GatewayClass that no controller runs it, and the Traffic says why its name has no address', () => {
    const yaml = YAML.replace(
      'controllerName: gateway.envoyproxy.io/gatewayclass-controller',
      'controllerName: example.com/gateway-controller',
    )
    const l = loadScenarioSource(yaml, 'gw.yaml')
    const cls = l.diagnostics.find((d) => d.object === 'GatewayClass/eg')!
    // At the GatewayClass document (its first line, or a line inside it).
    const lines = yaml.split('\n')
    const start = lines.indexOf('kind: GatewayClass')
    const end = lines.indexOf('---', start)
    expect(cls.severity).toBe('warning')
    expect(cls.line >= start && cls.line <= end).toBe(true)
    expect(cls.message.en).toBe(
      'GatewayClass "eg" names controllerName example.com/gateway-controller, which no controller in this scenario runs (PodPath runs Envoy Gateway, gateway.envoyproxy.io/gatewayclass-controller): nothing accepts the class, so it stays Accepted Unknown (reason Pending, "Waiting for controller"), and its Gateway shop/eg is never programmed and gets no address: no request can reach it.',
    )
    expect(cls.message['zh-CN']).toContain('Accepted Unknown')
    // No Envoy proxy is made for it, and the Traffic's error points back at the class.
    expect(l.cluster).toBeNull()
    const traffic = l.diagnostics.find((d) => d.object === 'Traffic/weighted-route')!
    expect(traffic.message.en).toBe(
      '"www.example.com" is named by the Envoy proxy of Gateway shop/eg, but no controller in this scenario runs its GatewayClass "eg" (controllerName example.com/gateway-controller), which leaves the Gateway without an address, so the public DNS has no record for "www.example.com" and a client outside the cluster cannot resolve it; no Ingress or Gateway in this scenario serves a public name.',
    )
    const fine = loadScenarioSource(YAML, 'gw.yaml').diagnostics
    expect(fine.some((d) => d.object.startsWith('GatewayClass/'))).toBe(false)
  })
})
