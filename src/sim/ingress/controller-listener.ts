/**
 * An Ingress controller as a proxy process in the packet walk. The controller runs in its own
 * Pods; PodPath recognises them by their image and learns which IngressClasses they serve from
 * the IngressClass `spec.controller` value each project really uses (KNOWN_CONTROLLERS). On its
 * plain-HTTP and TLS ports it ends the client's connection, terminates TLS where a `tls` entry
 * names the host, routes by host and path, and opens a new connection to an endpoint Pod (or,
 * with ingress-nginx's service-upstream annotation, to the Service's ClusterIP).
 *
 * Each controller routes by its own semantics and shows the configuration it generates:
 * ingress-nginx (../l7/ingress-nginx.ts; the headers it sets are those of
 * rootfs/etc/nginx/template/nginx.tmpl with the default configuration, use-forwarded-headers
 * false; the Lua balancer's default algorithm is round_robin, rootfs/etc/nginx/lua/balancer.lua),
 * Traefik (../l7/traefik.ts: routers by priority, services with their servers) and HAProxy
 * (../l7/haproxy.ts: map files, frontend rules, backends with their server slots).
 */
import { haproxyConfig, haproxyRoute } from '../l7/haproxy.ts'
import { traefikConfig, traefikRoute } from '../l7/traefik.ts'
import { formatIp } from '../../model/ipv4.ts'
import type { IngressDecl } from '../../model/l7-decls.ts'
import { text, type Text } from '../../model/text.ts'
import type { HttpApp, Lookup } from '../../model/trace.ts'
import type { BuiltPod, Cluster } from '../cluster.ts'
import {
  KNOWN_CONTROLLERS,
  classesOfController,
  ingressRuleLine,
  ingressTlsFor,
  ingressesOfClass,
  type IngressServiceTarget,
} from '../l7/ingress-match.ts'
import { ingressNginxRoute, ingressNginxServers, nginxConfLines } from '../l7/ingress-nginx.ts'
import { httpRequest, type HttpRequest } from '../l7/request.ts'
import { checkTlsSecret, DEFAULT_CERTIFICATE } from '../l7/tls-secret.ts'
import type { Rng } from '../rng.ts'
import type {
  Accepted,
  ListenerSource,
  ProxyListener,
  ProxyStep,
  UpstreamChoice,
} from '../walk/api.ts'

export type IngressControllerKind = keyof typeof KNOWN_CONTROLLERS

/** How PodPath recognises each controller's Pods: the image of its container. */
const IMAGES: Record<IngressControllerKind, RegExp> = {
  // registry.k8s.io/ingress-nginx/controller (ingress-nginx deploy.yaml)
  'ingress-nginx': /(^|\/)ingress-nginx\/controller(:|@|$)/,
  // traefik (Docker Hub's official image, used by the Traefik Helm chart)
  traefik: /(^|\/)traefik(:|@|$)/,
  // haproxytech/kubernetes-ingress
  haproxy: /(^|\/)haproxytech\/kubernetes-ingress(:|@|$)/,
}

const NAMES: Record<IngressControllerKind, string> = {
  'ingress-nginx': 'ingress-nginx',
  traefik: 'Traefik',
  haproxy: 'HAProxy',
}

/** The controller a Pod runs, and the container it runs in. */
export function ingressControllerOf(
  pod: BuiltPod,
): { kind: IngressControllerKind; container: string } | null {
  for (const c of pod.containers) {
    for (const kind of Object.keys(IMAGES) as IngressControllerKind[]) {
      if (IMAGES[kind].test(c.image)) return { kind, container: c.name }
    }
  }
  return null
}

/** The Ingresses one controller serves: those of every class naming its controller value. */
export function ingressesOf(c: Cluster, kind: IngressControllerKind): IngressDecl[] {
  const { ingresses, ingressClasses } = c.l7
  const out: IngressDecl[] = []
  for (const cls of classesOfController(ingressClasses, KNOWN_CONTROLLERS[kind]))
    for (const i of ingressesOfClass(ingresses, ingressClasses, cls))
      if (!out.includes(i)) out.push(i)
  return out
}

