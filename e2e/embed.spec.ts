import type { Page } from '@playwright/test'
import { STEP_MS } from '../src/app/store.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import { askedIn } from './asked.ts'
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
    // The frame handles messages in order: once it answers getState, the pause has landed, and
    // only then may the clock run on (else the next step can fire before the pause is seen).
    seen = (await got(page)).length
    await send(page, { podpath: 1, type: 'getState' })
    const paused = await waitFor(page, 'state', seen)
    expect(paused.find((g) => g.data.type === 'state')!.data).toMatchObject({
      step: 6,
      playing: false,
    })
    seen = (await got(page)).length
    await page.clock.runFor(5 * STEP_MS)
    await send(page, { podpath: 1, type: 'getState' })
    const state = await waitFor(page, 'state', seen)
    expect(state.map((g) => g.data.type)).toEqual(['state'])
    expect(state[0]!.data).toMatchObject({ step: 6, playing: false, lang: 'zh-CN' })

    // Every request stayed on this machine: the course page and PodPath, nothing else.
    expect([...hosts]).toEqual(['127.0.0.1'])
  })

  test('in predict mode, tells the page each first answer and the score', async ({ page }) => {
    const { asked } = askedIn(LESSON)
    const [q1, q2] = asked.filter((q) => q.step >= 3) as [(typeof asked)[0], (typeof asked)[0]]
    const origin = encodeURIComponent(COURSE_ORIGIN)
    await page.goto(
      course.url(`/?lesson=${LESSON}&step=${q1.step}&lang=en&embed=1&predict=1&origin=${origin}`),
    )
    const app = page.frameLocator('#podpath')
    await waitFor(page, 'ready')
    let seen = (await got(page)).length
    const group = (q: typeof q1) => app.getByRole('group', { name: q.prompt.en, exact: true })
    const label = (q: typeof q1, right: boolean) =>
      q.choices.find((c) => (c.id === q.answer) === right)!.label.en
    await group(q1)
      .getByRole('button', { name: label(q1, true), exact: true })
      .click()
    const first = (await waitFor(page, 'score', seen)).filter((g) => g.data.type !== 'step')
    expect(first.map((g) => g.data)).toEqual([
      {
        podpath: 1,
        type: 'quiz-answer',
        lesson: LESSON,
        question: `${trace.traffic}/${q1.step}:${q1.kind}`,
        correct: true,
      },
      { podpath: 1, type: 'score', lesson: LESSON, right: 1, wrong: 0, total: asked.length },
    ])
    expect(first.every((g) => g.origin.startsWith('http://127.0.0.1:'))).toBe(true)
    // A wrong answer, then the right one: only the first counts and is told.
    await send(page, { podpath: 1, type: 'goto', step: q2.step })
    await expect(group(q2)).toBeVisible()
    seen = (await got(page)).length
    await group(q2)
      .getByRole('button', { name: label(q2, false), exact: true })
      .click()
    await expect(app.getByTestId('predict-result')).toContainText('Not quite.')
    const second = (await waitFor(page, 'score', seen)).filter((g) => g.data.type !== 'step')
    expect(second.map((g) => g.data)).toEqual([
      {
        podpath: 1,
        type: 'quiz-answer',
        lesson: LESSON,
        question: `${trace.traffic}/${q2.step}:${q2.kind}`,
        correct: false,
      },
      { podpath: 1, type: 'score', lesson: LESSON, right: 1, wrong: 1, total: asked.length },
    ])
  })

  test('export: the page gets the graph as SVG text and as a PNG data: URL of the view’s size', async ({
    page,
  }) => {
    const origin = encodeURIComponent(COURSE_ORIGIN)
    await page.goto(course.url(`/?lesson=${LESSON}&step=3&lang=en&embed=1&origin=${origin}`))
    const app = page.frameLocator('#podpath')
    await waitFor(page, 'ready')
    await expect(app.locator('.react-flow__node').first()).toBeVisible()
    let seen = (await got(page)).length
    await send(page, { podpath: 1, type: 'export', format: 'svg' })
    const [svg] = (await waitFor(page, 'export', seen)).filter((g) => g.data.type === 'export')
    const view = await app.locator('.graph-canvas .react-flow').evaluate((e) => {
      const r = e.getBoundingClientRect()
      return { width: Math.round(r.width), height: Math.round(r.height) }
    })
    expect(svg!.data).toMatchObject({
      podpath: 1,
      type: 'export',
      format: 'svg',
      mime: 'image/svg+xml',
      file: `${LESSON}-step-3.svg`,
      ...view,
    })
    // It parses, and holds the packet and the labels of the boxes on screen.
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
      }
    }, svg!.data.data as string)
    expect(parsed.error).toBeNull()
    const packet = await app.getByTestId('packet').locator('.packet-token').innerText()
    expect(parsed.texts).toContain(packet.trim())
    for (const label of ['node-1', 'cni0', 'flannel.1']) expect(parsed.texts).toContain(label)

    seen = (await got(page)).length
    await send(page, { podpath: 1, type: 'export', format: 'png' })
    const [png] = (await waitFor(page, 'export', seen)).filter((g) => g.data.type === 'export')
    expect(png!.data).toMatchObject({ format: 'png', mime: 'image/png', ...view })
    const url = png!.data.data as string
    expect(url.startsWith('data:image/png;base64,')).toBe(true)
    const bytes = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')
    // The PNG signature, then IHDR's width and height (big-endian).
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    expect({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }).toEqual(view)

    // A format PodPath does not draw is an error, and draws nothing.
    seen = (await got(page)).length
    await send(page, { podpath: 1, type: 'export', format: 'gif' })
    const refused = await waitFor(page, 'error', seen)
    expect(refused.map((g) => g.data.type)).toEqual(['error'])
    expect(refused[0]!.data.message).toContain('format must be one of svg, png')
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
