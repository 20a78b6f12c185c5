import { CAPSTONE_LESSON, capstoneStops } from '../src/app/capstone-path.ts'
import { MODE_ROWS } from '../src/app/modes.ts'
import { LESSONS, MODES } from '../src/lessons/catalog.ts'
import { summarize } from '../src/sim/summary.ts'
import { en } from '../src/i18n/en.ts'
import { engineView } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const capstone = LESSONS.find((l) => l.id === CAPSTONE_LESSON)!
const view = engineView(capstone)
const trace = view.traceOf(view.traffic[0]!)
const stops = capstoneStops(trace, summarize(view.cluster!))

/** Where each stop must land, read from the engine's trace (not from the page). */
const EXPECT: Record<string, (s: (typeof trace.steps)[number]) => boolean> = {
  'request internet': (s) => s.at.component === 'internet' && s.action === 'send',
  'request lb': (s) => s.at.component === 'cloud-lb',
  'request ingress': (s) => s.action === 'l7-route',
  'request service': (s) => s.action === 'dnat',
  'request pod': (s) => s.action === 'deliver' && s.at.pod === 'default/api',
  'reply pod': (s) => s.action === 'send' && s.at.pod === 'default/api',
  'reply service': (s) => s.action === 'unnat',
  'reply ingress': (s) => s.action === 'send' && s.at.component === 'ingress-nginx',
  'reply lb': (s) => s.at.component === 'cloud-lb',
  'reply internet': (s) => s.action === 'deliver' && s.at.component === 'internet',
}

test.describe('the four modes side by side', () => {
  test('is reached from the header and passes axe', async ({ page }) => {
    await page.goto('/?lang=en')
    await page
      .getByRole('navigation', { name: en.pages.nav })
      .getByRole('link', { name: en.pages.modes })
      .click()
    await expect(page.getByRole('heading', { level: 1, name: en.modes.title })).toBeVisible()
    await expect(page.getByRole('link', { name: /step \d+ of the capstone/ })).toHaveCount(10, {
      timeout: 20_000,
    })
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  for (const row of MODE_ROWS) {
    const lesson = LESSONS.find((l) => l.id === row.lesson)!
    test(`mode ${row.mode}: its row opens ${lesson.id}`, async ({ page }) => {
      await page.goto('/?page=modes&lang=en')
      const mode = MODES.find((m) => m.mode === row.mode)!
      const tr = page
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: mode.title.en }) })
      await expect(tr).toContainText(row.property.en)
      await tr.getByRole('link', { name: lesson.title.en }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
      await expect.poll(() => param(page, 'lesson')).toBe(lesson.id)
      expect(param(page, 'page')).toBeNull()
    })
  }
})

test.describe('the capstone line', () => {
  test('has every stop there and back, each at a step the trace puts there', () => {
    expect(stops).toHaveLength(10)
    for (const s of stops)
      expect([
        s.direction,
        s.stop,
        EXPECT[`${s.direction} ${s.stop}`]!(trace.steps[s.step]!),
      ]).toEqual([s.direction, s.stop, true])
  })

  for (const s of stops) {
    test(`${s.direction}: ${s.stop} opens the capstone at step ${s.step}`, async ({ page }) => {
      await page.goto('/?page=modes&lang=en')
      const name = en.modes.stopLabel
        .replace('{{stop}}', en.modes.stops[s.stop])
        .replace('{{step}}', String(s.step))
      const row = page.getByRole('list', { name: en.modes[s.direction] })
      await row.getByRole('link', { name }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(capstone.title.en)
      await expect.poll(() => param(page, 'step')).toBe(String(s.step))
      expect(param(page, 'lesson')).toBe(CAPSTONE_LESSON)
      const step = trace.steps[s.step]!
      const narration = page.getByTestId('narration')
      await expect(narration).toContainText(step.explain.en.slice(0, 60))
    })
  }
})
