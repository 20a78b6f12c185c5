import type { AppPage } from '../../app/store.ts'
import { GlossaryPage } from '../glossary/GlossaryPage.tsx'

/** The page the address names, in place of the lesson. */
export function PageView({ page }: { page: AppPage }) {
  return <>{page === 'glossary' && <GlossaryPage />}</>
}
