import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { embedAddress, embedSnippet, ORIGIN_PLACEHOLDER } from '../../app/embed/snippet.ts'
import { useAppStore } from '../../app/store.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { copyText } from './copy-text.ts'
import { currentLink } from './ShareButton.tsx'

/** The iframe for the view on screen, or null while an own scenario's link is being made. */
function currentSnippet(questions: boolean): string | null {
  const { link } = currentLink()
  if (!link) return null
  const s = useAppStore.getState()
  const u = new URL(link)
  const lesson = LESSONS.find((l) => l.id === s.lessonId)
  const title = lesson?.title[s.lang] ?? s.file ?? 'PodPath'
  const address = embedAddress(`${u.origin}${u.pathname}`, u.search, u.hash, { questions })
  return embedSnippet(address, title, s.lang)
}

/**
 * "Embed": the iframe that frames the view on screen (this lesson, request, step, language and
 * switches) in the embed view, copied, and shown with what its `origin=` is for. "With
 * questions" frames it in predict mode (ticked when predicting): the course page then hears
 * each answer and the score. Changing it after a copy copies the code again.
 */
export function EmbedButton() {
  const { t } = useTranslation()
  const [said, setSaid] = useState<{ snippet: string; copied: boolean } | 'none' | 'unavailable'>(
    'none',
  )
  const [questions, setQuestions] = useState(() => useAppStore.getState().predict)
  const copy = async (withQuestions: boolean) => {
    const snippet = currentSnippet(withQuestions)
    if (!snippet) return setSaid('unavailable')
    setSaid({ snippet, copied: await copyText(snippet) })
  }
  return (
    <div className="share-item">
      <div className="share-row">
        <button type="button" className="share-button" onClick={() => void copy(questions)}>
          {t('share.embed')}
        </button>
        <label className="share-check">
          <input
            type="checkbox"
            checked={questions}
            onChange={(e) => {
              const on = e.currentTarget.checked
              setQuestions(on)
              if (typeof said === 'object') void copy(on)
            }}
          />
          {t('share.embedQuestions')}
        </label>
      </div>
      <div role="status" className="share-said">
        {said === 'unavailable' && (
          <div className="share-note">
            <p>{t('share.embedUnavailable')}</p>
          </div>
        )}
        {typeof said === 'object' && (
          <div className="share-note">
            <p>{said.copied ? t('share.embedCopied') : t('share.embedManual')}</p>
            <textarea
              readOnly
              className="embed-code"
              aria-label={t('share.embedField')}
              value={said.snippet}
              rows={said.snippet.split('\n').length}
              onFocus={(e) => e.currentTarget.select()}
            />
            <p className="share-hint">
              {t('share.embedOrigin', { placeholder: ORIGIN_PLACEHOLDER })}
            </p>
          </div>
        )}
      </div>
    </div>
  )
}
