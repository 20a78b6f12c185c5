/**
 * The lesson as a stage (issue 11): graph text large enough to read at every size, keys that
 * step whatever was clicked, presenter mode and its speaker window, phases that fold, boxes
 * that open, and no view that fails axe, in either language.
 */
import type { Page } from '@playwright/test'
import { foldsFor, shownSteps } from '../src/app/fold.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import { inspectAt } from '../src/sim/inspect.ts'
import { inspectTarget } from '../src/ui/graph/inspect-target.ts'
import { engineView } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const byId = (id: string) => LESSONS.find((l) => l.id === id)!

/** One lesson of each mode. */
const ONE_PER_MODE = [
  'mode1-localhost',
  'mode2-flannel-vxlan',
  'mode3-clusterip-iptables',
  'mode4-ingress-nginx',
]

/**
 * The graph text at the packet's hop as the learner sees it: each text of the current box and
 * of the packet's own label, its computed font size times the graph's zoom, once the camera has
 * come to rest. Returns the smallest and the largest.
 */
async function hopText(page: Page): Promise<{ min: number; max: number; zoom: number }> {
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

/** Steps worth measuring: the first displayed one, one in the middle and the last. */
function sampleSteps(id: string): number[] {
  const lesson = byId(id)
  const engine = engineView(lesson)
  const t = engine.traceOf(engine.traffic[0]!)
  const shown = shownSteps(t.steps.length, foldsFor(lesson, t.steps), new Set())
  const at = (i: number) => {
    const x = shown[i]!
    return x.kind === 'step' ? x.position : x.fold.start
  }
  return [...new Set([at(0), at(Math.floor(shown.length / 2)), at(shown.length - 1)])]
}

const noPageScrollX = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

test.describe('graph text at the packet’s hop', () => {
  // Heavy: four lessons, three steps each, at four sizes.
  test.slow()
  for (const [name, size, min, extra] of [
    ['1280x800', { width: 1280, height: 800 }, 12, ''],
    ['1024x768', { width: 1024, height: 768 }, 11, ''],
    // Not a figure the issue names: a phone holds the graph at the laptop's 1024 px minimum.
    ['390x844', { width: 390, height: 844 }, 11, ''],
    ['presenter 1920x1080', { width: 1920, height: 1080 }, 20, '&present=1'],
  ] as const) {
    test(`is at least ${min} px at ${name}, in one lesson of each mode`, async ({ page }) => {
      await page.setViewportSize(size)
      for (const id of ONE_PER_MODE) {
        for (const step of sampleSteps(id)) {
          await page.goto(`/?lesson=${id}&lang=en&step=${step}${extra}`)
          await expect(page.getByTestId('packet')).toBeVisible()
          await expect(page.locator('.g-box.is-current')).toHaveCount(1)
          const text = await hopText(page)
          console.log(
            `graph text ${name} ${id} step ${step}: ${text.min.toFixed(1)}-${text.max.toFixed(1)} px (zoom ${text.zoom.toFixed(2)})`,
          )
          expect(text.min, `${id} step ${step} at ${name}`).toBeGreaterThanOrEqual(min)
        }
        if (size.width < 500)
          expect(await noPageScrollX(page), `${id}: no sideways scroll`).toBe(true)
      }
    })
  }

  test('presenter mode’s caption is at least 28 px at 1920x1080', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&present=1&step=7')
    const caption = page.locator('.narration-text')
    await expect(caption).toBeVisible()
    const px = await caption.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    console.log(`presenter caption 1920x1080: ${px.toFixed(1)} px`)
    expect(px).toBeGreaterThanOrEqual(28)
  })
})

