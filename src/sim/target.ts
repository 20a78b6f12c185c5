/**
 * The two ends of a Traffic: who sends (`from`), and where `to` goes (a URL, host:port or
 * IP:port), resolved against the built cluster. Failures carry a reason in both languages.
 */
import { cidrContains, formatIp, parseIp } from '../model/ipv4.ts'
import type { ExternalHostDecl, TrafficDecl } from '../model/scenario.ts'
import { text, type Text } from '../model/text.ts'
import type { Cluster, BuiltPod } from './cluster.ts'
import { publicName, type PublicName } from './ingress/public-dns.ts'
import { parseTo } from './traffic-to.ts'
import { externalHostByName } from './dns/coredns.ts'

export interface Target {
  scheme: 'http' | 'https' | null
  host: string
  port: number
  path: string
  /** Empty until the DNS phase answers, for a headless or ExternalName Service. */
  ip: string
  /** The Pod the host named, when it named one. */
  pod: BuiltPod | null
  /** True when the host is a Service name, which a Pod resolves through the cluster DNS. */
  viaDns: boolean
  /** A public name a client outside the cluster resolves first (through the public DNS). */
  publicDns?: PublicName
  /** A host on the Internet (Cluster `externalHosts`): the Traffic is an egress request. */
  outside?: ExternalHostDecl
}

/** The sending end: a container of a Pod, a process on a node, or a client outside the cluster. */
export interface Source {
  nsId: string
  node: string
  pod: BuiltPod | null
  container: string | null
  /** The address of a client outside the cluster (then nsId and node are empty). */
  external?: string
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; reason: Text }

/** A Traffic's sender that is not there (shared with the check of a build that stopped early). */
export const noSuchPod = (key: string) => text(`Pod ${key} does not exist`, `Pod ${key} 不存在`)
export const noSuchNode = (name: string) =>
  text(`node ${name} does not exist`, `节点 ${name} 不存在`)

export function resolveSource(cluster: Cluster, t: TrafficDecl): Resolved<Source> {
  const from = t.from
  if (from.kind === 'external') {
    const inside = insideCluster(cluster, from.ip)
    if (inside) {
      return {
        ok: false,
        reason: text(
          `${formatIp(from.ip)} is inside the cluster's ${inside.en}: a client outside the cluster needs an address of its own`,
          `${formatIp(from.ip)} 位于集群的${inside.zh}之内：集群外部的客户端需要一个不属于集群的地址`,
        ),
      }
    }
    return {
      ok: true,
      value: { nsId: '', node: '', pod: null, container: null, external: formatIp(from.ip) },
    }
  }
  if (from.kind === 'node') {
    const node = cluster.nodeByName.get(from.node)
    if (!node)
      return {
        ok: false,
        reason: noSuchNode(from.node),
      }
    return { ok: true, value: { nsId: node.nsId, node: node.name, pod: null, container: null } }
  }
  const key = `${from.namespace}/${from.name}`
  const pod = cluster.podByKey.get(key)
  if (!pod) return { ok: false, reason: noSuchPod(key) }
  const container = from.container ?? pod.containers[0]!.name
  if (!pod.containers.some((c) => c.name === container)) {
    return {
      ok: false,
      reason: text(
        `Pod ${key} has no container "${container}" (containers: ${pod.containers.map((c) => c.name).join(', ')})`,
        `Pod ${key} 没有名为 “${container}” 的容器（现有容器：${pod.containers.map((c) => c.name).join('、')}）`,
      ),
    }
  }
  return { ok: true, value: { nsId: pod.nsId, node: pod.node, pod, container } }
}

