import type { TFunction } from 'i18next'
import { memo } from 'react'
import { useTranslation } from 'react-i18next'
import { hasLessonSource } from '../../app/lesson-sources.ts'
import { selectLang, selectLessonId, useAppStore } from '../../app/store.ts'
import { LESSONS, MODES, type ModeMeta } from '../../lessons/catalog.ts'
import type { Lang } from '../../model/text.ts'
import { ClockIcon, SidebarIcon } from '../icons.tsx'
import { LessonScoreMeter } from '../predict/ScoreMeter.tsx'
import { LessonLink } from './LessonLink.tsx'

/** The curriculum's tree: cluster networking -> the four modes -> their lessons. */
export function LessonTree({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const current = useAppStore(selectLessonId)
  return (
    <nav className={open ? 'tree' : 'tree collapsed'} aria-labelledby="tree-root">
      <div className="tree-top">
        <h2 id="tree-root" className="tree-root">
          {t('tree.root')}
        </h2>
        {/* Folds the list away to give the graph the width, at a projector or a small screen. */}
        <button
          type="button"
          className="tree-toggle"
          aria-expanded={open}
          aria-controls="tree-modes"
          title={open ? t('workspace.hideTree') : t('workspace.showTree')}
          onClick={onToggle}
        >
          <SidebarIcon />
          <span className="tree-toggle-label">
            {open ? t('workspace.hideTree') : t('workspace.showTree')}
          </span>
        </button>
      </div>
      <ol id="tree-modes" className="tree-modes" hidden={!open}>
        {MODES.map((m) => (
          <ModeBranch key={m.mode} mode={m} t={t} lang={lang} current={current} />
        ))}
      </ol>
    </nav>
  )
}

// Each mode's lessons, grouped by curriculum section (2.1 before 2.2, 2.10 after 2.9), keeping the
// catalog's order within one. The catalog never changes, so this is sorted once, with one
// collator, rather than on every render of the landing page.
const sections = new Intl.Collator('en', { numeric: true })
const LESSONS_BY_MODE = new Map(
  MODES.map((m) => [
    m.mode,
    LESSONS.filter((l) => l.mode === m.mode).sort((a, b) => sections.compare(a.section, b.section)),
  ]),
)

/** One mode and its lessons; the tree hands down one `t`, not a useTranslation per branch. */
const ModeBranch = memo(function ModeBranch({
  mode,
  t,
  lang,
  current,
}: {
  mode: ModeMeta
  t: TFunction
  lang: Lang
  current: string | null
}) {
  const lessons = LESSONS_BY_MODE.get(mode.mode) ?? []
  const later = lessons.length === 0
  // Number the lessons only where the mode has sub-sections (2.1 same node, 2.2 across nodes).
  const subSections = lessons.some((l) => l.section !== String(mode.mode))
  return (
    <li className={later ? 'tree-mode later' : 'tree-mode'}>
      <h3 className="tree-mode-title">
        <span className="tree-mode-number">{t('tree.mode', { mode: mode.mode })}</span>
        <span>{mode.title[lang]}</span>
      </h3>
      {later ? (
        <p className="tree-later">
          <ClockIcon />
          {t('tree.later')}
        </p>
      ) : (
        <ul className="tree-lessons">
          {lessons.map((l) => (
            <li key={l.id}>
              {hasLessonSource(l) ? (
                <LessonLink id={l.id} className="tree-lesson" current={l.id === current}>
                  {subSections && <span className="tree-section">{l.section}</span>}
                  <span>{l.title[lang]}</span>
                </LessonLink>
              ) : (
                <span className="tree-lesson unavailable">
                  {subSections && <span className="tree-section">{l.section}</span>}
                  <span>
                    {l.title[lang]} <small>({t('tree.unavailable')})</small>
                  </span>
                </span>
              )}
              <LessonScoreMeter lesson={l.id} />
            </li>
          ))}
        </ul>
      )}
    </li>
  )
})
