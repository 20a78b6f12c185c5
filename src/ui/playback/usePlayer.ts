import { useEffect } from 'react'
import { selectPlaying, selectSpeed, selectStep, STEP_MS, useAppStore } from '../../app/store.ts'

/**
 * While playing, moves to the next step every STEP_MS / speed, and stops after showing the last.
 * A timer in an effect: one store update per step, nothing per frame.
 */
export function usePlayer(): void {
  const playing = useAppStore(selectPlaying)
  const speed = useAppStore(selectSpeed)
  const step = useAppStore(selectStep)
  useEffect(() => {
    if (!playing) return
    const id = window.setTimeout(() => {
      const { step, trace, setStep, setPlaying } = useAppStore.getState()
      const last = (trace?.steps.length ?? 0) - 1
      if (step >= last) setPlaying(false)
      else setStep(step + 1)
    }, STEP_MS / speed)
    return () => window.clearTimeout(id)
  }, [playing, speed, step])
}
