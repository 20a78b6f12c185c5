import { beforeEach, describe, expect, it } from 'vitest'
import type { Step, Trace } from '../model/trace.ts'
import { sharedStage, startStageSync, type ChannelLike, type StageMessage } from './stage-sync.ts'
import { useAppStore } from './store.ts'

/** One end of a channel whose other end is the test: what was posted, and a way to answer. */
function fakeChannel() {
  const posted: StageMessage[] = []
  const channel: ChannelLike = {
    postMessage: (m) => posted.push(m),
    onmessage: null,
    close: () => {},
  }
  const receive = (m: StageMessage) =>
    channel.onmessage?.({ data: m } as MessageEvent<StageMessage>)
  return { channel, posted, receive }
}

const trace = { steps: Array.from({ length: 6 }, (_, i) => ({ index: i }) as Step) } as Trace

describe('presenter mode’s two windows', () => {
  beforeEach(() =>
    useAppStore.setState({
      lessonId: 'mode2-flannel-vxlan',
      selectedTraffic: 'client-to-web',
      seed: 1,
      connection: 1,
      cniSwitch: null,
      proxySwitch: null,
      status: 'ready',
      trace,
      step: 0,
      folds: [],
      openFolds: new Set(),
      blank: false,
      view: 'present',
    }),
  )

  it('the stage says where it stands when it moves, and answers a new speaker window', () => {
    const { channel, posted, receive } = fakeChannel()
    const stop = startStageSync(channel)
    expect(posted).toEqual([{ type: 'hello', from: 'present' }])
    useAppStore.getState().setStep(2)
    expect(posted.at(-1)).toMatchObject({ type: 'stage', from: 'present', stage: { step: 2 } })
    receive({ type: 'hello', from: 'speaker' })
    expect(posted.at(-1)).toMatchObject({ type: 'stage', stage: { step: 2, blank: false } })
    stop()
  })

  it('follows a step or a blank screen from the speaker window, and does not echo it back', () => {
    const { channel, posted, receive } = fakeChannel()
    const stop = startStageSync(channel)
    const before = posted.length
    const there = { ...sharedStage(useAppStore.getState()), step: 4, blank: true }
    receive({ type: 'stage', from: 'speaker', stage: there })
    expect(useAppStore.getState()).toMatchObject({ step: 4, blank: true })
    expect(posted).toHaveLength(before)
    stop()
  })

  it('ignores another stage, and a speaker window that shows another trace', () => {
    const { channel, receive } = fakeChannel()
    const stop = startStageSync(channel)
    const here = sharedStage(useAppStore.getState())
    receive({ type: 'stage', from: 'present', stage: { ...here, step: 5 } })
    expect(useAppStore.getState().step).toBe(0)
    receive({ type: 'stage', from: 'speaker', stage: { ...here, traffic: 'other', step: 5 } })
    expect(useAppStore.getState().step).toBe(0)
    stop()
  })

  it('says nothing outside presenter mode', () => {
    useAppStore.setState({ view: 'explore' })
    const { channel, posted } = fakeChannel()
    const stop = startStageSync(channel)
    useAppStore.getState().setStep(3)
    expect(posted).toEqual([])
    stop()
  })

  it('the speaker window asks for the stage once its own trace is there', () => {
    useAppStore.setState({ view: 'speaker', trace: null, status: 'loading' })
    const { channel, posted } = fakeChannel()
    const stop = startStageSync(channel)
    useAppStore.setState({ trace, status: 'ready', step: 1 })
    expect(posted.at(-1)).toEqual({ type: 'hello', from: 'speaker' })
    stop()
  })
})
