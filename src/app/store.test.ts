import { beforeEach, describe, expect, it } from 'vitest'
import type { Step, Trace } from '../model/trace.ts'
import { useAppStore } from './store.ts'

const trace = (n: number) =>
  ({ steps: Array.from({ length: n }, (_, i) => ({ index: i }) as Step) }) as Trace

describe('playback', () => {
  beforeEach(() => useAppStore.setState({ trace: trace(5), step: 0, playing: false, speed: 1 }))

  it('plays from where it is, and pauses', () => {
    useAppStore.setState({ step: 2 })
    useAppStore.getState().togglePlay()
    expect(useAppStore.getState()).toMatchObject({ playing: true, step: 2 })
    useAppStore.getState().togglePlay()
    expect(useAppStore.getState()).toMatchObject({ playing: false, step: 2 })
  })

  it('starts again from the first step when played at the last', () => {
    useAppStore.setState({ step: 4 })
    useAppStore.getState().togglePlay()
    expect(useAppStore.getState()).toMatchObject({ playing: true, step: 0 })
  })

  it('has nothing to play in a trace of one step', () => {
    useAppStore.setState({ trace: trace(1) })
    useAppStore.getState().togglePlay()
    expect(useAppStore.getState().playing).toBe(false)
  })

  it('keeps the step inside the trace', () => {
    useAppStore.getState().setStep(9)
    expect(useAppStore.getState().step).toBe(4)
    useAppStore.getState().setStep(-1)
    expect(useAppStore.getState().step).toBe(0)
  })
})
