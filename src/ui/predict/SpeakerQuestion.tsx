import { useTranslation } from 'react-i18next'
import { selectAsked } from '../../app/predict.ts'
import type { Question } from '../../app/quiz/question.ts'
import { selectLang, selectStep, useAppStore } from '../../app/store.ts'
import type { Lang } from '../../model/text.ts'
import { CheckIcon, CloseIcon } from '../icons.tsx'
import { LETTERS } from './ChoiceButton.tsx'
import { DecidingRules } from './DecidingRules.tsx'
import './predict.css'

/** Why the answer is what it is: the step's own narration and the lines that decided it. */
function Why({ question, lang }: { question: Question; lang: Lang }) {
  return (
    <div className="speaker-predict-why">
      <p>{question.why.text[lang]}</p>
      <DecidingRules question={question} />
    </div>
  )
}

/**
 * Presenter mode's speaker window, while the stage predicts: the question the class sees, its
 * choices lettered as on the stage, and once the class has answered, the right answer, the
 * class's pick and why. It reads only what the stage said (src/app/stage-sync.ts); it answers
 * nothing itself: the stage is the class's.
 */
export function SpeakerQuestion() {
  const { t } = useTranslation()
  const stage = useAppStore((s) => s.stagePredict)
  const step = useAppStore(selectStep)
  const lang = useAppStore(selectLang)
  const asked = useAppStore(selectAsked)
  if (!stage) return null
  const question = asked.find((q) => q.step === step) ?? null
  const result = stage.result
  // A right answer (or one shown) moved the stage on: its result stands at this step.
  const earlier =
    result && result.question !== question?.id
      ? (asked.find((q) => q.id === result.question) ?? null)
      : null
  const picked = question ? stage.answers[question.id] : undefined
  const done = picked !== undefined
  return (
    // It scrolls on its own beside the notes, so it takes the keyboard's focus to scroll too.
    <section
      tabIndex={0}
      className="panel speaker-predict"
      aria-labelledby="speaker-predict-heading"
      data-testid="speaker-predict"
    >
      <h2 id="speaker-predict-heading" className="panel-title">
        {t('predict.speakerHeading')}
      </h2>
      {earlier && result && (
        <div className={`speaker-predict-result is-${result.outcome}`}>
          <p>
            <strong>{t(`predict.${result.outcome}`)}</strong>{' '}
            {earlier.choices.find((c) => c.id === earlier.answer)!.label[lang]}
          </p>
          <Why question={earlier} lang={lang} />
        </div>
      )}
      {question ? (
        <div className="speaker-predict-question" data-question={question.id}>
          <p className="speaker-predict-prompt">{question.prompt[lang]}</p>
          <ol className={`speaker-predict-choices kind-${question.kind}`}>
            {question.choices.map((c, i) => {
              const right = done && c.id === question.answer
              const wrong = done && c.id === picked && !right
              return (
                <li
                  key={c.id}
                  className={right ? 'is-right' : wrong ? 'is-wrong' : undefined}
                  data-choice={c.id}
                >
                  <span className="predict-letter" aria-hidden="true">
                    {LETTERS[i]}
                  </span>
                  <span className="predict-choice-text">{c.label[lang]}</span>
                  {right && (
                    <span className="speaker-predict-mark">
                      <CheckIcon />
                      {t('predict.rightAnswer')}
                    </span>
                  )}
                  {wrong && (
                    <span className="speaker-predict-mark">
                      <CloseIcon />
                      {t('predict.classAnswer')}
                    </span>
                  )}
                </li>
              )
            })}
          </ol>
          {done ? (
            <>
              {picked === null && <p>{t('predict.shown')}</p>}
              <Why question={question} lang={lang} />
            </>
          ) : (
            <p className="speaker-predict-waiting">{t('predict.speakerWaiting')}</p>
          )}
        </div>
      ) : (
        !earlier && <p className="panel-empty">{t('predict.none')}</p>
      )}
    </section>
  )
}
