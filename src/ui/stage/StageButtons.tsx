import { useTranslation } from 'react-i18next'
import { selectTrace, useAppStore } from '../../app/store.ts'
import { KeyboardIcon, PresentIcon } from '../icons.tsx'
import { PredictButton } from '../predict/PredictButton.tsx'
import { enterFullscreen } from './fullscreen.ts'

/** The bar's buttons for the stage: predict mode and its score, presenter mode, the keys. */
export function StageButtons() {
  const { t } = useTranslation()
  const ready = useAppStore((s) => selectTrace(s) !== null)
  return (
    <>
      <PredictButton />
      <button
        type="button"
        className="bar-button present-button"
        disabled={!ready}
        title={t('stage.presentLong')}
        onClick={() => {
          useAppStore.getState().setView('present')
          // The click is the gesture full screen needs; without it the stage fills the window.
          enterFullscreen()
        }}
      >
        <PresentIcon />
        <span>{t('stage.present')}</span>
      </button>
      <button
        type="button"
        className="bar-button keys-button"
        aria-label={t('stage.keysLong')}
        title={t('stage.keysLong')}
        aria-haspopup="dialog"
        onClick={() => useAppStore.getState().setHelp(true)}
      >
        <KeyboardIcon />
        <kbd aria-hidden="true">?</kbd>
      </button>
    </>
  )
}
