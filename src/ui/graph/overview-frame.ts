/**
 * The geometry of the overview map, in the graph's own units: the part of the picture in view,
 * and the rectangle of the picture the map shows (the whole layout and the view, fitted into the
 * map's shape with a small margin, as React Flow's MiniMap frames it).
 */
import type { GraphLayout } from './layout.ts'

export interface ViewRect {
  x: number
  y: number
  width: number
  height: number
}

export type MapFrame = ViewRect

/** The view of a canvas `w` x `h` pixels under React Flow's transform [tx, ty, zoom]. */
export function viewRect(tx: number, ty: number, zoom: number, w: number, h: number): ViewRect {
  return { x: -tx / zoom, y: -ty / zoom, width: w / zoom, height: h / zoom }
}

/** Margin round the picture, in pixels of the map. */
const MARGIN = 5

export function mapFrame(
  layout: Pick<GraphLayout, 'width' | 'height'>,
  view: ViewRect,
  width: number,
  height: number,
): MapFrame {
  // The layout starts at the origin; an unmeasured canvas (no size yet) has no view to include.
  let x0 = 0
  let y0 = 0
  let x1 = layout.width
  let y1 = layout.height
  if (view.width > 0 && view.height > 0) {
    x0 = Math.min(x0, view.x)
    y0 = Math.min(y0, view.y)
    x1 = Math.max(x1, view.x + view.width)
    y1 = Math.max(y1, view.y + view.height)
  }
  const bw = Math.max(x1 - x0, 1)
  const bh = Math.max(y1 - y0, 1)
  // Flow units per map pixel: the larger of the two, so that the whole picture fits.
  const scale = Math.max(bw / width, bh / height)
  const margin = MARGIN * scale
  return {
    x: x0 - (scale * width - bw) / 2 - margin,
    y: y0 - (scale * height - bh) / 2 - margin,
    width: scale * width + 2 * margin,
    height: scale * height + 2 * margin,
  }
}
