import { useTranslation } from 'react-i18next'
import { selectLang, useAppStore } from '../../app/store.ts'
import { MODES, type LessonMeta } from '../../lessons/catalog.ts'
import { LessonSwitches } from './LessonSwitches.tsx'

/**
 * The lesson in the page's bar: its title (cut short with an ellipsis where the bar is narrow,
 * whole on hover and to a screen reader), its mode and section, and its switches. Nothing is
 * measured: the stylesheet cuts the title.
 */
export function LessonHeader({ lesson }: { lesson: LessonMeta }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const mode = MODES.find((m) => m.mode === lesson.mode)
  const title = lesson.title[lang]
  return (
    <div className="lesson-header">
      <div className="lesson-title">
        <h1 title={title}>{title}</h1>
        <p className="eyebrow">
          {t('tree.mode', { mode: lesson.mode })}
          {mode && ` · ${mode.title[lang]}`} · {t('lesson.section', { section: lesson.section })}
        </p>
      </div>
      <LessonSwitches lesson={lesson} />
    </div>
  )
}

/** What the lesson is about: one line beside the caption that opens to the whole summary. */
export function LessonAbout({ lesson }: { lesson: LessonMeta }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  return (
    <details className="lesson-about">
      <summary>{t('stage.about')}</summary>
      <p className="lead">{lesson.summary[lang]}</p>
    </details>
  )
}
