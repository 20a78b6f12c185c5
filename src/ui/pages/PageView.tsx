import { lazy, Suspense } from 'react'
import type { AppPage } from '../../app/store.ts'
// Here, where the glossary page brought it in before it was loaded apart: the header's page
// links need it on the first screen, in its place among the page's sheets.
import './pages.css'

// The modes page carries its own engine for the capstone, the handout its drawings, the glossary
// every term's explanation: each is loaded when first opened.
const GlossaryPage = lazy(() =>
  import('../glossary/GlossaryPage.tsx').then((m) => ({ default: m.GlossaryPage })),
)
const ModesPage = lazy(() => import('../modes/ModesPage.tsx'))
const HandoutPage = lazy(() => import('../handout/HandoutPage.tsx'))

/** The page the address names, in place of the lesson. */
export function PageView({ page }: { page: AppPage }) {
  return (
    <Suspense fallback={null}>
      {page === 'glossary' && <GlossaryPage />}
      {page === 'modes' && <ModesPage />}
      {page === 'handout' && <HandoutPage />}
    </Suspense>
  )
}
