/**
 * The HTTP request an L7 proxy routes on, and the two host and path comparisons that Ingress and
 * the Gateway API share (with one difference: how far a `*.` wildcard reaches).
 */
import type { TrafficDecl } from '../../model/scenario.ts'
import { parseTo } from '../traffic-to.ts'

/** What an Ingress controller or a Gateway sees of one request. */
export interface HttpRequest {
  /** The Host header (or :authority); a `:port` suffix is ignored for matching. */
  host: string
  /** The path, optionally with `?query`; only the part before `?` is matched as a path. */
  path: string
  method: string
  /** Header names are matched case-insensitively. */
  headers: Record<string, string>
  /** Query parameters; when null they are read from `path`. */
  query: Record<string, string> | null
  /** The TLS SNI name, or null for plain HTTP. */
  sni: string | null
  /** `http` or `https`, as the client spoke it. */
  scheme: 'http' | 'https'
  /** The port the client connected to (the listener port). */
  port: number
}

/** A request with defaults for what was left out: GET, no headers, plain HTTP on port 80. */
export function httpRequest(r: Partial<HttpRequest> & { host: string; path: string }): HttpRequest {
  const scheme = r.scheme ?? (r.sni ? 'https' : 'http')
  return {
    method: 'GET',
    headers: {},
    query: null,
    sni: null,
    port: scheme === 'https' ? 443 : 80,
    ...r,
    scheme,
  }
}

/** The host without a port, lower-cased (DNS names compare case-insensitively, RFC 4343). */
export function bareHost(host: string): string {
  const h = host.trim().toLowerCase()
  const colon = h.lastIndexOf(':')
  return colon > 0 && /^\d+$/.test(h.slice(colon + 1)) ? h.slice(0, colon) : h
}

/** The path part of a request target: before `?` and `#`, always starting with `/`. */
export function pathOnly(target: string): string {
  const p = target.split(/[?#]/, 1)[0] ?? ''
  return p.startsWith('/') ? p : `/${p}`
}

/** Query parameters of a request target; the first value of a repeated name wins. */
export function queryOf(req: HttpRequest): Record<string, string> {
  if (req.query) return req.query
  const out: Record<string, string> = {}
  const q = req.path.split('#', 1)[0]!.split('?').slice(1).join('?')
  for (const part of q.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq))
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1))
    if (!(name in out)) out[name] = value
  }
  return out
}

/** A request header by case-insensitive name (RFC 9110: field names are case-insensitive). */
export function headerOf(req: HttpRequest, name: string): string | null {
  const want = name.toLowerCase()
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === want) return v
  return null
}

/**
 * Element-wise prefix match, shared by Ingress `Prefix` and Gateway API `PathPrefix`: the path
 * is split on `/`, a trailing `/` of the prefix is ignored, and `/aaa/bbb` matches `/aaa/bbb`,
 * `/aaa/bbb/` and `/aaa/bbb/ccc` but not `/aaa/bbbxyz` (Ingress docs, "Examples" table;
 * gateway-api apis/v1/httproute_types.go PathMatchPathPrefix).
 */
export function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '')
  if (p === '') return true
  return path === p || path.startsWith(`${p}/`)
}

/** The prefix with its trailing `/` removed: what "longest matching path" compares. */
export function prefixLength(prefix: string): number {
  return prefix.replace(/\/+$/, '').length
}

/**
 * Ingress host match: exact, or `*.foo.com`, which covers exactly one DNS label, so it matches
 * `bar.foo.com` but neither `baz.bar.foo.com` nor `foo.com` (Ingress docs, "Hostname wildcards").
 */
export function ingressHostMatches(ruleHost: string, host: string): boolean {
  const h = bareHost(host)
  const r = ruleHost.toLowerCase()
  if (!r.startsWith('*.')) return r === h
  const suffix = r.slice(1)
  if (!h.endsWith(suffix)) return false
  const label = h.slice(0, h.length - suffix.length)
  return label.length > 0 && !label.includes('.')
}

/**
 * Gateway API host match: exact, or `*.example.com` as a suffix match over one or more labels,
 * so it matches `test.example.com` and `foo.test.example.com` but not `example.com`
 * (gateway-api apis/v1/httproute_types.go HTTPRouteSpec.Hostnames, gateway_types.go Listener).
 */
export function gatewayHostMatches(pattern: string, host: string): boolean {
  const h = bareHost(host)
  const p = pattern.toLowerCase()
  if (!p.startsWith('*.')) return p === h
  return h.endsWith(p.slice(1)) && h.length > p.length - 1
}

/**
 * The request a `Traffic` document sends, as curl would: scheme, host, port and path from `to`;
 * a `Host` header in `headers` overrides the URL's host for routing, while the TLS SNI stays the
 * URL's host (curl sends SNI from the URL, not from `-H 'Host: ...'`). Null when `to` is not a URL.
 */
export function requestFromTraffic(t: Pick<TrafficDecl, 'to' | 'headers'>): HttpRequest | null {
  const to = parseTo(t.to)
  if (!to) return null
  const scheme = to.scheme ?? 'http'
  const port = to.port ?? (scheme === 'https' ? 443 : 80)
  const hostHeader = Object.entries(t.headers).find(([k]) => k.toLowerCase() === 'host')?.[1]
  return httpRequest({
    host: hostHeader ?? to.host,
    path: to.path,
    headers: { ...t.headers },
    scheme,
    port,
    sni: scheme === 'https' ? to.host : null,
  })
}
