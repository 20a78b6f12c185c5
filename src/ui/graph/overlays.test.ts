import { describe, expect, it } from 'vitest'
import { MARGIN } from './camera.ts'
import { cameraMargins, canvasOverlays, MAP_SIZE, OVERLAYS_FROM_WIDTH } from './overlays.ts'

describe('what stands over the graph’s canvas, and the camera’s margins round it', () => {
  it('keeps the hop above the overview map and the zoom buttons in the explore view', () => {
    const o = canvasOverlays('explore', 820)
    expect(o).toEqual({ map: true, zoomButtons: true })
    const m = cameraMargins(o, 'explore')
    expect(m.bottom).toBeGreaterThan(MAP_SIZE.height)
    expect(m.top).toBe(MARGIN)
  })

  it('leaves map and buttons out of a phone’s canvas, which keeps the usual margins', () => {
    const o = canvasOverlays('explore', OVERLAYS_FROM_WIDTH - 1)
    expect(o).toEqual({ map: false, zoomButtons: false })
    expect(cameraMargins(o, 'explore')).toEqual({
      top: MARGIN,
      right: MARGIN,
      bottom: MARGIN,
      left: MARGIN,
    })
  })

  it('leaves them out of an embedded lesson as narrow as a phone, and keeps them in a wider one', () => {
    expect(canvasOverlays('embed', 370)).toEqual({ map: false, zoomButtons: false })
    expect(canvasOverlays('embed', 780)).toEqual({ map: true, zoomButtons: true })
  })

  it('has none over presenter mode’s graph (its buttons stand in a row above it)', () => {
    expect(canvasOverlays('present', 1920)).toEqual({ map: false, zoomButtons: false })
    expect(cameraMargins(canvasOverlays('present', 1920), 'present').bottom).toBe(MARGIN)
  })
})
