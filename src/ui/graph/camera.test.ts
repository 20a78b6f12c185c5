import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../../cli/load.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import type { Trace } from '../../model/trace.ts'
import { summarize } from '../../sim/summary.ts'
import { restPoint } from '../packet/route.ts'
import { followShot, GRAPH_MIN_FONT, readableZoom } from './camera.ts'
import { graphExtras } from './extras.ts'
import { layoutCluster } from './layout.ts'
import { boxIds, locate } from './locate.ts'

const LESSONS_DIR = join(import.meta.dirname, '..', '..', 'lessons')

/** A lesson's graph and the box of each step of its first trace. */
function lessonPicture(id: string) {
  const lesson = LESSONS.find((l) => l.id === id)!
  const cluster = summarize(loadScenarioFile(join(LESSONS_DIR, lesson.file)).cluster!)
  const trace = (
    JSON.parse(readFileSync(join(LESSONS_DIR, `${id}.golden.json`), 'utf8')) as {
      traces: Trace[]
    }
  ).traces[0]!
  const layout = layoutCluster(cluster, graphExtras(cluster, trace))
  const ids = boxIds(layout)
  const byId = new Map(layout.boxes.map((b) => [b.id, b]))
  return { layout, byId, places: trace.steps.map((s) => locate(s.at, ids)!) }
}

/** The part of the graph a shot shows on a canvas. */
const seen = (s: { x: number; y: number; zoom: number }, w: number, h: number) => ({
  x1: s.x - w / (2 * s.zoom),
  x2: s.x + w / (2 * s.zoom),
  y1: s.y - h / (2 * s.zoom),
  y2: s.y + h / (2 * s.zoom),
})

