/**
 * Handout goldens: one lesson per mode, in both languages, as `podpath handout` prints it
 * (seed 1, the lesson's first request). `npm run golden` rewrites them with the trace goldens;
 * `handout.test.ts` compares them.
 */
import { join } from 'node:path'
import { LESSONS, type LessonMeta } from '../lessons/catalog.ts'
import { LANGS, type Lang } from '../model/text.ts'
import { computeGolden, LESSONS_DIR } from './golden.ts'
import { handoutMarkdown } from './handout.ts'

export const HANDOUT_LESSONS = [
  'mode1-localhost',
  'mode2-flannel-vxlan',
  'mode3-clusterip-iptables',
  'mode4-capstone',
] as const

export interface HandoutGolden {
  lesson: LessonMeta
  lang: Lang
  path: string
}

export function handoutGoldens(): HandoutGolden[] {
  return HANDOUT_LESSONS.flatMap((id) => {
    const lesson = LESSONS.find((l) => l.id === id)!
    return LANGS.map((lang) => ({
      lesson,
      lang,
      path: join(LESSONS_DIR, 'handouts', `${id}.${lang}.md`),
    }))
  })
}

export function computeHandout(lesson: LessonMeta, lang: Lang): string {
  const trace = computeGolden(lesson).traces[0]!
  return handoutMarkdown(trace, { title: lesson.title[lang], summary: lesson.summary[lang] }, lang)
}
