/**
 * Gateway API kinds: GatewayClass, Gateway, HTTPRoute (gateway.networking.k8s.io/v1) and
 * ReferenceGrant (v1beta1). Defaults are the ones the CRDs declare (kubernetes-sigs/gateway-api
 * apis/v1/gateway_types.go, httproute_types.go, shared_types.go).
 */
import type { ObjReader } from './yaml-reader.ts'
import type {
  BackendRefDecl,
  GatewayClassDecl,
  GatewayDecl,
  HttpPathModifierDecl,
  HttpRouteDecl,
  HttpRouteFilterDecl,
  HttpRouteMatchDecl,
  HttpRouteRuleDecl,
  LabelSelectorDecl,
  ListenerDecl,
  ListenerProtocol,
  ParentRefDecl,
  ReferenceGrantDecl,
} from './l7-decls.ts'
import { text } from './text.ts'
import { DNS_LABEL, DNS_SUBDOMAIN } from './k8s-names.ts'
import { oneOf } from './parse-cluster.ts'
import { checkHostname, readL7Meta } from './parse-ingress.ts'

export const GATEWAY_GROUP = 'gateway.networking.k8s.io'

const PROTOCOLS: readonly ListenerProtocol[] = ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP']
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']

export function readGatewayClass(r: ObjReader, out: GatewayClassDecl[]): void {
  const meta = readL7Meta(r, 'GatewayClass', true)
  if (!meta) return
  const spec = r.obj('spec', true)
  const controllerName = spec?.str('controllerName', true)
  if (!spec || !controllerName) return
  out.push({ name: meta.name, controllerName, where: r.where() })
}

function readSelector(r: ObjReader): LabelSelectorDecl {
  const matchExpressions: LabelSelectorDecl['matchExpressions'] = []
  for (const e of r.list('matchExpressions')) {
    const key = e.str('key', true)
    const operator = oneOf(e, 'operator', ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const)
    const raw = e.value.values
    const values = Array.isArray(raw) ? raw.map(String) : []
    if (key && operator) matchExpressions.push({ key, operator, values })
  }
  return { matchLabels: r.strMap('matchLabels'), matchExpressions }
}

function readListener(l: ObjReader): ListenerDecl | null {
  const name = l.str('name', true)
  const port = l.int('port', 1, 65535, true)
  const protocol = l.has('protocol') ? oneOf(l, 'protocol', PROTOCOLS) : null
  if (!l.has('protocol'))
    l.report([], text('required field "protocol" is missing', '缺少必填字段 “protocol”'))
  if (name === null || port === null || protocol === null) return null
  if (!DNS_SUBDOMAIN.test(name)) {
    l.report(
      ['name'],
      text(
        `listener name "${name}" must be lower-case letters, digits, "-" and "."`,
        `监听器名称 “${name}” 只能使用小写字母、数字、“-” 和 “.”`,
      ),
    )
    return null
  }
  const hostname = l.str('hostname')
  if (hostname !== null && !checkHostname(l, ['hostname'], hostname)) return null
  const tlsR = l.obj('tls')
  let tls: ListenerDecl['tls'] = null
  if (tlsR) {
    if (protocol !== 'HTTPS' && protocol !== 'TLS') {
      tlsR.report(
        [],
        text(
          `"tls" is only allowed on HTTPS and TLS listeners, not ${protocol}`,
          `只有 HTTPS 和 TLS 监听器可以设置 “tls”，${protocol} 不行`,
        ),
      )
    }
    const mode = oneOf(tlsR, 'mode', ['Terminate', 'Passthrough'] as const) ?? 'Terminate'
    const certificateRefs = tlsR.list('certificateRefs').flatMap((c) => {
      const n = c.str('name', true)
      return n ? [{ namespace: c.str('namespace'), name: n, kind: c.str('kind') ?? 'Secret' }] : []
    })
    tls = { mode, certificateRefs }
  } else if (protocol === 'HTTPS' || protocol === 'TLS') {
    l.report(
      [],
      text(
        `a ${protocol} listener needs "tls" (the certificate to present)`,
        `${protocol} 监听器需要 “tls”（要出示的证书）`,
      ),
    )
  }
  const ar = l.obj('allowedRoutes')
  const ns = ar?.obj('namespaces')
  const from = (ns ? oneOf(ns, 'from', ['Same', 'All', 'Selector'] as const) : null) ?? 'Same'
  const selR = ns?.obj('selector') ?? null
  if (from === 'Selector' && !selR) {
    ns!.report(
      [],
      text(
        'allowedRoutes.namespaces.from: Selector needs a "selector"',
        'allowedRoutes.namespaces.from 为 Selector 时必须设置 “selector”',
      ),
    )
  }
  const kinds = (ar?.list('kinds') ?? []).flatMap((k) => {
    const kind = k.str('kind', true)
    return kind ? [{ group: k.str('group') ?? GATEWAY_GROUP, kind }] : []
  })
  return {
    name,
    hostname,
    port,
    protocol,
    tls,
    allowedRoutes: { from, selector: selR ? readSelector(selR) : null, kinds },
    where: l.where(),
  }
}

