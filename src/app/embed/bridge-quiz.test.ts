/**
 * The quiz events of docs/embed.md, as the bridge sends them when the learner answers in
 * predict mode (src/app/predict.ts recordAnswer, the one place an answer is written): `lesson`
 * is the quiz's score key (the lesson's id, with the request and switches that differ from the
 * lesson as it opens), `question` the question's key (`<request>/<trace step>:<kind>`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { answerQuestion, selectAsked } from '../predict.ts'
import { scores } from '../score-store.ts'
import { lessonSource } from '../../cli/golden.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { openLesson, openScenario } from '../session.ts'
import { useAppStore } from '../store.ts'
import { createBridge, type Bridge } from './bridge.ts'
import type { EmbedEvent } from './protocol.ts'

const COURSE = 'https://course.example'

describe('quiz events from predict mode, as docs/embed.md shows them', () => {
  let got: EmbedEvent[]
  let bridge: Bridge
  const quizEvents = () => got.filter((m) => m.type === 'quiz-answer' || m.type === 'score')

  beforeEach(() => {
    scores.reset()
    got = []
    useAppStore.setState({ predict: true, predictAnswers: {}, predictResult: null })
  })
  afterEach(() => {
    bridge.stop()
    scores.reset()
    useAppStore.setState({ predict: false, predictAnswers: {}, predictResult: null })
  })
  const start = () => {
    const parent = { postMessage: (m: unknown) => got.push(m as EmbedEvent) }
    bridge = createBridge({ origins: [COURSE], parent, trusts: () => true })
  }

  it('names the lesson and the question by their keys, right then wrong, each with the score', async () => {
    await openLesson('mode2-flannel-vxlan')
    start()
    const asked = selectAsked(useAppStore.getState())
    const [q1, q2] = asked as [(typeof asked)[0], (typeof asked)[0]]
    // docs/embed.md shows these events: the lesson's first two questions, of 27.
    expect([q1.id, q2.id]).toEqual(['0:where', '1:arp'])
    useAppStore.getState().setStep(q1.step)
    answerQuestion(q1.answer)
    useAppStore.getState().setStep(q2.step)
    answerQuestion(q2.choices.find((c) => c.id !== q2.answer)!.id)
    // A second try at a question does not count, and is not told.
    answerQuestion(q2.answer)
    expect(quizEvents()).toEqual([
      {
        podpath: 1,
        type: 'quiz-answer',
        lesson: 'mode2-flannel-vxlan',
        question: 'client-to-web/0:where',
        correct: true,
      },
      {
        podpath: 1,
        type: 'score',
        lesson: 'mode2-flannel-vxlan',
        right: 1,
        wrong: 0,
        total: 27,
      },
      {
        podpath: 1,
        type: 'quiz-answer',
        lesson: 'mode2-flannel-vxlan',
        question: 'client-to-web/1:arp',
        correct: false,
      },
      {
        podpath: 1,
        type: 'score',
        lesson: 'mode2-flannel-vxlan',
        right: 1,
        wrong: 1,
        total: 27,
      },
    ])
  })

  it('keys a switched lesson by what differs, and an own scenario by its file', async () => {
    await openLesson('mode2-flannel-vxlan', { cni: 'flannel-host-gw' })
    start()
    const [q] = selectAsked(useAppStore.getState())
    useAppStore.getState().setStep(q!.step)
    answerQuestion(q!.answer)
    expect(quizEvents()[0]).toMatchObject({
      lesson: 'mode2-flannel-vxlan?cni=flannel-host-gw',
      question: `client-to-web/${q!.id}`,
    })
    // The same file opened as one's own: its file name keys the quiz, and `step` events say
    // lesson: null.
    got = []
    await openScenario(
      'week3.yaml',
      lessonSource(LESSONS.find((l) => l.id === 'mode2-flannel-vxlan')!),
    )
    const [own] = selectAsked(useAppStore.getState())
    useAppStore.getState().setStep(own!.step)
    answerQuestion(own!.answer)
    expect(quizEvents()[0]).toMatchObject({ lesson: 'file:week3.yaml', correct: true })
    expect(got.filter((m) => m.type === 'step').at(-1)).toMatchObject({ lesson: null })
  })
})
