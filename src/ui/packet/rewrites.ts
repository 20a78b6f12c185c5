/**
 * The fields a step rewrote, as the packet shows them: "dst 10.96.0.10 -> 10.244.1.3". Read from
 * the step's `changed` paths and the two packets (nothing is worked out here). Only what a
 * translation or a proxy rewrites is named: addresses, ports, TLS and DNS fields, HTTP headers.
 * The hop-by-hop changes of every routed packet (TTL, MAC addresses) are left to the packet panel,
 * and a new outer header shows as the envelope itself.
 */
import type { Packet } from '../../model/trace.ts'

export type RewriteField =
  | 'l3.src'
  | 'l3.dst'
  | 'l4.srcPort'
  | 'l4.dstPort'
  | 'app.tls.sni'
  | 'app.question'
  | 'app.status'
  | 'app.answers.0'

export type Rewrite =
  { field: RewriteField; from: string | null; to: string } | { field: 'app.headers'; count: number }

const FIELDS: RewriteField[] = [
  'l3.src',
  'l3.dst',
  'l4.srcPort',
  'l4.dstPort',
  'app.tls.sni',
  'app.question',
  'app.status',
  'app.answers.0',
]

/** The value at a dotted path of a packet, as text, or null when it is not there. */
function valueAt(packet: Packet | null, path: string): string | null {
  let v: unknown = packet
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return null
    v = (v as Record<string, unknown>)[part]
  }
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null
}

/**
 * The rewrites of one step, in a fixed order. A whole layer marked changed (`l3`, `l4`) counts
 * for the fields of it that differ when the previous packet had that layer too; a layer that
 * appears (a process starts a new packet) is no rewrite.
 */
export function rewritesOf(
  prev: Packet | null,
  packet: Packet,
  changed: readonly string[],
): Rewrite[] {
  if (changed.length === 0) return []
  const touched = (field: RewriteField) =>
    changed.some((c) => c === field || field.startsWith(`${c}.`) || c.startsWith(`${field}.`))
  const out: Rewrite[] = []
  for (const field of FIELDS) {
    if (!touched(field)) continue
    const from = valueAt(prev, field)
    const to = valueAt(packet, field)
    const layer = field.slice(0, field.indexOf('.'))
    // A layer that was not there before: a new packet, not a rewritten one.
    if (to === null || from === to || (layer !== 'app' && from === null)) continue
    out.push({ field, from, to })
  }
  const headers = changed.filter((c) => c.startsWith('app.headers.')).length
  if (headers > 0) out.push({ field: 'app.headers', count: headers })
  return out
}
