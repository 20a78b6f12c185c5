/**
 * How an Ingress controller picks a backend for a request, as the Kubernetes Ingress docs state
 * it (kubernetes/website content/en/docs/concepts/services-networking/ingress.md): host and path
 * must both match; among matching paths the longest wins, and Exact beats Prefix on a tie; when
 * nothing matches, the default backend answers. Pure: no packets, no randomness.
 */
import type { Lookup } from '../../model/trace.ts'
import { text, type Text } from '../../model/text.ts'
import type {
  IngressBackendDecl,
  IngressClassDecl,
  IngressDecl,
  IngressPathDecl,
  IngressRuleDecl,
  IngressTlsDecl,
} from '../../model/l7-decls.ts'
import {
  bareHost,
  ingressHostMatches,
  pathOnly,
  prefixLength,
  prefixMatches,
  type HttpRequest,
} from './request.ts'

/** The deprecated class annotation (Ingress docs, "Deprecated annotation"). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class'

/**
 * `spec.controller` values of well-known controllers, from their own sources:
 * kubernetes/ingress-nginx internal/ingress/controller/ingressclass/ingressclass.go
 * (DefaultControllerName) and its chart's values.yaml; traefik pkg/provider/kubernetes/ingress
 * (traefikDefaultIngressClassController); haproxytech/kubernetes-ingress (const CONTROLLER).
 * The other HAProxy-based project, jcmoraisjr/haproxy-ingress, uses a value of its own.
 */
export const KNOWN_CONTROLLERS = {
  'ingress-nginx': 'k8s.io/ingress-nginx',
  traefik: 'traefik.io/ingress-controller',
  haproxy: 'haproxy.org/ingress-controller',
} as const

export interface IngressClassChoice {
  /** The IngressClass name the Ingress belongs to, or null when no class applies. */
  className: string | null
  via: 'ingressClassName' | 'annotation' | 'default' | 'none'
  reason: Text
}

/**
 * The class an Ingress belongs to: `spec.ingressClassName`, else the deprecated annotation,
 * else the IngressClass annotated `ingressclass.kubernetes.io/is-default-class: "true"`, which
 * the DefaultIngressClass admission plugin writes into the Ingress when it is created. With
 * several defaults it picks the newest (latest creationTimestamp, then the lowest name):
 * kubernetes/kubernetes plugin/pkg/admission/network/defaultingressclass/admission.go
 * getDefaultClass, since PR #110974 (Kubernetes 1.25; older releases refused the Ingress).
 */
export function ingressClassOf(ing: IngressDecl, classes: IngressClassDecl[]): IngressClassChoice {
  if (ing.ingressClassName) {
    return {
      className: ing.ingressClassName,
      via: 'ingressClassName',
      reason: text(
        `spec.ingressClassName names the class "${ing.ingressClassName}"`,
        `spec.ingressClassName 指定了类 “${ing.ingressClassName}”`,
      ),
    }
  }
  if (ing.classAnnotation) {
    return {
      className: ing.classAnnotation,
      via: 'annotation',
      reason: text(
        `the deprecated annotation ${INGRESS_CLASS_ANNOTATION} names the class "${ing.classAnnotation}"`,
        `已弃用的注解 ${INGRESS_CLASS_ANNOTATION} 指定了类 “${ing.classAnnotation}”`,
      ),
    }
  }
  const defaults = classes
    .filter((c) => c.isDefault)
    .sort((a, b) => {
      const ta = a.creationTimestamp ?? ''
      const tb = b.creationTimestamp ?? ''
      if (ta !== tb) return ta > tb ? -1 : 1
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    })
  const chosen = defaults[0]
  if (!chosen) {
    return {
      className: null,
      via: 'none',
      reason: text(
        'no class is named and no IngressClass is marked as the default, so no controller serves this Ingress',
        '没有指定类，也没有被标为默认的 IngressClass，因此没有控制器处理这个 Ingress',
      ),
    }
  }
  return {
    className: chosen.name,
    via: 'default',
    reason:
      defaults.length === 1
        ? text(
            `no class is named, so the admission controller assigned the default IngressClass "${chosen.name}"`,
            `没有指定类，因此准入控制器分配了默认的 IngressClass “${chosen.name}”`,
          )
        : text(
            `no class is named and ${defaults.length} IngressClasses are marked as the default; the admission controller assigned the newest, "${chosen.name}"`,
            `没有指定类，而有 ${defaults.length} 个 IngressClass 被标为默认；准入控制器分配了最新创建的 “${chosen.name}”`,
          ),
  }
}

