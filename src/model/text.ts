/** A sentence in every language PodPath speaks. English and Simplified Chinese. */
export interface Text {
  en: string
  'zh-CN': string
}

export type Lang = keyof Text

export const LANGS: readonly Lang[] = ['en', 'zh-CN']

export function text(en: string, zh: string): Text {
  return { en, 'zh-CN': zh }
}
