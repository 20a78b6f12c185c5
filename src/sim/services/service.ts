/** A Service as the data plane sees it: its addresses, its ports, and each port's endpoints. */
import type { LoadBalancerIngressDecl, ServiceDecl } from '../../model/scenario.ts'
import { formatIp } from '../../model/ipv4.ts'

export interface BuiltEndpoint {
  ip: number
  port: number
  /** EndpointSlice conditions (discovery/v1): ready to take new connections. */
  ready: boolean
  /** Passing its readiness checks, even while shutting down. */
  serving: boolean
  /** Its Pod is being deleted. */
  terminating: boolean
  /** The node the endpoint runs on (null when an EndpointSlice does not say). */
  node: string | null
  /** `namespace/name` of the Pod behind it, when there is one. */
  pod: string | null
}

export interface BuiltServicePort {
  /** Empty for an unnamed port. */
  name: string
  port: number
  protocol: 'TCP' | 'UDP' | 'SCTP'
  nodePort: number | null
  /** Every endpoint, ready or not, in the order kube-proxy lists them ("ip:port" strings). */
  endpoints: BuiltEndpoint[]
}

export interface BuiltService {
  decl: ServiceDecl
  namespace: string
  name: string
  /** Null for headless and ExternalName Services: nothing for kube-proxy to program. */
  clusterIP: number | null
  ports: BuiltServicePort[]
  /** spec.externalIPs. */
  externalIPs: number[]
  /**
   * status.loadBalancer.ingress for a LoadBalancer Service (empty while it is pending; always
   * empty for other types).
   */
  ingress: LoadBalancerIngressDecl[]
  /** Who filled `ingress` in: the scenario, PodPath's stand-in cloud controller, or nobody yet. */
  ingressSource: 'scenario' | 'cloud' | 'pending' | null
  /** spec.healthCheckNodePort: set for a LoadBalancer with externalTrafficPolicy Local. */
  healthCheckNodePort: number | null
}

/** The load-balancer IPs kube-proxy captures: ingress IPs in VIP mode (serviceport.go). */
export function loadBalancerVIPs(svc: BuiltService): number[] {
  return svc.ingress.flatMap((i) => (i.ip !== null && i.ipMode === 'VIP' ? [i.ip] : []))
}

/** apiservice.ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with externalIPs. */
export function externallyAccessibleService(svc: BuiltService): boolean {
  const t = svc.decl.type
  return (
    t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && svc.externalIPs.length > 0)
  )
}

/** apiservice.ExternalPolicyLocal: externally accessible and externalTrafficPolicy Local. */
export function externalPolicyLocal(svc: BuiltService): boolean {
  return externallyAccessibleService(svc) && svc.decl.externalTrafficPolicy === 'Local'
}

/**
 * proxy.CategorizeEndpoints (pkg/proxy/topology.go), without topology hints: the endpoints a
 * node's kube-proxy sends Cluster-policy and Local-policy traffic to. Ready endpoints first;
 * when there is none, serving-and-terminating ones (independently for Cluster and Local).
 */
export function categorizeEndpoints(
  svc: BuiltService,
  port: BuiltServicePort,
  node: string,
): {
  cluster: BuiltEndpoint[]
  local: BuiltEndpoint[]
  reachable: BuiltEndpoint[]
  hasAny: boolean
  /** True when Cluster traffic fell back to terminating endpoints. */
  clusterFallback: boolean
} {
  const eps = port.endpoints
  const internalLocal = svc.decl.internalTrafficPolicy === 'Local'
  const accessible =
    port.nodePort !== null || loadBalancerVIPs(svc).length > 0 || svc.externalIPs.length > 0
  const usesCluster = !internalLocal || accessible
  const usesLocal = internalLocal || (externalPolicyLocal(svc) && accessible)
  const fallback = (e: BuiltEndpoint) => e.serving && e.terminating
  let cluster: BuiltEndpoint[] = []
  let clusterFallback = false
  let hasAny = false
  if (usesCluster) {
    cluster = eps.filter((e) => e.ready)
    if (cluster.length === 0) {
      cluster = eps.filter(fallback)
      clusterFallback = cluster.length > 0
    }
    hasAny = cluster.length > 0
  }
  if (!usesLocal) return { cluster, local: [], reachable: cluster, hasAny, clusterFallback }
  const isLocal = (e: BuiltEndpoint) => e.node === node
  if (eps.some((e) => e.ready || fallback(e))) hasAny = true
  let local = eps.filter((e) => isLocal(e) && e.ready)
  if (local.length === 0) local = eps.filter((e) => isLocal(e) && fallback(e))
  if (!usesCluster) return { cluster, local, reachable: local, hasAny, clusterFallback }
  const byKey = new Map<string, BuiltEndpoint>()
  for (const e of [...cluster, ...local]) byKey.set(`${e.ip}:${e.port}`, e)
  const reachable = [...byKey.values()].sort(compareEndpoints)
  return { cluster, local, reachable, hasAny, clusterFallback }
}

/** byEndpoint in endpointslicecache.go: kube-proxy orders endpoints by their "ip:port" string. */
export function compareEndpoints(a: BuiltEndpoint, b: BuiltEndpoint): number {
  const x = `${formatIp(a.ip)}:${a.port}`
  const y = `${formatIp(b.ip)}:${b.port}`
  return x < y ? -1 : x > y ? 1 : 0
}

/** kube-proxy's ServicePortName.String(): "ns/name:port", or "ns/name" for an unnamed port (pkg/proxy/types.go). */
export function servicePortName(svc: BuiltService, port: BuiltServicePort): string {
  return `${svc.namespace}/${svc.name}${port.name ? `:${port.name}` : ''}`
}
