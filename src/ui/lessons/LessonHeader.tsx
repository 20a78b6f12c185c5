import { useLayoutEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { selectLang, useAppStore } from '../../app/store.ts'
import { MODES, type LessonMeta } from '../../lessons/catalog.ts'
import { LessonSwitches } from './LessonSwitches.tsx'

/**
 * The lesson's name and its summary in one line, so the graph and the current step fit on the
 * first screen; the whole summary opens on request.
 */
export function LessonHeader({ lesson }: { lesson: LessonMeta }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const mode = MODES.find((m) => m.mode === lesson.mode)
  const lead = useRef<HTMLParagraphElement>(null)
  const [open, setOpen] = useState(false)
  const [long, setLong] = useState(false)
  const summary = lesson.summary[lang]

  // Offer the toggle only when one line does not hold the summary at this width.
  useLayoutEffect(() => {
    const el = lead.current
    if (!el || open) return
    const measure = () => setLong(el.scrollWidth > el.clientWidth + 1)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [summary, open])

  return (
    <header className="lesson-header">
      <div className="lesson-title">
        <h1>{lesson.title[lang]}</h1>
        <p className="eyebrow">
          {t('tree.mode', { mode: lesson.mode })}
          {mode && ` · ${mode.title[lang]}`} · {t('lesson.section', { section: lesson.section })}
        </p>
      </div>
      <div className="lesson-summary">
        <p ref={lead} id="lesson-lead" className={open ? 'lead open' : 'lead'}>
          {summary}
        </p>
        {(long || open) && (
          <button
            type="button"
            className="lead-toggle"
            aria-expanded={open}
            aria-controls="lesson-lead"
            onClick={() => setOpen((o) => !o)}
          >
            {open ? t('workspace.less') : t('workspace.more')}
          </button>
        )}
      </div>
      <LessonSwitches lesson={lesson} />
    </header>
  )
}
