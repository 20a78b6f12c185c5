import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { selectHelp, useAppStore } from '../../app/store.ts'
import { KEY_LIST, PREDICT_KEY_LIST } from './keymap.ts'

/** The list of the stage's keys, opened with `?` or the bar's keyboard button. */
export function KeyHelp() {
  const { t } = useTranslation()
  const open = useAppStore(selectHelp)
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = dialog.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={dialog}
      className="key-help"
      aria-labelledby="key-help-title"
      // Esc closes a native dialog itself; the store hears of it here.
      onClose={() => useAppStore.getState().setHelp(false)}
      onClick={(e) => {
        if (e.target === e.currentTarget) useAppStore.getState().setHelp(false)
      }}
    >
      <div className="key-help-head">
        <h2 id="key-help-title">{t('help.title')}</h2>
        <button type="button" onClick={() => useAppStore.getState().setHelp(false)}>
          {t('help.close')}
        </button>
      </div>
      <dl className="key-list">
        {KEY_LIST.map(({ keys, command }) => (
          <div key={command} className="key-row">
            <dt>
              {keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(`help.commands.${command}`)}</dd>
          </div>
        ))}
      </dl>
      <h3 className="key-help-sub">{t('predict.button')}</h3>
      <dl className="key-list">
        {PREDICT_KEY_LIST.map(({ keys, help }) => (
          <div key={help} className="key-row">
            <dt>
              {keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(`predict.${help}`)}</dd>
          </div>
        ))}
      </dl>
      <p className="key-help-note">{t('help.typing')}</p>
    </dialog>
  )
}
