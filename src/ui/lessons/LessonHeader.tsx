import { useTranslation } from 'react-i18next'
import { selectLang, useAppStore } from '../../app/store.ts'
import { MODES, type LessonMeta } from '../../lessons/catalog.ts'
import { LessonSwitches } from './LessonSwitches.tsx'

export function LessonHeader({ lesson }: { lesson: LessonMeta }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const mode = MODES.find((m) => m.mode === lesson.mode)
  return (
    <header className="lesson-header">
      <p className="eyebrow">
        {t('tree.mode', { mode: lesson.mode })}
        {mode && ` · ${mode.title[lang]}`} · {t('lesson.section', { section: lesson.section })}
      </p>
      <h1>{lesson.title[lang]}</h1>
      <p className="lead">{lesson.summary[lang]}</p>
      <LessonSwitches lesson={lesson} />
    </header>
  )
}
