import { useTranslation } from 'react-i18next'
import { useAppStore } from '../../app/store.ts'

/** The dash each phase's trail is drawn with on the graph's links (graph.css, .g-trail-*). */
const DASH = { request: undefined, reply: '9 5', dns: '0.5 6' } as const

/**
 * What the packet's colours and marks mean: each phase is named, and its trail on the links has
 * its own dash as well as its colour.
 */
export function Legend() {
  const { t } = useTranslation()
  const configures = useAppStore((s) => (s.cluster?.l7?.length ?? 0) > 0)
  return (
    <ul className="graph-legend" aria-label={t('graph.legend')}>
      {(['request', 'reply', 'dns'] as const).map((p) => (
        <li key={p} className={`legend-item phase-${p}`}>
          <span className="legend-swatch" aria-hidden="true" />
          <svg className="legend-trail" width="26" height="8" aria-hidden="true">
            <line
              x1="3"
              y1="4"
              x2="23"
              y2="4"
              stroke={`var(--${p})`}
              strokeWidth={p === 'dns' ? 4 : 3.5}
              strokeLinecap="round"
              strokeDasharray={DASH[p]}
            />
          </svg>
          {t(`phase.${p}`)}
        </li>
      ))}
      <li className="legend-item legend-stop">
        <span className="legend-x" aria-hidden="true">
          ✕
        </span>
        {t('graph.stopped')}
      </li>
      {configures && (
        <li className="legend-item legend-config" title={t('graph.configuresLong')}>
          <svg className="legend-trail" width="26" height="8" aria-hidden="true">
            <line
              x1="3"
              y1="4"
              x2="23"
              y2="4"
              stroke="var(--legend-config)"
              strokeWidth={1.5}
              strokeDasharray="3 4"
            />
          </svg>
          {t('graph.configures')}
          <span className="visually-hidden">{t('graph.configuresLong')}</span>
        </li>
      )}
    </ul>
  )
}
