/**
 * Where the packet's pin (its token, the outer header it wears, the fields the step rewrote)
 * stands beside the box it is at: the spot nearest the box that covers no box's label (the
 * neighbours' names and addresses, the box's own, a choice's letter) and that, with the box,
 * fits the part of the graph the camera shows. A pure function of rectangles in graph units, so
 * it is tested without a browser; the packet layer measures the pin and the labels and asks.
 */
import type { Rect } from '../graph/camera.ts'

/** The texts of a box (BoxNode.tsx) that the pin must leave readable. */
export const BOX_LABELS =
  '.g-label, .g-detail, .g-kind, .g-netns-label, .g-l7-state, .g-choice-letter'

/** Graph units between the box and a pin standing next to it. */
export const PIN_GAP = 4
/** A pin further from its box than this is tied to it by a line. */
const LEADER_FROM = 10

/** `above`/`below`: the token nearest the box, what it wears and rewrote further out. */
export type PinSide = 'above' | 'below' | 'right' | 'left' | 'inside'

export interface PinSpot {
  /** The pin's top-left corner, in graph units. */
  x: number
  y: number
  side: PinSide
  /** A line from the box's edge to the pin's, where the pin stands off; null beside it. */
  leader: { x1: number; y1: number; x2: number; y2: number } | null
  /** The label area the pin covers there: 0 unless no spot in view is free. */
  covers: number
}

export interface PinAsk {
  /** The box the packet is at. */
  box: Rect
  /** A wide box (a node's bridge, the underlay) may hold the pin inside its right end. */
  wide: boolean
  /** The pin's size. */
  pin: { w: number; h: number }
  /** The labels the pin must not cover. */
  labels: readonly Rect[]
  /** How much of the graph the camera shows at once, at its zoom: box and pin must fit in it. */
  view: { w: number; h: number }
}

const area = (r: Rect) => Math.max(0, r.w) * Math.max(0, r.h)

/** The area two rectangles share. */
export function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/** How far apart two rectangles are (0 when they touch or overlap). */
function distance(a: Rect, b: Rect): number {
  const dx = Math.max(0, a.x - (b.x + b.w), b.x - (a.x + a.w))
  const dy = Math.max(0, a.y - (b.y + b.h), b.y - (a.y + a.h))
  return Math.hypot(dx, dy)
}

/** The points of two rectangles nearest each other, for the leader line. */
function nearest(a: Rect, b: Rect) {
  const mid = (lo1: number, hi1: number, lo2: number, hi2: number): [number, number] => {
    const lo = Math.max(lo1, lo2)
    const hi = Math.min(hi1, hi2)
    if (lo <= hi) return [(lo + hi) / 2, (lo + hi) / 2]
    return hi1 < lo2 ? [hi1, lo2] : [lo1, hi2]
  }
  const [x1, x2] = mid(a.x, a.x + a.w, b.x, b.x + b.w)
  const [y1, y2] = mid(a.y, a.y + a.h, b.y, b.y + b.h)
  return { x1, y1, x2, y2 }
}

interface Candidate {
  x: number
  y: number
  side: PinSide
}

/** The spots tried, in order of preference: beside the box first, then further out. */
function candidates({ box, wide, pin }: PinAsk): Candidate[] {
  const { w, h } = pin
  const cx = box.x + box.w / 2
  const cy = box.y + box.h / 2
  const out: Candidate[] = []
  if (wide) {
    // Inside the right end, level with the box's first line (route.ts restPoint).
    out.push({
      x: box.x + box.w - 10 - w,
      y: box.y + Math.min(box.h / 2, 24) - h / 2,
      side: 'inside',
    })
  }
  // Centred, flush with either end, then every 16 units along the box and past its ends.
  const along = [cx - w / 2, box.x, box.x + box.w - w, cx - w, cx]
  for (let x = box.x - w; x <= box.x + box.w; x += 16) along.push(x)
  const across = [cy - h / 2, box.y, box.y + box.h - h]
  for (let y = box.y - h; y <= box.y + box.h; y += 12) across.push(y)
  for (const far of [0, 8, 16, 28, 44, 64, 90, 120, 150, 180]) {
    const d = PIN_GAP + far
    for (const x of along) {
      out.push({ x, y: box.y - d - h, side: 'above' })
      out.push({ x, y: box.y + box.h + d, side: 'below' })
    }
    for (const y of across) {
      out.push({ x: box.x + box.w + d, y, side: 'right' })
      out.push({ x: box.x - d - w, y, side: 'left' })
    }
  }
  return out
}

/**
 * The pin's spot: of the candidates, one whose box-and-pin fits the camera's view, then the one
 * covering the least label area (none, where there is such a spot), then the nearest, and of
 * equals the first tried (above the box, centred).
 */
export function placePin(ask: PinAsk): PinSpot {
  const { box, pin, labels, view } = ask
  let best: { c: Candidate; score: number; covered: number } | null = null
  candidates(ask).forEach((c, i) => {
    const r = { x: c.x, y: c.y, w: pin.w, h: pin.h }
    const covered = labels.reduce((sum, l) => sum + overlap(r, l), 0)
    const x1 = Math.min(r.x, box.x)
    const y1 = Math.min(r.y, box.y)
    const uw = Math.max(r.x + r.w, box.x + box.w) - x1
    const uh = Math.max(r.y + r.h, box.y + box.h) - y1
    // A wide box need not fit whole: only the pin and the box's height count across it.
    const spill = Math.max(0, (ask.wide ? r.w : uw) - view.w) * r.h + Math.max(0, uh - view.h) * r.w
    // Out of the camera's view is worse than over a label: a tag off screen is not read at all.
    const score = spill * 1e7 + covered * 1e6 + distance(r, box) + i * 1e-3
    if (!best || score < best.score) best = { c, score, covered }
  })
  const { c, covered } = best!
  const r = { x: c.x, y: c.y, w: pin.w, h: pin.h }
  const leader = c.side !== 'inside' && distance(r, box) > LEADER_FROM ? nearest(box, r) : null
  return { x: c.x, y: c.y, side: c.side, leader, covers: covered }
}

/** The part of `r` inside `clip`; empty (w or h 0) where they do not meet. */
export function clipRect(r: Rect, clip: Rect): Rect {
  const x = Math.max(r.x, clip.x)
  const y = Math.max(r.y, clip.y)
  const w = Math.min(r.x + r.w, clip.x + clip.w) - x
  const h = Math.min(r.y + r.h, clip.y + clip.h) - y
  return { x, y, w: Math.max(0, w), h: Math.max(0, h) }
}

export const isEmpty = (r: Rect) => area(r) === 0
