import { memo, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { selectLang, useAppStore } from '../../app/store.ts'
import type { Location, Step } from '../../model/trace.ts'
import { firstSentence } from './step-filter.ts'
import { Lookups } from './Lookups.tsx'
import { Where } from './Where.tsx'

/** Where a step happens, in a few words for its row: the Pod or node, then the device or program. */
function shortWhere(at: Location): string {
  const place = at.pod ?? at.node
  const part = at.device ?? at.component ?? at.container
  return [place, part, at.hook].filter((p) => p !== null).join(' · ')
}

/** One step of the trace. It reads only whether it is the selected one. */
export const StepItem = memo(function StepItem({
  step,
  position,
  tabbable = false,
  unreached = false,
}: {
  step: Step
  position: number
  /** Reachable with Tab although not selected (the selected step is hidden by a filter). */
  tabbable?: boolean
  /**
   * Predict mode, a step after the furthest one reached: only its number shows, since its
   * action, place and narration would answer the question open before it.
   */
  unreached?: boolean
}) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const selected = useAppStore((s) => s.step === position)
  const button = useRef<HTMLButtonElement>(null)
  const firstRender = useRef(true)

  useEffect(() => {
    const initial = firstRender.current
    firstRender.current = false
    if (!selected || !button.current || initial) return
    // Keep the keyboard on the selected step and the step on screen while the learner walks
    // the list. Anywhere else (a link to a later step, the graph's controls, the keys with
    // nothing focused, playing) the page stays on the workspace, whose panels show the step.
    const inList = !!document.activeElement?.closest('.step-list')
    if (!inList) return
    button.current.focus({ preventScroll: true })
    button.current.scrollIntoView({ block: 'nearest' })
  }, [selected, position])

  if (unreached && !selected)
    return (
      <li className="step unreached" onClick={() => useAppStore.getState().setStep(position)}>
        <button
          ref={button}
          type="button"
          className="step-head"
          tabIndex={tabbable ? 0 : -1}
          aria-expanded={false}
        >
          <span className="step-line">
            <span className="step-index">{step.index}</span>
            <span className="step-summary">{t('steps.unreached')}</span>
          </span>
        </button>
      </li>
    )
  return (
    <li
      className={`step phase-${step.phase} action-${step.action}${selected ? ' selected' : ''}`}
      onClick={() => useAppStore.getState().setStep(position)}
    >
      <button
        ref={button}
        type="button"
        className="step-head"
        tabIndex={selected || tabbable ? 0 : -1}
        aria-current={selected ? 'step' : undefined}
        aria-expanded={selected}
      >
        <span className="step-line">
          <span className="step-index">{step.index}</span>
          <span className="phase">{t(`phase.${step.phase}`)}</span>
          <span className="action">{t(`action.${step.action}`)}</span>
          <code className="step-where">{shortWhere(step.at)}</code>
        </span>
        {!selected && <span className="step-summary">{firstSentence(step.explain[lang])}</span>}
      </button>
      {selected && (
        <div className="step-body">
          <Where at={step.at} />
          <p className="explain">{step.explain[lang]}</p>
          <Lookups lookups={step.lookups} />
        </div>
      )}
    </li>
  )
})
