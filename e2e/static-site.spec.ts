/**
 * The build is a plain static folder: it runs from any sub-path of any host, and carries its
 * own strict Content-Security-Policy.
 */
import { LESSONS } from '../src/lessons/catalog.ts'
import { expect, test } from './fixtures.ts'
import { FIRST_VISIT, serveDist, type StaticHost } from './static-host.ts'

let host: StaticHost
test.beforeAll(async () => {
  host = await serveDist('/course/podpath/')
})
test.afterAll(async () => {
  await host.close()
})

test.describe('the build as a static folder', () => {
  test('runs from a sub-path: the page, the engine’s worker, lazy chunks, the service worker', async ({
    page,
  }) => {
    await page.goto(`${host.url}?lesson=mode2-flannel-vxlan&lang=en&step=3`)
    const lesson = LESSONS.find((l) => l.id === 'mode2-flannel-vxlan')!
    // The graph is a lazily loaded chunk, the lesson's YAML a file fetched, the engine a worker. (A
    // first visit on a loaded machine takes long: this is a wait, never a measure.)
    await expect(page.getByRole('figure', { name: /Cluster graph/ })).toBeVisible(FIRST_VISIT)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
    await expect(page.locator('.step-list > li').nth(3)).toHaveClass(/selected/)
    expect(page.workers().map((w) => w.url())).toEqual([
      expect.stringMatching(new RegExp(`^${host.url}assets/worker-[\\w-]+\\.js$`)),
    ])
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)
    expect(scope).toBe(host.url)
    // Everything came from the app's own folder, and nothing was missing.
    expect(host.missing).toEqual([])
    expect(host.requests.filter((p) => !p.startsWith('/course/podpath/'))).toEqual([])
    for (const chunk of [/ClusterGraph-[\w-]+\.js$/, /mode2-flannel-vxlan-[\w-]+\.yaml$/])
      expect(host.requests.filter((p) => chunk.test(p))).not.toEqual([])
  })

  test('carries a strict Content-Security-Policy that refuses inline script and eval', async ({
    page,
    pageErrors,
  }) => {
    await page.goto(`${host.url}?lesson=mode1-localhost&lang=en`)
    await expect(page.locator('.step-list')).toBeVisible(FIRST_VISIT)
    const policy = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content')
    for (const directive of [
      "script-src 'self'",
      "worker-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
    ])
      expect(policy).toContain(directive)
    expect(policy).not.toMatch(/unsafe-|data:|blob:|\*/)
    // What the policy is there for: a script slipped into the page does not run, and code made
    // from a string is refused (in a task of the page's own: DevTools' evaluation is exempt).
    await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'document.body.dataset.injected = "ran"'
      document.head.append(s)
      setTimeout(() => {
        try {
          document.body.dataset.evaluated = String(eval('"ran"'))
        } catch (e) {
          document.body.dataset.evaluated = (e as Error).name
        }
      })
    })
    await expect(page.locator('body')).toHaveAttribute('data-evaluated', 'EvalError')
    await expect(page.locator('body')).not.toHaveAttribute('data-injected')
    // ... and the shared fixture saw both violations, so any test that caused one would fail.
    await expect
      .poll(() => pageErrors.filter((e) => e.startsWith('console: CSP violation')).length)
      .toBe(2)
    expect(pageErrors).toContain('console: CSP violation: script-src-elem blocked inline')
    expect(pageErrors).toContain('console: CSP violation: script-src blocked eval')
    // Caused on purpose here: not this test's failure.
    pageErrors.length = 0
  })
})
