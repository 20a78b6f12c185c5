import { useEffect } from 'react'
import { toggleFullscreen } from './fullscreen.ts'
import { noteFocusSource, onStageKey, type StageActions } from './keymap.ts'
import { openSpeakerWindow } from './speaker-window.ts'

export const STAGE_ACTIONS: StageActions = {
  fullscreen: toggleFullscreen,
  speaker: openSpeakerWindow,
}

/** Installs the stage's one keyboard map (keymap.ts) on the window, once for the whole app. */
export function useStageKeys(): void {
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onStageKey(e, STAGE_ACTIONS)
    window.addEventListener('keydown', listener)
    // Before anything handles it: a click says the focus did not come from Tab.
    window.addEventListener('pointerdown', noteFocusSource, true)
    return () => {
      window.removeEventListener('keydown', listener)
      window.removeEventListener('pointerdown', noteFocusSource, true)
    }
  }, [])
}
