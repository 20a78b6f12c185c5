import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectLessonId,
  selectPredict,
  selectStep,
  selectStepCount,
  selectTrace,
  useAppStore,
} from '../../app/store.ts'
import type { Action, Phase } from '../../model/trace.ts'
import { StepFilterBar } from './StepFilterBar.tsx'
import { StepItem } from './StepItem.tsx'
import { isFiltering, NO_FILTER, visiblePositions, visibleTarget } from './step-filter.ts'
import './step-list.css'

/**
 * The trace as an ordered list of every step (a step inside a folded phase too: selecting it
 * opens the fold); one is selected, and the arrow keys move it from row to row. A filter by phase
 * and action narrows the list; the keys then move among the steps it shows. Other keys (Space,
 * Page Down) are the stage's (src/ui/stage/keymap.ts).
 */
export function StepList() {
  const { t } = useTranslation()
  const trace = useAppStore(selectTrace)
  const count = useAppStore(selectStepCount)
  const step = useAppStore(selectStep)
  const lessonId = useAppStore(selectLessonId)

  // A new lesson opens with every step shown (state reset while rendering, as React advises).
  const [chosen, setChosen] = useState(NO_FILTER)
  const [filterLesson, setFilterLesson] = useState(lessonId)
  if (filterLesson !== lessonId) {
    setFilterLesson(lessonId)
    setChosen(NO_FILTER)
  }

  // Predict mode: the furthest step reached on this trace; the rows after it tell nothing yet
  // (their action, place and narration would answer the questions before them).
  const predicting = useAppStore(selectPredict)
  const [reached, setReached] = useState({ trace, step })
  if (reached.trace !== trace) setReached({ trace, step })
  else if (step > reached.step) setReached({ trace, step })
  const furthest = reached.trace === trace ? Math.max(reached.step, step) : step

  const steps = useMemo(() => trace?.steps ?? [], [trace])
  // Another request of the same lesson may lack a chosen value: it then filters nothing.
  const filter = useMemo(() => {
    const phases = new Set<Phase>(steps.map((s) => s.phase))
    const actions = new Set<Action>(steps.map((s) => s.action))
    return {
      phases: new Set([...chosen.phases].filter((p) => phases.has(p))),
      actions: new Set([...chosen.actions].filter((a) => actions.has(a))),
    }
  }, [chosen, steps])
  // The filter's counts by action would tell a predicting learner what is to come: no filter.
  const filtering = !predicting && isFiltering(filter)
  const visible = useMemo(
    () => visiblePositions(steps, predicting ? NO_FILTER : filter),
    [steps, filter, predicting],
  )
  const selectedHidden = filtering && steps.length > 0 && !visible.includes(step)

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
        <>
          {!predicting && (
            <StepFilterBar
              steps={steps}
              filter={filter}
              shown={visible.length}
              onChange={setChosen}
            />
          )}
          {selectedHidden && (
            <p className="notice step-hidden" data-testid="step-hidden">
              {t('stepFilter.hidden', { n: steps[step]?.index ?? step })}{' '}
              <button type="button" className="chip" onClick={() => setChosen(NO_FILTER)}>
                {t('stepFilter.showIt')}
              </button>
            </p>
          )}
          {visible.length === 0 ? (
            <p className="notice">{t('stepFilter.none')}</p>
          ) : (
            <ol
              className="step-list"
              onKeyDown={(e) => {
                if (e.altKey || e.ctrlKey || e.metaKey) return
                const to = visibleTarget(e.key, step, visible)
                if (to === null) return
                e.preventDefault()
                const s = useAppStore.getState()
                s.setPlaying(false)
                s.setStep(to)
              }}
            >
              {visible.map((i) => (
                <StepItem
                  key={i}
                  step={steps[i]!}
                  position={i}
                  tabbable={selectedHidden && i === visible[0]}
                  unreached={predicting && i > furthest}
                />
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  )
}
