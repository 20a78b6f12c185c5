/**
 * What Traefik's kubernetesIngress provider makes of the Ingresses of its class, and how Traefik
 * then picks a router. Follows traefik/traefik master after v3.7.9 (commit fd5a576):
 * - pkg/provider/kubernetes/ingress/kubernetes.go: loadConfigurationFromIngresses (router key,
 *   service name, `default-router` with priority math.MinInt32, a path whose service has no
 *   server is skipped with its router), loadService (servers `<scheme>://<ip>:<port>` from the
 *   EndpointSlices: port by Service port name, only `serving` endpoints, nil counting as true,
 *   each address once, `fenced` when terminating; https when the port is 443 or its name starts
 *   with "https"), loadRouter and buildRule (rules written with Go's %q: `Host("a.com")`,
 *   `Path("/x")` for Exact, `PathPrefix("/x")` for Prefix and ImplementationSpecific);
 * - pkg/provider/kubernetes/ingress/annotations.go: `traefik.ingress.kubernetes.io/router.*`
 *   (priority, tls);
 * - pkg/server/router/router.go and pkg/muxer/http/mux.go: a router without priority gets the
 *   length of its rule (GetRulePriority); routes are sorted by priority, highest first, and the
 *   first whose rule matches serves the request, else 404;
 * - pkg/muxer/http/matcher.go and pkg/muxer/muxer.go: Host compares case-insensitively, `*.`
 *   stands for exactly one label (DomainMatchHostExpression); Path is equality; PathPrefix is a
 *   plain string prefix (strings.HasPrefix), character by character;
 * - pkg/config/runtime/runtime_http.go GetRoutersByEntryPoints: a TLS connection only reaches
 *   routers with a TLS section, a plain one only routers without; since 2020 (commit 9012f2d,
 *   "fix: Ingress TLS support") an Ingress `tls` entry loads the certificate but does not make
 *   its routers TLS routers: that takes the router.tls annotation.
 * The optional strictPrefixMatching provider option (element-wise Prefix) is off by default and
 * not modelled.
 */
import type { Lookup } from '../../model/trace.ts'
import type { IngressDecl, IngressPathDecl, IngressRuleDecl } from '../../model/l7-decls.ts'
import { text, type Text } from '../../model/text.ts'
import { formatIp } from '../../model/ipv4.ts'
import { hex, sha256 } from '../hash.ts'
import { bareHost, pathOnly, type HttpRequest } from './request.ts'

/** The router.* annotations the provider reads (annotations.go, annotationsPrefix). */
export const TRAEFIK_ANNOTATION = 'traefik.ingress.kubernetes.io/'

/** What the provider needs of a Service: its ports and their endpoints (a BuiltService fits). */
export interface TraefikServiceSource {
  ports: {
    name: string
    port: number
    endpoints: {
      ip: number
      port: number
      serving: boolean
      terminating: boolean
      pod: string | null
    }[]
  }[]
}

export interface TraefikServer {
  url: string
  /** The endpoint is terminating: kept, but only used when no other server is left. */
  fenced: boolean
  ip: string
  port: number
  pod: string | null
}

export interface TraefikService {
  name: string
  /** `namespace/name` of the Kubernetes Service and the port it came from. */
  namespace: string
  service: string
  port: number | string
  servers: TraefikServer[]
}

export interface TraefikRouter {
  name: string
  rule: string
  /** The priority Traefik sorts by: the annotation's value, else the length of the rule. */
  priority: number
  /** True when the router.priority annotation set it. */
  prioritySet: boolean
  /** The router.tls annotation: the router serves TLS connections only. */
  tls: boolean
  service: string
  /** The Ingress rule path it was made from; null for the default router. */
  from: { ingress: IngressDecl; rule: IngressRuleDecl; path: IngressPathDecl } | null
  /** For the default router: the Ingress whose defaultBackend it serves. */
  defaultOf: IngressDecl | null
  /** What the rule tests, for matching. */
  host: string | null
  path: { matcher: 'Path' | 'PathPrefix'; value: string } | null
}

