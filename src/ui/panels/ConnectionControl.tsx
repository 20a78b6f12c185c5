import { useTranslation } from 'react-i18next'
import { setConnection } from '../../app/session.ts'
import { useAppStore, type AppState } from '../../app/store.ts'
import { MAX_CONNECTIONS } from '../../sim/limits.ts'

const selectConnection = (s: AppState) => s.connection
const selectBusy = (s: AppState) => s.status === 'loading'

/**
 * Sends the same request again as a new connection, while the earlier ones stay open: what
 * the kernel remembers between connections (IPVS counts, sessionAffinity) then shows.
 */
export function ConnectionControl() {
  const { t } = useTranslation()
  const connection = useAppStore(selectConnection)
  const busy = useAppStore(selectBusy)
  return (
    <div className="connection-control" role="group" aria-labelledby="connection-label">
      <span id="connection-label" className="traffic-label">
        {t('connection.label', { n: connection })}
      </span>
      <button
        type="button"
        disabled={busy || connection >= MAX_CONNECTIONS}
        onClick={() => void setConnection(connection + 1)}
        title={t('connection.nextHint')}
      >
        {t('connection.next')}
      </button>
      {connection > 1 && (
        <button type="button" disabled={busy} onClick={() => void setConnection(1)}>
          {t('connection.reset')}
        </button>
      )}
    </div>
  )
}
