import { findTerms, glossaryEntry } from '../src/app/glossary/find-terms.ts'
import { GLOSSARY } from '../src/app/glossary/terms.ts'
import { engineView } from './engine.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import type { Locator } from '@playwright/test'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const lesson = LESSONS.find((l) => l.id === 'mode2-flannel-vxlan')!
/** A step whose narration names ARP first (step 2: the client asks for its gateway's MAC). */
const view = engineView(lesson)
const ARP_STEP = view
  .traceOf(view.traffic[0]!)
  .steps.findIndex((s) => findTerms(s.explain.en, 'en', { firstOnly: true })[0]?.id === 'arp')
const arp = glossaryEntry('arp')!

/** A term's explanation: the popover its button controls. */
async function popoverOf(term: Locator): Promise<Locator> {
  const id = await term.getAttribute('aria-controls')
  return term.page().locator(`[id="${id}"]`)
}

test.describe('glossary terms in the narration', () => {
  test.beforeEach(() => expect(ARP_STEP).toBeGreaterThan(0))

  test('open on hover and close when the pointer leaves', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&step=${ARP_STEP}&lang=en`)
    const term = page.getByTestId('narration').getByRole('button', { name: 'ARP', exact: true })
    const pop = await popoverOf(term)
    await expect(pop).toBeHidden()
    await term.hover()
    await expect(pop).toBeVisible()
    await expect(pop).toContainText(arp.short.en)
    await expect(pop.getByRole('link', { name: `Source: ${arp.source.title}` })).toHaveAttribute(
      'href',
      arp.source.url,
    )
    await expect(term).toHaveAttribute('aria-expanded', 'true')
    await page.mouse.move(5, 5)
    await expect(pop).toBeHidden()
  })

  test('open on keyboard focus, are described to a screen reader, reach their link, close on Escape', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${lesson.id}&step=${ARP_STEP}&lang=en`)
    const term = page.getByTestId('narration').getByRole('button', { name: 'ARP', exact: true })
    await expect(term).toBeVisible({ timeout: 20_000 })
    // Focus whatever Tab reaches just before the term, then press Tab: the term gets its focus
    // from the keyboard.
    await term.evaluate((el: HTMLElement) => {
      const all = [
        ...document.querySelectorAll<HTMLElement>(
          'a[href], button, input, select, summary, [tabindex="0"]',
        ),
      ]
      all[all.indexOf(el) - 1]!.focus()
    })
    await page.keyboard.press('Tab')
    await expect(term).toBeFocused()
    const pop = await popoverOf(term)
    await expect(pop).toBeVisible()
    await expect(term).toHaveAccessibleDescription(new RegExp(arp.short.en.slice(0, 40)))
    await page.keyboard.press('Tab')
    await expect(pop.getByRole('link')).toBeFocused()
    await page.keyboard.press('Escape')
    await expect(pop).toBeHidden()
    await expect(term).toBeFocused()
  })

  test('show in Chinese in a Chinese narration', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&step=${ARP_STEP}&lang=zh-CN`)
    const term = page.getByTestId('narration').getByRole('button', { name: 'ARP', exact: true })
    await term.hover()
    const pop = await popoverOf(term)
    await expect(pop).toContainText(arp.term['zh-CN'])
    await expect(pop).toContainText(arp.short['zh-CN'])
  })
})

test.describe('glossary terms on a touch screen', () => {
  test.use({ hasTouch: true, viewport: { width: 1024, height: 768 } })

  test('open on a tap, stay open, and close on a tap elsewhere or a second tap', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${lesson.id}&step=${ARP_STEP}&lang=en`)
    const term = page.getByTestId('narration').getByRole('button', { name: 'ARP', exact: true })
    const pop = await popoverOf(term)
    await term.tap()
    await expect(pop).toBeVisible()
    await page.waitForTimeout(400) // longer than the hover grace: a tap does not fade
    await expect(pop).toBeVisible()
    await page.getByRole('heading', { level: 1 }).tap()
    await expect(pop).toBeHidden()
    await term.tap()
    await expect(pop).toBeVisible()
    await term.tap()
    await expect(pop).toBeHidden()
  })
})

test.describe('the glossary page', () => {
  test('passes axe', async ({ page }) => {
    // An axe scan of 120 entries takes a while on a busy machine.
    test.slow()
    await page.goto('/?page=glossary&lang=en')
    await expect(page.locator('.glossary-entry')).toHaveCount(GLOSSARY.length)
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  test('is reached from the header, lists every term by topic in both languages', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${lesson.id}&step=3&lang=en`)
    await page
      .getByRole('navigation', { name: 'More to learn' })
      .getByRole('link', { name: 'Glossary' })
      .click()
    await expect(page.getByRole('heading', { level: 1, name: 'Glossary' })).toBeVisible()
    await expect.poll(() => param(page, 'page')).toBe('glossary')
    const terms = page.locator('.glossary-entry dt')
    await expect(terms).toHaveCount(GLOSSARY.length)
    await expect(page.getByText(`${GLOSSARY.length} terms`)).toBeVisible()
    await page.getByLabel('Find a term').fill('VXLAN')
    await expect(page.locator('.glossary-entry dt', { hasText: 'VXLAN' }).first()).toBeVisible()
    await page
      .getByRole('button', { name: 'Chinese' })
      .or(page.getByRole('button', { name: '中文' }))
      .click()
    await expect(page.getByRole('heading', { level: 1, name: '术语表' })).toBeVisible()
    // Back to the lesson that stayed open, at the same step.
    await page.getByRole('button', { name: '返回课程' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title['zh-CN'])
    await expect.poll(() => param(page, 'page')).toBeNull()
    expect(param(page, 'step')).toBe('3')
  })
})
