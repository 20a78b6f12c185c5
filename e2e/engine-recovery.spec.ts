/**
 * The engine's worker dies, in each way a worker can: it closes itself, someone terminates it,
 * an exception nothing caught. The app notices (none of the first two fires an error event),
 * starts a new one, says so, and the learner is still at the step they were at. A run that
 * hangs is the learner's to cancel.
 */
import type { Page, Worker as PageWorker } from '@playwright/test'
import { expect, param, test } from './fixtures.ts'

const LESSON = '/?lesson=mode2-flannel-vxlan&lang=en&step=5'

/** Keeps every Worker the page makes, so the test can terminate one as any script could. */
async function keepWorkers(page: Page) {
  await page.addInitScript(() => {
    const made: Worker[] = []
    const Real = window.Worker
    window.Worker = class extends Real {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args)
        made.push(this)
      }
    }
    Object.assign(window, { madeWorkers: made })
  })
}

/** The engine's worker, once the lesson is on screen. */
async function engineWorker(page: Page): Promise<PageWorker> {
  await expect(page.locator('.step-list > li').nth(5)).toHaveClass(/selected/)
  await expect.poll(() => page.workers().length).toBe(1)
  return page.workers()[0]!
}

/** Keeps the worker busy for ever from its next task on, as a run that never ends would. */
async function hang(w: PageWorker) {
  await w.evaluate(() => {
    setTimeout(() => {
      for (;;);
    })
  })
}

const kills: {
  way: string
  kill: (page: Page, w: PageWorker) => Promise<unknown>
  says: RegExp
}[] = [
  {
    way: 'closes itself (self.close())',
    kill: (_, w) => w.evaluate(() => self.close()),
    says: /stopped without reporting an error/,
  },
  {
    way: 'is terminated from outside',
    kill: (page) =>
      page.evaluate(() =>
        (window as unknown as { madeWorkers: Worker[] }).madeWorkers.at(-1)!.terminate(),
      ),
    says: /stopped without reporting an error/,
  },
  {
    way: 'throws an exception nothing catches',
    kill: (_, w) =>
      w.evaluate(() => {
        setTimeout(() => {
          throw new Error('thrown by the test')
        })
      }),
    says: /failed \(Uncaught Error: thrown by the test\)/,
  },
]

test.describe('when the engine’s worker dies', () => {
  for (const { way, kill, says } of kills) {
    test(`the app recovers at the same step when the worker ${way}`, async ({ page }) => {
      await keepWorkers(page)
      await page.goto(LESSON)
      const first = await engineWorker(page)
      const closed = new Promise((resolve) => first.once('close', resolve))
      await kill(page, first)
      const status = page.getByRole('status', { name: 'PodPath status' })
      await expect(status).toContainText(says)
      await expect(status).toContainText('You are still at step 5.')
      // Nothing moved, nothing waits.
      expect(param(page, 'step')).toBe('5')
      await expect(page.locator('.step-list > li').nth(5)).toHaveClass(/selected/)
      await expect(page.locator('.lesson-body')).toHaveAttribute('aria-busy', 'false')
      // A new worker holds the lesson and answers the next request.
      if (!way.startsWith('throws')) await closed
      await expect.poll(() => page.workers().filter((w) => w !== first).length).toBe(1)
      await page.getByRole('button', { name: 'Send it again as a new connection' }).click()
      await expect.poll(() => param(page, 'conn')).toBe('2')
      await expect(page.getByText('Connection 2 of this session')).toBeVisible()
      // The next request of the learner's closes the notice.
      await expect(status).not.toContainText(says)
    })
  }

  test('a worker killed in the middle of a run: the run is done again by the next one', async ({
    page,
  }) => {
    await keepWorkers(page)
    await page.goto(LESSON)
    const first = await engineWorker(page)
    // The worker is stuck in a loop (a task of its own) when the request comes.
    await hang(first)
    await page.getByRole('button', { name: 'Send it again as a new connection' }).click()
    await expect(page.locator('.lesson-body')).toHaveAttribute('aria-busy', 'true')
    await page.evaluate(() =>
      (window as unknown as { madeWorkers: Worker[] }).madeWorkers.at(-1)!.terminate(),
    )
    const status = page.getByRole('status', { name: 'PodPath status' })
    await expect(status).toContainText(/stopped without reporting an error/)
    await expect.poll(() => param(page, 'conn')).toBe('2')
    await expect(page.locator('.lesson-body')).toHaveAttribute('aria-busy', 'false')
  })
})

test.describe('a run the learner does not want to wait for', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`Cancel stops it and goes back to the step shown before (${lang})`, async ({ page }) => {
      const zh = lang === 'zh-CN'
      await page.goto(`/?lesson=mode2-flannel-vxlan&lang=${lang}&step=5`)
      const first = await engineWorker(page)
      await hang(first)
      await page.getByRole('button', { name: zh ? '作为新连接再发一次' : /new connection/ }).click()
      const status = page.getByRole('status', { name: zh ? 'PodPath 状态' : 'PodPath status' })
      await expect(status).toContainText(zh ? '模拟器正在计算…' : 'The simulator is working…')
      await status.getByRole('button', { name: zh ? '取消模拟器的这次运行' : /Cancel/ }).click()
      await expect(status).toContainText(
        zh ? '已取消。模拟器已停止并重新启动。你仍在第 5 步。' : 'Cancelled.',
      )
      if (!zh) await expect(status).toContainText('You are still at step 5.')
      await expect(page.locator('.lesson-body')).toHaveAttribute('aria-busy', 'false')
      expect(param(page, 'step')).toBe('5')
      expect(param(page, 'conn')).toBe(null)
      // The keyboard's place is on what answered the Cancel.
      await expect(status.getByRole('button', { name: zh ? '关闭' : 'Dismiss' })).toBeFocused()
      // A fresh worker answers the next request.
      await expect.poll(() => page.workers().filter((w) => w !== first).length).toBe(1)
      await page.getByRole('button', { name: zh ? '作为新连接再发一次' : /new connection/ }).click()
      await expect.poll(() => param(page, 'conn')).toBe('2')
    })
  }
})