test.describe('every size', () => {
  for (const width of [360, 390]) {
    test(`${width} px: no sideways page scroll; graph, caption and step buttons by touch`, async ({
      page,
    }) => {
      await page.setViewportSize({ width, height: 800 })
      await page.goto('/?lang=en')
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
      expect(await noPageScrollX(page)).toBe(true)
      await page.goto('/?lesson=mode4-ingress-nginx&lang=zh-CN')
      await expect(page.getByTestId('packet')).toBeVisible()
      expect(await noPageScrollX(page)).toBe(true)
      // Step buttons a finger can hit (44 px, WCAG 2.5.5), on the first screen.
      const next = page.getByRole('button', { name: '下一步' })
      const box = (await next.boundingBox())!
      expect(box.height).toBeGreaterThanOrEqual(44)
      expect(box.width).toBeGreaterThanOrEqual(44)
      expect(box.y + box.height).toBeLessThanOrEqual(800)
      await expect(page.getByTestId('narration')).toBeInViewport()
      // A swipe left over the caption is the next step; right, the one before.
      const caption = page.locator('.stage-caption')
      const c = (await caption.boundingBox())!
      const swipe = async (dx: number) => {
        const y = c.y + c.height / 2
        const x = c.x + c.width / 2
        const ev = { pointerType: 'touch', isPrimary: true, pointerId: 7, clientY: y }
        await caption.dispatchEvent('pointerdown', { ...ev, clientX: x - dx / 2 })
        await caption.dispatchEvent('pointerup', { ...ev, clientX: x + dx / 2 })
      }
      const before = Number(param(page, 'step'))
      await swipe(-120)
      await expect.poll(() => Number(param(page, 'step'))).toBeGreaterThan(before)
      const after = Number(param(page, 'step'))
      await swipe(120)
      await expect.poll(() => Number(param(page, 'step'))).toBeLessThan(after)
      expect(await noPageScrollX(page)).toBe(true)
      // The longest words a step shows: nftables names each endpoint's chain in full.
      const nft = byId('mode3-clusterip-nftables')
      const engine = engineView(nft)
      const t = engine.traceOf(engine.traffic[0]!)
      for (const step of [
        t.steps.findIndex((s) => s.action === 'dnat'),
        t.steps.findIndex((s) => s.phase === 'request' && s.action === 'dnat'),
      ]) {
        await page.goto(`/?lesson=${nft.id}&lang=en&step=${step}`)
        await expect(page.locator('.step.selected .lookups')).toBeVisible()
        expect(await noPageScrollX(page), `nftables step ${step}`).toBe(true)
      }
    })
  }

  test('1024x768: the caption beside the graph and Play above the fold', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.goto('/?lesson=mode4-ingress-nginx&lang=en')
    await expect(page.getByTestId('packet')).toBeVisible()
    const graph = (await page.locator('.graph-canvas').boundingBox())!
    const caption = (await page.getByTestId('narration').boundingBox())!
    expect(caption.x).toBeGreaterThanOrEqual(graph.x + graph.width)
    const play = (await page.getByTestId('play').boundingBox())!
    expect(play.y + play.height).toBeLessThanOrEqual(768)
    expect(await noPageScrollX(page)).toBe(true)
  })

  test('the matched rule shows in the drawer without scrolling the page, on one line', async ({
    page,
  }) => {
    const lesson = byId('mode3-clusterip-iptables')
    const engine = engineView(lesson)
    const t = engine.traceOf(engine.traffic[0]!)
    const dnat = t.steps.findIndex((s) => s.phase === 'request' && s.action === 'dnat')
    await page.goto(`/?lesson=${lesson.id}&lang=en&step=${dnat}`)
    const matched = page.locator('[data-testid="tables-panel"] .table-line.matched').first()
    await expect(matched).toBeInViewport()
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    // One line, however long: it scrolls sideways in its table.
    const lines = await matched.locator('pre').evaluate((e) => {
      const style = getComputedStyle(e)
      return e.getBoundingClientRect().height / parseFloat(style.lineHeight || style.fontSize)
    })
    expect(lines).toBeLessThan(1.8)
  })
})

