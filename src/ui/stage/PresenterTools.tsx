import { useTranslation } from 'react-i18next'
import { selectPredict, useAppStore } from '../../app/store.ts'
import { CloseIcon, PredictIcon, WindowsIcon } from '../icons.tsx'
import { exitFullscreen } from './fullscreen.ts'
import { openSpeakerWindow } from './speaker-window.ts'

/** Presenter mode's buttons (the speaker window, predict mode, leave), in a corner, faint until the mouse or the keyboard comes. */
export function PresenterTools() {
  const { t } = useTranslation()
  const predict = useAppStore(selectPredict)
  return (
    <div className="presenter-tools" role="toolbar" aria-label={t('stage.present')}>
      <button type="button" title={t('stage.speakerLong')} onClick={openSpeakerWindow}>
        <WindowsIcon />
        <span>{t('stage.speaker')}</span>
        <kbd aria-hidden="true">S</kbd>
      </button>
      <button
        type="button"
        aria-pressed={predict}
        title={t('predict.presentHint')}
        onClick={() => useAppStore.getState().setPredict(!predict)}
      >
        <PredictIcon />
        <span>{t('predict.button')}</span>
      </button>
      <button
        type="button"
        onClick={() => {
          useAppStore.getState().setView('explore')
          exitFullscreen()
        }}
      >
        <CloseIcon />
        <span>{t('stage.leave')}</span>
        <kbd aria-hidden="true">Esc</kbd>
      </button>
      <span className="presenter-hint">{t('stage.presentHint')}</span>
    </div>
  )
}
