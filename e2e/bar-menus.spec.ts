/**
 * The bar's drop-down menus (Share, and More where the lesson's title needs the bar's room):
 * Esc closes a menu and gives the focus back to its button, a press outside closes it, and
 * neither leaves the stage's keys dead or does anything else (Esc does not leave the lesson,
 * the press outside does not step), in both languages.
 */
import type { Page } from '@playwright/test'
import { expect, param, test } from './fixtures.ts'

const LESSON = 'mode2-flannel-vxlan'

const MENUS = [
  { lang: 'en', share: 'Share', more: 'More' },
  { lang: 'zh-CN', share: '分享', more: '更多' },
] as const

/** The menu's button, found by its visible word (the Share button's name is its title). */
const toggle = (page: Page, word: string) =>
  page.getByRole('banner').locator('button[aria-expanded]', { hasText: word })

const panelOf = async (page: Page, word: string) => {
  const id = await toggle(page, word).getAttribute('aria-controls')
  return page.locator(`[id="${id}"]`)
}

test.describe('the bar menus at 1024x768', () => {
  test.use({ viewport: { width: 1024, height: 768 } })

  for (const m of MENUS) {
    for (const word of [m.share, m.more]) {
      test(`${word} (${m.lang}) closes on Esc with the focus on its button, and the keys still step`, async ({
        page,
      }) => {
        await page.goto(`/?lesson=${LESSON}&lang=${m.lang}&step=2`)
        await expect(page.getByTestId('packet')).toBeVisible()
        const button = toggle(page, word)
        await expect(button).toBeVisible()
        await button.click()
        await expect(button).toHaveAttribute('aria-expanded', 'true')
        const panel = await panelOf(page, word)
        await expect(panel).toBeVisible()
        // Focus inside the menu, as a keyboard user would be.
        await panel.locator('a, button').first().focus()
        await page.keyboard.press('Escape')
        await expect(panel).toBeHidden()
        await expect(button).toHaveAttribute('aria-expanded', 'false')
        await expect(button).toBeFocused()
        // Esc was the menu's: the lesson is still open at the same step.
        expect(param(page, 'lesson')).toBe(LESSON)
        expect(param(page, 'step')).toBe('2')
        await page.keyboard.press('PageDown')
        await expect.poll(() => param(page, 'step')).toBe('3')
      })

      test(`${word} (${m.lang}) closes on a press outside it, which does nothing else`, async ({
        page,
      }) => {
        await page.goto(`/?lesson=${LESSON}&lang=${m.lang}&step=2`)
        await expect(page.getByTestId('packet')).toBeVisible()
        const button = toggle(page, word)
        await button.click()
        const panel = await panelOf(page, word)
        await expect(panel).toBeVisible()
        // The narration: a place that is neither the menu nor a control.
        await page.locator('.narration-text').first().click()
        await expect(panel).toBeHidden()
        await expect(button).toHaveAttribute('aria-expanded', 'false')
        expect(param(page, 'step')).toBe('2')
        await page.keyboard.press('ArrowRight')
        await expect.poll(() => param(page, 'step')).toBe('3')
        // A press on the button itself toggles, it is not "outside".
        await button.click()
        await expect(panel).toBeVisible()
        await button.click()
        await expect(panel).toBeHidden()
      })
    }
  }
})