/** A path the provider dropped, and why (its log line). */
export interface TraefikSkipped {
  ingress: IngressDecl
  what: string
  reason: string
}

export interface TraefikConfig {
  routers: TraefikRouter[]
  services: TraefikService[]
  skipped: TraefikSkipped[]
}

/** configuration.go Normalize: runs of characters that are not letters or digits become one `-`. */
export function traefikNormalize(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((s) => s !== '')
    .join('-')
}

/** kubernetes.go: `<namespace>-<service>-<port name, else number>`, normalized. */
export function traefikServiceName(namespace: string, service: string, port: number | string) {
  return traefikNormalize(`${namespace}-${service}-${port}`)
}

/** kubernetes.go: `<namespace>-<ingress>-<host><path>`, normalized, without a leading `-`. */
export function traefikRouterName(ing: IngressDecl, host: string | null, path: string | null) {
  return traefikNormalize(`${ing.namespace}-${ing.name}-${host ?? ''}${path ?? ''}`).replace(
    /^-/,
    '',
  )
}

/** Go's %q for the plain ASCII of host names and paths: quotes, escaping `\` and `"`. */
function goQuote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

/** loadRouter (v3 syntax): `Host("...")`; since v3.7 Host itself understands `*.` (one label). */
export function traefikHostRule(host: string): string {
  return `Host(${goQuote(host)})`
}

function pathMatcher(p: IngressPathDecl, ing: IngressDecl | null): 'Path' | 'PathPrefix' {
  if (p.pathType === 'Exact') return 'Path'
  if (p.pathType === 'ImplementationSpecific') {
    // router.pathmatcher may choose Path or PathPrefix for ImplementationSpecific (PathRegexp too,
    // which PodPath does not model: it falls back to the default).
    const m = ing?.annotations?.[`${TRAEFIK_ANNOTATION}router.pathmatcher`]
    if (m === 'Path') return 'Path'
  }
  return 'PathPrefix'
}

/** loadRouter: host rule, then `Path` for Exact or `PathPrefix` otherwise, joined by `&&`. */
export function traefikRouterRule(
  host: string | null,
  p: IngressPathDecl,
  ing: IngressDecl | null = null,
): string {
  const parts: string[] = []
  if (host) parts.push(traefikHostRule(host))
  if (p.path) parts.push(`${pathMatcher(p, ing)}(${goQuote(p.path)})`)
  return parts.join(' && ')
}

/** makeRouterKeyWithHash: the key, `-`, and the first 10 bytes of sha256(rule) in hex. */
export function traefikHashedKey(key: string, rule: string): string {
  return `${key}-${hex(sha256(rule).slice(0, 10))}`
}

/** math.MinInt32: the default router's priority, below every other router. */
const MIN_INT32 = -2147483648

function scheme(port: { name: string; port: number }): 'http' | 'https' {
  return port.port === 443 || port.name.startsWith('https') ? 'https' : 'http'
}

/** loadService: the Service port the Ingress names and its servers; null with the error. */
function loadService(
  ing: IngressDecl,
  svcName: string,
  want: number | string,
  lookup: (namespace: string, name: string) => TraefikServiceSource | null,
): { service: TraefikService } | { error: string } {
  const svc = lookup(ing.namespace, svcName)
  if (!svc) return { error: 'service not found' }
  const port = svc.ports.find((p) =>
    typeof want === 'number' ? p.port === want : p.name !== '' && p.name === want,
  )
  if (!port) return { error: 'service port not found' }
  const seen = new Set<string>()
  const servers: TraefikServer[] = []
  for (const e of port.endpoints) {
    if (!e.serving) continue
    const ip = formatIp(e.ip)
    if (seen.has(ip)) continue
    seen.add(ip)
    servers.push({
      url: `${scheme(port)}://${ip}:${e.port}`,
      fenced: e.terminating,
      ip,
      port: e.port,
      pod: e.pod,
    })
  }
  return {
    service: {
      name: traefikServiceName(ing.namespace, svcName, want),
      namespace: ing.namespace,
      service: svcName,
      port: want,
      servers,
    },
  }
}