export function readGateway(r: ObjReader, out: GatewayDecl[]): void {
  const meta = readL7Meta(r, 'Gateway')
  if (!meta) return
  const spec = r.obj('spec', true)
  const gatewayClassName = spec?.str('gatewayClassName', true)
  if (!spec || !gatewayClassName) return
  const listeners: ListenerDecl[] = []
  const listR = spec.list('listeners')
  if (listR.length === 0) {
    spec.report([], text('a Gateway needs at least one listener', 'Gateway 至少需要一个监听器'))
  }
  for (const l of listR) {
    const decl = readListener(l)
    if (!decl) continue
    if (listeners.some((x) => x.name === decl.name)) {
      l.report(
        ['name'],
        text(
          `listener name "${decl.name}" is used twice; names must be unique within a Gateway`,
          `监听器名称 “${decl.name}” 重复了；同一个 Gateway 内名称必须唯一`,
        ),
      )
      continue
    }
    listeners.push(decl)
  }
  out.push({
    namespace: meta.namespace,
    name: meta.name,
    gatewayClassName,
    listeners,
    where: r.where(),
  })
}

function readParentRef(p: ObjReader): ParentRefDecl | null {
  const name = p.str('name', true)
  if (!name) return null
  return {
    group: p.str('group') ?? GATEWAY_GROUP,
    kind: p.str('kind') ?? 'Gateway',
    namespace: p.str('namespace'),
    name,
    sectionName: p.str('sectionName'),
    port: p.int('port', 1, 65535),
    where: p.where(),
  }
}

function readStringMatches(
  m: ObjReader,
  key: 'headers' | 'queryParams',
): HttpRouteMatchDecl['headers'] {
  return m.list(key).flatMap((h) => {
    const name = h.str('name', true)
    const value = h.str('value', true)
    const type = oneOf(h, 'type', ['Exact', 'RegularExpression'] as const) ?? 'Exact'
    if (name === null || value === null) return []
    if (type === 'RegularExpression' && !validRegex(h, value)) return []
    return [{ type, name, value }]
  })
}

function validRegex(r: ObjReader, value: string): boolean {
  try {
    new RegExp(value)
    return true
  } catch {
    r.report(
      ['value'],
      text(`"${value}" is not a valid regular expression`, `“${value}” 不是合法的正则表达式`),
    )
    return false
  }
}

function readMatch(m: ObjReader): HttpRouteMatchDecl | null {
  const pathR = m.obj('path')
  // Defaults from the CRD: path {type: PathPrefix, value: "/"}.
  let path: HttpRouteMatchDecl['path'] = { type: 'PathPrefix', value: '/' }
  if (pathR) {
    const type =
      oneOf(pathR, 'type', ['Exact', 'PathPrefix', 'RegularExpression'] as const) ?? 'PathPrefix'
    const value = pathR.str('value') ?? '/'
    if (type === 'RegularExpression') {
      if (!validRegex(pathR, value)) return null
    } else if (!value.startsWith('/') || value.includes('//')) {
      pathR.report(
        ['value'],
        text(
          `path "${value}" must be an absolute path starting with "/" and without "//"`,
          `路径 “${value}” 必须是以 “/” 开头的绝对路径，且不能含 “//”`,
        ),
      )
      return null
    }
    path = { type, value }
  }
  let method: string | null = null
  if (m.has('method')) method = oneOf(m, 'method', METHODS)
  return {
    path,
    headers: readStringMatches(m, 'headers'),
    queryParams: readStringMatches(m, 'queryParams'),
    method,
  }
}

