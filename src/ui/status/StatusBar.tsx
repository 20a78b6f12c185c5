import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { applyUpdate } from '../../app/offline.ts'
import { cancelRun } from '../../app/session.ts'
import {
  selectBusy,
  selectEngineNotice,
  selectOfflineReady,
  selectOnline,
  selectUpdateReady,
  useAppStore,
  type EngineNotice,
} from '../../app/store.ts'
import './status.css'

/** A run shorter than this shows no Cancel: most lessons build in a blink. */
const LONG_RUN_MS = 700

function useLongRun(busy: boolean): boolean {
  const [long, setLong] = useState(false)
  useEffect(() => {
    if (!busy) return
    const id = window.setTimeout(() => setLong(true), LONG_RUN_MS)
    return () => {
      window.clearTimeout(id)
      setLong(false)
    }
  }, [busy])
  return busy && long
}

function NoticeText({ notice }: { notice: EngineNotice }) {
  const { t } = useTranslation()
  const what =
    notice.kind === 'cancelled'
      ? t('status.cancelled')
      : t(`status.restarted.${notice.cause}`, { message: notice.message })
  const kept = notice.step === null ? t('status.keptAll') : t('status.kept', { step: notice.step })
  return <span>{t('status.line', { what, kept })}</span>
}

/**
 * What the engine and the network are doing, in one polite live region at the foot of the
 * screen: a long run and its Cancel, a worker that was restarted, being offline, a new version.
 * `compact` (a course page's frame, the embed view): short words in a small line at the frame's
 * top left, over the graph's corner, clear of the caption and the step controls; the whole sentence is the title.
 */
export function StatusBar({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation()
  const busy = useAppStore(selectBusy)
  const longRun = useLongRun(busy)
  const notice = useAppStore(selectEngineNotice)
  const online = useAppStore(selectOnline)
  const offlineReady = useAppStore(selectOfflineReady)
  const updateReady = useAppStore(selectUpdateReady)
  const dismiss = useRef<HTMLButtonElement>(null)

  // The Cancel button is gone once pressed: keep the keyboard's place on what answers it.
  useEffect(() => {
    if (notice?.kind === 'cancelled' && document.activeElement === document.body)
      dismiss.current?.focus()
  }, [notice])

  return (
    <div
      className={compact ? 'status-bar compact' : 'status-bar'}
      role="status"
      aria-label={t('status.label')}
    >
      {longRun && (
        <p className="status-item status-busy" title={compact ? t('status.busy') : undefined}>
          <span className="status-spinner" aria-hidden="true" />
          <span>{compact ? t('status.short.busy') : t('status.busy')}</span>
          <button type="button" aria-label={t('status.cancelRun')} onClick={cancelRun}>
            {t('status.cancel')}
          </button>
        </p>
      )}
      {notice && (
        <p className="status-item status-notice" data-notice={notice.kind}>
          <NoticeText notice={notice} />
          <button
            ref={dismiss}
            type="button"
            onClick={() => useAppStore.setState({ engineNotice: null })}
          >
            {t('status.dismiss')}
          </button>
        </p>
      )}
      {!online && (
        <p
          className="status-item status-offline"
          title={compact ? t(offlineReady ? 'status.offline' : 'status.offlineUnsaved') : undefined}
        >
          {compact
            ? t(offlineReady ? 'status.short.offline' : 'status.short.offlineUnsaved')
            : t(offlineReady ? 'status.offline' : 'status.offlineUnsaved')}
        </p>
      )}
      {updateReady && (
        <p className="status-item" title={compact ? t('status.update') : undefined}>
          <span>{compact ? t('status.short.update') : t('status.update')}</span>
          <button type="button" onClick={() => void applyUpdate()}>
            {t('status.reload')}
          </button>
        </p>
      )}
    </div>
  )
}
