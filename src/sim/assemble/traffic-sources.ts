/**
 * The senders of a scenario's Traffic, as far as the build can judge them without the full
 * check (target.ts checkTraffic, which needs a built cluster): a sender the file never names is
 * reported even when the build stops at another error; a sender the file names but that was
 * refused (an invalid Pod, a node that does not exist) is its own error, not reported again.
 */
import type { Scenario, TrafficDecl } from '../../model/scenario.ts'
import type { Where } from '../../model/diagnostic.ts'
import { noSuchNode, noSuchPod } from '../target.ts'
import { report, type BuildContext } from './context.ts'

type Sender = 'there' | 'refused' | 'unknown'

/** `byOwner`: a name a controller could have given counts as written (the build stopped early). */
function judge(ctx: BuildContext, s: Scenario, byOwner: boolean): (t: TrafficDecl) => Sender {
  // Looked up by a scan, not a set of every Pod's key: a scenario has a handful of Traffic and
  // may have 5,000 Pods, and building the keys cost more than the scans.
  const isPlaced = (ns: string, name: string) =>
    ctx.pods.some((p) => p.name === name && p.namespace === ns)
  const isWritten = (ns: string, name: string) =>
    s.pods.some((d) => d.name === name && d.namespace === ns) ||
    (s.written?.pods.includes(`${ns}/${name}`) ?? false)
  // A controller's Pods are named when they are placed; one that was not placed (its own error)
  // may be the sender, so a name its controller could have given counts as written.
  const owners = byOwner
    ? [
        ...s.pods.flatMap((d) => (d.owner ? [`${d.namespace}/${d.owner.name}`] : [])),
        ...(s.written?.controllers ?? []),
      ].map((o) => `${o}-`)
    : []
  const nodes = new Set(ctx.nodes.map((n) => n.name))
  const writtenNodes = new Set([...s.nodes.map((n) => n.name), ...(s.written?.nodes ?? [])])
  return (t) => {
    const from = t.from
    if (from.kind === 'pod') {
      if (isPlaced(from.namespace, from.name)) return 'there'
      const key = `${from.namespace}/${from.name}`
      return isWritten(from.namespace, from.name) || owners.some((o) => key.startsWith(o))
        ? 'refused'
        : 'unknown'
    }
    if (from.kind === 'node') {
      if (nodes.has(from.node)) return 'there'
      return writtenNodes.has(from.node) ? 'refused' : 'unknown'
    }
    return 'there'
  }
}

/** For a build that stopped at an error: the Traffic senders the file never names. */
export function reportUnknownSenders(ctx: BuildContext, s: Scenario): void {
  const sender = judge(ctx, s, true)
  for (const t of s.traffic) {
    if (sender(t) !== 'unknown') continue
    const from = t.from
    if (from.kind === 'pod') report(ctx, t.fromWhere, noSuchPod(`${from.namespace}/${from.name}`))
    else if (from.kind === 'node') report(ctx, t.fromWhere, noSuchNode(from.node))
  }
}

/**
 * For a build that finished: where the Traffic say who sends whose Pod or node the file writes
 * but reading refused (its own error is reported), so that checkTraffic does not report it again.
 */
export function refusedSenders(ctx: BuildContext, s: Scenario): Set<Where> {
  const sender = judge(ctx, s, false)
  return new Set(s.traffic.filter((t) => sender(t) === 'refused').map((t) => t.fromWhere))
}
