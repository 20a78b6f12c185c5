/**
 * Golden traces: each built-in lesson's diagnostics and the trace of every Traffic it holds
 * (seed 1). `npm run golden` rewrites the files; a test compares them, so any change to what a
 * lesson teaches shows up in review.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { formatDiagnostic } from '../model/diagnostic.ts'
import type { Trace } from '../model/trace.ts'
import { LESSONS, type LessonMeta } from '../lessons/catalog.ts'
import { trace } from '../sim/trace.ts'
import { loadScenarioSource } from './load.ts'
// A cycle (handout-golden.ts reads this file's goldens), used only once both are loaded.
import { computeHandout, handoutGoldens } from './handout-golden.ts'

export const LESSONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lessons')
export const GOLDEN_SEED = 1

export interface Golden {
  lesson: string
  diagnostics: string[]
  traces: Trace[]
}

export function lessonSource(lesson: LessonMeta): string {
  return readFileSync(join(LESSONS_DIR, lesson.file), 'utf8')
}

export function computeGolden(lesson: LessonMeta): Golden {
  const loaded = loadScenarioSource(lessonSource(lesson), `lessons/${lesson.file}`)
  const traces = loaded.cluster
    ? loaded.scenario!.traffic.map((t) => trace(loaded.cluster!, t, { seed: GOLDEN_SEED }))
    : []
  return {
    lesson: lesson.id,
    diagnostics: loaded.diagnostics.map((d) => formatDiagnostic(d)),
    traces,
  }
}

export function goldenPath(lesson: LessonMeta): string {
  return join(LESSONS_DIR, `${lesson.id}.golden.json`)
}

export function goldenText(g: Golden): string {
  return `${JSON.stringify(g, null, 2)}\n`
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isMain) {
  for (const lesson of LESSONS) {
    writeFileSync(goldenPath(lesson), goldenText(computeGolden(lesson)))
    process.stdout.write(`wrote ${goldenPath(lesson)}\n`)
  }
  // The handouts print the traces: they change with them.
  for (const h of handoutGoldens()) {
    writeFileSync(h.path, computeHandout(h.lesson, h.lang))
    process.stdout.write(`wrote ${h.path}\n`)
  }
}
