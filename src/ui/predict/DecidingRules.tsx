import { useTranslation } from 'react-i18next'
import type { Question } from '../../app/quiz/question.ts'

/** The lines that decided a question's answer, as the tool prints them, under their tables. */
export function DecidingRules({ question }: { question: Question }) {
  const { t } = useTranslation()
  if (question.why.rules.length === 0) return null
  return (
    <div className="predict-rules">
      <p>{t('predict.rules')}</p>
      <ul>
        {question.why.rules.map((r) => (
          <li key={`${r.table}\n${r.rule}`}>
            <span className="predict-table">{r.table}</span>
            <code>{r.rule}</code>
          </li>
        ))}
      </ul>
    </div>
  )
}
