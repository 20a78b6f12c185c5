import { useTranslation } from 'react-i18next'
import type { Trace } from '../../model/trace.ts'
import { engineReason } from '../../i18n/engine-reasons.ts'
import { useAppStore } from '../../app/store.ts'
import { CheckIcon, StopIcon } from '../icons.tsx'

/** How the request ended, in one line: delivered to whom, or dropped and why. */
export function Outcome({ trace }: { trace: Trace }) {
  const { t } = useTranslation()
  const ok = trace.outcome === 'delivered' || trace.outcome === 'dns-only'
  const ep = trace.endpoint
  const lang = useAppStore((s) => s.lang)
  const reason = trace.reason ? engineReason(trace.reason, lang) : null
  return (
    <p className={`outcome ${ok ? 'ok' : 'bad'}`}>
      {ok ? <CheckIcon /> : <StopIcon />}
      <span className="outcome-label">{t('outcome.label')}</span>
      <strong data-testid="outcome">{t(`outcome.${trace.outcome}`)}</strong>
      {ep && trace.outcome === 'delivered' && (
        <span>
          {ep.pod
            ? t('outcome.endpoint', { pod: ep.pod, ip: ep.ip, port: ep.port })
            : t('outcome.endpointNoPod', { ip: ep.ip, port: ep.port })}
        </span>
      )}
      {/* The engine gives the reason in English; the fixed ones have a Chinese translation. */}
      {reason && (
        <span className="outcome-reason" lang={reason.lang}>
          {reason.text}
        </span>
      )}
    </p>
  )
}
