import { useTranslation } from 'react-i18next'
import type { LessonScore } from '../../app/score-store.ts'
import { useScores } from './PredictButton.tsx'

/**
 * A lesson's predict progress on the map and in the list: a small bar of the questions answered
 * right at the first try, out of all its quiz asks, with the numbers in words for a reader.
 */
export function ScoreMeter({ score }: { score: LessonScore | undefined }) {
  const { t } = useTranslation()
  if (!score || score.total === 0) return null
  const right = score.right.length
  const asked = right + score.wrong.length
  if (asked === 0) return null
  const label = t('predict.mapScore', { right, total: score.total, asked })
  return (
    <span className="score-meter" title={label}>
      <meter min={0} max={score.total} value={right} aria-label={label} />
      <span aria-hidden="true">
        {right}/{score.total}
      </span>
    </span>
  )
}

/** The score of a lesson as it opens (src/app/predict.ts: scoreKeyOf), read by the meter itself. */
export function LessonScoreMeter({ lesson }: { lesson: string }) {
  const score = useScores()[lesson]
  return <ScoreMeter score={score} />
}
