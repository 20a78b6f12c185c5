/**
 * Property test: Ingress and Gateway API documents with odd or wrong values never make the parser
 * or the L7 matchers throw, and every diagnostic names a position in both languages.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { parseScenario } from '../../model/parse-scenario.ts'
import { createRng } from '../rng.ts'
import { attachRoutes, gatewayWorld } from './gateway-attach.ts'
import { routeHttpRequest, selectListener } from './httproute-match.ts'
import { ingressesOfClass, ingressTlsFor, matchIngress } from './ingress-match.ts'
import { ingressNginxRoute, ingressNginxServers, nginxConfLines } from './ingress-nginx.ts'
import { httpRequest } from './request.ts'

/** Mostly a good value, sometimes an edge value, now and then anything at all. */
const v = <T>(good: T[], edge: unknown[] = []) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...good) },
    { weight: 2, arbitrary: fc.constantFrom(...(edge.length ? edge : [null])) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  )
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 })
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 3 })

const host = v(
  ['www.example.com', '*.example.com', 'a.example.com'],
  ['', '10.0.0.1', '*.*.x', 'UP.case', '*'],
)
const path = v(['/', '/api', '/api/', '/foo/bar'], ['', 'api', '//x', '/a?b'])
const port = v([80, 8080, 'http'], [0, 65536, -1, 1.5])
const name = v(['web', 'api', 'gw', 'eg'], ['', 'Bad_Name', '-x'])

const ingressDoc = fc.record({
  apiVersion: v(['networking.k8s.io/v1'], ['networking.k8s.io/v1beta1']),
  kind: fc.constant('Ingress'),
  metadata: fc.record({ name, namespace: opt(v(['default', 'shop'], ['A'])) }),
  spec: opt(
    fc.record({
      ingressClassName: opt(v(['nginx', 'traefik'])),
      defaultBackend: opt(
        fc.record({
          service: opt(
            fc.record({
              name,
              port: opt(fc.record({ number: opt(port), name: opt(v(['http'])) })),
            }),
          ),
        }),
      ),
      tls: opt(list(fc.record({ hosts: opt(list(host)), secretName: opt(name) }))),
      rules: opt(
        list(
          fc.record({
            host: opt(host),
            http: opt(
              fc.record({
                paths: list(
                  fc.record({
                    path: opt(path),
                    pathType: opt(v(['Exact', 'Prefix', 'ImplementationSpecific'], ['prefix'])),
                    backend: opt(
                      fc.record({
                        service: opt(
                          fc.record({
                            name,
                            port: opt(fc.record({ number: opt(port), name: opt(v(['http'])) })),
                          }),
                        ),
                        resource: opt(fc.record({ kind: v(['Bucket']), name })),
                      }),
                    ),
                  }),
                ),
              }),
            ),
          }),
        ),
      ),
    }),
  ),
})