describe('the camera that follows the packet', () => {
  it("in a 320x240 embed frame keeps every hop's box whole, drawing the text smaller down to its floor", () => {
    const { layout, byId, places } = lessonPicture('mode2-flannel-vxlan')
    const canvas = { width: 308, height: 116 }
    places.forEach((place, i) => {
      const hop = byId.get(place)!
      const near = [places[i - 1], places[i + 1]].flatMap((p) => (p ? [byId.get(p)!] : []))
      const shot = followShot(hop, near, canvas, 12, 2.5, layout, 9)
      expect(shot.zoom * GRAPH_MIN_FONT, `step ${i}`).toBeGreaterThanOrEqual(9 - 1e-9)
      expect(shot.zoom * GRAPH_MIN_FONT, `step ${i}`).toBeLessThanOrEqual(12 + 1e-9)
      const v = seen(shot, canvas.width, canvas.height)
      if (hop.w * shot.zoom <= canvas.width) {
        expect(hop.ax, `step ${i}`).toBeGreaterThanOrEqual(v.x1 - 1e-6)
        expect(hop.ax + hop.w, `step ${i}`).toBeLessThanOrEqual(v.x2 + 1e-6)
      }
      const p = restPoint(hop)
      const top = hop.w >= 400 ? p.y : hop.ay
      const bottom = hop.w >= 400 ? p.y : hop.ay + hop.h
      expect(top, `step ${i}`).toBeGreaterThanOrEqual(v.y1 - 1e-6)
      expect(bottom, `step ${i}`).toBeLessThanOrEqual(v.y2 + 1e-6)
    })
  })

  it('zooms so the smallest graph text is as large as asked', () => {
    expect(readableZoom(12)).toBeCloseTo(12 / GRAPH_MIN_FONT)
    expect(readableZoom(20) * GRAPH_MIN_FONT).toBeCloseTo(20)
  })

  for (const [id, canvas, px] of [
    ['mode2-flannel-vxlan', { width: 840, height: 620 }, 12.5],
    ['mode3-clusterip-iptables', { width: 640, height: 520 }, 12.5],
    ['mode4-ingress-nginx', { width: 390, height: 380 }, 11.5],
    ['mode4-capstone', { width: 1920, height: 940 }, 20.5],
  ] as const) {
    it(`${id} at ${canvas.width}x${canvas.height}: every hop in view at a readable zoom`, () => {
      const { byId, places } = lessonPicture(id)
      places.forEach((place, i) => {
        const hop = byId.get(place)!
        const near = [places[i - 1], places[i + 1]].flatMap((p) => (p ? [byId.get(p)!] : []))
        const shot = followShot(hop, near, canvas, px, 2.5)
        expect(shot.zoom * GRAPH_MIN_FONT, `${id} step ${i}`).toBeGreaterThanOrEqual(px - 1e-9)
        // The packet's own point is on screen, off the edges.
        const v = seen(shot, canvas.width, canvas.height)
        const p = restPoint(hop)
        expect(p.x, `${id} step ${i} x`).toBeGreaterThan(v.x1)
        expect(p.x, `${id} step ${i} x`).toBeLessThan(v.x2)
        expect(p.y - 60, `${id} step ${i} y`).toBeGreaterThan(v.y1)
        expect(p.y, `${id} step ${i} y`).toBeLessThan(v.y2)
      })
    })
  }

  it('frames a small hop with the hops before and after when they fit', () => {
    const { byId, places } = lessonPicture('mode2-flannel-vxlan')
    // Two neighbouring steps in the client Pod: both in view, closer than just readable.
    const i = places.findIndex((p, k) => k > 0 && p.startsWith('dev:default/client'))
    const hop = byId.get(places[i]!)!
    const before = byId.get(places[i - 1]!)!
    const shot = followShot(hop, [before], { width: 840, height: 620 }, 12.5, 2.5)
    const v = seen(shot, 840, 620)
    for (const b of [hop, before]) {
      expect(b.ax).toBeGreaterThanOrEqual(v.x1)
      expect(b.ax + b.w).toBeLessThanOrEqual(v.x2)
    }
  })

  it('shows less empty canvas past the graph’s edges, the packet still in view', () => {
    const { layout, byId, places } = lessonPicture('mode2-flannel-vxlan')
    const canvas = { width: 1800, height: 960 }
    // Empty canvas beyond the graph's edges (and the margin kept round it), in graph units.
    const beyond = (s: { x: number; y: number; zoom: number }) => {
      const v = seen(s, canvas.width, canvas.height)
      const pad = 24 / s.zoom
      return (
        Math.max(0, -pad - v.x1) +
        Math.max(0, v.x2 - layout.width - pad) +
        Math.max(0, -pad - v.y1) +
        Math.max(0, v.y2 - layout.height - pad)
      )
    }
    let before = 0
    let after = 0
    places.forEach((place, i) => {
      const hop = byId.get(place)!
      const near = [places[i - 1], places[i + 1]].flatMap((p) => (p ? [byId.get(p)!] : []))
      const free = followShot(hop, near, canvas, 21, 2.5)
      const shot = followShot(hop, near, canvas, 21, 2.5, layout)
      expect(shot.zoom).toBe(free.zoom)
      expect(beyond(shot), `step ${i}`).toBeLessThanOrEqual(beyond(free) + 1e-9)
      before += beyond(free)
      after += beyond(shot)
      const v = seen(shot, canvas.width, canvas.height)
      const p = restPoint(hop)
      expect(p.y, `step ${i}`).toBeGreaterThan(v.y1)
      expect(p.y, `step ${i}`).toBeLessThan(v.y2)
      expect(p.x, `step ${i}`).toBeGreaterThan(v.x1)
      expect(p.x, `step ${i}`).toBeLessThan(v.x2)
    })
    expect(after).toBeLessThan(before / 2)
  })

  it('frames the pin where the packet layer placed it, clear of the margins kept for controls', () => {
    const { layout, byId, places } = lessonPicture('mode2-flannel-vxlan')
    const canvas = { width: 820, height: 520 }
    const margins = { top: 24, right: 24, bottom: 87, left: 24 }
    places.forEach((place, i) => {
      const hop = byId.get(place)!
      // A wide outer header hung under the box, wider than the estimate the camera makes alone.
      const pin = { x: hop.ax + hop.w / 2 - 260, y: hop.ay + hop.h + 4, w: 520, h: 34 }
      const shot = followShot(hop, [], canvas, 12.5, 2.5, layout, 12.5, { pin, margins })
      const v = seen(shot, canvas.width, canvas.height)
      const z = shot.zoom
      expect(pin.x, `step ${i}`).toBeGreaterThanOrEqual(v.x1 + margins.left / z - 1e-6)
      expect(pin.x + pin.w, `step ${i}`).toBeLessThanOrEqual(v.x2 - margins.right / z + 1e-6)
      expect(pin.y + pin.h, `step ${i}`).toBeLessThanOrEqual(v.y2 - margins.bottom / z + 1e-6)
      expect(hop.ay, `step ${i}`).toBeGreaterThanOrEqual(v.y1 + margins.top / z - 1e-6)
    })
  })

  it('never zooms past the graph’s own limit', () => {
    const { byId, places } = lessonPicture('mode1-localhost')
    const shot = followShot(byId.get(places[0]!)!, [], { width: 3840, height: 2000 }, 40, 2.5)
    expect(shot.zoom).toBe(2.5)
  })
})

describe('the graph’s stylesheets', () => {
  it(`set no text smaller than ${GRAPH_MIN_FONT} px, which the camera counts on`, () => {
    for (const file of ['graph/graph.css', 'packet/packet.css']) {
      const css = readFileSync(join(import.meta.dirname, '..', file), 'utf8')
      const sizes = [...css.matchAll(/font-size:\s*([\d.]+)px/g)].map((m) => Number(m[1]))
      expect(sizes.length).toBeGreaterThan(0)
      for (const s of sizes) expect(s, file).toBeGreaterThanOrEqual(GRAPH_MIN_FONT)
      // Relative sizes would escape the check.
      expect(css).not.toMatch(/font-size:\s*[\d.]+(em|rem|%)/)
    }
  })
})
