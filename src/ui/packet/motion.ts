/**
 * Moves the packet's element with a d3 transition: a tween writes its transform on every frame,
 * so React renders nothing while it moves. A new move interrupts the one under way and starts
 * from wherever the packet is on screen at that moment.
 */
import { easeCubicInOut } from 'd3-ease'
import { select } from 'd3-selection'
// Adds selection.transition and selection.interrupt.
import 'd3-transition'
import { pointAlong, type Point } from './route.ts'

const MOVE = 'packet-move'
const shown = new WeakMap<HTMLElement, Point>()

function put(el: HTMLElement, p: Point) {
  shown.set(el, p)
  el.style.transform = `translate(${p.x}px, ${p.y}px)`
}

/** Puts the packet at a point at once, stopping any move. */
export function placePacket(el: HTMLElement, p: Point): void {
  select(el).interrupt(MOVE)
  delete el.dataset.moving
  put(el, p)
}

/** Stops a move where it is. */
export function stopPacket(el: HTMLElement): void {
  select(el).interrupt(MOVE)
}

/**
 * Moves the packet along a polyline in `ms` milliseconds, at one speed along it, easing in and out
 * at its ends. The first leg starts from where the packet is shown now.
 */
export function movePacket(el: HTMLElement, points: readonly Point[], ms: number): void {
  const sel = select(el)
  sel.interrupt(MOVE)
  const end = points.at(-1)
  if (!end) return
  const now = shown.get(el)
  const path = now ? [now, ...points] : [...points]
  if (ms <= 0 || path.length < 2) return put(el, end)
  const at = pointAlong(path)
  // While it travels the token rides on the line (packet.css); React never writes this attribute.
  el.dataset.moving = ''
  const rest = () => delete el.dataset.moving
  sel
    .transition(MOVE)
    .duration(ms)
    .ease(easeCubicInOut)
    .tween('move', () => (t) => put(el, at(t)))
    .on('end', rest)
    .on('interrupt', rest)
}
