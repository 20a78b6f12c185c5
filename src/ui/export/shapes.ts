/**
 * A picture of the graph as plain shapes (boxes, lines, text) in the view's own pixels, with
 * every style already resolved: what view-shapes.ts reads off the screen, and what svg.ts and
 * png.ts draw. Text stays text, so an SVG keeps every label searchable and selectable.
 */

export interface Clip {
  x: number
  y: number
  w: number
  h: number
}

export type Shape =
  | {
      kind: 'rect'
      x: number
      y: number
      w: number
      h: number
      r: number
      fill: string | null
      stroke: string | null
      strokeWidth: number
      dashed: boolean
      opacity: number
    }
  | {
      kind: 'path'
      d: string
      /** From the path's own coordinates to the view's: a b c d e f, as SVG's matrix(). */
      matrix: [number, number, number, number, number, number]
      fill: string | null
      stroke: string | null
      strokeWidth: number
      dash: number[]
      opacity: number
    }
  | {
      kind: 'text'
      /** Left end and vertical middle of the line. */
      x: number
      y: number
      text: string
      family: string
      size: number
      weight: string
      style: string
      letterSpacing: number
      fill: string
      opacity: number
      clip: Clip | null
    }

export interface Picture {
  width: number
  height: number
  background: string
  /** What the picture shows, as its accessible name says it. */
  title: string
  shapes: Shape[]
}

/** The CSS font shorthand for a text shape (canvas takes the same). */
export function fontOf(s: Extract<Shape, { kind: 'text' }>): string {
  return `${s.style} ${s.weight} ${s.size}px ${s.family}`
}
