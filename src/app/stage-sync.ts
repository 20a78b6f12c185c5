/**
 * Presenter mode's two windows, the projected stage and the speaker window, kept on one step
 * with BroadcastChannel messages (same origin, no server): a step, a fold opened or the screen
 * blanked in one is done in the other. The speaker window opens the same lesson itself, from its
 * own address; if the stage moves on to another lesson or request, the speaker follows it there.
 * In predict mode the stage also tells the speaker window its answers (src/app/predict.ts
 * stagePredictOf), so the teacher sees the question, its choices and, once answered, why.
 */
import { stagePredictOf } from './predict.ts'
import { openLesson } from './session.ts'
import { useAppStore, type AppState, type StagePredict, type StageView } from './store.ts'

export const STAGE_CHANNEL = 'podpath-stage'

/** What both windows must show alike: the trace (by what opens it) and where it stands. */
export interface SharedStage {
  lesson: string | null
  traffic: string | null
  seed: number
  connection: number
  cni: string | null
  proxy: string | null
  step: number
  open: string[]
  blank: boolean
  /** The stage's predict mode; the speaker window repeats what it was last told. */
  predict: StagePredict | null
}

export type StageMessage =
  { type: 'hello'; from: StageView } | { type: 'stage'; from: StageView; stage: SharedStage }

/** The part of BroadcastChannel used here, so tests can pass a pair of fakes. */
export interface ChannelLike {
  postMessage(m: StageMessage): void
  onmessage: ((e: MessageEvent<StageMessage>) => void) | null
  close(): void
}

export function sharedStage(s: AppState): SharedStage {
  return {
    lesson: s.lessonId,
    traffic: s.selectedTraffic,
    seed: s.seed,
    connection: s.connection,
    cni: s.cniSwitch,
    proxy: s.proxySwitch,
    step: s.step,
    open: [...s.openFolds].sort(),
    blank: s.blank,
    predict: s.view === 'speaker' ? s.stagePredict : stagePredictOf(s),
  }
}

/** The same trace: the same lesson, request, seed, connection and switches. */
export function sameTrace(a: SharedStage, b: SharedStage): boolean {
  return (
    a.lesson === b.lesson &&
    a.traffic === b.traffic &&
    a.seed === b.seed &&
    a.connection === b.connection &&
    a.cni === b.cni &&
    a.proxy === b.proxy
  )
}

const sameSpot = (a: SharedStage, b: SharedStage) =>
  a.step === b.step &&
  a.blank === b.blank &&
  a.open.join() === b.open.join() &&
  JSON.stringify(a.predict) === JSON.stringify(b.predict)

/** Which windows listen to which: the speaker to the stage, the stage to the speaker. */
const PARTNER: Partial<Record<StageView, StageView>> = { present: 'speaker', speaker: 'present' }

/**
 * Starts keeping this window in step with its partner (while it is in presenter mode or is the
 * speaker window); returns the function that stops it.
 */
export function startStageSync(
  channel: ChannelLike | null = typeof BroadcastChannel === 'undefined'
    ? null
    : (new BroadcastChannel(STAGE_CHANNEL) as unknown as ChannelLike),
): () => void {
  if (!channel) return () => {}
  let applying = false
  const post = (s: AppState) => {
    if (PARTNER[s.view] && s.trace)
      channel.postMessage({ type: 'stage', from: s.view, stage: sharedStage(s) })
  }
  channel.onmessage = (e) => {
    const m = e.data
    const s = useAppStore.getState()
    if (PARTNER[s.view] !== m.from) return
    if (m.type === 'hello') return post(s)
    const mine = sharedStage(s)
    if (!sameTrace(mine, m.stage)) {
      // Only the speaker window follows the stage to another trace; the stage is the class's.
      // While its own trace is on its way it waits: it asks for the stage once it has it.
      if (s.view !== 'speaker' || s.status === 'loading') return
      const { lesson, traffic, step, connection, cni, proxy, seed } = m.stage
      useAppStore.setState({ seed, stagePredict: null })
      void openLesson(lesson, {
        traffic,
        step,
        connection,
        cni: cni as never,
        proxy: proxy as never,
      })
      return
    }
    if (sameSpot(mine, m.stage)) return
    applying = true
    useAppStore.setState({
      step: m.stage.step,
      openFolds: new Set(m.stage.open),
      blank: m.stage.blank,
      playing: false,
      // Predict mode is the stage's: the speaker window shows it, never changes it.
      ...(s.view === 'speaker' ? { stagePredict: m.stage.predict } : {}),
    })
    applying = false
  }
  const hello = (view: StageView) => channel.postMessage({ type: 'hello', from: view })
  const unsubscribe = useAppStore.subscribe((s, old) => {
    if (applying || !PARTNER[s.view]) return
    if (s.view !== old.view) hello(s.view)
    // A new trace: the stage says where it stands; the speaker window asks (never drags the
    // class back to the step its address was opened at).
    if (s.trace !== old.trace) {
      if (s.trace && s.view === 'speaker') hello(s.view)
      else if (s.trace) post(s)
      return
    }
    if (s.trace && !sameSpot(sharedStage(s), sharedStage(old))) post(s)
  })
  const s = useAppStore.getState()
  if (PARTNER[s.view]) hello(s.view)
  return () => {
    unsubscribe()
    channel.onmessage = null
    channel.close()
  }
}
