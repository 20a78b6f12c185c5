/**
 * Once visited, PodPath works with no network: the service worker holds the app, the engine's
 * worker and every lesson. Without that copy the app says it is offline; it never reports a
 * crash. Served from a sub-path of a plain static host, as a course site would.
 */
import { LESSONS } from '../src/lessons/catalog.ts'
import { engineView, lessonFileExists } from './engine.ts'
import { expect, param, test } from './fixtures.ts'
import { FIRST_VISIT, serveDist, type StaticHost } from './static-host.ts'
import type { Page } from '@playwright/test'
import { foldsFor, shownSteps, stepBy } from '../src/app/fold.ts'

let host: StaticHost
test.beforeAll(async () => {
  host = await serveDist('/course/podpath/')
})
test.afterAll(async () => {
  await host.close()
})

/** Opens the app and waits until the service worker has stored it and controls the page. */
async function visitOnce(page: Page, query: string) {
  await page.goto(`${host.url}${query}`)
  await expect(page.locator('.step-list')).toBeVisible(FIRST_VISIT)
  await page.evaluate(() => navigator.serviceWorker.ready)
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true)
}

/**
 * The network stays cut, but a document loaded after `setOffline(true)` may not be told: in
 * Chromium 150 its `navigator.onLine` says true (seen here: false before the navigation, true
 * after it, false again once the emulation is set on the new document). What a real offline
 * browser tells every page is told to this one again, over CDP.
 */
async function tellOffline(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: true,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  })
}

const status = (page: Page) => page.getByRole('status', { name: 'PodPath status' })

test.describe('offline, once visited', () => {
  test('every lesson opens and steps with the network cut, and a reload works', async ({
    page,
    context,
  }) => {
    test.setTimeout(20 * 60_000)
    await visitOnce(page, '?lesson=mode1-localhost&lang=en')
    const asked = host.requests.length
    await context.setOffline(true)
    await expect(status(page)).toContainText(
      'You are offline. PodPath and every lesson keep working from the copy in this browser.',
    )
    const tree = page.getByRole('navigation', { name: 'Cluster networking' })
    // The list folds away when a lesson opens; opened once, it stays open.
    await tree.getByRole('button', { name: 'Show the lessons' }).click()
    // Where Next goes from the first step: past a folded phase (src/app/fold.ts) in one press.
    let next = 1
    for (const lesson of LESSONS.filter(lessonFileExists)) {
      await tree.getByRole('link', { name: lesson.title.en }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
      const engine = engineView(lesson)
      if (!engine.cluster) {
        // The lesson whose scenario has errors: its diagnostics are the lesson.
        await expect(
          page.getByRole('region', { name: 'What Kubernetes would tell you' }),
        ).toBeVisible()
        continue
      }
      const steps = engine.traceOf(engine.traffic[0]!).steps
      // A lesson of a thousand Services takes the engine a while on a loaded machine.
      await expect(page.locator('.step-list > li')).toHaveCount(steps.length, FIRST_VISIT)
      next = stepBy(shownSteps(steps.length, foldsFor(lesson, steps), new Set()), 0, 1)
      await page.getByRole('button', { name: 'Next step' }).click()
      await expect(page.locator('.step-list > li').nth(next)).toHaveClass(/selected/)
      await expect.poll(() => param(page, 'step')).toBe(String(next))
    }
    // A reload, and a link opened by its address, come from the saved copy too.
    await page.reload()
    await expect(page.locator('.step-list > li').nth(next)).toHaveClass(/selected/, FIRST_VISIT)
    await page.goto(`${host.url}?lesson=mode4-capstone&lang=zh-CN&step=3`)
    await expect(page.locator('.step-list > li').nth(3)).toHaveClass(/selected/, FIRST_VISIT)
    await tellOffline(page)
    await expect(page.getByRole('status', { name: 'PodPath 状态' })).toContainText('你已离线')
    await expect(page.getByRole('figure', { name: /集群图/ })).toBeVisible()
    // None of it reached the server. (The browser's own check for a new sw.js on each visit is
    // not covered by Playwright's offline switch: it is let through, and a real offline browser
    // would simply fail it.)
    const updateCheck = /^\/course\/podpath\/(sw|workbox-[\w-]+)\.js$/
    expect(host.requests.slice(asked).filter((p) => !updateCheck.test(p))).toEqual([])
  })

  test('a new version waits for the learner, and one click reloads into it', async ({ page }) => {
    test.setTimeout(5 * 60_000)
    await visitOnce(page, '?lesson=mode2-flannel-vxlan&lang=en&step=2')
    const script = () =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration()
        return { waiting: reg?.waiting !== null, active: reg?.active?.state ?? null }
      })
    expect(await script()).toEqual({ waiting: false, active: 'activated' })
    // The host now serves another build's sw.js; the browser checks it on the next visit.
    host.setServiceWorkerSuffix('\n// another build\n')
    await page.reload()
    const update = status(page).getByRole('button', { name: 'Reload' })
    await expect(update).toBeVisible(FIRST_VISIT)
    await expect(status(page)).toContainText('A new version of PodPath is ready.')
    // Until then the page keeps the version it opened with.
    await expect(page.locator('.step-list > li').nth(2)).toHaveClass(/selected/, FIRST_VISIT)
    const reloaded = page.waitForEvent('load', FIRST_VISIT)
    await update.click()
    await reloaded
    await expect(page.locator('.step-list > li').nth(2)).toHaveClass(/selected/, FIRST_VISIT)
    expect(await script()).toEqual({ waiting: false, active: 'activated' })
    await expect(update).toBeHidden()
    host.setServiceWorkerSuffix('')
  })
})

test.describe('offline, with no saved copy', () => {
  // As a browser that keeps no service worker (a private window may not) would be.
  test.use({ serviceWorkers: 'block' })

  test('a lesson that cannot be downloaded says offline, not a crash, and opens once back', async ({
    page,
    context,
    pageErrors,
  }) => {
    test.setTimeout(5 * 60_000)
    await page.goto(`${host.url}?lesson=mode2-flannel-vxlan&lang=en`)
    await expect(page.locator('.step-list')).toBeVisible(FIRST_VISIT)
    await context.setOffline(true)
    await expect(status(page)).toContainText(
      'You are offline, and PodPath has not finished saving itself in this browser',
    )
    const lesson = LESSONS.find((l) => l.id === 'mode3-clusterip-iptables')!
    const tree = page.getByRole('navigation', { name: 'Cluster networking' })
    // The list folds away when a lesson opens, so the stage has the width; it opens again.
    await tree.getByRole('button', { name: 'Show the lessons' }).click()
    await tree.getByRole('link', { name: lesson.title.en }).click()
    const notice = page.getByRole('alert')
    await expect(notice).toContainText('This could not be downloaded: the browser is offline')
    await expect(page.getByText(/simulator stopped/)).toHaveCount(0)
    await context.setOffline(false)
    await expect(page.locator('.step-list')).toBeVisible(FIRST_VISIT)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
    await expect(notice).toHaveCount(0)
    // The browser logs the download it could not make; nothing else may be in the console.
    const cut = pageErrors.filter((e) => /net::ERR_INTERNET_DISCONNECTED/.test(e))
    expect(cut.length).toBeGreaterThan(0)
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !cut.includes(e)))
  })
})
