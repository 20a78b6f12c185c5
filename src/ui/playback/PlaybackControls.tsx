import { useTranslation } from 'react-i18next'
import {
  selectPlaying,
  selectSpeed,
  selectStep,
  selectStepCount,
  SPEEDS,
  useAppStore,
  type Speed,
} from '../../app/store.ts'
import {
  FirstIcon,
  LastIcon,
  PauseIcon,
  PlayIcon,
  StepBackIcon,
  StepForwardIcon,
} from '../icons.tsx'
import { usePlayer } from './usePlayer.ts'

/** Play, pause, step and speed: the packet's remote control. */
export function PlaybackControls() {
  const { t } = useTranslation()
  const playing = useAppStore(selectPlaying)
  const speed = useAppStore(selectSpeed)
  const step = useAppStore(selectStep)
  const count = useAppStore(selectStepCount)
  const index = useAppStore((s) => s.trace?.steps[s.step]?.index ?? 0)
  usePlayer()
  if (count === 0) return null

  const go = (to: number) => {
    const s = useAppStore.getState()
    s.setPlaying(false)
    s.setStep(to)
  }
  const last = count - 1
  return (
    <div className="playback" role="toolbar" aria-label={t('playback.label')}>
      <button
        type="button"
        onClick={() => go(0)}
        disabled={step === 0}
        aria-label={t('playback.first')}
        title={t('playback.first')}
      >
        <FirstIcon />
      </button>
      <button
        type="button"
        onClick={() => go(step - 1)}
        disabled={step === 0}
        aria-label={t('playback.back')}
        title={t('playback.back')}
      >
        <StepBackIcon />
      </button>
      <button
        type="button"
        className="play"
        onClick={() => useAppStore.getState().togglePlay()}
        disabled={count < 2}
        data-playing={playing}
        data-testid="play"
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
        <span>{playing ? t('playback.pause') : t('playback.play')}</span>
      </button>
      <button
        type="button"
        onClick={() => go(step + 1)}
        disabled={step >= last}
        aria-label={t('playback.forward')}
        title={t('playback.forward')}
      >
        <StepForwardIcon />
      </button>
      <button
        type="button"
        onClick={() => go(last)}
        disabled={step >= last}
        aria-label={t('playback.last')}
        title={t('playback.last')}
      >
        <LastIcon />
      </button>
      <span className="playback-position" data-testid="playback-position">
        {t('playback.position', { n: index, pos: step + 1, count })}
      </span>
      <label className="playback-speed">
        {t('playback.speed')}
        <select
          value={speed}
          onChange={(e) => useAppStore.getState().setSpeed(Number(e.target.value) as Speed)}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
    </div>
  )
}
