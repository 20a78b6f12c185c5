import { useTranslation } from 'react-i18next'
import { shownIndexOf } from '../../app/fold.ts'
import { selectShown, selectStep, useAppStore } from '../../app/store.ts'

/** "6 / 28": where the class is in the lesson, as the steps are displayed (a fold counts once). */
export function StepCounter() {
  const { t } = useTranslation()
  const shown = useAppStore(selectShown)
  const step = useAppStore(selectStep)
  if (shown.length === 0) return null
  return (
    <p className="step-counter" data-testid="step-counter">
      {t('stage.counter', { pos: shownIndexOf(shown, step) + 1, count: shown.length })}
    </p>
  )
}
