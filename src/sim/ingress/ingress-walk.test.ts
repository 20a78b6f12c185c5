import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { HttpApp, Step, Trace } from '../../model/trace.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { formatIp } from '../../model/ipv4.ts'

const lesson = (id: string): string =>
  readFileSync(new URL(`../../lessons/${id}.yaml`, import.meta.url), 'utf8')
const NGINX = lesson('mode4-ingress-nginx')
const TLS = lesson('mode4-ingress-tls')

const app = (s: Step): HttpApp => s.packet.app as HttpApp
const actions = (t: Trace): string[] => t.steps.map((s) => s.action)
const CONTROLLER = /^ingress-nginx\/ingress-nginx-controller-/

/**
 * The lesson with its Ingress rule for *.example.com instead of www.example.com, without the
 * fallback Ingress (so a miss gets the controller's own 404), and a Traffic "deep" to `to`.
 */
function wildcard(yaml: string, to: string): string {
  const fallback =
    /---\napiVersion: networking.k8s.io\/v1\nkind: Ingress\nmetadata: \{ name: fallback[\s\S]*?\n(?=---\n)/
  const out = yaml
    .replace('    - host: www.example.com\n', "    - host: '*.example.com'\n")
    .replace(fallback, '')
  expect(out).not.toContain('name: fallback')
  return `${out}\n---\napiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: deep}\nspec:\n  from: {external: 203.0.113.9}\n  to: ${to}\n`
}

/** The deep request answered by the controller itself: its Pod, and the status it wrote. */
function answeredByController(t: Trace) {
  const reply = t.steps.find((s) => s.phase === 'reply')!
  return { outcome: t.outcome, pod: t.endpoint?.pod, status: app(reply).status }
}

describe('the default ingress-nginx controller', () => {
  it('is deployed from its manifest when Ingresses of its class have no controller', () => {
    const { cluster } = build(NGINX)
    const pod = cluster.pods.find((p) => p.namespace === 'ingress-nginx')!
    expect(pod.name).toMatch(/^ingress-nginx-controller-/)
    expect(pod.labels['app.kubernetes.io/component']).toBe('controller')
    const svc = cluster.services.find((s) => s.name === 'ingress-nginx-controller')!
    expect([svc.namespace, svc.decl.type, svc.decl.externalTrafficPolicy]).toEqual([
      'ingress-nginx',
      'LoadBalancer',
      'Local',
    ])
    expect(svc.ports.map((p) => [p.name, p.port])).toEqual([
      ['http', 80],
      ['https', 443],
    ])
    const none = build(NGINX.replace('cloud: generic', 'cloud: none')).cluster
    expect(none.services.find((s) => s.name === 'ingress-nginx-controller')!.decl.type).toBe(
      'NodePort',
    )
  })
})

describe('an external client through ingress-nginx', () => {
  it('resolves the public name, crosses the load balancer, and is proxied to a Pod IP', () => {
    const t = traceOf(NGINX, 'api-by-prefix')
    expect(t.outcome).toBe('delivered')
    const order = ['dns-query', 'dns-answer', 'send', 'lb-select', 'deliver', 'l7-route', 'proxy']
    let at = -1
    for (const a of order) {
      at = actions(t).indexOf(a as Step['action'], at + 1)
      expect(at, a).toBeGreaterThan(-1)
    }
    expect(t.steps[1]!.lookups[0]!.rule).toBe('www.example.com.\t300\tIN\tA\t198.51.100.1')
    const route = t.steps.find((s) => s.action === 'l7-route')!
    expect(route.at.pod).toMatch(CONTROLLER)
    expect(route.lookups.find((l) => l.matched)!.rule).toContain('default-api-service-80')
    const atApi = t.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/api')!
    const { cluster } = build(NGINX)
    const api = cluster.pods.find((p) => p.name === 'api')!
    const ctrl = cluster.pods.find((p) => p.namespace === 'ingress-nginx')!
    // A new connection from the controller Pod, straight to the endpoint's Pod IP and port.
    expect(atApi.packet.l3!.dst).toBe(formatIp(api.ip))
    expect(atApi.packet.l4!.dstPort).toBe(8080)
    expect(atApi.packet.l3!.src).toBe(formatIp(ctrl.ip))
    expect(app(atApi).headers).toMatchObject({
      'X-Forwarded-For': '203.0.113.9',
      'X-Real-IP': '203.0.113.9',
      'X-Forwarded-Proto': 'http',
      Host: 'www.example.com',
    })
    const last = t.steps.at(-1)!
    expect([last.action, last.packet.l3!.src, last.packet.l4!.srcPort]).toEqual([
      'deliver',
      '198.51.100.1',
      80,
    ])
  })

  it('answers 404 itself when no rule matches', () => {
    const t = traceOf(NGINX, 'no-rule-404')
    expect(t.outcome).toBe('delivered')
    expect(actions(t)).not.toContain('proxy')
    const reply = t.steps.find((s) => s.phase === 'reply')!
    expect(reply.at.pod).toMatch(CONTROLLER)
    expect(app(t.steps.at(-1)!).status).toBe(404)
  })

  it('sends a host no rule covers to the defaultBackend', () => {
    const t = traceOf(NGINX, 'other-host-default-backend')
    expect(t.outcome).toBe('delivered')
    const route = t.steps.find((s) => s.action === 'l7-route')!
    expect(route.lookups.some((l) => l.matched && l.rule.startsWith('defaultBackend'))).toBe(true)
    expect(t.steps.some((s) => s.action === 'deliver' && s.at.pod === 'default/web')).toBe(true)
  })

  it('with service-upstream, connects to the ClusterIP and kube-proxy DNATs it', () => {
    const yaml = NGINX.replace(
      'metadata: { name: shop, namespace: default }',
      'metadata:\n  name: shop\n  namespace: default\n  annotations: { nginx.ingress.kubernetes.io/service-upstream: "true" }',
    )
    expect(yaml).not.toBe(NGINX)
    const { cluster } = build(yaml)
    const clusterIp = cluster.services.find((s) => s.name === 'api-service')!.clusterIP!
    const t = traceOf(yaml, 'api-by-prefix')
    expect(t.outcome).toBe('delivered')
    const i = actions(t).indexOf('proxy')
    const second = t.steps[i + 1]!
    expect(second.packet.l3!.dst).toBe(formatIp(clusterIp))
    expect(t.steps.slice(i).some((s) => s.action === 'dnat')).toBe(true)
  })

  it('rejects a public name nothing serves, saying which one and what is served', () => {
    const yaml = NGINX.replace('to: http://www.example.com/admin', 'to: http://shop.example.net/')
    expect(() => build(yaml)).toThrow(
      'no Ingress or Gateway serves the public name "shop.example.net", so the public DNS has no record for it and a client outside the cluster cannot resolve it; the public names served here: www.example.com.',
    )
  })
})

describe('a wildcard host from outside: the public DNS answers at any depth, the controller one label', () => {
  it('resolves api.eu.example.com through the *.example.com record (RFC 4592), then ingress-nginx falls to its "_" server: 404', () => {
    const t = traceOf(wildcard(NGINX, 'http://api.eu.example.com/api/cart'), 'deep')
    const answer = t.steps.find((s) => s.action === 'dns-answer')!
    expect(answer.lookups[0]!.rule).toBe('api.eu.example.com.\t300\tIN\tA\t198.51.100.1')
    expect(answer.explain.en).toContain('it has the wildcard *.example.com')
    expect(answer.explain.en).toContain('RFC 4592')
    const route = t.steps.find((s) => s.action === 'l7-route')!
    expect(route.explain.en).toContain(
      'no server_name covers "api.eu.example.com" (the wildcard server *.example.com is server_name ~^(?<subdomain>[\\w-]+)\\.example\\.com$, which takes exactly one label',
    )
    expect(route.lookups.find((l) => l.matched)!.table).toBe('nginx.conf server _')
    expect(answeredByController(t)).toEqual({
      outcome: 'delivered',
      pod: expect.stringMatching(CONTROLLER),
      status: 404,
    })
  })

  it('sends api.example.com, one label below, to the Pod behind the wildcard rule', () => {
    const t = traceOf(wildcard(NGINX, 'http://api.example.com/api/cart'), 'deep')
    expect(t.steps.find((s) => s.action === 'dns-answer')!.explain.en).toContain('wildcard')
    expect(t.endpoint?.pod).toBe('default/api')
  })

  it('does not answer below a name that exists: the closest encloser has no wildcard', () => {
    const shop = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop-only, namespace: default}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-service, port: {number: 80}}}}]}
