import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect, seriousA11yViolations, test } from './fixtures.ts'

async function download(page: Page, choice: RegExp) {
  await page.getByRole('button', { name: 'Share' }).click()
  const saved = page.waitForEvent('download')
  await page
    .getByRole('group', { name: 'Export the graph as it is shown' })
    .getByRole('button', { name: choice })
    .click()
  const d = await saved
  return { name: d.suggestedFilename(), bytes: await readFile((await d.path())!) }
}

/** The boxes' labels wholly inside the graph's view on screen. */
function labelsInView(page: Page) {
  return page.locator('.react-flow__node .g-label').evaluateAll((els) => {
    const view = document.querySelector('.graph-canvas .react-flow')!.getBoundingClientRect()
    return els
      .filter((e) => {
        const r = e.getBoundingClientRect()
        return (
          r.left >= view.left &&
          r.right <= view.right &&
          r.top >= view.top &&
          r.bottom <= view.bottom
        )
      })
      .map((e) => e.textContent!)
  })
}

/** The text elements of an SVG, read by the browser's own parser. */
function svgTexts(page: Page, svg: string) {
  return page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml')
    return [...doc.querySelectorAll('text')].map((t) => t.textContent)
  }, svg)
}

test.describe('exporting the graph view', () => {
  test('the SVG parses and holds the packet and the labels of the boxes in view', async ({
    page,
  }) => {
    await page.goto('/?lesson=mode2-flannel-vxlan&step=3&lang=en')
    await expect(page.getByTestId('packet')).toBeVisible()
    await expect(page.locator('.react-flow__node').first()).toBeVisible()
    const { name, bytes } = await download(page, /SVG/)
    expect(name).toBe('mode2-flannel-vxlan-step-3.svg')
    await expect(page.getByText(`Saved ${name}.`)).toBeVisible()
    expect(await seriousA11yViolations(page)).toEqual([])
    const svg = bytes.toString('utf8')
    const parsed = await page.evaluate((svg) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml')
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.localName,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
      }
    }, svg)
    expect(parsed.error).toBeNull()
    expect(parsed.root).toBe('svg')
    // The packet's token and the boxes' labels, as the screen shows them.
    const packet = await page.getByTestId('packet').locator('.packet-token').innerText()
    expect(parsed.texts).toContain(packet.trim())
    const labels = await labelsInView(page)
    expect(labels.length).toBeGreaterThan(3)
    for (const l of labels) expect(parsed.texts).toContain(l)
  })

  test('exports what the stage’s camera shows: the hop it follows, or the whole cluster', async ({
    page,
  }) => {
    await page.goto('/?lesson=mode2-flannel-vxlan&step=3&lang=en')
    await expect(page.getByTestId('packet')).toBeVisible()
    await expect(page.locator('.react-flow__node').first()).toBeVisible()
    const following = await labelsInView(page)
    // W: the whole cluster, as the stage's key map says; the camera eases there.
    await page.locator('main').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('w')
    await expect.poll(() => new URL(page.url()).searchParams.get('camera')).toBe('whole')
    await expect
      .poll(async () => (await labelsInView(page)).length)
      .toBeGreaterThan(following.length)
    const whole = await labelsInView(page)
    const { name, bytes } = await download(page, /SVG/)
    expect(name).toBe('mode2-flannel-vxlan-step-3-whole.svg')
    const texts = await svgTexts(page, bytes.toString('utf8'))
    for (const l of whole) expect(texts).toContain(l)
  })

  test('the PNG has the view’s size, in Chinese too', async ({ page }) => {
    await page.goto('/?lesson=mode2-flannel-vxlan&step=3&lang=zh-CN')
    await expect(page.getByTestId('packet')).toBeVisible()
    await page.getByRole('button', { name: '分享' }).click()
    const saved = page.waitForEvent('download')
    await page.getByRole('button', { name: /PNG/ }).click()
    const bytes = await readFile((await (await saved).path())!)
    // The PNG signature, then IHDR's width and height (big-endian).
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    const size = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
    const view = await page.locator('.graph-canvas .react-flow').evaluate((e) => {
      const r = e.getBoundingClientRect()
      return { width: Math.round(r.width), height: Math.round(r.height) }
    })
    expect(size).toEqual(view)
  })
})
