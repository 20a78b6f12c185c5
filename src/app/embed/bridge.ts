/**
 * The embedding page's way in (docs/embed.md): PodPath obeys and answers the postMessage
 * commands of the origins the page named in the iframe's address (`origin=`), and tells them
 * where the trace is. A message from any other origin, or from a window that is neither the
 * page that frames PodPath nor the one that opened it, is ignored without an answer. Commands
 * act as the app's own controls do (stepTo, the store's playback and language, openScenario);
 * events go to each trusted origin by name, never to `*`.
 */
import { scores as pageScores, type ScoreStore } from '../score-store.ts'
import { openScenario } from '../session.ts'
import { displayedOf, stepOn, stepToDisplayed } from '../stepping.ts'
import { useAppStore, type AppState } from '../store.ts'
import {
  errorEvent,
  event,
  parseCommand,
  type Command,
  type EmbedEvent,
  type ExportedView,
  type ExportFormat,
  type Position,
  type StateFields,
} from './protocol.ts'

/**
 * Draws the graph's view on screen (src/ui/export, passed in by main.tsx: the app layer does not
 * read the page); null when no graph is shown.
 */
export type ViewExporter = (format: ExportFormat) => Promise<ExportedView | null>

/** A window that can be posted to: the parent, the sender of a message. */
export interface PostTarget {
  postMessage(message: unknown, targetOrigin: string): void
}

export interface BridgeOptions {
  /** The origins the embedding page named; empty: none is trusted. */
  origins: readonly string[]
  /** Where events go: the page that frames PodPath (or the one that opened it). */
  parent: PostTarget
  /** The windows whose messages count (the parent, the opener). */
  trusts: (source: unknown) => boolean
  scores?: ScoreStore
  /** Answers `export`; without one, `export` is answered with an error. */
  exporter?: ViewExporter
}

export interface Bridge {
  /** Handles one `message` event. */
  receive(e: { origin: string; data: unknown; source: unknown }): void
  stop(): void
}

const NO_ORIGINS =
  'PodPath obeys no page: name the origins it may answer in the iframe address, e.g. ' +
  '?origin=https://course.example (docs/embed.md)'

/**
 * Where the trace stands, counted as the stage displays it (a closed fold is one step, as the
 * timeline, the step counter and the keys count it), with the trace's own position beside it.
 */
export function positionOf(s: AppState): Position {
  const steps = s.trace?.steps ?? []
  const { at, count } = displayedOf(s)
  return {
    step: at,
    total: count,
    phase: steps[s.step]?.phase ?? null,
    lesson: s.lessonId,
    traceStep: steps.length ? s.step : 0,
    folded: steps.length - count,
  }
}

export function stateOf(s: AppState): StateFields {
  return { ...positionOf(s), playing: s.playing, speed: s.speed, lang: s.lang, status: s.status }
}

/** Why a command cannot act on what is open now, or null when it can. */
function cannot(c: Command, s: AppState): string | null {
  const total = displayedOf(s).count
  switch (c.type) {
    case 'goto':
      if (total === 0) return 'goto: no trace is open'
      return c.step < total ? null : `goto: step ${c.step} is past the last step (${total - 1})`
    case 'next':
    case 'prev':
    case 'play':
    case 'export':
      return total === 0 ? `${c.type}: no trace is open` : null
    default:
      return null
  }
}

/** Does what a command asks; returns an event to answer its sender with, if any. */
async function act(c: Command, exporter: ViewExporter | undefined): Promise<EmbedEvent | null> {
  const s = useAppStore.getState()
  switch (c.type) {
    // As the stage's keys step (src/app/stepping.ts): over a closed fold in one step.
    case 'goto':
      stepToDisplayed(c.step)
      return null
    case 'next':
      stepOn(1)
      return null
    case 'prev':
      stepOn(-1)
      return null
    case 'play':
      if (!s.playing) s.togglePlay()
      return null
    case 'pause':
      s.setPlaying(false)
      return null
    case 'setLanguage':
      // The store's language is the one source of truth: App passes it on to i18n.
      s.setLang(c.lang)
      return null
    case 'setSpeed':
      s.setSpeed(c.speed)
      return null
    case 'openScenario': {
      await openScenario(c.name ?? 'embedded.yaml', c.yaml)
      const after = useAppStore.getState()
      if (after.status === 'invalid') {
        const errors = after.diagnostics.filter((d) => d.severity === 'error')
        const first = errors[0]
        const where = first ? ` (line ${first.line}: ${first.message.en})` : ''
        return errorEvent(`openScenario: the scenario has ${errors.length} error(s)${where}`, c)
      }
      if (after.status !== 'ready')
        return errorEvent(`openScenario: ${after.engineError ?? after.status}`, c)
      return null
    }
    case 'getState':
      return event({ type: 'state', ...stateOf(s) })
    case 'export': {
      const view = exporter ? await exporter(c.format) : null
      if (!exporter) return errorEvent('export: this page cannot draw its graph', c)
      if (!view) return errorEvent('export: no graph is shown', c)
      return event({ type: 'export', ...view })
    }
    default: {
      const never: never = c
      return never
    }
  }
}

