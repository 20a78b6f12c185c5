import { useTranslation } from 'react-i18next'
import { foldAt, shownIndexOf, type Fold } from '../../app/fold.ts'
import { selectLang, selectShown, selectStep, useAppStore } from '../../app/store.ts'
import type { Step } from '../../model/trace.ts'
import { GlossaryText } from '../glossary/GlossaryText.tsx'
import { Where } from './Where.tsx'

/** The record a folded DNS lookup ends with, as dig prints it (the last answer in the fold). */
function lookupAnswer(steps: readonly Step[], fold: Fold): string | null {
  for (let i = fold.end; i >= fold.start; i--) {
    const app = steps[i]!.packet.app
    if (app?.protocol === 'dns' && app.kind === 'answer')
      return app.answers?.[0] ?? `${app.question} ${app.status ?? ''}`.trim()
  }
  return null
}

/** A closed fold in words: what it is, why it is folded, what it found, and the way in. */
function FoldSummary({ fold, steps }: { fold: Fold; steps: readonly Step[] }) {
  const { t } = useTranslation()
  const count = fold.end - fold.start + 1
  const answer = fold.topic === 'dns' ? lookupAnswer(steps, fold) : null
  return (
    <div className="narration-fold" data-testid="fold-summary">
      <p className="narration-fold-title">
        {t('fold.title', { topic: t(`fold.topic.${fold.topic}`) })}
      </p>
      <p className="narration-fold-why">{t('fold.why', { count })}</p>
      {answer && (
        <p className="narration-fold-answer">
          {t('fold.answer')} <code>{answer}</code>
        </p>
      )}
      <button
        type="button"
        className="fold-toggle"
        onClick={() => useAppStore.getState().setFoldOpen(fold.id, true)}
      >
        {t('fold.open', { count })}
      </button>
    </div>
  )
}

/** Where an opened fold's step stands in it, with the way to fold it again. */
function InsideFold({ fold, pos }: { fold: Fold; pos: number }) {
  const { t } = useTranslation()
  const topic = t(`fold.topicLower.${fold.topic}`)
  return (
    <p className="narration-inside">
      {t('fold.inside', { topic, pos: pos - fold.start + 1, count: fold.end - fold.start + 1 })}{' '}
      <button
        type="button"
        className="fold-toggle"
        onClick={() => useAppStore.getState().setFoldOpen(fold.id, false)}
      >
        {t('fold.close', { topic })}
      </button>
    </p>
  )
}

/**
 * The current step told in words: where the packet is, what happens and why. Numbered as the
 * steps are displayed (a closed fold counts once); a closed fold is told as a whole.
 */
export function Narration() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const shown = useAppStore(selectShown)
  const pos = useAppStore(selectStep)
  const steps = useAppStore((s) => s.trace?.steps ?? null)
  const folds = useAppStore((s) => s.folds)
  const step = steps?.[pos] ?? null
  const i = shownIndexOf(shown, pos)
  const item = shown[i]
  const fold = foldAt(folds, pos)
  return (
    <section
      className={`panel narration${step ? ` phase-${step.phase} action-${step.action}` : ''}`}
      aria-labelledby="narration-heading"
      data-testid="narration"
    >
      <h2 id="narration-heading" className="panel-title">
        {t('narration.heading')}
      </h2>
      {!step || !steps ? (
        <p className="panel-empty">{t('steps.none')}</p>
      ) : (
        // Read out as the packet moves, from the graph's controls or the keys.
        <div className="narration-body" aria-live="polite">
          <p className="narration-head">
            <span className="narration-step">
              {t('narration.step', { index: step.index, pos: i + 1, count: shown.length })}
            </span>
            <span className="phase">{t(`phase.${step.phase}`)}</span>
            <strong className="action">{t(`action.${step.action}`)}</strong>
          </p>
          {item?.kind === 'fold' ? (
            <FoldSummary fold={item.fold} steps={steps} />
          ) : (
            <>
              {fold && <InsideFold fold={fold} pos={pos} />}
              <Where at={step.at} />
              <p className="narration-text">
                <GlossaryText text={step.explain[lang]} lang={lang} />
              </p>
            </>
          )}
        </div>
      )}
    </section>
  )
}
