/**
 * What ingress-nginx makes of the Ingresses of its class: one nginx `server` per host and one
 * `location` per path, each naming its upstream `<namespace>-<service>-<port>`, and how nginx
 * then picks a server and a location for a request. Follows kubernetes/ingress-nginx:
 * internal/ingress/controller/controller.go (getBackendServers: servers, the root location,
 * default backends, location order), location.go (updateServerLocations: a Prefix path becomes
 * `location /p/` plus `location = /p`), util.go (upstreamName), store/store.go
 * (sortIngressSlice), template/template.go (buildLocation, buildServerName, listeners) and
 * rootfs/etc/nginx/template/nginx.tmpl. Where this differs from the Ingress docs it says so.
 */
import type { Lookup } from '../../model/trace.ts'
import { text, type Text } from '../../model/text.ts'
import type { IngressDecl, IngressPathDecl, IngressRuleDecl } from '../../model/l7-decls.ts'
import { bareHost, ingressHostMatches, pathOnly, type HttpRequest } from './request.ts'

/** controller.go defUpstreamName: the controller's own default backend, which answers 404. */
export const DEFAULT_UPSTREAM = 'upstream-default-backend'
/** controller.go defServerName: the catch-all server for rules without a host. */
export const CATCH_ALL_SERVER = '_'

/** util.go upstreamName: `<namespace>-<service>-<port number or port name>`. */
export function ingressNginxUpstreamName(
  namespace: string,
  service: string,
  port: number | string,
): string {
  return `${namespace}-${service}-${port}`
}

export interface NginxLocation {
  /** The nginx location path (a Prefix path gains a trailing `/`). */
  path: string
  /** `location = /p` (an exact-match location). */
  exact: boolean
  upstream: string
  /** A root location that a path of the same type may still take over (IsDefBackend). */
  isDefault: boolean
  /** The Ingress path this location was made from, or null for a root/default location. */
  source: { ingress: IngressDecl; rule: IngressRuleDecl; path: IngressPathDecl } | null
  /** For a default location: the Ingress whose defaultBackend it uses, if any. */
  defaultOf: IngressDecl | null
}

export interface NginxServer {
  hostname: string
  locations: NginxLocation[]
  /**
   * `namespace/secretName` of the certificate for this host: the first Ingress (in the
   * controller's order) with a rule for the host that lists it under spec.tls (controller.go
   * extractTLSSecretName, exact host match; its fallback to certificate SANs is not simulated).
   */
  tlsSecret: string | null
}

/**
 * store.go sortIngressSlice: oldest first; on equal timestamps `namespace/name` in DESCENDING
 * order (the comparison is `in > jn`). PodPath treats a missing timestamp as the oldest.
 */
function nginxOrder(a: IngressDecl, b: IngressDecl): number {
  const ta = a.creationTimestamp ?? ''
  const tb = b.creationTimestamp ?? ''
  if (ta !== tb) return ta < tb ? -1 : 1
  const ka = `${a.namespace}/${a.name}`
  const kb = `${b.namespace}/${b.name}`
  return ka > kb ? -1 : ka < kb ? 1 : 0
}

function defaultUpstreamOf(ing: IngressDecl): string | null {
  const svc = ing.defaultBackend?.service
  return svc ? ingressNginxUpstreamName(ing.namespace, svc.name, svc.port) : null
}

