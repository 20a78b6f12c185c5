/**
 * The built-in lessons' YAML, each its own lazily loaded chunk. A lesson listed in the catalog
 * whose file is not there yet is reported as missing, not as an error.
 */
import type { LessonMeta } from '../lessons/catalog.ts'

const sources = import.meta.glob<string>('../lessons/*.yaml', { query: '?raw', import: 'default' })

function key(lesson: LessonMeta): string {
  return `../lessons/${lesson.file}`
}

export function hasLessonSource(lesson: LessonMeta): boolean {
  return key(lesson) in sources
}

/** The file's text, or null when the lesson has no file yet. */
export async function loadLessonSource(lesson: LessonMeta): Promise<string | null> {
  const load = sources[key(lesson)]
  return load ? load() : null
}

/** The name diagnostics give the file, as the command line names it. */
export function lessonFileName(lesson: LessonMeta): string {
  return `lessons/${lesson.file}`
}
