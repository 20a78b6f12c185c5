/**
 * What HAProxy Technologies' kubernetes-ingress controller writes for the Ingresses of its class,
 * and how HAProxy then picks a backend. Follows haproxytech/kubernetes-ingress (commit fc12067,
 * July 2026):
 * - pkg/service/service.go GetBackendName: backend `<namespace>_svc_<Service>_<port>`, the port
 *   being the Service port's name, or its number when unnamed;
 * - pkg/service/endpoints.go scaleHAProxySrvs / updateHAProxySrv: server slots `SRV_<n>`, a
 *   multiple of scale-server-slots (default 42, pkg/annotations/common/main.go); a slot with an
 *   endpoint is `server SRV_n <ip>:<port> enabled`, an empty one `127.0.0.1:1 disabled`;
 *   pkg/k8s/informers.go keeps only endpoints whose EndpointSlice condition ready is true;
 * - pkg/route/route.go AddHostPathRoute: the map files `host`, `path-exact`,
 *   `path-prefix-exact`, `path-prefix` (names), rows `key<TAB><TAB><TAB>value`, a `*.` host
 *   stored without its `*`; Exact -> path-exact `host+path`; "/" or no path -> path-prefix
 *   `host/`; Prefix -> path-prefix-exact `host+path` and path-prefix `host+path/` (trailing `/`
 *   trimmed first); ImplementationSpecific -> both maps with `host+path` (a character prefix);
 * - pkg/haproxy/maps/main.go: files `<config dir>/maps/<name>.map` (config dir /etc/haproxy in
 *   the container, pkg/controller/builder.go), rows sorted (sort.Strings), one per line;
 * - pkg/controller/controller.go setupHAProxyRules and fs/usr/local/etc/haproxy/haproxy.cfg: the
 *   frontends `http` and `https` set txn.host (Host header, port cut, lower-cased), look it up in
 *   host.map, else with its first label cut off (a wildcard), else '' (no host); then
 *   `<host_match><path>` in path-exact.map, else path-prefix-exact.map, else path-prefix.map with
 *   map_beg; `use_backend %[var(txn.path_match),field(1,.)]`;
 * - haproxy/haproxy src/pattern.c pat_match_beg: a map_beg lookup walks a prefix tree
 *   (ebmb_lookup_longest), so the longest matching prefix wins, whatever the row order;
 * - pkg/ingress/ingress.go Update and service.go SetDefaultBackend: an Ingress defaultBackend
 *   becomes the frontends' `default_backend`; without one the controller's own
 *   default-local-service answers (404).
 */