/** The Ingresses that belong to one class, oldest first (then by namespace/name). */
export function ingressesOfClass(
  ingresses: IngressDecl[],
  classes: IngressClassDecl[],
  className: string,
): IngressDecl[] {
  return ingresses.filter((i) => ingressClassOf(i, classes).className === className).sort(byAge)
}

/** The IngressClasses a controller implements, by its `spec.controller` value. */
export function classesOfController(classes: IngressClassDecl[], controller: string): string[] {
  return classes.filter((c) => c.controller === controller).map((c) => c.name)
}

function byAge(a: IngressDecl, b: IngressDecl): number {
  const ta = a.creationTimestamp ?? ''
  const tb = b.creationTimestamp ?? ''
  if (ta !== tb) return ta < tb ? -1 : 1
  const ka = `${a.namespace}/${a.name}`
  const kb = `${b.namespace}/${b.name}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** A Service backend, resolved in the Ingress's namespace. */
export interface IngressServiceTarget {
  namespace: string
  service: string
  port: number | string
}

export type IngressMatch =
  | {
      kind: 'rule'
      ingress: IngressDecl
      rule: IngressRuleDecl
      path: IngressPathDecl
      target: IngressServiceTarget | null
    }
  | { kind: 'default-backend'; ingress: IngressDecl; target: IngressServiceTarget | null }
  | { kind: 'not-found'; status: 404 }

export interface IngressMatchResult {
  match: IngressMatch
  reason: Text
  /** Every rule tested, in the order it was considered; `matched` marks the one that won. */
  lookups: Lookup[]
}

function target(ing: IngressDecl, b: IngressBackendDecl): IngressServiceTarget | null {
  return b.service
    ? { namespace: ing.namespace, service: b.service.name, port: b.service.port }
    : null
}

/** `api-service:80`, or `StorageBucket/icons` for a resource backend. */
export function backendText(b: IngressBackendDecl): string {
  if (b.service) return `${b.service.name}:${b.service.port}`
  return `${b.resource!.kind}/${b.resource!.name}`
}

/** One rule path as a learner wrote it: `host: a.com  path: /api  pathType: Prefix  -> api:80`. */
export function ingressRuleLine(rule: IngressRuleDecl, p: IngressPathDecl): string {
  const host = rule.host ? `host: ${rule.host}  ` : ''
  const path = p.path === null ? '' : `path: ${p.path}  `
  return `${host}${path}pathType: ${p.pathType}  -> ${backendText(p.backend)}`
}

function table(ing: IngressDecl): string {
  return `Ingress ${ing.namespace}/${ing.name}`
}

/** Host specificity: an exact host beats a wildcard, which beats a rule without a host. */
function hostRank(rule: IngressRuleDecl): number {
  if (!rule.host) return 0
  return rule.host.startsWith('*.') ? 1 : 2
}

function pathMatches(p: IngressPathDecl, path: string): boolean {
  // ImplementationSpecific is up to the IngressClass; PodPath treats it as Prefix, which the
  // docs allow ("treat it identically to Prefix or Exact").
  if (p.path === null) return true
  return p.pathType === 'Exact' ? p.path === path : prefixMatches(p.path, path)
}

interface Candidate {
  ingress: IngressDecl
  rule: IngressRuleDecl
  path: IngressPathDecl
  hostRank: number
  length: number
  exact: boolean
  order: number
}

/**
 * Routes a request over all the Ingresses of one class (a controller merges them). Precedence:
 * the most specific matching host (exact, then wildcard, then no host: the docs leave this to
 * the controller, and this is how nginx `server_name` and the Gateway API rank hosts), then the
 * longest matching path, then Exact over Prefix (docs, "Multiple matches"), then the oldest
 * Ingress and the order written. No match: the oldest Ingress's `defaultBackend`, else the
 * controller answers 404 itself. This is the docs' model; `ingress-nginx.ts` is what that
 * controller really does where the docs leave room (and where it departs from them).
 */
export function matchIngress(ingresses: IngressDecl[], req: HttpRequest): IngressMatchResult {
  const sorted = [...ingresses].sort(byAge)
  const path = pathOnly(req.path)
  const host = bareHost(req.host)
  const candidates: Candidate[] = []
  const tested: { c: Candidate; ok: boolean }[] = []
  let order = 0
  for (const ing of sorted) {
    for (const rule of ing.rules) {
      const hostOk = rule.host === null || ingressHostMatches(rule.host, host)
      for (const p of rule.paths) {
        const c: Candidate = {
          ingress: ing,
          rule,
          path: p,
          hostRank: hostRank(rule),
          length:
            p.path === null ? 0 : p.pathType === 'Exact' ? p.path.length : prefixLength(p.path),
          exact: p.pathType === 'Exact',
          order: order++,
        }
        const ok = hostOk && pathMatches(p, path)
        tested.push({ c, ok })
        if (ok) candidates.push(c)
      }
    }
  }
  candidates.sort(
    (a, b) =>
      b.hostRank - a.hostRank ||
      b.length - a.length ||
      Number(b.exact) - Number(a.exact) ||
      a.order - b.order,
  )
  const win = candidates[0]
  const lookups: Lookup[] = tested.map(({ c }) => ({
    table: table(c.ingress),
    rule: ingressRuleLine(c.rule, c.path),
    matched: c === win,
  }))
  if (win) {
    const others = candidates.length - 1
    return {
      match: {
        kind: 'rule',
        ingress: win.ingress,
        rule: win.rule,
        path: win.path,
        target: target(win.ingress, win.path.backend),
      },
      reason: winReason(win, host, path, others),
      lookups,
    }
  }
  const withDefault = sorted.find((i) => i.defaultBackend !== null)
  if (withDefault) {
    const b = withDefault.defaultBackend!
    lookups.push({
      table: table(withDefault),
      rule: `defaultBackend: -> ${backendText(b)}`,
      matched: true,
    })
    return {
      match: { kind: 'default-backend', ingress: withDefault, target: target(withDefault, b) },
      reason: text(
        `no rule matches host "${host}" and path "${path}", so the defaultBackend ${backendText(b)} of Ingress ${withDefault.namespace}/${withDefault.name} answers`,
        `没有规则同时匹配主机 “${host}” 和路径 “${path}”，因此由 Ingress ${withDefault.namespace}/${withDefault.name} 的 defaultBackend ${backendText(b)} 处理`,
      ),
      lookups,
    }
  }
  return {
    match: { kind: 'not-found', status: 404 },
    reason: text(
      `no rule matches host "${host}" and path "${path}" and no Ingress sets a defaultBackend, so the controller answers 404 Not Found itself`,
      `没有规则同时匹配主机 “${host}” 和路径 “${path}”，也没有 Ingress 设置 defaultBackend，因此控制器自己返回 404 Not Found`,
    ),
    lookups,
  }
}

function winReason(win: Candidate, host: string, path: string, others: number): Text {
  const line = ingressRuleLine(win.rule, win.path)
  const hostEn = win.rule.host
    ? win.rule.host.startsWith('*.')
      ? `the wildcard host ${win.rule.host} covers "${host}" (one DNS label)`
      : `the host is exactly ${win.rule.host}`
    : 'the rule has no host, so it applies to every host'
  const hostZh = win.rule.host
    ? win.rule.host.startsWith('*.')
      ? `通配主机 “${win.rule.host}” 覆盖 “${host}”（恰好一个 DNS 标签）`
      : `主机正好是 “${win.rule.host}”`
    : '该规则没有 host，适用于所有主机'
  const pathEn =
    win.path.pathType === 'Exact'
      ? `the path is exactly ${win.path.path}`
      : `${win.path.path ?? '/'} is a prefix of "${path}", element by element`
  const pathZh =
    win.path.pathType === 'Exact'
      ? `路径正好是 “${win.path.path}”`
      : `“${win.path.path ?? '/'}” 按路径元素逐段是 “${path}” 的前缀`
  const tieEn =
    others > 0
      ? ` ${others} other path${others > 1 ? 's' : ''} also matched, but this one wins: the most specific host first, then the longest path, then Exact over Prefix.`
      : ''
  const tieZh =
    others > 0
      ? ` 另有 ${others} 条路径也匹配，但这一条胜出：先比主机的具体程度，再比路径长度，长度相同时 Exact 优先于 Prefix。`
      : ''
  return text(
    `"${line}" matches: ${hostEn}, and ${pathEn}.${tieEn}`,
    `“${line}” 匹配：${hostZh}，并且${pathZh}。${tieZh}`,
  )
}

export interface IngressTlsResult {
  /** The Ingress and `tls` entry whose certificate is presented, or null. */
  ingress: IngressDecl | null
  tls: IngressTlsDecl | null
  /** `namespace/secretName`, or null when no Ingress names a certificate for this SNI. */
  secret: string | null
  reason: Text
  lookups: Lookup[]
}

/**
 * Which certificate answers a TLS ClientHello: hosts in `spec.tls` are multiplexed on port 443
 * by SNI (Ingress docs, "TLS"). An exact host beats a wildcard, which beats an entry without
 * hosts; among equals the oldest Ingress wins.
 */
export function ingressTlsFor(ingresses: IngressDecl[], sni: string): IngressTlsResult {
  const name = bareHost(sni)
  const sorted = [...ingresses].sort(byAge)
  let best: { ing: IngressDecl; tls: IngressTlsDecl; rank: number } | null = null
  const lookups: Lookup[] = []
  const entries: { ing: IngressDecl; tls: IngressTlsDecl; rank: number }[] = []
  for (const ing of sorted) {
    for (const tls of ing.tls) {
      let rank = 0
      if (tls.hosts.length === 0) rank = 1
      for (const h of tls.hosts) {
        if (!ingressHostMatches(h, name)) continue
        rank = Math.max(rank, h.startsWith('*.') ? 2 : 3)
      }
      entries.push({ ing, tls, rank })
      if (rank > 0 && tls.secretName && (!best || rank > best.rank)) best = { ing, tls, rank }
    }
  }
  for (const e of entries) {
    lookups.push({
      table: `Ingress ${e.ing.namespace}/${e.ing.name} tls`,
      rule: `hosts: [${e.tls.hosts.join(', ')}]  secretName: ${e.tls.secretName ?? ''}`,
      matched: best !== null && e.tls === best.tls,
    })
  }
  if (!best) {
    return {
      ingress: null,
      tls: null,
      secret: null,
      reason: text(
        `no Ingress lists "${name}" under spec.tls, so the controller presents its own default certificate, which the client will not trust for this name`,
        `没有 Ingress 在 spec.tls 中列出 “${name}”，因此控制器出示自己的默认证书，客户端不会信任它用于这个名称`,
      ),
      lookups,
    }
  }
  const secret = `${best.ing.namespace}/${best.tls.secretName}`
  return {
    ingress: best.ing,
    tls: best.tls,
    secret,
    reason: text(
      `SNI "${name}" is listed under spec.tls of Ingress ${best.ing.namespace}/${best.ing.name}, so the controller terminates TLS with the certificate in Secret ${secret} (keys tls.crt and tls.key)`,
      `SNI “${name}” 列在 Ingress ${best.ing.namespace}/${best.ing.name} 的 spec.tls 中，因此控制器用 Secret ${secret}（键 tls.crt 和 tls.key）中的证书终止 TLS`,
    ),
    lookups,
  }
}
