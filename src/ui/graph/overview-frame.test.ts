import { describe, expect, it } from 'vitest'
import { mapFrame, viewRect } from './overview-frame.ts'

describe('overview map geometry', () => {
  it("turns React Flow's transform into the part of the picture in view", () => {
    // Panned 100 px right and 50 px down at zoom 2, on an 800 x 600 canvas.
    expect(viewRect(100, 50, 2, 800, 600)).toEqual({ x: -50, y: -25, width: 400, height: 300 })
  })

  it('frames the whole layout in the map, centred along its short side, with a margin', () => {
    // A layout twice as wide as the map's shape allows: width decides the scale.
    const f = mapFrame({ width: 2000, height: 500 }, viewRect(0, 0, 1, 0, 0), 100, 64)
    const scale = 2000 / 100
    expect(f.width).toBeCloseTo(100 * scale + 10 * scale)
    expect(f.height).toBeCloseTo(64 * scale + 10 * scale)
    expect(f.x).toBeCloseTo(-5 * scale)
    // Centred: the space above the layout equals the space below it.
    expect(f.y + f.height / 2).toBeCloseTo(250)
  })

  it('takes in the view when it reaches outside the layout, so that its frame stays on the map', () => {
    const view = { x: 1500, y: -400, width: 1000, height: 800 }
    const f = mapFrame({ width: 2000, height: 500 }, view, 100, 64)
    expect(f.x).toBeLessThanOrEqual(0)
    expect(f.y).toBeLessThanOrEqual(view.y)
    expect(f.x + f.width).toBeGreaterThanOrEqual(view.x + view.width)
    expect(f.y + f.height).toBeGreaterThanOrEqual(500)
  })
})