`
    const covered = wildcard(NGINX, 'http://eu.example.com/') + shop
    expect(traceOf(covered, 'deep').steps[1]!.lookups[0]!.rule).toMatch(/^eu\.example\.com\.\t/)
    expect(() => build(wildcard(NGINX, 'http://x.shop.example.com/') + shop)).toThrow(
      'no Ingress or Gateway serves the public name "x.shop.example.com", so the public DNS has no record for it and a client outside the cluster cannot resolve it (the wildcard *.example.com does not answer it: shop.example.com exists in the zone, and a wildcard answers only below the closest name that exists, RFC 4592; there is no *.shop.example.com); the public names served here: *.example.com, shop.example.com.',
    )
  })
})

describe('TLS at ingress-nginx', () => {
  it('terminates TLS by SNI with the Secret named in spec.tls, then routes plain HTTP', () => {
    const t = traceOf(TLS, 'https-terminated')
    expect(t.outcome).toBe('delivered')
    const sent = t.steps.find((s) => s.action === 'send')!
    expect(app(sent).tls).toEqual({ sni: 'www.example.com' })
    const i = actions(t).indexOf('tls-terminate')
    expect(i).toBeGreaterThan(0)
    expect(t.steps[i + 1]!.action).toBe('l7-route')
    const tls = t.steps[i]!
    expect(tls.lookups).toEqual([
      {
        table: 'Ingress default/shop tls',
        rule: 'hosts: [www.example.com]  secretName: shop-tls',
        matched: true,
      },
      {
        table: 'Secret default/shop-tls',
        rule: 'type: kubernetes.io/tls  data: tls.crt, tls.key',
        matched: true,
      },
    ])
    expect(app(tls).tls).toBeUndefined()
    expect(tls.changed).toContain('app.tls.sni')
    const atWeb = t.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/web')!
    expect(app(atWeb).tls).toBeUndefined()
    expect(app(atWeb).headers?.['X-Forwarded-Proto']).toBe('https')
    expect(app(t.steps.at(-1)!).tls).toEqual({ sni: 'www.example.com' })
  })

  it('presents the fake certificate when the Secret is missing or has no tls.key, and warns', () => {
    const secretDoc = TLS.slice(TLS.indexOf('---\n# The certificate the Ingress names'))
    const end = secretDoc.indexOf('---', 4)
    const doc = secretDoc.slice(0, end)
    expect(doc).toContain('kind: Secret')
    const missing = TLS.replace(doc, '')
    const noKey = TLS.replace(doc, doc.replace(/\n {2}tls\.key: .*\n/, '\n'))
    const otherNs = TLS.replace(doc, doc.replace('namespace: default', 'namespace: certs'))
    expect(new Set([missing, noKey, otherNs, TLS]).size).toBe(4)
    for (const [yaml, why] of [
      [missing, 'Secret default/shop-tls does not exist'],
      [otherNs, 'Secret default/shop-tls does not exist'],
      [noKey, 'Secret default/shop-tls (type kubernetes.io/tls) has no tls.key'],
    ] as const) {
      const warn = loadScenarioSource(yaml, 't.yaml').diagnostics.filter(
        (d) => d.severity === 'warning',
      )
      expect(warn.map((d) => d.message.en).join('\n')).toContain(why)
      const t = traceOf(yaml, 'https-terminated')
      expect(t.outcome).toBe('delivered')
      const tls = t.steps.find((s) => s.action === 'tls-terminate')!
      expect(tls.explain.en).toContain(why)
      expect(tls.explain.en).toContain('"Kubernetes Ingress Controller Fake Certificate"')
      expect(tls.explain['zh-CN']).toContain('Kubernetes Ingress Controller Fake Certificate')
      expect(tls.lookups.at(-1)!.matched).toBe(false)
    }
    // With the Secret in place: no warning, the certificate is used.
    expect(
      loadScenarioSource(TLS, 't.yaml').diagnostics.filter((d) => d.severity === 'warning'),
    ).toEqual([])
    const ok = traceOf(TLS, 'https-terminated').steps.find((s) => s.action === 'tls-terminate')!
    expect(ok.explain.en).not.toContain('Fake Certificate')
    expect(ok.lookups.at(-1)).toMatchObject({
      rule: 'type: kubernetes.io/tls  data: tls.crt, tls.key',
      matched: true,
    })
  })

  it('redirects plain HTTP for a host with a certificate (308)', () => {
    const t = traceOf(TLS, 'http-redirected')
    const last = app(t.steps.at(-1)!)
    expect(last.status).toBe(308)
    expect(last.headers?.Location).toBe('https://www.example.com/cart')
  })
})

describe('Traefik, selected by its IngressClass controller value', () => {
  const yaml = `${NGINX.replace('controller: k8s.io/ingress-nginx', 'controller: traefik.io/ingress-controller')}
