/**
 * Where the graph's camera looks when it follows the packet: at the current hop and the packet's
 * label above it, with the hops before and after when they fit, at a zoom where the graph's
 * smallest text reads at the size the view asks for (12 px on a laptop, 20 px on a projector).
 * A pure function of the layout and the canvas size, so it is tested without a browser.
 */
import { isBelow, isWide, restPoint } from '../packet/route.ts'
import type { GraphBox } from './layout.ts'

/** The smallest font size in graph.css and packet.css, in graph units (camera.test.ts checks). */
export const GRAPH_MIN_FONT = 11

/** The packet's label, its outer header and the rewritten fields stand above its rest point. */
const PIN_ABOVE = 112
const PIN_HALF_WIDTH = 200
/** What of a wide box (a node, the underlay) must show below the packet resting inside it. */
const WIDE_BAND = 48

/** How far past the readable zoom the camera may go to frame a small hop and its neighbours. */
const CLOSER = 1.2

/** Screen pixels kept free round what the camera frames. */
export const MARGIN = 24
/** In a small frame that may squeeze the hop: the margin as a share of the canvas's short side. */
const SMALL_MARGIN = 0.06

/** Screen pixels kept free on each side of the canvas: more where a control stands over it. */
export interface Margins {
  top: number
  right: number
  bottom: number
  left: number
}

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** A camera position: the graph point at the canvas's centre, and the zoom. */
export interface Shot {
  x: number
  y: number
  zoom: number
}

const union = (a: Rect, b: Rect): Rect => {
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y }
}

/** The part of a rectangle within a window of the given size centred on a point. */
function around(r: Rect, cx: number, cy: number, w: number, h: number): Rect {
  const x1 = Math.max(r.x, cx - w / 2)
  const y1 = Math.max(r.y, cy - h / 2)
  const x2 = Math.min(r.x + r.w, cx + w / 2)
  const y2 = Math.min(r.y + r.h, cy + h / 2)
  return { x: x1, y: y1, w: Math.max(0, x2 - x1), h: Math.max(0, y2 - y1) }
}

/**
 * What must be seen of a hop: the packet's pin (where the packet layer placed it, else where it
 * would stand above the box), and the box round it as far as a screen at the readable zoom holds
 * it (a node or the underlay is wider than a phone; its part by the packet).
 */
function hopRect(box: GraphBox, sw: number, sh: number, placed?: Rect): Rect {
  const p = restPoint(box)
  const pin =
    placed ??
    (isBelow(box)
      ? { x: p.x - PIN_HALF_WIDTH, y: p.y, w: 2 * PIN_HALF_WIDTH, h: PIN_ABOVE }
      : { x: p.x - PIN_HALF_WIDTH, y: p.y - PIN_ABOVE, w: 2 * PIN_HALF_WIDTH, h: PIN_ABOVE })
  const boxRect = around({ x: box.ax, y: box.ay, w: box.w, h: box.h }, p.x, p.y, sw, sh)
  const both = union(pin, boxRect)
  return around(both, both.x + both.w / 2, both.y + both.h / 2, sw, sh)
}

const clamp = (v: number, lo: number, hi: number) =>
  lo > hi ? (lo + hi) / 2 : Math.max(lo, Math.min(hi, v))

/** The zoom at which the graph's smallest text is `px` pixels high. */
export const readableZoom = (px: number) => px / GRAPH_MIN_FONT

/** Keeps a view of half-extent `half` centred at `c` inside lo..hi; centred on it when it is smaller. */
const inside = (c: number, half: number, lo: number, hi: number) =>
  hi - lo <= 2 * half ? (lo + hi) / 2 : Math.max(lo + half, Math.min(hi - half, c))

/**
 * Frames the hop (always, at a readable zoom) and its neighbours (the boxes of the steps just
 * before and after) as far as they fit; closer in when all of it fits, up to CLOSER times the
 * readable zoom and never past `maxZoom`. Given the graph's size (it starts at 0,0), the view
 * shows no more empty canvas past the graph's edges than it must. Given a `floorPx` below
 * `textPx` (a small frame, the embed view), a hop too tall for the canvas at the readable zoom
 * is drawn smaller, down to text of `floorPx`, with a narrower margin, so that the packet and
 * its box stay whole; past that floor the box stays whole and the packet's pin loses its top.
 * `frame.pin`: where the packet layer placed the pin (pin-place.ts), framed with the hop;
 * `frame.margins`: what to keep free on each side, where a control (the overview map, the zoom
 * buttons, presenter mode's buttons) stands over the canvas.
 */
export function followShot(
  hop: GraphBox,
  neighbours: readonly GraphBox[],
  canvas: { width: number; height: number },
  textPx: number,
  maxZoom: number,
  graph?: { width: number; height: number },
  floorPx = textPx,
  frame: { pin?: Rect; margins?: Margins } = {},
): Shot {
  const squeeze = floorPx < textPx
  const small = Math.min(MARGIN, Math.round(SMALL_MARGIN * Math.min(canvas.width, canvas.height)))
  const m: Margins = squeeze
    ? { top: small, right: small, bottom: small, left: small }
    : (frame.margins ?? { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN })
  const vw = Math.max(1, canvas.width - m.left - m.right)
  const vh = Math.max(1, canvas.height - m.top - m.bottom)
  let readable = Math.min(readableZoom(textPx), maxZoom)
  // The hop whole: a wide box (a node, the underlay) holds the packet inside, so only its band
  // by the packet counts.
  const whole = hopRect(hop, Infinity, Infinity, frame.pin)
  const rest = restPoint(hop)
  if (isWide(hop) && !frame.pin)
    Object.assign(whole, { y: rest.y - PIN_ABOVE, h: PIN_ABOVE + WIDE_BAND })
  if (squeeze) {
    const floor = Math.min(readableZoom(floorPx), readable)
    readable = Math.max(floor, Math.min(readable, vh / Math.max(1, whole.h)))
  }
  const must = hopRect(hop, vw / readable, vh / readable, frame.pin)
  const nice = neighbours.reduce((r, n) => union(r, hopRect(n, vw / readable, vh / readable)), must)
  const fit = Math.min(vw / Math.max(1, nice.w), vh / Math.max(1, nice.h))
  const zoom = Math.min(maxZoom, Math.max(readable, Math.min(fit, readable * CLOSER)))
  // The neighbours' middle, moved as little as needed to keep all the hop in the frame (the
  // canvas less its margins); worked out for the frame's centre, then for the canvas's.
  const hw = vw / (2 * zoom)
  const hh = vh / (2 * zoom)
  let x = nice.x + nice.w / 2
  let y = nice.y + nice.h / 2
  if (graph) {
    x = inside(x, hw, 0, graph.width)
    y = inside(y, hh, 0, graph.height)
  }
  // A hop taller than the view (squeezed to the floor) keeps its box whole, and the packet's
  // token next to it; what the pin stacks further out (its outer header) goes first.
  const tallHop = squeeze && whole.h > 2 * hh
  const edge = isBelow(hop) ? whole.y + hh : whole.y + whole.h - hh
  const fx = clamp(x, must.x + must.w - hw, must.x + hw)
  const fy = tallHop ? edge : clamp(y, must.y + must.h - hh, must.y + hh)
  return {
    x: fx + (m.right - m.left) / (2 * zoom),
    y: fy + (m.bottom - m.top) / (2 * zoom),
    zoom,
  }
}
