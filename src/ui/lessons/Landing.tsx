import { useTranslation } from 'react-i18next'
import { selectLang, useAppStore } from '../../app/store.ts'
import { LESSONS, MODES } from '../../lessons/catalog.ts'
import { ArrowRightIcon, ClockIcon } from '../icons.tsx'
import { ImportSection } from '../import/ImportSection.tsx'
import { LessonLink } from './LessonLink.tsx'

/** The first screen: what PodPath does, and the four modes as a map. */
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
      <h2>{t('landing.modes')}</h2>
      <ol className="mode-cards">
        {MODES.map((m) => {
          const lessons = LESSONS.filter((l) => l.mode === m.mode)
          const start = lessons[0]
          return (
            <li key={m.mode} className={start ? 'mode-card' : 'mode-card later'}>
              <h3>
                <span className="mode-card-number">{m.mode}</span>
                {start ? <LessonLink id={start.id}>{m.title[lang]}</LessonLink> : m.title[lang]}
              </h3>
              <p>{m.idea[lang]}</p>
              <p className="mode-card-foot">
                {lessons.length ? (
                  t('landing.lessons', { count: lessons.length })
                ) : (
                  <>
                    <ClockIcon />
                    {t('tree.later')}
                  </>
                )}
              </p>
            </li>
          )
        })}
      </ol>
      <ImportSection />
    </article>
  )
}
