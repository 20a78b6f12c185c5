import { describe, expect, it } from 'vitest'
import { dismissUrlNotices, openLesson } from './session.ts'
import { useAppStore } from './store.ts'
import { parseUrl } from './url.ts'

// No Worker in Node: the session's engine client runs the same handler in-process.

/** Opens what `search` names, as src/main.tsx does on load. */
async function openAddress(search: string) {
  const url = parseUrl(search)
  await openLesson(url.lesson, {
    traffic: url.traffic,
    step: url.step,
    connection: url.connection,
    cni: url.cni,
    proxy: url.proxy,
    url,
  })
  return useAppStore.getState()
}

describe('a lesson opened from an address the page cannot take as written', () => {
  it('opens the landing map for an unknown lesson, and says so and what else it did not use', async () => {
    const s = await openAddress('?lesson=nosuch&step=3&conn=2&lang=en')
    expect(s.lessonId).toBeNull()
    expect(s.status).toBe('idle')
    expect(s.urlNotices).toEqual([
      { param: 'lesson', given: 'nosuch', now: null, reason: 'unknown' },
      { param: 'step', given: '3', now: null, reason: 'noLesson' },
      { param: 'conn', given: '2', now: null, reason: 'noLesson' },
    ])
  })

  it('follows the first request for one the lesson does not have, and names it', async () => {
    const s = await openAddress('?lesson=mode2-same-node&traffic=nosuch')
    expect(s.selectedTraffic).toBe('client-to-web')
    expect(s.urlNotices).toEqual([
      { param: 'traffic', given: 'nosuch', now: 'client-to-web', reason: 'notInLesson' },
    ])
  })

  it('shows the last step for one past the end, and the last connection for conn=999', async () => {
    const s = await openAddress('?lesson=mode2-same-node&step=500&conn=999')
    expect(s.connection).toBe(64)
    const last = s.trace!.steps.length - 1
    expect(s.step).toBe(last)
    expect(s.urlNotices).toEqual([
      { param: 'conn', given: '999', now: '64', reason: 'range' },
      { param: 'step', given: '500', now: String(last), reason: 'range' },
    ])
  })

  it('runs a lesson as written for a switch it does not offer, and says which', async () => {
    const s = await openAddress('?lesson=mode3-hairpin&cni=calico-bgp&proxy=nftables')
    expect([s.cniSwitch, s.proxySwitch]).toEqual([null, 'nftables'])
    expect(s.urlNotices).toEqual([
      { param: 'cni', given: 'calico-bgp', now: null, reason: 'notOffered' },
    ])
  })

  it('says nothing about an address it takes as written', async () => {
    const s = await openAddress('?lesson=mode2-same-node&traffic=web-to-itself&step=1&conn=2')
    expect(s.selectedTraffic).toBe('web-to-itself')
    expect(s.step).toBe(1)
    expect(s.urlNotices).toEqual([])
  })

  it('keeps the notices until dismissed or until another lesson opens', async () => {
    await openAddress('?lesson=mode2-same-node&traffic=nosuch')
    dismissUrlNotices()
    expect(useAppStore.getState().urlNotices).toEqual([])
    await openAddress('?lesson=mode2-same-node&traffic=nosuch')
    await openLesson('mode2-docker0')
    expect(useAppStore.getState().urlNotices).toEqual([])
  })

  it('does not bring back a notice dismissed while the lesson still loads', async () => {
    const url = parseUrl('?lesson=mode2-same-node&lang=fr&traffic=nosuch')
    const opening = openLesson(url.lesson, { traffic: url.traffic, url })
    // The language's notice shows at once, before the engine has the lesson.
    expect(useAppStore.getState().urlNotices.map((n) => n.param)).toEqual(['lang'])
    dismissUrlNotices()
    await opening
    // What was read stays closed; what the load found later (no such request) is news.
    expect(useAppStore.getState().urlNotices.map((n) => n.param)).toEqual(['traffic'])
  })
})
