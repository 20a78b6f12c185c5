/** Service (v1) and EndpointSlice (discovery.k8s.io/v1). */
import type { ObjReader } from './yaml-reader.ts'
import type {
  EndpointSliceDecl,
  LoadBalancerIngressDecl,
  ServiceDecl,
  ServicePortDecl,
  ServiceType,
} from './scenario.ts'
import { parseCidr, parseIp, type Cidr } from './ipv4.ts'
import { text } from './text.ts'
import { DNS_LABEL } from './k8s-names.ts'
import { oneOf } from './parse-cluster.ts'

const TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']
const POLICIES = ['Cluster', 'Local'] as const
const AFFINITIES = ['None', 'ClientIP'] as const

function meta(r: ObjReader, kind: string): { name: string; namespace: string } | null {
  const m = r.obj('metadata', true)
  const name = m?.str('name', true)
  if (!m || !name) return null
  const namespace = m.str('namespace') ?? 'default'
  r.object = `${kind}/${namespace}/${name}`
  // Service names are DNS labels: they become <name>.<namespace>.svc.<domain> (RFC 1035 rules).
  if (kind === 'Service' && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    r.report(
      ['metadata', 'name'],
      text(
        `"${name}" is not a valid Service name (a DNS label starting with a letter)`,
        `“${name}” 不是合法的 Service 名称（必须是以字母开头的 DNS 标签）`,
      ),
    )
    return null
  }
  if (!DNS_LABEL.test(namespace)) {
    r.report(
      ['metadata', 'namespace'],
      text(`"${namespace}" is not a valid namespace name`, `“${namespace}” 不是合法的命名空间名称`),
    )
    return null
  }
  return { name, namespace }
}

function protocol(r: ObjReader): 'TCP' | 'UDP' | 'SCTP' | null {
  const p = (r.str('protocol') ?? 'TCP').toUpperCase()
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p
  r.report(
    ['protocol'],
    text(`protocol "${p}" must be TCP, UDP or SCTP`, `协议 “${p}” 只能是 TCP、UDP 或 SCTP`),
  )
  return null
}

export function readService(r: ObjReader, out: ServiceDecl[]): void {
  const m = meta(r, 'Service')
  if (!m) return
  const spec = r.obj('spec', true)
  if (!spec) return
  const type = oneOf(spec, 'type', TYPES) ?? 'ClusterIP'
  let clusterIP: ServiceDecl['clusterIP'] = null
  const ipText = spec.str('clusterIP')
  if (ipText === 'None') clusterIP = 'None'
  else if (ipText !== null && ipText !== '') {
    clusterIP = parseIp(ipText)
    if (clusterIP === null)
      spec.report(
        ['clusterIP'],
        text(
          `"${ipText}" is not an IPv4 address or None`,
          `“${ipText}” 不是 IPv4 地址，也不是 None`,
        ),
      )
  }
  const ports: ServicePortDecl[] = []
  const portList = spec.list('ports')
  for (const p of portList) {
    const port = p.int('port', 1, 65535, true)
    const proto = protocol(p)
    if (port === null || proto === null) continue
    const name = p.str('name')
    // Several ports need names so that EndpointSlices and SRV records can tell them apart.
    if (portList.length > 1 && !name) {
      p.report(
        [],
        text(
          'a Service with several ports must name each of them',
          '有多个端口的 Service 必须为每个端口命名',
        ),
      )
    }
    let targetPort: number | string | null = null
    const tp = p.value.targetPort
    if (typeof tp === 'number') targetPort = p.int('targetPort', 1, 65535)
    else if (typeof tp === 'string') targetPort = /^\d+$/.test(tp) ? Number(tp) : tp
    const nodePort = p.int('nodePort', 1, 65535)
    if (nodePort !== null && type !== 'NodePort' && type !== 'LoadBalancer') {
      p.report(
        ['nodePort'],
        text(
          `nodePort is only allowed for NodePort and LoadBalancer Services, not ${type}`,
          `只有 NodePort 和 LoadBalancer 类型的 Service 才能设置 nodePort，${type} 不行`,
        ),
      )
    }
    ports.push({ name, port, targetPort, nodePort, protocol: proto })
  }
  const externalName = spec.str('externalName')
  if (type === 'ExternalName' && !externalName)
    spec.report(
      [],
      text(
        'an ExternalName Service needs spec.externalName',
        'ExternalName 类型的 Service 需要 spec.externalName',
      ),
    )
  if (type !== 'ExternalName' && ports.length === 0 && clusterIP !== 'None') {
    spec.report(['ports'], text('a Service needs at least one port', 'Service 至少需要一个端口'))
  }
  const ranges: Cidr[] = []
  const rawRanges = spec.value.loadBalancerSourceRanges
  if (Array.isArray(rawRanges)) {
    rawRanges.forEach((v, i) => {
      const c = typeof v === 'string' ? parseCidr(v.trim()) : null
      if (c) ranges.push(c)
      else
        spec.report(
          ['loadBalancerSourceRanges', i],
          typeof v === 'string'
            ? text(`"${v}" is not an IPv4 CIDR`, `“${v}” 不是 IPv4 CIDR`)
            : text(
                `item ${i} of loadBalancerSourceRanges must be a CIDR string`,
                `loadBalancerSourceRanges 的第 ${i} 项必须是 CIDR 字符串`,
              ),
        )
    })
  }
  const externalIPs: number[] = []
  const rawExternal = spec.value.externalIPs
  if (Array.isArray(rawExternal)) {
    rawExternal.forEach((v, i) => {
      const ip = typeof v === 'string' ? parseIp(v.trim()) : null
      if (ip !== null) externalIPs.push(ip)
      else
        spec.report(
          ['externalIPs', i],
          text(`"${String(v)}" is not an IPv4 address`, `“${String(v)}” 不是 IPv4 地址`),
        )
    })
  }
  const healthCheckNodePort = spec.int('healthCheckNodePort', 1, 65535)
  const affinityCfg = spec.obj('sessionAffinityConfig')?.obj('clientIP')
  out.push({
    namespace: m.namespace,
    name: m.name,
    type,
    clusterIP,
    ports,
    selector: spec.has('selector') ? spec.strMap('selector') : null,
    externalName,
    externalTrafficPolicy: oneOf(spec, 'externalTrafficPolicy', POLICIES) ?? 'Cluster',
    internalTrafficPolicy: oneOf(spec, 'internalTrafficPolicy', POLICIES) ?? 'Cluster',
    sessionAffinity: oneOf(spec, 'sessionAffinity', AFFINITIES) ?? 'None',
    // core/v1 defaults: DefaultClientIPServiceAffinitySeconds = 10800 (3 hours).
    sessionAffinityTimeout: affinityCfg?.int('timeoutSeconds', 1, 86400) ?? 10800,
    loadBalancerSourceRanges: ranges,
    externalIPs,
    healthCheckNodePort,
    publishNotReadyAddresses: spec.bool('publishNotReadyAddresses') ?? false,
    loadBalancerIngress: readIngress(r),
    where: r.where(),
  })
}

