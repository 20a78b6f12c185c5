/**
 * Cluster DNS as a Pod sees it: the resolv.conf kubelet gives it (dnsPolicy ClusterFirst), the
 * names the resolver tries in order (search list and ndots), and what CoreDNS's kubernetes
 * plugin answers (kubeadm's Corefile: `kubernetes cluster.local ... { ttl 30 }`).
 */
import { formatIp } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'

// kubelet pkg/kubelet/network/dns: defaultDNSOptions = ["ndots:5"].
export const NDOTS = 5
// kubeadm's Corefile sets `ttl 30` in the kubernetes plugin (its own default is 5 s).
export const ANSWER_TTL = 30
// kubeadm's Corefile has `cache 30`: the cache plugin caps the TTL of every answer it passes on
// at 30 s, the first one too ("Apply capped TTL to this reply", plugin/cache/cache.go WriteMsg).
// PodPath takes the public record's own TTL as 30 s or more, so the Pod sees 30.
export const CACHE_TTL = 30

export function dnsServiceIp(c: Cluster): string | null {
  const svc = c.services.find((s) => s.namespace === 'kube-system' && s.name === 'kube-dns')
  return svc?.clusterIP != null ? formatIp(svc.clusterIP) : null
}

/** The search list: <ns>.svc.<domain> svc.<domain> <domain> (generateSearchesForDNSClusterFirst). */
export function searchList(namespace: string, domain: string): string[] {
  return [`${namespace}.svc.${domain}`, `svc.${domain}`, domain]
}

/** /etc/resolv.conf as containerd writes it: search, nameserver, options. */
export function resolvConf(c: Cluster, namespace: string): string[] {
  return [
    `search ${searchList(namespace, c.decl.dnsDomain).join(' ')}`,
    `nameserver ${dnsServiceIp(c)}`,
    `options ndots:${NDOTS}`,
  ]
}

/**
 * The names a glibc/musl resolver asks for, in order: a name with fewer than ndots dots is tried
 * with each search domain appended first, then as given; a name with enough dots (or a trailing
 * dot) is tried as given first.
 */
export function candidates(name: string, namespace: string, domain: string): string[] {
  if (name.endsWith('.')) return [name]
  const dots = name.split('.').length - 1
  const searched = searchList(namespace, domain).map((d) => `${name}.${d}.`)
  return dots >= NDOTS ? [`${name}.`, ...searched] : [...searched, `${name}.`]
}

/** What the kubernetes plugin answers for one A question in the cluster zone. */
export function answer(
  c: Cluster,
  qname: string,
): {
  status: 'NOERROR' | 'NXDOMAIN'
  records: string[]
  /** upstream: a name outside the cluster zone, answered by the upstream nameserver. */
  kind: 'clusterIP' | 'headless' | 'externalName' | 'upstream' | null
  /** ExternalName: the name the CNAME points to, fully qualified. */
  cname: string | null
} {
  const domain = `${c.decl.dnsDomain}.`
  const suffix = `.svc.${domain}`
  const none = { status: 'NXDOMAIN' as const, records: [], kind: null, cname: null }
  if (!qname.endsWith(`.${domain}`) && qname !== domain) return upstreamAnswer(c, qname) ?? none
  if (!qname.endsWith(suffix)) return none
  const parts = qname.slice(0, -suffix.length).split('.')
  if (parts.length !== 2) return none
  const [name, ns] = parts
  const svc = c.services.find((s) => s.name === name && s.namespace === ns)
  if (!svc) return none
  if (svc.decl.type === 'ExternalName' && svc.decl.externalName) {
    // backend_lookup.go A(): a CNAME to the external name (dns.Fqdn), with the plugin's TTL.
    const target = svc.decl.externalName.endsWith('.')
      ? svc.decl.externalName
      : `${svc.decl.externalName}.`
    // The target is outside the zone, so A() looks it up through CoreDNS's upstream
    // (b.Lookup, plugin/pkg/upstream) and appends its answer after the CNAME; when that fails
    // the answer is the CNAME alone.
    const up = upstreamAnswer(c, target)
    return {
      status: 'NOERROR',
      records: [`${qname}\t${ANSWER_TTL}\tIN\tCNAME\t${target}`, ...(up?.records ?? [])],
      kind: 'externalName',
      cname: target,
    }
  }
  if (svc.clusterIP !== null)
    return {
      status: 'NOERROR',
      records: [`${qname}\t${ANSWER_TTL}\tIN\tA\t${formatIp(svc.clusterIP)}`],
      kind: 'clusterIP',
      cname: null,
    }
  if (svc.decl.clusterIP === 'None') {
    // Headless: one A record per ready endpoint; the plugin skips endpoints whose EndpointSlice
    // condition ready is false (object/endpoint.go endpointsliceReady). With none, NXDOMAIN.
    const ips = [
      ...new Set(svc.ports.flatMap((p) => p.endpoints.filter((e) => e.ready).map((e) => e.ip))),
    ]
    if (ips.length)
      return {
        status: 'NOERROR',
        records: ips.map((ip) => `${qname}\t${ANSWER_TTL}\tIN\tA\t${formatIp(ip)}`),
        kind: 'headless',
        cname: null,
      }
  }
  return none
}

/**
 * A name outside the cluster zone: kubeadm's Corefile sends it on with `forward .
 * /etc/resolv.conf` to the node's nameserver (CoreDNS runs with dnsPolicy Default, so its
 * resolv.conf is the node's), which answers from the public DNS: the external host's A record.
 * Null when there is no upstream or it knows no such host (then NXDOMAIN).
 */
export function upstreamAnswer(c: Cluster, qname: string): ReturnType<typeof answer> | null {
  if (c.decl.upstreamDNS === null) return null
  const host = externalHostByName(c, qname)
  if (!host) return null
  return {
    status: 'NOERROR',
    records: [`${qname}\t${CACHE_TTL}\tIN\tA\t${formatIp(host.ip)}`],
    kind: 'upstream',
    cname: null,
  }
}

/** The external host a name (with or without its root dot, any case) names, if any. */
export function externalHostByName(c: Cluster, name: string) {
  const n = name.toLowerCase().replace(/\.$/, '')
  return c.decl.externalHosts.find((h) => h.name === n) ?? null
}
