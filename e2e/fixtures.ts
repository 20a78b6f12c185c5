/** The browser tests' `test`: every page must finish with no console error and no page error. */
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`)
      })
      page.on('pageerror', (e) => errors.push(`page: ${e.message}`))
      await use(errors)
      expect(errors, 'console and page errors').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }

/** Serious and critical accessibility violations (axe), described one per line. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** The URL's query parameter, as the app wrote it with replaceState. */
export function param(page: Page, name: string): string | null {
  return new URL(page.url()).searchParams.get(name)
}
