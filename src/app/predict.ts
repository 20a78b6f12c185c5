/**
 * Predict mode (issue 12): the quiz of the open trace (src/app/quiz) on the stage. At a step
 * where the quiz asks about the next one, the question stands open until it is answered; a right
 * answer moves to the step it asked about, a wrong one stays and says why, and moving on without
 * an answer (Next: "show me") shows the step and counts as not answered. Questions in a fold
 * (src/app/fold.ts: a phase the lesson does not teach) are never asked, open or closed, so the
 * questions and the timeline count the fold alike and a lesson's total does not change with it.
 *
 * Every answer goes through `recordAnswer`, the one place that writes it (this visit's answers,
 * the score in localStorage); an embedding page hears each first answer and the score from the
 * score store it writes (src/app/embed/bridge.ts, `quiz-answer` and `score`).
 */
import { foldAt, type Fold } from './fold.ts'
import { buildQuiz, unfoldedQuestions } from './quiz/quiz.ts'
import type { Question, Quiz } from './quiz/question.ts'
import { scores, type LessonScore } from './score-store.ts'
import { useAppStore, type AppState, type PredictOutcome, type StagePredict } from './store.ts'

let quizCache: { trace: AppState['trace']; cluster: AppState['cluster']; quiz: Quiz } | null = null

/** The open trace's quiz, the same object until the trace changes (seeded by the trace's seed). */
export function selectQuiz(s: AppState): Quiz | null {
  if (!s.trace || !s.cluster) return null
  const c = quizCache
  if (c && c.trace === s.trace && c.cluster === s.cluster) return c.quiz
  const quiz = buildQuiz(s.trace, s.cluster, { seed: s.trace.seed })
  quizCache = { trace: s.trace, cluster: s.cluster, quiz }
  return quiz
}

let askedCache: { quiz: Quiz; folds: Fold[]; asked: Question[] } | null = null

/** The questions the stage asks: the quiz's, less those in a fold (see above). */
export function selectAsked(s: AppState): Question[] {
  const quiz = selectQuiz(s)
  if (!quiz) return []
  const c = askedCache
  if (c && c.quiz === quiz && c.folds === s.folds) return c.asked
  const asked = unfoldedQuestions(quiz, (p) => foldAt(s.folds, p) !== null)
  askedCache = { quiz, folds: s.folds, asked }
  return asked
}

/**
 * Whose score an answer counts for: the lesson as it opens (its first request, its file's own
 * switches, seed 1, first connection) under the lesson's id, which the lesson map shows; any
 * other request or switch under the id and what differs, each its own quiz; an imported file
 * under its name. Null with nothing open.
 */
export function scoreKeyOf(s: AppState): string | null {
  if (s.imported) return s.file ? `file:${s.file}` : null
  if (!s.lessonId) return null
  const v = new URLSearchParams()
  if (s.selectedTraffic && s.selectedTraffic !== s.trafficNames[0])
    v.set('traffic', s.selectedTraffic)
  if (s.cniSwitch) v.set('cni', s.cniSwitch)
  if (s.proxySwitch) v.set('proxy', s.proxySwitch)
  if (s.seed !== 1) v.set('seed', String(s.seed))
  if (s.connection > 1) v.set('conn', String(s.connection))
  const variant = v.toString()
  return variant ? `${s.lessonId}?${variant}` : s.lessonId
}

/** A question's id in the score store and in this visit's answers: the request, then `N:kind`. */
export const questionKey = (s: AppState, q: Question) => `${s.trace?.traffic ?? ''}/${q.id}`

/** The question at the current step, answered or not, while predicting; null elsewhere. */
export function selectQuestion(s: AppState): Question | null {
  if (!s.predict) return null
  return selectAsked(s).find((q) => q.step === s.step) ?? null
}

/** This visit's answer to a question, if it has one. */
export function answerOf(s: AppState, q: Question) {
  const key = scoreKeyOf(s)
  return key ? (s.predictAnswers[`${key}#${questionKey(s, q)}`] ?? null) : null
}

