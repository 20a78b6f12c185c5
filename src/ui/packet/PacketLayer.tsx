/**
 * The packet on the cluster graph. What it shows (its phase, the outer header it wears, the
 * fields the step rewrote, why it died) is rendered by React once per step; where it is, is
 * written by a d3 transition (motion.ts) that a store subscription starts outside React's render,
 * so nothing re-renders while it moves.
 */
import { useStore } from '@xyflow/react'
import { useContext, useLayoutEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectCamera,
  selectView,
  STEP_MS,
  useAppStore,
  type AppState,
  type StageView,
} from '../../app/store.ts'
import type { Outer, Step } from '../../model/trace.ts'
import { readableZoom, type Rect } from '../graph/camera.ts'
import type { GraphBox } from '../graph/layout.ts'
import { QuizBoxesContext } from '../graph/here.ts'
import { cameraMargins, canvasOverlays } from '../graph/overlays.ts'
import { graphTextPx } from '../stage/views.ts'
import { movePacket, placePacket, stopPacket } from './motion.ts'
import type { PinBoard } from './pin-board.ts'
import { BOX_LABELS, clipRect, isEmpty, overlap, placePin } from './pin-place.ts'
import { rewritesOf, type Rewrite } from './rewrites.ts'
import { findRoute, isWide, restPoint, routePoints, type Hop, type RouteGraph } from './route.ts'
import './packet.css'

/**
 * The labels of the boxes near `near` as drawn, in graph units: each box's own rectangle comes
 * from the layout, the texts' places in it from the page (their words' widths are the browser's).
 */
function drawnLabels(root: Element, boxes: ReadonlyMap<string, GraphBox>, near: Rect): Rect[] {
  const out: Rect[] = []
  for (const node of root.querySelectorAll('.react-flow__node')) {
    const b = boxes.get(node.getAttribute('data-id') ?? '')
    if (!b) continue
    const own = { x: b.ax, y: b.ay, w: b.w, h: b.h }
    if (!overlap(own, near)) continue
    const n = node.getBoundingClientRect()
    const zoom = n.width / b.w
    if (!(zoom > 0)) continue
    for (const text of node.querySelectorAll(BOX_LABELS)) {
      const r = text.getBoundingClientRect()
      if (r.width === 0 || r.height === 0) continue
      const g = clipRect(
        {
          x: b.ax + (r.left - n.left) / zoom,
          y: b.ay + (r.top - n.top) / zoom,
          w: r.width / zoom,
          h: r.height / zoom,
        },
        own,
      )
      if (!isEmpty(g)) out.push(g)
    }
  }
  return out
}

/** How much of the graph the following camera shows at once, in graph units. */
function shownArea(view: StageView, width: number, height: number) {
  const zoom = readableZoom(graphTextPx(view, width))
  const m = cameraMargins(canvasOverlays(view, width), view)
  return {
    w: Math.max(80, (width - m.left - m.right) / zoom),
    h: Math.max(60, (height - m.top - m.bottom) / zoom),
  }
}

const PARTS = ['node', 'pod', 'container', 'device', 'component', 'hook'] as const

/** The share of a step's time the packet spends moving; it rests at the box for the rest. */
const MOVING = 0.6

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches

const FIELD_KEY: Record<Exclude<Rewrite['field'], 'app.headers'>, string> = {
  'l3.src': 'src',
  'l3.dst': 'dst',
  'l4.srcPort': 'srcPort',
  'l4.dstPort': 'dstPort',
  'app.tls.sni': 'sni',
  'app.question': 'question',
  'app.status': 'status',
  'app.answers.0': 'answer',
}

/**
 * The outer header round the token. `leaving`: the step decapsulates at the box the packet is
 * going to, so it still wears the header on its way there and sheds it on arrival (packet.css).
 */
function Envelope({
  outer,
  leaving = false,
  children,
}: {
  outer: Outer
  leaving?: boolean
  children: React.ReactNode
}) {
  const { t } = useTranslation()
  return (
    <div className={`packet-envelope encap-${outer.encap}${leaving ? ' leaving' : ''}`}>
      <span className="packet-envelope-head">
        <span className="packet-envelope-kind">
          {outer.encap === 'vxlan' ? t('packet.vxlan', { vni: outer.vni ?? '' }) : t('packet.ipip')}
        </span>
        <span className="packet-envelope-addr">
          <span className="packet-sr">{t('packet.outerHeader')} </span>
          {outer.l3.src} → {outer.l3.dst}
          {outer.l4 ? ` · ${t('packet.udp', { port: outer.l4.dstPort })}` : ''}
        </span>
      </span>
      {children}
    </div>
  )
}