---
apiVersion: v1
kind: Pod
metadata:
  name: traefik
  namespace: traefik
  labels: { app.kubernetes.io/name: traefik }
spec:
  nodeName: node-2
  containers:
    - name: traefik
      image: docker.io/traefik:v3.7
      ports: [{ name: web, containerPort: 8000 }, { name: websecure, containerPort: 8443 }]
---
apiVersion: v1
kind: Service
metadata: { name: traefik, namespace: traefik }
spec:
  type: LoadBalancer
  selector: { app.kubernetes.io/name: traefik }
  ports:
    - { name: web, port: 80, targetPort: web }
    - { name: websecure, port: 443, targetPort: websecure }
`
  it('answers 404 itself for a name two labels below its *.example.com rule, which the public DNS still resolves', () => {
    const t = traceOf(wildcard(yaml, 'http://api.eu.example.com/api/cart'), 'deep')
    expect(t.steps.find((s) => s.action === 'l7-route')!.explain.en).toContain(
      'none matches Host "api.eu.example.com"',
    )
    expect(answeredByController(t)).toEqual({
      outcome: 'delivered',
      pod: 'traefik/traefik',
      status: 404,
    })
    expect(traceOf(wildcard(yaml, 'http://api.example.com/api/cart'), 'deep').endpoint?.pod).toBe(
      'default/api',
    )
  })

  it('routes with its own Pods; no ingress-nginx is deployed', () => {
    const { cluster } = build(yaml)
    expect(cluster.pods.some((p) => p.namespace === 'ingress-nginx')).toBe(false)
    const t = traceOf(yaml, 'api-by-prefix')
    expect(t.outcome).toBe('delivered')
    const route = t.steps.find((s) => s.action === 'l7-route')!
    expect([route.at.component, route.at.pod]).toEqual(['traefik', 'traefik/traefik'])
    expect(route.explain.en).toMatch(/Traefik's kubernetesIngress provider turned the 2 Ingresses/)
    // The routers by priority (the length of the rule), the one that matched marked; then the
    // services with the servers built from the EndpointSlices.
    const routers = route.lookups.filter((l) => l.table.startsWith('Traefik routers'))
    expect(routers.map((l) => [l.rule, l.matched])).toEqual([
      [
        'default-shop-www-example-com-api: rule Host("www.example.com") && PathPrefix("/api")  priority 45 (rule length) -> service default-api-service-80',
        true,
      ],
      [
        'default-shop-www-example-com-web: rule Host("www.example.com") && PathPrefix("/web")  priority 45 (rule length) -> service default-web-service-80',
        false,
      ],
      [
        'default-router: rule PathPrefix("/")  priority -2147483648 -> service default-backend',
        false,
      ],
    ])
    const services = route.lookups.filter((l) => l.table.startsWith('Traefik services'))
    expect(services.find((l) => l.matched)!.rule).toMatch(
      /^default-api-service-80: loadBalancer\.servers http:\/\/10\.\d+\.\d+\.\d+:\d+/,
    )
    const proxy = t.steps.find((s) => s.action === 'proxy' && s.at.component === 'traefik')
    expect(proxy?.lookups.some((l) => l.matched && l.rule.startsWith('http://'))).toBe(true)
    // Its Service keeps externalTrafficPolicy: Cluster, so kube-proxy masquerades: the
    // controller sees a node address, and that is what X-Forwarded-For carries.
    const atApi = t.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/api')!
    expect(app(atApi).headers?.['X-Forwarded-For']).toMatch(/^192\.168\.1\.1[12]$/)
    const local = yaml.replace(
      '  type: LoadBalancer\n',
      '  type: LoadBalancer\n  externalTrafficPolicy: Local\n',
    )
    expect(local).not.toBe(yaml)
    const kept = traceOf(local, 'api-by-prefix')
    const atApi2 = kept.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/api')!
    expect(app(atApi2).headers).toMatchObject({
      'X-Forwarded-For': '203.0.113.9',
      'X-Real-Ip': '203.0.113.9',
    })
  })
})

describe('HAProxy, selected by its IngressClass controller value', () => {
  const yaml = `${NGINX.replace('controller: k8s.io/ingress-nginx', 'controller: haproxy.org/ingress-controller')}
