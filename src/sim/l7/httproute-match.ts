/**
 * How a Gateway routes one HTTP request over the HTTPRoutes attached to a listener, as the
 * Gateway API reference states it (kubernetes-sigs/gateway-api apis/v1/httproute_types.go):
 * hostname precedence, then match precedence (Exact path, longest PathPrefix, method, most
 * headers, most query params), then the oldest route, then namespace/name, then rule order.
 * The chosen rule's filters are applied, and a backend is drawn by weight with the seeded Rng.
 */
import type { Lookup } from '../../model/trace.ts'
import { text, type Text } from '../../model/text.ts'
import type {
  BackendRefDecl,
  GatewayDecl,
  HttpPathModifierDecl,
  HttpRouteDecl,
  HttpRouteMatchDecl,
  HttpRouteRuleDecl,
  ListenerDecl,
} from '../../model/l7-decls.ts'
import type { Rng } from '../rng.ts'
import type { Attachment, GatewayWorld } from './gateway-attach.ts'
import { backendRefProblem } from './gateway-attach.ts'
import {
  bareHost,
  gatewayHostMatches,
  headerOf,
  pathOnly,
  prefixLength,
  prefixMatches,
  queryOf,
  type HttpRequest,
} from './request.ts'

export interface ListenerChoice {
  listener: ListenerDecl | null
  /**
   * For an HTTPS listener that terminates TLS: `namespace/name` of its first certificateRef
   * (a Secret), the certificate presented for the SNI that selected it.
   */
  certificate: string | null
  reason: Text
  lookups: Lookup[]
}

function hostRank(pattern: string | null): number {
  if (pattern === null) return 0
  return pattern.startsWith('*.') ? pattern.length : 10000 + pattern.length
}

/**
 * The listener a request arrives on: the port it was sent to, a protocol that fits (HTTP, or
 * HTTPS when it spoke TLS), and the most specific hostname that covers the SNI (for HTTPS) or
 * the Host header (for HTTP): exact, then the longest wildcard, then a listener without one.
 */
export function selectListener(gw: GatewayDecl, req: HttpRequest): ListenerChoice {
  const proto = req.scheme === 'https' ? 'HTTPS' : 'HTTP'
  const name = bareHost(req.scheme === 'https' && req.sni ? req.sni : req.host)
  let best: ListenerDecl | null = null
  const lookups: Lookup[] = []
  for (const l of gw.listeners) {
    const ok =
      l.port === req.port &&
      l.protocol === proto &&
      (l.hostname === null || gatewayHostMatches(l.hostname, name))
    if (ok && (!best || hostRank(l.hostname) > hostRank(best.hostname))) best = l
  }
  for (const l of gw.listeners) {
    lookups.push({
      table: `Gateway ${gw.namespace}/${gw.name} listeners`,
      rule: `name: ${l.name}  port: ${l.port}  protocol: ${l.protocol}${l.hostname ? `  hostname: ${l.hostname}` : ''}`,
      matched: l === best,
    })
  }
  if (!best) {
    return {
      listener: null,
      certificate: null,
      reason: text(
        `Gateway ${gw.namespace}/${gw.name} has no ${proto} listener on port ${req.port} for "${name}"`,
        `Gateway ${gw.namespace}/${gw.name} 在端口 ${req.port} 上没有适用于 “${name}” 的 ${proto} 监听器`,
      ),
      lookups,
    }
  }
  const cert = best.tls?.mode === 'Terminate' ? best.tls.certificateRefs[0] : undefined
  return {
    listener: best,
    certificate: cert ? `${cert.namespace ?? gw.namespace}/${cert.name}` : null,
    reason: text(
      `the request arrives on listener "${best.name}" (${best.protocol} port ${best.port}${best.hostname ? `, hostname ${best.hostname}` : ''})`,
      `请求进入监听器 “${best.name}”（${best.protocol} 端口 ${best.port}${best.hostname ? `，主机名 “${best.hostname}”` : ''}）`,
    ),
    lookups,
  }
}

/** One route match as a learner wrote it, on one line. */
export function matchLine(m: HttpRouteMatchDecl): string {
  const parts = [`path: {type: ${m.path.type}, value: ${m.path.value}}`]
  if (m.method) parts.push(`method: ${m.method}`)
  if (m.headers.length) parts.push(`headers: [${m.headers.map(nameValue).join(', ')}]`)
  if (m.queryParams.length) parts.push(`queryParams: [${m.queryParams.map(nameValue).join(', ')}]`)
  return parts.join('  ')
}