/**
 * The fields the step rewrote, a chip each; where the graph has no room for them all by the box
 * (a phone), the pin folds them into one chip that counts them (PacketLayer's placement).
 */
function Changes({ rewrites }: { rewrites: Rewrite[] }) {
  const { t } = useTranslation()
  return (
    <ul className="packet-changes" aria-label={t('packet.changes')}>
      {rewrites.map((r) => (
        <li key={r.field} className="packet-change">
          {r.field === 'app.headers'
            ? t('packet.headers', { count: r.count })
            : t(r.from === null ? 'packet.set' : 'packet.change', {
                field: t(`packet.field.${FIELD_KEY[r.field]}`),
                from: r.from,
                to: r.to,
              })}
        </li>
      ))}
      {rewrites.length > 1 && (
        <li className="packet-change packet-change-count">
          {t('packet.rewritten', { count: rewrites.length })}
        </li>
      )}
    </ul>
  )
}

interface Props {
  graph: RouteGraph
  /** The box of each step of the trace (by position), null where a step has none. */
  places: readonly (string | null)[]
  /** The hops into each step from the one before (route.ts stepRoutes). */
  routes: readonly (readonly Hop[])[]
  /** Where the pin is placed, for the camera. */
  board: PinBoard
}

/** How the packet gets from one step to the next: along the way, straight back, or at once. */
function follow(el: HTMLElement, s: AppState, old: AppState, p: Props) {
  const id = p.places[s.step]
  const box = id ? p.graph.boxes.get(id) : undefined
  if (!box) return stopPacket(el)
  const to = restPoint(box)
  const ms = reducedMotion() ? 0 : (STEP_MS / s.speed) * MOVING
  const from = p.places[old.step]
  if (s.step === old.step + 1 && from) {
    // One step on: along the links between the two boxes.
    const hops = p.routes[s.step]?.length ? p.routes[s.step]! : findRoute(p.graph, from, id!)
    return movePacket(el, hops?.length ? routePoints(p.graph, from, hops) : [to], ms)
  }
  // One step back: straight, and quicker. Further: no replay of the way, it is just there.
  if (Math.abs(s.step - old.step) === 1) return movePacket(el, [to], ms / 2)
  placePacket(el, to)
}

/**
 * The packet: a labelled token standing at the box of the current step, wrapped in its outer
 * header while encapsulated; the fields the step rewrote flash once above it; a drop or reject
 * shows as a cross with the engine's reason.
 */
