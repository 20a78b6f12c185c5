import { LESSONS, MODES } from '../src/lessons/catalog.ts'
import { traceJson } from '../src/model/trace.ts'
import { engineView, lessonFileExists } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const byId = (id: string) => {
  const lesson = LESSONS.find((l) => l.id === id)
  if (!lesson) throw new Error(`no lesson ${id} in the catalog`)
  return lesson
}

test.describe('the landing screen', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`maps the four modes and passes axe (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme })
      await page.goto('/?lang=en')
      const tree = page.getByRole('navigation', { name: 'Cluster networking' })
      for (const m of MODES) {
        const branch = tree.getByRole('listitem').filter({
          has: page.getByRole('heading', { name: m.title.en }),
        })
        await expect(branch).toHaveCount(1)
        // A mode without lessons yet is listed, greyed, as coming later.
        const later = !LESSONS.some((l) => l.mode === m.mode)
        await expect(branch.getByText('Coming in a later version')).toHaveCount(later ? 1 : 0)
      }
      expect(await seriousA11yViolations(page)).toEqual([])
    })
  }

  test('opens a lesson from the tree and puts it in the URL', async ({ page }) => {
    await page.goto('/?lang=en')
    const lesson = LESSONS.find(lessonFileExists)!
    const tree = page.getByRole('navigation', { name: 'Cluster networking' })
    await tree.getByRole('link', { name: lesson.title.en }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
    await expect.poll(() => param(page, 'lesson')).toBe(lesson.id)
  })
})

test.describe('a browser that prefers Chinese', () => {
  test.use({ locale: 'zh-CN' })

  test('is spoken to in Chinese', async ({ page }) => {
    await page.goto('/')
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expect(page.getByRole('heading', { name: '集群网络' })).toBeVisible()
    expect(param(page, 'lang')).toBe('zh-CN')
  })
})

test.describe('the trace in the page is the engine’s, byte for byte', () => {
  const lesson = byId('mode2-flannel-vxlan')
  test.skip(!lessonFileExists(lesson), `${lesson.file} is not written yet`)

  test('seed 1, first request: the worker’s JSON equals Node’s', async ({ page }) => {
    const engine = engineView(lesson)
    await page.goto(`/?lesson=${lesson.id}`)
    const json = page.getByTestId('trace-json')
    await expect(json).toHaveCount(1)
    const expected = traceJson(engine.traceOf(engine.traffic[0]!, 1))
    expect(await json.textContent()).toBe(expected)
  })

  test('another seed from the URL reaches the engine', async ({ page }) => {
    const engine = engineView(lesson)
    await page.goto(`/?lesson=${lesson.id}&seed=7`)
    const json = page.getByTestId('trace-json')
    await expect(json).toContainText('"seed": 7')
    expect(await json.textContent()).toBe(traceJson(engine.traceOf(engine.traffic[0]!, 7)))
    expect(param(page, 'seed')).toBe('7')
  })

  test('without Web Workers the engine runs in the page, with the same result', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      // @ts-expect-error: a browser without workers
      delete window.Worker
    })
    const engine = engineView(lesson)
    await page.goto(`/?lesson=${lesson.id}`)
    const json = page.getByTestId('trace-json')
    await expect(json).toHaveCount(1)
    expect(await json.textContent()).toBe(traceJson(engine.traceOf(engine.traffic[0]!, 1)))
  })
})

test.describe('a shared link', () => {
  const lesson = byId('mode2-flannel-vxlan')
  test.skip(!lessonFileExists(lesson), `${lesson.file} is not written yet`)

  test('opens at its lesson, step and language', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&step=3&lang=zh-CN`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title['zh-CN'])
    await expect(page.locator('.step-list > li').nth(3)).toHaveClass(/selected/)
    await expect(page.locator('[aria-current="step"] .step-index')).toHaveText('3')
    expect(param(page, 'step')).toBe('3')
  })
})

test.describe('a scenario with several requests', () => {
  const lesson = LESSONS.find((l) => lessonFileExists(l) && engineView(l).traffic.length > 1)
  test.skip(!lesson, 'no lesson has several Traffic documents')

  test('follows the request picked, and names it in the URL', async ({ page }) => {
    const engine = engineView(lesson!)
    const [first, second] = engine.traffic as [string, string]
    await page.goto(`/?lesson=${lesson!.id}&lang=en`)
    const picker = page.getByRole('combobox', { name: 'Request to follow' })
    await expect(picker).toHaveValue(first)
    await picker.selectOption(second)
    await expect(page.getByTestId('trace-json')).toContainText(`"traffic": "${second}"`)
    expect(await page.getByTestId('trace-json').textContent()).toBe(
      traceJson(engine.traceOf(second)),
    )
    await expect(page.locator('.step-list > li')).toHaveCount(engine.traceOf(second).steps.length)
    expect(param(page, 'traffic')).toBe(second)
  })
})

test.describe('a session of several connections', () => {
  const lesson = byId('mode3-clusterip-ipvs')
  test.skip(!lessonFileExists(lesson), `${lesson.file} is not written yet`)

  test('sends the request again as connection 2 and 3, in the URL, as the engine does', async ({
    page,
  }) => {
    const engine = engineView(lesson)
    await page.goto(`/?lesson=${lesson.id}&lang=en`)
    const json = page.getByTestId('trace-json')
    await expect(json).toHaveCount(1)
    const again = page.getByRole('button', { name: 'Send it again as a new connection' })
    await again.click()
    await expect(json).toContainText('"connection": 2')
    await again.click()
    await expect(json).toContainText('"connection": 3')
    expect(await json.textContent()).toBe(traceJson(engine.traceOf(engine.traffic[0]!, 1, 3)))
    expect(param(page, 'conn')).toBe('3')
    await page.getByRole('button', { name: 'Start a new session' }).click()
    await expect(json).not.toContainText('"connection"')
    expect(param(page, 'conn')).toBe(null)
  })
})
