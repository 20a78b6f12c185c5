import { useEffect } from 'react'
import { stepBy } from '../../app/fold.ts'
import { selectOpenQuestion } from '../../app/predict.ts'
import {
  selectPlaying,
  selectShown,
  selectSpeed,
  selectStep,
  STEP_MS,
  useAppStore,
} from '../../app/store.ts'

/**
 * While playing, moves to the next displayed step every STEP_MS / speed (a closed fold is one
 * step: src/app/fold.ts), and stops after showing the last, or at a question predict mode asks
 * (src/app/predict.ts: the learner answers first). A timer in an effect: one store
 * update per step, nothing per frame.
 */
export function usePlayer(): void {
  const playing = useAppStore(selectPlaying)
  const speed = useAppStore(selectSpeed)
  const step = useAppStore(selectStep)
  useEffect(() => {
    if (!playing) return
    const id = window.setTimeout(() => {
      const s = useAppStore.getState()
      const next = stepBy(selectShown(s), s.step, 1)
      if (next === s.step || selectOpenQuestion(s)) s.setPlaying(false)
      else s.setStep(next)
    }, STEP_MS / speed)
    return () => window.clearTimeout(id)
  }, [playing, speed, step])
}
