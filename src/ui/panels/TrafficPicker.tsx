import { useTranslation } from 'react-i18next'
import { followTraffic } from '../../app/session.ts'
import { selectSelectedTraffic, selectTrafficNames, useAppStore } from '../../app/store.ts'

/** Shown when the scenario has several Traffic documents: which request to follow. */
export function TrafficPicker() {
  const { t } = useTranslation()
  const names = useAppStore(selectTrafficNames)
  const selected = useAppStore(selectSelectedTraffic)
  if (names.length < 2) return null
  return (
    <div className="traffic-picker" role="group" aria-labelledby="traffic-label">
      <span id="traffic-label" className="traffic-label">
        {t('traffic.label')}
      </span>
      {names.map((n) => (
        <button
          key={n}
          type="button"
          aria-pressed={n === selected}
          onClick={() => n !== selected && void followTraffic(n)}
        >
          {n}
        </button>
      ))}
    </div>
  )
}