const IP_MODES = ['VIP', 'Proxy'] as const

/** status.loadBalancer.ingress, or null when the scenario gives none (the cloud fills it in). */
function readIngress(r: ObjReader): LoadBalancerIngressDecl[] | null {
  const lb = r.obj('status')?.obj('loadBalancer')
  if (!lb || !lb.has('ingress')) return null
  return lb.list('ingress').flatMap((ing) => {
    const ipText = ing.str('ip')
    const ip = ipText ? parseIp(ipText) : null
    if (ipText && ip === null) {
      ing.report(['ip'], text(`"${ipText}" is not an IPv4 address`, `“${ipText}” 不是 IPv4 地址`))
      return []
    }
    const hostname = ing.str('hostname')
    if (ip === null && !hostname) {
      ing.report(
        [],
        text(
          'a load balancer ingress needs an ip or a hostname',
          '负载均衡器的 ingress 需要 ip 或 hostname',
        ),
      )
      return []
    }
    return [{ ip, hostname, ipMode: oneOf(ing, 'ipMode', IP_MODES) ?? 'VIP' }]
  })
}

export function readEndpointSlice(r: ObjReader, out: EndpointSliceDecl[]): void {
  const m = meta(r, 'EndpointSlice')
  if (!m) return
  const labels = r.obj('metadata')?.strMap('labels') ?? {}
  // The slice belongs to the Service named by this label (discovery.k8s.io/v1 LabelServiceName).
  const serviceName = labels['kubernetes.io/service-name']
  if (!serviceName) {
    r.report(
      ['metadata'],
      text(
        'an EndpointSlice needs the label kubernetes.io/service-name',
        'EndpointSlice 需要标签 kubernetes.io/service-name',
      ),
    )
    return
  }
  const addressType = r.str('addressType') ?? 'IPv4'
  if (addressType !== 'IPv4') {
    r.report(
      ['addressType'],
      text(
        `addressType ${addressType} is not simulated; PodPath speaks IPv4`,
        `不模拟 addressType ${addressType}；PodPath 只支持 IPv4`,
      ),
    )
    return
  }
  const ports = r.list('ports').flatMap((p) => {
    const port = p.int('port', 1, 65535, true)
    const proto = protocol(p)
    return port === null || proto === null ? [] : [{ name: p.str('name'), port, protocol: proto }]
  })
  const endpoints = r.list('endpoints').map((e) => {
    const raw = e.value.addresses
    const addresses = Array.isArray(raw)
      ? raw.map((a) => (typeof a === 'string' ? parseIp(a) : null))
      : []
    if (addresses.some((a) => a === null) || addresses.length === 0) {
      e.report(
        ['addresses'],
        text('endpoint addresses must be IPv4 addresses', '端点地址必须是 IPv4 地址'),
      )
    }
    const cond = e.obj('conditions')
    return {
      addresses: addresses.filter((a): a is number => a !== null),
      // discovery/v1: a missing ready or serving means true, a missing terminating false.
      ready: cond?.bool('ready') ?? true,
      serving: cond?.bool('serving') ?? true,
      terminating: cond?.bool('terminating') ?? false,
      nodeName: e.str('nodeName'),
    }
  })
  out.push({
    namespace: m.namespace,
    name: m.name,
    serviceName,
    ports,
    endpoints,
    where: r.where(),
  })
}
