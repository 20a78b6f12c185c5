import { useTranslation } from 'react-i18next'
import { selectFile, useAppStore } from '../../app/store.ts'
import { FileUpIcon } from '../icons.tsx'

/** The title of a scenario the learner opened, in the page's bar: its file name. */
export function ImportedHeader() {
  const { t } = useTranslation()
  const file = useAppStore(selectFile)
  return (
    <div className="lesson-header imported-header">
      <div className="lesson-title">
        <h1 title={file ?? undefined}>{file}</h1>
        <p className="eyebrow">
          <FileUpIcon size={16} />
          {t('import.eyebrow')}
        </p>
      </div>
    </div>
  )
}

/**
 * Beside the caption: where the scenario runs, and the truth about the address (src/app/url.ts
 * keeps the file out of it, so a copied link opens PodPath without it).
 */
export function ImportedAbout() {
  const { t } = useTranslation()
  return (
    <div className="imported-about">
      <p className="lead">{t('import.lead')}</p>
      <p className="import-link-note">{t('import.linkNote')}</p>
    </div>
  )
}
