import { describe, expect, it } from 'vitest'
import { createScoreStore, progress, SCORE_KEY, type StorageLike } from './score-store.ts'

/** localStorage as a map: what one page writes, the next page (a reload) reads. */
function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  }
}

describe('quiz scores in the browser', () => {
  it('survive a reload: a new store on the same storage reads what the last one wrote', () => {
    const storage = memoryStorage()
    const before = createScoreStore(storage)
    before.record('mode2-flannel-vxlan', 'client-to-web/3:where', true, 20)
    before.record('mode2-flannel-vxlan', 'client-to-web/5:arp', false, 20)
    const after = createScoreStore(storage)
    expect(after.get('mode2-flannel-vxlan')).toEqual({
      total: 20,
      right: ['client-to-web/3:where'],
      wrong: ['client-to-web/5:arp'],
    })
    expect(progress(after.get('mode2-flannel-vxlan'))).toBe(1 / 20)
  })

  it('count only the first answer to a question: a retry after a wrong one does not score', () => {
    const s = createScoreStore(memoryStorage())
    s.record('l', 'q1', false, 5)
    s.record('l', 'q1', true, 5)
    s.record('l', 'q2', true, 5)
    s.record('l', 'q2', false, 5)
    expect(s.get('l')).toEqual({ total: 5, right: ['q2'], wrong: ['q1'] })
  })

  it('keep lessons apart, and reset one lesson or all of them', () => {
    const storage = memoryStorage()
    const s = createScoreStore(storage)
    s.record('a', 'q', true, 2)
    s.record('b', 'q', true, 4)
    s.reset('a')
    expect(s.get('a')).toBeNull()
    expect(createScoreStore(storage).get('b')?.right).toEqual(['q'])
    s.reset()
    expect(s.all()).toEqual({})
    expect(storage.data.has(SCORE_KEY)).toBe(false)
    expect(createScoreStore(storage).all()).toEqual({})
  })

  it('are stored under a versioned key, and ignore data they cannot trust', () => {
    const storage = memoryStorage()
    createScoreStore(storage).record('a', 'q', true, 1)
    expect(SCORE_KEY).toMatch(/\/v\d+$/)
    expect(JSON.parse(storage.data.get(SCORE_KEY)!)).toEqual({
      lessons: { a: { total: 1, right: ['q'], wrong: [] } },
    })
    storage.data.set(SCORE_KEY, '{not json')
    expect(createScoreStore(storage).all()).toEqual({})
    storage.data.set(
      SCORE_KEY,
      JSON.stringify({
        lessons: { good: { total: 2, right: [], wrong: ['x'] }, bad: { total: 'x' } },
      }),
    )
    expect(Object.keys(createScoreStore(storage).all())).toEqual(['good'])
  })

  it('still work for the page when storage refuses to read or write', () => {
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {},
    }
    const s = createScoreStore(broken)
    s.record('a', 'q', true, 3)
    expect(s.get('a')?.right).toEqual(['q'])
    expect(createScoreStore(null).all()).toEqual({})
  })

  it('tell subscribers of every change, with a new snapshot each time', () => {
    const s = createScoreStore(memoryStorage())
    let calls = 0
    const stop = s.subscribe(() => calls++)
    const first = s.all()
    s.record('a', 'q', true, 1)
    expect(s.all()).not.toBe(first)
    s.reset()
    stop()
    s.record('a', 'q', true, 1)
    expect(calls).toBe(2)
  })

  it('report progress as the share answered right, none for no score', () => {
    expect(progress(null)).toBe(0)
    expect(progress({ total: 4, right: ['a', 'b'], wrong: ['c'] })).toBe(0.5)
    expect(progress({ total: 0, right: [], wrong: [] })).toBe(0)
  })
})
