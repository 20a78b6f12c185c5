import { useTranslation } from 'react-i18next'
import { openPage } from '../../app/page.ts'
import { selectLang, selectPage, useAppStore, type AppPage } from '../../app/store.ts'
import { useBarMenu } from '../bar-menu.ts'

/**
 * The header's way to the pages beside the lessons: the glossary and the four modes always,
 * the open lesson's handout when one is open. Real links (they open in a new tab too). Where the
 * bar holds a lesson and is narrower than a wide laptop (pages.css), the links fold into one
 * "More" menu, so the lesson's title keeps its room; Esc or a click outside closes it.
 */
export function PageLinks() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const page = useAppStore(selectPage)
  const lessonId = useAppStore((s) => s.lessonId)
  const lessonOpen = useAppStore((s) => s.lessonId !== null || s.imported)
  const { open, setOpen, id, box, toggle, onKeyDown } = useBarMenu()

  const link = (p: AppPage) => {
    const q = new URLSearchParams()
    if (p === 'handout' && lessonId) q.set('lesson', lessonId)
    q.set('page', p)
    q.set('lang', lang)
    return (
      <a
        key={p}
        href={`?${q.toString()}`}
        aria-current={page === p ? 'page' : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
          e.preventDefault()
          setOpen(false)
          openPage(p)
        }}
      >
        {t(`pages.${p}`)}
      </a>
    )
  }
  const links = () => [link('glossary'), link('modes'), lessonOpen && link('handout')]
  return (
    <nav className="page-links" aria-label={t('pages.nav')}>
      <span className="page-links-inline">{links()}</span>
      <div className="page-links-menu" ref={box} onKeyDown={onKeyDown}>
        <button
          ref={toggle}
          type="button"
          className="bar-button page-links-toggle"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          {t('pages.more')}
          <span className="page-links-caret" aria-hidden="true">
            ▾
          </span>
        </button>
        <div id={id} className="page-links-panel" hidden={!open}>
          {open && links()}
        </div>
      </div>
    </nav>
  )
}
