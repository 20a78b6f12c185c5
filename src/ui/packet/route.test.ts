import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../../cli/load.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import type { Trace } from '../../model/trace.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'
import { summarize } from '../../sim/summary.ts'
import { graphExtras } from '../graph/extras.ts'
import { layoutCluster, type GraphLayout } from '../graph/layout.ts'
import { boxIds, locate } from '../graph/locate.ts'
import {
  findRoute,
  linkCurve,
  pointAlong,
  restPoint,
  routeGraph,
  routePoints,
  stepRoutes,
  trailAt,
  linkHistory,
  type Hop,
} from './route.ts'

const LESSONS_DIR = join(import.meta.dirname, '..', '..', 'lessons')

function lesson(id: string): { cluster: ClusterSummary; traces: Trace[] } {
  const meta = LESSONS.find((l) => l.id === id)!
  const cluster = summarize(loadScenarioFile(join(LESSONS_DIR, meta.file)).cluster!)
  const golden = JSON.parse(readFileSync(join(LESSONS_DIR, `${id}.golden.json`), 'utf8'))
  return { cluster, traces: golden.traces as Trace[] }
}

function layoutOf(id: string, trace = 0): { layout: GraphLayout; trace: Trace } {
  const { cluster, traces } = lesson(id)
  const t = traces[trace]!
  return { layout: layoutCluster(cluster, graphExtras(cluster, t)), trace: t }
}

/** A route as the boxes it passes, with `~` for a link and `|` for a namespace's stack. */
const said = (from: string, hops: Hop[] | null) =>
  hops === null ? null : [from, ...hops.map((h) => `${h.link ? '~' : '|'} ${h.to}`)].join(' ')

describe('L7 objects on the graph', () => {
  it('are no way for the packet: their config links and boxes are not in the route graph', () => {
    const { layout } = layoutOf('mode4-gateway-httproute')
    const config = layout.links.filter((l) => l.kind === 'config')
    expect(config.length).toBeGreaterThan(0)
    const g = routeGraph(layout)
    for (const l of config) {
      expect(g.adjacent.get(l.source)).toEqual([])
      expect(g.adjacent.get(l.target)!.some((e) => e.link?.kind === 'config')).toBe(false)
    }
    // Two Pods tied to the same object are still only reached through their own interfaces.
    const route = findRoute(g, config[0]!.target, config[0]!.source)
    expect(route).toBe(null)
  })
})

describe('the way the packet takes between two steps', () => {
  const { layout } = layoutOf('mode2-flannel-vxlan')
  const g = routeGraph(layout)
  const veth = layout.links.find((l) => l.source === 'dev:default/client:eth0')!.target

  it('from a container through its Pod’s eth0 and the veth pair to the bridge', () => {
    expect(
      said('ctr:default/client:curl', findRoute(g, 'ctr:default/client:curl', 'dev:node-1:cni0')),
    ).toBe(`ctr:default/client:curl | dev:default/client:eth0 ~ ${veth} ~ dev:node-1:cni0`)
  })

  it('from a bridge port only through its bridge, never straight into the host stack', () => {
    expect(said(veth, findRoute(g, veth, 'dev:node-1:flannel.1'))).toBe(
      `${veth} ~ dev:node-1:cni0 | dev:node-1:flannel.1`,
    )
  })

  it('out of a tunnel device along its link to eth0, over the underlay, into the other node', () => {
    expect(
      said('dev:node-1:flannel.1', findRoute(g, 'dev:node-1:flannel.1', 'dev:node-2:flannel.1')),
    ).toBe(
      'dev:node-1:flannel.1 ~ dev:node-1:eth0 ~ underlay ~ dev:node-2:eth0 ~ dev:node-2:flannel.1',
    )
  })

  it('nowhere when it stays, and null for a box that is not drawn', () => {
    expect(findRoute(g, 'underlay', 'underlay')).toEqual([])
    expect(findRoute(g, 'underlay', 'dev:node-9:eth0')).toBe(null)
  })

  it('through the node’s namespace for a hostNetwork Pod’s container', () => {
    const { cluster } = lesson('mode2-flannel-vxlan')
    const host = {
      ...cluster,
      pods: cluster.pods.map((p) =>
        p.name === 'client' ? { ...p, hostNetwork: true, hostVeth: null } : p,
      ),
      nodes: cluster.nodes.map((n) => ({
        ...n,
        devices: n.devices.filter((d) => d.peer !== 'default/client'),
      })),
    }
    const hg = routeGraph(layoutCluster(host))
    expect(
      said('ctr:default/client:curl', findRoute(hg, 'ctr:default/client:curl', 'underlay')),
    ).toBe('ctr:default/client:curl | dev:node-1:eth0 ~ underlay')
  })

  it('joins every pair of consecutive steps of every lesson’s traces', () => {
    for (const meta of LESSONS.filter((l) => l.id !== 'mode1-port-conflict')) {
      const { cluster, traces } = lesson(meta.id)
      for (const t of traces) {
        const rg = routeGraph(layoutCluster(cluster, graphExtras(cluster, t)))
        const ids = new Set(rg.boxes.keys())
        const places = t.steps.map((s) => locate(s.at, ids))
        for (let i = 1; i < places.length; i++) {
          const route = findRoute(rg, places[i - 1]!, places[i]!)
          expect(route, `${meta.id} ${t.traffic} step ${i}`).not.toBe(null)
          // A step is at most a few hops from the one before it.
          expect(route!.length, `${meta.id} ${t.traffic} step ${i}`).toBeLessThanOrEqual(5)
        }
      }
    }
  })
})