---
apiVersion: v1
kind: Pod
metadata:
  name: haproxy
  namespace: haproxy-controller
  labels: { app.kubernetes.io/name: kubernetes-ingress }
spec:
  nodeName: node-1
  containers:
    - name: kubernetes-ingress-controller
      image: haproxytech/kubernetes-ingress:1.10.6
      ports: [{ name: http, containerPort: 8080 }, { name: https, containerPort: 8443 }]
---
apiVersion: v1
kind: Service
metadata: { name: haproxy, namespace: haproxy-controller }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: { app.kubernetes.io/name: kubernetes-ingress }
  ports:
    - { name: http, port: 80, targetPort: http }
    - { name: https, port: 443, targetPort: https }
`
  it('answers 404 from its default-local-service for a name two labels below its *.example.com rule', () => {
    const t = traceOf(wildcard(yaml, 'http://api.eu.example.com/api/cart'), 'deep')
    expect(t.steps.find((s) => s.action === 'l7-route')!.explain.en).toContain(
      'host.map has neither "api.eu.example.com" nor ".eu.example.com"',
    )
    expect(answeredByController(t)).toEqual({
      outcome: 'delivered',
      pod: 'haproxy-controller/haproxy',
      status: 404,
    })
    expect(traceOf(wildcard(yaml, 'http://api.example.com/api/cart'), 'deep').endpoint?.pod).toBe(
      'default/api',
    )
  })

  it('routes in its own Pod on port 8080 and adds X-Forwarded-For', () => {
    const t = traceOf(yaml, 'api-by-prefix')
    expect(t.outcome).toBe('delivered')
    const got = t.steps.find((s) => s.action === 'deliver' && s.at.component === 'haproxy')!
    expect([got.at.pod, got.packet.l4!.dstPort]).toEqual(['haproxy-controller/haproxy', 8080])
    const atApi = t.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/api')!
    expect(app(atApi).headers).toEqual({ 'X-Forwarded-For': '203.0.113.9' })
    const route = t.steps.find((s) => s.action === 'l7-route')!
    expect(route.explain.en).toMatch(/HAProxy's controller wrote the 2 Ingresses/)
    const matched = route.lookups.filter((l) => l.matched).map((l) => [l.table, l.rule])
    expect(matched).toEqual([
      [
        'haproxy.cfg frontend http',
        'http-request set-var(txn.host) req.hdr(Host),field(1,:),lower',
      ],
      [
        'haproxy.cfg frontend http',
        'http-request set-var(txn.host_match) var(txn.host),map(/etc/haproxy/maps/host.map)',
      ],
      [
        'haproxy.cfg frontend http',
        'http-request set-var(txn.path_match) var(txn.host_match),concat(,txn.path,),map_beg(/etc/haproxy/maps/path-prefix.map) if !{ var(txn.path_match) -m found }',
      ],
      ['haproxy.cfg frontend http', 'use_backend %[var(txn.path_match),field(1,.)]'],
      ['/etc/haproxy/maps/host.map', 'www.example.com\t\t\twww.example.com'],
      ['/etc/haproxy/maps/path-prefix.map', 'www.example.com/api/\t\t\tdefault_svc_api-service_80'],
      [
        'haproxy.cfg backends',
        expect.stringMatching(
          /^backend default_svc_api-service_80: balance roundrobin; server SRV_1 /,
        ),
      ],
    ])
    const proxy = t.steps.find((s) => s.action === 'proxy' && s.at.component === 'haproxy')
    expect(proxy?.lookups.find((l) => l.matched)?.rule).toMatch(
      /^server SRV_\d+ 10\.[\d.]+:\d+ enabled$/,
    )
    // The docs' rule: a request no rule matches goes to the defaultBackend (Ingress fallback),
    // where ingress-nginx answers 404 from the host's own server block.
    const miss = traceOf(yaml, 'no-rule-404')
    expect(miss.steps.some((s) => s.action === 'deliver' && s.at.pod === 'default/web')).toBe(true)
  })
})
