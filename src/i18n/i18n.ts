/**
 * i18next with the two languages PodPath speaks. The store's `lang` is the one source of truth;
 * src/ui/App.tsx passes it on with changeLanguage.
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Lang } from '../model/text.ts'
import { en } from './en.ts'
import { zhCN } from './zh-CN.ts'

export function initI18n(lang: Lang): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    lng: lang,
    fallbackLng: 'en',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  return i18next
}

/**
 * The language to start in: the URL's; else the first of the browser's languages that PodPath
 * speaks (any Chinese reads Simplified Chinese); else English.
 */
export function detectLang(fromUrl: Lang | null, browser: readonly string[]): Lang {
  if (fromUrl) return fromUrl
  for (const l of browser) {
    const tag = l.toLowerCase()
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return 'en'
}
