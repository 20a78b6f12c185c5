import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { traceJson, type Trace } from '../../model/trace.ts'

/** The trace exactly as the engine wrote it: the same bytes as the command line's JSON. */
export function TraceJson({ trace }: { trace: Trace }) {
  const { t } = useTranslation()
  const json = useMemo(() => traceJson(trace), [trace])
  return (
    <details className="trace-json">
      <summary>{t('trace.json')}</summary>
      <pre data-testid="trace-json" tabIndex={0}>
        {json}
      </pre>
    </details>
  )
}
