import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { engineReason } from './engine-reasons.ts'

const LESSONS = join(__dirname, '../lessons')

function goldenReasons(): string[] {
  const out = new Set<string>()
  for (const f of readdirSync(LESSONS).filter((n) => n.endsWith('.golden.json'))) {
    const g = JSON.parse(readFileSync(join(LESSONS, f), 'utf8')) as {
      traces?: { reason: string | null }[]
    }
    for (const t of g.traces ?? []) if (t.reason) out.add(t.reason)
  }
  return [...out]
}

describe('engine reasons in the UI language', () => {
  it('keeps the engine wording in English', () => {
    expect(engineReason('underlay has no route', 'en')).toEqual({
      text: 'underlay has no route',
      lang: 'en',
    })
  })

  it('says every fixed reason a lesson ends with in Chinese', () => {
    const reasons = goldenReasons()
    expect(reasons.length).toBeGreaterThan(3)
    for (const r of reasons) {
      const zh = engineReason(r, 'zh-CN')
      expect(zh.lang, r).toBe('zh-CN')
      expect(zh.text).not.toBe(r)
    }
  })

  it('keeps the names of an ExternalName reason', () => {
    const r = 'ExternalName: payments is a CNAME to api.payments.example.com., outside the cluster'
    expect(engineReason(r, 'zh-CN').text).toBe(
      'ExternalName：“payments”是指向集群外“api.payments.example.com.”的 CNAME',
    )
  })

  it('shows a reason it does not know as the engine wrote it, marked English', () => {
    expect(engineReason('something new went wrong', 'zh-CN')).toEqual({
      text: 'something new went wrong',
      lang: 'en',
    })
  })
})
