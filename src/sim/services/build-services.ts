/**
 * Services in the built cluster: ClusterIPs and NodePorts allocated as the API server does,
 * endpoints derived from selectors (the EndpointSlice controller's job) or taken from the
 * EndpointSlices given in the scenario.
 */
import type { EndpointSliceDecl, ServiceDecl } from '../../model/scenario.ts'
import { cidrContains, cidrSize, formatCidr, formatIp, type Cidr } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { BuiltPod } from '../cluster.ts'
import { fnv32a } from '../../model/k8s-names.ts'
import { report, type BuildContext } from '../assemble/context.ts'
import {
  compareEndpoints,
  type BuiltEndpoint,
  type BuiltService,
  type BuiltServicePort,
} from './service.ts'

// The API server's NodePort range default (--service-node-port-range).
export const NODE_PORT_MIN = 30000
export const NODE_PORT_MAX = 32767

/**
 * KEP-3070: the service CIDR is split; the lower "static" band (min(max(16, size/16), 256)
 * addresses) is left for Services that ask for a fixed IP, dynamic ones come from above it.
 */
function staticBand(size: number, min: number, div: number, max: number): number {
  return Math.min(Math.max(min, Math.floor(size / div)), max)
}

/** A deterministic stand-in for the allocator's random pick: a hash of the name, probing upward. */
function pick(key: string, lo: number, count: number, taken: Set<number>): number | null {
  if (count <= 0) return null
  const start = fnv32a(key) % count
  for (let i = 0; i < count; i++) {
    const v = lo + ((start + i) % count)
    if (!taken.has(v)) return v
  }
  return null
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector)
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k])
}

function targetPortOf(
  pod: BuiltPod,
  target: number | string | null,
  port: number,
  protocol: string,
): number | null {
  if (target === null) return port
  if (typeof target === 'number') return target
  for (const c of pod.containers) {
    const p = c.ports.find((x) => x.name === target && x.protocol === protocol)
    if (p) return p.containerPort
  }
  return null
}

