import { describe, expect, it } from 'vitest'
import { en } from './en.ts'
import { detectLang } from './i18n.ts'
import { zhCN } from './zh-CN.ts'

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('choosing the language', () => {
  it('takes the language in the URL first', () => {
    expect(detectLang('en', ['zh-CN'])).toBe('en')
    expect(detectLang('zh-CN', ['en-US'])).toBe('zh-CN')
  })

  it('reads any Chinese the browser prefers as Simplified Chinese', () => {
    expect(detectLang(null, ['zh-TW', 'en'])).toBe('zh-CN')
    expect(detectLang(null, ['ja', 'zh', 'en'])).toBe('zh-CN')
  })

  it('keeps English when the browser prefers it, or speaks neither', () => {
    expect(detectLang(null, ['en-GB', 'zh-CN'])).toBe('en')
    expect(detectLang(null, ['fr'])).toBe('en')
    expect(detectLang(null, [])).toBe('en')
  })
})

describe('UI strings', () => {
  it('exist in both languages under the same keys, none left empty', () => {
    expect(keys(zhCN)).toEqual(keys(en))
    for (const k of keys(zhCN)) {
      const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zhCN)
      expect(v, k).not.toBe('')
    }
  })
})
