import { useTranslation } from 'react-i18next'
import type { Lookup } from '../../model/trace.ts'

/**
 * A rule wraps only between its words: a break after a hyphen would turn `--comment` into
 * `-- comment`. The text itself is exactly the engine's.
 */
function Rule({ text }: { text: string }) {
  return text.split(/(\s+)/).map((part, i) =>
    i % 2 === 0 ? (
      <span key={i} className="rule-word">
        {part}
      </span>
    ) : (
      part
    ),
  )
}

/** The table entries behind a step, each exactly as the tool prints it on a node. */
export function Lookups({ lookups }: { lookups: Lookup[] }) {
  const { t } = useTranslation()
  if (lookups.length === 0) return null
  return (
    <div className="lookups">
      <p className="lookups-title">{t('steps.lookups')}</p>
      {lookups.map((l, i) => (
        <figure key={i} className={l.matched ? 'lookup' : 'lookup unmatched'}>
          <figcaption>
            <code>{l.table}</code>
            {!l.matched && <span className="no-match">{t('steps.noMatch')}</span>}
          </figcaption>
          <pre>
            <Rule text={l.rule} />
          </pre>
        </figure>
      ))}
    </div>
  )
}
