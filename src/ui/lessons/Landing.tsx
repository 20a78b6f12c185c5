import { useTranslation } from 'react-i18next'
import { hasLessonSource } from '../../app/lesson-sources.ts'
import { selectLang, useAppStore } from '../../app/store.ts'
import { LESSONS, MODES, type LessonMeta, type ModeMeta } from '../../lessons/catalog.ts'
import { ArrowRightIcon, ClockIcon } from '../icons.tsx'
import { ImportSection } from '../import/ImportSection.tsx'
import { LessonScoreMeter } from '../predict/ScoreMeter.tsx'
import { LessonLink } from './LessonLink.tsx'
import './lessons.css'

/** The curriculum's sub-sections that have a name of their own (i18n keys under landing.sections). */
const SECTION_NAMES: Record<string, 'oneNode' | 'acrossNodes'> = {
  '2.1': 'oneNode',
  '2.2': 'acrossNodes',
}

/** The first screen: what PodPath does, and every lesson on a map of the curriculum's tree. */
export function Landing() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const first = LESSONS[0]
  return (
    <article className="landing">
      <h1>{t('landing.title')}</h1>
      <p className="lead">{t('landing.intro')}</p>
      {first && (
        <LessonLink id={first.id} className="button primary">
          {t('landing.start', { title: first.title[lang] })}
          <ArrowRightIcon />
        </LessonLink>
      )}
      <section className="landing-map" aria-labelledby="landing-map-title">
        <h2 id="landing-map-title">{t('landing.map')}</h2>
        <p className="landing-map-intro">{t('landing.mapIntro')}</p>
        <div className="map">
          <p className="map-root">{t('landing.root')}</p>
          <ol className="map-branches map-modes">
            {MODES.map((m) => (
              <ModeBranch key={m.mode} mode={m} />
            ))}
          </ol>
        </div>
      </section>
      <ImportSection />
    </article>
  )
}

/** One mode: its node on the map, then its lessons (grouped by sub-section where it has them). */
function ModeBranch({ mode }: { mode: ModeMeta }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const lessons = LESSONS.filter((l) => l.mode === mode.mode)
  const sections = [...new Set(lessons.map((l) => l.section))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  )
  const grouped = sections.some((s) => SECTION_NAMES[s])
  return (
    <li className={lessons.length ? 'map-mode' : 'map-mode later'}>
      <div className="map-node map-mode-node">
        <h3>
          <span className="map-mode-number" aria-hidden="true">
            {mode.mode}
          </span>
          <span className="visually-hidden">{t('tree.mode', { mode: mode.mode })}: </span>
          {mode.title[lang]}
        </h3>
        <p>{mode.idea[lang]}</p>
        <p className="map-count">
          {lessons.length ? (
            t('landing.lessons', { count: lessons.length })
          ) : (
            <>
              <ClockIcon />
              {t('tree.later')}
            </>
          )}
        </p>
      </div>
      {lessons.length > 0 && (
        <ol className="map-branches map-lessons">
          {grouped
            ? sections.map((s) => {
                const key = SECTION_NAMES[s]
                return (
                  <li key={s} className="map-group">
                    <p className="map-node map-group-node">
                      <span className="map-section">{s}</span>
                      {key ? t(`landing.sections.${key}`) : null}
                    </p>
                    <ol className="map-branches">
                      {lessons
                        .filter((l) => l.section === s)
                        .map((l) => (
                          <LessonLeaf key={l.id} lesson={l} />
                        ))}
                    </ol>
                  </li>
                )
              })
            : lessons.map((l) => <LessonLeaf key={l.id} lesson={l} />)}
        </ol>
      )}
    </li>
  )
}

function LessonLeaf({ lesson }: { lesson: LessonMeta }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  return (
    <li className="map-leaf">
      {hasLessonSource(lesson) ? (
        <LessonLink id={lesson.id} className="map-node map-lesson">
          {lesson.title[lang]}
        </LessonLink>
      ) : (
        <span className="map-node map-lesson unavailable">
          {lesson.title[lang]} <small>({t('tree.unavailable')})</small>
        </span>
      )}
      <LessonScoreMeter lesson={lesson.id} />
    </li>
  )
}