test.describe('keys that always work', () => {
  const lesson = byId('mode2-flannel-vxlan')

  /** Right, Page Down and Space each step on by one, and the page does not scroll. */
  async function keysStep(page: Page, what: string) {
    const from = Number(param(page, 'step'))
    for (const [i, key] of ['ArrowRight', 'PageDown', ' '].entries()) {
      await page.keyboard.press(key)
      await expect
        .poll(() => param(page, 'step'), { message: `${key} after ${what}` })
        .toBe(String(from + i + 1))
    }
    expect(await page.evaluate(() => window.scrollY), `no page scroll after ${what}`).toBe(0)
  }

  test('step the lesson after a click on a lesson link, the language, the graph, the title, the narration', async ({
    page,
  }) => {
    const other = byId('mode2-same-node')
    await page.goto(`/?lesson=${other.id}&lang=en`)
    const tree = page.getByRole('navigation', { name: 'Cluster networking' })
    await tree.getByRole('button', { name: 'Show the lessons' }).click()
    await tree.getByRole('link', { name: lesson.title.en }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.en)
    await expect(page.getByTestId('packet')).toBeVisible()
    await keysStep(page, 'a lesson link')

    await page.getByRole('button', { name: '中文' }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await keysStep(page, 'the language button')
    await page.getByRole('button', { name: 'English' }).click()

    // The graph's background, away from every box.
    const pane = page.locator('.react-flow__pane')
    const p = (await pane.boundingBox())!
    await page.mouse.click(p.x + p.width - 12, p.y + 12)
    await keysStep(page, 'the graph background')

    await page.getByRole('heading', { level: 1 }).click()
    await keysStep(page, 'the title')

    await page.locator('.narration-text').click()
    await keysStep(page, 'the narration')

    // Back, Home and End too, and Shift+Space back.
    await page.keyboard.press('Shift+Space')
    await expect.poll(() => param(page, 'step')).toBe('14')
    await page.keyboard.press('End')
    const n = engineView(lesson).traceOf('client-to-web').steps.length
    await expect.poll(() => param(page, 'step')).toBe(String(n - 1))
    await page.keyboard.press('Home')
    await expect.poll(() => param(page, 'step')).toBe('0')
  })

  test('leave typing in the scenario dialog alone, and work again when it closes', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en&step=2`)
    await expect(page.getByTestId('packet')).toBeVisible()
    await page.getByRole('button', { name: 'Open a scenario' }).click()
    const dialog = page.getByRole('dialog', { name: 'Open your own scenario' })
    const text = dialog.getByLabel('Or paste the YAML')
    await text.click()
    for (const key of ['ArrowRight', 'PageDown', ' ', 'b', 'f', 'p', '?', 'End'])
      await page.keyboard.press(key)
    await page.keyboard.type('kind: Pod')
    await expect(text).toHaveValue(' bfp?kind: Pod')
    expect(param(page, 'step')).toBe('2')
    await expect(page.getByTestId('blank')).toBeHidden()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    await page.keyboard.press('PageDown')
    await expect.poll(() => param(page, 'step')).toBe('3')
  })

  test('list themselves on ?, in both languages, and pass axe', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en`)
    await expect(page.getByTestId('packet')).toBeVisible()
    await page.keyboard.press('?')
    const help = page.getByRole('dialog', { name: 'Keys that work anywhere on the stage' })
    await expect(help).toBeVisible()
    await expect(help).toContainText('PageDown')
    await expect(help).toContainText('Blank the screen')
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await expect(help).toBeHidden()
    await page.getByRole('button', { name: '中文' }).click()
    await page.getByRole('button', { name: '键盘快捷键（?）' }).click()
    await expect(page.getByRole('dialog', { name: '在整个演示区域都可用的按键' })).toBeVisible()
    expect(await seriousA11yViolations(page)).toEqual([])
  })
})

