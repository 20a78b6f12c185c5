/**
 * The quiz's "where next?" choices are boxes a learner can point at on this graph: each choice
 * lands on a box of the lesson's layout, no two on the same box, and the right one on the box
 * the next step is drawn at (src/app/quiz/places.ts follows locate.ts's order; this checks it).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildQuiz } from '../../app/quiz/quiz.ts'
import { goldenPath, lessonSource, type Golden } from '../../cli/golden.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { summarize } from '../../sim/summary.ts'
import { graphExtras } from './extras.ts'
import { layoutCluster } from './layout.ts'
import { boxIds, locate } from './locate.ts'

describe('the quiz asks where next in boxes of the graph', () => {
  for (const lesson of LESSONS) {
    const golden = JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as Golden
    if (golden.traces.length === 0) continue
    it(`${lesson.id}: every choice is its own box, the right one where the next step is drawn, none where the packet is`, () => {
      const cluster = summarize(loadScenarioSource(lessonSource(lesson), lesson.file).cluster!)
      for (const trace of golden.traces) {
        const ids = boxIds(layoutCluster(cluster, graphExtras(cluster, trace)))
        for (const q of buildQuiz(trace, cluster, { seed: 1 }).questions) {
          if (q.kind !== 'where') continue
          const boxes = q.choices.map((c) =>
            c.value.kind === 'place' ? locate(c.value.at, ids) : null,
          )
          expect(boxes, q.id).not.toContain(null)
          expect(new Set(boxes).size, q.id).toBe(boxes.length)
          const right = boxes[q.choices.findIndex((c) => c.id === q.answer)]
          expect(right, `${trace.traffic} ${q.id}`).toBe(locate(trace.steps[q.reveals]!.at, ids))
          // The box the packet is at now is never one of them: the packet moves on.
          expect(boxes, `${trace.traffic} ${q.id}`).not.toContain(
            locate(trace.steps[q.step]!.at, ids),
          )
        }
      }
    })
  }
})