/** The servers and locations ingress-nginx builds from the Ingresses of its class. */
export function ingressNginxServers(ingresses: IngressDecl[]): NginxServer[] {
  const data = [...ingresses].sort(nginxOrder)
  const servers = new Map<string, NginxServer>()
  const rootOf = (upstream: string, defaultOf: IngressDecl | null): NginxLocation => ({
    path: '/',
    exact: false,
    upstream,
    isDefault: true,
    source: null,
    defaultOf,
  })
  servers.set(CATCH_ALL_SERVER, {
    hostname: CATCH_ALL_SERVER,
    locations: [rootOf(DEFAULT_UPSTREAM, null)],
    tlsSecret: null,
  })
  for (const ing of data) {
    const own = defaultUpstreamOf(ing)
    const catchAll = servers.get(CATCH_ALL_SERVER)!.locations[0]!
    // An Ingress with a defaultBackend and no rules configures the catch-all server; with rules,
    // its defaultBackend becomes the root location of the servers it creates.
    if (own && catchAll.isDefault && ing.rules.length === 0) {
      Object.assign(catchAll, { upstream: own, defaultOf: ing, isDefault: false })
    }
    for (const rule of ing.rules) {
      const host = rule.host ?? CATCH_ALL_SERVER
      if (servers.has(host)) continue
      servers.set(host, {
        hostname: host,
        locations: [rootOf(own ?? DEFAULT_UPSTREAM, own ? ing : null)],
        tlsSecret: null,
      })
    }
  }
  for (const ing of data) {
    for (const rule of ing.rules) {
      const server = servers.get(rule.host ?? CATCH_ALL_SERVER)!
      if (rule.host && server.tlsSecret === null) {
        const tls = ing.tls.find(
          (t) => t.secretName && t.hosts.some((h) => h.toLowerCase() === rule.host!.toLowerCase()),
        )
        if (tls) server.tlsSecret = `${ing.namespace}/${tls.secretName}`
      }
      for (const p of rule.paths) {
        const svc = p.backend.service
        if (!svc) continue // resource backends are skipped: the default backend answers
        const upstream = ingressNginxUpstreamName(ing.namespace, svc.name, svc.port)
        const path = p.path ?? '/'
        const same = server.locations.find((l) => l.path === path)
        // The root location counts as Prefix; same path and same type: the first one stays,
        // unless it is still a default location, which the path takes over.
        const sameType = same && (same.source ? same.source.path.pathType : 'Prefix') === p.pathType
        if (same && sameType) {
          if (same.isDefault) {
            Object.assign(same, {
              upstream,
              isDefault: false,
              source: { ingress: ing, rule, path: p },
            })
          }
          continue
        }
        server.locations.push({
          path,
          exact: p.pathType === 'Exact',
          upstream,
          isDefault: false,
          source: { ingress: ing, rule, path: p },
          defaultOf: null,
        })
      }
    }
  }
  const out = [...servers.values()].sort((a, b) =>
    a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0,
  )
  for (const s of out) {
    // getBackendServers: path descending, then (stable) length descending.
    s.locations.sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0))
    s.locations.sort((a, b) => b.path.length - a.path.length)
    s.locations = expandPrefixes(s.locations)
  }
  return out
}

/**
 * location.go updateServerLocations: a Prefix location other than `/` is rewritten to end in
 * `/`, and an exact location for the original path is added after it unless one exists.
 */
function expandPrefixes(locations: NginxLocation[]): NginxLocation[] {
  const exacts = new Set(locations.filter((l) => l.exact).map((l) => l.path))
  const out: NginxLocation[] = []
  for (const l of locations) {
    if (l.path === '/' || l.exact || l.source?.path.pathType !== 'Prefix') {
      out.push(l)
      continue
    }
    const normalized = l.path.endsWith('/') ? l.path : `${l.path}/`
    out.push({ ...l, path: normalized })
    if (!exacts.has(l.path)) out.push({ ...l, exact: true })
  }
  return out
}

/** template.go buildServerName: `*.foo.com` becomes a regex that covers one label. */
export function nginxServerName(hostname: string): string {
  if (!hostname.startsWith('*')) return hostname
  const parts = hostname.replace('*.', '').split('.')
  return `~^(?<subdomain>[\\w-]+)\\.${parts.join('\\.')}$`
}

/**
 * The server and location blocks of nginx.conf as ingress-nginx writes them, reduced to the
 * lines that route: server_name, the HTTP listener (IPv4, reuse-port on, as defaults), and per
 * location the `$proxy_upstream_name` the Lua balancer uses.
 */
export function nginxConfLines(servers: NginxServer[], httpPort = 80): string[] {
  const lines: string[] = []
  for (const s of servers) {
    lines.push(`## start server ${s.hostname}`, 'server {')
    lines.push(`    server_name "${nginxServerName(s.hostname)}" ;`)
    // template.go buildHTTPListener: `listen 80  ;`, or with default_server reuseport for `_`.
    lines.push(
      `    listen ${httpPort} ${s.hostname === CATCH_ALL_SERVER ? 'default_server reuseport' : ''} ;`,
    )
    for (const l of s.locations) {
      // template.go buildLocation: `= "/p"` for Exact, `"/p"` otherwise.
      lines.push(`    location ${l.exact ? '= ' : ''}"${l.path}" {`)
      lines.push(`        set $proxy_upstream_name "${l.upstream}";`)
      lines.push('    }')
    }
    lines.push('}', `## end server ${s.hostname}`)
  }
  return lines
}

/** nginx server selection: an exact server_name, then a (one-label) regex name, then `_`. */
export function nginxServerFor(servers: NginxServer[], host: string): NginxServer {
  const h = bareHost(host)
  const named = servers.filter((s) => s.hostname !== CATCH_ALL_SERVER)
  return (
    named.find((s) => !s.hostname.startsWith('*') && s.hostname === h) ??
    named.find((s) => s.hostname.startsWith('*.') && ingressHostMatches(s.hostname, h)) ??
    servers.find((s) => s.hostname === CATCH_ALL_SERVER)!
  )
}

