import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { FileUpIcon } from '../icons.tsx'
import { ImportForm } from './ImportForm.tsx'

/** The header's "Open a scenario": a modal dialog (native, so Escape and focus work) with the form. */
export function ImportButton() {
  const { t } = useTranslation()
  const dialog = useRef<HTMLDialogElement>(null)
  const close = () => dialog.current?.close()
  return (
    <>
      <button
        type="button"
        className="import-button"
        aria-haspopup="dialog"
        title={t('import.open')}
        onClick={() => dialog.current?.showModal()}
      >
        <FileUpIcon />
        {/* In a lesson's bar on a smaller screen only the icon shows (stage.css). */}
        <span>{t('import.open')}</span>
      </button>
      <dialog
        ref={dialog}
        className="import-dialog"
        aria-labelledby="import-dialog-title"
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        onClick={(e) => {
          if (e.target === e.currentTarget) close()
        }}
      >
        <div className="import-dialog-head">
          <h2 id="import-dialog-title">{t('import.title')}</h2>
          <button type="button" className="import-close" onClick={close}>
            {t('import.close')}
          </button>
        </div>
        <p className="import-intro">{t('import.intro')}</p>
        <ImportForm onOpen={close} />
      </dialog>
    </>
  )
}
