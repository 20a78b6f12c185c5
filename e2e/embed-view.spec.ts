/**
 * The embed view (issue 13, item 1): `?embed=1` frames the stage's graph, caption and step
 * controls and nothing else, at every frame size from 320x240 up, readable at 800x500, asking
 * nothing of any host but the app's own; the app's "Embed" action copies the iframe for the view
 * on screen; and the build does the same from a sub-path of a static host.
 */
import type { Page } from '@playwright/test'
import { ORIGIN_PLACEHOLDER } from '../src/app/embed/snippet.ts'
import { askedIn } from './asked.ts'
import { APP_ORIGIN } from './course-page.ts'
import { expect, seriousA11yViolations, test } from './fixtures.ts'
import { hopText } from './graph-text.ts'
import { FIRST_VISIT, serveDist, type StaticHost } from './static-host.ts'

const LESSON = 'mode2-flannel-vxlan'
const SIZES = [
  { width: 320, height: 240 },
  { width: 800, height: 500 },
  { width: 1280, height: 720 },
] as const

/** Every request the page makes, by its whole address. */
function recordRequests(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (r) => urls.push(r.url()))
  return urls
}

const { asked } = askedIn(LESSON)

/** Whether a box lies wholly inside the window. */
const inWindow = (b: { x: number; y: number; width: number; height: number } | null, page: Page) =>
  !!b &&
  b.x >= 0 &&
  b.y >= 0 &&
  b.x + b.width <= page.viewportSize()!.width + 0.5 &&
  b.y + b.height <= page.viewportSize()!.height + 0.5

