/**
 * What a trace adds to the drawing of its cluster: the components it passes that are not a Pod
 * or device (kube-proxy as a process on a node, the Internet, a cloud load balancer), and the
 * Services worth a shape of their own.
 */
import type { Trace } from '../../model/trace.ts'
import type { ClusterSummary, ServiceSummary } from '../../sim/protocol.ts'
import type { GraphExtras } from './layout.ts'
import { STACK_COMPONENTS } from './locate.ts'

/** With more Services than this (the scale lessons have a thousand), only those the trace meets. */
export const MAX_SERVICES = 6

function addressesOf(s: ServiceSummary): string[] {
  return [
    ...(s.clusterIP && s.clusterIP !== 'None' ? [s.clusterIP] : []),
    ...s.loadBalancer,
    ...s.externalIPs,
  ]
}

export function graphExtras(cluster: ClusterSummary, trace: Trace | null): GraphExtras {
  const steps = trace?.steps ?? []
  const nodeComponents: GraphExtras['nodeComponents'] = []
  const outside: string[] = []
  for (const { at } of steps) {
    if (!at.component || at.pod || at.device) continue
    // The kernel and application processes have no box of their own (locate.ts).
    if (STACK_COMPONENTS.has(at.component)) continue
    if (at.node) {
      if (!nodeComponents.some((x) => x.node === at.node && x.name === at.component))
        nodeComponents.push({ node: at.node, name: at.component })
    } else if (at.component !== 'underlay' && !outside.includes(at.component)) {
      outside.push(at.component)
    }
  }
  let services = cluster.services
  if (services.length > MAX_SERVICES) {
    // The Services whose addresses the packet was sent to, in the order of the list.
    const dsts = new Set(steps.flatMap((s) => (s.packet.l3 ? [s.packet.l3.dst] : [])))
    services = services
      .filter((s) => addressesOf(s).some((a) => dsts.has(a)))
      .slice(0, MAX_SERVICES)
  }
  return { nodeComponents, outside, services }
}
