/**
 * i18next with the two languages PodPath speaks. The store's `lang` is the one source of truth;
 * src/ui/App.tsx passes it on with changeLanguage.
 *
 * Each language's strings are a chunk of their own: a page loads the language it starts in before
 * its first render (index.html preloads both), and the other once its first lesson is on screen
 * (src/main.tsx), so that a switch finds it there.
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Lang } from '../model/text.ts'
import type { Resources } from './en.ts'

const STRINGS: Record<Lang, () => Promise<Resources>> = {
  en: () => import('./en.ts').then((m) => m.en),
  'zh-CN': () => import('./zh-CN.ts').then((m) => m.zhCN),
}

/** Starts i18next in `lang`, once its strings have arrived. */
export async function initI18n(lang: Lang): Promise<typeof i18next> {
  const strings = await STRINGS[lang]()
  void i18next.use(initReactI18next).init({
    resources: { [lang]: { translation: strings } },
    lng: lang,
    fallbackLng: 'en',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  return i18next
}

/** Whether i18next holds the strings of `lang` (so that changeLanguage can switch at once). */
export function hasStrings(lang: Lang): boolean {
  return i18next.hasResourceBundle(lang, 'translation')
}

/** Adds the strings of `lang` to i18next, downloading them if they are not there yet. */
export async function loadStrings(lang: Lang): Promise<void> {
  if (hasStrings(lang)) return
  const strings = await STRINGS[lang]()
  if (!hasStrings(lang)) i18next.addResourceBundle(lang, 'translation', strings)
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
