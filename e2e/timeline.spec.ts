import type { Page } from '@playwright/test'
import { LESSONS } from '../src/lessons/catalog.ts'
import { summarize } from '../src/sim/summary.ts'
import { graphExtras } from '../src/ui/graph/extras.ts'
import { layoutCluster } from '../src/ui/graph/layout.ts'
import { boxIds, locate } from '../src/ui/graph/locate.ts'
import { phaseBands, stepCentre, stepMark } from '../src/ui/playback/timeline.ts'
import { engineView } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const CAPSTONE = 'mode4-capstone'

/** The engine's trace of a lesson's first request, and where the graph puts each step. */
function lessonTrace(id: string) {
  const lesson = LESSONS.find((l) => l.id === id)!
  const engine = engineView(lesson)
  const trace = engine.traceOf(engine.traffic[0]!)
  const cluster = summarize(engine.cluster!)
  const ids = boxIds(layoutCluster(cluster, graphExtras(cluster, trace)))
  return { lesson, trace, places: trace.steps.map((s) => locate(s.at, ids)!) }
}

/**
 * The middle of step `at`'s tick on the bar of `count` steps (ticks let the pointer through to the
 * bar; a marked step's tick is hidden behind its mark, so the point comes from the bar's box).
 */
async function tickPoint(page: Page, at: number, count: number) {
  const box = (await page.getByTestId('timeline').boundingBox())!
  return { x: box.x + (box.width * stepCentre(at, count)) / 100, y: box.y + box.height * 0.7 }
}

