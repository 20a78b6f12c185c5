/**
 * Opening a box of the graph, as Packet Tracer lets one open a device: a node's or a Pod's
 * tables printed as `podpath tables --node/--pod` prints them, as they stand just after one step
 * of a trace (the ARP entries learnt so far, the conntrack entries made so far), with each entry
 * the trace uses marked: at this step, earlier, or later.
 */
import type { Trace } from '../model/trace.ts'
import type { TrafficDecl } from '../model/scenario.ts'
import type { Cluster } from './cluster.ts'
import { netnsName } from './print/ip-link.ts'
import { namespaceSections } from './print/tables.ts'
import { traceSession, type TraceOptions } from './trace.ts'

/** What to open: a node (its host namespace) or a Pod (`namespace/name`). */
export type InspectTarget = { node: string } | { pod: string }

/** When the trace uses an entry, seen from the step inspected. */
export type Use = 'now' | 'before' | 'later'

export interface InspectLine {
  text: string
  used: Use | null
}

export interface InspectSection {
  command: string
  lines: InspectLine[]
}

export interface Inspection {
  target: InspectTarget
  /** The step (position in the trace) the tables stand at. */
  step: number
  sections: InspectSection[]
}

/** The network namespace of a node, or of a Pod (a hostNetwork Pod's is its node's). */
function nsIdOf(c: Cluster, t: { node?: string | null; pod?: string | null }): string | null {
  if (t.pod) return c.podByKey.get(t.pod)?.nsId ?? null
  if (t.node) return c.nodeByName.get(t.node)?.nsId ?? null
  return null
}

/** A lookup the engine made in a Pod from its node's side names the Pod in its table. */
const IN_POD = /\(in Pod ([^)\s]+)\)/

/**
 * The key an entry is matched by. conntrack's line changes as the connection goes on
 * ([UNREPLIED], then ESTABLISHED): its original tuple names it.
 */
function entryKey(table: string, text: string): string {
  const t = text.trim()
  if (table.startsWith('conntrack')) {
    const tuple = /^(\S+)\s.*?(src=\S+ dst=\S+ sport=\d+ dport=\d+)/.exec(t)
    return tuple ? `ct ${tuple[1]} ${tuple[2]}` : t
  }
  return t
}

/** Whether a printed line is (part of) an entry: `ip -d addr show` looks up a link in one line. */
function lineMatches(
  line: string,
  rules: ReadonlyMap<string, number[]>,
  command: string,
): number[] {
  const key = entryKey(command, line)
  const direct = rules.get(key)
  if (direct) return direct
  if (!command.includes('ip -d addr') || key.length < 12) return []
  const hits: number[] = []
  for (const [rule, steps] of rules)
    if (rule.startsWith('link ') && rule.includes(key)) hits.push(...steps)
  return hits
}

/**
 * A namespace's tables at one step of a trace (after that step), each line marked by when the
 * trace uses it. Null when the node or Pod is not in the cluster.
 */
export function inspectAt(
  cluster: Cluster,
  traffic: TrafficDecl,
  opts: TraceOptions,
  step: number,
  target: InspectTarget,
): Inspection | null {
  const nsId = nsIdOf(cluster, 'node' in target ? { node: target.node } : { pod: target.pod })
  const ns = nsId ? cluster.netns.get(nsId) : undefined
  if (!nsId || !ns) return null
  const { trace, state } = traceSession(cluster, traffic, opts, step)
  const rules = usedEntries(cluster, trace, nsId)
  const name = 'pod' in target ? netnsName(ns) : null
  const prefix = name ? `ip netns exec ${name} ` : ''
  const sections = namespaceSections(cluster, ns, prefix, state).map((s) => ({
    command: s.command,
    lines: s.lines.map((text) => {
      const at = lineMatches(text, rules, s.command)
      const used: Use | null = at.includes(step)
        ? 'now'
        : at.some((i) => i < step)
          ? 'before'
          : at.length > 0
            ? 'later'
            : null
      return { text, used }
    }),
  }))
  return { target, step, sections }
}

/** Every entry the trace matched in one namespace, with the steps that matched it. */
function usedEntries(c: Cluster, trace: Trace, nsId: string): Map<string, number[]> {
  const used = new Map<string, number[]>()
  trace.steps.forEach((s, i) => {
    const here = nsIdOf(c, s.at)
    for (const l of s.lookups) {
      if (!l.matched) continue
      const pod = IN_POD.exec(l.table)?.[1]
      if ((pod ? nsIdOf(c, { pod }) : here) !== nsId) continue
      // A link's line from `ip -d addr show X` is looked for inside the printed link.
      const key = l.table.startsWith('ip -d addr show')
        ? `link ${l.rule}`
        : entryKey(l.table, l.rule)
      const steps = used.get(key) ?? []
      steps.push(i)
      used.set(key, steps)
    }
  })
  return used
}
