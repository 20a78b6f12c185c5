/**
 * Moving through a trace by hand, however it is asked (the step keys, the embedding page's
 * postMessage commands): the step is clamped to the trace, and taking a step stops playback.
 */
import { useAppStore } from './store.ts'

export function stepTo(step: number): void {
  const { setStep, setPlaying } = useAppStore.getState()
  // Stepping by hand takes over from playback.
  setPlaying(false)
  setStep(step)
}