test.describe('the phase timeline under the graph', () => {
  test('shows the capstone phases in order, a tick per step and its marks', async ({ page }) => {
    const { trace } = lessonTrace(CAPSTONE)
    await page.goto(`/?lesson=${CAPSTONE}&lang=en`)
    const slider = page.getByRole('slider', { name: 'Timeline of the steps' })
    await expect(slider).toBeVisible()
    const bands = phaseBands(trace.steps).map((b) => b.phase)
    expect(bands).toEqual(['dns', 'request', 'reply'])
    await expect(slider.locator('.timeline-band')).toHaveCount(bands.length)
    for (const [i, phase] of bands.entries())
      await expect(slider.locator('.timeline-band').nth(i)).toHaveAttribute('data-phase', phase)
    await expect(slider.locator('.timeline-band-label')).toHaveText(['DNS', 'request', 'reply'])
    await expect(slider.locator('.timeline-tick')).toHaveCount(trace.steps.length)
    const marked = trace.steps.filter((s) => stepMark(s.action) !== null).length
    expect(marked).toBeGreaterThan(0)
    await expect(slider.locator('[data-mark]')).toHaveCount(marked)
    const proxies = trace.steps.flatMap((s, i) => (stepMark(s.action) === 'proxy' ? [i] : []))
    await expect(slider.locator('[data-mark="proxy"]')).toHaveCount(proxies.length)
    await expect(slider.locator('[data-mark="proxy"]').first()).toHaveAttribute(
      'data-step',
      String(proxies[0]),
    )
    await expect(slider).toHaveAttribute('aria-valuemax', String(trace.steps.length))
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  test('jumps to a step when a tick is clicked, and scrubs when dragged', async ({ page }) => {
    const { trace, places } = lessonTrace(CAPSTONE)
    await page.goto(`/?lesson=${CAPSTONE}&lang=en`)
    const slider = page.getByRole('slider', { name: 'Timeline of the steps' })
    const graph = page.getByRole('figure', { name: /Cluster graph/ })
    await expect(graph).toBeVisible()
    await slider.scrollIntoViewIfNeeded()
    const at = 20
    const proxy = trace.steps.findIndex((x) => stepMark(x.action) === 'proxy')
    const m = await tickPoint(page, proxy, trace.steps.length)
    await page.mouse.click(m.x, m.y)
    await expect(slider).toHaveAttribute('aria-valuenow', String(proxy + 1))
    await expect(graph.locator('.is-current')).toHaveAttribute('data-box', places[proxy]!)
    const p = await tickPoint(page, at, trace.steps.length)
    await page.mouse.click(p.x, p.y)
    await expect(slider).toHaveAttribute('aria-valuenow', String(at + 1))
    await expect.poll(() => param(page, 'step')).toBe(String(at))
    await expect(page.locator('.step-list > li').nth(at)).toHaveClass(/selected/)
    await expect(graph.locator('.is-current')).toHaveAttribute('data-box', places[at]!)
    await expect(page.getByTestId('playback-position')).toContainText(
      `(${at + 1} of ${trace.steps.length})`,
    )

    const from = await tickPoint(page, 3, trace.steps.length)
    const to = await tickPoint(page, 35, trace.steps.length)
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 })
    await page.mouse.move(to.x, to.y, { steps: 4 })
    await page.mouse.up()
    await expect(slider).toHaveAttribute('aria-valuenow', '36')
    await expect(graph.locator('.is-current')).toHaveAttribute('data-box', places[35]!)
  })

  test('answers the arrow keys, Shift+Page Up/Down by phase, Home and End', async ({ page }) => {
    const { trace } = lessonTrace(CAPSTONE)
    const n = trace.steps.length
    const bands = phaseBands(trace.steps)
    await page.goto(`/?lesson=${CAPSTONE}&lang=en`)
    const slider = page.getByRole('slider', { name: 'Timeline of the steps' })
    await slider.focus()
    await expect(slider).toHaveAttribute('aria-valuenow', '1')
    await expect(slider).toHaveAttribute('aria-valuetext', `Step 0 (1 of ${n}): DNS, DNS query`)
    await page.keyboard.press('ArrowRight')
    await expect(slider).toHaveAttribute('aria-valuenow', '2')
    await page.keyboard.press('ArrowUp')
    await expect(slider).toHaveAttribute('aria-valuenow', '3')
    await page.keyboard.press('ArrowLeft')
    await expect(slider).toHaveAttribute('aria-valuenow', '2')
    await expect.poll(() => param(page, 'step')).toBe('1')
    await page.keyboard.press('Shift+PageDown')
    await expect(slider).toHaveAttribute('aria-valuenow', String(bands[1]!.start + 1))
    await expect(slider).toHaveAttribute('aria-valuetext', new RegExp(`: request, `))
    // Page Down alone is one step, as a presentation clicker means it, on the slider too.
    await page.keyboard.press('PageDown')
    await expect(slider).toHaveAttribute('aria-valuenow', String(bands[1]!.start + 2))
    await page.keyboard.press('Shift+PageUp')
    await expect(slider).toHaveAttribute('aria-valuenow', String(bands[1]!.start + 1))
    await page.keyboard.press('End')
    await expect(slider).toHaveAttribute('aria-valuenow', String(n))
    await expect(page.locator('.step-list > li').last()).toHaveClass(/selected/)
    await page.keyboard.press('Home')
    await expect(slider).toHaveAttribute('aria-valuenow', '1')
    await expect(slider).toBeFocused()
  })

  test('names its phases and marks in Chinese', async ({ page }) => {
    await page.goto(`/?lesson=${CAPSTONE}&lang=zh-CN`)
    const slider = page.getByRole('slider', { name: '步骤时间线' })
    await expect(slider.locator('.timeline-band-label')).toHaveText(['DNS', '请求', '应答'])
    await expect(slider).toHaveAttribute('aria-valuetext', /^第 0 步（1 \/ \d+）：DNS，DNS 查询$/)
    await expect(page.getByRole('list', { name: '时间线上的标记' })).toContainText('经过代理')
    expect(await seriousA11yViolations(page)).toEqual([])
  })
})

