/**
 * What the engine itself says about a lesson, computed in Node from the file on disk: the
 * browser tests compare the page with it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadScenarioSource, type Loaded } from '../src/cli/load.ts'
import type { LessonMeta } from '../src/lessons/catalog.ts'
import type { ClusterOverrides } from '../src/model/overrides.ts'
import type { Trace } from '../src/model/trace.ts'
import { trace } from '../src/sim/trace.ts'

const LESSONS_DIR = join(import.meta.dirname, '..', 'src', 'lessons')

export function lessonFileExists(lesson: LessonMeta): boolean {
  return existsSync(join(LESSONS_DIR, lesson.file))
}

export interface EngineView extends Loaded {
  traffic: string[]
  /** The trace of a Traffic by name, as the app asks for it. */
  traceOf(traffic: string, seed?: number, connection?: number): Trace
}

/** `overrides`: the lesson switches (CNI, kube-proxy mode), as the app sends them to the engine. */
export function engineView(lesson: LessonMeta, overrides?: ClusterOverrides): EngineView {
  const source = readFileSync(join(LESSONS_DIR, lesson.file), 'utf8')
  // The app names the file as the command line does (src/app/lesson-sources.ts).
  const loaded = loadScenarioSource(source, `lessons/${lesson.file}`, overrides)
  return {
    ...loaded,
    traffic: loaded.scenario?.traffic.map((t) => t.name) ?? [],
    traceOf(name, seed = 1, connection = 1) {
      const t = loaded.scenario?.traffic.find((x) => x.name === name)
      if (!loaded.cluster || !t) throw new Error(`${lesson.id} has no traffic ${name}`)
      return trace(loaded.cluster, t, { seed, connection })
    },
  }
}
