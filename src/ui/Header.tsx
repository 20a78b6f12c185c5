import { useTranslation } from 'react-i18next'
import { openPage } from '../app/page.ts'
import { openLesson } from '../app/session.ts'
import { LogoIcon } from './icons.tsx'
import { ImportButton } from './import/ImportButton.tsx'
import { LanguageSwitch } from './LanguageSwitch.tsx'
import { PageLinks } from './pages/PageLinks.tsx'

export function Header() {
  const { t } = useTranslation()
  return (
    <header className="header">
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
      <p className="tagline">{t('app.tagline')}</p>
      <PageLinks />
      <ImportButton />
      <LanguageSwitch />
    </header>
  )
}
