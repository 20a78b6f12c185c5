/**
 * A Gateway's data plane as a proxy process: the Envoy Pods Envoy Gateway runs for one Gateway
 * (found by their owning-gateway labels). Each HTTP or HTTPS listener of the Gateway is a socket
 * in those Pods (on its container port); a request picks the listener, terminates TLS on an
 * HTTPS listener, is matched against the HTTPRoutes attached to that listener (the Gateway API
 * rules in ../l7), and goes to an endpoint of the chosen (weighted) backend. Envoy sends to
 * endpoint Pod IPs itself, like ingress-nginx. The explanation names who owns each object: the
 * GatewayClass the infrastructure provider, the Gateway the cluster operator, the HTTPRoute the
 * application developer (Gateway API docs, "Roles and personas").
 */
import { listenerCertStatus } from '../l7/tls-secret.ts'
import { formatIp } from '../../model/ipv4.ts'
import type { GatewayDecl, ListenerDecl } from '../../model/l7-decls.ts'
import { text, type Text } from '../../model/text.ts'
import type { HttpApp, Lookup } from '../../model/trace.ts'
import type { BuiltPod, Cluster } from '../cluster.ts'
import { attachRoutes, gatewayWorld, type RouteParentStatus } from '../l7/gateway-attach.ts'
import { routeHttpRequest, selectListener } from '../l7/httproute-match.ts'
import { httpRequest } from '../l7/request.ts'
import type {
  Accepted,
  ListenerSource,
  ProxyListener,
  ProxyStep,
  UpstreamChoice,
} from '../walk/api.ts'
import {
  ENVOY_GATEWAY_CONTROLLER,
  OWNING_NAME,
  OWNING_NAMESPACE,
  envoyContainerPort,
} from './envoy-gateway.ts'

/** The Gateway an Envoy Pod serves, if it is one. */
export function gatewayOfPod(c: Cluster, pod: BuiltPod): GatewayDecl | null {
  const name = pod.labels[OWNING_NAME]
  const ns = pod.labels[OWNING_NAMESPACE]
  if (!name || !ns) return null
  const gw = c.l7.gateways.find((g) => g.name === name && g.namespace === ns)
  if (!gw) return null
  const cls = c.l7.gatewayClasses.find((x) => x.name === gw.gatewayClassName)
  return cls?.controllerName === ENVOY_GATEWAY_CONTROLLER ? gw : null
}

/** The Envoy Pods of one Gateway. */
export function gatewayPodsFor(c: Cluster, gw: GatewayDecl): BuiltPod[] {
  return c.pods.filter((p) => gatewayOfPod(c, p) === gw)
}

function world(c: Cluster) {
  return gatewayWorld(c.l7, c.services, c.l7.namespaceLabels)
}

/** Every HTTPRoute that names this Gateway as a parent, attached or not. */
export function routesNaming(c: Cluster, gw: GatewayDecl) {
  return c.l7.httpRoutes.filter((r) =>
    r.parentRefs.some(
      (p) =>
        p.kind === 'Gateway' && p.name === gw.name && (p.namespace ?? r.namespace) === gw.namespace,
    ),
  )
}

export const gatewayListeners: ListenerSource = (c, ns) => {
  if (ns.kind !== 'pod' || !ns.pod) return []
  const pod = c.podByKey.get(ns.pod)
  const gw = pod ? gatewayOfPod(c, pod) : null
  if (!pod || !gw) return []
  const out: ProxyListener[] = []
  const seen = new Set<number>()
  for (const l of gw.listeners) {
    if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') continue
    const port = envoyContainerPort(l.port)
    if (seen.has(port)) continue
    seen.add(port)
    out.push({
      component: 'envoy',
      proto: 'tcp',
      port,
      container: pod.containers[0]!.name,
      role: text(
        `the Envoy listener for port ${l.port} of Gateway ${gw.namespace}/${gw.name}`,
        `Gateway ${gw.namespace}/${gw.name} 端口 ${l.port} 的 Envoy 监听端口`,
      ),
      choose: (a) => chooseUpstream(c, gw, l, a),
      cost: text(
        'Like any L7 proxy, Envoy costs a second TCP connection and a pass through user space.',
        '和所有七层代理一样，Envoy 要多一个 TCP 连接，并经过一次用户态。',
      ),
    })
  }
  return out
}

function statusLine(st: RouteParentStatus): Lookup {
  const conds = st.conditions.map((c) => `${c.type}=${c.status} (${c.reason})`).join('  ')
  return {
    table: 'kubectl get httproute -o yaml: status.parents',
    rule: `HTTPRoute ${st.route.namespace}/${st.route.name} -> Gateway ${st.gateway?.namespace}/${st.gateway?.name}  ${conds || 'no status'}`,
    matched: st.listeners.length > 0,
  }
}

