import { handoutSteps } from '../src/app/handout.ts'
import { en } from '../src/i18n/en.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import { engineView } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const lesson = LESSONS.find((l) => l.id === 'mode3-clusterip-iptables')!
const view = engineView(lesson)
const trace = view.traceOf(view.traffic[0]!)
const steps = handoutSteps(trace)

test.describe('the handout print view', () => {
  test('is opened from the header of a lesson, with every step, its changes, rules and key drawings', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en`)
    await page
      .getByRole('navigation', { name: en.pages.nav })
      .getByRole('link', { name: en.pages.handout })
      .click()
    await expect.poll(() => param(page, 'page')).toBe('handout')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
    const items = page.locator('.handout-step')
    await expect(items).toHaveCount(trace.steps.length)
    for (const i of [0, steps.findIndex((s) => s.action === 'dnat'), trace.steps.length - 1]) {
      const s = steps[i]!
      const item = items.nth(i)
      await expect(item.getByRole('heading', { level: 2 })).toContainText(`Step ${s.index}`)
      await expect(item).toContainText(s.narration.en)
      for (const c of s.changes)
        await expect(
          item.getByRole('row', { name: new RegExp(c.field.replace('.', '\\.')) }),
        ).toContainText(c.after)
      for (const r of s.rules) await expect(item).toContainText(r.rule)
    }
    // A drawing at each key step, named for where the packet is.
    await expect(page.getByRole('img', { name: /^The cluster at step \d+/ })).toHaveCount(
      steps.filter((s) => s.key).length,
    )
  })

  test('prints with no header, no controls and no sidebar', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&page=handout&lang=en`)
    await expect(page.locator('.handout-step')).toHaveCount(trace.steps.length)
    await expect(page.getByRole('button', { name: en.handout.print })).toBeVisible()
    await page.emulateMedia({ media: 'print' })
    await expect(page.locator('.header')).toBeHidden()
    await expect(page.getByRole('button', { name: en.handout.print })).toBeHidden()
    await expect(page.getByRole('button', { name: en.pages.back })).toBeHidden()
    await expect(page.locator('.tree')).toHaveCount(0)
    await expect(page.locator('.handout-step').first()).toBeVisible()
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.byteLength).toBeGreaterThan(50_000)
  })

  test('speaks Chinese, and passes axe', async ({ page }) => {
    test.slow()
    await page.goto(`/?lesson=${lesson.id}&page=handout&lang=zh-CN`)
    await expect(page.locator('.handout-step')).toHaveCount(trace.steps.length)
    await expect(page.locator('.handout-step').first()).toContainText(steps[0]!.narration['zh-CN'])
    await expect(page.getByRole('button', { name: '打印' })).toBeVisible()
    expect(await seriousA11yViolations(page)).toEqual([])
  })
})
