import { useTranslation } from 'react-i18next'
import { netnsOf } from '../../app/quiz/netns.ts'
import type { ChoiceValue } from '../../app/quiz/question.ts'
import { selectCluster, selectLang, selectTrace, useAppStore } from '../../app/store.ts'
import { printCommand } from '../panels/table-command.ts'
import { ChoiceButton } from './ChoiceButton.tsx'
import { useRuleInDrawer } from './rule-in-drawer.ts'

/** The id the question box moves the focus to when the question appears. */
export const RULE_LINES_ID = 'predict-lines'

/**
 * "Which rule matches?" in the tables drawer: the lines of the table the next step reads, in
 * the namespace that reads it, each a button named by its text, in a group named by the
 * question; none marked as matched until the answer. Nothing while no such question is open.
 */
export function RuleLines() {
  const { t } = useTranslation()
  const question = useRuleInDrawer()
  const lang = useAppStore(selectLang)
  const trace = useAppStore(selectTrace)
  const cluster = useAppStore(selectCluster)
  if (!question || !trace || !cluster) return null
  const table = (question.choices[0]!.value as Extract<ChoiceValue, { kind: 'rule' }>).table
  const ns = netnsOf(trace.steps[question.reveals]!.at, cluster)
  const command = printCommand(table)
  const [kind, ...name] = (ns ?? '').split(':')
  return (
    <figure className="table-group predict-lines-group" data-table={table}>
      <figcaption>
        <span className="predict-lines-label">{t('predict.linesLabel')}</span>
        <code className="table-name">{command ?? table}</code>
        {ns && (
          <span className="predict-lines-where">
            {t(kind === 'pod' ? 'predict.inPod' : 'predict.onNode', { name: name.join(':') })}
          </span>
        )}
      </figcaption>
      <div
        id={RULE_LINES_ID}
        className="predict-lines kind-rule"
        role="group"
        aria-label={question.prompt[lang]}
        tabIndex={-1}
        data-question={question.id}
      >
        {question.choices.map((c, i) => (
          <ChoiceButton
            key={c.id}
            question={question}
            choice={c}
            index={i}
            lang={lang}
            className="predict-line"
          />
        ))}
      </div>
    </figure>
  )
}
