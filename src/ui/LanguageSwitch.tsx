import { useTranslation } from 'react-i18next'
import { selectLang, useAppStore } from '../app/store.ts'
import type { Lang } from '../model/text.ts'
import { GlobeIcon } from './icons.tsx'

/** Each language is named in itself, so a learner finds theirs whatever is showing. */
const CHOICES: { lang: Lang; name: string }[] = [
  { lang: 'en', name: 'English' },
  { lang: 'zh-CN', name: '中文' },
]

export function LanguageSwitch() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const setLang = useAppStore((s) => s.setLang)
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      <GlobeIcon />
      {CHOICES.map((c) => (
        <button
          key={c.lang}
          type="button"
          lang={c.lang}
          aria-pressed={lang === c.lang}
          onClick={() => setLang(c.lang)}
        >
          {c.name}
        </button>
      ))}
    </div>
  )
}
