/** Helpers on trace packets: copying, the outermost header, and what changed between steps. */
import type { L2, L3, Packet } from '../../model/trace.ts'

export function clonePacket(p: Packet): Packet {
  return {
    l2: p.l2 ? { ...p.l2 } : null,
    l3: p.l3 ? { ...p.l3 } : null,
    l4: p.l4 ? { ...p.l4 } : null,
    app: p.app ? (JSON.parse(JSON.stringify(p.app)) as Packet['app']) : null,
    outer: p.outer
      ? {
          ...p.outer,
          l2: p.outer.l2 ? { ...p.outer.l2 } : null,
          l3: { ...p.outer.l3 },
          l4: p.outer.l4 ? { ...p.outer.l4 } : null,
        }
      : null,
  }
}

/** The headers the network acts on: the outer ones while a packet is encapsulated. */
export function top(p: Packet): { l2: L2 | null; l3: L3; setL2(l2: L2 | null): void } {
  if (p.outer) {
    const o = p.outer
    return { l2: o.l2, l3: o.l3, setL2: (l2) => (o.l2 = l2) }
  }
  return { l2: p.l2, l3: p.l3!, setL2: (l2) => (p.l2 = l2) }
}

function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (v === null || v === undefined) {
    if (prefix) out.set(prefix, 'null')
    return
  }
  if (typeof v !== 'object') {
    out.set(prefix, String(v))
    return
  }
  const entries = Object.entries(v as Record<string, unknown>)
  if (entries.length === 0) out.set(prefix, '{}')
  for (const [k, val] of entries) flatten(val, prefix ? `${prefix}.${k}` : k, out)
}

/** Dotted paths whose values differ: `l3.dst`, `outer`, `l2.src`, ... */
export function changedFields(before: Packet | null, after: Packet): string[] {
  if (!before) return []
  const a = new Map<string, string>()
  const b = new Map<string, string>()
  flatten(before, '', a)
  flatten(after, '', b)
  const out = new Set<string>()
  for (const [k, v] of b) if (a.get(k) !== v) out.add(collapse(k, a, b))
  for (const k of a.keys()) if (!b.has(k)) out.add(collapse(k, a, b))
  return [...out].sort()
}

/** A header that appears or disappears as a whole is reported once ("outer", "outer.l2"). */
function collapse(path: string, a: Map<string, string>, b: Map<string, string>): string {
  const parts = path.split('.')
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('.')
    if (a.get(prefix) === 'null' || b.get(prefix) === 'null') return prefix
  }
  return path
}
