/**
 * The one keyboard scheme for moving through a trace, wherever the keys are read (the step list,
 * the page with nothing focused): the arrow keys step (down and right forward, up and left
 * back), Home and End jump to the first and last step, Space plays or pauses.
 */
import { useAppStore } from '../app/store.ts'

/** Where a key moves the selection, given the current step and the number of steps. */
export function stepTarget(key: string, step: number, count: number): number | null {
  switch (key) {
    case 'ArrowDown':
    case 'ArrowRight':
      return step + 1
    case 'ArrowUp':
    case 'ArrowLeft':
      return step - 1
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}

export interface StepKey {
  key: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
}

/** Acts on a key press; true when the key was one of the scheme's (the caller prevents default). */
export function handleStepKey(e: StepKey): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey) return false
  const { step, setStep, setPlaying, togglePlay, trace } = useAppStore.getState()
  if (!trace) return false
  if (e.key === ' ' && !e.shiftKey) {
    togglePlay()
    return true
  }
  const next = stepTarget(e.key, step, trace.steps.length)
  if (next === null) return false
  // Stepping by hand takes over from playback.
  setPlaying(false)
  setStep(next)
  return true
}
