import { beforeEach, describe, expect, it } from 'vitest'
import { useAppStore } from '../../app/store.ts'
import type { Action, Phase, Step, Trace } from '../../model/trace.ts'
import { commandFor, KEY_LIST, runCommand, type KeyLike } from './keymap.ts'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
})

const trace = (...s: [Phase, Action][]) =>
  ({ steps: s.map(([phase, action], index) => ({ index, phase, action }) as Step) }) as Trace

let speakerOpened = 0
const noActions = { fullscreen: () => {}, speaker: () => void speakerOpened++ }
const press = (k: string, mods: Partial<KeyLike> = {}) =>
  runCommand(commandFor(key(k, mods))!, noActions)

describe('the stage’s keyboard map', () => {
  it('steps forward with what a clicker sends, and with the arrows and Space', () => {
    for (const k of ['ArrowRight', 'ArrowDown', 'PageDown', ' '])
      expect(commandFor(key(k))).toBe('next')
    for (const k of ['ArrowLeft', 'ArrowUp', 'PageUp']) expect(commandFor(key(k))).toBe('previous')
    expect(commandFor(key(' ', { shiftKey: true }))).toBe('previous')
    expect(commandFor(key('PageDown', { shiftKey: true }))).toBe('nextPhase')
    expect(commandFor(key('PageUp', { shiftKey: true }))).toBe('previousPhase')
  })

  it('blanks the screen with B and the full stop, as a slide show does, and knows F, P, W, ? and Esc', () => {
    expect(commandFor(key('b'))).toBe('blank')
    expect(commandFor(key('B'))).toBe('blank')
    expect(commandFor(key('.'))).toBe('blank')
    expect(commandFor(key('f'))).toBe('fullscreen')
    expect(commandFor(key('p'))).toBe('play')
    expect(commandFor(key('w'))).toBe('camera')
    expect(commandFor(key('?'))).toBe('help')
    expect(commandFor(key('Escape'))).toBe('escape')
  })

  it('leaves the browser’s own shortcuts and other keys alone', () => {
    expect(commandFor(key('ArrowRight', { ctrlKey: true }))).toBeNull()
    expect(commandFor(key('f', { metaKey: true }))).toBeNull()
    expect(commandFor(key('Enter'))).toBeNull()
    expect(commandFor(key('Tab'))).toBeNull()
  })

  it('lists every command in the help overlay', () => {
    const listed = new Set(KEY_LIST.map((k) => k.command))
    for (const k of [
      'ArrowRight',
      'ArrowLeft',
      'Home',
      'End',
      'p',
      'w',
      'i',
      'f',
      'b',
      '?',
      'Escape',
    ])
      expect(listed.has(commandFor(key(k))!)).toBe(true)
    expect(listed.has('nextPhase')).toBe(true)
  })
})

describe('the commands, on the store', () => {
  beforeEach(() => {
    const t = trace(
      ['dns', 'dns-query'],
      ['dns', 'route'],
      ['dns', 'dns-answer'],
      ['request', 'send'],
      ['request', 'dnat'],
      ['reply', 'deliver'],
    )
    useAppStore.setState({
      trace: t,
      step: 0,
      playing: false,
      folds: [{ id: 'dns:0', topic: 'dns', start: 0, end: 2 }],
      openFolds: new Set(),
      view: 'explore',
      blank: false,
      help: false,
      inspecting: null,
      camera: 'follow',
    })
  })

  it('steps over a closed fold in one key press, and back', () => {
    expect(press('PageDown')).toBe(true)
    expect(useAppStore.getState().step).toBe(3)
    press('PageUp')
    expect(useAppStore.getState().step).toBe(0)
    press('End')
    expect(useAppStore.getState().step).toBe(5)
    press('Home')
    expect(useAppStore.getState().step).toBe(0)
  })

  it('walks through a fold step by step once it is open', () => {
    useAppStore.getState().setFoldOpen('dns:0', true)
    press(' ')
    expect(useAppStore.getState().step).toBe(1)
  })

  it('jumps a phase with Shift+Page Down, a closed fold counting as one step', () => {
    useAppStore.setState({ step: 3 })
    press('PageDown', { shiftKey: true })
    expect(useAppStore.getState().step).toBe(5)
    press('PageUp', { shiftKey: true })
    expect(useAppStore.getState().step).toBe(3)
    press('PageUp', { shiftKey: true })
    expect(useAppStore.getState().step).toBe(0)
  })

  it('stops playback when stepping by hand', () => {
    useAppStore.setState({ playing: true })
    press('ArrowRight')
    expect(useAppStore.getState().playing).toBe(false)
  })

  it('blanks and unblanks with B; a step key or Esc brings the picture back', () => {
    press('b')
    expect(useAppStore.getState().blank).toBe(true)
    press('b')
    expect(useAppStore.getState().blank).toBe(false)
    press('.')
    press('PageDown')
    expect(useAppStore.getState()).toMatchObject({ blank: false, step: 3 })
    press('b')
    press('Escape')
    expect(useAppStore.getState().blank).toBe(false)
  })

  it('leaves presenter mode with Esc, after closing what is open over it', () => {
    useAppStore.setState({ view: 'present', help: true, blank: true })
    press('Escape')
    expect(useAppStore.getState()).toMatchObject({ help: false, blank: true, view: 'present' })
    press('Escape')
    expect(useAppStore.getState()).toMatchObject({ blank: false, view: 'present' })
    press('Escape')
    expect(useAppStore.getState().view).toBe('explore')
    // With nothing left to close, Esc is the browser's.
    expect(press('Escape')).toBe(false)
  })

  it('opens the speaker window with S, from presenter mode only', () => {
    const before = speakerOpened
    expect(press('s')).toBe(false)
    useAppStore.setState({ view: 'present' })
    expect(press('S')).toBe(true)
    expect(speakerOpened).toBe(before + 1)
  })

  it('stays in the speaker window on Esc: only presenter mode is left with it', () => {
    useAppStore.setState({ view: 'speaker' })
    expect(press('Escape')).toBe(false)
    expect(useAppStore.getState().view).toBe('speaker')
  })

  it('toggles the camera between following the packet and the whole cluster with W', () => {
    press('w')
    expect(useAppStore.getState().camera).toBe('whole')
    press('W')
    expect(useAppStore.getState().camera).toBe('follow')
  })

  it('does nothing to step when there is no trace', () => {
    useAppStore.setState({ trace: null })
    expect(press('ArrowRight')).toBe(false)
  })
})