// Container port names: ingress-nginx http/https; the Traefik chart web/websecure.
const PLAIN = new Set(['http', 'web'])
const SECURE = new Set(['https', 'websecure'])

export const ingressListeners: ListenerSource = (c, ns) => {
  if (ns.kind !== 'pod' || !ns.pod) return []
  const pod = c.podByKey.get(ns.pod)
  const ctrl = pod ? ingressControllerOf(pod) : null
  if (!pod || !ctrl) return []
  const container = pod.containers.find((x) => x.name === ctrl.container)!
  const out: ProxyListener[] = []
  for (const p of container.ports) {
    if (p.protocol !== 'TCP') continue
    const secure = SECURE.has(p.name ?? '') || (!p.name && p.containerPort === 443)
    const plain = PLAIN.has(p.name ?? '') || (!p.name && p.containerPort === 80)
    if (!secure && !plain) continue
    out.push({
      component: ctrl.kind,
      proto: 'tcp',
      port: p.containerPort,
      container: ctrl.container,
      role: text(
        `${NAMES[ctrl.kind]}'s ${secure ? 'HTTPS' : 'HTTP'} listener`,
        `${NAMES[ctrl.kind]} 的 ${secure ? 'HTTPS' : 'HTTP'} 监听端口`,
      ),
      choose: (a) => chooseUpstream(c, ctrl.kind, secure, a),
      cost: text(
        'Every request costs a second TCP connection (kept alive and reused by real controllers) and a pass through user space.',
        '每个请求都要多一个 TCP 连接（真实的控制器会保持并复用它），并经过一次用户态。',
      ),
    })
  }
  return out
}

function requestOf(a: Accepted, secure: boolean): HttpRequest | null {
  const app = a.app
  if (!app || app.protocol !== 'http' || app.kind !== 'request') return null
  return httpRequest({
    host: app.host ?? a.local.ip,
    path: app.path ?? '/',
    method: app.method ?? 'GET',
    headers: app.headers ?? {},
    scheme: secure ? 'https' : 'http',
    sni: secure ? (app.tls?.sni ?? app.host ?? null) : null,
    port: a.local.port,
  })
}

/** A random request id as nginx's $request_id makes it: 16 random bytes in hex. */
function requestId(rng: Rng): string {
  let s = ''
  for (let i = 0; i < 16; i++) s += rng.int(0, 255).toString(16).padStart(2, '0')
  return s
}

