import { useTranslation } from 'react-i18next'
import { openPage } from '../app/page.ts'
import { openLesson } from '../app/session.ts'
import { selectImported, selectLessonId, selectPage, useAppStore } from '../app/store.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { LogoIcon } from './icons.tsx'
import { ImportButton } from './import/ImportButton.tsx'
import { ImportedHeader } from './import/ImportedHeader.tsx'
import { LanguageSwitch } from './LanguageSwitch.tsx'
import { LessonHeader } from './lessons/LessonHeader.tsx'
import { TrafficPicker } from './panels/TrafficPicker.tsx'
import { StageButtons } from './stage/StageButtons.tsx'
import { PageLinks } from './pages/PageLinks.tsx'
import { ShareMenu } from './share/ShareMenu.tsx'

/**
 * The page's one bar. On the first screen: the name and what PodPath is. With a lesson open, the
 * lesson takes the tagline's place: its title, switches and request picker, and the stage's
 * buttons (Present, the keys), so the stage under it gets the rest of the screen.
 */
export function Header() {
  const { t } = useTranslation()
  const lessonId = useAppStore(selectLessonId)
  const imported = useAppStore(selectImported)
  const lesson = LESSONS.find((l) => l.id === lessonId)
  const page = useAppStore(selectPage)
  // A page beside the lessons (the glossary, say) keeps the lesson open behind it, not in the bar.
  const open = (!!lesson || imported) && !page
  return (
    <header className={open ? 'header with-lesson' : 'header'}>
      <a
        className="brand"
        href="./"
        onClick={(e) => {
          e.preventDefault()
          openPage(null)
          void openLesson(null)
        }}
      >
        <LogoIcon />
        <span className="brand-name">{t('app.name')}</span>
      </a>
      {open ? (
        <div className="header-lesson">
          {lesson ? <LessonHeader lesson={lesson} /> : <ImportedHeader />}
          <TrafficPicker />
        </div>
      ) : (
        <p className="tagline" title={t('app.tagline')}>
          {t('app.tagline')}
        </p>
      )}
      <div className="header-actions">
        {open && <StageButtons />}
        <PageLinks />
        <ShareMenu />
        <ImportButton />
        <LanguageSwitch />
      </div>
    </header>
  )
}
