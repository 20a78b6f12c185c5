import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { answerOf, selectAsked, selectQuestion } from '../../app/predict.ts'
import type { Question } from '../../app/quiz/question.ts'
import {
  selectLang,
  selectPredictResult,
  selectStep,
  useAppStore,
  type PredictResult,
} from '../../app/store.ts'
import type { Lang } from '../../model/text.ts'
import { CheckIcon, CloseIcon } from '../icons.tsx'
import { ChoiceButton } from './ChoiceButton.tsx'
import { DecidingRules } from './DecidingRules.tsx'
import { PredictScore } from './PredictButton.tsx'
import { useRuleInDrawer } from './rule-in-drawer.ts'
import { RULE_LINES_ID } from './RuleLines.tsx'
import './predict.css'

/** The learner's answer (or the answer shown) and why, from the step's own narration and rules. */
function Result({
  result,
  question,
  lang,
  focusRef,
}: {
  result: PredictResult
  question: Question
  lang: Lang
  focusRef: React.RefObject<HTMLDivElement | null>
}) {
  const { t } = useTranslation()
  const answered = useAppStore((s) => s.predictAnswers[result.answer])
  const picked = question.choices.find((c) => c.id === answered?.choice)
  const right = question.choices.find((c) => c.id === question.answer)!
  return (
    <div
      ref={focusRef}
      className={`predict-result is-${result.outcome}`}
      tabIndex={-1}
      data-testid="predict-result"
    >
      <p className="predict-verdict">
        {result.outcome === 'right' ? (
          <CheckIcon />
        ) : result.outcome === 'wrong' ? (
          <CloseIcon />
        ) : null}
        <strong>{t(`predict.${result.outcome}`)}</strong>{' '}
        {result.outcome === 'right' ? (
          <span className="predict-answer">{right.label[lang]}</span>
        ) : (
          picked && <span>{t('predict.yourAnswer', { answer: picked.label[lang] })}</span>
        )}
      </p>
      {result.outcome !== 'right' && (
        <>
          <p className="predict-why">{question.why.text[lang]}</p>
          <DecidingRules question={question} />
        </>
      )}
      {result.outcome === 'wrong' && (
        <button
          type="button"
          className="predict-go-on"
          onClick={() => useAppStore.getState().setStep(question.reveals)}
        >
          {t('predict.goOn')}
        </button>
      )}
    </div>
  )
}

/** One question: a group named by its text, its choices buttons named by their value. */
function QuestionBox({
  question,
  lang,
  focusRef,
}: {
  question: Question
  lang: Lang
  focusRef: React.RefObject<HTMLFieldSetElement | null>
}) {
  const { t } = useTranslation()
  const answer = useAppStore((s) => answerOf(s, question))
  const asked = useAppStore(selectAsked)
  const n = asked.indexOf(question) + 1
  const done = answer !== null
  return (
    <fieldset
      ref={focusRef}
      className={`predict-question kind-${question.kind}`}
      tabIndex={-1}
      data-question={question.id}
    >
      <legend>{question.prompt[lang]}</legend>
      <p className="predict-meta">
        {t('predict.questionOf', { n, count: asked.length })}
        {question.kind === 'where' && !done && (
          <span className="predict-hint"> · {t('predict.onGraph')}</span>
        )}
        {question.kind === 'rule' && (
          <span className="predict-hint"> · {t('predict.ruleHint')}</span>
        )}
      </p>
      <div className="predict-choices">
        {question.choices.map((c, i) => (
          <ChoiceButton key={c.id} question={question} choice={c} index={i} lang={lang} />
        ))}
      </div>
    </fieldset>
  )
}

/**
 * "Which rule matches?" with the drawer open beside it: the question's text here, its lines to
 * pick in the drawer (RuleLines, the group named by the question), and a way there by keyboard.
 */
function RuleInDrawerBox({ question, lang }: { question: Question; lang: Lang }) {
  const { t } = useTranslation()
  const answer = useAppStore((s) => answerOf(s, question))
  const asked = useAppStore(selectAsked)
  const n = asked.indexOf(question) + 1
  return (
    <div className="predict-question kind-rule in-drawer" data-question={question.id}>
      <p className="predict-prompt">{question.prompt[lang]}</p>
      <p className="predict-meta">
        {t('predict.questionOf', { n, count: asked.length })} · {t('predict.ruleHint')}
      </p>
      {answer === null && (
        <p className="predict-in-drawer">
          {t('predict.inDrawer')}{' '}
          <button
            type="button"
            className="predict-to-lines"
            onClick={() => showTop(document.getElementById(RULE_LINES_ID))}
          >
            {t('predict.toLines')}
          </button>
        </p>
      )}
    </div>
  )
}

