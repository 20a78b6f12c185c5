import { describe, expect, it } from 'vitest'
import { parseUrl } from '../url.ts'
import { embedAddress, embedSnippet, ORIGIN_PLACEHOLDER } from './snippet.ts'

const PAGE = 'https://podpath.example/course/podpath/'

describe('the embed snippet', () => {
  it('keeps the lesson, step, language and switches of the view, in the embed view', () => {
    const a = embedAddress(PAGE, '?lesson=mode3-clusterip&step=7&cni=calico-ipip&lang=zh-CN', '')
    const u = new URL(a)
    expect(u.origin + u.pathname).toBe(PAGE)
    const read = parseUrl(u.search)
    expect(read).toMatchObject({ lesson: 'mode3-clusterip', step: 7, cni: 'calico-ipip' })
    expect(read.lang).toBe('zh-CN')
    expect(read.embed).toBe(true)
    // The placeholder is an origin as the page reads one, so a pasted snippet works as it is.
    expect(read.origins).toEqual([ORIGIN_PLACEHOLDER])
    expect(read.corrections).toEqual([])
    expect(a).toContain(`origin=${ORIGIN_PLACEHOLDER}`)
  })

  it('frames presenter mode and the speaker window as the plain stage, once embedded', () => {
    const a = embedAddress(PAGE, '?lesson=x&present=1&speaker=1&embed=1&origin=https://a.b', '')
    const q = new URL(a).searchParams
    expect(q.get('present')).toBeNull()
    expect(q.get('speaker')).toBeNull()
    expect(q.getAll('embed')).toEqual(['1'])
    expect(q.getAll('origin')).toEqual([ORIGIN_PLACEHOLDER])
  })

  it('asks the questions in the frame when the author wants them, as predict=1', () => {
    const on = embedAddress(PAGE, '?lesson=x&step=3', '', { questions: true })
    expect(parseUrl(new URL(on).search)).toMatchObject({ predict: true, embed: true, step: 3 })
    const off = embedAddress(PAGE, '?lesson=x&predict=1', '', { questions: false })
    expect(parseUrl(new URL(off).search).predict).toBe(false)
    // Not said: as the view on screen has it.
    expect(new URL(embedAddress(PAGE, '?predict=1', '')).searchParams.get('predict')).toBe('1')
  })

  it('keeps an own scenario in the fragment, which no server sees', () => {
    expect(embedAddress(PAGE, '?step=2&lang=en', '#s=abc')).toMatch(/\?step=2&.*#s=abc$/)
  })

  it('writes an iframe whose attributes cannot be broken out of', () => {
    const html = embedSnippet(`${PAGE}?a=1&b="2"`, 'A <b> & "c"', 'en')
    expect(html).toContain('src="https://podpath.example/course/podpath/?a=1&amp;b=&quot;2&quot;"')
    expect(html).toContain('title="PodPath: A &lt;b&gt; &amp; &quot;c&quot;"')
    expect(html).toMatch(/^<iframe\n[\s\S]*width="800"\n {2}height="500"[\s\S]*><\/iframe>$/)
    // Nothing but the escapes: no quote or angle bracket ends an attribute early.
    expect(html.match(/"/g)).toHaveLength(2 * 7)
  })
})
