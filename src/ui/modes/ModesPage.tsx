import { useTranslation } from 'react-i18next'
import { MODE_ROWS } from '../../app/modes.ts'
import { selectLang, useAppStore } from '../../app/store.ts'
import { LESSONS, MODES } from '../../lessons/catalog.ts'
import { LessonLink } from '../lessons/LessonLink.tsx'
import { PageBar } from '../pages/PageBar.tsx'
import { CapstoneLine } from './CapstoneLine.tsx'
import './modes.css'

/** The curriculum's summary: the four modes compared, each row opening its lesson; the capstone. */
export default function ModesPage() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  return (
    <article className="modes-page" aria-labelledby="modes-title">
      <PageBar />
      <h1 id="modes-title">{t('modes.title')}</h1>
      <p className="lead">{t('modes.intro')}</p>
      <div className="modes-table-wrap">
        <table className="modes-table">
          <caption className="visually-hidden">{t('modes.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('modes.mode')}</th>
              <th scope="col">{t('modes.component')}</th>
              <th scope="col">{t('modes.property')}</th>
              <th scope="col">{t('modes.decides')}</th>
              <th scope="col">{t('modes.lesson')}</th>
            </tr>
          </thead>
          <tbody>
            {MODE_ROWS.map((row) => {
              const mode = MODES.find((m) => m.mode === row.mode)!
              const lesson = LESSONS.find((l) => l.id === row.lesson)!
              return (
                <tr key={row.mode}>
                  <th scope="row">
                    <span className="modes-number" aria-hidden="true">
                      {row.mode}
                    </span>
                    <span className="visually-hidden">{t('tree.mode', { mode: row.mode })}: </span>
                    {mode.title[lang]}
                  </th>
                  <td>{row.component[lang]}</td>
                  <td>{row.property[lang]}</td>
                  <td>{row.decides[lang]}</td>
                  <td>
                    <LessonLink id={lesson.id} className="modes-lesson">
                      {lesson.title[lang]}
                    </LessonLink>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <CapstoneLine />
    </article>
  )
}
