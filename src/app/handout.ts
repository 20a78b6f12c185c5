/**
 * A trace as a handout: every step with its narration, the header fields it changed (before
 * and after) and the rules that decided it, and which steps deserve a drawing of the cluster.
 * Pure: the command line prints it as Markdown (src/cli/handout.ts), the app as its print view.
 */
import type { Text } from '../model/text.ts'
import type { Action, Location, Lookup, Packet, Phase, Trace } from '../model/trace.ts'

export interface HandoutChange {
  /** The trace's dotted path: `l3.dst`, `outer`, `app.headers.Host`. */
  field: string
  before: string
  after: string
}

export interface HandoutStep {
  index: number
  phase: Phase
  action: Action
  at: Location
  narration: Text
  changes: HandoutChange[]
  rules: Pick<Lookup, 'table' | 'rule'>[]
  /** Rules the tunnel's outer packet matched at this step's hooks: counted, not deciding. */
  outerRules: Pick<Lookup, 'table' | 'rule'>[]
  /** Draw the cluster here. */
  key: boolean
}

/**
 * Where the picture changes: a phase begins, an address is rewritten, the packet is wrapped in
 * an outer header, it is dropped or rejected, and the last step.
 */
const KEY_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'dnat',
  'snat',
  'masquerade',
  'unnat',
  'lb-select',
  'proxy',
  'encapsulate',
  'drop',
  'reject',
])

export function isKeyStep(trace: Trace, i: number): boolean {
  const s = trace.steps[i]!
  const prev = trace.steps[i - 1]
  return (
    !prev || prev.phase !== s.phase || i === trace.steps.length - 1 || KEY_ACTIONS.has(s.action)
  )
}

const NONE = '—'

function read(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    )
}

/** A header field as a line of text: an address pair as `src > dst`, an outer header in full. */
export function formatField(packet: Packet | null, path: string): string {
  const v = packet ? read(packet, path) : undefined
  if (v === undefined || v === null) return NONE
  if (typeof v !== 'object') return String(v)
  if (path === 'outer') {
    const o = packet!.outer!
    const how =
      o.encap === 'vxlan'
        ? `VXLAN${o.vni === undefined ? '' : ` VNI ${o.vni}`}, UDP ${o.l4?.dstPort}`
        : 'IP-in-IP'
    return `${how}: ${o.l3.src} > ${o.l3.dst}`
  }
  const r = v as Record<string, unknown>
  if ('src' in r && 'dst' in r) return `${String(r.src)} > ${String(r.dst)}`
  if ('srcPort' in r && 'dstPort' in r) return `${String(r.srcPort)} > ${String(r.dstPort)}`
  return JSON.stringify(v)
}

export function handoutSteps(trace: Trace): HandoutStep[] {
  return trace.steps.map((s, i) => {
    const before = i > 0 ? trace.steps[i - 1]!.packet : null
    return {
      index: s.index,
      phase: s.phase,
      action: s.action,
      at: s.at,
      narration: s.explain,
      changes: s.changed.map((field) => ({
        field,
        before: formatField(before, field),
        after: formatField(s.packet, field),
      })),
      rules: s.lookups
        .filter((l) => l.matched && !l.outer)
        .map(({ table, rule }) => ({ table, rule })),
      outerRules: s.lookups
        .filter((l) => l.matched && l.outer)
        .map(({ table, rule }) => ({ table, rule })),
      key: isKeyStep(trace, i),
    }
  })
}
