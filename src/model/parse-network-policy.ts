/**
 * Reads networking.k8s.io/v1 NetworkPolicy, validated and defaulted as the API server does
 * (pkg/apis/networking/validation/validation.go ValidateNetworkPolicySpec,
 * pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicySpec / _NetworkPolicyPort).
 */
import type { ObjReader } from './yaml-reader.ts'
import type { LabelSelectorDecl } from './l7-decls.ts'
import type {
  NetworkPolicyDecl,
  PolicyPeerDecl,
  PolicyPortDecl,
  PolicyRuleDecl,
  PolicyType,
} from './network-policy.ts'
import { cidrContains, parseCidr, type Cidr } from './ipv4.ts'
import { oneOf } from './parse-cluster.ts'
import { readL7Meta } from './parse-ingress.ts'
import { text } from './text.ts'

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const
/** IsValidPortName (k8s.io/apimachinery validation): IANA_SVC_NAME, at most 15 characters. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** A metav1.LabelSelector; In/NotIn need values, Exists/DoesNotExist must have none. */
export function readLabelSelector(r: ObjReader): LabelSelectorDecl {
  const matchExpressions: LabelSelectorDecl['matchExpressions'] = []
  for (const e of r.list('matchExpressions')) {
    const key = e.str('key', true)
    const operator = e.has('operator') ? oneOf(e, 'operator', OPERATORS) : null
    if (!e.has('operator'))
      e.report([], text('required field "operator" is missing', '缺少必填字段 “operator”'))
    const raw = e.value.values
    const values = Array.isArray(raw) ? raw.map(String) : []
    if (raw !== undefined && raw !== null && !Array.isArray(raw))
      e.report(['values'], text('"values" must be a list', '“values” 应为列表'), 'error', 'file')
    if (key === null || operator === null) continue
    const needs = operator === 'In' || operator === 'NotIn'
    if (needs && values.length === 0) {
      e.report(
        ['values'],
        text(
          `operator ${operator} needs a non-empty "values" (ValidateLabelSelectorRequirement)`,
          `运算符 ${operator} 需要非空的 “values”`,
        ),
      )
      continue
    }
    if (!needs && values.length > 0) {
      e.report(
        ['values'],
        text(
          `operator ${operator} takes no "values" (ValidateLabelSelectorRequirement)`,
          `运算符 ${operator} 不能带 “values”`,
        ),
      )
      continue
    }
    matchExpressions.push({ key, operator, values })
  }
  return { matchLabels: r.strMap('matchLabels'), matchExpressions }
}

function readIpBlock(b: ObjReader): PolicyPeerDecl | null {
  const raw = b.str('cidr', true)
  if (raw === null) return null
  const cidr = parseCidr(raw)
  if (!cidr) {
    b.report(
      ['cidr'],
      text(
        `"${raw}" is not an IPv4 CIDR such as 10.0.0.0/16 (host bits zero)`,
        `“${raw}” 不是 IPv4 CIDR（例如 10.0.0.0/16，主机位为零）`,
      ),
    )
    return null
  }
  const except: Cidr[] = []
  const list = b.value.except
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    b.report(['except'], text('"except" must be a list', '“except” 应为列表'), 'error', 'file')
    return null
  }
  let ok = true
  for (const [i, e] of ((list as unknown[] | undefined) ?? []).entries()) {
    const c = typeof e === 'string' ? parseCidr(e) : null
    // validation.go: each except must be a strict subset of cidr.
    if (!c || c.prefix <= cidr.prefix || !cidrContains(cidr, c.base)) {
      b.report(
        ['except', i],
        text(
          `except "${String(e)}" must be a CIDR strictly inside ${raw}`,
          `except “${String(e)}” 必须是严格位于 ${raw} 之内的 CIDR`,
        ),
      )
      ok = false
      continue
    }
    except.push(c)
  }
  return ok ? { kind: 'ipBlock', cidr, except } : null
}

function readPeer(p: ObjReader): PolicyPeerDecl | null {
  const pod = p.obj('podSelector')
  const ns = p.obj('namespaceSelector')
  const block = p.obj('ipBlock')
  const count = [pod, ns, block].filter((x) => x !== null).length
  if (count === 0) {
    p.report(
      [],
      text(
        'a peer must set podSelector, namespaceSelector or ipBlock ("must specify a peer")',
        '对端必须写 podSelector、namespaceSelector 或 ipBlock 之一',
      ),
      'error',
      'kubernetes',
    )
    return null
  }
  if (block && count > 1) {
    p.report(
      ['ipBlock'],
      text(
        'ipBlock cannot be combined with podSelector or namespaceSelector in one peer ("may not specify more than 1 peer type")',
        'ipBlock 不能与 podSelector 或 namespaceSelector 写在同一个对端里',
      ),
      'error',
      'kubernetes',
    )
    return null
  }
  if (block) return readIpBlock(block)
  return {
    kind: 'selector',
    podSelector: pod ? readLabelSelector(pod) : null,
    namespaceSelector: ns ? readLabelSelector(ns) : null,
  }
}

