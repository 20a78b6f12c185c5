import { en } from '../src/i18n/en.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import { engineView, lessonFileExists } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'
import { expectPanelsAt, interestingStep } from './panels.ts'

for (const lesson of LESSONS) {
  test.describe(`lesson ${lesson.id}`, () => {
    test.skip(!lessonFileExists(lesson), `src/lessons/${lesson.file} is not written yet`)

    test('shows what the engine computes, steps with the keyboard, speaks Chinese, passes axe', async ({
      page,
    }) => {
      // Each test opens its lesson in two languages, walks its steps and runs axe twice: on two
      // shared cores beside other builds that takes up to a minute (a thousand Services more).
      test.slow()
      const engine = engineView(lesson)
      await page.goto(`/?lesson=${lesson.id}&lang=en`)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
      const tree = page.getByRole('navigation', { name: 'Cluster networking' })
      // The list folds away when a lesson opens, so the stage has the width; it opens again.
      await tree.getByRole('button', { name: 'Show the lessons' }).click()
      await expect(tree.getByRole('link', { name: lesson.title.en })).toHaveAttribute(
        'aria-current',
        'page',
      )

      if (!engine.cluster) {
        // The error lesson: the diagnostics are the lesson, as Kubernetes would word them.
        const box = page.getByRole('region', { name: 'What Kubernetes would tell you' })
        await expect(box).toBeVisible()
        const errors = engine.diagnostics.filter((d) => d.severity === 'error')
        expect(errors.length).toBeGreaterThan(0)
        for (const d of errors) {
          await expect(box.getByText(`${d.file}:${d.line}:${d.col}`)).toBeVisible()
          await expect(box.getByText(d.message.en)).toBeVisible()
          // ... and the line it points to, marked in the scenario file shown below it.
          const line = page.locator(`.scenario-source .source-line[data-line="${d.line}"]`)
          await expect(line).toHaveClass(/marked/)
          await expect(line).toBeVisible()
        }
        await expect(page.locator('.step-list')).toHaveCount(0)

        await page.getByRole('button', { name: '中文' }).click()
        await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
        const zhBox = page.getByRole('region', { name: 'Kubernetes 会这样告诉你' })
        await expect(zhBox.getByText(errors[0]!.message['zh-CN'])).toBeVisible()
      } else {
        const t = engine.traceOf(engine.traffic[0]!)
        const n = t.steps.length
        const steps = page.locator('.step-list > li')
        await expect(steps).toHaveCount(n)
        await expect(page.getByTestId('step-count')).toHaveText(`${n} step${n === 1 ? '' : 's'}`)
        const current = page.locator('[aria-current="step"]')
        await expect(current).toHaveCount(1)

        // Select the first step, then walk down and back up with the keyboard.
        await steps.first().getByRole('button').click()
        await expect(current.locator('.step-index')).toHaveText(String(t.steps[0]!.index))
        expect(param(page, 'step')).toBe('0')
        const down = Math.min(2, n - 1)
        for (let i = 0; i < down; i++) await page.keyboard.press('ArrowDown')
        await expect(current.locator('.step-index')).toHaveText(String(t.steps[down]!.index))
        await expect(steps.nth(down)).toHaveClass(/selected/)
        await expect.poll(() => param(page, 'step')).toBe(String(down))
        await page.keyboard.press('ArrowUp')
        const up = Math.max(0, down - 1)
        await expect(steps.nth(up)).toHaveClass(/selected/)
        await expect.poll(() => param(page, 'step')).toBe(String(up))
        await page.keyboard.press('End')
        await expect(steps.last()).toHaveClass(/selected/)
        await expect.poll(() => param(page, 'step')).toBe(String(n - 1))
        await expect(steps.last().getByRole('button')).toBeFocused()
        await page.keyboard.press('Home')
        await expect(steps.first()).toHaveClass(/selected/)
        await expect.poll(() => param(page, 'step')).toBe('0')

        await expect(page.getByTestId('outcome')).toHaveText(en.outcome[t.outcome])
        // The backend the connection reached, and the address the client dialled when it differs.
        if (t.endpoint) {
          const reached = page.getByTestId('endpoint')
          await expect(reached).toContainText(`${t.endpoint.ip}:${t.endpoint.port}`)
          if (t.endpoint.pod) await expect(reached).toContainText(t.endpoint.pod)
          const same = t.dialled?.ip === t.endpoint.ip && t.dialled.port === t.endpoint.port
          if (t.dialled && !same)
            await expect(reached).toContainText(`dialled ${t.dialled.ip}:${t.dialled.port}`)
        } else await expect(page.getByTestId('endpoint')).toHaveCount(0)
        const reasonShown = page.locator('.outcome-reason')
        if (t.reason) await expect(reasonShown).toHaveText(t.reason.en)
        else await expect(reasonShown).toHaveCount(0)
        await expect(steps.first().locator('.explain')).toHaveText(t.steps[0]!.explain.en)

        // The workspace's panels follow the step, forward and back, by button and by key.
        await expectPanelsAt(page, t, 0, 'en')
        const controls = page.getByRole('toolbar', { name: 'Playback' })
        const next = controls.getByRole('button', { name: 'Next step' })
        const previous = controls.getByRole('button', { name: 'Previous step' })
        if (n > 1) {
          await next.click()
          await expectPanelsAt(page, t, 1, 'en')
          if (n > 2) {
            await page.keyboard.press('ArrowRight')
            await expect.poll(() => param(page, 'step')).toBe('2')
            await expectPanelsAt(page, t, 2, 'en')
            await page.keyboard.press('ArrowLeft')
            await expect.poll(() => param(page, 'step')).toBe('1')
            await expectPanelsAt(page, t, 1, 'en')
          }
          await previous.click()
          await expectPanelsAt(page, t, 0, 'en')
        }
        // A step that rewrites the packet and reads a table, chosen from the list; and the last.
        const k = interestingStep(t)
        await steps.nth(k).locator('button.step-head').click()
        await expectPanelsAt(page, t, k, 'en')
        await page.keyboard.press('End')
        await expectPanelsAt(page, t, n - 1, 'en')
        await page.keyboard.press('Home')

        await page.getByRole('button', { name: '中文' }).click()
        await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
        await expect(steps.first().locator('.explain')).toHaveText(t.steps[0]!.explain['zh-CN'])
        await expectPanelsAt(page, t, 0, 'zh-CN')
        await expect(page.getByRole('heading', { name: '逐步解析' })).toBeVisible()
        // The engine says why in Chinese too; the page shows its words, translating nothing.
        if (t.reason) await expect(reasonShown).toHaveText(t.reason['zh-CN'])
      }

      await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title['zh-CN'])
      await expect.poll(() => param(page, 'lang')).toBe('zh-CN')
      expect(await seriousA11yViolations(page)).toEqual([])
    })
  })
}
