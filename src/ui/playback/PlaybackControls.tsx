import { useTranslation } from 'react-i18next'
import { positionOf, shownIndexOf } from '../../app/fold.ts'
import {
  selectPlaying,
  selectShown,
  selectSpeed,
  selectStep,
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
import { stepOn, stepTo } from '../../app/stepping.ts'
import { usePlayer } from './usePlayer.ts'

/**
 * Play, pause, step and speed: the packet's remote control. It steps as the steps are displayed:
 * a closed fold (src/app/fold.ts) is one step.
 */
export function PlaybackControls() {
  const { t } = useTranslation()
  const playing = useAppStore(selectPlaying)
  const speed = useAppStore(selectSpeed)
  const step = useAppStore(selectStep)
  const shown = useAppStore(selectShown)
  const index = useAppStore((s) => s.trace?.steps[s.step]?.index ?? 0)
  usePlayer()
  const count = shown.length
  if (count === 0) return null

  const go = stepTo
  const at = shownIndexOf(shown, step)
  const first = positionOf(shown[0]!)
  const last = positionOf(shown[count - 1]!)
  return (
    <div className="playback" role="toolbar" aria-label={t('playback.label')}>
      <button
        type="button"
        className="to-first"
        onClick={() => go(first)}
        disabled={at === 0}
        aria-label={t('playback.first')}
        title={t('playback.first')}
      >
        <FirstIcon />
      </button>
      <button
        type="button"
        onClick={() => stepOn(-1)}
        disabled={at === 0}
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
        onClick={() => stepOn(1)}
        disabled={at >= count - 1}
        aria-label={t('playback.forward')}
        title={t('playback.forward')}
      >
        <StepForwardIcon />
      </button>
      <button
        type="button"
        className="to-last"
        onClick={() => go(last)}
        disabled={at >= count - 1}
        aria-label={t('playback.last')}
        title={t('playback.last')}
      >
        <LastIcon />
      </button>
      <span className="playback-position" data-testid="playback-position">
        {t('playback.position', { n: index, pos: at + 1, count })}
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
