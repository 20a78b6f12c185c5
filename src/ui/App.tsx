import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectFile,
  selectImported,
  selectLang,
  selectLessonId,
  selectPage,
  selectView,
  useAppStore,
} from '../app/store.ts'
import { hasStrings, loadStrings } from '../i18n/i18n.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { AddressNotice } from './AddressNotice.tsx'
import { Header } from './Header.tsx'
import { LessonPane } from './lessons/LessonPane.tsx'
import { LessonTree } from './lessons/LessonTree.tsx'
import { KeyHelp } from './stage/KeyHelp.tsx'
import { useStageKeys } from './stage/useStageKeys.ts'
import { VIEWS } from './stage/views.ts'

/** As stage.css says a phone is. */
const PHONE = '(max-width: 46rem)'
import { StatusBar } from './status/StatusBar.tsx'
import { PageView } from './pages/PageView.tsx'

export function App() {
  const lang = useAppStore(selectLang)
  const lessonId = useAppStore(selectLessonId)
  const imported = useAppStore(selectImported)
  const file = useAppStore(selectFile)
  const view = useAppStore(selectView)
  const page = useAppStore(selectPage)
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
    document.documentElement.lang = lang
    // The other language's strings are a chunk of their own, fetched once the first lesson is on
    // screen (src/main.tsx); a switch before they have arrived waits for them.
    if (hasStrings(lang)) {
      void i18n.changeLanguage(lang)
      return
    }
    let wanted = true
    loadStrings(lang).then(
      () => wanted && void i18n.changeLanguage(lang),
      () => {},
    )
    return () => {
      wanted = false
    }
  }, [i18n, lang])

  // The tab and the history name the lesson.
  useEffect(() => {
    const lesson = LESSONS.find((l) => l.id === lessonId)
    const name = lesson ? lesson.title[lang] : imported ? file : null
    document.title = name ? `${name} · PodPath` : 'PodPath'
  }, [lessonId, lang, imported, file])

  return (
    <div className={`app view-${view}${lessonOpen && !page ? ' with-lesson' : ''}`}>
      {chrome && (
        <>
          <a className="skip-link" href="#lesson">
            {t('app.skip')}
          </a>
          <Header />
        </>
      )}
      {page ? (
        // A page beside the lessons takes the whole width; the lesson stays open behind it.
        <main id="lesson" className="page-main" tabIndex={-1}>
          <AddressNotice />
          <PageView page={page} />
        </main>
      ) : (
        <div className={treeOpen && chrome ? 'columns' : 'columns tree-closed'}>
          {chrome && <LessonTree open={treeOpen} onToggle={() => setTreeChoice(!treeOpen)} />}
          <main id="lesson" className="lesson" tabIndex={-1}>
            {chrome && <AddressNotice />}
            <LessonPane />
          </main>
        </div>
      )}
      <KeyHelp />
      {/* A course page's frame says it too, compactly; presenter mode's screen is the class's. */}
      {chrome ? <StatusBar /> : view === 'embed' && <StatusBar compact />}
    </div>
  )
}