function readPathModifier(p: ObjReader | null): HttpPathModifierDecl | null {
  if (!p) return null
  const type = oneOf(p, 'type', ['ReplaceFullPath', 'ReplacePrefixMatch'] as const)
  if (!type) {
    if (!p.has('type'))
      p.report([], text('required field "type" is missing', '缺少必填字段 “type”'))
    return null
  }
  const key = type === 'ReplaceFullPath' ? 'replaceFullPath' : 'replacePrefixMatch'
  const value = p.str(key)
  if (value === null) {
    p.report([], text(`type ${type} needs "${key}"`, `type 为 ${type} 时必须设置 “${key}”`))
    return null
  }
  return { type, value }
}

function readHeaderList(
  r: ObjReader | null,
  key: 'set' | 'add',
): { name: string; value: string }[] {
  return (r?.list(key) ?? []).flatMap((h) => {
    const name = h.str('name', true)
    const value = h.str('value', true)
    return name !== null && value !== null ? [{ name, value }] : []
  })
}

function readFilter(f: ObjReader): HttpRouteFilterDecl | null {
  const type = f.str('type', true)
  if (type === null) return null
  switch (type) {
    case 'RequestHeaderModifier':
    case 'ResponseHeaderModifier': {
      const key =
        type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier'
      const h = f.obj(key, true)
      const raw = h?.value.remove
      return {
        type,
        set: readHeaderList(h, 'set'),
        add: readHeaderList(h, 'add'),
        remove: Array.isArray(raw) ? raw.map(String) : [],
      }
    }
    case 'RequestRedirect': {
      const h = f.obj('requestRedirect', true)
      if (!h) return null
      return {
        type,
        scheme: oneOf(h, 'scheme', ['http', 'https'] as const),
        hostname: h.str('hostname'),
        path: readPathModifier(h.obj('path')),
        port: h.int('port', 1, 65535),
        // The CRD default is 302; 301 and 302 are Core, the rest Extended.
        statusCode: h.int('statusCode', 300, 399) ?? 302,
      }
    }
    case 'URLRewrite': {
      const h = f.obj('urlRewrite', true)
      if (!h) return null
      return { type, hostname: h.str('hostname'), path: readPathModifier(h.obj('path')) }
    }
    default:
      return { type: 'Other', name: type }
  }
}

function readBackendRef(b: ObjReader): BackendRefDecl | null {
  const name = b.str('name', true)
  if (!name) return null
  const group = b.str('group') ?? ''
  const kind = b.str('kind') ?? 'Service'
  const port = b.int('port', 1, 65535)
  if (group === '' && kind === 'Service' && port === null && !b.has('port')) {
    b.report(
      [],
      text('a backendRef to a Service needs "port"', '指向 Service 的 backendRef 必须设置 “port”'),
    )
    return null
  }
  return {
    group,
    kind,
    name,
    namespace: b.str('namespace'),
    port,
    // shared_types.go BackendRef.Weight: default 1, minimum 0, maximum 1000000.
    weight: b.int('weight', 0, 1000000) ?? 1,
    where: b.where(),
  }
}