export function resolveTarget(
  cluster: Cluster,
  t: TrafficDecl,
  fromNamespace: string | null,
  external = false,
): Resolved<Target> {
  const p = parseTo(t.to)
  if (!p)
    return {
      ok: false,
      reason: text(
        `"${t.to}" is not a URL, host:port or IP:port`,
        `“${t.to}” 不是 URL、host:port 或 IP:port`,
      ),
    }
  if (p.port === null) {
    return {
      ok: false,
      reason: text(
        `"${t.to}" names no port (write host:port, or an http:// URL)`,
        `“${t.to}” 没有端口（请写成 host:port，或 http:// 开头的 URL）`,
      ),
    }
  }
  const base = { scheme: p.scheme, host: p.host, port: p.port, path: p.path }
  if (p.host === 'localhost')
    return { ok: true, value: { ...base, ip: '127.0.0.1', pod: null, viaDns: false } }
  const ip = parseIp(p.host)
  if (ip !== null) {
    const pod = cluster.pods.find((x) => x.ip === ip && !x.hostNetwork) ?? null
    const outside = cluster.decl.externalHosts.find((h) => h.ip === ip)
    return {
      ok: true,
      value: { ...base, ip: formatIp(ip), pod, viaDns: false, ...(outside && { outside }) },
    }
  }
  // A client on the Internet resolves public names: those an Ingress or a Gateway serves.
  let unpublished: Text | null = null
  if (external) {
    const pub = publicName(cluster, p.host)
    if (!('error' in pub))
      return { ok: true, value: { ...base, ip: pub.ip, pod: null, viaDns: false, publicDns: pub } }
    if (pub.found) return { ok: false, reason: pub.error }
    unpublished = pub.error
  }
  const service = serviceByName(cluster, p.host, fromNamespace)
  if (service && service.clusterIP !== null)
    return {
      ok: true,
      value: { ...base, ip: formatIp(service.clusterIP), pod: null, viaDns: true },
    }
  if (service) {
    // Headless and ExternalName Services have no ClusterIP: only the cluster DNS, which a Pod
    // uses, gives the name an address (Pod IPs, or a CNAME to an outside name).
    if (fromNamespace === null)
      return {
        ok: false,
        reason: text(
          `Service "${p.host}" has no ClusterIP (${service.decl.type === 'ExternalName' ? 'ExternalName' : 'headless'}); only a Pod, through the cluster DNS, can resolve its name`,
          `Service “${p.host}” 没有 ClusterIP（${service.decl.type === 'ExternalName' ? 'ExternalName' : 'Headless'}）；只有 Pod 能通过集群 DNS 解析它的名字`,
        ),
      }
    return { ok: true, value: { ...base, ip: '', pod: null, viaDns: true } }
  }
  // A Pod named directly: NAME (in the sender's namespace) or NAME.NAMESPACE.
  const [name, ns, ...rest] = p.host.split('.')
  if (rest.length === 0 && name) {
    const pod = cluster.podByKey.get(`${ns ?? fromNamespace ?? 'default'}/${name}`)
    if (pod) return { ok: true, value: { ...base, ip: formatIp(pod.ip), pod, viaDns: false } }
  }
  // A host on the Internet: a Pod asks CoreDNS, which forwards it upstream; a node's own
  // resolver asks the upstream nameserver itself, so it is given the address directly.
  const outside = external ? null : externalHostByName(cluster, p.host)
  if (outside)
    return {
      ok: true,
      value:
        fromNamespace !== null
          ? { ...base, ip: '', pod: null, viaDns: true, outside }
          : { ...base, ip: formatIp(outside.ip), pod: null, viaDns: false, outside },
    }
  if (unpublished) return { ok: false, reason: unpublished }
  return {
    ok: false,
    reason: text(
      `"${p.host}" is neither an IP address nor a Pod of this scenario (Service names and DNS come with the Service lessons)`,
      `“${p.host}” 既不是 IP 地址，也不是本场景中的 Pod（Service 名字和 DNS 将在 Service 课程中介绍）`,
    ),
  }
}

/** Build-time check: every Traffic names a sender and a destination that exist. */
export function checkTraffic(
  cluster: Cluster,
  traffic: TrafficDecl[],
): { where: TrafficDecl['where']; message: Text; severity: 'error' | 'info' }[] {
  const out: { where: TrafficDecl['where']; message: Text; severity: 'error' | 'info' }[] = []
  for (const t of traffic) {
    const src = resolveSource(cluster, t)
    if (!src.ok) {
      out.push({
        where: t.fromWhere,
        message: src.reason,
        severity: 'error',
      })
      continue
    }
    const dst = resolveTarget(
      cluster,
      t,
      src.value.pod?.namespace ?? null,
      src.value.external !== undefined,
    )
    if (!dst.ok) out.push({ where: t.toWhere, message: dst.reason, severity: 'error' })
  }
  return out
}

/**
 * A Service named as a Pod's resolver would expand it: NAME, NAME.NAMESPACE, NAME.NAMESPACE.svc
 * or NAME.NAMESPACE.svc.<domain> (the search list <ns>.svc.<domain> svc.<domain> <domain>).
 */
export function serviceByName(cluster: Cluster, host: string, fromNamespace: string | null) {
  let name = host
  for (const suffix of [`.svc.${cluster.decl.dnsDomain}`, '.svc']) {
    if (name.endsWith(suffix)) {
      name = name.slice(0, -suffix.length)
      break
    }
  }
  const parts = name.split('.')
  if (parts.length > 2) return null
  const [svc, ns] = parts
  return (
    cluster.services.find(
      (s) => s.name === svc && s.namespace === (ns ?? fromNamespace ?? 'default'),
    ) ?? null
  )
}

/** Which of the cluster's own address ranges holds `ip`, if any. */
function insideCluster(cluster: Cluster, ip: number): { en: string; zh: string } | null {
  const d = cluster.decl
  if (cidrContains(d.clusterCIDR, ip))
    return { en: 'Pod range (clusterCIDR)', zh: ' Pod 地址段（clusterCIDR）' }
  if (cidrContains(d.serviceCIDR, ip))
    return { en: 'Service range (serviceCIDR)', zh: ' Service 地址段（serviceCIDR）' }
  if (cluster.nodes.some((n) => n.ip === ip)) return { en: 'node addresses', zh: '节点地址' }
  return null
}
