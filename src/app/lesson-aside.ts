/**
 * A lesson traced on the side, by an engine of its own, for pages that need a lesson's facts
 * without opening it (the capstone line on the modes page): the open lesson's engine and store
 * are left alone. The worker is stopped when the answer is in.
 */
import { LESSONS } from '../lessons/catalog.ts'
import type { Trace } from '../model/trace.ts'
import type { ClusterSummary } from '../sim/protocol.ts'
import { lessonFileName, loadLessonSource } from './lesson-sources.ts'
import { createEngineClient } from './worker-client.ts'

export interface LessonFacts {
  cluster: ClusterSummary
  trace: Trace
}

/** The lesson's first request, seed 1 (the step numbers its links open). */
export async function traceLessonAside(id: string): Promise<LessonFacts> {
  const lesson = LESSONS.find((l) => l.id === id)
  if (!lesson) throw new Error(`no lesson ${id}`)
  const source = await loadLessonSource(lesson)
  if (source === null) throw new Error(`${lesson.file} is missing`)
  const engine = createEngineClient()
  try {
    const loaded = await engine.load(lessonFileName(lesson), source)
    const traffic = loaded.traffic[0]
    if (!loaded.ok || !loaded.cluster || !traffic) throw new Error(`${lesson.file} does not trace`)
    return { cluster: loaded.cluster, trace: await engine.trace(traffic, 1) }
  } finally {
    engine.dispose()
  }
}
