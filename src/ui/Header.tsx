import { useTranslation } from 'react-i18next'
import { openLesson } from '../app/session.ts'
import { LogoIcon } from './icons.tsx'
import { ImportButton } from './import/ImportButton.tsx'
import { LanguageSwitch } from './LanguageSwitch.tsx'

export function Header() {
  const { t } = useTranslation()
  return (
    <header className="header">
      <a
        className="brand"
        href="./"
        onClick={(e) => {
          e.preventDefault()
          void openLesson(null)
        }}
      >
        <LogoIcon />
        <span className="brand-name">{t('app.name')}</span>
      </a>
      <p className="tagline">{t('app.tagline')}</p>
      <ImportButton />
      <LanguageSwitch />
    </header>
  )
}