/**
 * Predict mode on the stage: the last answer's result (at the step it leads to), then the
 * question at this step. The focus goes to a question when it appears and to the result after
 * an answer; a live region says right or wrong.
 */
export function PredictPanel() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const step = useAppStore(selectStep)
  const question = useAppStore(selectQuestion)
  const inDrawer = useRuleInDrawer() !== null
  const asked = useAppStore(selectAsked)
  const result = useAppStore(selectPredictResult)
  const shownResult = result && result.at === step ? result : null
  const about = shownResult ? (asked.find((q) => q.id === shownResult.question) ?? null) : null
  const resultRef = useRef<HTMLDivElement>(null)
  const questionRef = useRef<HTMLFieldSetElement>(null)
  const seen = useRef<{ seq: number; question: string | null }>({ seq: 0, question: null })

  useEffect(() => {
    const last = seen.current
    const seq = shownResult?.seq ?? last.seq
    const qid = question?.id ?? null
    if (shownResult && seq !== last.seq) showTop(resultRef.current)
    // A rule picked in the drawer: the focus goes to its lines, the group named by the question.
    else if (qid && qid !== last.question)
      showTop(inDrawer ? document.getElementById(RULE_LINES_ID) : questionRef.current)
    seen.current = { seq, question: qid }
  }, [shownResult, question, inDrawer])

  const live = shownResult && about ? liveText(t, shownResult, about, lang) : ''
  const later = asked.some((q) => q.step > step)
  const resultBox = shownResult && about && (
    <Result result={shownResult} question={about} lang={lang} focusRef={resultRef} />
  )
  return (
    <section className="stage-predict" aria-labelledby="predict-heading" data-testid="predict">
      <div className="predict-head">
        <h2 id="predict-heading" className="predict-heading">
          {t('predict.heading')}
        </h2>
        <PredictScore where="panel" />
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {live}
      </p>
      {/* A wrong answer's why comes under its question; a result that moved on, over the next. */}
      {resultBox && shownResult.outcome !== 'wrong' && resultBox}
      {question && inDrawer ? (
        <RuleInDrawerBox key={question.id} question={question} lang={lang} />
      ) : question ? (
        <QuestionBox key={question.id} question={question} lang={lang} focusRef={questionRef} />
      ) : (
        !shownResult && (
          <p className="predict-none">
            {later ? t('predict.none') : t('predict.noneLeft')}{' '}
            {t('predict.count', { count: asked.length })}
          </p>
        )
      )}
      {resultBox && shownResult.outcome === 'wrong' && resultBox}
    </section>
  )
}

/**
 * Focuses an element of the panel (or of the drawer) with its top in view: each scrolls on its
 * own beside the graph (the page does not move); on a phone, where the page scrolls, the page
 * brings it in.
 */
function showTop(el: HTMLElement | null): void {
  if (!el) return
  el.focus({ preventScroll: true })
  const panel = el.closest<HTMLElement>('.stage-predict, .drawer-body')
  // A head that stays at the panel's top (the embed view's) covers what scrolls under it.
  const head = panel?.querySelector<HTMLElement>('.predict-head')
  const covered = head && getComputedStyle(head).position === 'sticky' ? head.offsetHeight : 0
  if (panel && panel.scrollHeight > panel.clientHeight)
    panel.scrollTop +=
      el.getBoundingClientRect().top - panel.getBoundingClientRect().top - covered - 4
  const r = el.getBoundingClientRect()
  if (r.top < 0 || r.top > window.innerHeight - 80) el.scrollIntoView({ block: 'start' })
}

function liveText(
  t: ReturnType<typeof useTranslation>['t'],
  result: PredictResult,
  q: Question,
  lang: Lang,
): string {
  const right = q.choices.find((c) => c.id === q.answer)!
  if (result.outcome === 'right') return `${t('predict.right')} ${right.label[lang]}`
  return `${t(`predict.${result.outcome}`)} ${q.why.text[lang]}`
}
