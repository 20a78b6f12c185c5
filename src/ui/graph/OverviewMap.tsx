/**
 * The overview map in the graph's corner: the layout's Nodes, Pods, Services, L7 objects and the
 * underlay as small rectangles, and the part of the picture in view. It replaces React Flow's
 * MiniMap, which keeps one store subscription per node (even one its node component draws as
 * nothing) and measures every node's bounds again on each frame of a pan: at 5,000 Pods that cost
 * half the frame rate. Here the rectangles come from the layout, drawn once per layout in their
 * own layer, and one subscription to the viewport moves the frame over them.
 */
import { Panel, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react'
import { memo, useEffect, useRef } from 'react'
import type { BoxKind, GraphLayout } from './layout.ts'
import { mapFrame, viewRect, type MapFrame, type ViewRect } from './overview-frame.ts'

const FILL: Partial<Record<BoxKind, string>> = {
  node: 'var(--g-node-bg)',
  pod: 'var(--g-pod-bg)',
  underlay: 'var(--g-wire)',
  service: 'var(--g-svc-bg)',
  l7: 'var(--g-l7-bg)',
}

const selectView = (s: ReactFlowState): ViewRect =>
  viewRect(s.transform[0], s.transform[1], s.transform[2], s.width, s.height)
const sameView = (a: ViewRect, b: ViewRect) =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height

/** The boxes the map colours; at its size the devices inside them would be noise. */
const Boxes = memo(function Boxes({ layout }: { layout: GraphLayout }) {
  return (
    <g>
      {layout.boxes.map((b) =>
        FILL[b.kind] ? (
          <rect
            key={b.id}
            className="react-flow__minimap-node"
            x={b.ax}
            y={b.ay}
            width={b.w}
            height={b.h}
            rx={5}
            style={{ fill: FILL[b.kind], stroke: 'var(--g-border)' }}
          />
        ) : null,
      )}
    </g>
  )
})

// The two layers stacked: the boxes (promoted to a compositor layer of their own, so the frame
// moving over them does not repaint thousands of rectangles) under the frame.
const BOXES_LAYER = { position: 'absolute', inset: 0, willChange: 'transform' } as const
const FRAME_LAYER = { position: 'relative', display: 'block' } as const

const viewBox = (f: MapFrame) => `${f.x} ${f.y} ${f.width} ${f.height}`

export function OverviewMap({
  layout,
  label,
  width = 100,
  height = 64,
  onMove,
}: {
  layout: GraphLayout
  label: string
  width?: number
  height?: number
  /** The learner moved the view from the map. */
  onMove?: () => void
}) {
  const flow = useReactFlow()
  const view = useStore(selectView, sameView)
  const frame = mapFrame(layout, view, width, height)
  const svg = useRef<SVGSVGElement>(null)
  // Read by the pointer and wheel handlers, which outlive a render.
  const live = useRef({ frame, onMove })
  useEffect(() => {
    live.current = { frame, onMove }
  })

  useEffect(() => {
    const el = svg.current
    if (!el) return
    // Flow units per pixel of the map.
    const scale = () => live.current.frame.width / width
    const toFlow = (e: PointerEvent) => {
      const r = el.getBoundingClientRect()
      const f = live.current.frame
      return { x: f.x + (e.clientX - r.left) * scale(), y: f.y + (e.clientY - r.top) * scale() }
    }
    let drag: { x: number; y: number; moved: boolean } | null = null
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return
      el.setPointerCapture(e.pointerId)
      drag = { x: e.clientX, y: e.clientY, moved: false }
    }
    const move = (e: PointerEvent) => {
      if (!drag) return
      const dx = e.clientX - drag.x
      const dy = e.clientY - drag.y
      if (!drag.moved && Math.hypot(dx, dy) < 2) return
      drag = { x: e.clientX, y: e.clientY, moved: true }
      // The frame follows the pointer: the view moves by as much of the picture.
      const v = flow.getViewport()
      void flow.setViewport({
        x: v.x - dx * scale() * v.zoom,
        y: v.y - dy * scale() * v.zoom,
        zoom: v.zoom,
      })
      live.current.onMove?.()
    }
    const up = (e: PointerEvent) => {
      if (!drag) return
      // A click without a drag puts that point of the picture in the middle of the view.
      if (!drag.moved) {
        const p = toFlow(e)
        void flow.setCenter(p.x, p.y, { zoom: flow.getZoom() })
        live.current.onMove?.()
      }
      drag = null
    }
    const wheel = (e: WheelEvent) => {
      e.preventDefault()
      // React Flow's own step: 2^(-deltaY * 0.002) per pixel of wheel.
      const step = e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002
      void flow.zoomTo(flow.getZoom() * 2 ** (-e.deltaY * step))
      live.current.onMove?.()
    }
    el.addEventListener('pointerdown', down)
    el.addEventListener('pointermove', move)
    el.addEventListener('pointerup', up)
    el.addEventListener('pointercancel', up)
    el.addEventListener('wheel', wheel, { passive: false })
    return () => {
      el.removeEventListener('pointerdown', down)
      el.removeEventListener('pointermove', move)
      el.removeEventListener('pointerup', up)
      el.removeEventListener('pointercancel', up)
      el.removeEventListener('wheel', wheel)
    }
  }, [flow, width])

  const outer = `M${frame.x},${frame.y}h${frame.width}v${frame.height}h${-frame.width}z`
  const inner = `M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`
  return (
    <Panel position="bottom-right" className="react-flow__minimap" style={{ width, height }}>
      {/* The boxes in a layer of their own (will-change), so a pan repaints only the frame. */}
      <svg
        style={BOXES_LAYER}
        width={width}
        height={height}
        viewBox={viewBox(frame)}
        aria-hidden="true"
        shapeRendering="crispEdges"
      >
        <Boxes layout={layout} />
      </svg>
      <svg
        ref={svg}
        className="react-flow__minimap-svg"
        style={FRAME_LAYER}
        width={width}
        height={height}
        viewBox={viewBox(frame)}
        role="img"
        aria-label={label}
      >
        <path
          className="react-flow__minimap-mask"
          d={`${outer} ${inner}`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  )
}
