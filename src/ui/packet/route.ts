/**
 * The way the packet takes across the drawing between two steps: over the graph's links (a veth
 * pair, a bridge port, a tunnel device's way out of eth0, a wire to the underlay) and, inside one
 * network namespace, from one of its interfaces or processes to another through that namespace's
 * IP stack (drawn as a straight line). A pure function of the layout, so it is tested without a
 * browser; the packet layer animates the polyline it gives.
 */
import type { Phase } from '../../model/trace.ts'
import type { GraphBox, GraphLayout, GraphLink } from '../graph/layout.ts'

export interface Point {
  x: number
  y: number
}

/** One move from a box to a neighbouring one: along a link, or (link null) through a stack. */
export interface Hop {
  from: string
  to: string
  link: GraphLink | null
}

interface Edge {
  to: string
  link: GraphLink | null
}

export interface RouteGraph {
  boxes: ReadonlyMap<string, GraphBox>
  adjacent: ReadonlyMap<string, readonly Edge[]>
}

/** From this width on a box holds the packet inside its right end (see restPoint). */
export const WIDE = 260

/**
 * The network namespace a box belongs to, named by the box that stands for it: a Pod (its
 * containers, its own interfaces, its netns box), a node (its host devices, its components, the
 * Pods on its host network), or null for what lives in no namespace drawn (the underlay, the
 * outside, Services).
 */
function scopeOf(box: GraphBox, boxes: ReadonlyMap<string, GraphBox>): string | null {
  if (box.kind === 'node') return box.id
  if (box.kind === 'service' || box.kind === 'l7' || box.kind === 'underlay' || !box.parent)
    return null
  let b: GraphBox | undefined = box
  while (b) {
    if (b.kind === 'pod') {
      const netns = boxes.get(`netns:${b.id.slice('pod:'.length)}`)
      // A hostNetwork Pod shares its node's namespace (layout labels its netns so).
      return netns?.label === 'hostNetwork' ? b.parent : b.id
    }
    if (b.kind === 'node') return b.id
    b = b.parent ? boxes.get(b.parent) : undefined
  }
  return null
}

/**
 * The graph the packet moves on. Links join what they join. In each namespace every member is a
 * neighbour of every other, except a bridge's port: a frame from a veth enslaved to a bridge goes
 * through the bridge (its port link), never straight into the host's stack.
 */
export function routeGraph(layout: GraphLayout): RouteGraph {
  const boxes = new Map(layout.boxes.map((b) => [b.id, b]))
  const adjacent = new Map<string, Edge[]>(layout.boxes.map((b) => [b.id, []]))
  // Links first, so that of two equally short ways the one along links is taken.
  for (const link of layout.links) {
    // An L7 object's tie to its controller Pods is configuration, not a way a packet goes.
    if (link.kind === 'config') continue
    adjacent.get(link.source)?.push({ to: link.target, link })
    adjacent.get(link.target)?.push({ to: link.source, link })
  }
  const ports = new Set(layout.links.filter((l) => l.kind === 'port').map((l) => l.source))
  const scopes = new Map<string, string[]>()
  for (const b of layout.boxes) {
    const scope = scopeOf(b, boxes)
    if (!scope || ports.has(b.id) || b.kind === 'netns') continue
    scopes.set(scope, [...(scopes.get(scope) ?? []), b.id])
  }
  for (const members of scopes.values())
    for (const a of members)
      for (const b of members) if (a !== b) adjacent.get(a)!.push({ to: b, link: null })
  return { boxes, adjacent }
}

/** The fewest hops from one box to another (breadth first, deterministic), or null. */
export function findRoute(g: RouteGraph, from: string, to: string): Hop[] | null {
  if (!g.boxes.has(from) || !g.boxes.has(to)) return null
  if (from === to) return []
  const came = new Map<string, Hop>()
  const queue = [from]
  const seen = new Set([from])
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!
    for (const e of g.adjacent.get(at) ?? []) {
      if (seen.has(e.to)) continue
      seen.add(e.to)
      came.set(e.to, { from: at, to: e.to, link: e.link })
      if (e.to === to) {
        const hops: Hop[] = []
        for (let h = came.get(to); h; h = came.get(h.from)) hops.unshift(h)
        return hops
      }
      queue.push(e.to)
    }
  }
  return null
}

/**
 * Where the packet rests on a box: standing on the top edge of a small box; inside the right end
 * of a wide one (a bridge, the underlay, a node), where it covers neither the box's own label nor
 * the row above it; hanging under a node's eth0, over the wires to the underlay where no label
 * is, so the outer header an encapsulated packet wears there covers no device (layout.ts).
 */
export function restPoint(box: GraphBox): Point {
  if (isWide(box)) return { x: box.ax + box.w - 10, y: box.ay + Math.min(box.h / 2, 24) }
  if (isBelow(box)) return { x: box.ax + box.w / 2, y: box.ay + box.h }
  return { x: box.ax + box.w / 2, y: box.ay }
}

export const isWide = (box: GraphBox) => box.w >= WIDE

