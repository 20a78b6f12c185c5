import { getBezierPath, Position } from '@xyflow/react'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cullIndex, cullWindow, parseWindowKey, viewOf, windowKey, type Rect } from './cull.ts'
import type { GraphBox, GraphLayout } from './layout.ts'

function box(
  id: string,
  ax: number,
  ay: number,
  w: number,
  h: number,
  parent?: GraphBox,
): GraphBox {
  return {
    id,
    kind: parent ? 'device' : 'node',
    parent: parent?.id ?? null,
    x: ax - (parent?.ax ?? 0),
    y: ay - (parent?.ay ?? 0),
    ax,
    ay,
    w,
    h,
    label: id,
    detail: [],
  }
}

const inside = (r: Rect, o: Rect) =>
  r.x <= o.x && r.y <= o.y && o.x + o.width <= r.x + r.width && o.y + o.height <= r.y + r.height

describe('culling a large cluster to the view', () => {
  it("reads the part of the picture in view from React Flow's transform", () => {
    // Panned 100 px right and 50 px down at zoom 2, on an 800 x 600 canvas.
    expect(viewOf(100, 50, 2, 800, 600)).toEqual({ x: -50, y: -25, width: 400, height: 300 })
  })

  it('keeps a window around the view, at least half a view wider on every side', () => {
    const view = { x: 1234, y: -567, width: 800, height: 500 }
    const w = cullWindow(view)!
    expect(inside(w, view)).toBe(true)
    expect(view.x - w.x).toBeGreaterThanOrEqual(400)
    expect(view.y - w.y).toBeGreaterThanOrEqual(400)
    expect(w.x + w.width - (view.x + view.width)).toBeGreaterThanOrEqual(400)
    expect(w.y + w.height - (view.y + view.height)).toBeGreaterThanOrEqual(400)
  })

  it('moves the window only when a pan crosses a grid line, not on every frame', () => {
    // Half of 800 rounded up to a power of two: a grid of 512. From x = 1,024 the view's left edge
    // is past the line at 1,024 and its right edge (x + 800) reaches the one at 2,048 at x = 1,248.
    const at = (x: number) => windowKey(cullWindow({ x, y: 0, width: 800, height: 500 }))
    expect(at(1030)).toBe(at(1100))
    expect(at(1100)).toBe(at(1240))
    expect(at(1240)).not.toBe(at(1250))
    expect(at(1020)).not.toBe(at(1030))
  })

  it('has no window before the canvas is measured', () => {
    expect(cullWindow(viewOf(0, 0, 1, 0, 0))).toBeNull()
    expect(parseWindowKey(windowKey(null))).toBeNull()
    const w = { x: -1024, y: 512, width: 4096, height: 2048 }
    expect(parseWindowKey(windowKey(w))).toEqual(w)
  })

  // Two nodes far apart, each with a device, and the underlay wire between them.
  const left = box('node:a', 0, 0, 400, 300)
  const right = box('node:b', 10_000, 0, 400, 300)
  const ethA = box('dev:a:eth0', 100, 250, 170, 30, left)
  const ethB = box('dev:b:eth0', 10_100, 250, 170, 30, right)
  const under = box('underlay', 0, 3000, 10_400, 40)
  const layout: GraphLayout = {
    boxes: [left, ethA, right, ethB, under],
    links: [
      { id: 'wire-a', kind: 'wire', source: ethA.id, target: under.id },
      { id: 'wire-b', kind: 'wire', source: ethB.id, target: under.id },
    ],
    width: 10_400,
    height: 3040,
  }

  it('gives React Flow the boxes in the window, each with the boxes that hold it', () => {
    const ids = cullIndex(layout).boxesIn({ x: 150, y: 260, width: 10, height: 10 })
    expect(ids.has(ethA.id)).toBe(true)
    // The device's parent, without which React Flow cannot place it.
    expect(ids.has(left.id)).toBe(true)
    expect(ids.has(right.id)).toBe(false)
    expect(ids.has(ethB.id)).toBe(false)
  })

  it('keeps a link whose curve crosses the window though both its ends are out of it, with its ends', () => {
    // Between node b's eth0 and the underlay's top centre (5,200), far from both boxes.
    const window = { x: 7000, y: 1500, width: 200, height: 200 }
    const index = cullIndex(layout)
    expect([...index.linksIn(window)]).toEqual(['wire-b'])
    const ids = index.boxesIn(window)
    expect([...ids].sort()).toEqual([ethB.id, right.id, under.id].sort())
  })

  it("bounds each link by where React Flow's bezier really runs, also when it bends back up", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -20_000, max: 20_000 }),
        fc.integer({ min: -20_000, max: 20_000 }),
        fc.integer({ min: -20_000, max: 20_000 }),
        fc.integer({ min: -20_000, max: 20_000 }),
        (sx, sy, tx, ty) => {
          const s = box('s', sx - 50, sy - 30, 100, 30)
          const d = box('t', tx - 50, ty, 100, 30)
          const index = cullIndex({
            boxes: [s, d],
            links: [{ id: 'l', kind: 'veth', source: 's', target: 't' }],
            width: 0,
            height: 0,
          })
          // The drawn path: M sx,sy C c1 c2 tx,ty, from the source's bottom to the target's top.
          const [path] = getBezierPath({
            sourceX: sx,
            sourceY: sy,
            sourcePosition: Position.Bottom,
            targetX: tx,
            targetY: ty,
            targetPosition: Position.Top,
          })
          const n = path.match(/-?[\d.]+(?:e-?\d+)?/g)!.map(Number)
          const [x0, y0, x1, y1, x2, y2, x3, y3] = n as [
            number,
            number,
            number,
            number,
            number,
            number,
            number,
            number,
          ]
          for (let t = 0; t <= 1; t += 1 / 64) {
            const u = 1 - t
            const px = u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3
            const py = u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3
            const around = { x: px - 0.5, y: py - 0.5, width: 1, height: 1 }
            expect(index.linksIn(around).has('l')).toBe(true)
          }
        },
      ),
    )
  })
})
