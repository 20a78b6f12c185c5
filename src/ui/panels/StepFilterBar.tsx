import { useTranslation } from 'react-i18next'
import type { Action, Phase, Step } from '../../model/trace.ts'
import { stepMark } from '../playback/timeline.ts'
import { TimelineMark } from '../playback/TimelineMark.tsx'
import { countBy, isFiltering, toggled, type StepFilter } from './step-filter.ts'

/**
 * Toggle buttons over the step list, one per phase and one per action the trace has, each with
 * how many steps it has (as a network simulator's event list filters its events).
 */
export function StepFilterBar({
  steps,
  filter,
  shown,
  onChange,
}: {
  steps: readonly Step[]
  filter: StepFilter
  shown: number
  onChange: (f: StepFilter) => void
}) {
  const { t } = useTranslation()
  const phases = countBy(steps, 'phase')
  const actions = countBy(steps, 'action')
  return (
    <div className="step-filter" role="group" aria-label={t('stepFilter.label')}>
      <div className="step-filter-row" role="group" aria-labelledby="step-filter-phase">
        <span className="step-filter-kind" id="step-filter-phase">
          {t('stepFilter.phase')}
        </span>
        {phases.map(({ value, count }) => (
          <button
            key={value}
            type="button"
            className={`chip phase-${value}`}
            aria-pressed={filter.phases.has(value)}
            data-testid={`filter-phase-${value}`}
            data-count={count}
            onClick={() => onChange({ ...filter, phases: toggled<Phase>(filter.phases, value) })}
          >
            {t(`phase.${value}`)}
            <span className="chip-count">{count}</span>
          </button>
        ))}
      </div>
      <div className="step-filter-row" role="group" aria-labelledby="step-filter-action">
        <span className="step-filter-kind" id="step-filter-action">
          {t('stepFilter.action')}
        </span>
        {actions.map(({ value, count }) => {
          const mark = stepMark(value)
          return (
            <button
              key={value}
              type="button"
              className={`chip action-${value}`}
              aria-pressed={filter.actions.has(value)}
              data-testid={`filter-action-${value}`}
              data-count={count}
              onClick={() =>
                onChange({ ...filter, actions: toggled<Action>(filter.actions, value) })
              }
            >
              {mark && <TimelineMark mark={mark} />}
              {t(`action.${value}`)}
              <span className="chip-count">{count}</span>
            </button>
          )
        })}
      </div>
      {isFiltering(filter) && (
        <p className="step-filter-status" data-testid="filter-status" data-shown={shown}>
          <span aria-live="polite">{t('stepFilter.showing', { shown, count: steps.length })}</span>
          <button
            type="button"
            className="chip chip-clear"
            onClick={() => onChange({ phases: new Set(), actions: new Set() })}
          >
            {t('stepFilter.clear')}
          </button>
        </p>
      )}
    </div>
  )
}