function chooseUpstream(
  c: Cluster,
  kind: IngressControllerKind,
  secure: boolean,
  a: Accepted,
): UpstreamChoice {
  const name = NAMES[kind]
  const req = requestOf(a, secure)
  if (!req) {
    return {
      kind: 'refuse',
      reason: text(`${name} expects HTTP`, `${name} 需要 HTTP`),
      lookups: [],
      explain: text(
        `${name} speaks HTTP on this port, and what arrived is not an HTTP request, so it closes the connection.`,
        `${name} 在这个端口上说的是 HTTP，而到达的并不是 HTTP 请求，所以它关闭了连接。`,
      ),
    }
  }
  const ings = ingressesOf(c, kind)
  const steps: ProxyStep[] = []
  const app = a.app as HttpApp
  if (secure) {
    const tls = ingressTlsFor(ings, req.sni ?? req.host)
    const check =
      tls.ingress && tls.tls?.secretName
        ? checkTlsSecret(c.l7.secrets, tls.ingress.namespace, tls.tls.secretName)
        : null
    const usable = tls.secret !== null && check !== null && check.problem === null
    const fallback = DEFAULT_CERTIFICATE[kind]
    const fallbackEn = fallback
      ? `its default certificate "${fallback}"`
      : 'its default certificate'
    const fallbackZh = fallback ? `它的默认证书 “${fallback}”` : '它的默认证书'
    const badEn = check?.problem
      ? ` But ${check.problem.en}, so ${name} cannot load it (its log says so) and presents ${fallbackEn} instead.`
      : ''
    const badZh = check?.problem
      ? `但是${check.problem['zh-CN']}，所以 ${name} 无法加载它（日志中会报错），改为出示${fallbackZh}。`
      : ''
    steps.push({
      action: 'tls-terminate',
      lookups: check ? [...tls.lookups, check.lookup] : tls.lookups,
      explain: text(
        `The TLS handshake ends here, in ${name}: the ClientHello carries SNI "${req.sni}". ${cap(tls.reason.en)}.${badEn} ${usable ? '' : 'A browser would warn; PodPath carries on as "curl -k" would. '}After the handshake ${name} decrypts the request and sees it as plain HTTP: ${req.method} ${req.path}, Host ${req.host}. From here on, inside the cluster, it travels unencrypted.`,
        `TLS 握手在 ${name} 这里结束：ClientHello 中的 SNI 是 “${req.sni}”。${tls.reason['zh-CN']}。${badZh}${usable ? '' : '浏览器会发出警告；PodPath 像 “curl -k” 一样继续。'}握手之后 ${name} 解密请求，看到的是明文 HTTP：${req.method} ${req.path}，Host 为 ${req.host}。从这里开始，在集群内部它以明文传输。`,
      ),
      app: stripTls(app),
    })
  }
  const ports = text(
    `${secure ? 'HTTPS' : 'HTTP'} port ${a.local.port}`,
    `${secure ? 'HTTPS' : 'HTTP'} 端口 ${a.local.port}`,
  )
  if (kind === 'ingress-nginx') return nginxChoice(c, req, a, app, steps, ings, ports)
  if (kind === 'traefik') return traefikChoice(c, req, a, app, steps, ings, ports)
  return haproxyChoice(c, req, a, app, steps, ings, ports)
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function nginxChoice(
  c: Cluster,
  req: HttpRequest,
  a: Accepted,
  app: HttpApp,
  steps: ProxyStep[],
  ings: IngressDecl[],
  ports: Text,
): UpstreamChoice {
  const servers = ingressNginxServers(ings)
  const route = ingressNginxRoute(servers, req)
  const src = route.location.source
  const def = route.location.defaultOf
  const ruleLookups: Lookup[] = src
    ? [
        {
          table: `Ingress ${src.ingress.namespace}/${src.ingress.name}`,
          rule: ingressRuleLine(src.rule, src.path),
          matched: true,
        },
      ]
    : def
      ? [
          {
            table: `Ingress ${def.namespace}/${def.name}`,
            rule: `defaultBackend: -> ${def.defaultBackend?.service?.name}:${def.defaultBackend?.service?.port}`,
            matched: true,
          },
        ]
      : []
  const conf = nginxConfLines(servers).length
  steps.push({
    action: 'l7-route',
    lookups: [...route.lookups, ...ruleLookups],
    explain: text(
      `ingress-nginx turned the ${ings.length} Ingress${ings.length === 1 ? '' : 'es'} of its class into ${servers.length} nginx server block${servers.length === 1 ? '' : 's'} (${conf} lines of nginx.conf that route). The request came in on its ${ports.en}; ${route.reason.en}${src ? ` That location was generated from the Ingress rule "${ingressRuleLine(src.rule, src.path)}".` : ''}`,
      `ingress-nginx 把其类下的 ${ings.length} 个 Ingress 变成了 ${servers.length} 个 nginx server 块（nginx.conf 中负责路由的 ${conf} 行）。请求从它的 ${ports['zh-CN']} 进来；${route.reason['zh-CN']}${src ? `这个 location 由 Ingress 规则 “${ingressRuleLine(src.rule, src.path)}” 生成。` : ''}`,
    ),
  })
  if (route.redirect) {
    return {
      kind: 'answer',
      status: route.redirect.status,
      steps,
      headers: { Location: route.redirect.location },
    }
  }
  if (route.status === 404) return { kind: 'answer', status: 404, steps }
  const backend = src?.path.backend.service ?? def?.defaultBackend?.service ?? null
  const ing = src?.ingress ?? def!
  const target: IngressServiceTarget | null = backend
    ? { namespace: ing.namespace, service: backend.name, port: backend.port }
    : null
  const serviceUpstream =
    ing.annotations?.['nginx.ingress.kubernetes.io/service-upstream'] === 'true'
  const headers = {
    ...app.headers,
    Host: req.host,
    'X-Request-ID': requestId(a.walker.rng),
    'X-Real-IP': a.client.ip,
    'X-Forwarded-For': a.client.ip,
    'X-Forwarded-Host': req.host,
    'X-Forwarded-Port': String(req.scheme === 'https' ? 443 : 80),
    'X-Forwarded-Proto': req.scheme,
    'X-Forwarded-Scheme': req.scheme,
    'X-Scheme': req.scheme,
  }
  return pickBackend(
    c,
    'ingress-nginx',
    target,
    route.location.upstream,
    serviceUpstream,
    a,
    {
      ...stripTls(app),
      headers,
    },
    steps,
  )
}

/** The Service the controller reads endpoints from, as its lookups need it. */
function serviceSource(c: Cluster) {
  return (ns: string, name: string) =>
    c.services.find((s) => s.namespace === ns && s.name === name) ?? null
}

/** Headers Traefik adds (Traefik docs, "Headers": X-Forwarded-* and X-Real-Ip). */
function traefikHeaders(app: HttpApp, req: HttpRequest, a: Accepted): Record<string, string> {
  return {
    ...app.headers,
    'X-Forwarded-For': a.client.ip,
    'X-Forwarded-Host': req.host,
    'X-Forwarded-Port': String(req.scheme === 'https' ? 443 : 80),
    'X-Forwarded-Proto': req.scheme,
    'X-Real-Ip': a.client.ip,
  }
}

function traefikChoice(
  c: Cluster,
  req: HttpRequest,
  a: Accepted,
  app: HttpApp,
  steps: ProxyStep[],
  ings: IngressDecl[],
  ports: Text,
): UpstreamChoice {
  const config = traefikConfig(ings, serviceSource(c))
  const route = traefikRoute(config, req)
  steps.push({
    action: 'l7-route',
    lookups: route.lookups,
    explain: text(
      `Traefik's kubernetesIngress provider turned the ${ings.length} Ingress${ings.length === 1 ? '' : 'es'} of its class into ${config.routers.length} router${config.routers.length === 1 ? '' : 's'} and ${config.services.length} service${config.services.length === 1 ? '' : 's'} (the lookups list them as its API shows them: each router's rule and priority, each service's servers, built from the EndpointSlices). The request came in on its ${ports.en}. ${cap(route.reason.en)}.`,
      `Traefik 的 kubernetesIngress provider 把其类下的 ${ings.length} 个 Ingress 变成了 ${config.routers.length} 个路由器（router）和 ${config.services.length} 个服务（service）（查找项按其 API 的样子列出：每个路由器的规则和优先级，每个服务由 EndpointSlice 生成的服务器）。请求从它的 ${ports['zh-CN']} 进来。${route.reason['zh-CN']}。`,
    ),
  })
  if (!route.router || !route.service) return { kind: 'answer', status: 404, steps }
  const svc = route.service
  const live = svc.servers.filter((s) => !s.fenced)
  const pool = live.length > 0 ? live : svc.servers
  const chosen = pool[a.walker.rng.int(0, pool.length - 1)]!
  const headers = traefikHeaders(app, req, a)
  return {
    kind: 'upstream',
    ip: chosen.ip,
    port: chosen.port,
    pod: chosen.pod,
    steps,
    lookups: svc.servers.map((s) => ({
      table: `Traefik service ${svc.name} (weighted round robin)`,
      rule: `${s.url}${s.pod ? `  ${s.pod}` : ''}${s.fenced ? '  (fenced: terminating)' : ''}`,
      matched: s === chosen,
    })),
    explain: text(
      `Router ${route.router.name} hands the request to service ${svc.name}, whose load balancer lists ${svc.servers.length} server${svc.servers.length === 1 ? '' : 's'} taken from the EndpointSlices of Service ${svc.namespace}/${svc.service}: Traefik connects to a Pod IP itself, not to the ClusterIP, so kube-proxy has nothing to do on this hop. Its weighted round robin (every weight 1) takes ${chosen.url}${chosen.pod ? ` (${chosen.pod})` : ''}; PodPath draws this request's turn from the seed. The request goes on with X-Forwarded-For and X-Real-Ip set to ${a.client.ip}, the client address Traefik saw, because the Pod will only see Traefik's own address.`,
      `路由器 “${route.router.name}” 把请求交给服务 “${svc.name}”，它的负载均衡器列出了 ${svc.servers.length} 个服务器，取自 Service ${svc.namespace}/${svc.service} 的 EndpointSlice：Traefik 自己连接 Pod IP，而不是 ClusterIP，所以这一跳 kube-proxy 无事可做。它的加权轮询（权重都是 1）选中 ${chosen.url}${chosen.pod ? `（${chosen.pod}）` : ''}；PodPath 用种子决定这一次轮到谁。请求继续前进，X-Forwarded-For 和 X-Real-Ip 设为 Traefik 看到的客户端地址 ${a.client.ip}，因为 Pod 只会看到 Traefik 自己的地址。`,
    ),
    app: { ...stripTls(app), headers },
  }
}

function haproxyChoice(
  c: Cluster,
  req: HttpRequest,
  a: Accepted,
  app: HttpApp,
  steps: ProxyStep[],
  ings: IngressDecl[],
  ports: Text,
): UpstreamChoice {
  const config = haproxyConfig(ings, serviceSource(c))
  const route = haproxyRoute(config, req)
  const rows = Object.values(config.maps).reduce((n, m) => n + m.length, 0)
  steps.push({
    action: 'l7-route',
    lookups: route.lookups,
    explain: text(
      `HAProxy's controller wrote the ${ings.length} Ingress${ings.length === 1 ? '' : 'es'} of its class into ${rows} map file line${rows === 1 ? '' : 's'} (host.map and the three path maps in /etc/haproxy/maps) and ${config.backends.length} backend${config.backends.length === 1 ? '' : 's'}; the frontend's rules look the request up in those maps. It came in on the ${ports.en}: ${route.reason.en}.`,
      `HAProxy 的控制器把其类下的 ${ings.length} 个 Ingress 写成了 ${rows} 行映射文件（/etc/haproxy/maps 中的 host.map 和三个路径映射）以及 ${config.backends.length} 个 backend；frontend 的规则在这些映射中查找请求。它从 ${ports['zh-CN']} 进来：${route.reason['zh-CN']}。`,
    ),
  })
  const b = route.backend
  if (!b) return { kind: 'answer', status: 404, steps }
  const on = b.servers.filter((s) => s.enabled)
  const lookups: Lookup[] = b.servers.map((s) => ({
    table: `haproxy.cfg backend ${b.name} (balance roundrobin)`,
    rule: `server ${s.name} ${s.address}:${s.port} ${s.enabled ? 'enabled' : 'disabled'}`,
    matched: false,
  }))
  if (on.length === 0) {
    steps.push({
      action: 'l7-route',
      lookups,
      explain: text(
        `Backend ${b.name} has only disabled server slots (Service ${b.namespace}/${b.service} has no ready endpoint), so HAProxy answers 503 Service Unavailable itself.`,
        `backend “${b.name}” 只有被禁用的服务器槽位（Service ${b.namespace}/${b.service} 没有就绪的端点），所以 HAProxy 自己返回 503 Service Unavailable。`,
      ),
    })
    return { kind: 'answer', status: 503, steps }
  }
  const chosen = on[a.walker.rng.int(0, on.length - 1)]!
  lookups[b.servers.indexOf(chosen)]!.matched = true
  return {
    kind: 'upstream',
    ip: chosen.address,
    port: chosen.port,
    pod: chosen.pod,
    steps,
    lookups,
    explain: text(
      `Backend ${b.name} has ${b.servers.length} server slots, SRV_1 to SRV_${b.servers.length} (the controller adds them 42 at a time so that endpoints can change without a reload); ${on.length} hold${on.length === 1 ? 's' : ''} the ready endpoints of Service ${b.namespace}/${b.service} and the rest wait disabled at 127.0.0.1:1. Which endpoint lands in which slot follows Go map order on a real controller; PodPath fills them in EndpointSlice order. Round robin takes ${chosen.name}, ${chosen.address}:${chosen.port}${chosen.pod ? ` (${chosen.pod})` : ''}; PodPath draws this request's turn from the seed. HAProxy connects to the Pod IP itself, so kube-proxy has nothing to do on this hop, and with option forwardfor (the controller's default) it adds X-Forwarded-For: ${a.client.ip}, the client address it saw.`,
      `backend “${b.name}” 有 ${b.servers.length} 个服务器槽位，SRV_1 到 SRV_${b.servers.length}（控制器每次加 42 个，这样端点变化时不必重新加载）；其中 ${on.length} 个放着 Service ${b.namespace}/${b.service} 的就绪端点，其余的以 127.0.0.1:1 禁用待命。真实控制器中哪个端点落在哪个槽位取决于 Go map 的遍历顺序；PodPath 按 EndpointSlice 的顺序填入。轮询选中 ${chosen.name}，即 ${chosen.address}:${chosen.port}${chosen.pod ? `（${chosen.pod}）` : ''}；PodPath 用种子决定这一次轮到谁。HAProxy 自己连接 Pod IP，所以这一跳 kube-proxy 无事可做；由于启用了 option forwardfor（控制器的默认设置），它添加 X-Forwarded-For: ${a.client.ip}，即它看到的客户端地址。`,
    ),
    app: { ...stripTls(app), headers: { ...app.headers, 'X-Forwarded-For': a.client.ip } },
  }
}

function stripTls(app: HttpApp): HttpApp {
  const rest = { ...app }
  delete rest.tls
  return rest
}

/** The endpoint (or ClusterIP) the controller connects to, and the step that says why. */
function pickBackend(
  c: Cluster,
  kind: IngressControllerKind,
  target: IngressServiceTarget | null,
  upstream: string,
  serviceUpstream: boolean,
  a: Accepted,
  app: HttpApp,
  steps: ProxyStep[],
): UpstreamChoice {
  const name = NAMES[kind]
  const svc = target
    ? c.services.find((s) => s.namespace === target.namespace && s.name === target.service)
    : undefined
  const port = svc?.ports.find((p) =>
    typeof target!.port === 'number' ? p.port === target!.port : p.name === target!.port,
  )
  if (!target || !svc || !port) {
    const what = target
      ? `Service ${target.namespace}/${target.service} port ${target.port}`
      : 'a backend that is not a Service'
    steps.push({
      action: 'l7-route',
      lookups: [],
      explain: text(
        `The rule points to ${what}, which does not exist, so ${name} has no upstream server and answers 503 Service Unavailable itself.`,
        `该规则指向 ${what}，而它并不存在，所以 ${name} 没有上游服务器，自己返回 503 Service Unavailable。`,
      ),
    })
    return { kind: 'answer', status: 503, steps }
  }
  const key = `${svc.namespace}/${svc.name}`
  if (serviceUpstream && svc.clusterIP !== null) {
    const ip = formatIp(svc.clusterIP)
    return {
      kind: 'upstream',
      ip,
      port: port.port,
      pod: null,
      steps,
      lookups: [
        { table: `upstream ${upstream}`, rule: `server ${ip}:${port.port}`, matched: true },
      ],
      explain: text(
        `The Ingress has nginx.ingress.kubernetes.io/service-upstream: "true", so ${name}'s upstream is the ClusterIP ${ip}:${port.port} of Service ${key} instead of its endpoints; kube-proxy on this node will pick the Pod. It passes the request on with X-Forwarded-For and X-Real-IP set to ${a.client.ip}, the address it saw.`,
        `该 Ingress 设置了 nginx.ingress.kubernetes.io/service-upstream: "true"，所以 ${name} 的上游是 Service ${key} 的 ClusterIP ${ip}:${port.port}，而不是它的各个端点；由本节点上的 kube-proxy 来选 Pod。它转发请求时把 X-Forwarded-For 和 X-Real-IP 设为它看到的地址 ${a.client.ip}。`,
      ),
      app,
    }
  }
  const ready = port.endpoints.filter((e) => e.ready)
  const lookups: Lookup[] = port.endpoints.map((e) => ({
    table:
      kind === 'ingress-nginx'
        ? `upstream ${upstream} (Lua balancer, round_robin)`
        : `backends of ${key}`,
    rule: `${formatIp(e.ip)}:${e.port}${e.pod ? `  ${e.pod}` : ''}${e.ready ? '' : '  (not ready)'}`,
    matched: false,
  }))
  if (ready.length === 0) {
    steps.push({
      action: 'l7-route',
      lookups,
      explain: text(
        `Service ${key} has no ready endpoint, so ${name}'s upstream is empty and it answers 503 Service Unavailable itself.`,
        `Service ${key} 没有就绪的端点，所以 ${name} 的上游为空，它自己返回 503 Service Unavailable。`,
      ),
    })
    return { kind: 'answer', status: 503, steps }
  }
  const chosen = ready[a.walker.rng.int(0, ready.length - 1)]!
  lookups[port.endpoints.indexOf(chosen)]!.matched = true
  const ip = formatIp(chosen.ip)
  const hdr = Object.keys(app.headers ?? {}).filter((h) => h.startsWith('X-'))
  const viaEn: Text =
    kind === 'ingress-nginx'
      ? text(
          `ingress-nginx does not go through the ClusterIP: its Lua balancer keeps the endpoint list of Service ${key} (from its EndpointSlices) and connects to a Pod IP directly, so kube-proxy has nothing to do on this hop. With ${ready.length} ready endpoint${ready.length === 1 ? '' : 's'} its round robin takes ${ip}:${chosen.port}${chosen.pod ? ` (${chosen.pod})` : ''}; a real controller cycles through them request after request, PodPath draws this one request's turn from the seed.`,
          `ingress-nginx 不经过 ClusterIP：它的 Lua 负载均衡器保存着 Service ${key} 的端点列表（来自 EndpointSlice），直接连接 Pod IP，所以这一跳 kube-proxy 无事可做。${ready.length} 个就绪端点中，轮询选中 ${ip}:${chosen.port}${chosen.pod ? `（${chosen.pod}）` : ''}；真实的控制器按请求依次轮转，PodPath 用种子决定这一次轮到谁。`,
        )
      : text(
          `${name} connects to a Pod of Service ${key} directly (it watches the endpoints): it takes ${ip}:${chosen.port}${chosen.pod ? ` (${chosen.pod})` : ''} of ${ready.length} ready endpoint${ready.length === 1 ? '' : 's'}.`,
          `${name} 直接连接 Service ${key} 的 Pod（它监视端点）：在 ${ready.length} 个就绪端点中选了 ${ip}:${chosen.port}${chosen.pod ? `（${chosen.pod}）` : ''}。`,
        )
  return {
    kind: 'upstream',
    ip,
    port: chosen.port,
    pod: chosen.pod,
    steps,
    lookups,
    explain: text(
      `${viaEn.en} The request goes on with the headers ${name} adds (${hdr.join(', ')}): X-Forwarded-For carries ${a.client.ip}, the client address ${name} saw, because the Pod will only see ${name}'s own address.`,
      `${viaEn['zh-CN']}请求带着 ${name} 添加的头部（${hdr.join('、')}）继续前进：X-Forwarded-For 中是 ${name} 看到的客户端地址 ${a.client.ip}，因为 Pod 只会看到 ${name} 自己的地址。`,
    ),
    app,
  }
}