function readPort(p: ObjReader): PolicyPortDecl | null {
  const protocol = p.has('protocol') ? oneOf(p, 'protocol', ['TCP', 'UDP', 'SCTP'] as const) : 'TCP'
  if (protocol === null) return null
  const raw = p.value.port
  let port: number | string | null = null
  if (typeof raw === 'number') {
    port = p.int('port', 1, 65535)
    if (port === null) return null
  } else if (typeof raw === 'string') {
    if (raw.length > 15 || !PORT_NAME.test(raw)) {
      p.report(
        ['port'],
        text(
          `"${raw}" is not a port number or a port name (IANA_SVC_NAME: at most 15 lower-case letters, digits and "-", with a letter)`,
          `“${raw}” 既不是端口号也不是端口名（IANA_SVC_NAME：最多 15 个小写字母、数字和 “-”，至少含一个字母）`,
        ),
      )
      return null
    }
    port = raw
  } else if (raw !== undefined && raw !== null) {
    p.report(
      ['port'],
      text('"port" must be a number or a name', '“port” 应为数字或名称'),
      'error',
      'file',
    )
    return null
  }
  let endPort: number | null = null
  if (p.has('endPort')) {
    endPort = p.int('endPort', 1, 65535)
    if (endPort === null) return null
    if (typeof port !== 'number' || endPort < port) {
      p.report(
        ['endPort'],
        text(
          'endPort needs a numeric "port" no greater than it',
          'endPort 需要一个不大于它的数字 “port”',
        ),
        'error',
        'kubernetes',
      )
      return null
    }
  }
  return { protocol, port, endPort }
}

function readRules(spec: ObjReader, key: 'ingress' | 'egress'): PolicyRuleDecl[] {
  const peerKey = key === 'ingress' ? 'from' : 'to'
  return spec.list(key).map((rule) => ({
    peers: rule.list(peerKey).flatMap((p) => readPeer(p) ?? []),
    ports: rule.list('ports').flatMap((p) => readPort(p) ?? []),
    where: rule.where(),
  }))
}

export function readNetworkPolicy(r: ObjReader, out: NetworkPolicyDecl[]): void {
  const meta = readL7Meta(r, 'NetworkPolicy')
  if (!meta) return
  const spec = r.obj('spec', true)
  if (!spec) return
  const before = r.ctx.diagnostics.length
  const sel = spec.obj('podSelector')
  const podSelector = sel ? readLabelSelector(sel) : { matchLabels: {}, matchExpressions: [] }
  const ingress = readRules(spec, 'ingress')
  const egress = readRules(spec, 'egress')
  let policyTypes: PolicyType[]
  const types = spec.value.policyTypes
  if (types === undefined || types === null) {
    policyTypes = egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']
  } else if (!Array.isArray(types)) {
    spec.report(['policyTypes'], text('"policyTypes" must be a list', '“policyTypes” 应为列表'))
    return
  } else {
    policyTypes = []
    for (const [i, t] of types.entries()) {
      if ((t !== 'Ingress' && t !== 'Egress') || policyTypes.includes(t)) {
        spec.report(
          ['policyTypes', i],
          text(
            `policyTypes[${i}] "${String(t)}" must be Ingress or Egress, each once`,
            `policyTypes[${i}] “${String(t)}” 只能是 Ingress 或 Egress，且各出现一次`,
          ),
        )
        return
      }
      policyTypes.push(t)
    }
  }
  if (r.ctx.diagnostics.slice(before).some((d) => d.severity === 'error')) return
  if (out.some((p) => p.namespace === meta.namespace && p.name === meta.name)) {
    r.report(
      ['metadata', 'name'],
      text(
        `NetworkPolicy "${meta.namespace}/${meta.name}" is declared twice`,
        `NetworkPolicy “${meta.namespace}/${meta.name}” 重复声明`,
      ),
      'error',
      'kubernetes',
    )
    return
  }
  out.push({
    namespace: meta.namespace,
    name: meta.name,
    podSelector,
    policyTypes,
    ingress,
    egress,
    where: r.where(),
  })
}
