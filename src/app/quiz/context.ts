/** What every question maker sees: the trace, the cluster, the two steps, its own generator. */
import type { Step, Trace } from '../../model/trace.ts'
import type { Text } from '../../model/text.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'
import type { Rng } from '../../sim/rng.ts'
import type { AddressPool } from './addresses.ts'
import type { PlaceIndex } from './places.ts'
import type { Choice, QuestionKind } from './question.ts'

export interface AskContext {
  trace: Trace
  cluster: ClusterSummary
  places: PlaceIndex
  pool: AddressPool
  rng: Rng
  /** The step the question is shown at (position n) and the one it asks about (n + 1). */
  n: number
  now: Step
  next: Step
}

/** A question before its choices are shuffled and numbered. */
export interface Draft {
  kind: QuestionKind
  prompt: Text
  right: Omit<Choice, 'id'>
  wrong: Omit<Choice, 'id'>[]
}

/** A question maker: a draft, or null when its kind does not apply to this step. */
export type Ask = (ctx: AskContext) => Draft | null

/** Fewer distractors than this and the question is not asked (a coin toss teaches nothing). */
export const MIN_DISTRACTORS = 2
/** Four choices at most: the right one and three distractors. */
export const MAX_DISTRACTORS = 3
