/**
 * The cluster drawn with React Flow: the boxes and links of layout.ts as parent/child nodes and
 * edges, the packet on top (in the flow's own coordinates, so it pans and zooms with it). Loaded
 * lazily by GraphPanel; the default export is what React.lazy wants.
 */
import {
  Background,
  Controls,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  getViewportForBounds,
  ViewportPortal,
  type Edge,
  type FitViewOptions,
  type ReactFlowProps,
  type ReactFlowState,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import './graph.css'
import { useContext, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { stepBy } from '../../app/fold.ts'
import { answerQuestion, selectOpenQuestion } from '../../app/predict.ts'
import type { Question } from '../../app/quiz/question.ts'
import {
  selectCamera,
  selectShown,
  selectCluster,
  selectGraphLayer,
  selectLang,
  selectPredict,
  selectTrace,
  selectView,
  STEP_MS,
  useAppStore,
  type AppState,
} from '../../app/store.ts'
import type { Lang } from '../../model/text.ts'
import { graphTextPx, VIEWS } from '../stage/views.ts'
import { followShot } from './camera.ts'
import { BoxNode, GraphT, type BoxFlowNode } from './BoxNode.tsx'
import { LETTERS } from '../predict/ChoiceButton.tsx'
import { PlacesContext, QuizBoxesContext, type QuizBox } from './here.ts'
import { LinkEdge, LinkHistoryContext } from './LinkEdge.tsx'
import { cullIndex, cullWindow, parseWindowKey, viewOf, windowKey } from './cull.ts'
import { graphExtras } from './extras.ts'
import { layoutCluster, type BoxKind, type GraphLayout } from './layout.ts'
import { boxIds, locate } from './locate.ts'
import { OverviewMap } from './OverviewMap.tsx'
import { cameraMargins, canvasOverlays, MAP_SIZE } from './overlays.ts'
import { PacketLayer } from '../packet/PacketLayer.tsx'
import { pinBoard, type PinBoard } from '../packet/pin-board.ts'
import { linkHistory, routeGraph, stepRoutes, type Hop, type RouteGraph } from '../packet/route.ts'

const nodeTypes = { box: BoxNode }
const edgeTypes = { link: LinkEdge }
// includeHiddenNodes: fit every box by its declared size, not only those drawn (and measured)
// so far, which with onlyRenderVisibleElements are the ones in view.
const FIT = { padding: { x: '16px', y: '12px' }, includeHiddenNodes: true } satisfies FitViewOptions
const MIN_ZOOM = 0.15
/** Up to this many boxes the camera eases between hops (camera.ts frames them). */
const EASE_BOXES = 400
const MAX_ZOOM = 2.5

// Boxes that hold others sit below them; the small ones on top.
const Z: Record<BoxKind, number> = {
  underlay: 0,
  service: 0,
  l7: 0,
  node: 0,
  // Links are drawn at 1: over the nodes, under what they join.
  pod: 2,
  netns: 3,
  container: 4,
  device: 4,
  component: 4,
}

function flowNodes(layout: GraphLayout): BoxFlowNode[] {
  return layout.boxes.map((box) => ({
    id: box.id,
    type: 'box',
    position: { x: box.x, y: box.y },
    width: box.w,
    height: box.h,
    zIndex: Z[box.kind],
    ...(box.parent ? { parentId: box.parent, extent: 'parent' as const } : {}),
    data: { box },
    // Where BoxNode's two 1 px handles sit (top and bottom centre), given rather than measured:
    // React Flow draws every unmeasured box once, which at a thousand Pods took seconds, before
    // onlyRenderVisibleElements leaves out the boxes out of view.
    handles: [
      {
        type: 'target' as const,
        position: Position.Top,
        x: box.w / 2 - 0.5,
        y: -0.5,
        width: 1,
        height: 1,
      },
      {
        type: 'source' as const,
        position: Position.Bottom,
        x: box.w / 2 - 0.5,
        y: box.h - 0.5,
        width: 1,
        height: 1,
      },
    ],
    draggable: false,
    selectable: false,
    ariaRole: 'group',
    // An L7 object says what it is: `default/shop` alone could be anything.
    ariaLabel: box.l7 ? `${box.l7.kind} ${box.label}` : box.label,
  }))
}

/** A box that is a choice of the open question: a button named by its letter and its place. */
function asChoice(
  n: BoxFlowNode,
  boxes: ReadonlyMap<string, QuizBox>,
  t: ReturnType<typeof useTranslation>['t'],
  lang: Lang,
): BoxFlowNode {
  const c = boxes.get(n.id)
  if (!c) return n
  return {
    ...n,
    ariaRole: 'button',
    ariaLabel: t('predict.choiceBox', { letter: c.letter, label: c.label[lang] }),
  }
}

function flowEdges(layout: GraphLayout): Edge[] {
  return layout.links.map((l) => ({
    id: l.id,
    source: l.source,
    target: l.target,
    type: 'link',
    className: `g-link g-link-${l.kind}`,
    selectable: false,
    focusable: false,
    // Over the node's background, under the Pods and devices they join.
    zIndex: 1,
  }))
}

/** The window around the view that a large cluster's boxes are culled to (cull.ts). */
const selectCullKey = (s: ReactFlowState) =>
  windowKey(cullWindow(viewOf(s.transform[0], s.transform[1], s.transform[2], s.width, s.height)))

/**
 * The boxes and links React Flow holds: all of a lesson-sized cluster, or, for a large one, those
 * near the view (cull.ts). Read inside the picture's ReactFlowProvider, so that the window changes
 * in the same render as the viewport that moved it: a pan never shows a frame without the boxes.
 */
function useCulled<N extends { id: string }>(
  nodes: N[],
  edges: Edge[],
  layout: GraphLayout,
  cull: boolean,
): { nodes: N[]; edges: Edge[] } {
  const index = useMemo(() => (cull ? cullIndex(layout) : null), [cull, layout])
  const key = useStore((s) => (index ? selectCullKey(s) : ''))
  return useMemo(() => {
    const window = parseWindowKey(key)
    if (!index) return { nodes, edges }
    if (!window) return { nodes: [], edges: [] }
    const boxes = index.boxesIn(window)
    const links = index.linksIn(window)
    return {
      nodes: nodes.filter((n) => boxes.has(n.id)),
      edges: edges.filter((e) => links.has(e.id)),
    }
  }, [index, key, nodes, edges])
}

/** React Flow with the boxes and links useCulled leaves it. */
function Flow({
  nodes,
  edges,
  layout,
  cull,
  ...props
}: Omit<ReactFlowProps<BoxFlowNode>, 'nodes' | 'edges'> & {
  nodes: BoxFlowNode[]
  edges: Edge[]
  layout: GraphLayout
  cull: boolean
}) {
  const culled = useCulled(nodes, edges, layout, cull)
  return <ReactFlow {...props} nodes={culled.nodes} edges={culled.edges} />
}

/** The open "where next?" question, where the view shows questions. */
function selectWhereQuestion(s: AppState): Question | null {
  if (!VIEWS[s.view].predict) return null
  const q = selectOpenQuestion(s)
  return q?.kind === 'where' ? q : null
}

/** The boxes its choices name, by box id. */
function quizBoxes(q: Question | null, ids: ReadonlySet<string>): Map<string, QuizBox> {
  const boxes = new Map<string, QuizBox>()
  q?.choices.forEach((c, i) => {
    const id = c.value.kind === 'place' ? locate(c.value.at, ids) : null
    if (id) boxes.set(id, { choice: c.id, letter: LETTERS[i]!, label: c.label })
  })
  return boxes
}

/** A click or Enter on a box: the answer to an open "where next?" it is a choice of, else inspect. */
function pressBox(id: string | null, ids: ReadonlySet<string>): void {
  const s = useAppStore.getState()
  const choice = id ? quizBoxes(selectWhereQuestion(s), ids).get(id) : undefined
  if (choice) answerQuestion(choice.choice)
  else s.setInspecting(id)
}

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches

/**
 * The one camera of the stage. Following the packet (the default), it frames the current hop
 * and its neighbours at a zoom where the graph's smallest text reads at the size the view asks
 * for (camera.ts), easing from step to step; "whole" fits the cluster. It moves from a store
 * subscription, so a step re-renders nothing here; the canvas's size re-runs it. Once the packet
 * layer has placed the step's pin (pin-board.ts) it aims again to frame the pin as placed, in
 * the canvas less what stands over it (overlays.ts): once per step.
 */
function Camera({
  graph,
  layout,
  ids,
  board,
}: {
  graph: RouteGraph
  layout: GraphLayout
  ids: ReadonlySet<string>
  board: PinBoard
}) {
  const flow = useReactFlow()
  const places = useContext(PlacesContext)
  const width = useStore((s) => s.width)
  const height = useStore((s) => s.height)
  const camera = useAppStore(selectCamera)
  const view = useAppStore(selectView)
  const predict = useAppStore(selectPredict)
  useEffect(() => {
    if (width <= 0 || height <= 0) return
    // A large cluster jumps from hop to hop: while the view eases, React Flow works out again
    // on every frame which of its thousands of boxes are in view.
    const ease = graph.boxes.size <= EASE_BOXES
    const aim = (animate: boolean) => {
      const s = useAppStore.getState()
      // Never 0: a move with a duration interrupts the one under way, a jump would not.
      const duration =
        animate && ease && !reducedMotion() ? Math.min(600, (STEP_MS / s.speed) * 0.6) : 1
      // The whole cluster stays still while the packet moves over it. Fitted from the layout's
      // own size: React Flow's fitView waits for every box to be measured, and boxes out of
      // view (onlyRenderVisibleElements) never are.
      if (s.camera === 'whole') {
        if (animate) return
        const box = { x: 0, y: 0, width: layout.width, height: layout.height }
        const vp = getViewportForBounds(box, width, height, MIN_ZOOM, MAX_ZOOM, FIT.padding)
        return void flow.setViewport(vp, { duration })
      }
      const id = places[s.step]
      const hop = id ? graph.boxes.get(id) : undefined
      if (!hop) return
      // The steps before and after as they are displayed (a closed fold is one step).
      const shown = selectShown(s)
      const around = [stepBy(shown, s.step, -1), stepBy(shown, s.step, 1)]
      // An open "where next?" frames its choices too, as far as they fit.
      const choices = [...quizBoxes(selectWhereQuestion(s), ids).keys()]
      const near = [...around.map((i) => places[i]), ...choices].flatMap((p) => {
        const b = p ? graph.boxes.get(p) : undefined
        return b ? [b] : []
      })
      const px = graphTextPx(s.view, width)
      const floor = Math.min(px, VIEWS[s.view].graphTextFloorPx)
      const pin = board.spot?.step === s.step ? board.spot.rect : undefined
      const margins = cameraMargins(canvasOverlays(s.view, width), s.view)
      const shot = followShot(hop, near, { width, height }, px, MAX_ZOOM, layout, floor, {
        pin,
        margins,
      })
      void flow.setCenter(shot.x, shot.y, { zoom: shot.zoom, duration })
    }
    aim(false)
    // The pin placed (or placed again, its words changed): framed as it stands.
    let placed = false
    // A new step: the packet layer places its pin in the render the step causes (a microtask
    // after the store's change, or the end of the click that stepped), before the next frame; the
    // camera moves once, then, to frame the hop with the pin. Only where no pin is placed for the
    // step (no box for it) does it move by itself, at the next frame.
    let waiting: number | null = null
    const unlisten = board.listen(() => {
      if (waiting !== null) cancelAnimationFrame(waiting)
      waiting = null
      aim(placed)
      placed = true
    })
    const unsubscribe = useAppStore.subscribe((s, old) => {
      if (s.step === old.step || s.trace !== old.trace) return
      if (waiting !== null) cancelAnimationFrame(waiting)
      waiting = requestAnimationFrame(() => {
        waiting = null
        aim(true)
      })
    })
    return () => {
      if (waiting !== null) cancelAnimationFrame(waiting)
      unlisten()
      unsubscribe()
    }
  }, [flow, graph, layout, ids, places, width, height, camera, view, predict, board])
  return null
}

/** The zoom buttons and the overview map, where the canvas spares their corners (overlays.ts). */
function CanvasControls({
  view,
  layout,
  label,
}: {
  view: AppState['view']
  layout: GraphLayout
  label: string
}) {
  const width = useStore((s) => s.width)
  const shown = canvasOverlays(view, width)
  return (
    <>
      {shown.zoomButtons && (
        <Controls showInteractive={false} showFitView={false} position="bottom-left" />
      )}
      {shown.map && <OverviewMap layout={layout} label={label} {...MAP_SIZE} />}
    </>
  )
}

export default function ClusterGraph() {
  const { t } = useTranslation()
  const cluster = useAppStore(selectCluster)
  const trace = useAppStore(selectTrace)
  const picture = `${cluster?.name}:${trace?.traffic}`
  const layer = useAppStore(selectGraphLayer)
  // The projector theme is light whatever the system prefers (stage.css).
  const projector = useAppStore((s) => VIEWS[s.view].theme === 'projector')
  const view = useAppStore(selectView)
  const where = useAppStore(selectWhereQuestion)
  const lang = useAppStore(selectLang)

  const layout = useMemo(
    () => (cluster ? layoutCluster(cluster, graphExtras(cluster, trace)) : null),
    [cluster, trace],
  )
  const ids = useMemo(() => (layout ? boxIds(layout) : new Set<string>()), [layout])
  // Where each step is, and the way into it from the one before: once per trace.
  const places = useMemo(() => (trace?.steps ?? []).map((s) => locate(s.at, ids)), [trace, ids])
  const graph = useMemo(() => (layout ? routeGraph(layout) : null), [layout])
  const choiceBoxes = useMemo(() => quizBoxes(where, ids), [where, ids])
  const routes = useMemo<Hop[][]>(() => (graph ? stepRoutes(graph, places) : []), [graph, places])
  const phases = useMemo(() => (trace?.steps ?? []).map((s) => s.phase), [trace])
  const history = useMemo(() => linkHistory(routes, phases), [routes, phases])
  // One per picture: where the packet layer placed the pin, for the camera.
  const [board] = useState(pinBoard)
  // The same nodes for the whole trace: each box finds out itself whether the packet is there
  // (here.ts), so a step does not hand React Flow some 600 nodes again on a large cluster.
  const boxNodes = useMemo(() => (layout ? flowNodes(layout) : []), [layout])
  // While "where next?" is open its boxes are its choices, named so: "Choice B: cni0 on node-2".
  const nodes = useMemo(
    () =>
      choiceBoxes.size === 0 ? boxNodes : boxNodes.map((n) => asChoice(n, choiceBoxes, t, lang)),
    [boxNodes, choiceBoxes, t, lang],
  )
  // The same edges for the whole trace too: each link reads its own trail (LinkEdge.tsx).
  const edges = useMemo(() => (layout ? flowEdges(layout) : []), [layout])
  const ariaLabelConfig = useMemo(
    () => ({
      'node.a11yDescription.default': t('graph.nodeHint'),
      'node.a11yDescription.keyboardDisabled': t('graph.nodeHint'),
      'edge.a11yDescription.default': t('graph.edgeHint'),
      'controls.ariaLabel': t('graph.controls'),
      'controls.zoomIn.ariaLabel': t('graph.zoomIn'),
      'controls.zoomOut.ariaLabel': t('graph.zoomOut'),
      'controls.fitView.ariaLabel': t('graph.fitView'),
      'controls.interactive.ariaLabel': t('graph.interactive'),
      'minimap.ariaLabel': t('graph.minimap'),
      'handle.ariaLabel': t('graph.handle'),
    }),
    [t],
  )
  if (!layout || !graph) return null
  // Above a lesson's size React Flow holds only the boxes near the view (cull.ts).
  const cull = graph.boxes.size > EASE_BOXES

  return (
    <GraphT.Provider value={t}>
      <PlacesContext value={places}>
        <QuizBoxesContext value={choiceBoxes}>
          <LinkHistoryContext value={history}>
            <div
              className={`graph-canvas layer-${layer}`}
              role="figure"
              aria-label={t('graph.label')}
              onKeyDown={(e) => {
                // A box focused with Tab opens with Enter, as a button would; a choice of the
                // open question is a button, so Space answers with it too.
                const box = (e.target as HTMLElement).closest('.react-flow__node')
                const press =
                  e.key === 'Enter' || (e.key === ' ' && box?.getAttribute('role') === 'button')
                if (!press || !box) return
                e.preventDefault()
                pressBox(box.getAttribute('data-id'), ids)
              }}
            >
              {/* A new cluster or request is a new picture, fitted afresh. */}
              {/* A lesson-sized picture's boxes are in React Flow's store from its first render:
                  given only as props, they come in by an effect after it, and all the boxes are
                  drawn in a second, synchronous render (a long task) instead of the first, which
                  React can split. */}
              <ReactFlowProvider
                key={picture}
                initialNodes={cull ? undefined : nodes}
                initialEdges={cull ? undefined : edges}
                initialMinZoom={MIN_ZOOM}
                initialMaxZoom={MAX_ZOOM}
                zIndexMode="manual"
              >
                <Flow
                  nodes={nodes}
                  edges={edges}
                  layout={layout}
                  cull={cull}
                  nodeTypes={nodeTypes}
                  edgeTypes={edgeTypes}
                  colorMode={projector ? 'light' : 'system'}
                  // The Camera places the view, from the first frame on.
                  minZoom={MIN_ZOOM}
                  maxZoom={MAX_ZOOM}
                  nodesDraggable={false}
                  nodesConnectable={false}
                  // Any box opens for inspection: with a click, or focused and Enter (onKeyDown above).
                  nodesFocusable
                  onNodeClick={(_, node) => pressBox(node.id, ids)}
                  edgesFocusable={false}
                  elementsSelectable={false}
                  zoomOnDoubleClick={false}
                  zIndexMode="manual"
                  // Only the boxes in view are in the page when a big cluster has thousands. A
                  // lesson-sized one keeps them all, so the camera's easing moves one transform and
                  // renders nothing (React Flow otherwise re-works what is in view on every frame).
                  onlyRenderVisibleElements={cull}
                  disableKeyboardA11y
                  ariaLabelConfig={ariaLabelConfig}
                >
                  <Background gap={24} size={1} />
                  <CanvasControls view={view} layout={layout} label={t('graph.minimap')} />
                  <Camera graph={graph} layout={layout} ids={ids} board={board} />
                  <ViewportPortal>
                    <PacketLayer graph={graph} places={places} routes={routes} board={board} />
                  </ViewportPortal>
                </Flow>
              </ReactFlowProvider>
            </div>
          </LinkHistoryContext>
        </QuizBoxesContext>
      </PlacesContext>
    </GraphT.Provider>
  )
}