test.describe('presenter mode', () => {
  test.use({ viewport: { width: 1920, height: 1080 } })
  const lesson = byId('mode2-flannel-vxlan')

  test('is driven end to end with PageDown, PageUp, B and Esc', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en`)
    await page.getByRole('button', { name: 'Present' }).click()
    await expect.poll(() => param(page, 'present')).toBe('1')
    const counter = page.getByTestId('step-counter')
    await expect(counter).toHaveText('1 / 28')
    // Only the graph, the packet, the caption and the counter.
    await expect(page.getByRole('banner')).toHaveCount(0)
    await expect(page.getByRole('toolbar', { name: 'Playback' })).toHaveCount(0)
    await expect(page.getByTestId('tables-panel')).toHaveCount(0)
    await expect(page.locator('.step-list')).toHaveCount(0)
    await expect(page.getByTestId('packet')).toBeVisible()
    await expect(page.locator('.narration-text')).toBeVisible()
    for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown')
    await expect(counter).toHaveText('4 / 28')
    await page.keyboard.press('PageUp')
    await expect(counter).toHaveText('3 / 28')
    await page.keyboard.press('b')
    await expect(page.getByTestId('blank')).toBeVisible()
    await page.keyboard.press('b')
    await expect(page.getByTestId('blank')).toBeHidden()
    await page.keyboard.press('b')
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('blank')).toBeHidden()
    await expect(counter).toHaveText('3 / 28')
    await page.keyboard.press('Escape')
    await expect(page.getByRole('banner')).toBeVisible()
    await expect.poll(() => param(page, 'present')).toBeNull()
    expect(param(page, 'step')).toBe('2')
  })

  test('opens ready to project from its address, with a pointer spot that follows the mouse', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en&present=1&step=5`)
    await expect(page.getByTestId('step-counter')).toHaveText('6 / 28')
    await page.mouse.move(700, 400)
    await page.mouse.move(720, 420)
    const spot = page.locator('.pointer-spot')
    await expect(spot).toHaveAttribute('data-on', '')
    const r = (await spot.boundingBox())!
    expect(Math.abs(r.x + r.width / 2 - 720)).toBeLessThan(3)
  })

  test('keeps its speaker window on the same step, both ways', async ({ page, context }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en&present=1&step=3`)
    await expect(page.getByTestId('step-counter')).toHaveText('4 / 28')
    const opened = context.waitForEvent('page')
    await page.keyboard.press('s')
    const speaker = await opened
    await speaker.waitForLoadState()
    expect(new URL(speaker.url()).searchParams.get('speaker')).toBe('1')
    const notes = speaker.getByTestId('step-counter')
    await expect(notes).toHaveText('4 / 28')
    const engine = engineView(lesson)
    const t = engine.traceOf(engine.traffic[0]!)
    await expect(speaker.locator('.narration-text')).toHaveText(t.steps[3]!.explain.en)
    await expect(speaker.locator('.next-step-text')).toHaveText(t.steps[4]!.explain.en)
    await expect(speaker.getByTestId('tables-panel')).toBeAttached()
    await page.keyboard.press('PageDown')
    await expect(notes).toHaveText('5 / 28')
    await speaker.keyboard.press('PageDown')
    await speaker.keyboard.press('PageDown')
    await expect(page.getByTestId('step-counter')).toHaveText('7 / 28')
    await speaker.keyboard.press('b')
    await expect(page.getByTestId('blank')).toBeVisible()
    await speaker.keyboard.press('b')
    await expect(page.getByTestId('blank')).toBeHidden()
    await page.keyboard.press('PageUp')
    await expect(notes).toHaveText('6 / 28')
    expect(await seriousA11yViolations(speaker)).toEqual([])
  })
})

test.describe('phases that fold', () => {
  const lesson = byId('mode3-clusterip-iptables')
  const engine = engineView(lesson)
  const t = engine.traceOf(engine.traffic[0]!)
  const folds = foldsFor(lesson, t.steps)
  const shown = shownSteps(t.steps.length, folds, new Set())

  test('show the DNS lookup as one step that opens, and count it once on the timeline', async ({
    page,
  }) => {
    expect(folds).toHaveLength(1)
    const fold = folds[0]!
    await page.goto(`/?lesson=${lesson.id}&lang=en`)
    await expect(page.getByTestId('fold-summary')).toContainText(
      'The DNS lookup, folded into one step',
    )
    const slider = page.getByRole('slider', { name: 'Timeline of the steps' })
    await expect(slider).toHaveAttribute('aria-valuemax', String(shown.length))
    await expect(slider.locator('.timeline-fold')).toHaveCount(1)
    await expect(page.getByTestId('playback-position')).toContainText(`(1 of ${shown.length})`)
    // One key press past the lookup: the request's first step.
    await page.keyboard.press('PageDown')
    await expect.poll(() => param(page, 'step')).toBe(String(fold.end + 1))
    await expect(page.locator('.narration-text')).toHaveText(t.steps[fold.end + 1]!.explain.en)
    await page.keyboard.press('PageUp')
    await expect.poll(() => param(page, 'step')).toBe('0')
    // Opened, it is every step again, walked one by one; folded again, one.
    const count = fold.end - fold.start + 1
    await page.getByRole('button', { name: `Open the ${count} steps` }).click()
    await expect(slider).toHaveAttribute('aria-valuemax', String(t.steps.length))
    await page.keyboard.press('PageDown')
    await expect.poll(() => param(page, 'step')).toBe('1')
    await expect(page.locator('.narration-inside')).toContainText('step 2 of')
    await page.getByRole('button', { name: 'Fold the DNS lookup again' }).click()
    await expect.poll(() => param(page, 'step')).toBe('0')
    await expect(slider).toHaveAttribute('aria-valuemax', String(shown.length))
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  test('open by themselves for a step the address names inside them', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=zh-CN&step=5`)
    await expect(page.locator('.narration-text')).toHaveText(t.steps[5]!.explain['zh-CN'])
    const slider = page.getByRole('slider', { name: '步骤时间线' })
    await expect(slider).toHaveAttribute('aria-valuemax', String(t.steps.length))
  })
})

