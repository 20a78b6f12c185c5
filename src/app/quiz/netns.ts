/**
 * The network namespace a step acts in, for the tables it reads: a Pod's own, unless the Pod
 * shares its node's (hostNetwork: true); then, and with no Pod, its node's. Null outside every
 * node (the client on the Internet, a cloud load balancer).
 */
import type { Location, Trace } from '../../model/trace.ts'
import type { Lookup } from '../../model/trace.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'

export function netnsOf(at: Location, cluster: ClusterSummary): string | null {
  const pod = at.pod ? cluster.pods.find((p) => `${p.namespace}/${p.name}` === at.pod) : undefined
  if (pod && !pod.hostNetwork) return `pod:${at.pod}`
  return at.node ? `node:${at.node}` : null
}

/** Every line of `table` the trace shows in the namespace `ns`, in trace order. */
export function linesInNetns(
  trace: Trace,
  cluster: ClusterSummary,
  ns: string | null,
  table: string,
): Lookup[] {
  return (
    trace.steps
      .filter((s) => netnsOf(s.at, cluster) === ns)
      .flatMap((s) => s.lookups)
      // A tunnel's outer packet passes rules the followed packet never meets (trace-format.md).
      .filter((l) => l.table === table && !l.outer)
  )
}