export function createBridge(opts: BridgeOptions): Bridge {
  const { origins, parent } = opts
  const scores = opts.scores ?? pageScores
  const tell = (e: EmbedEvent) => {
    for (const origin of origins) parent.postMessage(e, origin)
  }
  if (origins.length === 0) parent.postMessage(errorEvent(NO_ORIGINS, null), '*')

  let ready = false
  const announce = (s: AppState) => {
    if (ready || s.status === 'loading') return
    ready = true
    tell(event({ type: 'ready', ...stateOf(s) }))
  }
  const unsubscribe = useAppStore.subscribe((s, old) => {
    if (!ready) return announce(s)
    // A fold opened or closed changes what the steps are counted as: the page hears it.
    const same = s.folds === old.folds && s.openFolds === old.openFolds
    if (s.trace === old.trace && s.step === old.step && same) return
    if (!s.trace || s.trace.steps.length === 0) return
    const at = positionOf(s)
    tell(event({ type: 'step', ...at }))
    if ((s.step !== old.step || s.trace !== old.trace) && at.step === at.total - 1)
      tell(event({ type: 'ended', outcome: s.trace.outcome, ...at }))
  })
  announce(useAppStore.getState())

  // A question's first answer, as the score store records it (only that one counts).
  let known = scores.all()
  const unsubscribeScores = scores.subscribe(() => {
    const now = scores.all()
    for (const [lesson, score] of Object.entries(now)) {
      const had = known[lesson]
      if (had === score) continue
      const seen = new Set([...(had?.right ?? []), ...(had?.wrong ?? [])])
      for (const q of score.right.filter((q) => !seen.has(q)))
        tell(event({ type: 'quiz-answer', lesson, question: q, correct: true }))
      for (const q of score.wrong.filter((q) => !seen.has(q)))
        tell(event({ type: 'quiz-answer', lesson, question: q, correct: false }))
      const { right, wrong, total } = score
      tell(event({ type: 'score', lesson, right: right.length, wrong: wrong.length, total }))
    }
    known = now
  })

  return {
    receive({ origin, data, source }) {
      if (!origins.includes(origin) || !opts.trusts(source)) return
      const answer = (e: EmbedEvent) => (source as PostTarget).postMessage(e, origin)
      const parsed = parseCommand(data)
      if (!parsed.ok) return answer(errorEvent(parsed.message, data))
      const why = cannot(parsed.command, useAppStore.getState())
      if (why) return answer(errorEvent(why, data))
      void act(parsed.command, opts.exporter).then(
        (reply) => reply && answer(reply),
        (err: unknown) => answer(errorEvent(`${parsed.command.type}: ${String(err)}`, data)),
      )
    },
    stop() {
      unsubscribe()
      unsubscribeScores()
    },
  }
}

/**
 * Starts the bridge in this page when it is framed, or asked to be embedded (`embed=1`), or
 * names origins; returns the stop function, or null when it does not start.
 */
export function startBridge(want: {
  embed: boolean
  origins: string[] | null
  exporter?: ViewExporter
}): (() => void) | null {
  const framed = window.parent !== window
  if (!framed && !want.embed && want.origins === null) return null
  // Opened by a page rather than framed: that page is the one to answer. Neither: no one is.
  const parent = framed ? window.parent : (window.opener as Window | null)
  if (!parent) return null
  const bridge = createBridge({
    origins: want.origins ?? [],
    parent,
    trusts: (source) => source === parent,
    exporter: want.exporter,
  })
  const onMessage = (e: MessageEvent) => bridge.receive(e)
  window.addEventListener('message', onMessage)
  return () => {
    window.removeEventListener('message', onMessage)
    bridge.stop()
  }
}