export function PacketLayer(props: Props) {
  const { graph, places, board } = props
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  const pinRef = useRef<HTMLDivElement>(null)
  const leaderRef = useRef<SVGLineElement>(null)
  const width = useStore((s) => s.width)
  const height = useStore((s) => s.height)
  const view = useAppStore(selectView)
  const camera = useAppStore(selectCamera)
  const choices = useContext(QuizBoxesContext)
  const pos = useAppStore((s) => s.step)
  const step = useAppStore((s) => s.trace?.steps[s.step] ?? null)
  const prev: Step | null = useAppStore((s) => s.trace?.steps[s.step - 1] ?? null)
  const isLast = useAppStore((s) => s.step === (s.trace?.steps.length ?? 0) - 1)
  const reason = useAppStore((s) => s.trace?.reason ?? null)
  const lang = useAppStore((s) => s.lang)
  const propsRef = useRef(props)

  useLayoutEffect(() => {
    propsRef.current = props
  })

  // Placed where the current step is when the picture changes; moved on every step after.
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const id = places[useAppStore.getState().step]
    const box = id ? graph.boxes.get(id) : undefined
    if (box) placePacket(el, restPoint(box))
    const unsubscribe = useAppStore.subscribe((s, old) => {
      // A new trace brings new places: this effect runs again for them.
      if (s.step !== old.step && s.trace === old.trace) follow(el, s, old, propsRef.current)
    })
    return () => {
      unsubscribe()
      stopPacket(el)
    }
  }, [graph, places])

  const id = step ? places[pos] : null
  const box = id ? graph.boxes.get(id) : undefined

  // The pin, drawn, stands where it covers no box's label and fits the camera's view with its
  // box (pin-place.ts); the camera is told where (pin-board.ts).
  useLayoutEffect(() => {
    const el = ref.current
    const pin = pinRef.current
    const root = el?.closest('.react-flow')
    if (!el || !pin || !box || !root || width <= 0) return
    const follow = camera === 'follow'
    const area = follow ? shownArea(view, width, height) : { w: Infinity, h: Infinity }
    pin.style.setProperty('--pin-max', follow ? `${Math.floor(area.w)}px` : 'none')
    const own = { x: box.ax, y: box.ay, w: box.w, h: box.h }
    const place = () => {
      const size = { w: pin.offsetWidth, h: pin.offsetHeight }
      const reach = Math.max(size.w, size.h) + 160
      const near = {
        x: own.x - reach,
        y: own.y - reach,
        w: own.w + 2 * reach,
        h: own.h + 2 * reach,
      }
      const ask = { box: own, wide: isWide(box), pin: size, view: area }
      return { size, spot: placePin({ ...ask, labels: drawnLabels(root, graph.boxes, near) }) }
    }
    const put = () => {
      pin.classList.remove('folded')
      let { size, spot } = place()
      // No free spot for every rewritten field: one chip counts them (the inspector lists them).
      if (spot.covers > 0 && pin.querySelector('.packet-change-count')) {
        pin.classList.add('folded')
        ;({ size, spot } = place())
      }
      const rest = restPoint(box)
      pin.style.setProperty('--pin-x', `${spot.x - rest.x}px`)
      pin.style.setProperty('--pin-y', `${spot.y - rest.y}px`)
      el.dataset.side = spot.side
      const line = leaderRef.current
      if (line) {
        line.parentElement!.toggleAttribute('data-shown', !!spot.leader)
        if (spot.leader) {
          line.setAttribute('x1', String(spot.leader.x1 - rest.x))
          line.setAttribute('y1', String(spot.leader.y1 - rest.y))
          line.setAttribute('x2', String(spot.leader.x2 - rest.x))
          line.setAttribute('y2', String(spot.leader.y2 - rest.y))
        }
      }
      board.set(pos, { x: spot.x, y: spot.y, ...size })
    }
    // Measured once the browser has laid the page out for its next frame (a ResizeObserver's first
    // report comes after that layout, before the paint), not here: reading a size here forces the
    // layout of everything React just wrote, the whole graph when it mounts, inside React's task.
    const measured = new ResizeObserver(() => {
      measured.disconnect()
      put()
    })
    measured.observe(pin)
    return () => measured.disconnect()
  }, [box, step, pos, graph, board, width, height, view, camera, lang, choices])

  const stopped = step?.action === 'drop' || step?.action === 'reject'
  // Said as the step list says it: node node-1, device cni0.
  const where = step
    ? PARTS.filter((k) => step.at[k] !== null)
        .map((k) => `${t(`where.${k}`)} ${step.at[k]}`)
        .join(', ')
    : ''
  const rewrites = step ? rewritesOf(prev?.packet ?? null, step.packet, step.changed) : []
  const token = step && (
    <div className="packet-token">
      {stopped ? (
        <>
          <span className="packet-x" aria-hidden="true">
            ✕
          </span>
          <span>{t(`outcome.${step.action === 'drop' ? 'dropped' : 'rejected'}`)}</span>
        </>
      ) : (
        <>
          <span className="packet-dot" aria-hidden="true" />
          <span>{t(`phase.${step.phase}`)}</span>
        </>
      )}
    </div>
  )
  return (
    <div
      ref={ref}
      className={`packet phase-${step?.phase ?? 'request'}${stopped ? ' stopped' : ''}${step?.packet.outer ? ' encapsulated' : ''}`}
      data-testid="packet"
      data-at={id ?? ''}
      data-step={step?.index ?? ''}
      hidden={!box}
    >
      <svg className="packet-leader" aria-hidden="true">
        <line ref={leaderRef} />
      </svg>
      {step && (
        <div
          ref={pinRef}
          className="packet-pin"
          role="group"
          aria-label={t('graph.packetAt', { where })}
        >
          {/* Keyed by step: a new step's chips flash again. */}
          {rewrites.length > 0 && <Changes key={step.index} rewrites={rewrites} />}
          {step.packet.outer ? (
            <Envelope outer={step.packet.outer}>{token}</Envelope>
          ) : prev?.packet.outer ? (
            <Envelope outer={prev.packet.outer} leaving>
              {token}
            </Envelope>
          ) : (
            token
          )}
          {stopped && isLast && reason && (
            <p className="packet-reason">
              <span className="packet-reason-why">{t('packet.why')}</span>{' '}
              <span lang={lang}>{reason[lang]}</span>
            </p>
          )}
        </div>
      )}
    </div>
  )
}
