/**
 * The browser tests' `test`: every page must finish with no console error, no page error and no
 * Content-Security-Policy violation (the build ships a strict policy: vite.config.ts).
 */
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
      // Chromium logs most violations itself; the event also catches those it only reports.
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : ''
          console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI}${where}`)
        })
      })
      await use(errors)
      expect(errors, 'console and page errors').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }

/** Serious and critical accessibility violations (axe), described one per line. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // The scan judges what stays on screen. A fade caught half-way reads as text of low contrast
  // (presenter mode's tools fade out from 4.5 s to 6 s, and a slow machine scanned them at
  // opacity 0.16), so every CSS animation and transition with an end is run to it first.
  await page.evaluate(() => {
    for (const a of document.getAnimations()) {
      if (Number.isFinite(Number(a.effect?.getComputedTiming().endTime))) a.finish()
    }
  })
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** The URL's query parameter, as the app wrote it with replaceState. */
export function param(page: Page, name: string): string | null {
  return new URL(page.url()).searchParams.get(name)
}
