import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectFile,
  selectImported,
  selectLang,
  selectLessonId,
  selectView,
  useAppStore,
} from '../app/store.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { Header } from './Header.tsx'
import { LessonPane } from './lessons/LessonPane.tsx'
import { LessonTree } from './lessons/LessonTree.tsx'
import { KeyHelp } from './stage/KeyHelp.tsx'
import { useStageKeys } from './stage/useStageKeys.ts'
import { VIEWS } from './stage/views.ts'

/** As stage.css says a phone is. */
const PHONE = '(max-width: 46rem)'

export function App() {
  const lang = useAppStore(selectLang)
  const lessonId = useAppStore(selectLessonId)
  const imported = useAppStore(selectImported)
  const file = useAppStore(selectFile)
  const view = useAppStore(selectView)
  const { t, i18n } = useTranslation()
  // The lesson list is open on the first screen (not on a phone, where the map below lists the
  // lessons too) and folds away when a lesson opens, so the stage gets the width; once the
  // learner opens or closes it, it stays as they left it.
  const [treeChoice, setTreeChoice] = useState<boolean | null>(null)
  const [phone] = useState(() => window.matchMedia(PHONE).matches)
  const lessonOpen = !!lessonId || imported
  const treeOpen = treeChoice ?? (!lessonOpen && !phone)
  const chrome = VIEWS[view].chrome
  useStageKeys()

  useEffect(() => {
    void i18n.changeLanguage(lang)
    document.documentElement.lang = lang
  }, [i18n, lang])

  // The tab and the history name the lesson.
  useEffect(() => {
    const lesson = LESSONS.find((l) => l.id === lessonId)
    const name = lesson ? lesson.title[lang] : imported ? file : null
    document.title = name ? `${name} · PodPath` : 'PodPath'
  }, [lessonId, lang, imported, file])

  return (
    <div className={`app view-${view}${lessonOpen ? ' with-lesson' : ''}`}>
      {chrome && (
        <>
          <a className="skip-link" href="#lesson">
            {t('app.skip')}
          </a>
          <Header />
        </>
      )}
      <div className={treeOpen && chrome ? 'columns' : 'columns tree-closed'}>
        {chrome && <LessonTree open={treeOpen} onToggle={() => setTreeChoice(!treeOpen)} />}
        <main id="lesson" className="lesson" tabIndex={-1}>
          <LessonPane />
        </main>
      </div>
      <KeyHelp />
    </div>
  )
}
