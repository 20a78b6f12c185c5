import type { Page } from '@playwright/test'
import { STEP_MS } from '../src/app/store.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import { COURSE_ORIGIN, serveCoursePage, type CoursePage } from './course-page.ts'
import { engineView } from './engine.ts'
import { expect, test } from './fixtures.ts'

const LESSON = 'mode2-flannel-vxlan'
const trace = (() => {
  const engine = engineView(LESSONS.find((l) => l.id === LESSON)!)
  return engine.traceOf(engine.traffic[0]!)
})()

type Got = { origin: string; data: { type: string; [k: string]: unknown } }
const got = (page: Page) => page.evaluate(() => (window as unknown as { got: Got[] }).got)
const send = (page: Page, m: unknown) =>
  page.evaluate((m) => (window as unknown as { send: (m: unknown) => void }).send(m), m)
/** The messages PodPath has posted since `from`, once one of `type` is among them. */
async function waitFor(page: Page, type: string, from = 0): Promise<Got[]> {
  await expect
    .poll(async () => (await got(page)).slice(from).map((g) => g.data.type))
    .toContain(type)
  return (await got(page)).slice(from)
}

let course: CoursePage
test.beforeAll(async () => {
  course = await serveCoursePage()
})
test.afterAll(async () => {
  await course.close()
})

test.describe('a course page on another origin embeds a lesson and drives it by postMessage', () => {
  test('goto, setLanguage, play and pause act, and PodPath tells the page where it is', async ({
    page,
    context,
  }) => {
    const hosts = new Set<string>()
    context.on('request', (r) => hosts.add(new URL(r.url()).hostname))
    await page.clock.install()
    const origin = encodeURIComponent(COURSE_ORIGIN)
    await page.goto(course.url(`/?lesson=${LESSON}&lang=en&embed=1&origin=${origin}`))
    const app = page.frameLocator('#podpath')

    const [ready] = await waitFor(page, 'ready')
    expect(ready).toEqual({
      origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      data: {
        podpath: 1,
        type: 'ready',
        step: 0,
        total: trace.steps.length,
        phase: trace.steps[0]!.phase,
        lesson: LESSON,
        traceStep: 0,
        folded: 0,
        playing: false,
        speed: 1,
        lang: 'en',
        status: 'ready',
      },
    })

    let seen = (await got(page)).length
    await send(page, { podpath: 1, type: 'goto', step: 5 })
    const afterGoto = await waitFor(page, 'step', seen)
    expect(afterGoto.find((g) => g.data.type === 'step')!.data).toEqual({
      podpath: 1,
      type: 'step',
      step: 5,
      total: trace.steps.length,
      phase: trace.steps[5]!.phase,
      lesson: LESSON,
      traceStep: 5,
      folded: 0,
    })
    await expect(app.getByTestId('packet')).toHaveAttribute('data-step', '5')

    await send(page, { podpath: 1, type: 'setLanguage', lang: 'zh-CN' })
    await expect(app.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expect(app.getByRole('button', { name: '下一步' })).toBeVisible()

    // Playback by the page's clock: one step per STEP_MS at 1x.
    seen = (await got(page)).length
    await send(page, { podpath: 1, type: 'play' })
    await expect.poll(async () => (await got(page)).length).toBe(seen)
    await page.clock.runFor(STEP_MS)
    const played = await waitFor(page, 'step', seen)
    expect(played.map((g) => g.data.step)).toEqual([6])
    await send(page, { podpath: 1, type: 'pause' })
    seen = (await got(page)).length
    await page.clock.runFor(5 * STEP_MS)
    await send(page, { podpath: 1, type: 'getState' })
    const state = await waitFor(page, 'state', seen)
    expect(state.map((g) => g.data.type)).toEqual(['state'])
    expect(state[0]!.data).toMatchObject({ step: 6, playing: false, lang: 'zh-CN' })

    // Every request stayed on this machine: the course page and PodPath, nothing else.
    expect([...hosts]).toEqual(['127.0.0.1'])
  })

  test('answers a malformed or unknown message with an error, and changes nothing', async ({
    page,
  }) => {
    const origin = encodeURIComponent(COURSE_ORIGIN)
    await page.goto(course.url(`/?lesson=${LESSON}&lang=en&step=2&origin=${origin}`))
    await waitFor(page, 'ready')
    const seen = (await got(page)).length
    const bad = [
      { podpath: 1, type: 'goto', step: 'five' },
      { podpath: 1, type: 'teleport' },
      { podpath: 2, type: 'next' },
      { podpath: 1, type: 'goto', step: 9999 },
      'next',
    ]
    for (const m of bad) await send(page, m)
    await expect.poll(async () => (await got(page)).length - seen).toBe(bad.length)
    const errors = (await got(page)).slice(seen)
    expect(errors.map((g) => g.data.type)).toEqual(bad.map(() => 'error'))
    expect(errors.map((g) => g.data.request)).toEqual(bad)
    expect(errors.every((g) => typeof g.data.message === 'string')).toBe(true)
    await expect(page.frameLocator('#podpath').locator('.step-list > li').nth(2)).toHaveClass(
      /selected/,
    )
  })

  test('ignores every message from an origin the iframe address does not name', async ({
    page,
  }) => {
    // The page frames PodPath but names another origin than its own.
    const other = encodeURIComponent('http://127.0.0.1:5299')
    await page.goto(course.url(`/?lesson=${LESSON}&lang=en&origin=${other}`))
    const app = page.frameLocator('#podpath')
    await expect(app.locator('.step-list > li').first()).toHaveClass(/selected/)
    for (const m of [
      { podpath: 1, type: 'goto', step: 5 },
      { podpath: 1, type: 'setLanguage', lang: 'zh-CN' },
      { podpath: 1, type: 'getState' },
      { podpath: 1, type: 'nonsense' },
    ])
      await send(page, m)
    // An answer, were there one, would come in well under a second: wait longer, then look.
    await page.waitForTimeout(1500)
    expect(await got(page)).toEqual([])
    await expect(app.locator('.step-list > li').first()).toHaveClass(/selected/)
    await expect(app.locator('html')).toHaveAttribute('lang', 'en')
  })
})
