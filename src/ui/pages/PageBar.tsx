import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { openPage } from '../../app/page.ts'
import { useAppStore } from '../../app/store.ts'
import { ArrowRightIcon } from '../icons.tsx'
import './pages.css'

/** Above a page: the way back to the lesson left open behind it (or to the lessons), and extras. */
export function PageBar({ children }: { children?: ReactNode }) {
  const { t } = useTranslation()
  const lessonOpen = useAppStore((s) => s.lessonId !== null || s.imported)
  return (
    <nav className="page-bar" aria-label={t('pages.nav')}>
      <button type="button" className="page-back" onClick={() => openPage(null)}>
        <ArrowRightIcon />
        {lessonOpen ? t('pages.back') : t('pages.home')}
      </button>
      {children}
    </nav>
  )
}