function nameValue(h: { type: string; name: string; value: string }): string {
  return h.type === 'Exact' ? `${h.name}: ${h.value}` : `${h.name} ~ ${h.value}`
}

function refLine(r: BackendRefDecl): string {
  const ns = r.namespace ? `${r.namespace}/` : ''
  return `${ns}${r.name}:${r.port ?? ''} weight ${r.weight}`
}

function ruleTarget(rule: HttpRouteRuleDecl): string {
  const redirect = rule.filters.find((f) => f.type === 'RequestRedirect')
  if (redirect) return `redirect ${redirect.statusCode}`
  return rule.backendRefs.length ? rule.backendRefs.map(refLine).join(', ') : '(no backendRefs)'
}

function matchesRequest(m: HttpRouteMatchDecl, req: HttpRequest, path: string): boolean {
  const p = m.path
  if (p.type === 'Exact' && p.value !== path) return false
  if (p.type === 'PathPrefix' && !prefixMatches(p.value, path)) return false
  // RegularExpression is implementation-specific; PodPath uses a JavaScript RegExp that must
  // match the whole path.
  if (p.type === 'RegularExpression' && !new RegExp(`^(?:${p.value})$`).test(path)) return false
  if (m.method && m.method !== req.method.toUpperCase()) return false
  for (const h of m.headers) {
    const v = headerOf(req, h.name)
    if (v === null) return false
    if (h.type === 'Exact' ? v !== h.value : !new RegExp(h.value).test(v)) return false
  }
  const q = queryOf(req)
  for (const qp of m.queryParams) {
    // Query parameter names are matched exactly, case-sensitively (HTTPQueryParamMatch.Name).
    const v = q[qp.name]
    if (v === undefined) return false
    if (qp.type === 'Exact' ? v !== qp.value : !new RegExp(qp.value).test(v)) return false
  }
  return true
}

interface Candidate {
  attachment: Attachment
  route: HttpRouteDecl
  rule: HttpRouteRuleDecl
  ruleIndex: number
  match: HttpRouteMatchDecl
  matchIndex: number
  /** Characters of the matching non-wildcard hostname, then of the matching hostname. */
  hostExact: number
  hostAny: number
}

/** The route hostname (as intersected with the listener) that covers this host, best first. */
function hostScore(a: Attachment, host: string): { exact: number; any: number } | null {
  if (a.hostnames.length === 0) return { exact: 0, any: 0 }
  let best: { exact: number; any: number } | null = null
  for (const h of a.hostnames) {
    if (!gatewayHostMatches(h, host)) continue
    const s = h.startsWith('*.') ? { exact: 0, any: h.length } : { exact: h.length, any: h.length }
    if (!best || s.exact > best.exact || (s.exact === best.exact && s.any > best.any)) best = s
  }
  return best
}

function pathRank(m: HttpRouteMatchDecl): number {
  // Exact first, then PathPrefix; RegularExpression precedence is implementation-specific and
  // PodPath puts it last.
  return m.path.type === 'Exact' ? 2 : m.path.type === 'PathPrefix' ? 1 : 0
}

function age(r: HttpRouteDecl): string {
  // A route without creationTimestamp sorts after every timestamped one ("~" > any digit).
  return r.creationTimestamp ?? '~'
}

/** Negative when `a` takes precedence over `b` (HTTPRouteRule.Matches and HTTPRouteSpec.Hostnames). */
function comparePrecedence(a: Candidate, b: Candidate): number {
  const key = (c: Candidate) => `${c.route.namespace}/${c.route.name}`
  return (
    b.hostExact - a.hostExact ||
    b.hostAny - a.hostAny ||
    pathRank(b.match) - pathRank(a.match) ||
    (a.match.path.type === 'PathPrefix' && b.match.path.type === 'PathPrefix'
      ? prefixLength(b.match.path.value) - prefixLength(a.match.path.value)
      : 0) ||
    Number(b.match.method !== null) - Number(a.match.method !== null) ||
    b.match.headers.length - a.match.headers.length ||
    b.match.queryParams.length - a.match.queryParams.length ||
    (age(a.route) < age(b.route) ? -1 : age(a.route) > age(b.route) ? 1 : 0) ||
    (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) ||
    a.ruleIndex - b.ruleIndex ||
    a.matchIndex - b.matchIndex
  )
}

