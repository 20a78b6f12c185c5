/**
 * Where the packet layer placed the pin for a step, told to the camera, which frames it with the
 * hop: the pin's size is known only once it is drawn (its words, the fields rewritten, the outer
 * header), so on a step the camera aims once the pin is placed (ClusterGraph's Camera).
 */
import type { Rect } from '../graph/camera.ts'

export interface PinBoard {
  /** The step and the pin's rectangle in graph units, as last placed. */
  readonly spot: { step: number; rect: Rect } | null
  set(step: number, rect: Rect): void
  listen(fn: () => void): () => void
}

export function pinBoard(): PinBoard {
  const listeners = new Set<() => void>()
  let spot: PinBoard['spot'] = null
  return {
    get spot() {
      return spot
    },
    set(step, rect) {
      const old = spot
      spot = { step, rect }
      const same =
        old?.step === step &&
        old.rect.x === rect.x &&
        old.rect.y === rect.y &&
        old.rect.w === rect.w &&
        old.rect.h === rect.h
      if (!same) listeners.forEach((fn) => fn())
    },
    listen(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
  }
}
