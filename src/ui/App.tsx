import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectFile,
  selectImported,
  selectLang,
  selectLessonId,
  selectPage,
  useAppStore,
} from '../app/store.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { AddressNotice } from './AddressNotice.tsx'
import { Header } from './Header.tsx'
import { LessonPane } from './lessons/LessonPane.tsx'
import { LessonTree } from './lessons/LessonTree.tsx'
import { StatusBar } from './status/StatusBar.tsx'
import { PageView } from './pages/PageView.tsx'

export function App() {
  const lang = useAppStore(selectLang)
  const lessonId = useAppStore(selectLessonId)
  const imported = useAppStore(selectImported)
  const file = useAppStore(selectFile)
  const page = useAppStore(selectPage)
  const { t, i18n } = useTranslation()
  const [treeOpen, setTreeOpen] = useState(true)

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
    <div className="app">
      <a className="skip-link" href="#lesson">
        {t('app.skip')}
      </a>
      <Header />
      {page ? (
        // A page beside the lessons takes the whole width; the lesson stays open behind it.
        <main id="lesson" className="page-main" tabIndex={-1}>
          <AddressNotice />
          <PageView page={page} />
        </main>
      ) : (
        <div className={treeOpen ? 'columns' : 'columns tree-closed'}>
          <LessonTree open={treeOpen} onToggle={() => setTreeOpen((o) => !o)} />
          <main id="lesson" className="lesson" tabIndex={-1}>
            <AddressNotice />
            <LessonPane />
          </main>
        </div>
      )}
      <StatusBar />
    </div>
  )
}
