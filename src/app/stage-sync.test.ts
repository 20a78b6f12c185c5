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

describe('presenter mode’s two windows, predicting', () => {
  const key = 'mode2-flannel-vxlan#client-to-web'
  beforeEach(() =>
    useAppStore.setState({
      lessonId: 'mode2-flannel-vxlan',
      selectedTraffic: 'client-to-web',
      trafficNames: ['client-to-web'],
      seed: 1,
      connection: 1,
      cniSwitch: null,
      proxySwitch: null,
      imported: false,
      status: 'ready',
      trace: { ...trace, traffic: 'client-to-web' } as Trace,
      step: 2,
      folds: [],
      openFolds: new Set(),
      blank: false,
      view: 'present',
      predict: true,
      predictAnswers: {},
      predictResult: null,
      stagePredict: null,
    }),
  )

  it('the stage tells its answers and the result it shows, at once after each answer', () => {
    const { channel, posted } = fakeChannel()
    const stop = startStageSync(channel)
    expect(sharedStage(useAppStore.getState()).predict).toEqual({ answers: {}, result: null })
    // A wrong answer: the step stays, the message says which choice and how it went.
    useAppStore.setState({
      predictAnswers: { [`${key}/2:rule`]: { choice: '2.3', correct: false } },
      predictResult: {
        answer: `${key}/2:rule`,
        question: '2:rule',
        outcome: 'wrong',
        at: 2,
        seq: 1,
      },
    })
    expect(posted.at(-1)).toMatchObject({
      type: 'stage',
      stage: {
        step: 2,
        predict: { answers: { '2:rule': '2.3' }, result: { question: '2:rule', outcome: 'wrong' } },
      },
    })
    // Another lesson's answers are not this trace's; a result shown at another step is gone.
    useAppStore.setState({
      predictAnswers: {
        ...useAppStore.getState().predictAnswers,
        'mode1-localhost#web/0:where': { choice: '0.1', correct: true },
      },
      step: 3,
    })
    expect(posted.at(-1)).toMatchObject({
      stage: { step: 3, predict: { answers: { '2:rule': '2.3' }, result: null } },
    })
    // Predict mode off: nothing to show.
    useAppStore.setState({ predict: false })
    expect(posted.at(-1)).toMatchObject({ stage: { predict: null } })
    stop()
  })

  it('the speaker window shows what the stage said, and the stage never takes it back', () => {
    const said = {
      ...sharedStage(useAppStore.getState()),
      predict: { answers: { '2:rule': '2.1' }, result: { question: '2:rule', outcome: 'right' } },
    } as const
    useAppStore.setState({ view: 'speaker', predict: false })
    const speaker = fakeChannel()
    const stop = startStageSync(speaker.channel)
    const before = speaker.posted.length
    speaker.receive({ type: 'stage', from: 'present', stage: said })
    expect(useAppStore.getState().stagePredict).toEqual(said.predict)
    expect(speaker.posted).toHaveLength(before)
    stop()

    // The stage, told another predict state by a speaker window, keeps its own.
    useAppStore.setState({ view: 'present', predict: true, stagePredict: null })
    const stage = fakeChannel()
    const stop2 = startStageSync(stage.channel)
    stage.receive({ type: 'stage', from: 'speaker', stage: { ...said, step: 4 } })
    expect(useAppStore.getState()).toMatchObject({
      step: 4,
      predictAnswers: {},
      stagePredict: null,
    })
    stop2()
  })
})