import type { Lookup } from '../../model/trace.ts'
import type { IngressDecl, IngressPathDecl, IngressRuleDecl } from '../../model/l7-decls.ts'
import type { ServicePortDecl } from '../../model/scenario.ts'
import { formatIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import { bareHost, pathOnly, type HttpRequest } from './request.ts'

/** GetBackendName: the Service port the Ingress names (by number or by name) decides the suffix. */
export function haproxyBackendName(
  namespace: string,
  service: string,
  ports: ServicePortDecl[],
  want: number | string,
): string | null {
  const sp = ports.find((p) =>
    typeof want === 'number' ? p.port === want : p.name !== null && p.name === want,
  )
  if (!sp) return null
  return `${namespace}_svc_${service}_${sp.name ?? sp.port}`
}

/** What the controller needs of a Service: its declared ports and their endpoints. */
export interface HaproxyServiceSource {
  decl: { ports: ServicePortDecl[] }
  ports: {
    name: string
    port: number
    endpoints: { ip: number; port: number; ready: boolean; pod: string | null }[]
  }[]
}

export interface HaproxyServer {
  name: string
  address: string
  port: number
  enabled: boolean
  pod: string | null
}

export interface HaproxyBackend {
  name: string
  namespace: string
  service: string
  servers: HaproxyServer[]
}

export type HaproxyMapName = 'host' | 'path-exact' | 'path-prefix-exact' | 'path-prefix'
export const HAPROXY_MAPS: HaproxyMapName[] = [
  'host',
  'path-exact',
  'path-prefix-exact',
  'path-prefix',
]

export interface HaproxyMapRow {
  key: string
  value: string
  /** The Ingress rule path that wrote the row. */
  from: { ingress: IngressDecl; rule: IngressRuleDecl; path: IngressPathDecl }
}

export interface HaproxyConfig {
  backends: HaproxyBackend[]
  /** Each map's rows, sorted as the controller writes them. */
  maps: Record<HaproxyMapName, HaproxyMapRow[]>
  /** The frontends' default_backend from an Ingress defaultBackend, or null. */
  defaultBackend: { name: string; ingress: IngressDecl } | null
}

/** The directory the controller writes its maps to inside its container. */
export const HAPROXY_MAP_DIR = '/etc/haproxy/maps'

export function haproxyMapPath(name: HaproxyMapName): string {
  return `${HAPROXY_MAP_DIR}/${name}.map`
}

/** A map file line as the controller writes it: key, three tabs, value. */
export function haproxyMapLine(row: { key: string; value: string }): string {
  return `${row.key}\t\t\t${row.value}`
}

/** scale-server-slots default (pkg/annotations/common/main.go). */
export const HAPROXY_SERVER_SLOTS = 42

/** scaleHAProxySrvs for a new backend: the number of SRV_n slots for `n` endpoints. */
export function haproxySlotCount(n: number, slots = HAPROXY_SERVER_SLOTS): number {
  let count = n
  if (n % slots !== 0 || n === 0) count = n - (n % slots) + slots
  if (n > 0 && count - n < slots && count > slots) count += slots
  return count
}

function backendFor(
  ing: IngressDecl,
  svcName: string,
  want: number | string,
  lookup: (namespace: string, name: string) => HaproxyServiceSource | null,
  backends: HaproxyBackend[],
): HaproxyBackend | null {
  const svc = lookup(ing.namespace, svcName)
  if (!svc) return null
  const name = haproxyBackendName(ing.namespace, svcName, svc.decl.ports, want)
  if (!name) return null
  const have = backends.find((b) => b.name === name)
  if (have) return have
  const port = svc.ports.find((p) =>
    typeof want === 'number' ? p.port === want : p.name !== '' && p.name === want,
  )
  const ready = (port?.endpoints ?? []).filter((e) => e.ready)
  const servers: HaproxyServer[] = []
  const slots = haproxySlotCount(ready.length)
  for (let i = 0; i < slots; i++) {
    const e = ready[i]
    servers.push(
      e
        ? {
            name: `SRV_${i + 1}`,
            address: formatIp(e.ip),
            port: e.port,
            enabled: true,
            pod: e.pod,
          }
        : { name: `SRV_${i + 1}`, address: '127.0.0.1', port: 1, enabled: false, pod: null },
    )
  }
  const b: HaproxyBackend = { name, namespace: ing.namespace, service: svcName, servers }
  backends.push(b)
  return b
}

/** Byte order, as Go's sort.Strings compares (the keys are ASCII). */
function byBytes(a: HaproxyMapRow, b: HaproxyMapRow): number {
  const la = haproxyMapLine(a)
  const lb = haproxyMapLine(b)
  return la < lb ? -1 : la > lb ? 1 : 0
}

/** The backends, map files and default backend the controller writes for these Ingresses. */
export function haproxyConfig(
  ingresses: IngressDecl[],
  lookup: (namespace: string, name: string) => HaproxyServiceSource | null,
): HaproxyConfig {
  const backends: HaproxyBackend[] = []
  const maps: Record<HaproxyMapName, HaproxyMapRow[]> = {
    host: [],
    'path-exact': [],
    'path-prefix-exact': [],
    'path-prefix': [],
  }
  let defaultBackend: HaproxyConfig['defaultBackend'] = null
  for (const ing of ingresses) {
    const d = ing.defaultBackend?.service
    if (d && !defaultBackend) {
      const b = backendFor(ing, d.name, d.port, lookup, backends)
      if (b) defaultBackend = { name: b.name, ingress: ing }
    }
    for (const rule of ing.rules) {
      for (const path of rule.paths) {
        const svc = path.backend.service
        if (!svc) continue
        const b = backendFor(ing, svc.name, svc.port, lookup, backends)
        if (!b) continue
        const host = rule.host?.startsWith('*') ? rule.host.slice(1) : (rule.host ?? '')
        const from = { ingress: ing, rule, path }
        const add = (m: HaproxyMapName, key: string, value = b.name) =>
          maps[m].push({ key, value, from })
        if (host !== '') add('host', host, host)
        const p = path.path ?? ''
        if (path.pathType === 'Exact') add('path-exact', host + p)
        else if (p === '' || p === '/') add('path-prefix', `${host}/`)
        else if (path.pathType === 'Prefix') {
          const t = p.replace(/\/$/, '')
          add('path-prefix-exact', host + t)
          add('path-prefix', `${host}${t}/`)
        } else {
          const t = p.replace(/\/$/, '')
          add('path-prefix-exact', host + t)
          add('path-prefix', host + t)
        }
      }
    }
  }
  for (const m of HAPROXY_MAPS) maps[m].sort(byBytes)
  return { backends, maps, defaultBackend }
}

/** The frontend lines that route (setupHAProxyRules), in order, as haproxy.cfg shows them. */
export function haproxyFrontendLines(config: HaproxyConfig): string[] {
  const host = haproxyMapPath('host')
  const lines = [
    'http-request set-var(txn.path) path',
    'http-request set-var(txn.host) req.hdr(Host),field(1,:),lower',
    `http-request set-var(txn.host_match) var(txn.host),map(${host})`,
    `http-request set-var(txn.host_match) var(txn.host),regsub(^[^.]*,,),map(${host},'') if !{ var(txn.host_match) -m found }`,
    `http-request set-var(txn.path_match) var(txn.host_match),concat(,txn.path,),map(${haproxyMapPath('path-exact')})`,
    `http-request set-var(txn.path_match) var(txn.host_match),concat(,txn.path,),map(${haproxyMapPath('path-prefix-exact')}) if !{ var(txn.path_match) -m found }`,
    `http-request set-var(txn.path_match) var(txn.host_match),concat(,txn.path,),map_beg(${haproxyMapPath('path-prefix')}) if !{ var(txn.path_match) -m found }`,
    'use_backend %[var(txn.path_match),field(1,.)]',
  ]
  if (config.defaultBackend) lines.push(`default_backend ${config.defaultBackend.name}`)
  return lines
}

export interface HaproxyRoute {
  /** The backend chosen (from a map, or the default backend), or null for the 404. */
  backend: HaproxyBackend | null
  /** The map row that decided, or null (default backend or nothing). */
  row: HaproxyMapRow | null
  via: Exclude<HaproxyMapName, 'host'> | 'default_backend' | 'none'
  hostMatch: string
  reason: Text
  lookups: Lookup[]
}

/** map_str: an exact key. */
function exact(rows: HaproxyMapRow[], key: string): HaproxyMapRow | null {
  return rows.find((r) => r.key === key) ?? null
}

/** map_beg: the longest key that begins the input (src/pattern.c, prefix tree). */
function longestPrefix(rows: HaproxyMapRow[], input: string): HaproxyMapRow | null {
  let best: HaproxyMapRow | null = null
  for (const r of rows) {
    if (input.startsWith(r.key) && (!best || r.key.length > best.key.length)) best = r
  }
  return best
}

/** How the frontend's rules pick a backend for one request. */
export function haproxyRoute(config: HaproxyConfig, req: HttpRequest): HaproxyRoute {
  const host = bareHost(req.host)
  const path = pathOnly(req.path)
  let hostRow = exact(config.maps.host, host)
  let hostVia: 'exact' | 'wildcard' | 'none' = hostRow ? 'exact' : 'none'
  const cut = host.replace(/^[^.]*/, '')
  if (!hostRow) {
    hostRow = exact(config.maps.host, cut)
    if (hostRow) hostVia = 'wildcard'
  }
  const hostMatch = hostRow ? hostRow.value : ''
  const key = hostMatch + path
  let row: HaproxyMapRow | null = null
  let via: HaproxyRoute['via'] = 'none'
  for (const m of ['path-exact', 'path-prefix-exact', 'path-prefix'] as const) {
    row = m === 'path-prefix' ? longestPrefix(config.maps[m], key) : exact(config.maps[m], key)
    if (row) {
      via = m
      break
    }
  }
  const front = req.scheme === 'https' ? 'https' : 'http'
  const lines = haproxyFrontendLines(config)
  const decided = new Set<number>([1])
  decided.add(hostVia === 'exact' ? 2 : 3)
  if (via === 'path-exact') decided.add(4)
  if (via === 'path-prefix-exact') decided.add(5)
  if (via === 'path-prefix') decided.add(6)
  if (row) decided.add(7)
  else if (config.defaultBackend) decided.add(8)
  const lookups: Lookup[] = lines.map((l, i) => ({
    table: `haproxy.cfg frontend ${front}`,
    rule: l,
    matched: decided.has(i),
  }))
  for (const m of HAPROXY_MAPS) {
    for (const r of config.maps[m]) {
      lookups.push({
        table: haproxyMapPath(m),
        rule: haproxyMapLine(r),
        matched: m === 'host' ? r === hostRow : r === row,
      })
    }
  }
  const backend = row
    ? (config.backends.find((b) => b.name === row.value.split('.')[0]) ?? null)
    : config.defaultBackend
      ? (config.backends.find((b) => b.name === config.defaultBackend!.name) ?? null)
      : null
  for (const b of config.backends) {
    const on = b.servers.filter((s) => s.enabled)
    const off = b.servers.length - on.length
    const srv = on.map((s) => `server ${s.name} ${s.address}:${s.port} enabled`)
    if (off > 0) {
      const first = b.servers[on.length]!.name
      const last = b.servers.at(-1)!.name
      srv.push(
        off === 1
          ? `server ${first} 127.0.0.1:1 disabled`
          : `server ${first} .. ${last} 127.0.0.1:1 disabled (${off} empty slots)`,
      )
    }
    lookups.push({
      table: 'haproxy.cfg backends',
      rule: `backend ${b.name}: balance roundrobin; ${srv.join('; ')}`,
      matched: b === backend,
    })
  }
  const hostEn =
    hostVia === 'exact'
      ? `host.map has "${host}", so txn.host_match is "${hostMatch}"`
      : hostVia === 'wildcard'
        ? `host.map has no "${host}", but it has "${cut}" (the name with its first label cut off: a *${cut} rule), so txn.host_match is "${hostMatch}"`
        : `host.map has neither "${host}" nor "${cut}", so txn.host_match is empty and only rules without a host can match`
  const hostZh =
    hostVia === 'exact'
      ? `host.map 中有 “${host}”，所以 txn.host_match 为 “${hostMatch}”`
      : hostVia === 'wildcard'
        ? `host.map 中没有 “${host}”，但有 “${cut}”（去掉第一个标签后的名称，即 *${cut} 规则），所以 txn.host_match 为 “${hostMatch}”`
        : `host.map 中既没有 “${host}” 也没有 “${cut}”，所以 txn.host_match 为空，只有不带 host 的规则可能匹配`
  const pathEn: Record<HaproxyRoute['via'], string> = {
    'path-exact': `"${key}" is a key of path-exact.map (an Exact path)`,
    'path-prefix-exact': `"${key}" is not in path-exact.map but is a key of path-prefix-exact.map (a Prefix path equal to the request path)`,
    'path-prefix': `"${key}" is in neither exact map; in path-prefix.map map_beg finds "${row?.key}" as the longest key it begins with`,
    default_backend: '',
    none: `"${key}" is in none of the three path maps`,
  }
  const pathZh: Record<HaproxyRoute['via'], string> = {
    'path-exact': `“${key}” 是 path-exact.map 中的键（Exact 路径）`,
    'path-prefix-exact': `“${key}” 不在 path-exact.map 中，但是 path-prefix-exact.map 中的键（与请求路径相同的 Prefix 路径）`,
    'path-prefix': `“${key}” 不在两个精确映射中；map_beg 在 path-prefix.map 中找到以它开头的最长键 “${row?.key}”`,
    default_backend: '',
    none: `“${key}” 不在三个路径映射的任何一个中`,
  }
  const base = text(`${hostEn}; ${pathEn[via]}`, `${hostZh}；${pathZh[via]}`)
  if (row && backend) {
    return {
      backend,
      row,
      via,
      hostMatch,
      lookups,
      reason: text(
        `${base.en}, whose value names the backend ${backend.name}, which use_backend picks`,
        `${base['zh-CN']}，其值指向 backend “${backend.name}”，由 use_backend 选中`,
      ),
    }
  }
  if (backend && config.defaultBackend) {
    return {
      backend,
      row: null,
      via: 'default_backend',
      hostMatch,
      lookups,
      reason: text(
        `${base.en}, so txn.path_match is unset, use_backend names no backend, and the frontend's default_backend ${backend.name} (from the defaultBackend of Ingress ${config.defaultBackend.ingress.namespace}/${config.defaultBackend.ingress.name}) takes the request`,
        `${base['zh-CN']}，所以 txn.path_match 未设置，use_backend 没有给出 backend，由 frontend 的 default_backend “${backend.name}”（来自 Ingress ${config.defaultBackend.ingress.namespace}/${config.defaultBackend.ingress.name} 的 defaultBackend）处理请求`,
      ),
    }
  }
  return {
    backend: null,
    row: null,
    via: 'none',
    hostMatch,
    lookups,
    reason: text(
      `${base.en}, so use_backend names no backend and no Ingress sets a defaultBackend: the controller's own default-local-service answers 404 Not Found`,
      `${base['zh-CN']}，所以 use_backend 没有给出 backend，也没有 Ingress 设置 defaultBackend：由控制器自带的 default-local-service 返回 404 Not Found`,
    ),
  }
}
