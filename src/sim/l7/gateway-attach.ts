/**
 * Which HTTPRoutes attach to which Gateway listeners, and the status conditions a Gateway
 * controller writes when they do not (kubernetes-sigs/gateway-api apis/v1/shared_types.go
 * RouteConditionReason; ParentReference.sectionName and port; gateway_types.go AllowedRoutes;
 * httproute_types.go HTTPRouteSpec.Hostnames). Pure: the same objects give the same answer.
 */
import { text, type Text } from '../../model/text.ts'
import type {
  BackendRefDecl,
  GatewayClassDecl,
  GatewayDecl,
  HttpRouteDecl,
  LabelSelectorDecl,
  ListenerDecl,
  ParentRefDecl,
  ReferenceGrantDecl,
} from '../../model/l7-decls.ts'
import { GATEWAY_GROUP } from '../../model/parse-gateway.ts'
import { gatewayHostMatches } from './request.ts'

/** The objects attachment depends on. `services` (`namespace/name`) null: existence not checked. */
export interface GatewayWorld {
  gatewayClasses: GatewayClassDecl[]
  gateways: GatewayDecl[]
  httpRoutes: HttpRouteDecl[]
  referenceGrants: ReferenceGrantDecl[]
  services: ReadonlySet<string> | null
  /** Labels of namespaces, for `allowedRoutes.namespaces.from: Selector`. */
  namespaceLabels: Record<string, Record<string, string>>
}

export type AcceptedReason =
  'Accepted' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname' | 'NoMatchingParent'
export type ResolvedRefsReason =
  'ResolvedRefs' | 'RefNotPermitted' | 'InvalidKind' | 'BackendNotFound'

export interface RouteCondition {
  type: 'Accepted' | 'ResolvedRefs'
  status: 'True' | 'False'
  reason: AcceptedReason | ResolvedRefsReason
  message: Text
}

/** One entry of `status.parents`: what the Gateway's controller says about one parentRef. */
export interface RouteParentStatus {
  route: HttpRouteDecl
  parentRef: ParentRefDecl
  gateway: GatewayDecl | null
  /** The controller that writes this status; null when no controller owns the parent. */
  controllerName: string | null
  /** Empty when no controller owns the parent: then nobody writes a status at all. */
  conditions: RouteCondition[]
  /** The listeners the route attached to (empty unless Accepted). */
  listeners: ListenerDecl[]
  explain: Text
}

/** A route attached to one listener, with the hostnames it serves there (empty: every host). */
export interface Attachment {
  route: HttpRouteDecl
  gateway: GatewayDecl
  listener: ListenerDecl
  hostnames: string[]
}

export interface AttachResult {
  statuses: RouteParentStatus[]
  attachments: Attachment[]
}

/**
 * Namespace labels as the API server keeps them: it always sets `kubernetes.io/metadata.name`
 * to the namespace's name (Kubernetes docs, "Well-Known Labels, Annotations and Taints").
 */
function labelsOf(world: GatewayWorld, ns: string): Record<string, string> {
  return { ...(world.namespaceLabels[ns] ?? {}), 'kubernetes.io/metadata.name': ns }
}

export function selectorMatches(sel: LabelSelectorDecl, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false
  for (const e of sel.matchExpressions) {
    const has = e.key in labels
    const v = labels[e.key]
    if (e.operator === 'Exists' && !has) return false
    if (e.operator === 'DoesNotExist' && has) return false
    if (e.operator === 'In' && (!has || !e.values.includes(v!))) return false
    if (e.operator === 'NotIn' && has && e.values.includes(v!)) return false
  }
  return true
}

/**
 * Whether a listener takes HTTPRoutes: only HTTP and HTTPS listeners carry them, and a non-empty
 * `allowedRoutes.kinds` must list HTTPRoute (AllowedRoutes.Kinds: kinds must fit the protocol).
 */
