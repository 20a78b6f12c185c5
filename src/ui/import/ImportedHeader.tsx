import { useTranslation } from 'react-i18next'
import { selectFile, useAppStore } from '../../app/store.ts'
import { FileUpIcon } from '../icons.tsx'

/**
 * The title of a scenario the learner opened: its file name, and the truth about the address
 * (src/app/url.ts keeps the file out of it, so a copied link opens PodPath without it).
 */
export function ImportedHeader() {
  const { t } = useTranslation()
  const file = useAppStore(selectFile)
  return (
    <header className="lesson-header imported-header">
      <p className="eyebrow">
        <FileUpIcon size={16} />
        {t('import.eyebrow')}
      </p>
      <h1>{file}</h1>
      <p className="lead">{t('import.lead')}</p>
      <p className="import-link-note">{t('import.linkNote')}</p>
    </header>
  )
}
