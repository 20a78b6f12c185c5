import { useTranslation } from 'react-i18next'
import { openPage } from '../../app/page.ts'
import { selectLang, selectPage, useAppStore, type AppPage } from '../../app/store.ts'

/**
 * The header's way to the pages beside the lessons: the glossary and the four modes always,
 * the open lesson's handout when one is open. Real links (they open in a new tab too).
 */
export function PageLinks() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const page = useAppStore(selectPage)
  const lessonId = useAppStore((s) => s.lessonId)
  const lessonOpen = useAppStore((s) => s.lessonId !== null || s.imported)
  const link = (p: AppPage) => {
    const q = new URLSearchParams()
    if (p === 'handout' && lessonId) q.set('lesson', lessonId)
    q.set('page', p)
    q.set('lang', lang)
    return (
      <a
        key={p}
        href={`?${q.toString()}`}
        aria-current={page === p ? 'page' : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
          e.preventDefault()
          openPage(p)
        }}
      >
        {t(`pages.${p}`)}
      </a>
    )
  }
  return (
    <nav className="page-links" aria-label={t('pages.nav')}>
      {link('glossary')}
      {link('modes')}
      {lessonOpen && link('handout')}
    </nav>
  )
}