function kindAllowed(l: ListenerDecl): boolean {
  if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') return false
  if (l.allowedRoutes.kinds.length === 0) return true
  return l.allowedRoutes.kinds.some((k) => k.kind === 'HTTPRoute' && k.group === GATEWAY_GROUP)
}

function namespaceAllowed(
  world: GatewayWorld,
  gw: GatewayDecl,
  l: ListenerDecl,
  ns: string,
): boolean {
  const a = l.allowedRoutes
  if (a.from === 'All') return true
  if (a.from === 'Same') return ns === gw.namespace
  return a.selector !== null && selectorMatches(a.selector, labelsOf(world, ns))
}

/**
 * The hostnames a route serves on a listener: the intersection of the two lists. A listener
 * without hostname takes the route's; a route without hostnames takes the listener's; a route
 * wildcard broader than the listener's hostname narrows to the listener's.
 * Null: both set and nothing intersects.
 */
export function intersectHostnames(listener: string | null, route: string[]): string[] | null {
  if (listener === null) return [...route]
  if (route.length === 0) return [listener]
  const out: string[] = []
  for (const h of route) {
    if (gatewayHostMatches(listener, h) || listener === h) out.push(h)
    else if (h.startsWith('*.') && gatewayHostMatches(h, listener)) out.push(listener)
  }
  return out.length > 0 ? [...new Set(out)] : null
}

function accepted(reason: AcceptedReason, message: Text): RouteCondition {
  return { type: 'Accepted', status: reason === 'Accepted' ? 'True' : 'False', reason, message }
}

/** Why one backendRef cannot be used, as a ResolvedRefs reason, or null when it is fine. */
export function backendRefProblem(
  world: GatewayWorld,
  route: HttpRouteDecl,
  ref: BackendRefDecl,
): { reason: Exclude<ResolvedRefsReason, 'ResolvedRefs'>; message: Text } | null {
  const ns = ref.namespace ?? route.namespace
  if (ref.group !== '' || ref.kind !== 'Service') {
    return {
      reason: 'InvalidKind',
      message: text(
        `backendRef ${ref.name} is a ${ref.kind}${ref.group ? `.${ref.group}` : ''}; only core Services are supported`,
        `backendRef “${ref.name}” 的类型是 ${ref.kind}${ref.group ? `.${ref.group}` : ''}；只支持核心 API 的 Service`,
      ),
    }
  }
  if (ns !== route.namespace && !granted(world, route, ns, ref.name)) {
    return {
      reason: 'RefNotPermitted',
      message: text(
        `backendRef to Service ${ns}/${ref.name} crosses namespaces, and no ReferenceGrant in namespace "${ns}" allows HTTPRoutes from "${route.namespace}" to refer to it`,
        `backendRef 指向另一个命名空间的 Service ${ns}/${ref.name}，而命名空间 “${ns}” 中没有 ReferenceGrant 允许来自 “${route.namespace}” 的 HTTPRoute 引用它`,
      ),
    }
  }
  if (world.services && !world.services.has(`${ns}/${ref.name}`)) {
    return {
      reason: 'BackendNotFound',
      message: text(`Service ${ns}/${ref.name} does not exist`, `Service ${ns}/${ref.name} 不存在`),
    }
  }
  return null
}

function granted(world: GatewayWorld, route: HttpRouteDecl, ns: string, name: string): boolean {
  return world.referenceGrants.some(
    (g) =>
      g.namespace === ns &&
      g.from.some(
        (f) =>
          f.group === GATEWAY_GROUP && f.kind === 'HTTPRoute' && f.namespace === route.namespace,
      ) &&
      g.to.some(
        (t) => t.group === '' && t.kind === 'Service' && (t.name === null || t.name === name),
      ),
  )
}