function annotatedPriority(ing: IngressDecl): number | null {
  const v = ing.annotations?.[`${TRAEFIK_ANNOTATION}router.priority`]
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return null
  const n = Number(v.trim())
  return n === 0 ? null : n
}

/**
 * The routers and services Traefik builds, in the order the provider walks the Ingresses. An
 * Ingress without rules but with a defaultBackend gives `default-router` (rule PathPrefix("/"),
 * priority MinInt32) to the service `default-backend`; a defaultBackend on an Ingress that has
 * rules is not used. A path whose backend is not a Service, or whose Service is missing or has
 * no server, gets no router (AllowEmptyServices is off by default).
 */
export function traefikConfig(
  ingresses: IngressDecl[],
  lookup: (namespace: string, name: string) => TraefikServiceSource | null,
): TraefikConfig {
  const routers: TraefikRouter[] = []
  const services: TraefikService[] = []
  const skipped: TraefikSkipped[] = []
  for (const ing of ingresses) {
    const tls = ing.annotations?.[`${TRAEFIK_ANNOTATION}router.tls`] === 'true'
    const priority = annotatedPriority(ing)
    const d = ing.defaultBackend?.service
    if (ing.rules.length === 0 && d) {
      if (services.some((s) => s.name === 'default-backend')) {
        skipped.push({
          ingress: ing,
          what: 'defaultBackend',
          reason: 'The default backend already exists.',
        })
      } else {
        const got = loadService(ing, d.name, d.port, lookup)
        if ('error' in got) {
          skipped.push({
            ingress: ing,
            what: 'defaultBackend',
            reason: `Cannot create service: ${got.error}`,
          })
        } else if (got.service.servers.length === 0) {
          skipped.push({
            ingress: ing,
            what: 'defaultBackend',
            reason: 'Skipping service: no endpoints found',
          })
        } else {
          services.push({ ...got.service, name: 'default-backend' })
          routers.push({
            name: 'default-router',
            rule: 'PathPrefix("/")',
            priority: MIN_INT32,
            prioritySet: true,
            tls,
            service: 'default-backend',
            from: null,
            defaultOf: ing,
            host: null,
            path: { matcher: 'PathPrefix', value: '/' },
          })
        }
      }
    }
    const mine: TraefikRouter[] = []
    for (const rule of ing.rules) {
      for (const path of rule.paths) {
        const svc = path.backend.service
        const what = `${rule.host ?? ''}${path.path ?? ''} -> ${svc ? `${svc.name}:${svc.port}` : 'resource'}`
        if (!svc) {
          skipped.push({ ingress: ing, what, reason: 'Resource backends are not supported' })
          continue
        }
        const name = traefikServiceName(ing.namespace, svc.name, svc.port)
        if (!services.some((s) => s.name === name)) {
          const got = loadService(ing, svc.name, svc.port, lookup)
          if ('error' in got) {
            skipped.push({ ingress: ing, what, reason: `Cannot create service: ${got.error}` })
            continue
          }
          if (got.service.servers.length === 0) {
            skipped.push({ ingress: ing, what, reason: 'Skipping service: no endpoints found' })
            continue
          }
          services.push(got.service)
        }
        const ruleText = traefikRouterRule(rule.host, path, ing)
        mine.push({
          name: traefikRouterName(ing, rule.host, path.path),
          rule: ruleText,
          priority: priority ?? ruleText.length,
          prioritySet: priority !== null,
          tls,
          service: name,
          from: { ingress: ing, rule, path },
          defaultOf: null,
          host: rule.host,
          path: path.path ? { matcher: pathMatcher(path, ing), value: path.path } : null,
        })
      }
    }
    // Two paths of one Ingress with the same key: each gets the key plus a hash of its rule.
    for (const r of mine) {
      const dup = mine.filter((o) => o.name === r.name).length > 1
      routers.push(dup ? { ...r, name: traefikHashedKey(r.name, r.rule) } : r)
    }
  }
  return { routers, services, skipped }
}

