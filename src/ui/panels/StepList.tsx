import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { selectStepCount, selectTrace, useAppStore } from '../../app/store.ts'
import { StepItem } from './StepItem.tsx'

/** Where each key moves the selection, given the current step and the number of steps. */
function target(key: string, step: number, count: number): number | null {
  switch (key) {
    case 'ArrowDown':
      return step + 1
    case 'ArrowUp':
      return step - 1
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}

/** The trace as an ordered list of steps; one is selected, and the arrow keys move it. */
export function StepList() {
  const { t } = useTranslation()
  const trace = useAppStore(selectTrace)
  const count = useAppStore(selectStepCount)

  const move = useCallback(
    (e: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean }): boolean => {
      if (e.altKey || e.ctrlKey || e.metaKey) return false
      const { step, setStep } = useAppStore.getState()
      const next = target(e.key, step, count)
      if (next === null) return false
      setStep(next)
      return true
    },
    [count],
  )

  // With nothing focused (a presenter at a projector), the keys step through the trace too.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target === document.body && move(e)) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [move])

  if (!trace) return null
  return (
    <section className="steps" aria-labelledby="steps-heading">
      <div className="steps-bar">
        <h2 id="steps-heading">{t('steps.heading')}</h2>
        <span className="steps-count" data-testid="step-count" data-count={count}>
          {t('steps.count', { count })}
        </span>
        <span className="steps-hint">
          {t('steps.hint')} <kbd>↑</kbd> <kbd>↓</kbd> <kbd>Home</kbd> <kbd>End</kbd>
        </span>
      </div>
      {count === 0 ? (
        <p className="notice">{t('steps.none')}</p>
      ) : (
        <ol
          className="step-list"
          onKeyDown={(e) => {
            if (move(e)) e.preventDefault()
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