describe('the polyline the packet is drawn along', () => {
  const { layout } = layoutOf('mode2-flannel-vxlan')
  const g = routeGraph(layout)
  const box = (id: string) => g.boxes.get(id)!

  it('draws a link as the graph does: from the bottom of its source to the top of its target', () => {
    const curve = linkCurve(box('dev:node-1:flannel.1'), box('dev:node-1:eth0'))
    const f = box('dev:node-1:flannel.1')
    const e = box('dev:node-1:eth0')
    expect(curve[0]).toEqual({ x: f.ax + f.w / 2, y: f.ay + f.h })
    expect(curve.at(-1)).toEqual({ x: e.ax + e.w / 2, y: e.ay })
  })

  it('starts and ends where the packet rests, and walks a link backwards against its direction', () => {
    const hops = findRoute(g, 'dev:node-2:eth0', 'dev:node-2:flannel.1')!
    const pts = routePoints(g, 'dev:node-2:eth0', hops)
    expect(pts[0]).toEqual(restPoint(box('dev:node-2:eth0')))
    expect(pts.at(-1)).toEqual(restPoint(box('dev:node-2:flannel.1')))
    const e = box('dev:node-2:eth0')
    const f = box('dev:node-2:flannel.1')
    // Under a node's eth0 the packet hangs from its bottom edge, then takes the link from eth0's
    // top (the link's target end); out at flannel.1's bottom (the link's source end), then up
    // through the device to where it rests on its top edge.
    expect(pts[0]).toEqual({ x: e.ax + e.w / 2, y: e.ay + e.h })
    expect(pts[1]).toEqual({ x: e.ax + e.w / 2, y: e.ay })
    expect(pts[2]!.y).toBeLessThan(e.ay)
    expect(pts.at(-2)).toEqual({ x: f.ax + f.w / 2, y: f.ay + f.h })
  })

  it('moves at one speed along the whole line', () => {
    const at = pointAlong([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 30 },
    ])
    expect(at(0)).toEqual({ x: 0, y: 0 })
    expect(at(0.25)).toEqual({ x: 10, y: 0 })
    expect(at(0.5)).toEqual({ x: 10, y: 10 })
    expect(at(1)).toEqual({ x: 10, y: 30 })
    expect(pointAlong([{ x: 3, y: 4 }])(0.5)).toEqual({ x: 3, y: 4 })
  })
})

describe('the links travelled so far', () => {
  const { layout, trace } = layoutOf('mode3-clusterip-iptables')
  const g = routeGraph(layout)
  const ids = boxIds(layout)
  const routes = stepRoutes(
    g,
    trace.steps.map((s) => locate(s.at, ids)),
  )
  const history = linkHistory(
    routes,
    trace.steps.map((s) => s.phase),
  )
  const tunnel = 'tunnel:dev:node-1:flannel.1->dev:node-1:eth0'

  it('marks a link with the phase it was last crossed in, and the current hop’s links', () => {
    // Step 12: the DNS query leaves flannel.1 for node-1's eth0.
    expect(trace.steps[12]!.phase).toBe('dns')
    expect(trailAt(history, tunnel, 12)).toEqual({ phase: 'dns', current: true })
    expect(trailAt(history, tunnel, 13)).toEqual({ phase: 'dns', current: false })
    // By step 42 the request has taken the same way again.
    expect(trailAt(history, tunnel, 42)).toEqual({ phase: 'request', current: true })
    // The client's veth pair carries the reply last.
    const veth = layout.links.find((l) => l.source === 'dev:default/client:eth0')!.id
    expect(trailAt(history, veth, trace.steps.length - 1)?.phase).toBe('reply')
  })

  it('forgets what lies after the step', () => {
    expect(trailAt(history, tunnel, 11)).toBe(null)
    expect(trailAt(history, tunnel, 0)).toBe(null)
    expect(trailAt(history, 'wire:nowhere', 40)).toBe(null)
  })
})
