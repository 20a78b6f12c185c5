/**
 * The packet as the inspector lists it: its layers, outermost first, each a list of fields named
 * by the same dotted paths the trace uses in `step.changed` (`l3.dst`, `outer.l2`,
 * `app.headers.Host`). Pure: it only reads the trace, and computes no networking.
 */
import type { Action, Packet, Step } from '../../model/trace.ts'

export type LayerId = 'outer' | 'l2' | 'l3' | 'l4' | 'app'

export interface Field {
  /** The trace's dotted path of this field. */
  path: string
  value: string
}

export interface Layer {
  id: LayerId
  fields: Field[]
}

function field(path: string, value: string | number | undefined | null): Field[] {
  return value === undefined || value === null ? [] : [{ path, value: String(value) }]
}

function appFields(app: NonNullable<Packet['app']>): Field[] {
  switch (app.protocol) {
    case 'http':
      return [
        ...field('app.kind', app.kind),
        ...field('app.method', app.method),
        ...field('app.host', app.host),
        ...field('app.path', app.path),
        ...field('app.status', app.status),
        ...field('app.tls.sni', app.tls?.sni),
        ...Object.entries(app.headers ?? {}).flatMap(([k, v]) => field(`app.headers.${k}`, v)),
      ]
    case 'dns':
      return [
        ...field('app.kind', app.kind),
        ...field('app.id', app.id),
        ...field('app.question', app.question),
        ...field('app.type', app.type),
        ...field('app.status', app.status),
        ...(app.answers ?? []).flatMap((a, i) => field(`app.answers.${i}`, a)),
      ]
    case 'arp':
      return [
        ...field('app.operation', app.operation),
        ...field('app.senderIp', app.senderIp),
        ...field('app.senderMac', app.senderMac),
        ...field('app.targetIp', app.targetIp),
        ...field('app.targetMac', app.targetMac),
        ...field('app.answer', app.answer),
      ]
  }
}

/** The packet's layers that are present, outermost first. */
export function packetLayers(p: Packet): Layer[] {
  const layers: Layer[] = []
  if (p.outer) {
    const o = p.outer
    layers.push({
      id: 'outer',
      fields: [
        ...field('outer.encap', o.encap),
        ...field('outer.vni', o.vni),
        ...field('outer.l2.src', o.l2?.src),
        ...field('outer.l2.dst', o.l2?.dst),
        ...field('outer.l3.src', o.l3.src),
        ...field('outer.l3.dst', o.l3.dst),
        ...field('outer.l3.proto', o.l3.proto),
        ...field('outer.l3.ttl', o.l3.ttl),
        ...field('outer.l4.srcPort', o.l4?.srcPort),
        ...field('outer.l4.dstPort', o.l4?.dstPort),
      ],
    })
  }
  if (p.l2)
    layers.push({ id: 'l2', fields: [...field('l2.src', p.l2.src), ...field('l2.dst', p.l2.dst)] })
  if (p.l3)
    layers.push({
      id: 'l3',
      fields: [
        ...field('l3.src', p.l3.src),
        ...field('l3.dst', p.l3.dst),
        ...field('l3.proto', p.l3.proto),
        ...field('l3.ttl', p.l3.ttl),
      ],
    })
  if (p.l4)
    layers.push({
      id: 'l4',
      fields: [...field('l4.srcPort', p.l4.srcPort), ...field('l4.dstPort', p.l4.dstPort)],
    })
  if (p.app) layers.push({ id: 'app', fields: appFields(p.app) })
  return layers
}

/**
 * Whether the trace lists this field as changed: its own path, or a layer above it (`l3`,
 * `outer.l2`) that changed as a whole.
 */
export function isChanged(path: string, changed: readonly string[]): boolean {
  return changed.some((c) => c === path || path.startsWith(`${c}.`))
}

/** The actions at which a device rewrites the packet: the inspector shows what came in beside it. */
const REWRITES: ReadonlySet<Action> = new Set<Action>([
  'dnat',
  'snat',
  'masquerade',
  'unnat',
  'encapsulate',
  'decapsulate',
  'proxy',
  'tls-terminate',
])

export function rewrites(step: Step): boolean {
  return REWRITES.has(step.action) || step.changed.length > 0
}

export interface Row {
  path: string
  /** The value in the packet that came in (undefined: the field was not there). */
  before?: string
  /** The value now (undefined: the field is gone, e.g. the outer headers after decapsulation). */
  after?: string
  changed: boolean
}

export interface ComparedLayer {
  id: LayerId
  rows: Row[]
}

const ORDER: readonly LayerId[] = ['outer', 'l2', 'l3', 'l4', 'app']

/**
 * This step's packet beside the one that came in: every layer of either, in order, each field
 * with both values. A field is changed when the trace says so; a field that appears or goes
 * away counts as changed too.
 */
export function compareLayers(
  before: Packet | null,
  after: Packet,
  changed: readonly string[],
): ComparedLayer[] {
  const was = new Map((before ? packetLayers(before) : []).map((l) => [l.id, l.fields]))
  const now = new Map(packetLayers(after).map((l) => [l.id, l.fields]))
  return ORDER.filter((id) => was.has(id) || now.has(id)).map((id) => {
    const old = new Map((was.get(id) ?? []).map((f) => [f.path, f.value]))
    const cur = new Map((now.get(id) ?? []).map((f) => [f.path, f.value]))
    // This step's order first, then what only the packet that came in had.
    const paths = [...cur.keys(), ...[...old.keys()].filter((p) => !cur.has(p))]
    return {
      id,
      rows: paths.map((path) => {
        const row: Row = { path, changed: isChanged(path, changed) }
        if (before) {
          const b = old.get(path)
          if (b !== undefined) row.before = b
          if (b === undefined || !cur.has(path)) row.changed = true
        }
        const a = cur.get(path)
        if (a !== undefined) row.after = a
        return row
      }),
    }
  })
}