/** nginx location selection without regex locations: an `=` match, else the longest prefix. */
export function nginxLocationFor(server: NginxServer, path: string): NginxLocation {
  const exact = server.locations.find((l) => l.exact && l.path === path)
  if (exact) return exact
  let best: NginxLocation | null = null
  for (const l of server.locations) {
    if (!l.exact && path.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l
  }
  // Every server has a root location "/", and paths start with "/", so a prefix always matches.
  return best ?? server.locations.find((l) => l.path === '/')!
}

export interface NginxRoute {
  server: NginxServer
  location: NginxLocation
  /** 404 when the location is the controller's own default backend. */
  status: 404 | null
  /**
   * Plain HTTP to a host with a certificate: ingress-nginx answers 308 to https (ssl-redirect
   * and http-redirect-code defaults, config.go; lua_ingress.lua redirect_to_https).
   */
  redirect: { status: 308; location: string } | null
  reason: Text
  lookups: Lookup[]
}

/** How ingress-nginx routes a request: the server by host, then the location by path. */
export function ingressNginxRoute(servers: NginxServer[], req: HttpRequest): NginxRoute {
  const host = bareHost(req.host)
  const path = pathOnly(req.path)
  const server = nginxServerFor(servers, host)
  const location = nginxLocationFor(server, path)
  const lookups: Lookup[] = server.locations.map((l) => ({
    table: `nginx.conf server ${server.hostname}`,
    rule: `location ${l.exact ? '= ' : ''}"${l.path}" { set $proxy_upstream_name "${l.upstream}"; }`,
    matched: l === location,
  }))
  // A wildcard server whose domain holds the host more than one label down: its regex misses.
  const deeper =
    server.hostname === CATCH_ALL_SERVER
      ? servers.find((s) => s.hostname.startsWith('*.') && host.endsWith(s.hostname.slice(1)))
      : undefined
  const deeperEn = deeper
    ? ` (the wildcard server ${deeper.hostname} is server_name ${nginxServerName(deeper.hostname)}, which takes exactly one label: [\\w-] matches no dot)`
    : ''
  const deeperZh = deeper
    ? `（通配符 server ${deeper.hostname} 的 server_name 是 ${nginxServerName(deeper.hostname)}，只匹配一个标签：[\\w-] 不匹配点号）`
    : ''
  const serverEn =
    server.hostname === CATCH_ALL_SERVER
      ? `no server_name covers "${host}"${deeperEn}, so the default server "_" (rules without host) answers`
      : `server_name ${server.hostname} covers "${host}"`
  const serverZh =
    server.hostname === CATCH_ALL_SERVER
      ? `没有 server_name 覆盖 “${host}”${deeperZh}，因此由默认 server “_”（没有 host 的规则）处理`
      : `server_name “${server.hostname}” 覆盖 “${host}”`
  const locEn = location.exact
    ? `location = "${location.path}" matches the path exactly`
    : `location "${location.path}" is the longest prefix of "${path}"`
  const locZh = location.exact
    ? `location = "${location.path}" 与路径完全相同`
    : `location "${location.path}" 是 “${path}” 最长的前缀`
  if (req.scheme === 'http' && server.tlsSecret) {
    // lua_ingress.lua: "https://" .. host .. request_uri, without a final "/" by default.
    const uri = req.path.endsWith('/') ? req.path.slice(0, -1) : req.path
    const target = `https://${host}${uri}`
    return {
      server,
      location,
      status: null,
      redirect: { status: 308, location: target },
      reason: text(
        `${serverEn}, and it has a certificate (Secret ${server.tlsSecret}), so ingress-nginx redirects plain HTTP: 308 Permanent Redirect to ${target}.`,
        `${serverZh}，并且它有证书（Secret ${server.tlsSecret}），因此 ingress-nginx 把明文 HTTP 重定向：308 Permanent Redirect 到 ${target}。`,
      ),
      lookups,
    }
  }
  const status = location.upstream === DEFAULT_UPSTREAM ? 404 : null
  const tail =
    status === 404
      ? text(
          `; it is the controller's default backend (${DEFAULT_UPSTREAM}), which answers 404 Not Found`,
          `；它是控制器的默认后端（${DEFAULT_UPSTREAM}），返回 404 Not Found`,
        )
      : text(
          `; it proxies to upstream ${location.upstream}`,
          `；它代理到 upstream ${location.upstream}`,
        )
  return {
    server,
    location,
    status,
    redirect: null,
    reason: text(
      `${serverEn}, and ${locEn}${tail.en}.`,
      `${serverZh}，并且${locZh}${tail['zh-CN']}。`,
    ),
    lookups,
  }
}