export interface BackendShare {
  ref: BackendRefDecl
  weight: number
  /** weight / sum of weights: the share of requests this backend receives. */
  share: number
  /** Why this backend cannot be used (its requests get 500), or null. */
  problem: Text | null
}

export type HttpRouteOutcome =
  | {
      kind: 'backend'
      route: HttpRouteDecl
      ruleIndex: number
      ref: BackendRefDecl
      target: { namespace: string; service: string; port: number | null }
    }
  | { kind: 'redirect'; route: HttpRouteDecl; ruleIndex: number; status: number; location: string }
  | { kind: 'error'; route: HttpRouteDecl; ruleIndex: number; status: 500 }
  | { kind: 'not-found'; status: 404 }

export interface HttpRouteResult {
  outcome: HttpRouteOutcome
  /** The request as it leaves the Gateway, after RequestHeaderModifier and URLRewrite. */
  request: HttpRequest
  /** Filters of the chosen rule, each with what it did. */
  filters: Text[]
  /** The weighted backends of the chosen rule, as the draw saw them. */
  shares: BackendShare[]
  reason: Text
  lookups: Lookup[]
}

/**
 * Routes a request that arrived on `listener` over the routes attached to it. `rng` draws the
 * weighted backend; it is not used when only one backend can receive traffic.
 */
export function routeHttpRequest(
  world: GatewayWorld,
  attachments: Attachment[],
  listener: ListenerDecl,
  req: HttpRequest,
  rng: Rng,
): HttpRouteResult {
  const host = bareHost(req.host)
  const path = pathOnly(req.path)
  const here = attachments.filter((a) => a.listener === listener)
  const tested: { c: Candidate; ok: boolean }[] = []
  for (const a of here) {
    const hs = hostScore(a, host)
    a.route.rules.forEach((rule, ruleIndex) =>
      rule.matches.forEach((match, matchIndex) => {
        const c: Candidate = {
          attachment: a,
          route: a.route,
          rule,
          ruleIndex,
          match,
          matchIndex,
          hostExact: hs?.exact ?? 0,
          hostAny: hs?.any ?? 0,
        }
        tested.push({ c, ok: hs !== null && matchesRequest(match, req, path) })
      }),
    )
  }
  const winners = tested.filter((t) => t.ok).map((t) => t.c)
  winners.sort(comparePrecedence)
  const win = winners[0]
  const lookups: Lookup[] = tested.map(({ c }) => ({
    table: `HTTPRoute ${c.route.namespace}/${c.route.name}`,
    rule: `${c.route.hostnames.length ? `hostnames: [${c.route.hostnames.join(', ')}]  ` : ''}rules[${c.ruleIndex}]  ${matchLine(c.match)}  -> ${ruleTarget(c.rule)}`,
    matched: c === win,
  }))
  if (!win) {
    return {
      outcome: { kind: 'not-found', status: 404 },
      request: req,
      filters: [],
      shares: [],
      // httproute_types.go HTTPRouteRule.Matches: no matching rule attached -> 404.
      reason: text(
        `no HTTPRoute attached to listener "${listener.name}" has a rule matching host "${host}" and path "${path}", so the Gateway answers 404 Not Found`,
        `挂在监听器 “${listener.name}” 上的 HTTPRoute 没有规则匹配主机 “${host}” 和路径 “${path}”，因此 Gateway 返回 404 Not Found`,
      ),
      lookups,
    }
  }
  const whyWin = winReason(win, winners.length - 1)
  return { ...applyRule(world, win, req, listener, rng, whyWin), lookups }
}

function winReason(win: Candidate, others: number): Text {
  const r = `${win.route.namespace}/${win.route.name}`
  const m = matchLine(win.match)
  if (others === 0) {
    return text(
      `HTTPRoute ${r} rules[${win.ruleIndex}] matches (${m}).`,
      `HTTPRoute ${r} 的 rules[${win.ruleIndex}] 匹配（${m}）。`,
    )
  }
  return text(
    `HTTPRoute ${r} rules[${win.ruleIndex}] matches (${m}) and takes precedence over ${others} other matching rule${others > 1 ? 's' : ''}: the most specific hostname first, then an Exact path, the longest PathPrefix, a method match, the most header matches, the most query matches, then the oldest route and namespace/name.`,
    `HTTPRoute ${r} 的 rules[${win.ruleIndex}] 匹配（${m}），并优先于另外 ${others} 条匹配的规则：先比主机名的具体程度，再依次比 Exact 路径、最长的 PathPrefix、方法匹配、最多的请求头匹配、最多的查询参数匹配，最后比路由的创建时间和 命名空间/名称。`,
  )
}

