/**
 * The capstone's path as one line: Internet -> cloud load balancer -> Ingress controller ->
 * Service -> Pod, and back, each stop found in the capstone's own trace (not written down), so
 * that a stop opens the step where the packet is there even when the lesson changes.
 */
import type { Step, Trace } from '../model/trace.ts'
import type { ClusterSummary } from '../sim/protocol.ts'

export const CAPSTONE_LESSON = 'mode4-capstone'

export type StopName = 'internet' | 'lb' | 'ingress' | 'service' | 'pod'

export interface Stop {
  direction: 'request' | 'reply'
  stop: StopName
  /** Position of the step in the trace. */
  step: number
}

const REQUEST: StopName[] = ['internet', 'lb', 'ingress', 'service', 'pod']

/**
 * The steps where the packet is at each stop:
 * - request: the client sends from the Internet; the cloud load balancer picks a node; the
 *   Ingress controller routes by host and path; the packet for the Service's ClusterIP is
 *   rewritten to an endpoint (or, with no ClusterIP on the way, the controller picks the
 *   Service's endpoint itself); the Pod receives it;
 * - reply: the Pod answers; the Service's address is restored (un-NAT); the controller writes
 *   its own reply to the client; the load balancer undoes its translation; the client receives.
 * A stop the trace does not pass is left out.
 */
export function capstoneStops(trace: Trace, cluster: ClusterSummary): Stop[] {
  const clusterIps = new Set(
    cluster.services.flatMap((s) => (s.clusterIP && s.clusterIP !== 'None' ? [s.clusterIP] : [])),
  )
  const steps = trace.steps.map((s, i) => ({ s, i }))
  const req = steps.filter(({ s }) => s.phase === 'request')
  const rep = steps.filter(({ s }) => s.phase === 'reply')
  const prevDst = (i: number): string | null => {
    for (let j = i - 1; j >= 0; j--) {
      const l3 = trace.steps[j]!.packet.l3
      if (l3) return l3.dst
    }
    return null
  }
  const first = (xs: { s: Step; i: number }[], f: (s: Step, i: number) => boolean) =>
    xs.find(({ s, i }) => f(s, i))?.i ?? null
  const last = (xs: { s: Step; i: number }[], f: (s: Step, i: number) => boolean) =>
    xs.filter(({ s, i }) => f(s, i)).at(-1)?.i ?? null

  const ingress = first(req, (s) => s.action === 'l7-route')
  const controller = ingress === null ? null : trace.steps[ingress]!.at.component
  const after = (from: number | null) => req.filter(({ i }) => from !== null && i > from)
  const found: Record<'request' | 'reply', Record<StopName, number | null>> = {
    request: {
      internet: first(req, (s) => s.at.component === 'internet' && s.action === 'send'),
      lb: first(req, (s) => s.at.component === 'cloud-lb'),
      ingress,
      service:
        first(
          after(ingress),
          (s, i) =>
            (s.action === 'dnat' || s.action === 'lb-select') && clusterIps.has(prevDst(i) ?? ''),
        ) ?? first(after(ingress), (s) => s.action === 'proxy'),
      pod: last(req, (s) => s.action === 'deliver' && s.at.pod !== null),
    },
    reply: {
      pod: rep[0]?.i ?? null,
      service: first(rep, (s) => s.action === 'unnat' && clusterIps.has(s.packet.l3?.src ?? '')),
      ingress: first(
        rep,
        (s) => s.action === 'send' && controller !== null && s.at.component === controller,
      ),
      lb: first(rep, (s) => s.at.component === 'cloud-lb'),
      internet: last(rep, (s) => s.at.component === 'internet' && s.action === 'deliver'),
    },
  }
  const out: Stop[] = []
  for (const stop of REQUEST) {
    const step = found.request[stop]
    if (step !== null) out.push({ direction: 'request', stop, step })
  }
  for (const stop of [...REQUEST].reverse()) {
    const step = found.reply[stop]
    if (step !== null) out.push({ direction: 'reply', stop, step })
  }
  return out
}