/** The question at the current step that waits for an answer (playback stops at it). */
export function selectOpenQuestion(s: AppState): Question | null {
  const q = selectQuestion(s)
  return q && !answerOf(s, q) ? q : null
}

/** Counts answers over the page's life, so that each result is told from the one before. */
let answers = 0

/**
 * The one place an answer is recorded: this visit's answer, the result shown, and the score
 * (a first answer only, src/app/score-store.ts; an answer shown without one does not score).
 * `choice` null: the learner moved on and was shown the answer. Returns what it did.
 */
export function recordAnswer(q: Question, choice: string | null): PredictOutcome {
  const s = useAppStore.getState()
  const key = scoreKeyOf(s)
  const outcome: PredictOutcome =
    choice === null ? 'shown' : choice === q.answer ? 'right' : 'wrong'
  if (!key) return outcome
  const id = questionKey(s, q)
  if (choice !== null) scores.record(key, id, outcome === 'right', selectAsked(s).length)
  const answer = `${key}#${id}`
  useAppStore.setState({
    predictAnswers: { ...s.predictAnswers, [answer]: { choice, correct: outcome === 'right' } },
    predictResult: {
      answer,
      question: q.id,
      outcome,
      at: outcome === 'wrong' ? q.step : q.reveals,
      seq: ++answers,
    },
  })
  return outcome
}

/** The learner picks a choice of the question at the current step: right moves on to its step. */
export function answerQuestion(choice: string): void {
  const s = useAppStore.getState()
  const q = selectOpenQuestion(s)
  if (!q || !q.choices.some((c) => c.id === choice)) return
  if (s.playing) s.setPlaying(false)
  if (recordAnswer(q, choice) === 'right') useAppStore.getState().setStep(q.reveals)
}

/** The score of what is open (for the bar), or null. */
export function scoreOf(key: string | null): LessonScore | null {
  return key ? scores.get(key) : null
}

/** Forgets the open quiz's score and this visit's answers to it, so every question is asked again. */
export function resetScore(): void {
  const s = useAppStore.getState()
  const key = scoreKeyOf(s)
  if (!key) return
  scores.reset(key)
  const answers = Object.fromEntries(
    Object.entries(s.predictAnswers).filter(([k]) => !k.startsWith(`${key}#`)),
  )
  useAppStore.setState({ predictAnswers: answers, predictResult: null })
}

/**
 * Watches the step: moving on to the step a still open question asks about (the Next key or
 * button, a swipe, the timeline) shows its answer, counted as not answered, rather than passing
 * it silently; a result is cleared once the learner leaves the step it is shown at. Returns the
 * unsubscribe function.
 */
export function startPredict(): () => void {
  return useAppStore.subscribe((s, old) => {
    if (s.step === old.step && s.trace === old.trace) return
    if (s.predict && s.trace === old.trace) {
      const q = selectOpenQuestion(old)
      if (q && s.step === q.reveals && scoreKeyOf(s) === scoreKeyOf(old)) {
        recordAnswer(q, null)
        return
      }
    }
    if (s.predictResult && (s.predictResult.at !== s.step || s.trace !== old.trace))
      useAppStore.setState({ predictResult: null })
  })
}

/**
 * Predict mode as the stage tells its speaker window: this trace's answers of this visit and
 * the result shown at the step; null while not predicting. The speaker window builds the same
 * quiz from the same trace and seed, so question and choice ids are all it needs.
 */
export function stagePredictOf(s: AppState): StagePredict | null {
  if (!s.predict || !s.trace) return null
  const key = scoreKeyOf(s)
  const prefix = `${key}#${s.trace.traffic}/`
  const answers: Record<string, string | null> = {}
  for (const [k, a] of Object.entries(s.predictAnswers))
    if (k.startsWith(prefix)) answers[k.slice(prefix.length)] = a.choice
  const r = s.predictResult
  return {
    answers,
    result: r && r.at === s.step ? { question: r.question, outcome: r.outcome } : null,
  }
}