/** ReplacePrefixMatch as the HTTPPathModifier table shows it: `/foo/bar` with `/foo` -> `/xyz/bar`. */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const rest = path.slice(prefix.replace(/\/+$/, '').length)
  const out = replacement.replace(/\/+$/, '') + rest
  if (out === '') return '/'
  return out.startsWith('/') ? out : `/${out}`
}

function modifyPath(path: string, mod: HttpPathModifierDecl, match: HttpRouteMatchDecl): string {
  if (mod.type === 'ReplaceFullPath') return mod.value
  return replacePrefix(path, match.path.value, mod.value)
}

function setHeader(h: Record<string, string>, name: string, value: string): void {
  for (const k of Object.keys(h)) if (k.toLowerCase() === name.toLowerCase()) delete h[k]
  h[name] = value
}

function applyRule(
  world: GatewayWorld,
  win: Candidate,
  req: HttpRequest,
  listener: ListenerDecl,
  rng: Rng,
  whyWin: Text,
): Omit<HttpRouteResult, 'lookups'> {
  const { route, ruleIndex, rule, match } = win
  const filters: Text[] = []
  const headers = { ...req.headers }
  const path = pathOnly(req.path)
  const query = req.path.includes('?') ? req.path.slice(req.path.indexOf('?')) : ''
  let out: HttpRequest = { ...req, headers }
  for (const f of rule.filters) {
    if (f.type === 'RequestHeaderModifier') {
      for (const s of f.set) setHeader(headers, s.name, s.value)
      for (const a of f.add) {
        const old = headerOf({ ...out, headers }, a.name)
        // "Add ... appends to any existing values": my-header: foo + bar,baz -> foo,bar,baz.
        setHeader(headers, a.name, old === null ? a.value : `${old},${a.value}`)
      }
      for (const r of f.remove) {
        for (const k of Object.keys(headers))
          if (k.toLowerCase() === r.toLowerCase()) delete headers[k]
      }
      filters.push(
        text(
          `RequestHeaderModifier: set [${f.set.map((s) => s.name).join(', ')}], add [${f.add.map((s) => s.name).join(', ')}], remove [${f.remove.join(', ')}]`,
          `RequestHeaderModifier：设置 [${f.set.map((s) => s.name).join(', ')}]，追加 [${f.add.map((s) => s.name).join(', ')}]，删除 [${f.remove.join(', ')}]`,
        ),
      )
    } else if (f.type === 'URLRewrite') {
      const newPath = f.path ? modifyPath(path, f.path, match) : path
      const newHost = f.hostname ?? out.host
      if (f.hostname) setHeader(headers, 'Host', f.hostname)
      out = { ...out, host: newHost, path: newPath + query }
      filters.push(
        text(
          `URLRewrite: the request goes on as Host "${bareHost(newHost)}", path "${newPath}" (the client does not see this)`,
          `URLRewrite：请求以 Host “${bareHost(newHost)}”、路径 “${newPath}” 继续转发（客户端看不到这一改写）`,
        ),
      )
    } else if (f.type === 'RequestRedirect') {
      const scheme = f.scheme ?? req.scheme
      // HTTPRequestRedirectFilter.Port: a set scheme implies its well-known port, else the
      // listener's; 80 for http and 443 for https are left out of Location.
      const port = f.port ?? (f.scheme ? (f.scheme === 'https' ? 443 : 80) : listener.port)
      const showPort = !((scheme === 'http' && port === 80) || (scheme === 'https' && port === 443))
      const newPath = f.path ? modifyPath(path, f.path, match) : path
      const location = `${scheme}://${f.hostname ?? bareHost(req.host)}${showPort ? `:${port}` : ''}${newPath}${query}`
      filters.push(
        text(
          `RequestRedirect: ${f.statusCode} to ${location}`,
          `RequestRedirect：${f.statusCode} 重定向到 ${location}`,
        ),
      )
      return {
        outcome: { kind: 'redirect', route, ruleIndex, status: f.statusCode, location },
        request: out,
        filters,
        shares: [],
        reason: text(
          `${whyWin.en} Its RequestRedirect filter answers ${f.statusCode} with Location: ${location}; no backend is contacted.`,
          `${whyWin['zh-CN']} 它的 RequestRedirect 过滤器直接返回 ${f.statusCode}，Location: ${location}；不会联系任何后端。`,
        ),
      }
    } else if (f.type === 'ResponseHeaderModifier') {
      filters.push(
        text(
          'ResponseHeaderModifier: changes the response headers on the way back',
          'ResponseHeaderModifier：在返回途中修改响应头',
        ),
      )
    } else if (f.type === 'Other') {
      filters.push(
        text(
          `${f.name}: read but not simulated by PodPath`,
          `${f.name}：已读取，但 PodPath 不模拟`,
        ),
      )
    }
  }
  out = { ...out, headers }
  const shares = weigh(world, route, rule.backendRefs)
  const total = shares.reduce((s, b) => s + b.weight, 0)
  if (total === 0) {
    // HTTPRouteRule.BackendRefs: when every backendRef is invalid (and no filter answers), all
    // matching traffic gets 500. The reference does not name a status for a rule with no
    // backendRefs or with every weight 0 ("no traffic should be forwarded for this entry");
    // PodPath answers 500 there too, as for a rule with no usable backend.
    const en =
      rule.backendRefs.length === 0
        ? 'the rule names no backendRefs, so there is nowhere to forward the request'
        : 'every backendRef has weight 0, which means "send no traffic here", so no backend may receive the request'
    const zh =
      rule.backendRefs.length === 0
        ? '这条规则没有 backendRefs，请求无处可转发'
        : '每个 backendRef 的 weight 都是 0，意思是“不要向这里发送流量”，因此没有后端可以接收请求'
    return {
      outcome: { kind: 'error', route, ruleIndex, status: 500 },
      request: out,
      filters,
      shares,
      reason: text(
        `${whyWin.en} But ${en}: the Gateway answers 500 (the API reference names no status for this case; 500 is what it requires when no backend is usable).`,
        `${whyWin['zh-CN']} 但是${zh}：Gateway 返回 500（API 参考没有规定这种情况的状态码；没有可用后端时它要求返回 500）。`,
      ),
    }
  }
  const chosen = draw(shares, total, rng)
  const pct = (chosen.share * 100).toFixed(
    chosen.share * 100 === Math.round(chosen.share * 100) ? 0 : 1,
  )
  const ns = chosen.ref.namespace ?? route.namespace
  if (chosen.problem) {
    return {
      outcome: { kind: 'error', route, ruleIndex, status: 500 },
      request: out,
      filters,
      shares,
      reason: text(
        `${whyWin.en} The weighted draw picks backendRef ${chosen.ref.name} (${pct}% of requests), which cannot be used: ${chosen.problem.en}. Requests meant for an invalid backend get 500.`,
        `${whyWin['zh-CN']} 按权重抽中了 backendRef “${chosen.ref.name}”（${pct}% 的请求），但它不可用：${chosen.problem['zh-CN']}。发往无效后端的请求得到 500。`,
      ),
    }
  }
  return {
    outcome: {
      kind: 'backend',
      route,
      ruleIndex,
      ref: chosen.ref,
      target: { namespace: ns, service: chosen.ref.name, port: chosen.ref.port },
    },
    request: out,
    filters,
    shares,
    reason: text(
      shares.filter((s) => s.weight > 0).length > 1
        ? `${whyWin.en} By weight, Service ${ns}/${chosen.ref.name} gets ${pct}% of these requests, and this one is drawn for it.`
        : `${whyWin.en} It forwards to Service ${ns}/${chosen.ref.name}.`,
      shares.filter((s) => s.weight > 0).length > 1
        ? `${whyWin['zh-CN']} 按权重，Service ${ns}/${chosen.ref.name} 获得这些请求的 ${pct}%，这次抽中了它。`
        : `${whyWin['zh-CN']} 转发给 Service ${ns}/${chosen.ref.name}。`,
    ),
  }
}

function weigh(world: GatewayWorld, route: HttpRouteDecl, refs: BackendRefDecl[]): BackendShare[] {
  // BackendRef.Weight: the share is weight / (sum of all weights in this list).
  const total = refs.reduce((s, r) => s + r.weight, 0)
  return refs.map((ref) => {
    const p = backendRefProblem(world, route, ref)
    return {
      ref,
      weight: ref.weight,
      share: total ? ref.weight / total : 0,
      problem: p ? p.message : null,
    }
  })
}

function draw(shares: BackendShare[], total: number, rng: Rng): BackendShare {
  const live = shares.filter((s) => s.weight > 0)
  if (live.length === 1) return live[0]!
  let x = rng.next() * total
  for (const s of live) {
    if (x < s.weight) return s
    x -= s.weight
  }
  return live[live.length - 1]!
}
