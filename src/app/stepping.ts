/**
 * Moving through a trace by hand, however it is asked: the stage's keys (src/ui/stage/keymap.ts),
 * the step buttons, the timeline, and the embedding page's postMessage commands
 * (src/app/embed/bridge.ts). Every way steps as the steps are displayed: a closed fold
 * (src/app/fold.ts) is one step, as the timeline and the step counter count it. Taking a step
 * stops playback.
 */
import { positionOf, shownIndexOf, stepBy } from './fold.ts'
import { selectShown, useAppStore, type AppState } from './store.ts'

/** Shows a trace position (the first of a closed fold stands for it), and stops playback. */
export function stepTo(position: number): void {
  const s = useAppStore.getState()
  // Stepping by hand takes over from playback.
  if (s.playing) s.setPlaying(false)
  if (s.step !== position) s.setStep(position)
}

/** One displayed step on (1) or back (-1), or more; nothing past either end. */
export function stepOn(delta: number): void {
  const s = useAppStore.getState()
  stepTo(stepBy(selectShown(s), s.step, delta))
}

/** Where the trace stands, counted as displayed: the step shown (from 0) of how many. */
export function displayedOf(s: AppState): { at: number; count: number } {
  const shown = selectShown(s)
  return { at: shown.length ? shownIndexOf(shown, s.step) : 0, count: shown.length }
}

/** Shows the displayed step `index` (from 0); false when there is no such step. */
export function stepToDisplayed(index: number): boolean {
  const shown = selectShown(useAppStore.getState())
  const item = shown[index]
  if (!item) return false
  stepTo(positionOf(item))
  return true
}
