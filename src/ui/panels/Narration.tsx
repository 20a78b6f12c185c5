import { useTranslation } from 'react-i18next'
import { selectLang, selectStepCount, useAppStore } from '../../app/store.ts'
import { GlossaryText } from '../glossary/GlossaryText.tsx'
import { Where } from './Where.tsx'

/** The current step told in words: where the packet is, what happens and why. */
export function Narration() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const count = useAppStore(selectStepCount)
  const pos = useAppStore((s) => s.step)
  const step = useAppStore((s) => s.trace?.steps[s.step] ?? null)
  return (
    <section
      className={`panel narration${step ? ` phase-${step.phase} action-${step.action}` : ''}`}
      aria-labelledby="narration-heading"
      data-testid="narration"
    >
      <h2 id="narration-heading" className="panel-title">
        {t('narration.heading')}
      </h2>
      {!step ? (
        <p className="panel-empty">{t('steps.none')}</p>
      ) : (
        // Read out as the packet moves, from the graph's controls or the keys.
        <div className="narration-body" aria-live="polite">
          <p className="narration-head">
            <span className="narration-step">
              {t('narration.step', { index: step.index, pos: pos + 1, count })}
            </span>
            <span className="phase">{t(`phase.${step.phase}`)}</span>
            <strong className="action">{t(`action.${step.action}`)}</strong>
          </p>
          <Where at={step.at} />
          <p className="narration-text">
            <GlossaryText text={step.explain[lang]} lang={lang} />
          </p>
        </div>
      )}
    </section>
  )
}
