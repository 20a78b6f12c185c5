/**
 * The stage's one keyboard map, read at the window level whatever has the focus: the keys a
 * presentation clicker sends (PageDown, PageUp, B, .) as well as the arrows, Space, Home and End.
 * A key is left alone only while the learner types in a field, a select or a dialog, and Space on
 * a button reached with the keyboard still presses it. `?` lists the keys (KeyHelp.tsx).
 */
import { phaseTarget, shownBands } from '../playback/timeline.ts'
import { positionOf, shownIndexOf } from '../../app/fold.ts'
import { stepOn, stepTo } from '../../app/stepping.ts'
import { selectShown, useAppStore } from '../../app/store.ts'

export type Command =
  | 'next'
  | 'previous'
  | 'first'
  | 'last'
  | 'nextPhase'
  | 'previousPhase'
  | 'play'
  | 'camera'
  | 'drawer'
  | 'fullscreen'
  | 'blank'
  | 'help'
  | 'speaker'
  | 'escape'

export interface KeyLike {
  key: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
}

/** What a key does on the stage, or null for a key the stage leaves to the page. */
export function commandFor(e: KeyLike): Command | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null
  switch (e.key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return 'next'
    case 'ArrowLeft':
    case 'ArrowUp':
      return 'previous'
    // What clickers send for their forward and back buttons; with Shift, a whole phase.
    case 'PageDown':
      return e.shiftKey ? 'nextPhase' : 'next'
    case 'PageUp':
      return e.shiftKey ? 'previousPhase' : 'previous'
    case ' ':
      return e.shiftKey ? 'previous' : 'next'
    case 'Home':
      return 'first'
    case 'End':
      return 'last'
    case 'p':
    case 'P':
    case 'MediaPlayPause':
      return 'play'
    case 'w':
    case 'W':
      return 'camera'
    case 'i':
    case 'I':
      return 'drawer'
    case 'f':
    case 'F':
      return 'fullscreen'
    // A clicker's "blank screen" button sends B or a full stop, as in a slide show.
    case 'b':
    case 'B':
    case '.':
      return 'blank'
    case '?':
      return 'help'
    case 's':
    case 'S':
      return 'speaker'
    case 'Escape':
      return 'escape'
    default:
      return null
  }
}

/** Every key of the map, for the help overlay: the keys, then what they do. */
export const KEY_LIST: { keys: string[]; command: Command }[] = [
  { keys: ['→', '↓', 'PageDown', 'Space'], command: 'next' },
  { keys: ['←', '↑', 'PageUp', 'Shift+Space'], command: 'previous' },
  { keys: ['Home'], command: 'first' },
  { keys: ['End'], command: 'last' },
  { keys: ['Shift+PageDown'], command: 'nextPhase' },
  { keys: ['Shift+PageUp'], command: 'previousPhase' },
  { keys: ['P'], command: 'play' },
  { keys: ['W'], command: 'camera' },
  { keys: ['I'], command: 'drawer' },
  { keys: ['F'], command: 'fullscreen' },
  { keys: ['B', '.'], command: 'blank' },
  { keys: ['S'], command: 'speaker' },
  { keys: ['?'], command: 'help' },
  { keys: ['Esc'], command: 'escape' },
]

/**
 * What the keys do in predict mode, for the help overlay: Next with a question open shows the
 * answer and the step, counted as not answered (src/app/predict.ts), and Play stops at a question.
 */
export const PREDICT_KEY_LIST: { keys: string[]; help: 'nextKey' | 'playStops' }[] = [
  { keys: ['→', '↓', 'PageDown', 'Space'], help: 'nextKey' },
  { keys: ['P'], help: 'playStops' },
]

/** Inputs that take keys themselves; a button-like input does not. */
const TEXT_INPUT =
  /^(text|search|email|url|tel|password|number|date|time|datetime-local|month|week|color|file)$/

/**
 * How the focus got where it is: with Tab (then Space presses the button it is on, as a keyboard
 * user expects) or with a click (then Space steps: the button was only clicked). Browsers give
 * no such flag (`:focus-visible` turns on at any key press), so the stage's listeners keep it.
 */
let focusedByTab = false

/** Called by the stage's window listeners on every pointer press and key press. */
export function noteFocusSource(e: { type: string; key?: string }): void {
  if (e.type === 'pointerdown') focusedByTab = false
  else if (e.key === 'Tab') focusedByTab = true
}

/**
 * Whether a key pressed with this element focused is the element's own: typing in a field, a
 * select or anything inside an open dialog; Space on a control reached with Tab.
 */
export function belongsToTarget(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false
  if (target.closest('dialog[open], [role="dialog"], [role="alertdialog"]')) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement && TEXT_INPUT.test(target.type)) return true
  if (target instanceof HTMLElement && target.isContentEditable) return true
  // Space presses a button the keyboard went to; after a click on it, it steps.
  const pressable = target.closest('button, summary, [role="button"], input, [role="checkbox"]')
  if (key === ' ' && pressable) return focusedByTab
  return false
}

export interface StageActions {
  fullscreen: () => void
  /** Opens presenter mode's speaker window (a key press is the gesture a pop-up needs). */
  speaker: () => void
}

/**
 * Carries out a command on the store; false when it does nothing here (no trace to step, Esc
 * with nothing to close), so the caller lets the browser have the key.
 */
export function runCommand(command: Command, actions: StageActions): boolean {
  const s = useAppStore.getState()
  switch (command) {
    case 'help':
      s.setHelp(!s.help)
      return true
    case 'speaker':
      if (s.view !== 'present') return false
      actions.speaker()
      return true
    case 'escape':
      if (s.help) s.setHelp(false)
      else if (s.blank) s.setBlank(false)
      else if (s.view === 'present') s.setView('explore')
      else if (s.inspecting) s.setInspecting(null)
      else return false
      return true
    case 'blank':
      s.setBlank(!s.blank)
      return true
    case 'fullscreen':
      actions.fullscreen()
      return true
    case 'camera':
      s.setCamera(s.camera === 'follow' ? 'whole' : 'follow')
      return true
    case 'drawer':
      if (s.view !== 'explore') return false
      s.setDrawerOpen(!s.drawerOpen)
      return true
    default:
      break
  }
  if (!s.trace || s.trace.steps.length === 0) return false
  // A step key shows the screen again, as a slide show does.
  if (s.blank) s.setBlank(false)
  const shown = selectShown(s)
  switch (command) {
    case 'next':
      stepOn(1)
      return true
    case 'previous':
      stepOn(-1)
      return true
    case 'first':
      stepTo(positionOf(shown[0]!))
      return true
    case 'last':
      stepTo(positionOf(shown.at(-1)!))
      return true
    case 'nextPhase':
    case 'previousPhase': {
      const bands = shownBands(s.trace.steps, shown)
      const here = shownIndexOf(shown, s.step)
      const to = phaseTarget(command === 'nextPhase' ? 1 : -1, here, shown.length, bands)
      stepTo(positionOf(shown[to]!))
      return true
    }
    case 'play':
      s.togglePlay()
      return true
    default:
      return false
  }
}

/** The window's keydown listener: one for the whole stage, installed by Stage.tsx. */
export function onStageKey(e: KeyboardEvent, actions: StageActions): void {
  noteFocusSource(e)
  // A control that handled the key itself (the step list, the timeline) has the last word.
  if (e.defaultPrevented) return
  const command = commandFor(e)
  if (!command || belongsToTarget(e.target, e.key)) return
  if (runCommand(command, actions)) e.preventDefault()
}
