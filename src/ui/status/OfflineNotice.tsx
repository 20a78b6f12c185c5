import { useTranslation } from 'react-i18next'
import { retryLast } from '../../app/session.ts'
import { selectEngineError, selectOnline, useAppStore } from '../../app/store.ts'

/**
 * In place of a lesson that could not be downloaded. Offline it waits for the network (the
 * session tries again when the browser is back online); online, the server failed: try again.
 */
export function OfflineNotice() {
  const { t } = useTranslation()
  const online = useAppStore(selectOnline)
  const message = useAppStore(selectEngineError)
  return (
    <div className="notice offline-notice" role="alert">
      <p>{online ? t('status.unreachableOnline', { message }) : t('status.unreachable')}</p>
      {online && (
        <button type="button" onClick={() => void retryLast()}>
          {t('status.retry')}
        </button>
      )}
    </div>
  )
}
