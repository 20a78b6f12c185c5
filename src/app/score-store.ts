/**
 * The learner's quiz scores, per lesson, kept in the browser (localStorage) so that they
 * survive a reload. Only a question's first answer counts: trying again after a wrong answer
 * teaches, but does not raise the score. The key carries a version; data under another version,
 * or that cannot be read, is ignored rather than trusted. Where storage is unavailable (a
 * private window, a full quota) scores last as long as the page.
 */

/** Bump the version when the stored shape changes; old data is then left alone, not misread. */
export const SCORE_KEY = 'podpath.quiz-scores/v1'

export interface LessonScore {
  /** How many questions the lesson's quiz asks (for progress on the map). */
  total: number
  /** Ids of the questions answered right, and wrong, at the first try. */
  right: string[]
  wrong: string[]
}

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

export interface ScoreStore {
  get(lesson: string): LessonScore | null
  all(): Readonly<Record<string, LessonScore>>
  /** Records a first answer (a later one to the same question changes nothing). */
  record(lesson: string, question: string, correct: boolean, total: number): LessonScore
  /** Forgets one lesson's score, or every score. */
  reset(lesson?: string): void
  /** Called after every change; returns the unsubscribe function (for useSyncExternalStore). */
  subscribe(listener: () => void): () => void
}

/** A share of the quiz answered right at the first try, from 0 to 1. */
export function progress(score: LessonScore | null): number {
  if (!score || score.total <= 0) return 0
  return Math.min(1, score.right.length / score.total)
}

const isIds = (x: unknown): x is string[] =>
  Array.isArray(x) && x.every((v) => typeof v === 'string')

function isScore(x: unknown): x is LessonScore {
  const s = x as LessonScore
  return (
    typeof s === 'object' &&
    s !== null &&
    Number.isInteger(s.total) &&
    s.total >= 0 &&
    isIds(s.right) &&
    isIds(s.wrong)
  )
}

function read(storage: StorageLike | null): Record<string, LessonScore> {
  let raw: string | null
  try {
    raw = storage?.getItem(SCORE_KEY) ?? null
  } catch {
    return {}
  }
  if (!raw) return {}
  try {
    const data = JSON.parse(raw) as { lessons?: unknown }
    const out: Record<string, LessonScore> = {}
    if (typeof data.lessons !== 'object' || data.lessons === null) return {}
    for (const [id, s] of Object.entries(data.lessons)) if (isScore(s)) out[id] = s
    return out
  } catch {
    return {}
  }
}

export function createScoreStore(storage: StorageLike | null): ScoreStore {
  let scores = read(storage)
  const listeners = new Set<() => void>()
  const write = () => {
    try {
      if (Object.keys(scores).length === 0) storage?.removeItem(SCORE_KEY)
      else storage?.setItem(SCORE_KEY, JSON.stringify({ lessons: scores }))
    } catch {
      // Storage refused (quota, privacy settings): the scores still last for this page.
    }
    for (const l of listeners) l()
  }
  return {
    get: (lesson) => scores[lesson] ?? null,
    all: () => scores,
    record(lesson, question, correct, total) {
      const had = scores[lesson] ?? { total, right: [], wrong: [] }
      const answered = had.right.includes(question) || had.wrong.includes(question)
      if (answered && had.total === total) return had
      const next: LessonScore = {
        total,
        right: !answered && correct ? [...had.right, question] : had.right,
        wrong: !answered && !correct ? [...had.wrong, question] : had.wrong,
      }
      // A new object each time, so that a subscriber comparing snapshots sees the change.
      scores = { ...scores, [lesson]: next }
      write()
      return next
    },
    reset(lesson) {
      if (lesson === undefined) scores = {}
      else scores = Object.fromEntries(Object.entries(scores).filter(([id]) => id !== lesson))
      write()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The page's scores, in its localStorage. */
export const scores: ScoreStore = createScoreStore(browserStorage())
