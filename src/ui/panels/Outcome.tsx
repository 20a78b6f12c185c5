import { useTranslation } from 'react-i18next'
import type { Trace } from '../../model/trace.ts'
import { useAppStore } from '../../app/store.ts'
import { CheckIcon, StopIcon } from '../icons.tsx'

/** How the request ended, in one line: which backend it reached from which address, or why not. */
export function Outcome({ trace }: { trace: Trace }) {
  const { t } = useTranslation()
  const ok = trace.outcome === 'delivered' || trace.outcome === 'dns-only'
  // Where the connection was accepted (after DNAT and proxies), and what the client dialled.
  const ep = trace.endpoint
  const dialled = trace.dialled
  const lang = useAppStore((s) => s.lang)
  const reason = trace.reason
  return (
    <p className={`outcome ${ok ? 'ok' : 'bad'}`}>
      {ok ? <CheckIcon /> : <StopIcon />}
      <span className="outcome-label">{t('outcome.label')}</span>
      <strong data-testid="outcome">{t(`outcome.${trace.outcome}`)}</strong>
      {ep && (
        <span data-testid="endpoint">
          {ep.pod
            ? t('outcome.endpoint', { pod: ep.pod, ip: ep.ip, port: ep.port })
            : ep.node
              ? t('outcome.endpointNoPod', { node: ep.node, ip: ep.ip, port: ep.port })
              : t('outcome.endpointOutside', { ip: ep.ip, port: ep.port })}
          {dialled &&
            (dialled.ip !== ep.ip || dialled.port !== ep.port) &&
            ` ${t('outcome.dialled', { ip: dialled.ip, port: dialled.port })}`}
        </span>
      )}
      {/* The engine writes the reason in both languages, as it does each step's narration. */}
      {reason && (
        <span className="outcome-reason" lang={lang}>
          {reason[lang]}
        </span>
      )}
    </p>
  )
}