const gatewayDocs = fc.tuple(
  fc.record({
    apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
    kind: fc.constant('GatewayClass'),
    metadata: fc.record({ name: v(['eg']) }),
    spec: opt(fc.record({ controllerName: v(['example.com/gw']) })),
  }),
  fc.record({
    apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
    kind: fc.constant('Gateway'),
    metadata: fc.record({ name: v(['gw']), namespace: opt(v(['infra', 'web'])) }),
    spec: opt(
      fc.record({
        gatewayClassName: v(['eg', 'none']),
        listeners: list(
          fc.record({
            name: v(['http', 'https', 'other']),
            port: v([80, 443], [0, 'x']),
            protocol: v(['HTTP', 'HTTPS', 'TLS'], ['http', 'QUIC']),
            hostname: opt(host),
            tls: opt(fc.record({ certificateRefs: opt(list(fc.record({ name }))) })),
            allowedRoutes: opt(
              fc.record({
                namespaces: opt(
                  fc.record({
                    from: v(['All', 'Same', 'Selector'], ['Any']),
                    selector: opt(
                      fc.record({
                        matchLabels: opt(
                          fc.dictionary(fc.constantFrom('team', 'env'), fc.constantFrom('a', 'b')),
                        ),
                      }),
                    ),
                  }),
                ),
                kinds: opt(list(fc.record({ kind: v(['HTTPRoute', 'TLSRoute']) }))),
              }),
            ),
          }),
        ),
      }),
    ),
  }),
  list(
    fc.record({
      apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
      kind: fc.constant('HTTPRoute'),
      metadata: fc.record({
        name,
        namespace: opt(v(['infra', 'web'])),
        creationTimestamp: opt(v(['2024-01-01T00:00:00Z', '2023-01-01T00:00:00Z'])),
      }),
      spec: opt(
        fc.record({
          parentRefs: opt(
            list(
              fc.record({
                name: v(['gw', 'nope']),
                namespace: opt(v(['infra'])),
                sectionName: opt(v(['http', 'https', 'x'])),
                port: opt(port),
              }),
            ),
          ),
          hostnames: opt(list(host)),
          rules: opt(
            list(
              fc.record({
                matches: opt(
                  list(
                    fc.record({
                      path: opt(
                        fc.record({
                          type: opt(v(['Exact', 'PathPrefix', 'RegularExpression'])),
                          value: opt(v(['/', '/api', '/a.*'], ['(', '[x'])),
                        }),
                      ),
                      method: opt(v(['GET', 'POST'], ['get'])),
                      headers: opt(
                        list(
                          fc.record({
                            name: v(['x-a']),
                            value: v(['1']),
                            type: opt(v(['Exact', 'RegularExpression'])),
                          }),
                        ),
                      ),
                      queryParams: opt(list(fc.record({ name: v(['q']), value: v(['1']) }))),
                    }),
                  ),
                ),
                filters: opt(
                  list(
                    fc.oneof(
                      fc.record({
                        type: fc.constant('RequestHeaderModifier'),
                        requestHeaderModifier: opt(
                          fc.record({
                            set: opt(list(fc.record({ name: v(['x-a']), value: v(['1']) }))),
                            remove: opt(list(v(['x-a']))),
                          }),
                        ),
                      }),
                      fc.record({
                        type: fc.constant('RequestRedirect'),
                        requestRedirect: opt(
                          fc.record({
                            scheme: opt(v(['https'], ['ftp'])),
                            statusCode: opt(v([301, 302], [200])),
                            path: opt(
                              fc.record({
                                type: v(['ReplacePrefixMatch', 'ReplaceFullPath']),
                                replacePrefixMatch: opt(v(['/x', ''])),
                                replaceFullPath: opt(v(['/y'])),
                              }),
                            ),
                          }),
                        ),
                      }),
                      fc.record({
                        type: fc.constant('URLRewrite'),
                        urlRewrite: opt(
                          fc.record({
                            hostname: opt(v(['internal'])),
                            path: opt(
                              fc.record({
                                type: v(['ReplacePrefixMatch', 'ReplaceFullPath']),
                                replacePrefixMatch: opt(v(['/x', ''])),
                                replaceFullPath: opt(v(['/y'])),
                              }),
                            ),
                          }),
                        ),
                      }),
                      fc.record({ type: v(['RequestMirror', 'CORS']) }),
                    ),
                  ),
                ),
                backendRefs: opt(
                  list(
                    fc.record({
                      name,
                      namespace: opt(v(['data'])),
                      port: opt(port),
                      weight: opt(v([0, 1, 90], [-1, 2000000])),
                    }),
                  ),
                ),
              }),
            ),
          ),
        }),
      ),
    }),
  ),
)

const request = fc.record({
  host: v(
    ['www.example.com', 'a.example.com', 'x.y.example.com', 'other.org'],
    ['', ':80', 'A.EXAMPLE.COM:443'],
  ),
  path: v(['/', '/api', '/api/x?q=1', '/foo/bar'], ['', '?', '/%zz?%zz=1']),
  method: v(['GET', 'POST']),
  scheme: fc.constantFrom('http' as const, 'https' as const),
})

function str(x: unknown): string {
  return typeof x === 'string' ? x : String(x)
}

describe('L7 parsing and routing never throw', () => {
  it('on odd Ingress, Gateway and HTTPRoute documents', () => {
    fc.assert(
      fc.property(
        fc.array(ingressDoc, { maxLength: 3 }),
        gatewayDocs,
        request,
        fc.integer(),
        (ings, [gc, gw, routes], req, seed) => {
          const src = [...ings, gc, gw, ...routes].map((d) => stringify(d)).join('---\n')
          const parsed = parseScenario(src, 'f.yaml')
          for (const d of parsed.diagnostics) {
            expect(d.line >= 1 && d.col >= 1).toBe(true)
            expect(d.message.en.length > 0 && d.message['zh-CN'].length > 0).toBe(true)
            expect(d.message.en).not.toMatch(/\bundefined\b|\[object Object\]/)
          }
          const s = parsed.draft
          if (!s) return
          const r = httpRequest({
            host: str(req.host),
            path: str(req.path),
            method: str(req.method),
            scheme: req.scheme,
            sni: req.scheme === 'https' ? str(req.host) : null,
          })
          const mine = ingressesOfClass(s.ingresses, s.ingressClasses, 'nginx')
          matchIngress(s.ingresses, r)
          ingressTlsFor(mine, r.host)
          const servers = ingressNginxServers(s.ingresses)
          nginxConfLines(servers)
          ingressNginxRoute(servers, r)
          const w = gatewayWorld(s)
          const { attachments } = attachRoutes(w)
          for (const g of s.gateways) {
            const l = selectListener(g, r)
            if (l.listener) routeHttpRequest(w, attachments, l.listener, r, createRng(seed))
          }
        },
      ),
      { numRuns: 300, seed: 20261125 },
    )
  })
})
