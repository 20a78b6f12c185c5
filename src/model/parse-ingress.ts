/** Ingress and IngressClass (networking.k8s.io/v1). */
import type { ObjReader, Path } from './yaml-reader.ts'
import type {
  IngressBackendDecl,
  IngressClassDecl,
  IngressDecl,
  IngressPathDecl,
  IngressPathType,
  IngressRuleDecl,
  IngressTlsDecl,
} from './l7-decls.ts'
import { text } from './text.ts'
import { DNS_LABEL, DNS_SUBDOMAIN } from './k8s-names.ts'
import { parseIp } from './ipv4.ts'
import { oneOf } from './parse-cluster.ts'

export interface L7Meta {
  name: string
  namespace: string
  annotations: Record<string, string>
  labels: Record<string, string>
  creationTimestamp: string | null
}

/** metadata of an L7 object; names the object `Kind/namespace/name` (or `Kind/name`). */
export function readL7Meta(r: ObjReader, kind: string, clusterScoped = false): L7Meta | null {
  const m = r.obj('metadata', true)
  const name = m?.str('name', true)
  if (!m || !name) return null
  const namespace = clusterScoped ? '' : (m.str('namespace') ?? 'default')
  r.object = clusterScoped ? `${kind}/${name}` : `${kind}/${namespace}/${name}`
  if (!DNS_SUBDOMAIN.test(name)) {
    r.report(
      ['metadata', 'name'],
      text(
        `"${name}" is not a valid ${kind} name (lower-case letters, digits, "-" and ".", as RFC 1123 requires)`,
        `“${name}” 不是合法的 ${kind} 名称（只能用小写字母、数字、“-” 和 “.”，见 RFC 1123）`,
      ),
    )
    return null
  }
  if (!clusterScoped && !DNS_LABEL.test(namespace)) {
    r.report(
      ['metadata', 'namespace'],
      text(`"${namespace}" is not a valid namespace name`, `“${namespace}” 不是合法的命名空间名称`),
    )
    return null
  }
  return {
    name,
    namespace,
    annotations: m.strMap('annotations'),
    labels: m.strMap('labels'),
    creationTimestamp: m.str('creationTimestamp'),
  }
}

/**
 * A host as Ingress and Gateway API allow it: an RFC 1123 DNS name, optionally with `*.` as its
 * whole first label, never an IP address (networking/v1 IngressRule.host; Gateway API Hostname).
 */
export function validHostname(host: string): boolean {
  if (parseIp(host) !== null) return false
  const rest = host.startsWith('*.') ? host.slice(2) : host
  return DNS_SUBDOMAIN.test(rest)
}

export function checkHostname(r: ObjReader, at: Path, host: string): boolean {
  if (validHostname(host)) return true
  r.report(
    at,
    text(
      `"${host}" is not a valid host name: a lower-case DNS name, optionally starting with "*." (IP addresses are not allowed)`,
      `“${host}” 不是合法的主机名：必须是小写 DNS 名称，可以以 “*.” 开头（不允许 IP 地址）`,
    ),
  )
  return false
}

const PATH_TYPES: readonly IngressPathType[] = ['Exact', 'Prefix', 'ImplementationSpecific']

function readBackend(r: ObjReader): IngressBackendDecl | null {
  const svc = r.obj('service')
  const res = r.obj('resource')
  if ((svc === null) === (res === null)) {
    r.report(
      [],
      text(
        'a backend needs exactly one of "service" and "resource"',
        '后端必须且只能设置 “service” 和 “resource” 之一',
      ),
    )
    return null
  }
  if (res) {
    const kind = res.str('kind', true)
    const name = res.str('name', true)
    if (!kind || !name) return null
    return { service: null, resource: { apiGroup: res.str('apiGroup'), kind, name } }
  }
  const name = svc!.str('name', true)
  const port = svc!.obj('port', true)
  if (!name || !port) return null
  const number = port.int('number', 1, 65535)
  const portName = port.str('name')
  if ((number === null) === (portName === null)) {
    port.report(
      [],
      text(
        'a Service backend port needs exactly one of "number" and "name"',
        'Service 后端端口必须且只能设置 “number” 和 “name” 之一',
      ),
    )
    return null
  }
  return { service: { name, port: number ?? portName! }, resource: null }
}

