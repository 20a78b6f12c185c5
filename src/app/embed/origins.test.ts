import { describe, expect, it } from 'vitest'
import { parseOrigins } from './origins.ts'

describe('the origins an embedding page names (origin=)', () => {
  it('takes a comma-separated list of origins as the browser writes them', () => {
    expect(parseOrigins('https://course.example,https://lms.example')).toEqual({
      ok: true,
      origins: ['https://course.example', 'https://lms.example'],
    })
    expect(parseOrigins('http://127.0.0.1:5219')).toEqual({
      ok: true,
      origins: ['http://127.0.0.1:5219'],
    })
  })

  it.each([
    ['a wildcard', '*'],
    ['the opaque origin', 'null'],
    ['a trailing slash', 'https://course.example/'],
    ['a path', 'https://course.example/lesson'],
    ['a default port written out', 'https://course.example:443'],
    ['upper case', 'https://Course.example'],
    ['another scheme', 'file:///home/me'],
    ['a space after the comma', 'https://a.example, https://b.example'],
    ['an empty entry', 'https://a.example,'],
    ['nothing', ''],
    ['a host alone', 'course.example'],
  ])('refuses the whole list for %s, naming the entry', (_, param) => {
    const parsed = parseOrigins(param)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(param.split(',')).toContain(parsed.bad)
  })
})
