/**
 * The built-in lessons' YAML, each a file of its own in the build (never inlined into a script),
 * fetched as text when the lesson opens. A lesson listed in the catalog whose file is not there
 * yet is reported as missing, not as an error.
 *
 * A fetch, not a module import: a browser may keep a failed dynamic import failed for the page's
 * whole life (Chromium 150 does: the module map remembers the failure), so a lesson that could
 * not be downloaded offline would never open once the network is back. A failed fetch is simply
 * made again.
 */
import type { LessonMeta } from '../lessons/catalog.ts'

const urls = import.meta.glob<string>('../lessons/*.yaml', {
  query: '?url&no-inline',
  import: 'default',
  eager: true,
})

function key(lesson: LessonMeta): string {
  return `../lessons/${lesson.file}`
}

export function hasLessonSource(lesson: LessonMeta): boolean {
  return key(lesson) in urls
}

/** The server answered, but not with the file (a build replaced by another, say). */
export class LessonFileMissing extends Error {
  constructor(url: string, status: number) {
    super(`${url}: the server answered ${status}`)
    this.name = 'LessonFileMissing'
  }
}

/** The file's text, or null when the lesson has no file yet. */
export async function loadLessonSource(lesson: LessonMeta): Promise<string | null> {
  const url = urls[key(lesson)]
  if (url === undefined) return null
  const res = await fetch(url)
  if (!res.ok) throw new LessonFileMissing(url, res.status)
  return res.text()
}

/** The name diagnostics give the file, as the command line names it. */
export function lessonFileName(lesson: LessonMeta): string {
  return `lessons/${lesson.file}`
}
