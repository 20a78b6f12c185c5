import { describe, expect, it } from 'vitest'
import { overlap, placePin, PIN_GAP } from './pin-place.ts'

const box = { x: 100, y: 100, w: 120, h: 30 }
const pin = { w: 90, h: 24 }
const wideView = { w: 1000, h: 800 }
const rectOf = (s: { x: number; y: number }) => ({ ...s, ...pin })

describe("the packet's pin beside its box", () => {
  it('stands centred above the box where nothing is there', () => {
    const s = placePin({ box, wide: false, pin, labels: [], view: wideView })
    expect(s.side).toBe('above')
    expect(s.x).toBe(box.x + box.w / 2 - pin.w / 2)
    expect(s.y).toBe(box.y - PIN_GAP - pin.h)
    expect(s.leader).toBeNull()
  })

  it("moves off a neighbour's label above the box, to the nearest free side", () => {
    const above = { x: 100, y: 60, w: 120, h: 30 }
    const s = placePin({ box, wide: false, pin, labels: [above], view: wideView })
    expect(overlap(rectOf(s), above)).toBe(0)
    expect(s.side).toBe('below')
  })

  it('stands off with a leader line when every side next to the box is taken', () => {
    // Boxes of the same size all round, as containers in a Pod and devices in a row are.
    const labels = [
      { x: 100, y: 65, w: 120, h: 30 },
      { x: 100, y: 135, w: 120, h: 30 },
      { x: 0, y: 100, w: 95, h: 30 },
      { x: 225, y: 100, w: 95, h: 30 },
      { x: 0, y: 65, w: 320, h: 30 },
      { x: 0, y: 135, w: 320, h: 30 },
    ]
    const s = placePin({ box, wide: false, pin, labels, view: wideView })
    for (const l of labels) expect(overlap(rectOf(s), l)).toBe(0)
    expect(s.leader).not.toBeNull()
    expect(s.covers).toBe(0)
  })

  it('says how much label it covers where the view has no free spot', () => {
    // Labels everywhere the camera's view reaches: the least covered spot, and its area.
    const labels = [{ x: -200, y: -200, w: 600, h: 500 }].map((l) => ({ ...l }))
    const s = placePin({ box, wide: false, pin, labels, view: { w: 300, h: 200 } })
    expect(s.covers).toBe(pin.w * pin.h)
  })

  it('keeps box and pin within what the camera shows, even if that covers a label', () => {
    // A phone's view: 300 graph units wide, 120 high; a tall pin only fits beside the box.
    const tall = { w: 120, h: 90 }
    const s = placePin({ box, wide: false, pin: tall, labels: [], view: { w: 300, h: 120 } })
    expect(['right', 'left']).toContain(s.side)
  })

  it('rests inside the right end of a wide box that has room there', () => {
    const bridge = { x: 0, y: 300, w: 460, h: 34 }
    const name = { x: 180, y: 308, w: 100, h: 18 }
    const s = placePin({ box: bridge, wide: true, pin, labels: [name], view: wideView })
    expect(s.side).toBe('inside')
    expect(overlap(rectOf(s), name)).toBe(0)
  })
})
