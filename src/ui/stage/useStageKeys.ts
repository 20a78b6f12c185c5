import { useEffect } from 'react'
import { toggleFullscreen } from './fullscreen.ts'
import { onStageKey, type StageActions } from './keymap.ts'
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
    return () => window.removeEventListener('keydown', listener)
  }, [])
}
