import { useTranslation } from 'react-i18next'
import { ImportForm } from './ImportForm.tsx'

/** The landing page's invitation to open one's own scenario, with the form in place. */
export function ImportSection() {
  const { t } = useTranslation()
  return (
    <section className="import-section" aria-labelledby="import-section-heading">
      <h2 id="import-section-heading">{t('import.landingHeading')}</h2>
      <p>{t('import.landingIntro')}</p>
      <ImportForm />
    </section>
  )
}
