import { useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { resetScore, scoreKeyOf, selectAsked } from '../../app/predict.ts'
import { scores } from '../../app/score-store.ts'
import { selectPredict, selectTrace, useAppStore } from '../../app/store.ts'
import { PredictIcon, ResetIcon } from '../icons.tsx'

/** The scores in localStorage, read as React state (each change is a new snapshot). */
export function useScores() {
  return useSyncExternalStore(scores.subscribe, scores.all)
}

/**
 * The open quiz's score, right of asked, with the reset: in the bar while predicting, and on a
 * phone (where the bar has no room) at the head of the question instead; stylesheets pick one.
 */
export function PredictScore({ where = 'bar' }: { where?: 'bar' | 'panel' }) {
  const { t } = useTranslation()
  const key = useAppStore(scoreKeyOf)
  const total = useAppStore((s) => selectAsked(s).length)
  const all = useScores()
  const score = key ? all[key] : undefined
  const right = score?.right.length ?? 0
  const asked = right + (score?.wrong.length ?? 0)
  return (
    <span className={`predict-score-group in-${where}`}>
      <span
        className="predict-score"
        data-testid={where === 'bar' ? 'predict-score' : 'predict-score-panel'}
      >
        <span aria-hidden="true">
          <span className="predict-score-word">{t('predict.scoreWord')} </span>
          {right}/{asked}
        </span>
        <span className="visually-hidden">{t('predict.scoreLong', { right, asked, total })}</span>
      </span>
      <button
        type="button"
        className="bar-button predict-reset"
        disabled={asked === 0}
        title={t('predict.resetLong')}
        aria-label={t('predict.reset')}
        onClick={resetScore}
      >
        <ResetIcon />
      </button>
    </span>
  )
}

/** Predict mode's switch: pressed while predicting; the score beside it. */
export function PredictButton() {
  const { t } = useTranslation()
  const ready = useAppStore((s) => selectTrace(s) !== null)
  const on = useAppStore(selectPredict)
  return (
    <>
      <button
        type="button"
        className={on ? 'bar-button predict-button on' : 'bar-button predict-button'}
        disabled={!ready}
        aria-pressed={on}
        // Named by its word even where only the icon shows (the title is the longer hint).
        aria-label={t('predict.button')}
        title={t('predict.buttonLong')}
        onClick={() => useAppStore.getState().setPredict(!on)}
      >
        <PredictIcon />
        <span>{t('predict.button')}</span>
      </button>
      {on && ready && <PredictScore />}
    </>
  )
}
