import { useTranslation } from 'react-i18next'
import { followTraffic } from '../../app/session.ts'
import { selectSelectedTraffic, selectTrafficNames, useAppStore } from '../../app/store.ts'

/** Shown when the scenario has several Traffic documents: which request to follow, in the bar. */
export function TrafficPicker() {
  const { t } = useTranslation()
  const names = useAppStore(selectTrafficNames)
  const selected = useAppStore(selectSelectedTraffic)
  if (names.length < 2) return null
  return (
    <span className="traffic-picker">
      <label htmlFor="traffic-select" className="traffic-label">
        {t('traffic.short')}
      </label>
      <select
        id="traffic-select"
        aria-label={t('traffic.label')}
        value={selected ?? ''}
        onChange={(e) => {
          const n = e.target.value
          if (n !== selected && names.includes(n)) void followTraffic(n)
        }}
      >
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </span>
  )
}