/** The routers alone (the view before services were wired; kept for callers that need names). */
export function traefikRouters(
  ingresses: IngressDecl[],
  lookup: (namespace: string, name: string) => TraefikServiceSource | null,
): TraefikRouter[] {
  return traefikConfig(ingresses, lookup).routers
}

/** muxer.DomainMatchHostExpression: `*.` replaces exactly the first label; case-insensitive. */
export function traefikHostMatches(ruleHost: string, host: string): boolean {
  const h = bareHost(host)
  const r = ruleHost.toLowerCase()
  if (r.startsWith('*')) {
    const labels = h.split('.')
    labels[0] = '*'
    return labels.join('.') === r
  }
  return r === h
}

/** Does the router's rule match the request? Path equality, or a character-wise prefix. */
export function traefikRuleMatches(r: TraefikRouter, req: HttpRequest): boolean {
  if (r.host !== null && !traefikHostMatches(r.host, req.host)) return false
  if (r.path === null) return true
  const path = pathOnly(req.path)
  return r.path.matcher === 'Path' ? path === r.path.value : path.startsWith(r.path.value)
}

/** The routers as the muxer sorts them: highest priority first; PodPath breaks ties by name. */
export function traefikSorted(routers: TraefikRouter[]): TraefikRouter[] {
  return [...routers].sort(
    (a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )
}

export interface TraefikRoute {
  router: TraefikRouter | null
  service: TraefikService | null
  /** Routers of the other kind (TLS vs plain) that the entry point does not hold. */
  otherKind: number
  reason: Text
  lookups: Lookup[]
}

/**
 * How Traefik picks the router for one request on one entry point: only routers of the
 * connection's kind (TLS or not), sorted by priority, the first whose rule matches.
 */
export function traefikRoute(config: TraefikConfig, req: HttpRequest): TraefikRoute {
  const secure = req.scheme === 'https'
  const usable = traefikSorted(config.routers.filter((r) => r.tls === secure))
  const otherKind = config.routers.length - usable.length
  const router = usable.find((r) => traefikRuleMatches(r, req)) ?? null
  const service = router ? (config.services.find((s) => s.name === router.service) ?? null) : null
  const lookups: Lookup[] = usable.map((r) => ({
    table: `Traefik routers (/api/http/routers), ${secure ? 'TLS' : 'plain HTTP'}, by priority`,
    rule: `${r.name}: rule ${r.rule}  priority ${r.priority}${r.prioritySet ? '' : ' (rule length)'}${r.tls ? '  tls' : ''} -> service ${r.service}`,
    matched: r === router,
  }))
  for (const s of config.services) {
    lookups.push({
      table: 'Traefik services (/api/http/services)',
      rule: `${s.name}: loadBalancer.servers ${s.servers.map((v) => `${v.url}${v.fenced ? ' (fenced)' : ''}`).join(', ')}`,
      matched: service !== null && s === service,
    })
  }
  for (const k of config.skipped) {
    lookups.push({
      table: 'Traefik provider log',
      rule: `Ingress ${k.ingress.namespace}/${k.ingress.name} ${k.what}: ${k.reason}`,
      matched: false,
    })
  }
  const host = bareHost(req.host)
  const path = pathOnly(req.path)
  const kindEn = secure
    ? 'This is a TLS connection, so only routers with a TLS section (the router.tls annotation) are on it'
    : 'This is a plain HTTP connection, so only routers without a TLS section are on it'
  const kindZh = secure
    ? '这是 TLS 连接，所以只有带 TLS 配置（router.tls 注解）的路由器在这里生效'
    : '这是明文 HTTP 连接，所以只有不带 TLS 配置的路由器在这里生效'
  const skipEn =
    otherKind > 0
      ? ` (${otherKind} router${otherKind === 1 ? ' is' : 's are'} of the other kind)`
      : ''
  const skipZh = otherKind > 0 ? `（另有 ${otherKind} 个路由器属于另一种）` : ''
  if (!router) {
    return {
      router: null,
      service: null,
      otherKind,
      lookups,
      reason: text(
        `${kindEn}${skipEn}. Traefik tries them from the highest priority down and none matches Host "${host}" and path "${path}", so it answers 404 Not Found itself`,
        `${kindZh}${skipZh}。Traefik 按优先级从高到低逐个尝试，没有一个匹配主机 “${host}” 和路径 “${path}”，所以它自己返回 404 Not Found`,
      ),
    }
  }
  const above = usable.indexOf(router)
  const tied = usable.filter(
    (r) => r !== router && r.priority === router.priority && traefikRuleMatches(r, req),
  )
  const tieEn = tied.length
    ? `. ${tied.map((r) => r.name).join(', ')} ${tied.length === 1 ? 'has' : 'have'} the same priority and match${tied.length === 1 ? 'es' : ''} too: Traefik's sort leaves equal priorities in no defined order, so a real Traefik may pick either; PodPath takes the first by name`
    : ''
  const tieZh = tied.length
    ? `。${tied.map((r) => `“${r.name}”`).join('、')} 的优先级相同且同样匹配：Traefik 的排序不规定相同优先级的先后，真实的 Traefik 可能选其中任何一个；PodPath 按名称取第一个`
    : ''
  const prioEn = router.prioritySet
    ? router.from
      ? `its priority ${router.priority} comes from the router.priority annotation`
      : `the default router has the lowest priority there is (${router.priority})`
    : `its priority ${router.priority} is the length of its rule, Traefik's default, so a longer rule is tried before a shorter one`
  const prioZh = router.prioritySet
    ? router.from
      ? `它的优先级 ${router.priority} 来自 router.priority 注解`
      : `默认路由器的优先级是最低的（${router.priority}）`
    : `它的优先级 ${router.priority} 就是规则的长度，这是 Traefik 的默认做法，所以较长的规则先于较短的规则被尝试`
  const prefixNote =
    router.path?.matcher === 'PathPrefix' &&
    router.path.value !== '/' &&
    !router.path.value.endsWith('/') &&
    router.from?.path.pathType === 'Prefix'
  const prefixEn = prefixNote
    ? `. Note that PathPrefix("${router.path!.value}") compares characters, not path elements as the Ingress docs' Prefix does: it would also take ${router.path!.value}x`
    : ''
  const prefixZh = prefixNote
    ? `。注意 PathPrefix("${router.path!.value}") 按字符比较，而不是像 Ingress 文档中的 Prefix 那样按路径元素比较：它也会匹配 ${router.path!.value}x`
    : ''
  return {
    router,
    service,
    otherKind,
    lookups,
    reason: text(
      `${kindEn}${skipEn}. Traefik tries them from the highest priority down; ${above === 0 ? 'the first one' : `after ${above} that do not match, router ${router.name}`} matches Host "${host}" and path "${path}" with the rule ${router.rule}: ${prioEn}${prefixEn}${tieEn}`,
      `${kindZh}${skipZh}。Traefik 按优先级从高到低逐个尝试；${above === 0 ? '第一个' : `跳过 ${above} 个不匹配的之后，路由器 “${router.name}”`}以规则 ${router.rule} 匹配了主机 “${host}” 和路径 “${path}”：${prioZh}${prefixZh}${tieZh}`,
    ),
  }
}
