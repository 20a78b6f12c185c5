/** Our `Traffic` document: who sends, to what, over which protocol. */
import type { ObjReader } from './yaml-reader.ts'
import type { TrafficDecl } from './scenario.ts'
import { parseIp } from './ipv4.ts'
import { text } from './text.ts'
import { DNS_SUBDOMAIN } from './k8s-names.ts'

export function readTraffic(r: ObjReader, out: TrafficDecl[]): void {
  const name = r.obj('metadata', true)?.str('name', true)
  if (name === null || name === undefined) return
  r.object = `Traffic/${name}`
  // A custom resource's name is a DNS subdomain, as for most kinds (apiextensions-apiserver
  // pkg/registry/customresource/validator.go: validation.NameIsDNSSubdomain).
  if (!DNS_SUBDOMAIN.test(name)) {
    r.report(
      ['metadata', 'name'],
      text(
        `"${name}" is not a valid Traffic name: Kubernetes names it as a DNS subdomain (RFC 1123: at most 253 lower-case letters, digits, "-" and ".", beginning and ending with a letter or digit)`,
        `“${name}” 不是合法的 Traffic 名称：Kubernetes 要求它是 DNS 子域名（RFC 1123：最多 253 个小写字母、数字、“-” 和 “.”，以字母或数字开头和结尾）`,
      ),
      'error',
      'kubernetes',
    )
    return
  }
  // A second object of one kind and name is refused by the API server (AlreadyExists).
  if (out.some((t) => t.name === name)) {
    r.report(
      ['metadata', 'name'],
      text(
        `Traffic "${name}" is declared twice: names are unique within a kind`,
        `Traffic “${name}” 被声明了两次：同一类型中名称必须唯一`,
      ),
      'error',
      'kubernetes',
    )
    return
  }
  const spec = r.obj('spec', true)
  if (!spec) return
  const from = spec.obj('from', true)
  const to = spec.str('to', true)
  if (!from || to === null) return
  let src: TrafficDecl['from'] | null = null
  const pod = from.str('pod')
  const node = from.str('node')
  const external = from.str('external')
  if ([pod, node, external].filter((x) => x !== null).length !== 1) {
    from.report(
      [],
      text(
        '"from" names exactly one of pod, node or external',
        '“from” 必须且只能指定 pod、node、external 之一',
      ),
    )
    return
  }
  if (pod !== null) {
    const [ns, n, extra] = pod.includes('/') ? pod.split('/') : ['default', pod]
    if (!ns || !n || extra !== undefined) {
      from.report(
        ['pod'],
        text(`"${pod}" must be NAME or NAMESPACE/NAME`, `“${pod}” 应写成 NAME 或 NAMESPACE/NAME`),
      )
      return
    }
    src = { kind: 'pod', namespace: ns, name: n, container: from.str('container') }
  } else if (node !== null) {
    src = { kind: 'node', node }
  } else if (external !== null) {
    const ip = parseIp(external)
    if (ip === null) {
      from.report(
        ['external'],
        text(`"${external}" is not an IPv4 address`, `“${external}” 不是 IPv4 地址`),
      )
      return
    }
    src = { kind: 'external', ip }
  }
  const proto = (spec.str('protocol') ?? 'tcp').toLowerCase()
  if (proto !== 'tcp' && proto !== 'udp') {
    spec.report(['protocol'], text('protocol must be tcp or udp', 'protocol 只能是 tcp 或 udp'))
    return
  }
  if (!src) return
  out.push({
    name,
    from: src,
    to,
    protocol: proto,
    headers: spec.strMap('headers'),
    where: r.where(),
    fromWhere: from.where([pod !== null ? 'pod' : node !== null ? 'node' : 'external']),
    toWhere: spec.where(['to']),
  })
}