function resolvedRefs(world: GatewayWorld, route: HttpRouteDecl): RouteCondition {
  for (const rule of route.rules) {
    for (const ref of rule.backendRefs) {
      const p = backendRefProblem(world, route, ref)
      if (p) return { type: 'ResolvedRefs', status: 'False', reason: p.reason, message: p.message }
    }
  }
  return {
    type: 'ResolvedRefs',
    status: 'True',
    reason: 'ResolvedRefs',
    message: text('every backendRef resolves to a Service', '每个 backendRef 都解析到了 Service'),
  }
}

function parentStatus(
  world: GatewayWorld,
  route: HttpRouteDecl,
  ref: ParentRefDecl,
): RouteParentStatus {
  const base = { route, parentRef: ref, listeners: [] as ListenerDecl[] }
  const ns = ref.namespace ?? route.namespace
  if (ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') {
    return {
      ...base,
      gateway: null,
      controllerName: null,
      conditions: [],
      explain: text(
        `parentRef ${ref.kind} ${ref.name} is not a Gateway; PodPath simulates routes attached to Gateways only`,
        `parentRef ${ref.kind} “${ref.name}” 不是 Gateway；PodPath 只模拟挂到 Gateway 上的路由`,
      ),
    }
  }
  const gw = world.gateways.find((g) => g.namespace === ns && g.name === ref.name) ?? null
  const cls = gw ? world.gatewayClasses.find((c) => c.name === gw.gatewayClassName) : undefined
  if (!gw || !cls) {
    return {
      ...base,
      gateway: gw,
      controllerName: null,
      conditions: [],
      explain: gw
        ? text(
            `Gateway ${ns}/${ref.name} names GatewayClass "${gw.gatewayClassName}", which does not exist, so no controller serves it and nobody writes this route's status`,
            `Gateway ${ns}/${ref.name} 指定的 GatewayClass “${gw.gatewayClassName}” 不存在，因此没有控制器处理它，也没有人写这个路由的状态`,
          )
        : text(
            `there is no Gateway ${ns}/${ref.name}, so no controller picks this parentRef up and nobody writes its status`,
            `不存在 Gateway ${ns}/${ref.name}，因此没有控制器接管这个 parentRef，也没有人写它的状态`,
          ),
    }
  }
  const withGw = { ...base, gateway: gw, controllerName: cls.controllerName }
  const refs = resolvedRefs(world, route)
  const done = (c: RouteCondition, listeners: ListenerDecl[] = []): RouteParentStatus => ({
    ...withGw,
    listeners,
    conditions: [c, refs],
    explain: c.message,
  })
  // 1. sectionName and port pick listeners (ParentReference.sectionName, .port).
  const named = gw.listeners.filter(
    (l) =>
      (ref.sectionName === null || l.name === ref.sectionName) &&
      (ref.port === null || l.port === ref.port),
  )
  const want = [
    ref.sectionName !== null ? `named "${ref.sectionName}"` : '',
    ref.port !== null ? `on port ${ref.port}` : '',
  ]
    .filter(Boolean)
    .join(' ')
  const wantZh = [
    ref.sectionName !== null ? `名为 “${ref.sectionName}”` : '',
    ref.port !== null ? `端口为 ${ref.port}` : '',
  ]
    .filter(Boolean)
    .join('、')
  if (named.length === 0) {
    return done(
      accepted(
        'NoMatchingParent',
        text(
          `Gateway ${gw.namespace}/${gw.name} has no listener ${want}`,
          `Gateway ${gw.namespace}/${gw.name} 没有${wantZh}的监听器`,
        ),
      ),
    )
  }
  // 2. allowedRoutes: the route's namespace and kind must be allowed.
  const allowed = named.filter(
    (l) => kindAllowed(l) && namespaceAllowed(world, gw, l, route.namespace),
  )
  if (allowed.length === 0) {
    const l = named[0]!
    const whyEn = !kindAllowed(l)
      ? `listener "${l.name}" (${l.protocol}) does not take HTTPRoutes`
      : l.allowedRoutes.from === 'Same'
        ? `listener "${l.name}" takes routes from its own namespace "${gw.namespace}" only (allowedRoutes.namespaces.from: Same, the default), and this route is in "${route.namespace}"`
        : `namespace "${route.namespace}" does not match the selector of listener "${l.name}" (allowedRoutes.namespaces.from: Selector)`
    const whyZh = !kindAllowed(l)
      ? `监听器 “${l.name}”（${l.protocol}）不接受 HTTPRoute`
      : l.allowedRoutes.from === 'Same'
        ? `监听器 “${l.name}” 只接受自己命名空间 “${gw.namespace}” 中的路由（allowedRoutes.namespaces.from: Same，默认值），而这个路由在 “${route.namespace}”`
        : `命名空间 “${route.namespace}” 不匹配监听器 “${l.name}” 的选择器（allowedRoutes.namespaces.from: Selector）`
    return done(accepted('NotAllowedByListeners', text(whyEn, whyZh)))
  }
  // 3. Hostnames: listener and route must intersect when both are set.
  const hosted = allowed.filter((l) => intersectHostnames(l.hostname, route.hostnames) !== null)
  if (hosted.length === 0) {
    const hosts = allowed.map((l) => l.hostname).join(', ')
    return done(
      accepted(
        'NoMatchingListenerHostname',
        text(
          `none of the route's hostnames (${route.hostnames.join(', ')}) falls under the listener hostname ${hosts}`,
          `路由的主机名（${route.hostnames.join('、')}）都不在监听器主机名 ${hosts} 之下`,
        ),
      ),
    )
  }
  return done(
    accepted(
      'Accepted',
      text(
        `attached to listener${hosted.length > 1 ? 's' : ''} ${hosted.map((l) => `"${l.name}"`).join(', ')} of Gateway ${gw.namespace}/${gw.name}`,
        `已挂到 Gateway ${gw.namespace}/${gw.name} 的监听器 ${hosted.map((l) => `“${l.name}”`).join('、')}`,
      ),
    ),
    hosted,
  )
}

