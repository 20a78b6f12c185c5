import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectDiagnostics,
  selectFile,
  selectSource,
  selectStatus,
  useAppStore,
} from '../../app/store.ts'

/**
 * The scenario file the lesson runs, with line numbers and the lines diagnostics point to
 * marked. Open when the scenario has errors (the learner looks for the line), folded otherwise.
 */
export function ScenarioSource() {
  const { t } = useTranslation()
  const file = useAppStore(selectFile)
  const source = useAppStore(selectSource)
  const diagnostics = useAppStore(selectDiagnostics)
  const invalid = useAppStore(selectStatus) === 'invalid'
  const marked = useMemo(
    () => new Set(diagnostics.filter((d) => d.file === file).map((d) => d.line)),
    [diagnostics, file],
  )
  const pre = useRef<HTMLPreElement>(null)
  // The lines are only put on the page once the box is open: a scale lesson has thousands.
  const [opened, setOpened] = useState(false)
  const open = invalid || opened

  // Bring the first marked line into the box's view, a third of the way down.
  useEffect(() => {
    const box = pre.current
    const first = box?.querySelector<HTMLElement>('.marked')
    if (box && first) box.scrollTop = first.offsetTop - box.clientHeight / 3
  }, [marked, source, open])

  if (source === null) return null
  const lines = source.replace(/\n$/, '').split('\n')
  return (
    <details
      className="scenario-source"
      open={invalid}
      onToggle={(e) => setOpened((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        {t('source.title')} <code>{file}</code>
      </summary>
      {marked.size > 0 && <p className="source-legend">{t('source.marked')}</p>}
      <pre ref={pre} tabIndex={0}>
        <code>
          {(open ? lines : []).map((line, i) => (
            <span
              key={i}
              className={marked.has(i + 1) ? 'source-line marked' : 'source-line'}
              data-line={i + 1}
            >
              {line}
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </details>
  )
}
