/**
 * What stands over the graph's canvas in each view, and so what the camera keeps its hop clear
 * of: the overview map (bottom right) and the zoom buttons (bottom left), in the explore and
 * embed views on a canvas wide enough to spare their corners. A phone-wide canvas keeps neither:
 * it pans and zooms under the finger. Presenter mode has none (its own buttons stand in
 * a row above the graph, stage.css).
 */
import type { StageView } from '../../app/store.ts'
import { MARGIN, type Margins } from './camera.ts'

/** Below this canvas width the overview map and the zoom buttons are left out. */
export const OVERLAYS_FROM_WIDTH = 480

/** React Flow's panel margin (`.react-flow__panel`), the overview map's and the buttons' size. */
const PANEL_MARGIN = 15
export const MAP_SIZE = { width: 100, height: 64 }
const ZOOM_BUTTONS_HEIGHT = 2 * 27

export interface CanvasOverlays {
  map: boolean
  zoomButtons: boolean
}

export function canvasOverlays(view: StageView, canvasWidth: number): CanvasOverlays {
  // An embedded lesson as narrow as a phone keeps neither too: in a 390 px frame the buttons and
  // the map stood over the VXLAN header's box and the packet's tag.
  const corners = view !== 'present' && canvasWidth >= OVERLAYS_FROM_WIDTH
  return { map: corners, zoomButtons: corners }
}

/** The margins the camera keeps: its usual one, and more past what stands over the canvas. */
export function cameraMargins(o: CanvasOverlays, view: StageView): Margins {
  // The embed view frames its hop in frames down to 320x240 (camera.ts squeezes it there).
  if (view === 'embed') return { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN }
  const bottom = Math.max(
    MARGIN,
    o.map ? PANEL_MARGIN + MAP_SIZE.height + 8 : 0,
    o.zoomButtons ? PANEL_MARGIN + ZOOM_BUTTONS_HEIGHT + 8 : 0,
  )
  return { top: MARGIN, right: MARGIN, bottom, left: MARGIN }
}