/** Status of every parentRef of every HTTPRoute, and the resulting listener attachments. */
export function attachRoutes(world: GatewayWorld): AttachResult {
  const statuses: RouteParentStatus[] = []
  const attachments: Attachment[] = []
  for (const route of world.httpRoutes) {
    for (const ref of route.parentRefs) {
      const st = parentStatus(world, route, ref)
      statuses.push(st)
      for (const l of st.listeners) {
        if (attachments.some((a) => a.route === route && a.listener === l)) continue
        attachments.push({
          route,
          gateway: st.gateway!,
          listener: l,
          hostnames: intersectHostnames(l.hostname, route.hostnames)!,
        })
      }
    }
  }
  return { statuses, attachments }
}

/** The Gateways a controller serves: those whose GatewayClass names it as controllerName. */
export function gatewaysOfController(world: GatewayWorld, controllerName: string): GatewayDecl[] {
  const classes = new Set(
    world.gatewayClasses.filter((c) => c.controllerName === controllerName).map((c) => c.name),
  )
  return world.gateways.filter((g) => classes.has(g.gatewayClassName))
}

/** A GatewayWorld from a parsed scenario's lists. */
export function gatewayWorld(
  s: Pick<GatewayWorld, 'gatewayClasses' | 'gateways' | 'httpRoutes' | 'referenceGrants'> & {
    namespaceLabels?: GatewayWorld['namespaceLabels']
  },
  services: { namespace: string; name: string }[] | null = null,
  namespaceLabels: GatewayWorld['namespaceLabels'] = s.namespaceLabels ?? {},
): GatewayWorld {
  return {
    gatewayClasses: s.gatewayClasses,
    gateways: s.gateways,
    httpRoutes: s.httpRoutes,
    referenceGrants: s.referenceGrants,
    services: services ? new Set(services.map((x) => `${x.namespace}/${x.name}`)) : null,
    namespaceLabels,
  }
}