function readRule(rule: ObjReader): HttpRouteRuleDecl {
  const matchesR = rule.list('matches')
  const matches = matchesR.flatMap((m) => {
    const d = readMatch(m)
    return d ? [d] : []
  })
  const filters = rule.list('filters').flatMap((f) => {
    const d = readFilter(f)
    return d ? [d] : []
  })
  const types = filters.map((f) => f.type)
  if (types.includes('RequestRedirect') && types.includes('URLRewrite')) {
    rule.report(
      ['filters'],
      text(
        'a rule may have a RequestRedirect or a URLRewrite filter, not both',
        '同一条规则不能同时使用 RequestRedirect 和 URLRewrite 过滤器',
      ),
    )
  }
  const prefixRewrite = filters.some(
    (f) =>
      (f.type === 'RequestRedirect' || f.type === 'URLRewrite') &&
      f.path?.type === 'ReplacePrefixMatch',
  )
  if (prefixRewrite && (matchesR.length !== 1 || matches[0]?.path.type !== 'PathPrefix')) {
    rule.report(
      ['filters'],
      text(
        'ReplacePrefixMatch needs exactly one match, of type PathPrefix',
        'ReplacePrefixMatch 要求恰好一个 PathPrefix 类型的匹配条件',
      ),
    )
  }
  return {
    name: rule.str('name'),
    // CRD default: no matches means one PathPrefix "/" match, which matches every request.
    matches:
      matchesR.length === 0
        ? [{ path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], method: null }]
        : matches,
    filters,
    backendRefs: rule.list('backendRefs').flatMap((b) => {
      const d = readBackendRef(b)
      return d ? [d] : []
    }),
    where: rule.where(),
  }
}

export function readHttpRoute(r: ObjReader, out: HttpRouteDecl[]): void {
  const meta = readL7Meta(r, 'HTTPRoute')
  if (!meta) return
  const spec = r.obj('spec', true)
  if (!spec) return
  const hostnames: string[] = []
  const raw = spec.value.hostnames
  if (Array.isArray(raw)) {
    raw.forEach((h, i) => {
      if (typeof h === 'string' && checkHostname(spec, ['hostnames', i], h)) {
        hostnames.push(h)
      } else if (typeof h !== 'string') {
        spec.report(
          ['hostnames', i],
          text(
            `item ${i} of "hostnames" must be a host name`,
            `“hostnames” 的第 ${i} 项必须是主机名`,
          ),
        )
      }
    })
  } else if (raw !== undefined && raw !== null) {
    spec.report(['hostnames'], text('"hostnames" must be a list', '“hostnames” 必须是列表'))
  }
  const rulesR = spec.list('rules')
  out.push({
    namespace: meta.namespace,
    name: meta.name,
    creationTimestamp: meta.creationTimestamp,
    parentRefs: spec.list('parentRefs').flatMap((p) => {
      const d = readParentRef(p)
      return d ? [d] : []
    }),
    hostnames,
    rules:
      rulesR.length === 0
        ? [
            {
              name: null,
              matches: [
                {
                  path: { type: 'PathPrefix', value: '/' },
                  headers: [],
                  queryParams: [],
                  method: null,
                },
              ],
              filters: [],
              backendRefs: [],
              where: spec.where(),
            },
          ]
        : rulesR.map(readRule),
    where: r.where(),
  })
}

export function readReferenceGrant(r: ObjReader, out: ReferenceGrantDecl[]): void {
  const meta = readL7Meta(r, 'ReferenceGrant')
  if (!meta) return
  const spec = r.obj('spec', true)
  if (!spec) return
  const from = spec.list('from').flatMap((f) => {
    const kind = f.str('kind', true)
    const namespace = f.str('namespace', true)
    if (kind === null || namespace === null) return []
    if (!DNS_LABEL.test(namespace)) {
      f.report(
        ['namespace'],
        text(
          `"${namespace}" is not a valid namespace name`,
          `“${namespace}” 不是合法的命名空间名称`,
        ),
      )
      return []
    }
    return [{ group: f.str('group') ?? '', kind, namespace }]
  })
  const to = spec.list('to').flatMap((t) => {
    const kind = t.str('kind', true)
    return kind === null ? [] : [{ group: t.str('group') ?? '', kind, name: t.str('name') }]
  })
  out.push({ namespace: meta.namespace, name: meta.name, from, to, where: r.where() })
}
