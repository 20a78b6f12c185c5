/**
 * The quiz of a trace, generated from it and from the cluster, none of it written by hand: at
 * every step where something is decided, one question about what the next step will show.
 *
 * It runs in the page, not in the engine's worker: it needs only the trace and the cluster
 * summary the store already holds (for a lesson and for an imported scenario alike), costs a
 * few milliseconds, and so needs no worker message and no change to the engine's protocol.
 */
import { text, type Text } from '../../model/text.ts'
import type { Trace } from '../../model/trace.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'
import { addressPool } from './addresses.ts'
import { askAddress, askSource } from './ask-address.ts'
import { askArp } from './ask-arp.ts'
import { askDns } from './ask-dns.ts'
import { askEncap } from './ask-encap.ts'
import { askFate } from './ask-fate.ts'
import { askMasquerade } from './ask-masquerade.ts'
import { askDecidingEntry, askRuleMatch } from './ask-rule.ts'
import { askWhere } from './ask-where.ts'
import type { Ask, Draft } from './context.ts'
import { PlaceIndex } from './places.ts'
import type { Question, Quiz } from './question.ts'
import { questionRng, shuffle } from './seeded.ts'

/**
 * One question per step at most: the first kind that applies, from the decision that teaches
 * the most (is it dropped? wrapped? masqueraded? which rule?) to the plainest (where next?).
 */
const ASK_IN_ORDER: readonly Ask[] = [
  askFate,
  askEncap,
  askMasquerade,
  askRuleMatch,
  askDns,
  askAddress,
  askArp,
  askSource,
  askWhere,
  askDecidingEntry,
]

export interface QuizOptions {
  /** The same seed gives the same distractors in the same order. */
  seed: number
}

function why(right: Text, explain: Text): Text {
  return text(`Answer: ${right.en}. ${explain.en}`, `答案：${right['zh-CN']}。${explain['zh-CN']}`)
}

function toQuestion(trace: Trace, n: number, d: Draft, seed: number): Question {
  const next = trace.steps[n + 1]!
  // Its own generator again, so the order does not depend on how the distractors were drawn.
  const order = shuffle(questionRng(seed ^ 0x2545f491, n), [d.right, ...d.wrong])
  const choices = order.map((c, i) => ({ ...c, id: `${n}.${i + 1}` }))
  return {
    id: `${n}:${d.kind}`,
    kind: d.kind,
    step: n,
    reveals: n + 1,
    phase: trace.steps[n]!.phase,
    prompt: d.prompt,
    choices,
    answer: choices[order.indexOf(d.right)]!.id,
    why: {
      text: why(d.right.label, next.explain),
      // What decided the step: not the rules its tunnel's outer packet passed on the way.
      rules: next.lookups
        .filter((l) => l.matched && !l.outer)
        .map(({ table, rule }) => ({ table, rule })),
    },
  }
}

export function buildQuiz(trace: Trace, cluster: ClusterSummary, opts: QuizOptions): Quiz {
  const places = new PlaceIndex(cluster, trace)
  const pool = addressPool(cluster, trace)
  const questions: Question[] = []
  for (let n = 0; n + 1 < trace.steps.length; n++) {
    const rng = questionRng(opts.seed, n)
    const ctx = {
      trace,
      cluster,
      places,
      pool,
      rng,
      n,
      now: trace.steps[n]!,
      next: trace.steps[n + 1]!,
    }
    for (const ask of ASK_IN_ORDER) {
      const d = ask(ctx)
      if (d) {
        questions.push(toQuestion(trace, n, d, opts.seed))
        break
      }
    }
  }
  return { traffic: trace.traffic, seed: opts.seed, questions }
}

/** The question shown at step position `step`, if there is one. */
export function questionAt(quiz: Quiz, step: number): Question | null {
  return quiz.questions.find((q) => q.step === step) ?? null
}

/**
 * The questions a folded view still asks: where the screen folds a phase into one step (the
 * DNS lookup before a Service's connection, say), a question shown at or revealing a step
 * inside the fold has no step to stand on. `folded(position)` says whether a step is hidden
 * inside a fold (src/app/fold.ts knows).
 */
export function unfoldedQuestions(quiz: Quiz, folded: (step: number) => boolean): Question[] {
  return quiz.questions.filter((q) => !folded(q.step) && !folded(q.reveals))
}