test.describe('filtering the step list', () => {
  test('by phase DNS shows only the DNS steps, with counts that match the trace', async ({
    page,
  }) => {
    const { trace } = lessonTrace(CAPSTONE)
    const n = trace.steps.length
    const dns = trace.steps.flatMap((s, i) => (s.phase === 'dns' ? [i] : []))
    await page.goto(`/?lesson=${CAPSTONE}&lang=en`)
    const filter = page.getByRole('group', { name: 'Filter the steps' })
    for (const phase of ['dns', 'request', 'reply'] as const)
      await expect(filter.getByTestId(`filter-phase-${phase}`)).toHaveAttribute(
        'data-count',
        String(trace.steps.filter((s) => s.phase === phase).length),
      )
    const steps = page.locator('.step-list > li')
    await expect(steps).toHaveCount(n)

    const chip = filter.getByRole('button', { name: /^DNS \d+$/ })
    await chip.click()
    await expect(chip).toHaveAttribute('aria-pressed', 'true')
    await expect(steps).toHaveCount(dns.length)
    for (let i = 0; i < dns.length; i++) {
      await expect(steps.nth(i)).toHaveClass(/phase-dns/)
      await expect(steps.nth(i).locator('.step-index')).toHaveText(
        String(trace.steps[dns[i]!]!.index),
      )
    }
    await expect(page.getByTestId('filter-status')).toContainText(
      `Showing ${dns.length} of ${n} steps`,
    )

    // The rows stay clickable, and the keys move among the steps shown.
    await steps.last().getByRole('button').click()
    await expect.poll(() => param(page, 'step')).toBe(String(dns.at(-1)))
    await page.keyboard.press('Home')
    await expect.poll(() => param(page, 'step')).toBe(String(dns[0]))
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => param(page, 'step')).toBe(String(dns[1]))
    await expect(steps.nth(1).getByRole('button')).toBeFocused()
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  test('filters by action, and says when the selected step is hidden', async ({ page }) => {
    const { trace } = lessonTrace(CAPSTONE)
    const n = trace.steps.length
    const routes = trace.steps.flatMap((s, i) => (s.action === 'route' ? [i] : []))
    const selected = trace.steps.findIndex((s) => s.action === 'proxy')
    await page.goto(`/?lesson=${CAPSTONE}&lang=en&step=${selected}`)
    const filter = page.getByRole('group', { name: 'Filter the steps' })
    const route = filter.getByTestId('filter-action-route')
    await expect(route).toHaveAttribute('data-count', String(routes.length))
    await route.click()
    const steps = page.locator('.step-list > li')
    await expect(steps).toHaveCount(routes.length)
    await expect(steps.locator('.action')).toHaveText(routes.map(() => 'route'))
    await expect(page.getByTestId('step-hidden')).toContainText(
      `The selected step ${trace.steps[selected]!.index} is hidden by the filter.`,
    )
    await page.getByRole('button', { name: 'Show all steps' }).click()
    await expect(steps).toHaveCount(n)
    await expect(page.getByTestId('step-hidden')).toHaveCount(0)
    await expect(steps.nth(selected)).toHaveClass(/selected/)
  })

  test('starts again with every step when another lesson opens', async ({ page }) => {
    const other = lessonTrace('mode3-dns-search')
    await page.goto(`/?lesson=${CAPSTONE}&lang=en`)
    await page.getByTestId('filter-phase-reply').click()
    await expect(page.getByTestId('filter-status')).toBeVisible()
    const tree = page.getByRole('navigation', { name: 'Cluster networking' })
    await tree.getByRole('button', { name: 'Show the lessons' }).click()
    await tree.getByRole('link', { name: other.lesson.title.en }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(other.lesson.title.en)
    await expect(page.locator('.step-list > li')).toHaveCount(other.trace.steps.length)
    await expect(page.getByTestId('filter-status')).toHaveCount(0)
    await expect(page.getByTestId('filter-phase-reply')).toHaveAttribute('aria-pressed', 'false')
  })
})
