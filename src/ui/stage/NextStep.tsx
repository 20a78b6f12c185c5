import { useTranslation } from 'react-i18next'
import { stepBy } from '../../app/fold.ts'
import { selectLang, selectShown, selectStep, useAppStore } from '../../app/store.ts'

/** For the teacher: the step that comes next, in words, so the next sentence is ready. */
export function NextStep() {
  const { t } = useTranslation()
  const shown = useAppStore(selectShown)
  const step = useAppStore(selectStep)
  const lang = useAppStore(selectLang)
  const steps = useAppStore((s) => s.trace?.steps ?? null)
  if (!steps) return null
  const next = stepBy(shown, step, 1)
  const s = next === step ? null : steps[next]
  return (
    <section className="panel next-step" aria-labelledby="next-step-heading">
      <h2 id="next-step-heading" className="panel-title">
        {t('stage.next')}
      </h2>
      {s ? (
        <>
          <p className="narration-head">
            <span className="phase">{t(`phase.${s.phase}`)}</span>
            <strong className="action">{t(`action.${s.action}`)}</strong>
          </p>
          <p className="next-step-text">{s.explain[lang]}</p>
        </>
      ) : (
        <p className="panel-empty">{t('stage.nextNone')}</p>
      )}
    </section>
  )
}
