import { useTranslation } from 'react-i18next'
import { dismissUrlNotices } from '../app/session.ts'
import { selectUrlNotices, useAppStore } from '../app/store.ts'
import type { UrlCorrection } from '../app/url.ts'
import { MAX_CONNECTIONS } from '../sim/limits.ts'
import { InfoIcon } from './icons.tsx'
import './address-notice.css'

/** A value quoted back from the address, kept short: the address may hold anything. */
function quote(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s
}

/**
 * What the page changed of the address it was opened with (an unknown lesson, a connection
 * past the last, a request the lesson does not have...), one line each, until the learner
 * dismisses it or opens something else. A status region, so a screen reader hears it once.
 */
export function AddressNotice() {
  const { t } = useTranslation()
  const notices = useAppStore(selectUrlNotices)
  const line = (c: UrlCorrection) => {
    const vars = {
      given: quote(c.given),
      now: c.param === 'lang' && c.now ? t(`address.languages.${c.now}`) : quote(c.now ?? ''),
      param: c.param,
      max: MAX_CONNECTIONS,
    }
    return c.reason === 'noLesson'
      ? t('address.noLesson', vars)
      : t(`address.${c.param}.${c.reason}`, vars)
  }
  return (
    <div role="status" className="address-notice-region">
      {notices.length > 0 && (
        <section className="notice address-notice" aria-labelledby="address-notice-heading">
          <div className="address-notice-head">
            <h2 id="address-notice-heading">
              <InfoIcon />
              {t('address.heading')}
            </h2>
            <button type="button" className="address-notice-dismiss" onClick={dismissUrlNotices}>
              {t('address.dismiss')}
            </button>
          </div>
          <ul>
            {notices.map((c) => (
              <li key={c.param}>{line(c)}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}
