import { useTranslation } from 'react-i18next'
import type { BoxKind, GraphBox, GraphLayout } from '../graph/layout.ts'

/** A Pod's network namespace is drawn as an outline only: its Pod box above names it. */
const UNLABELLED: ReadonlySet<BoxKind> = new Set(['netns'])
/** Boxes that hold others (or stand alone): drawn under the links; the rest over them. */
const UNDER: ReadonlySet<BoxKind> = new Set(['node', 'underlay', 'service', 'l7'])
/** Roughly the width of one character of the drawing's 13-unit type. */
const CHAR_W = 7.4

/** A label cut to its box, with an ellipsis, so it never runs over the next box. */
function fit(label: string, w: number): string {
  const n = Math.max(1, Math.floor((w - 12) / CHAR_W))
  return label.length <= n ? label : `${label.slice(0, Math.max(1, n - 1))}…`
}

/**
 * The cluster as a still drawing for paper: the same layout as the live graph (layout.ts), the
 * box where the packet is now filled and marked, and the boxes it passed since the last drawing
 * tinted.
 */
export function StaticGraph(props: {
  layout: GraphLayout
  here: string | null
  passed: ReadonlySet<string>
  caption: string
}) {
  const { t } = useTranslation()
  const { layout, here, passed } = props
  const byId = new Map(layout.boxes.map((b) => [b.id, b]))
  const marker = t('handout.here')
  const markerW = marker.length * CHAR_W * (/[\u4e00-\u9fff]/.test(marker) ? 1.8 : 1) + 10
  const at = here ? byId.get(here) : undefined
  // A small box (a chip) has no room for its label and the mark: the mark goes above it.
  const markInside = !!at && at.w >= 170
  const box = (b: GraphBox) => {
    const state = b.id === here ? ' sg-here' : passed.has(b.id) ? ' sg-passed' : ''
    return (
      <g key={b.id} className={`sg-box sg-${b.kind}${state}`}>
        <rect x={b.ax} y={b.ay} width={b.w} height={b.h} rx={b.kind === 'node' ? 10 : 5} />
        {!UNLABELLED.has(b.kind) && (
          <text x={b.ax + 6} y={b.ay + 15}>
            {fit(b.label, b.id === here && markInside ? b.w - markerW : b.w)}
          </text>
        )}
      </g>
    )
  }
  return (
    <figure className="handout-graph">
      <svg
        viewBox={`-4 -4 ${layout.width + 8} ${layout.height + 8}`}
        role="img"
        aria-label={props.caption}
      >
        {layout.boxes.filter((b) => UNDER.has(b.kind)).map(box)}
        {layout.links.map((l) => {
          const a = byId.get(l.source)
          const b = byId.get(l.target)
          if (!a || !b) return null
          return (
            <line
              key={l.id}
              className={`sg-link sg-link-${l.kind}`}
              x1={a.ax + a.w / 2}
              y1={a.ay + a.h}
              x2={b.ax + b.w / 2}
              y2={b.ay}
            />
          )
        })}
        {layout.boxes.filter((b) => !UNDER.has(b.kind)).map(box)}
        {at &&
          (markInside ? (
            <text className="sg-marker" x={at.ax + at.w - 6} y={at.ay + 15} textAnchor="end">
              {marker}
            </text>
          ) : (
            <text className="sg-marker sg-marker-out" x={at.ax} y={at.ay - 5}>
              {marker} ▼
            </text>
          ))}
      </svg>
      <figcaption>{props.caption}</figcaption>
    </figure>
  )
}
