/**
 * kube-proxy's IPVS mode (kubernetes pkg/proxy/ipvs): one IPVS virtual service per ClusterIP
 * (and per node address for a NodePort), its endpoints as real servers with the "Masq" (NAT)
 * forwarding method, and the ClusterIPs bound to the dummy device kube-ipvs0 so that traffic to
 * them is local and meets IPVS at LOCAL_IN.
 */
import { formatIp } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'
import {
  categorizeEndpoints,
  externalPolicyLocal,
  loadBalancerVIPs,
  servicePortName,
  type BuiltService,
  type BuiltServicePort,
} from '../services/service.ts'
import type { IpvsLedger } from './ipvs-ledger.ts'

export interface RealServer {
  ip: number
  port: number
  weight: number
  pod: string | null
}

export interface VirtualService {
  proto: 'TCP' | 'UDP' | 'SCTP'
  vip: number
  port: number
  scheduler: string
  /** sessionAffinity ClientIP: `persistent <timeout>`. */
  persistent: number | null
  dests: RealServer[]
  /** `ns/name:port` of the Service port behind it. */
  name: string
}

const PROTO_NUM = { TCP: 6, UDP: 17, SCTP: 132 } as const

const cache = new WeakMap<
  Cluster,
  Map<string, { list: VirtualService[]; byKey: Map<string, VirtualService> }>
>()

/** The node's virtual services, built once per cluster and indexed as IPVS's hash table is. */
function indexed(c: Cluster, node: string) {
  let byNode = cache.get(c)
  if (!byNode) {
    byNode = new Map()
    cache.set(c, byNode)
  }
  let entry = byNode.get(node)
  if (!entry) {
    const list = buildVirtualServices(c, node)
    entry = { list, byKey: new Map(list.map((v) => [`${v.proto} ${v.vip}:${v.port}`, v])) }
    byNode.set(node, entry)
  }
  return entry
}

export function virtualServices(c: Cluster, node: string): VirtualService[] {
  return indexed(c, node).list
}

/** ip_vs_service_find: the virtual service for protocol, address and port, if any. */
export function findVirtualService(
  c: Cluster,
  node: string,
  proto: string,
  vip: number,
  port: number,
): VirtualService | undefined {
  return indexed(c, node).byKey.get(`${proto} ${vip}:${port}`)
}

/** One Service port's virtual services: its ClusterIP, external IPs, LB VIPs and node port. */
function portVirtualServices(
  c: Cluster,
  node: string,
  svc: BuiltService,
  p: BuiltServicePort,
): VirtualService[] {
  const n = c.nodeByName.get(node)
  const out: VirtualService[] = []
  // syncEndpoint: a Local policy uses this node's endpoints, or every usable one when the
  // node has none (so that local Pods still get through; kubernetes#97081).
  const cat = categorizeEndpoints(svc, p, node)
  const pickFor = (onlyLocal: boolean) =>
    (onlyLocal && cat.local.length > 0 ? cat.local : cat.cluster).map((e) => ({
      ip: e.ip,
      port: e.port,
      weight: 1,
      pod: e.pod,
    }))
  const base = {
    proto: p.protocol,
    port: p.port,
    scheduler: c.decl.kubeProxy.scheduler,
    persistent: svc.decl.sessionAffinity === 'ClientIP' ? svc.decl.sessionAffinityTimeout : null,
    name: servicePortName(svc, p),
  }
  const local = externalPolicyLocal(svc)
  out.push({
    ...base,
    vip: svc.clusterIP!,
    dests: pickFor(svc.decl.internalTrafficPolicy === 'Local'),
  })
  for (const ip of svc.externalIPs) out.push({ ...base, vip: ip, dests: pickFor(local) })
  for (const ip of loadBalancerVIPs(svc)) out.push({ ...base, vip: ip, dests: pickFor(local) })
  if (p.nodePort !== null && n)
    out.push({ ...base, vip: n.ip, port: p.nodePort, dests: pickFor(local) })
  // libipvs sorts real servers by address, then port.
  for (const v of out) v.dests.sort((a, b) => a.ip - b.ip || a.port - b.port)
  return out
}

