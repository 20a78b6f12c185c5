import { useTranslation } from 'react-i18next'
import { selectFile, selectLang, selectLessonId, useAppStore } from '../../app/store.ts'
import { LESSONS } from '../../lessons/catalog.ts'

/** The lesson's name where the page's bar is not shown (the speaker window). */
export function StageTitle() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const id = useAppStore(selectLessonId)
  const file = useAppStore(selectFile)
  const title = LESSONS.find((l) => l.id === id)?.title[lang] ?? file
  return (
    <header className="speaker-head">
      <h1>{title}</h1>
      <p>
        {t('stage.speakerTitle')} · {t('stage.speakerFollows')}
      </p>
    </header>
  )
}
