import { useTranslation } from 'react-i18next'
import { selectDiagnostics, selectLang, selectStatus, useAppStore } from '../../app/store.ts'
import { stoppingCause } from '../../model/diagnostic.ts'
import { InfoIcon, TerminalIcon } from '../icons.tsx'

/**
 * The scenario's diagnostics. When the scenario does not load they are the lesson, headed by
 * what kind of problem stops it (what Kubernetes would answer, a mistake in the file, YAML that
 * cannot be read); otherwise (warnings, notes) a small aside above the trace.
 */
export function Diagnostics() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const diagnostics = useAppStore(selectDiagnostics)
  const invalid = useAppStore(selectStatus) === 'invalid'
  if (diagnostics.length === 0) return null
  const cause = stoppingCause(diagnostics)
  return (
    <section
      className={invalid ? 'diagnostics as-lesson' : 'diagnostics'}
      aria-labelledby="diagnostics-heading"
    >
      <h2 id="diagnostics-heading">
        {invalid ? <TerminalIcon /> : <InfoIcon />}
        {t(invalid ? `diagnostics.heading.${cause}` : 'diagnostics.notes')}
      </h2>
      {invalid && <p>{t(`diagnostics.intro.${cause}`)}</p>}
      <ul className="diagnostic-list">
        {diagnostics.map((d, i) => (
          <li key={i} className={`diagnostic ${d.severity}`}>
            <p className="diagnostic-where">
              <code>
                {d.file}:{d.line}:{d.col}
              </code>
              <span className="severity">{t(`diagnostics.severity.${d.severity}`)}</span>
              {d.object && <code className="diagnostic-object">{d.object}</code>}
            </p>
            <p className="diagnostic-message">{d.message[lang]}</p>
          </li>
        ))}
      </ul>
    </section>
  )
}
