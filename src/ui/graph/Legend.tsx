import { useTranslation } from 'react-i18next'

/** What the packet's colours and marks mean: each phase is named, not only coloured. */
export function Legend() {
  const { t } = useTranslation()
  return (
    <ul className="graph-legend" aria-label={t('graph.legend')}>
      {(['request', 'reply', 'dns'] as const).map((p) => (
        <li key={p} className={`legend-item phase-${p}`}>
          <span className="legend-swatch" aria-hidden="true" />
          {t(`phase.${p}`)}
        </li>
      ))}
      <li className="legend-item legend-stop">
        <span className="legend-x" aria-hidden="true">
          ✕
        </span>
        {t('graph.stopped')}
      </li>
    </ul>
  )
}
