import { useEffect } from 'react'
import { toggleFullscreen } from './fullscreen.ts'
import { onStageKey } from './keymap.ts'

const ACTIONS = { fullscreen: toggleFullscreen }

/** Installs the stage's one keyboard map (keymap.ts) on the window, once for the whole app. */
export function useStageKeys(): void {
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onStageKey(e, ACTIONS)
    window.addEventListener('keydown', listener)
    return () => window.removeEventListener('keydown', listener)
  }, [])
}
