import { lazy, Suspense } from 'react'
import type { AppPage } from '../../app/store.ts'
import { GlossaryPage } from '../glossary/GlossaryPage.tsx'

// The modes page carries its own engine for the capstone, the handout its drawings: each is
// loaded when first opened.
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