function chooseUpstream(
  c: Cluster,
  gw: GatewayDecl,
  first: ListenerDecl,
  a: Accepted,
): UpstreamChoice {
  const app = a.app
  const gwName = `${gw.namespace}/${gw.name}`
  if (!app || app.protocol !== 'http' || app.kind !== 'request') {
    return {
      kind: 'refuse',
      reason: text('Envoy expects HTTP', 'Envoy 需要 HTTP'),
      lookups: [],
      explain: text(
        `Gateway ${gwName}'s Envoy speaks HTTP here, and what arrived is not an HTTP request, so it closes the connection.`,
        `Gateway ${gwName} 的 Envoy 在这里说 HTTP，而到达的并不是 HTTP 请求，所以它关闭了连接。`,
      ),
    }
  }
  const secure = app.tls !== undefined
  const req = httpRequest({
    host: app.host ?? a.local.ip,
    path: app.path ?? '/',
    method: app.method ?? 'GET',
    headers: app.headers ?? {},
    scheme: secure ? 'https' : 'http',
    sni: app.tls?.sni ?? null,
    port: first.port,
  })
  const w = world(c)
  const cls = c.l7.gatewayClasses.find((x) => x.name === gw.gatewayClassName)!
  const picked = selectListener(gw, req)
  const steps: ProxyStep[] = []
  const plain: HttpApp = { ...app }
  delete plain.tls
  if (!picked.listener) {
    steps.push({
      action: 'l7-route',
      lookups: picked.lookups,
      explain: text(
        `${cap(picked.reason.en)}, so Envoy answers 404.`,
        `${picked.reason['zh-CN']}，因此 Envoy 返回 404。`,
      ),
    })
    return { kind: 'answer', status: 404, steps }
  }
  const listener = picked.listener
  if (secure) {
    const cert = listenerCertStatus(gw, listener, c.l7.secrets, c.l7.referenceGrants)
    if (!cert.ok) {
      return {
        kind: 'refuse',
        reason: text(
          `listener ${listener.name} not programmed (${cert.reason})`,
          `监听器 ${listener.name} 未处于 Programmed 状态（${cert.reason}）`,
        ),
        lookups: [...picked.lookups, ...cert.lookups],
        explain: text(
          `SNI "${req.sni}" selects listener "${listener.name}", but its certificateRefs do not resolve: ${cert.message.en}. The Gateway reports the listener with ResolvedRefs False (reason ${cert.reason}) and not Programmed, so Envoy has no certificate to offer for it: the TLS handshake fails and the connection is closed before any HTTP is read.`,
          `SNI “${req.sni}” 选中监听器 “${listener.name}”，但它的 certificateRefs 无法解析：${cert.message['zh-CN']}。Gateway 把该监听器报告为 ResolvedRefs False（原因 ${cert.reason}）且未处于 Programmed 状态，所以 Envoy 没有可出示的证书：TLS 握手失败，连接在读到任何 HTTP 之前就被关闭。`,
        ),
      }
    }
    steps.push({
      action: 'tls-terminate',
      lookups: picked.lookups,
      explain: text(
        `The TLS handshake ends in Envoy: SNI "${req.sni}" selects listener "${listener.name}" (HTTPS, tls.mode Terminate), whose certificateRef ${picked.certificate ? `is Secret ${picked.certificate}` : 'is missing'}. Envoy decrypts and reads ${req.method} ${req.path}; onwards the request is plain HTTP.`,
        `TLS 握手在 Envoy 中结束：SNI “${req.sni}” 选中监听器 “${listener.name}”（HTTPS，tls.mode 为 Terminate），其 certificateRef ${picked.certificate ? `是 Secret ${picked.certificate}` : '缺失'}。Envoy 解密后读到 ${req.method} ${req.path}；此后请求以明文 HTTP 传输。`,
      ),
      app: plain,
    })
  }
  const { statuses, attachments } = attachRoutes(w)
  const mine = statuses.filter((s) => s.gateway === gw)
  const detached = mine.filter((s) => s.listeners.length === 0)
  const r = routeHttpRequest(w, attachments, listener, req, a.walker.rng)
  const roles = text(
    `Three roles meet here: GatewayClass "${cls.name}" (infrastructure provider) says Envoy Gateway (${cls.controllerName}) implements it; Gateway ${gwName} (cluster operator) opens listener "${listener.name}" on port ${listener.port}; the HTTPRoutes (application developers) attach to it.`,
    `这里汇集了三种角色：GatewayClass “${cls.name}”（基础设施提供者）声明由 Envoy Gateway（${cls.controllerName}）实现；Gateway ${gwName}（集群运维者）在端口 ${listener.port} 上开放监听器 “${listener.name}”；HTTPRoute（应用开发者）挂到它上面。`,
  )
  const notAttached =
    detached.length > 0
      ? text(
          ` Not attached: ${detached.map((d) => `HTTPRoute ${d.route.namespace}/${d.route.name} (${d.conditions[0]?.reason ?? 'no status'}: ${d.explain.en})`).join('; ')}, so its rules are not in Envoy's configuration.`,
          `未挂上：${detached.map((d) => `HTTPRoute ${d.route.namespace}/${d.route.name}（${d.conditions[0]?.reason ?? '无状态'}：${d.explain['zh-CN']}）`).join('；')}，所以它的规则不在 Envoy 的配置中。`,
        )
      : { en: '', 'zh-CN': '' }
  const shares: Lookup[] = r.shares.map((s) => ({
    table: 'backendRefs (weight)',
    rule: `${s.ref.name}:${s.ref.port ?? ''}  weight ${s.weight}  share ${Math.round(s.share * 1000) / 10}%`,
    matched: r.outcome.kind === 'backend' && r.outcome.ref === s.ref,
  }))
  const filters = r.filters.length
    ? text(
        ` Filters: ${r.filters.map((f) => f.en).join('; ')}.`,
        `过滤器：${r.filters.map((f) => f['zh-CN']).join('；')}。`,
      )
    : { en: '', 'zh-CN': '' }
  steps.push({
    action: 'l7-route',
    lookups: [...mine.map(statusLine), ...r.lookups, ...shares],
    explain: text(
      `${roles.en} ${cap(picked.reason.en)}. ${dot(cap(r.reason.en))}${filters.en}${notAttached.en}`,
      `${roles['zh-CN']}${picked.reason['zh-CN']}。${r.reason['zh-CN'].replace(/[。.]?$/, '。')}${filters['zh-CN']}${notAttached['zh-CN']}`,
    ),
  })
  const out = r.outcome
  if (out.kind === 'not-found')
    return {
      kind: 'answer',
      status: 404,
      steps,
      why: text(
        'no rule of a route attached to this listener matches the request',
        '挂在这个监听器上的路由没有一条规则匹配这个请求',
      ),
    }
  if (out.kind === 'error')
    return {
      kind: 'answer',
      status: out.status,
      steps,
      why: text(
        'the matching rule has no backend that can be used, and the Gateway API says such requests get 500',
        '匹配的规则没有可用的后端，Gateway API 规定这样的请求得到 500',
      ),
    }
  if (out.kind === 'redirect')
    return { kind: 'answer', status: out.status, steps, headers: { Location: out.location } }
  const svc = c.services.find(
    (s) => s.namespace === out.target.namespace && s.name === out.target.service,
  )
  const port = svc?.ports.find((p) => out.target.port === null || p.port === out.target.port)
  const ready = port?.endpoints.filter((e) => e.ready) ?? []
  if (!svc || !port || ready.length === 0) {
    return { kind: 'answer', status: 503, steps }
  }
  const chosen = ready[a.walker.rng.int(0, ready.length - 1)]!
  const ip = formatIp(chosen.ip)
  const headers = {
    ...r.request.headers,
    'X-Forwarded-For': a.client.ip,
    'X-Forwarded-Proto': req.scheme,
    'X-Request-Id': requestId(a),
  }
  const sent: HttpApp = {
    ...plain,
    host: r.request.host,
    path: r.request.path,
    headers,
  }
  const key = `${svc.namespace}/${svc.name}`
  const why: Text = text(
    `Envoy sends to an endpoint of Service ${key} directly (Envoy Gateway gives it the EndpointSlices): ${ip}:${chosen.port}${chosen.pod ? ` (${chosen.pod})` : ''}, one of ${ready.length} ready. It adds X-Forwarded-For ${a.client.ip} (the address it saw), X-Forwarded-Proto and X-Request-Id.`,
    `Envoy 直接发往 Service ${key} 的一个端点（Envoy Gateway 把 EndpointSlice 交给它）：${ip}:${chosen.port}${chosen.pod ? `（${chosen.pod}）` : ''}，是 ${ready.length} 个就绪端点之一。它添加 X-Forwarded-For ${a.client.ip}（它看到的地址）、X-Forwarded-Proto 和 X-Request-Id。`,
  )
  return {
    kind: 'upstream',
    ip,
    port: chosen.port,
    pod: chosen.pod,
    steps,
    lookups: port.endpoints.map((e) => ({
      table: `endpoints of ${key}`,
      rule: `${formatIp(e.ip)}:${e.port}${e.pod ? `  ${e.pod}` : ''}`,
      matched: e === chosen,
    })),
    explain: why,
    app: sent,
  }
}

function dot(s: string): string {
  return /[.]$/.test(s) ? s : `${s}.`
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** Envoy's x-request-id: a random UUID (version 4), drawn from the trace's seed. */
function requestId(a: Accepted): string {
  const h = (n: number) =>
    Array.from({ length: n }, () => a.walker.rng.int(0, 15).toString(16)).join('')
  return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[a.walker.rng.int(0, 3)]}${h(3)}-${h(12)}`
}
