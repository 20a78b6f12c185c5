/**
 * The Services as Cilium's agent holds them for its BPF load balancer (the cilium_lb4_services
 * and cilium_lb4_backends maps), printed as `cilium-dbg service list` prints them
 * (cilium-dbg/cmd/service_list.go printServiceList: a tabwriter with minwidth 5, padding 3;
 * columns ID, Frontend, Service Type, Backend; each backend "N => address (state)", N its slot
 * from 1; addresses as L3n4Addr.String prints them, "ip:port/PROTOCOL"). PodPath models the
 * ClusterIP frontends; the IDs are the agent's own numbering, which PodPath gives in the order
 * of the cluster's Services.
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
  type?: 'ClusterIP' | 'NodePort'
  /** A NodePort frontend's address (0 for the 0.0.0.0 surrogate); a ClusterIP's is the Service's. */
  address?: number
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

export function ciliumFrontends(c: Cluster): CiliumFrontend[] {
  const out: CiliumFrontend[] = []
  for (const svc of c.services) {
    if (svc.clusterIP === null) continue
    for (const port of svc.ports)
      out.push({ id: out.length + 1, svc, port, backends: backendsOf(port) })
  }
  return out
}

export const frontendAddress = (f: CiliumFrontend): string =>
  f.type === 'NodePort'
    ? `${formatIp(f.address!)}:${f.port.nodePort}/${f.port.protocol}`
    : `${formatIp(f.svc.clusterIP!)}:${f.port.port}/${f.port.protocol}`

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
 * The list on one node: the ClusterIP frontends and, with `frontends` (./bpf-lb-list.ts
 * nodeFrontends), that node's NodePort frontends too, as the agent lists every frontend it holds.
 */
export function ciliumServiceList(
  c: Cluster,
  frontends: readonly CiliumFrontend[] = ciliumFrontends(c),
): string[] {
  return tabwrite(rows(frontends), 5, 3)
}

/** The rows of one frontend, as the list prints them (for a step's lookups). */
export function frontendLines(c: Cluster, f: CiliumFrontend): string[] {
  const all = ciliumServiceList(c)
  const frontends = ciliumFrontends(c)
  let line = 1
  for (const x of frontends) {
    const n = Math.max(1, x.backends.length)
    if (x.id === f.id) return all.slice(line, line + n)
    line += n
  }
  return []
}
