import type { Page } from '@playwright/test'
import { loadScenarioSource } from '../src/cli/load.ts'
import { trace } from '../src/sim/trace.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const OWN = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: shared}
spec:
  cni: {plugin: calico, backend: ipip}
  nodes: [{name: node-a, ip: 192.168.1.11}, {name: node-b, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-a, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: node-b, containers: [{name: w, ports: [{containerPort: 80}]}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-web}
spec: {from: {pod: default/client}, to: "http://web/"}
`
const STEPS = (() => {
  const loaded = loadScenarioSource(OWN, 'shared.yaml')
  return trace(loaded.cluster!, loaded.scenario!.traffic[0]!, { seed: 1 }).steps.length
})()
const STEP = 4

async function openOwn(page: Page) {
  await page.goto('/?lang=en')
  await page.getByRole('button', { name: 'Open a scenario' }).click()
  await page
    .getByRole('dialog')
    .getByLabel('choose a file')
    .setInputFiles({
      name: 'shared.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(OWN),
    })
  await expect(page.locator('.step-list > li')).toHaveCount(STEPS)
  await page.locator('.step-list > li').nth(STEP).click()
  await expect.poll(() => param(page, 'step')).toBe(String(STEP))
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#s=[\w-]+$/)
}

test.describe('a share link holds a scenario of one’s own', () => {
  test('Copy link copies it, and it reopens the scenario at the same step in a fresh context', async ({
    page,
    context,
    browser,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await openOwn(page)
    await page.getByRole('button', { name: 'Share' }).click()
    await page.getByRole('button', { name: 'Copy link' }).click()
    await expect(page.getByText(/^Link copied/)).toBeVisible()
    expect(await seriousA11yViolations(page)).toEqual([])
    const link = await page.evaluate(() => navigator.clipboard.readText())
    expect(link).toBe(page.url())
    expect(new URL(link).search).not.toContain('shared')

    const fresh = await browser.newContext()
    const other = await fresh.newPage()
    const errors: string[] = []
    other.on('pageerror', (e) => errors.push(e.message))
    await other.goto(link)
    await expect(other.getByRole('heading', { level: 1 })).toHaveText('shared.yaml')
    await expect(other.locator('.step-list > li')).toHaveCount(STEPS)
    await expect(other.locator('.step-list > li').nth(STEP)).toHaveClass(/selected/)
    await expect(other.locator('.address-notice')).toHaveCount(0)
    expect(errors).toEqual([])
    await fresh.close()
  })

  test('a cut or changed link opens the map and says so, never another scenario', async ({
    page,
  }) => {
    await openOwn(page)
    const link = new URL(page.url())
    const value = link.hash.slice(3)
    const flip = (i: number) => {
      const c = value[i] === 'A' ? 'B' : 'A'
      return value.slice(0, i) + c + value.slice(i + 1)
    }
    const damaged = [
      value.slice(0, Math.floor(value.length / 2)),
      value.slice(0, -1),
      flip(0),
      flip(20),
      flip(value.length - 2),
      value + 'x',
      '',
      '!!!',
    ]
    for (const bad of damaged) {
      // A new load each time (a fragment alone would not reload the page).
      await page.goto('about:blank')
      await page.goto(`${link.origin}${link.pathname}${link.search}#s=${bad}`)
      const notice = page.locator('.address-notice')
      await expect(notice).toContainText(/was cut short or changed|newer PodPath/)
      await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('shared.yaml')
      await expect(page.locator('.step-list')).toHaveCount(0)
      // The step the link named is said to be dropped too.
      await expect(notice).toContainText(`step=${STEP}`)
      expect(new URL(page.url()).hash).toBe('')
    }
  })
})

test.describe('the bar with its Share menu', () => {
  for (const size of [
    { width: 1024, height: 768 },
    { width: 1280, height: 800 },
  ])
    for (const lang of ['en', 'zh-CN'] as const)
      test(`keeps its height at ${size.width}x${size.height} in ${lang}, the title keeping its room`, async ({
        page,
      }) => {
        // A bar that wrapped (its tagline squeezed into a column 200 px tall) pushed the stage
        // and the timeline under the fold, where a click on a tick did nothing. One line, or
        // with a lesson two rows of a fixed height (the title whole on the first): one row did
        // not hold a lesson's switches and request picker even at 1920 px (stage.css).
        await page.setViewportSize(size)
        await page.goto(`/?lang=${lang}`)
        const bar = page.getByRole('banner')
        await expect(bar.getByRole('button', { name: /^(Share|分享)$/ })).toBeVisible()
        expect((await bar.boundingBox())!.height).toBeLessThan(64)
        await page.goto(`/?lesson=mode4-capstone&lang=${lang}`)
        await expect(page.getByRole('slider')).toBeVisible()
        expect((await bar.boundingBox())!.height).toBeLessThan(96)
        const title = (await page.getByRole('heading', { level: 1 }).boundingBox())!
        // At least its min-width in stage.css (6.5rem), as wide as the bar leaves it.
        expect(title.width).toBeGreaterThanOrEqual(100)
        // The whole timeline is on the first screen, at any step.
        const timeline = (await page.getByRole('slider').boundingBox())!
        expect(timeline.y + timeline.height).toBeLessThanOrEqual(size.height)
        await page.keyboard.press('End')
        const after = (await page.getByRole('slider').boundingBox())!
        expect(after.y + after.height).toBeLessThanOrEqual(size.height)
      })
})