export function buildServices(
  ctx: BuildContext,
  decls: ServiceDecl[],
  slices: EndpointSliceDecl[],
  pods: BuiltPod[],
): BuiltService[] {
  const cidr: Cidr = ctx.decl.serviceCIDR
  const size = cidrSize(cidr)
  const takenIps = new Set<number>()
  const takenPorts = new Set<number>()
  const seen = new Set<string>()
  const out: BuiltService[] = []
  // Fixed addresses and ports first, as the API server validates them on create.
  for (const d of decls) {
    if (typeof d.clusterIP === 'number') {
      if (
        !cidrContains(cidr, d.clusterIP) ||
        d.clusterIP === cidr.base ||
        d.clusterIP === cidr.base + size - 1
      ) {
        report(
          ctx,
          d.where,
          text(
            `clusterIP ${formatIp(d.clusterIP)} is not a usable address of the service CIDR ${formatCidr(cidr)}`,
            `clusterIP ${formatIp(d.clusterIP)} 不是 Service CIDR ${formatCidr(cidr)} 中的可用地址`,
          ),
        )
      } else if (takenIps.has(d.clusterIP)) {
        report(
          ctx,
          d.where,
          text(
            `clusterIP ${formatIp(d.clusterIP)} is already allocated`,
            `clusterIP ${formatIp(d.clusterIP)} 已被分配`,
          ),
        )
      } else takenIps.add(d.clusterIP)
    }
    if (d.healthCheckNodePort !== null) takenPorts.add(d.healthCheckNodePort)
    for (const p of d.ports) {
      if (p.nodePort === null) continue
      if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
        report(
          ctx,
          d.where,
          text(
            `nodePort ${p.nodePort} is outside ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
            `nodePort ${p.nodePort} 不在 ${NODE_PORT_MIN}-${NODE_PORT_MAX} 范围内`,
          ),
        )
      } else if (takenPorts.has(p.nodePort)) {
        report(
          ctx,
          d.where,
          text(`nodePort ${p.nodePort} is already allocated`, `nodePort ${p.nodePort} 已被分配`),
        )
      } else takenPorts.add(p.nodePort)
    }
  }
  const ipBand = staticBand(size, 16, 16, 256)
  // KEP-3668 does the same for NodePorts: min(max(16, size/32), 128) ports at the bottom.
  const portCount = NODE_PORT_MAX - NODE_PORT_MIN + 1
  const portBand = staticBand(portCount, 16, 32, 128)
  for (const d of decls) {
    const key = `${d.namespace}/${d.name}`
    if (seen.has(key)) {
      report(ctx, d.where, text(`Service ${key} is declared twice`, `Service ${key} 被声明了两次`))
      continue
    }
    seen.add(key)
    let clusterIP: number | null = null
    if (d.type !== 'ExternalName' && d.clusterIP !== 'None') {
      clusterIP =
        typeof d.clusterIP === 'number'
          ? d.clusterIP
          : pick(key, cidr.base + ipBand, size - ipBand - 1, takenIps)
      if (clusterIP === null)
        report(ctx, d.where, text('the service CIDR is full', 'Service CIDR 已经分配满了'))
      else takenIps.add(clusterIP)
    }
    const ports: BuiltServicePort[] = d.ports.map((p) => {
      let nodePort = p.nodePort
      if (nodePort === null && (d.type === 'NodePort' || d.type === 'LoadBalancer')) {
        nodePort = pick(
          `${key}:${p.name ?? ''}:${p.port}`,
          NODE_PORT_MIN + portBand,
          portCount - portBand,
          takenPorts,
        )
        if (nodePort !== null) takenPorts.add(nodePort)
      }
      return { name: p.name ?? '', port: p.port, protocol: p.protocol, nodePort, endpoints: [] }
    })
    // The API server allocates healthCheckNodePort from the NodePort range for a LoadBalancer
    // with externalTrafficPolicy Local (apiservice.NeedsHealthCheck); kube-proxy answers on it.
    let healthCheckNodePort: number | null = null
    if (d.type === 'LoadBalancer' && d.externalTrafficPolicy === 'Local') {
      healthCheckNodePort =
        d.healthCheckNodePort ??
        pick(`${key}:healthCheck`, NODE_PORT_MIN + portBand, portCount - portBand, takenPorts)
      if (healthCheckNodePort !== null) takenPorts.add(healthCheckNodePort)
    }
    const lb = d.type === 'LoadBalancer'
    const svc: BuiltService = {
      decl: d,
      namespace: d.namespace,
      name: d.name,
      clusterIP,
      ports,
      externalIPs: d.type === 'ExternalName' ? [] : d.externalIPs,
      ingress: lb ? (d.loadBalancerIngress ?? []) : [],
      ingressSource: !lb ? null : d.loadBalancerIngress ? 'scenario' : 'pending',
      healthCheckNodePort,
    }
    fillEndpoints(svc, slices, pods)
    preferGivenSlices(ctx, svc, slices, pods)
    out.push(svc)
  }
  return out
}

function fillEndpoints(svc: BuiltService, slices: EndpointSliceDecl[], pods: BuiltPod[]): void {
  const d = svc.decl
  if (d.type === 'ExternalName') return
  const given = slices.filter((s) => s.namespace === d.namespace && s.serviceName === d.name)
  if (d.selector) {
    // ShouldPodBeInEndpoints(pod, true): a Pod that has finished (Succeeded or Failed) is left
    // out; a terminating one stays, with its conditions.
    const selected = pods.filter(
      (p) => p.namespace === d.namespace && matches(d.selector!, p.labels) && !p.terminal,
    )
    d.ports.forEach((sp, i) => {
      const eps: BuiltEndpoint[] = []
      for (const pod of selected) {
        const port = targetPortOf(pod, sp.targetPort, sp.port, sp.protocol)
        // The EndpointSlice controller's podToEndpoint (k8s.io/endpointslice utils.go): serving
        // is the Pod's Ready condition, terminating its deletionTimestamp, and ready both
        // serving and not terminating, unless publishNotReadyAddresses says every one is.
        if (port !== null)
          eps.push({
            ip: pod.ip,
            port,
            ready: d.publishNotReadyAddresses || (pod.ready && !pod.terminating),
            serving: pod.ready,
            terminating: pod.terminating,
            node: pod.node,
            pod: `${pod.namespace}/${pod.name}`,
          })
      }
      svc.ports[i]!.endpoints = sortEndpoints(eps)
    })
    return
  }
  svc.ports.forEach((port) => {
    port.endpoints = sliceEndpoints(port, given, pods)
  })
}

/** The endpoints of one Service port as the given EndpointSlices list them. */
function sliceEndpoints(
  port: BuiltServicePort,
  given: EndpointSliceDecl[],
  pods: BuiltPod[],
): BuiltEndpoint[] {
  const eps: BuiltEndpoint[] = []
  for (const s of given) {
    // A slice port matches the Service port by name (both unnamed, or the same name).
    const sp = s.ports.find((x) => (x.name ?? '') === port.name && x.protocol === port.protocol)
    if (!sp) continue
    for (const e of s.endpoints) {
      for (const ip of e.addresses) {
        const pod = pods.find((p) => p.ip === ip && !p.hostNetwork)
        eps.push({
          ip,
          port: sp.port,
          ready: e.ready,
          serving: e.serving,
          terminating: e.terminating,
          node: e.nodeName ?? pod?.node ?? null,
          pod: pod ? `${pod.namespace}/${pod.name}` : null,
        })
      }
    }
  }
  return sortEndpoints(eps)
}

/**
 * A Service with a selector whose EndpointSlices the scenario also gives (a cluster's own
 * output): kube-proxy reads the slices, so they win over what the selector would make; when the
 * two differ, an info diagnostic says how.
 */
function preferGivenSlices(
  ctx: BuildContext,
  svc: BuiltService,
  slices: EndpointSliceDecl[],
  pods: BuiltPod[],
): void {
  const d = svc.decl
  if (!d.selector || d.type === 'ExternalName') return
  const given = slices.filter((s) => s.namespace === d.namespace && s.serviceName === d.name)
  if (given.length === 0) return
  const show = (eps: BuiltEndpoint[], notReady: string) =>
    eps.map((e) => `${formatIp(e.ip)}:${e.port}${e.ready ? '' : notReady}`).join(', ')
  for (const port of svc.ports) {
    const listed = sliceEndpoints(port, given, pods)
    if (show(port.endpoints, '-') !== show(listed, '-'))
      report(
        ctx,
        given[0]!.where,
        text(
          `Service ${d.namespace}/${d.name} port ${port.name || port.port}: its EndpointSlices list ${show(listed, ' (not ready)') || 'no endpoint'}, where its selector picks ${show(port.endpoints, ' (not ready)') || 'no Pod'} here; kube-proxy follows the EndpointSlices, and so does PodPath.`,
          `Service ${d.namespace}/${d.name} 端口 ${port.name || port.port}：其 EndpointSlice 列出 ${show(listed, '（未就绪）') || '无端点'}，而这里的选择器选中 ${show(port.endpoints, '（未就绪）') || '无 Pod'}；kube-proxy 以 EndpointSlice 为准，PodPath 也是。`,
        ),
        'info',
      )
    port.endpoints = listed
  }
}

function sortEndpoints(eps: BuiltEndpoint[]): BuiltEndpoint[] {
  return eps.sort(compareEndpoints)
}