/** A node's own eth0, the last row of its node (a Pod's eth0 has its Pod's '/' in its id). */
export const isBelow = (box: GraphBox) => box.kind === 'device' && /^dev:[^/]+:eth0$/.test(box.id)

const SAMPLES = 14

/**
 * A link drawn as React Flow draws its default (bezier) edge from the source's bottom handle to
 * the target's top one: control points straight below the source and straight above the target,
 * half the vertical distance away when the target is lower, and a small loop's worth (curvature
 * 0.25 times 25 times the root of the distance) when it is higher (@xyflow/system, edges/bezier-edge:
 * calculateControlOffset, default curvature 0.25).
 */
export function linkCurve(source: GraphBox, target: GraphBox): Point[] {
  const s = { x: source.ax + source.w / 2, y: source.ay + source.h }
  const t = { x: target.ax + target.w / 2, y: target.ay }
  const dy = t.y - s.y
  const off = dy >= 0 ? 0.5 * dy : 0.25 * 25 * Math.sqrt(-dy)
  const c1 = { x: s.x, y: s.y + off }
  const c2 = { x: t.x, y: t.y - off }
  const pts: Point[] = []
  for (let i = 0; i <= SAMPLES; i++) {
    const u = i / SAMPLES
    const v = 1 - u
    const a = v * v * v
    const b = 3 * v * v * u
    const c = 3 * v * u * u
    const d = u * u * u
    pts.push({
      x: a * s.x + b * c1.x + c * c2.x + d * t.x,
      y: a * s.y + b * c1.y + c * c2.y + d * t.y,
    })
  }
  return pts
}

/**
 * The polyline of a route: from where the packet rests on the first box, along every link it
 * takes (each drawn as the graph draws it, walked backwards when the packet goes from target to
 * source), straight across a namespace between two links, to where it rests on the last box.
 */
export function routePoints(g: RouteGraph, from: string, hops: readonly Hop[]): Point[] {
  const start = g.boxes.get(from)
  if (!start) return []
  const pts: Point[] = [restPoint(start)]
  for (const hop of hops) {
    if (!hop.link) continue
    const curve = linkCurve(g.boxes.get(hop.link.source)!, g.boxes.get(hop.link.target)!)
    if (hop.from !== hop.link.source) curve.reverse()
    pts.push(...curve)
  }
  const end = g.boxes.get(hops.at(-1)?.to ?? from)!
  pts.push(restPoint(end))
  return pts.filter((p, i) => i === 0 || p.x !== pts[i - 1]!.x || p.y !== pts[i - 1]!.y)
}

/** A point at a fraction (0..1) of the polyline's length: constant speed along every piece. */
export function pointAlong(points: readonly Point[]): (t: number) => Point {
  const lengths = [0]
  for (let i = 1; i < points.length; i++)
    lengths.push(
      lengths[i - 1]! +
        Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y),
    )
  const total = lengths.at(-1) ?? 0
  return (t) => {
    if (points.length === 0) return { x: 0, y: 0 }
    if (total === 0 || t <= 0) return points[0]!
    if (t >= 1) return points.at(-1)!
    const want = t * total
    let i = 1
    while (lengths[i]! < want) i++
    const a = points[i - 1]!
    const b = points[i]!
    const k = (want - lengths[i - 1]!) / (lengths[i]! - lengths[i - 1]!)
    return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k }
  }
}

/**
 * For each step, the hops from the previous step's box to its own (none for the first step, for a
 * step where the packet stays, and where either end is not on the graph or no way joins them).
 */
export function stepRoutes(g: RouteGraph, places: readonly (string | null)[]): Hop[][] {
  return places.map((to, i) => {
    const from = i > 0 ? places[i - 1] : null
    return from && to ? (findRoute(g, from, to) ?? []) : []
  })
}

/** A link's crossings in a trace: the step that crossed it and that step's phase, in order. */
export type LinkHistory = ReadonlyMap<string, readonly { step: number; phase: Phase }[]>

export function linkHistory(
  routes: readonly (readonly Hop[])[],
  phases: readonly Phase[],
): LinkHistory {
  const out = new Map<string, { step: number; phase: Phase }[]>()
  routes.forEach((hops, step) => {
    for (const hop of hops) {
      if (!hop.link) continue
      const list = out.get(hop.link.id) ?? []
      if (list.at(-1)?.step !== step) list.push({ step, phase: phases[step]! })
      out.set(hop.link.id, list)
    }
  })
  return out
}

/**
 * How a link looks at a step: the phase it was last crossed in up to that step (null when not
 * yet), and whether the packet crossed it on the way into that very step.
 */
export function trailAt(
  history: LinkHistory,
  link: string,
  step: number,
): { phase: Phase; current: boolean } | null {
  const list = history.get(link)
  if (!list) return null
  let last: { step: number; phase: Phase } | null = null
  for (const c of list) {
    if (c.step > step) break
    last = c
  }
  return last && { phase: last.phase, current: last.step === step }
}
