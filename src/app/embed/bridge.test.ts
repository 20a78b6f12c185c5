import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createScoreStore } from '../score-store.ts'
import { openLesson } from '../session.ts'
import { useAppStore } from '../store.ts'
import { createBridge, type Bridge } from './bridge.ts'
import type { EmbedEvent, ExportedView, ExportFormat } from './protocol.ts'

const COURSE = 'https://course.example'

/** A window that keeps what is posted to it, with the target origin. */
function recorder() {
  const got: { message: EmbedEvent; origin: string }[] = []
  return {
    got,
    postMessage: (message: unknown, origin: string) =>
      got.push({ message: message as EmbedEvent, origin }),
    types: () => got.map((g) => g.message.type),
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('the embedding bridge', () => {
  let parent: ReturnType<typeof recorder>
  let bridge: Bridge
  const scores = createScoreStore(null)
  const send = (data: unknown, origin = COURSE, source: unknown = parent) =>
    bridge.receive({ origin, data, source })

  beforeEach(async () => {
    await openLesson('mode2-flannel-vxlan')
    parent = recorder()
    bridge = createBridge({
      origins: [COURSE, 'https://lms.example'],
      parent,
      trusts: (s) => s === parent,
      scores,
    })
  })
  afterEach(() => bridge.stop())

  it('says it is ready, to each named origin by name and never to *', () => {
    const ready = parent.got.filter((g) => g.message.type === 'ready')
    expect(ready.map((g) => g.origin)).toEqual([COURSE, 'https://lms.example'])
    expect(ready[0]!.message).toMatchObject({
      podpath: 1,
      step: 0,
      lesson: 'mode2-flannel-vxlan',
      phase: 'request',
      playing: false,
      lang: 'en',
      status: 'ready',
    })
    expect(parent.got.every((g) => g.origin !== '*')).toBe(true)
  })

  it('goes to a step when asked and tells where it is now', () => {
    const total = useAppStore.getState().trace!.steps.length
    send({ podpath: 1, type: 'goto', step: 5 })
    expect(useAppStore.getState().step).toBe(5)
    const step = parent.got.find((g) => g.message.type === 'step')!.message
    const phase = useAppStore.getState().trace!.steps[5]!.phase
    expect(step).toEqual({
      podpath: 1,
      type: 'step',
      step: 5,
      total,
      phase,
      lesson: 'mode2-flannel-vxlan',
      traceStep: 5,
      folded: 0,
    })
  })

  it('counts a closed fold as one step, as the stage and its keys do', async () => {
    // A ClusterIP lesson folds its DNS lookup (src/app/fold.ts): the request comes second.
    await openLesson('mode3-clusterip-iptables')
    const s = useAppStore.getState()
    const fold = s.folds[0]!
    const steps = s.trace!.steps.length
    const hidden = fold.end - fold.start
    send({ podpath: 1, type: 'next' })
    expect(useAppStore.getState().step).toBe(fold.end + 1)
    const told = parent.got.filter((g) => g.message.type === 'step').at(-1)!.message
    expect(told).toMatchObject({ step: 1, total: steps - hidden, traceStep: fold.end + 1 })
    expect(told).toMatchObject({ folded: hidden, phase: 'request' })
    send({ podpath: 1, type: 'prev' })
    expect(useAppStore.getState().step).toBe(fold.start)
    send({ podpath: 1, type: 'goto', step: 2 })
    expect(useAppStore.getState().step).toBe(fold.end + 2)
    // Past the last displayed step is past the end, though the trace has more steps.
    const before = parent.got.length
    send({ podpath: 1, type: 'goto', step: steps - hidden })
    expect(parent.got.slice(before).map((g) => g.message.type)).toEqual(['error'])
    // Opened, the fold's steps count one by one, and the page hears the new total.
    useAppStore.getState().setFoldOpen(fold.id, true)
    const opened = parent.got.filter((g) => g.message.type === 'step').at(-1)!.message
    expect(opened).toMatchObject({ step: fold.end + 2, total: steps, folded: 0 })
  })

  it('steps as the step keys do: next and prev, stopping playback, clamped at the ends', () => {
    useAppStore.setState({ playing: true })
    send({ podpath: 1, type: 'next' })
    expect(useAppStore.getState()).toMatchObject({ step: 1, playing: false })
    send({ podpath: 1, type: 'prev' })
    send({ podpath: 1, type: 'prev' })
    expect(useAppStore.getState().step).toBe(0)
  })

  it('says "ended" when the last step is reached', () => {
    const last = useAppStore.getState().trace!.steps.length - 1
    send({ podpath: 1, type: 'goto', step: last })
    expect(parent.types()).toContain('ended')
    const ended = parent.got.find((g) => g.message.type === 'ended')!.message
    expect(ended).toMatchObject({ step: last, outcome: 'delivered' })
  })

  it('plays, pauses, sets the speed and the language as the controls do', () => {
    send({ podpath: 1, type: 'play' })
    expect(useAppStore.getState().playing).toBe(true)
    send({ podpath: 1, type: 'pause' })
    expect(useAppStore.getState().playing).toBe(false)
    send({ podpath: 1, type: 'setSpeed', speed: 2 })
    send({ podpath: 1, type: 'setLanguage', lang: 'zh-CN' })
    expect(useAppStore.getState()).toMatchObject({ speed: 2, lang: 'zh-CN' })
    useAppStore.setState({ lang: 'en', speed: 1 })
  })

  it('answers getState to its sender alone', async () => {
    const other = recorder()
    bridge = createBridge({ origins: [COURSE], parent, trusts: () => true, scores })
    bridge.receive({ origin: COURSE, data: { podpath: 1, type: 'getState' }, source: other })
    await settle()
    expect(other.got).toEqual([
      {
        origin: COURSE,
        message: expect.objectContaining({ type: 'state', step: 0, lesson: 'mode2-flannel-vxlan' }),
      },
    ])
  })

  it('answers a malformed or unknown message with an error that quotes it, and changes nothing', () => {
    useAppStore.setState({ step: 3 })
    const before = parent.got.length
    for (const data of [
      { podpath: 1, type: 'goto', step: 'five' },
      { podpath: 1, type: 'fly' },
      { podpath: 1, type: 'goto', step: 9999 },
      'next',
    ]) {
      send(data)
      const last = parent.got.at(-1)!
      expect(last.origin).toBe(COURSE)
      expect(last.message).toMatchObject({ podpath: 1, type: 'error', request: data })
      expect((last.message as { message: string }).message.length).toBeGreaterThan(0)
    }
    expect(parent.got.length - before).toBe(4)
    expect(useAppStore.getState().step).toBe(3)
  })

  it('ignores, without an answer, every origin the page did not name and other windows', () => {
    useAppStore.setState({ step: 2 })
    const before = parent.got.length
    send({ podpath: 1, type: 'goto', step: 7 }, 'https://evil.example')
    send({ podpath: 1, type: 'goto', step: 7 }, 'null')
    send({ podpath: 1, type: 'goto', step: 7 }, 'https://course.example.evil.example')
    send({ podpath: 1, type: 'goto', step: 7 }, COURSE, recorder())
    send({ podpath: 1, type: 'bad' }, 'https://evil.example')
    expect(parent.got.length).toBe(before)
    expect(useAppStore.getState().step).toBe(2)
  })

  it('opens a scenario it is sent, and reports its errors', async () => {
    send({ podpath: 1, type: 'openScenario', yaml: 'kind: [', name: 'broken.yaml' })
    await new Promise((r) => setTimeout(r, 200))
    const error = parent.got.at(-1)!.message as { type: string; message: string }
    expect(error.type).toBe('error')
    expect(error.message).toMatch(/openScenario: the scenario has \d+ error/)
    expect(useAppStore.getState()).toMatchObject({ imported: true, file: 'broken.yaml' })
  })

  it('tells each first quiz answer and the score, as the score store records them', () => {
    scores.record('mode2-flannel-vxlan', 'q1', true, 4)
    scores.record('mode2-flannel-vxlan', 'q2', false, 4)
    scores.record('mode2-flannel-vxlan', 'q2', true, 4)
    const quiz = parent.got
      .filter((g) => g.origin === COURSE)
      .map((g) => g.message)
      .filter((m) => m.type === 'quiz-answer' || m.type === 'score')
    expect(quiz).toEqual([
      {
        podpath: 1,
        type: 'quiz-answer',
        lesson: 'mode2-flannel-vxlan',
        question: 'q1',
        correct: true,
      },
      { podpath: 1, type: 'score', lesson: 'mode2-flannel-vxlan', right: 1, wrong: 0, total: 4 },
      {
        podpath: 1,
        type: 'quiz-answer',
        lesson: 'mode2-flannel-vxlan',
        question: 'q2',
        correct: false,
      },
      { podpath: 1, type: 'score', lesson: 'mode2-flannel-vxlan', right: 1, wrong: 1, total: 4 },
    ])
    scores.reset()
  })
})

describe('export, answered to its sender with the drawing', () => {
  const scores = createScoreStore(null)
  const drawn: ExportFormat[] = []
  const view = (format: ExportFormat): ExportedView =>
    format === 'svg'
      ? { format, mime: 'image/svg+xml', data: '<svg/>', width: 640, height: 400, file: 'a.svg' }
      : {
          format,
          mime: 'image/png',
          data: 'data:image/png;base64,AA',
          width: 640,
          height: 400,
          file: 'a.png',
        }
  const exporter = (format: ExportFormat) => {
    drawn.push(format)
    return Promise.resolve(view(format))
  }

  it('draws the view in the format asked, once per command', async () => {
    await openLesson('mode2-flannel-vxlan')
    const parent = recorder()
    const bridge = createBridge({ origins: [COURSE], parent, trusts: () => true, scores, exporter })
    const before = parent.got.length
    bridge.receive({
      origin: COURSE,
      data: { podpath: 1, type: 'export', format: 'svg' },
      source: parent,
    })
    bridge.receive({
      origin: COURSE,
      data: { podpath: 1, type: 'export', format: 'png' },
      source: parent,
    })
    await settle()
    expect(drawn).toEqual(['svg', 'png'])
    expect(parent.got.slice(before)).toEqual([
      { origin: COURSE, message: { podpath: 1, type: 'export', ...view('svg') } },
      { origin: COURSE, message: { podpath: 1, type: 'export', ...view('png') } },
    ])
    bridge.stop()
  })

  it('answers with an error when there is nothing to draw, or no way to draw it', async () => {
    await openLesson('mode2-flannel-vxlan')
    const ask = { podpath: 1, type: 'export', format: 'png' }
    for (const [draw, why] of [
      [() => Promise.resolve(null), 'no graph is shown'],
      [undefined, 'cannot draw'],
    ] as const) {
      const parent = recorder()
      const bridge = createBridge({
        origins: [COURSE],
        parent,
        trusts: () => true,
        scores,
        ...(draw ? { exporter: draw } : {}),
      })
      bridge.receive({ origin: COURSE, data: ask, source: parent })
      await settle()
      expect(parent.got.at(-1)!.message).toMatchObject({ type: 'error', request: ask })
      expect((parent.got.at(-1)!.message as { message: string }).message).toContain(why)
      bridge.stop()
    }
  })
})

describe('a framed page that names no origin', () => {
  it('obeys no one and says once, to any page, how to name one (with no state in it)', () => {
    const parent = recorder()
    const bridge = createBridge({ origins: [], parent, trusts: () => true })
    expect(parent.got).toHaveLength(1)
    expect(parent.got[0]).toMatchObject({ origin: '*', message: { type: 'error', request: null } })
    expect(JSON.stringify(parent.got[0]!.message)).not.toMatch(/step|lesson/)
    bridge.receive({ origin: COURSE, data: { podpath: 1, type: 'goto', step: 1 }, source: parent })
    expect(parent.got).toHaveLength(1)
    bridge.stop()
  })
})