test.describe('the embed view', () => {
  for (const size of SIZES)
    for (const lang of ['en', 'zh-CN'] as const)
      test(`at ${size.width}x${size.height} in ${lang}: the graph, the caption and the step controls, nothing else, and no other host`, async ({
        page,
      }, info) => {
        const urls = recordRequests(page)
        await page.setViewportSize(size)
        await page.goto(`${APP_ORIGIN}/?lesson=${LESSON}&step=5&lang=${lang}&embed=1`)
        const graph = page.getByRole('figure', { name: lang === 'en' ? /Cluster graph/ : /集群图/ })
        await expect(graph).toBeVisible()
        await expect(page.getByTestId('packet')).toBeVisible()
        // The stage's chrome is not there: no bar, no lesson list, no drawer, no step list.
        await expect(page.getByRole('banner')).toHaveCount(0)
        await expect(page.locator('.tree')).toHaveCount(0)
        await expect(page.locator('.stage-drawer')).toHaveCount(0)
        await expect(page.locator('.step-list')).toHaveCount(0)
        // The caption and the step buttons, on screen, and the page does not scroll.
        const caption = page.locator('.stage-caption')
        await expect(caption).toBeVisible()
        await expect(caption).toContainText(lang === 'en' ? 'node-1' : '节点')
        const next = page.getByRole('button', { name: lang === 'en' ? 'Next step' : '下一步' })
        const play = page.locator('.playback button.play')
        for (const b of [next, play, graph, caption])
          expect(inWindow(await b.boundingBox(), page), 'inside the frame').toBe(true)
        const scroll = await page.evaluate(() => ({
          x: document.documentElement.scrollWidth - window.innerWidth,
          y: document.documentElement.scrollHeight - window.innerHeight,
        }))
        expect(scroll).toEqual({ x: 0, y: 0 })
        // The graph and the caption do not overlap, nor the caption the controls.
        const g = (await graph.boundingBox())!
        const c = (await caption.boundingBox())!
        const overlapX = Math.min(g.x + g.width, c.x + c.width) - Math.max(g.x, c.x)
        const overlapY = Math.min(g.y + g.height, c.y + c.height) - Math.max(g.y, c.y)
        expect(overlapX <= 1 || overlapY <= 1, 'graph and caption apart').toBe(true)

        // The step buttons step, as the keys do.
        await next.click()
        await expect(page.getByTestId('packet')).toHaveAttribute('data-step', '6')
        await page.keyboard.press('ArrowLeft')
        await expect(page.getByTestId('packet')).toHaveAttribute('data-step', '5')

        // Export, beside the step controls where the frame has room for it (800x500 and up).
        const exportSvg = page.getByRole('button', { name: /^SVG/ })
        if (size.width >= 800) {
          expect(inWindow(await exportSvg.boundingBox(), page), 'export in the frame').toBe(true)
          const saved = page.waitForEvent('download')
          await exportSvg.click()
          expect((await saved).suggestedFilename()).toBe(`${LESSON}-step-5.svg`)
        } else await expect(exportSvg).toBeHidden()

        const text = await hopText(page)
        console.log(
          `embed ${size.width}x${size.height} ${lang}: graph text ${text.min.toFixed(1)}-${text.max.toFixed(1)} px (zoom ${text.zoom.toFixed(2)})`,
        )
        if (size.width >= 800) expect(text.min).toBeGreaterThanOrEqual(11)
        await page.screenshot({
          path: info.outputPath(`embed-${size.width}x${size.height}-${lang}.png`),
        })
        expect(await seriousA11yViolations(page)).toEqual([])

        // Every request went to the app's own origin and nowhere else.
        expect(urls.length).toBeGreaterThan(3)
        expect(urls.filter((u) => !u.startsWith(`${APP_ORIGIN}/`))).toEqual([])
      })

  for (const size of SIZES)
    for (const lang of ['en', 'zh-CN'] as const)
      test(`at ${size.width}x${size.height} in ${lang}: predict mode asks its questions in the frame`, async ({
        page,
      }, info) => {
        const urls = recordRequests(page)
        await page.setViewportSize(size)
        const [q1, q2] = asked.filter((q) => q.step >= 3)
        await page.goto(
          `${APP_ORIGIN}/?lesson=${LESSON}&step=${q1!.step}&lang=${lang}&embed=1&predict=1`,
        )
        const graph = page.getByRole('figure', { name: lang === 'en' ? /Cluster graph/ : /集群图/ })
        await expect(page.getByTestId('packet')).toHaveAttribute('data-step', String(q1!.step))
        const question = page.getByRole('group', { name: q1!.prompt[lang], exact: true })
        await expect(question).toBeVisible()
        await expect(question).toBeFocused()
        // The question, its first choice, the graph and the step buttons are in the frame, the
        // graph keeps a quarter of it or more, and the page does not scroll (the question may).
        const first = question.getByRole('button', { name: q1!.choices[0]!.label[lang] })
        const next = page.getByRole('button', { name: lang === 'en' ? 'Next step' : '下一步' })
        for (const b of [question.locator('legend'), first, graph, next])
          expect(inWindow(await b.boundingBox(), page), 'inside the frame').toBe(true)
        const g = (await graph.boundingBox())!
        expect(g.height * g.width).toBeGreaterThan((size.width * size.height) / 4)
        const panel = (await page.getByTestId('predict').boundingBox())!
        const overlapX = Math.min(g.x + g.width, panel.x + panel.width) - Math.max(g.x, panel.x)
        const overlapY = Math.min(g.y + g.height, panel.y + panel.height) - Math.max(g.y, panel.y)
        expect(overlapX <= 1 || overlapY <= 1, 'graph and question apart').toBe(true)
        const scroll = async () =>
          page.evaluate(() => ({
            x: document.documentElement.scrollWidth - window.innerWidth,
            y: document.documentElement.scrollHeight - window.innerHeight,
          }))
        expect(await scroll()).toEqual({ x: 0, y: 0 })
        // Readable: the question's text and its choices at 12 px or more.
        const px = await page
          .locator('.stage-predict legend, .stage-predict .predict-choice-text')
          .evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)))
        expect(Math.min(...px)).toBeGreaterThanOrEqual(12)
        await page.screenshot({
          path: info.outputPath(`embed-predict-${size.width}x${size.height}-${lang}.png`),
        })
        expect(await seriousA11yViolations(page)).toEqual([])

        // A wrong answer stays and says why; "show the next step" moves on; a right one moves on.
        const wrong = q1!.choices.find((c) => c.id !== q1!.answer)!
        await question.getByRole('button', { name: wrong.label[lang], exact: true }).click()
        const result = page.getByTestId('predict-result')
        await expect(result).toContainText(lang === 'en' ? 'Not quite.' : '不对。')
        await page.screenshot({
          path: info.outputPath(`embed-predict-wrong-${size.width}x${size.height}-${lang}.png`),
        })
        expect(await scroll()).toEqual({ x: 0, y: 0 })
        await result
          .getByRole('button', { name: lang === 'en' ? 'Show the next step' : '显示下一步' })
          .click()
        await expect(page.getByTestId('packet')).toHaveAttribute('data-step', String(q1!.reveals))
        if (q2!.step !== q1!.reveals)
          await page.goto(page.url().replace(/step=\d+/, `step=${q2!.step}`))
        const second = page.getByRole('group', { name: q2!.prompt[lang], exact: true })
        const right = q2!.choices.find((c) => c.id === q2!.answer)!
        await second.getByRole('button', { name: right.label[lang], exact: true }).click()
        await expect(page.getByTestId('packet')).toHaveAttribute('data-step', String(q2!.reveals))
        await expect(page.getByTestId('predict-score-panel')).toBeVisible()
        await expect(page.getByTestId('predict-score-panel')).toContainText('1/2')
        expect(await scroll()).toEqual({ x: 0, y: 0 })
        expect(await seriousA11yViolations(page)).toEqual([])

        expect(urls.filter((u) => !u.startsWith(`${APP_ORIGIN}/`))).toEqual([])
      })

  for (const size of SIZES.slice(0, 2))
    for (const lang of ['en', 'zh-CN'] as const)
      test(`at ${size.width}x${size.height} in ${lang}: the frame says it is offline, compactly, clear of the controls`, async ({
        page,
        context,
      }, info) => {
        await page.setViewportSize(size)
        await page.goto(`${APP_ORIGIN}/?lesson=${LESSON}&step=5&lang=${lang}&embed=1`)
        await expect(page.getByTestId('packet')).toBeVisible()
        // Saved in this browser (the service worker holds the app): the offline word says so.
        await page.evaluate(() => navigator.serviceWorker.ready)
        const status = page.getByRole('status', {
          name: lang === 'en' ? 'PodPath status' : 'PodPath 状态',
        })
        await expect(status).toBeEmpty()
        await context.setOffline(true)
        const offline = status.locator('.status-offline')
        await expect(offline).toHaveText(
          lang === 'en'
            ? 'Offline: working from this browser’s copy'
            : '离线：使用本浏览器中的副本',
        )
        await expect(offline).toHaveAttribute(
          'title',
          lang === 'en'
            ? 'You are offline. PodPath and every lesson keep working from the copy in this browser.'
            : '你已离线。PodPath 和所有课程仍可通过本浏览器中保存的副本继续使用。',
        )
        // One line in the frame, clear of the step buttons and the caption; the page does not
        // scroll, and the frame still steps.
        const box = (await offline.boundingBox())!
        expect(inWindow(box, page)).toBe(true)
        expect(box.height).toBeLessThan(30)
        const next = page.getByRole('button', { name: lang === 'en' ? 'Next step' : '下一步' })
        for (const other of [next, page.locator('.stage-caption')]) {
          const o = (await other.boundingBox())!
          const apart =
            o.x >= box.x + box.width ||
            box.x >= o.x + o.width ||
            o.y >= box.y + box.height ||
            box.y >= o.y + o.height
          expect(apart, 'status clear of the controls and the caption').toBe(true)
        }
        await next.click()
        await expect(page.getByTestId('packet')).toHaveAttribute('data-step', '6')
        await page.screenshot({
          path: info.outputPath(`embed-offline-${size.width}x${size.height}-${lang}.png`),
        })
        expect(await seriousA11yViolations(page)).toEqual([])
        await context.setOffline(false)
        await expect(status).toBeEmpty()
      })

  test('"Embed" copies the iframe for this lesson, step, language and switches', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.goto(`${APP_ORIGIN}/?lesson=${LESSON}&step=6&cni=flannel-host-gw&lang=zh-CN`)
    await expect(page.getByTestId('packet')).toBeVisible()
    await page.getByRole('button', { name: '分享' }).click()
    await page.getByRole('button', { name: '嵌入', exact: true }).click()
    await expect(page.getByText('嵌入代码已复制')).toBeVisible()
    await expect(page.getByText(`请把 origin= 中的 ${ORIGIN_PLACEHOLDER}`)).toBeVisible()
    expect(await seriousA11yViolations(page)).toEqual([])
    const snippet = await page.evaluate(() => navigator.clipboard.readText())
    await expect(page.getByRole('textbox', { name: '当前视图的嵌入代码' })).toHaveValue(snippet)
    // Read here, not in the page: its CSP refuses the snippet's inline style even in a parser.
    const attr = (name: string, html = snippet) =>
      html
        .match(new RegExp(`\\s${name}="([^"]*)"`))![1]!
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
    expect(snippet).toMatch(/^<iframe\n[\s\S]*><\/iframe>$/)
    const frame = {
      src: attr('src'),
      title: attr('title'),
      width: attr('width'),
      height: attr('height'),
    }
    expect(frame).toMatchObject({ width: '800', height: '500' })
    expect(frame.title).toMatch(/^PodPath：/)
    const src = new URL(frame.src)
    expect(src.origin).toBe(APP_ORIGIN)
    expect(Object.fromEntries(src.searchParams)).toMatchObject({
      lesson: LESSON,
      step: '6',
      cni: 'flannel-host-gw',
      lang: 'zh-CN',
      embed: '1',
      origin: ORIGIN_PLACEHOLDER,
    })
    expect(src.searchParams.get('predict')).toBeNull()
    // "With questions": the code again, in predict mode, copied again.
    const withQuestions = page.getByRole('checkbox', { name: '带问题（预测模式）' })
    await expect(withQuestions).not.toBeChecked()
    await withQuestions.check()
    const field = page.getByRole('textbox', { name: '当前视图的嵌入代码' })
    await expect(field).toHaveValue(/predict=1&amp;embed=1/)
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toMatch(/predict=1/)
    const asked = new URL(attr('src', await field.inputValue()))
    expect(asked.searchParams.get('step')).toBe('6')
    // The snippet's address opens the embed view at the same step, with its question.
    await page.goto(asked.href)
    await expect(page.getByRole('banner')).toHaveCount(0)
    await expect(page.getByTestId('packet')).toHaveAttribute('data-step', '6')
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expect(page.getByTestId('predict')).toBeVisible()
  })
})

test.describe('the embed view from a sub-path of a static host', () => {
  let host: StaticHost
  test.beforeAll(async () => {
    host = await serveDist('/course/podpath/')
  })
  test.afterAll(async () => {
    await host.close()
  })

  test('opens, steps, and asks nothing outside its folder', async ({ page }) => {
    const urls = recordRequests(page)
    await page.setViewportSize({ width: 800, height: 500 })
    await page.goto(`${host.url}?lesson=${LESSON}&lang=en&embed=1`)
    await expect(page.getByRole('figure', { name: /Cluster graph/ })).toBeVisible(FIRST_VISIT)
    await expect(page.getByTestId('packet')).toHaveAttribute('data-step', '0')
    await page.keyboard.press('PageDown')
    await expect(page.getByTestId('packet')).toHaveAttribute('data-step', '1')
    await expect(page.locator('.stage-caption')).toBeVisible()
    await expect(page.getByRole('banner')).toHaveCount(0)
    expect(host.missing).toEqual([])
    expect(urls.filter((u) => !u.startsWith(host.url))).toEqual([])
  })
})
