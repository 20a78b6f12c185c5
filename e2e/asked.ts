/**
 * The questions predict mode asks in a lesson's first request, as src/app/predict.ts picks them
 * (none inside a fold), computed here in Node from the same lesson file as the page.
 */
import { foldAt, foldsFor } from '../src/app/fold.ts'
import type { Question } from '../src/app/quiz/question.ts'
import { buildQuiz, unfoldedQuestions } from '../src/app/quiz/quiz.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import type { Trace } from '../src/model/trace.ts'
import { summarize } from '../src/sim/summary.ts'
import { engineView } from './engine.ts'

export function askedIn(id: string): { trace: Trace; asked: Question[] } {
  const lesson = LESSONS.find((l) => l.id === id)!
  const view = engineView(lesson)
  const trace = view.traceOf(view.traffic[0]!)
  const quiz = buildQuiz(trace, summarize(view.cluster!), { seed: trace.seed })
  const folds = foldsFor(lesson, trace.steps)
  return { trace, asked: unfoldedQuestions(quiz, (p) => foldAt(folds, p) !== null) }
}
