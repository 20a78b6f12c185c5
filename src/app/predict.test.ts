import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { goldenPath, lessonSource, type Golden } from '../cli/golden.ts'
import { loadScenarioSource } from '../cli/load.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { summarize } from '../sim/summary.ts'
import { foldsFor } from './fold.ts'
import {
  answerQuestion,
  resetScore,
  scoreKeyOf,
  selectAsked,
  selectOpenQuestion,
  selectQuestion,
  startPredict,
} from './predict.ts'
import { scores } from './score-store.ts'
import { useAppStore } from './store.ts'

/** Opens a lesson's first request in the store as the session does, with predict mode on. */
function open(id: string) {
  const lesson = LESSONS.find((l) => l.id === id)!
  const golden = JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as Golden
  const cluster = summarize(loadScenarioSource(lessonSource(lesson), lesson.file).cluster!)
  const trace = golden.traces[0]!
  useAppStore.setState({
    lessonId: id,
    imported: false,
    cluster,
    trace,
    trafficNames: golden.traces.map((t) => t.traffic),
    selectedTraffic: trace.traffic,
    seed: 1,
    connection: 1,
    cniSwitch: null,
    proxySwitch: null,
    folds: foldsFor(lesson, trace.steps),
    openFolds: new Set(),
    step: 0,
    predict: true,
    predictAnswers: {},
    predictResult: null,
  })
  return trace
}

describe('predict mode', () => {
  let stop: () => void = () => {}
  beforeEach(() => {
    stop()
    scores.reset()
    stop = startPredict()
  })

  it('asks no question inside a fold, so a folded DNS lookup is one step for the quiz too', () => {
    open('mode3-clusterip-iptables')
    const s = useAppStore.getState()
    const fold = s.folds[0]!
    expect(fold.topic).toBe('dns')
    const asked = selectAsked(s)
    expect(asked.length).toBeGreaterThanOrEqual(5)
    for (const q of asked) {
      expect(q.step > fold.end || q.reveals < fold.start, q.id).toBe(true)
    }
  })

  it('moves to the step a right answer asked about and scores it under the lesson', () => {
    open('mode2-flannel-vxlan')
    const q = selectOpenQuestion(useAppStore.getState())!
    answerQuestion(q.answer)
    const s = useAppStore.getState()
    expect(s.step).toBe(q.reveals)
    expect(s.predictResult).toMatchObject({ outcome: 'right', at: q.reveals, question: q.id })
    expect(scores.get('mode2-flannel-vxlan')).toEqual({
      total: selectAsked(s).length,
      right: [`client-to-web/${q.id}`],
      wrong: [],
    })
  })

  it('stays at a wrong answer, which counts, and asks it no more in this visit', () => {
    open('mode2-flannel-vxlan')
    const q = selectOpenQuestion(useAppStore.getState())!
    const wrong = q.choices.find((c) => c.id !== q.answer)!
    answerQuestion(wrong.id)
    const s = useAppStore.getState()
    expect(s.step).toBe(q.step)
    expect(s.predictResult?.outcome).toBe('wrong')
    expect(selectQuestion(s)).toBe(q)
    expect(selectOpenQuestion(s)).toBeNull()
    // A second try changes nothing.
    answerQuestion(q.answer)
    expect(useAppStore.getState().step).toBe(q.step)
    expect(scores.get('mode2-flannel-vxlan')?.wrong).toEqual([`client-to-web/${q.id}`])
  })

  it('shows the answer when the learner steps past an open question, and does not score it', () => {
    open('mode2-flannel-vxlan')
    const q = selectOpenQuestion(useAppStore.getState())!
    useAppStore.getState().setStep(q.reveals)
    const s = useAppStore.getState()
    expect(s.predictResult).toMatchObject({ outcome: 'shown', at: q.reveals })
    expect(scores.get('mode2-flannel-vxlan')).toBeNull()
    // Leaving the step (back to the question, asked again) clears the result.
    s.setStep(q.step)
    expect(useAppStore.getState().predictResult).toBeNull()
  })

  it('keeps another request or switch apart from the lesson as it opens, and resets one', () => {
    open('mode2-flannel-vxlan')
    expect(scoreKeyOf(useAppStore.getState())).toBe('mode2-flannel-vxlan')
    useAppStore.setState({ cniSwitch: 'flannel-host-gw' })
    expect(scoreKeyOf(useAppStore.getState())).toBe('mode2-flannel-vxlan?cni=flannel-host-gw')
    useAppStore.setState({ cniSwitch: null, imported: true, file: 'mine.yaml' })
    expect(scoreKeyOf(useAppStore.getState())).toBe('file:mine.yaml')
    useAppStore.setState({ imported: false })
    const q = selectOpenQuestion(useAppStore.getState())!
    answerQuestion(q.answer)
    resetScore()
    expect(scores.get('mode2-flannel-vxlan')).toBeNull()
    useAppStore.getState().setStep(q.step)
    expect(selectOpenQuestion(useAppStore.getState())).toBe(q)
  })

  it('asks nothing while predict mode is off', () => {
    open('mode1-localhost')
    useAppStore.setState({ predict: false })
    expect(selectQuestion(useAppStore.getState())).toBeNull()
  })
})
