/**
 * Which boxes and links of a large cluster React Flow is given: those near the view. React Flow's
 * own `onlyRenderVisibleElements` leaves out of the page what is out of view, but on every change
 * of the viewport (each mouse move of a pan) it still walks every node and every edge it holds to
 * find what is in view (`getNodesInside`, `isEdgeVisible`), and every box it mounts while panning
 * makes it recompute the absolute position of all of them (`updateAbsolutePositions`). At 5,000
 * Pods, some 25,000 boxes, that was most of a pan frame's script time (Chromium CPU profile).
 *
 * So above a lesson's size the graph gets only what lies in a window around the view: the view
 * grown by a margin and snapped to a grid, so that the window, and the nodes React Flow holds,
 * change only when a pan has crossed a grid line, not on every frame. Pure: no React, no DOM.
 */
import type { GraphLayout } from './layout.ts'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** The part of the picture a viewport shows, in graph units. */
export function viewOf(tx: number, ty: number, zoom: number, width: number, height: number): Rect {
  return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom }
}

/**
 * The window kept around a view: its edges snapped outwards to a grid of half the view's larger
 * side (a power of two, so that zooming changes it in steps), then one more cell on each side. A
 * pan therefore meets new boxes a cell before they come into view, and the window moves only when
 * the view has crossed a grid line. `null` for a view of no size (a canvas not yet measured).
 */
export function cullWindow(view: Rect): Rect | null {
  if (!(view.width > 0 && view.height > 0)) return null
  const cell = 2 ** Math.ceil(Math.log2(Math.max(view.width, view.height) / 2))
  const x0 = (Math.floor(view.x / cell) - 1) * cell
  const y0 = (Math.floor(view.y / cell) - 1) * cell
  const x1 = (Math.ceil((view.x + view.width) / cell) + 1) * cell
  const y1 = (Math.ceil((view.y + view.height) / cell) + 1) * cell
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

/** A window as a string: equal strings, the same window (what a store selector compares). */
export const windowKey = (w: Rect | null): string =>
  w ? `${w.x},${w.y},${w.width},${w.height}` : ''

export function parseWindowKey(key: string): Rect | null {
  if (!key) return null
  const [x, y, width, height] = key.split(',').map(Number) as [number, number, number, number]
  return { x, y, width, height }
}

/**
 * React Flow's bezier between a box's bottom centre and another's top centre stays inside the hull
 * of its four points: the two ends and two control points, each control half the height between
 * the ends inwards, or, where the target is above the source, 0.25 * 25 * sqrt(height) outwards
 * (calculateControlOffset and getControlWithCurvature in @xyflow/system 0.0.84, curvature 0.25).
 */
function linkBounds(sx: number, sy: number, tx: number, ty: number): Rect {
  const dy = ty - sy
  const out = dy >= 0 ? 0 : 0.25 * 25 * Math.sqrt(-dy)
  // The stroke (at most 6 units wide with the current hop's halo) and a little more.
  const pad = 8
  const top = Math.min(sy, ty) - out - pad
  const bottom = Math.max(sy, ty) + out + pad
  return {
    x: Math.min(sx, tx) - pad,
    y: top,
    width: Math.abs(tx - sx) + 2 * pad,
    height: bottom - top,
  }
}

const meets = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

export interface CullIndex {
  /** The boxes in a window, with every box that holds one (React Flow needs a child's parent). */
  boxesIn(window: Rect): Set<string>
  /** The links whose drawn curve may cross a window. */
  linksIn(window: Rect): Set<string>
}

/** Once per layout: each box's rectangle and each link's bounds, for windows to be tested on. */
export function cullIndex(layout: GraphLayout): CullIndex {
  const byId = new Map(layout.boxes.map((b) => [b.id, b]))
  const boxRects = layout.boxes.map((b) => ({
    id: b.id,
    rect: { x: b.ax, y: b.ay, width: b.w, height: b.h },
  }))
  const links = layout.links.flatMap((l) => {
    const s = byId.get(l.source)
    const t = byId.get(l.target)
    if (!s || !t) return []
    // Source handle at the bottom centre, target handle at the top centre (ClusterGraph's handles).
    const rect = linkBounds(s.ax + s.w / 2, s.ay + s.h, t.ax + t.w / 2, t.ay)
    return [{ id: l.id, source: l.source, target: l.target, rect }]
  })
  const withParents = (ids: Set<string>, id: string) => {
    for (let at: string | null = id; at && !ids.has(at); at = byId.get(at)?.parent ?? null)
      ids.add(at)
  }
  return {
    boxesIn(window) {
      const ids = new Set<string>()
      for (const b of boxRects) if (meets(b.rect, window)) withParents(ids, b.id)
      // A link's far end too: without both its boxes React Flow draws no link.
      for (const l of links)
        if (meets(l.rect, window)) {
          withParents(ids, l.source)
          withParents(ids, l.target)
        }
      return ids
    },
    linksIn(window) {
      const ids = new Set<string>()
      for (const l of links) if (meets(l.rect, window)) ids.add(l.id)
      return ids
    },
  }
}
