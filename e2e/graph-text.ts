import type { Page } from '@playwright/test'
import { expect } from './fixtures.ts'

/**
 * The graph text at the packet's hop as the learner sees it: each text of the current box and
 * of the packet's own label, its computed font size times the graph's zoom, once the camera has
 * come to rest. Returns the smallest and the largest.
 */
export async function hopText(page: Page): Promise<{ min: number; max: number; zoom: number }> {
  const zoom = () =>
    page
      .locator('.react-flow__viewport')
      .evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a)
  // The camera eases between steps: wait until two readings agree.
  let last = -1
  await expect
    .poll(async () => {
      const z = await zoom()
      const settled = Math.abs(z - last) < 1e-4
      last = z
      return settled
    })
    .toBe(true)
  return page.evaluate(() => {
    const z = new DOMMatrix(
      getComputedStyle(document.querySelector('.react-flow__viewport')!).transform,
    ).a
    const roots = [
      document.querySelector('.g-box.is-current'),
      document.querySelector('[data-testid="packet"] .packet-token'),
    ].filter((e): e is Element => e !== null)
    const sizes: number[] = []
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement!
        if (!n.textContent?.trim() || el.closest('[aria-hidden="true"]')) continue
        const style = getComputedStyle(el)
        if (style.display === 'none' || style.visibility === 'hidden') continue
        sizes.push(parseFloat(style.fontSize) * z)
      }
    }
    return { min: Math.min(...sizes), max: Math.max(...sizes), zoom: z }
  })
}
