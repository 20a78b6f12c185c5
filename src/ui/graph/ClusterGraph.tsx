/**
 * The cluster drawn with React Flow: the boxes and links of layout.ts as parent/child nodes and
 * edges, the packet on top (in the flow's own coordinates, so it pans and zooms with it). Loaded
 * lazily by GraphPanel; the default export is what React.lazy wants.
 */
import {
  Background,
  ControlButton,
  Controls,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  ViewportPortal,
  type Edge,
  type FitViewOptions,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import './graph.css'
import { useContext, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { selectCluster, selectGraphLayer, selectTrace, useAppStore } from '../../app/store.ts'
import { FollowIcon } from '../icons.tsx'
import { BoxNode, GraphT, type BoxFlowNode } from './BoxNode.tsx'
import { PlacesContext } from './here.ts'
import { LinkEdge, LinkHistoryContext } from './LinkEdge.tsx'
import { graphExtras } from './extras.ts'
import { layoutCluster, type BoxKind, type GraphLayout } from './layout.ts'
import { boxIds, locate } from './locate.ts'
import { OverviewMap } from './OverviewMap.tsx'
import { PacketLayer } from '../packet/PacketLayer.tsx'
import { linkHistory, routeGraph, stepRoutes, type Hop, type RouteGraph } from '../packet/route.ts'

const nodeTypes = { box: BoxNode }
const edgeTypes = { link: LinkEdge }
// includeHiddenNodes: fit every box by its declared size, not only those drawn (and measured)
// so far, which with onlyRenderVisibleElements are the ones in view.
const FIT = { padding: { x: '16px', y: '12px' }, includeHiddenNodes: true } satisfies FitViewOptions

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
    focusable: false,
    ariaRole: 'group',
    // An L7 object says what it is: `default/shop` alone could be anything.
    ariaLabel: box.l7 ? `${box.l7.kind} ${box.label}` : box.label,
  }))
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

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches

/**
 * With "follow" on, keeps the packet's box in the middle of the view, at a zoom where its labels
 * read (a lesson-sized cluster fitted whole on a small screen is too small to read).
 */
function FollowPacket({ graph, follow }: { graph: RouteGraph; follow: boolean }) {
  const flow = useReactFlow()
  const places = useContext(PlacesContext)
  const id = useAppStore((s) => places[s.step] ?? null)
  const box = id ? (graph.boxes.get(id) ?? null) : null
  useEffect(() => {
    const duration = reducedMotion() ? 0 : 400
    if (!follow) return
    if (box)
      void flow.setCenter(box.ax + box.w / 2, box.ay + box.h / 2, {
        zoom: Math.max(flow.getZoom(), 1),
        duration,
      })
  }, [flow, box, follow])
  useEffect(() => {
    if (!follow) void flow.fitView({ ...FIT, duration: reducedMotion() ? 0 : 300 })
  }, [flow, follow])
  return null
}

/**
 * Fits the cluster again when the canvas changes size (the lesson list hidden, the window resized,
 * the panels around it grown), until the learner pans or zooms it themselves: boxes left outside
 * a stale view are not even drawn (onlyRenderVisibleElements).
 */
function RefitOnResize({ follow, moved }: { follow: boolean; moved: { current: boolean } }) {
  const flow = useReactFlow()
  const width = useStore((s) => s.width)
  const height = useStore((s) => s.height)
  useEffect(() => {
    if (!follow && !moved.current && width > 0 && height > 0) void flow.fitView(FIT)
  }, [flow, follow, moved, width, height])
  return null
}

export default function ClusterGraph() {
  const { t } = useTranslation()
  const cluster = useAppStore(selectCluster)
  const trace = useAppStore(selectTrace)
  const [follow, setFollow] = useState(false)
  // Set once the learner moves the view by hand (a programmatic move has no event).
  const moved = useRef(false)
  const picture = `${cluster?.name}:${trace?.traffic}`
  useEffect(() => {
    moved.current = false
  }, [picture])
  const layer = useAppStore(selectGraphLayer)

  const layout = useMemo(
    () => (cluster ? layoutCluster(cluster, graphExtras(cluster, trace)) : null),
    [cluster, trace],
  )
  const ids = useMemo(() => (layout ? boxIds(layout) : new Set<string>()), [layout])
  // Where each step is, and the way into it from the one before: once per trace.
  const places = useMemo(() => (trace?.steps ?? []).map((s) => locate(s.at, ids)), [trace, ids])
  const graph = useMemo(() => (layout ? routeGraph(layout) : null), [layout])
  const routes = useMemo<Hop[][]>(() => (graph ? stepRoutes(graph, places) : []), [graph, places])
  const phases = useMemo(() => (trace?.steps ?? []).map((s) => s.phase), [trace])
  const history = useMemo(() => linkHistory(routes, phases), [routes, phases])
  // The same nodes for the whole trace: each box finds out itself whether the packet is there
  // (here.ts), so a step does not hand React Flow some 600 nodes again on a large cluster.
  const nodes = useMemo(() => (layout ? flowNodes(layout) : []), [layout])
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

  return (
    <GraphT.Provider value={t}>
      <PlacesContext value={places}>
        <LinkHistoryContext value={history}>
          <div
            className={`graph-canvas layer-${layer}`}
            role="figure"
            aria-label={t('graph.label')}
          >
            <ReactFlow
              // A new cluster or request is a new picture, fitted afresh.
              key={picture}
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              colorMode="system"
              fitView
              fitViewOptions={FIT}
              minZoom={0.15}
              maxZoom={2.5}
              nodesDraggable={false}
              nodesConnectable={false}
              nodesFocusable={false}
              edgesFocusable={false}
              elementsSelectable={false}
              zoomOnDoubleClick={false}
              zIndexMode="manual"
              onMoveStart={(e) => {
                if (e) moved.current = true
              }}
              // Only the boxes in view are in the page: a big cluster has thousands.
              onlyRenderVisibleElements
              disableKeyboardA11y
              ariaLabelConfig={ariaLabelConfig}
            >
              <Background gap={24} size={1} />
              <Controls
                showInteractive={false}
                onFitView={() => {
                  moved.current = false
                }}
              >
                <ControlButton
                  onClick={() => setFollow(!follow)}
                  aria-label={t('graph.follow')}
                  aria-pressed={follow}
                  title={t('graph.follow')}
                  className={follow ? 'g-follow on' : 'g-follow'}
                >
                  <FollowIcon />
                </ControlButton>
              </Controls>
              <FollowPacket graph={graph} follow={follow} />
              <RefitOnResize follow={follow} moved={moved} />
              <OverviewMap
                layout={layout}
                label={t('graph.minimap')}
                onMove={() => {
                  moved.current = true
                }}
              />
              <ViewportPortal>
                <PacketLayer graph={graph} places={places} routes={routes} />
              </ViewportPortal>
            </ReactFlow>
          </div>
        </LinkHistoryContext>
      </PlacesContext>
    </GraphT.Provider>
  )
}