function readPath(p: ObjReader): IngressPathDecl | null {
  // networking/v1 requires pathType; a path without one fails validation (Ingress docs, "Path types").
  if (!p.has('pathType')) {
    p.report(
      [],
      text(
        'required field "pathType" is missing (Exact, Prefix or ImplementationSpecific)',
        '缺少必填字段 “pathType”（Exact、Prefix 或 ImplementationSpecific）',
      ),
    )
    return null
  }
  const pathType = oneOf(p, 'pathType', PATH_TYPES)
  const path = p.str('path')
  const backendR = p.obj('backend', true)
  if (pathType === null || backendR === null) return null
  if (path !== null && !path.startsWith('/')) {
    p.report(['path'], text(`path "${path}" must start with "/"`, `路径 “${path}” 必须以 “/” 开头`))
    return null
  }
  if (path === null && pathType !== 'ImplementationSpecific') {
    p.report(
      [],
      text(`an ${pathType} path needs a "path" value`, `pathType 为 ${pathType} 时必须设置 “path”`),
    )
    return null
  }
  const backend = readBackend(backendR)
  return backend ? { path, pathType, backend, where: p.where() } : null
}

export function readIngress(r: ObjReader, out: IngressDecl[]): void {
  const meta = readL7Meta(r, 'Ingress')
  if (!meta) return
  const spec = r.obj('spec', true)
  if (!spec) return
  const rules: IngressRuleDecl[] = []
  for (const rule of spec.list('rules')) {
    const host = rule.str('host')
    if (host !== null && host !== '' && !checkHostname(rule, ['host'], host)) continue
    const http = rule.obj('http')
    const paths: IngressPathDecl[] = []
    for (const p of http?.list('paths') ?? []) {
      const decl = readPath(p)
      if (decl) paths.push(decl)
    }
    rules.push({ host: host || null, paths, where: rule.where() })
  }
  const dbR = spec.obj('defaultBackend')
  const defaultBackend = dbR ? readBackend(dbR) : null
  if (!spec.has('rules') && !dbR) {
    spec.report(
      [],
      text(
        'an Ingress needs "rules" or a "defaultBackend" (or both)',
        'Ingress 至少需要 “rules” 或 “defaultBackend” 之一',
      ),
    )
  }
  const tls: IngressTlsDecl[] = []
  for (const t of spec.list('tls')) {
    const hosts: string[] = []
    const raw = t.value.hosts
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
      t.report(['hosts'], text('"hosts" must be a list of host names', '“hosts” 必须是主机名列表'))
    } else {
      ;((raw ?? []) as unknown[]).forEach((h, i) => {
        if (typeof h !== 'string') {
          t.report(
            ['hosts', i],
            text(`item ${i} of "hosts" must be a host name`, `“hosts” 的第 ${i} 项必须是主机名`),
          )
        } else if (checkHostname(t, ['hosts', i], h)) hosts.push(h)
      })
    }
    tls.push({ hosts, secretName: t.str('secretName'), where: t.where() })
  }
  out.push({
    namespace: meta.namespace,
    name: meta.name,
    ingressClassName: spec.str('ingressClassName'),
    classAnnotation: meta.annotations['kubernetes.io/ingress.class'] ?? null,
    creationTimestamp: meta.creationTimestamp,
    annotations: meta.annotations,
    defaultBackend,
    rules,
    tls,
    where: r.where(),
  })
}

/** The annotation that marks the cluster's default IngressClass (Ingress docs, "Default IngressClass"). */
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class'

export function readIngressClass(r: ObjReader, out: IngressClassDecl[]): void {
  const meta = readL7Meta(r, 'IngressClass', true)
  if (!meta) return
  const spec = r.obj('spec', true)
  const controller = spec?.str('controller', true)
  if (!spec || !controller) return
  out.push({
    name: meta.name,
    controller,
    isDefault: meta.annotations[DEFAULT_CLASS_ANNOTATION] === 'true',
    creationTimestamp: meta.creationTimestamp,
    where: r.where(),
  })
}
