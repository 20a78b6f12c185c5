import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { BROWSER_URL_LIMIT, CHAT_LIMIT } from '../../app/share/share-key.ts'
import { useAppStore } from '../../app/store.ts'
import { formatHash, formatUrl } from '../../app/url.ts'
import { copyText } from './copy-text.ts'

type Said =
  | { kind: 'none' }
  | { kind: 'copied' | 'long' | 'manual'; link: string; own: boolean }
  | { kind: 'tooLong' | 'preparing'; length: number }

/** The app's address without query or fragment: where it is served from, any sub-path. */
export function appPage(): string {
  return `${window.location.origin}${window.location.pathname}`
}

/** The link to the view on screen: the address, with an imported scenario in its fragment. */
export function currentLink(): { link: string | null; length: number; own: boolean } {
  const s = useAppStore.getState()
  const base = `${appPage()}${formatUrl(s)}`
  if (!s.imported) return { link: base, length: base.length, own: false }
  if (s.shareLength === null) return { link: null, length: 0, own: true }
  const length = base.length + 3 + s.shareLength
  if (!s.shareValue || length >= BROWSER_URL_LIMIT) return { link: null, length, own: true }
  return { link: base + formatHash(s, ''), length, own: true }
}

/**
 * "Copy link": the address of what is on screen, to the clipboard. A scenario of one's own goes
 * in the link too (compressed, after the `#`); a link longer than chats keep is said so, and one
 * longer than a browser opens is not made.
 */
export function ShareButton() {
  const { t, i18n } = useTranslation()
  const [said, setSaid] = useState<Said>({ kind: 'none' })
  const num = (n: number) => n.toLocaleString(i18n.language)
  const copy = async () => {
    const { link, length, own } = currentLink()
    if (!link) return setSaid({ kind: length ? 'tooLong' : 'preparing', length })
    const copied = await copyText(link)
    if (!copied) return setSaid({ kind: 'manual', link, own })
    setSaid({ kind: link.length > CHAT_LIMIT ? 'long' : 'copied', link, own })
  }
  const message = (() => {
    switch (said.kind) {
      case 'none':
        return ''
      case 'preparing':
        return t('share.preparing')
      case 'tooLong':
        return t('share.tooLong', { length: num(said.length), limit: num(BROWSER_URL_LIMIT) })
      case 'long':
        return t('share.long', { length: num(said.link.length), chat: num(CHAT_LIMIT) })
      case 'copied':
        return said.own
          ? t('share.copiedOwn', { length: num(said.link.length) })
          : t('share.copied')
      case 'manual':
        return t('share.manual')
    }
  })()
  return (
    <div className="share-item">
      <button type="button" className="share-button" onClick={() => void copy()}>
        {t('share.copy')}
      </button>
      <div role="status" className="share-said">
        {message && (
          <div className="share-note" data-kind={said.kind}>
            <p>{message}</p>
            {(said.kind === 'manual' || said.kind === 'long') && (
              <input
                readOnly
                aria-label={t('share.field')}
                value={said.link}
                onFocus={(e) => e.currentTarget.select()}
              />
            )}
          </div>
        )}
      </div>
    </div>
  )
}