test.describe('opening a box of the graph', () => {
  const lesson = byId('mode3-clusterip-iptables')
  const engine = engineView(lesson)
  const traffic = engine.scenario!.traffic[0]!
  const t = engine.traceOf(traffic.name)
  const dnat = t.steps.findIndex((s) => s.phase === 'request' && s.action === 'dnat')

  test('shows its tables as the engine prints them at this step, with the entries used marked', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en&step=${dnat}`)
    await expect(page.getByTestId('packet')).toBeVisible()
    // The box the packet is at (the camera keeps it on screen): a click opens its namespace.
    const current = (await page.getByTestId('packet').getAttribute('data-at'))!
    const target = inspectTarget(current)!
    expect(target).toEqual({ node: 'node-1' })
    await page.locator(`.react-flow__node[data-id="${current}"]`).click()
    const panel = page.getByTestId('box-panel')
    await expect(panel).toBeVisible()
    expect(param(page, 'box')).toBe(current)
    const expected = inspectAt(engine.cluster!, traffic, { seed: 1 }, dnat, target)!
    await expect(panel.locator('.box-section')).toHaveCount(expected.sections.length)
    const shown = await panel.locator('.box-section').evaluateAll((sections) =>
      sections.map((s) => ({
        command: s.getAttribute('data-command'),
        lines: [...s.querySelectorAll('.box-line')].map((l) => ({
          text: l.querySelector('pre')!.textContent,
          used: [...l.classList].find((c) => c.startsWith('used-'))?.slice(5) ?? null,
        })),
      })),
    )
    expect(shown).toEqual(expected.sections)
    // The conntrack entry this DNAT made, marked as made now, in words.
    const made = panel.locator('[data-command="conntrack -L"] .used-now')
    await expect(made.first()).toContainText('used at this step')
    // A step on: the tables follow.
    await page.locator('.narration-text').click()
    await page.keyboard.press('ArrowRight')
    await expect(panel).toContainText(`As they stand at step ${t.steps[dnat + 1]!.index}`)
    expect(await seriousA11yViolations(page)).toEqual([])
    await panel.getByRole('button', { name: 'Close the box' }).click()
    await expect(panel).toHaveCount(0)
  })

  test('opens from the keyboard: a box focused with Tab, then Enter', async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}&lang=en&step=${dnat}`)
    await expect(page.getByTestId('packet')).toBeVisible()
    const current = await page.getByTestId('packet').getAttribute('data-at')
    const node = page.locator(`.react-flow__node[data-id="${current}"]`)
    await node.focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('box-panel')).toBeVisible()
    expect(param(page, 'box')).toBe(current)
  })
})

test.describe('every view passes axe', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    for (const [view, query, size] of [
      ['explore', '', { width: 1280, height: 800 }],
      ['explore on a phone', '', { width: 390, height: 844 }],
      ['present', '&present=1', { width: 1920, height: 1080 }],
      ['speaker', '&speaker=1', { width: 1280, height: 800 }],
    ] as const) {
      test(`${view}, ${lang}`, async ({ page }) => {
        // axe scans the whole stage (a graph of a few hundred elements): a minute on two
        // loaded cores.
        test.slow()
        await page.setViewportSize(size)
        await page.goto(`/?lesson=mode4-ingress-nginx&lang=${lang}&step=12${query}`)
        await expect(page.locator('.narration-text')).toBeVisible()
        if (view !== 'speaker') await expect(page.getByTestId('packet')).toBeVisible()
        // Presenter mode's buttons fade out a few seconds after it starts: scanned half faded
        // (a loaded machine reaches the scan late) their text is faint. Scan them as the
        // teacher sees them on reaching for them, shown under the mouse.
        if (view === 'present') await page.locator('.presenter-tools').hover()
        expect(await seriousA11yViolations(page)).toEqual([])
      })
    }
    test(`the inspector drawer with an opened box, ${lang}`, async ({ page }) => {
      await page.goto(`/?lesson=mode3-clusterip-iptables&lang=${lang}&step=45`)
      await expect(page.getByTestId('packet')).toBeVisible()
      const current = await page.getByTestId('packet').getAttribute('data-at')
      await page.locator(`.react-flow__node[data-id="${current}"]`).click()
      await expect(page.getByTestId('box-panel')).toBeVisible()
      expect(await seriousA11yViolations(page)).toEqual([])
    })
  }
})