function buildVirtualServices(c: Cluster, node: string): VirtualService[] {
  const out: VirtualService[] = []
  for (const svc of c.services) {
    if (svc.clusterIP === null) continue
    for (const p of svc.ports) out.push(...portVirtualServices(c, node, svc, p))
  }
  // libipvs sorts services by protocol number, then address, then port (a stable sort: of two
  // with the same key, the Service listed first comes first).
  out.sort((a, b) => PROTO_NUM[a.proto] - PROTO_NUM[b.proto] || a.vip - b.vip || a.port - b.port)
  return out
}

const vsKeyOf = (proto: string, vip: number, port: number) => `${proto} ${vip}:${port}`

/** Per node: each virtual service key, and the first Service port (in list order) that has it. */
const keyIndex = new WeakMap<
  Cluster,
  Map<string, Map<string, { svc: BuiltService; port: BuiltServicePort }>>
>()

/**
 * The first virtual service of `virtualServices(c, node)` for protocol, address and port, the
 * one a walk meets, built alone: a trace to one Service of 10,000 builds one virtual service,
 * not all of them. The key index is made once per cluster and node, without endpoints.
 */
export function firstVirtualService(
  c: Cluster,
  node: string,
  proto: string,
  vip: number,
  port: number,
): VirtualService | undefined {
  let byNode = keyIndex.get(c)
  if (!byNode) {
    byNode = new Map()
    keyIndex.set(c, byNode)
  }
  let index = byNode.get(node)
  if (!index) {
    index = new Map()
    const nodeIp = c.nodeByName.get(node)?.ip
    for (const svc of c.services) {
      if (svc.clusterIP === null) continue
      for (const p of svc.ports) {
        const keys = [
          vsKeyOf(p.protocol, svc.clusterIP, p.port),
          ...svc.externalIPs.map((ip) => vsKeyOf(p.protocol, ip, p.port)),
          ...loadBalancerVIPs(svc).map((ip) => vsKeyOf(p.protocol, ip, p.port)),
          ...(p.nodePort !== null && nodeIp !== undefined
            ? [vsKeyOf(p.protocol, nodeIp, p.nodePort)]
            : []),
        ]
        for (const k of keys) if (!index.has(k)) index.set(k, { svc, port: p })
      }
    }
    byNode.set(node, index)
  }
  const at = index.get(vsKeyOf(proto, vip, port))
  if (!at) return undefined
  return portVirtualServices(c, node, at.svc, at.port).find(
    (v) => v.proto === proto && v.vip === vip && v.port === port,
  )
}

export function formatVirtualService(v: VirtualService): string {
  return `${v.proto}  ${formatIp(v.vip)}:${v.port} ${v.scheduler}${v.persistent !== null ? ` persistent ${v.persistent}` : ''}`
}

/** ipvsadm.c print_service_entry: "  -> %-28s %-7s %-6d %-10u %-10u". */
export function formatRealServer(d: RealServer, active = 0, inactive = 0): string {
  return `  -> ${`${formatIp(d.ip)}:${d.port}`.padEnd(28)} ${'Masq'.padEnd(7)} ${String(d.weight).padEnd(6)} ${String(active).padEnd(10)} ${String(inactive).padEnd(10)}`
}

/** `ipvsadm -Ln` on a node. The kernel's default connection table has 4096 buckets. */
export function ipvsadmList(c: Cluster, node: string, ledger?: IpvsLedger): string[] {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ]
  for (const v of virtualServices(c, node)) {
    lines.push(formatVirtualService(v))
    for (const d of v.dests) {
      const n = ledger?.counts(node, vsKey(v), rsKey(d)) ?? { active: 0, inactive: 0 }
      lines.push(formatRealServer(d, n.active, n.inactive))
    }
  }
  return lines
}

/** How the ledger names a virtual service and a real server: as ipvsadm prints them. */
export const vsKey = (v: VirtualService) => `${v.proto} ${formatIp(v.vip)}:${v.port}`
export const rsKey = (d: RealServer) => `${formatIp(d.ip)}:${d.port}`
