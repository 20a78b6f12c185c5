/**
 * The Services as Cilium's agent holds them for its BPF load balancer (the cilium_lb4_services
 * and cilium_lb4_backends maps), printed as `cilium-dbg service list` prints them
 * (cilium-dbg/cmd/service_list.go printServiceList: a tabwriter with minwidth 5, padding 3;
 * columns ID, Frontend, Service Type, Backend; each backend "N => address (state)", N its slot
 * from 1; addresses as L3n4Addr.String prints them, "ip:port/PROTOCOL"). PodPath models the
 * ClusterIP frontends here and the NodePort ones in ./bpf-lb-list.ts; the IDs are the agent's
 * own numbering, which PodPath gives in the order of the cluster's Services.
 */
import { formatIp } from '../../../model/ipv4.ts'
import type { ClusterDecl } from '../../../model/scenario.ts'
import type { Cluster } from '../../cluster.ts'
import type { BuiltEndpoint, BuiltService, BuiltServicePort } from '../../services/service.ts'
import { tabwrite as goTabwrite } from '../../print/tabwriter.ts'

/** With kubeProxyReplacement, no kube-proxy runs: Cilium's programs are the Service data plane. */
export function kubeProxyReplaced(decl: ClusterDecl): boolean {
  return decl.cni.plugin === 'cilium' && decl.cni.cilium.kubeProxyReplacement
}

export interface CiliumFrontend {
  id: number
  svc: BuiltService
  port: BuiltServicePort
  /** ClusterIP, or a NodePort frontend (./bpf-lb-list.ts: on 0.0.0.0 or a node address). */
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer'
  /**
   * A NodePort frontend's address (0 for the 0.0.0.0 surrogate) or a LoadBalancer one's (an
   * ingress IP); a ClusterIP's is the Service's.
   */
  address?: number
  /**
   * The lookup scope (pkg/loadbalancer ScopeExternal, ScopeInternal): absent for the external
   * one. A NodePort Service whose two traffic policies differ gets both (./bpf-lb-list.ts).
   */
  scope?: 'internal'
  /** The backends in slot order (slot = index + 1): active, then terminating. */
  backends: { ep: BuiltEndpoint; state: 'active' | 'terminating' }[]
}

/** Backend states (pkg/loadbalancer BackendState): a ready endpoint is active. */
function backendsOf(port: BuiltServicePort): CiliumFrontend['backends'] {
  return port.endpoints.flatMap((ep): CiliumFrontend['backends'] =>
    ep.ready && !ep.terminating
      ? [{ ep, state: 'active' }]
      : ep.serving && ep.terminating
        ? [{ ep, state: 'terminating' }]
        : [],
  )
}

/**
 * The backends a frontend of `node`'s agent holds: all of them, or with a Local policy for its
 * scope only those on the node (pkg/loadbalancer/writer shouldUseLocalBackends: a ClusterIP and
 * the internal scope follow internalTrafficPolicy, a NodePort's external scope
 * externalTrafficPolicy).
 */
export function scopedBackends(
  port: BuiltServicePort,
  node: string,
  local: boolean,
): CiliumFrontend['backends'] {
  const all = backendsOf(port)
  return local ? all.filter((b) => b.ep.node === node) : all
}

/** The ClusterIP frontends the agent on `node` holds. */
export function ciliumFrontends(c: Cluster, node: string): CiliumFrontend[] {
  const out: CiliumFrontend[] = []
  for (const svc of c.services) {
    if (svc.clusterIP === null) continue
    const local = svc.decl.internalTrafficPolicy === 'Local'
    for (const port of svc.ports)
      out.push({ id: out.length + 1, svc, port, backends: scopedBackends(port, node, local) })
  }
  return out
}

/** The address of the frontend's key: the ClusterIP, the node (or 0) or the ingress IP. */
export const frontendIp = (f: CiliumFrontend): number =>
  f.type === undefined || f.type === 'ClusterIP' ? f.svc.clusterIP! : f.address!

/** The port of the frontend's key: the nodePort for a NodePort, else the Service port. */
export const frontendPort = (f: CiliumFrontend): number =>
  f.type === 'NodePort' ? f.port.nodePort! : f.port.port

/** L3n4Addr.String (pkg/loadbalancer): "ip:port/PROTOCOL", and "/i" for the internal scope. */
export const frontendAddress = (f: CiliumFrontend): string =>
  `${formatIp(frontendIp(f))}:${frontendPort(f)}/${f.port.protocol}` +
  (f.scope === 'internal' ? '/i' : '')

export const backendCell = (f: CiliumFrontend, i: number): string => {
  const b = f.backends[i]!
  return `${i + 1} => ${formatIp(b.ep.ip)}:${b.ep.port}/${f.port.protocol} (${b.state})`
}

/** One row per line as printServiceList writes them, before the tabwriter aligns them. */
function rows(frontends: readonly CiliumFrontend[]): string[][] {
  const out: string[][] = [['ID', 'Frontend', 'Service Type', 'Backend']]
  for (const f of frontends) {
    const first = f.backends.length ? backendCell(f, 0) : ''
    out.push([String(f.id), frontendAddress(f), f.type ?? 'ClusterIP', first])
    for (let i = 1; i < f.backends.length; i++) out.push(['', '', '', backendCell(f, i)])
  }
  return out
}

/** Rows whose every cell is tab-terminated, through Go's text/tabwriter (../../print/tabwriter.ts). */
export function tabwrite(table: string[][], minwidth: number, padding: number): string[] {
  return goTabwrite(
    table.map((row) => [...row, ''].join('\t')),
    { minwidth, padding },
  )
}

/**
 * The list on one node, every frontend its agent holds (./bpf-lb-list.ts nodeFrontends: the
 * ClusterIPs, then the NodePorts).
 */
export function ciliumServiceList(frontends: readonly CiliumFrontend[]): string[] {
  return tabwrite(rows(frontends), 5, 3)
}

/** The rows of one frontend, as the node's list prints them (for a step's lookups). */
export function frontendLines(frontends: readonly CiliumFrontend[], f: CiliumFrontend): string[] {
  const all = ciliumServiceList(frontends)
  let line = 1
  for (const x of frontends) {
    const n = Math.max(1, x.backends.length)
    if (x.id === f.id) return all.slice(line, line + n)
    line += n
  }
  return []
}
