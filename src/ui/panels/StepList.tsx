import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { selectStepCount, selectTrace, useAppStore } from '../../app/store.ts'
import { handleStepKey } from '../step-keys.ts'
import { StepItem } from './StepItem.tsx'

/** The trace as an ordered list of steps; one is selected, and the arrow keys move it. */
export function StepList() {
  const { t } = useTranslation()
  const trace = useAppStore(selectTrace)
  const count = useAppStore(selectStepCount)

  // With nothing focused (a presenter at a projector), the keys step through the trace too.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target === document.body && handleStepKey(e)) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  if (!trace) return null
  return (
    <section className="steps" aria-labelledby="steps-heading">
      <div className="steps-bar">
        <h2 id="steps-heading">{t('steps.heading')}</h2>
        <span className="steps-count" data-testid="step-count" data-count={count}>
          {t('steps.count', { count })}
        </span>
        <span className="steps-hint">
          {t('steps.hint')} <kbd>↑</kbd> <kbd>↓</kbd> <kbd>←</kbd> <kbd>→</kbd> <kbd>Home</kbd>{' '}
          <kbd>End</kbd> · <kbd>{t('steps.playKey')}</kbd> {t('steps.playHint')}
        </span>
      </div>
      {count === 0 ? (
        <p className="notice">{t('steps.none')}</p>
      ) : (
        <ol
          className="step-list"
          onKeyDown={(e) => {
            if (handleStepKey(e)) e.preventDefault()
          }}
        >
          {trace.steps.map((s, i) => (
            <StepItem key={i} step={s} position={i} />
          ))}
        </ol>
      )}
    </section>
  )
}
