import { LESSONS } from '../src/lessons/catalog.ts'
import { summarize } from '../src/sim/summary.ts'
import { graphExtras } from '../src/ui/graph/extras.ts'
import { layoutCluster } from '../src/ui/graph/layout.ts'
import { boxIds, locate } from '../src/ui/graph/locate.ts'
import { engineView } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

/** Where the engine's trace puts the packet at each step, as the graph should draw it. */
function expectedPlaces(id: string): string[] {
  const lesson = LESSONS.find((l) => l.id === id)!
  const engine = engineView(lesson)
  const cluster = summarize(engine.cluster!)
  const trace = engine.traceOf(engine.traffic[0]!)
  const ids = boxIds(layoutCluster(cluster, graphExtras(cluster, trace)))
  return trace.steps.map((s) => locate(s.at, ids)!)
}

test.describe('the cluster graph', () => {
  test('draws both nodes and the client and web Pods, and moves the packet step by step', async ({
    page,
  }) => {
    const places = expectedPlaces('mode2-flannel-vxlan')
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en')
    const graph = page.getByRole('figure', { name: /Cluster graph/ })
    await expect(graph).toBeVisible()
    for (const box of ['node:node-1', 'node:node-2', 'pod:default/client', 'pod:default/web-0'])
      await expect(graph.locator(`[data-box="${box}"]`)).toBeVisible()
    await expect(graph.locator('[data-box="dev:node-1:flannel.1"]')).toBeVisible()
    await expect(graph.locator('[data-box="underlay"]')).toBeVisible()

    const packet = page.getByTestId('packet')
    await expect(packet).toHaveAttribute('data-at', places[0]!)
    await expect(graph.locator('.is-current')).toHaveAttribute('data-box', places[0]!)

    const controls = page.getByRole('toolbar', { name: 'Playback' })
    await controls.getByRole('button', { name: 'Next step' }).click()
    await expect(packet).toHaveAttribute('data-at', places[1]!)
    await expect(graph.locator('.is-current')).toHaveAttribute('data-box', places[1]!)
    // The step list follows, and so does the address.
    await expect(page.locator('.step-list > li').nth(1)).toHaveClass(/selected/)
    await expect.poll(() => param(page, 'step')).toBe('1')

    // The same keys as the step list: right steps forward, left back, End and Home jump.
    await page.keyboard.press('ArrowRight')
    await expect(packet).toHaveAttribute('data-at', places[2]!)
    await page.keyboard.press('End')
    await expect(packet).toHaveAttribute('data-at', places.at(-1)!)
    await expect(page.locator('.step-list > li').last()).toHaveClass(/selected/)
    await page.keyboard.press('Home')
    await expect(packet).toHaveAttribute('data-at', places[0]!)
    await controls.getByRole('button', { name: 'Last step' }).click()
    await expect(packet).toHaveAttribute('data-at', places.at(-1)!)
    await controls.getByRole('button', { name: 'Previous step' }).click()
    await expect(packet).toHaveAttribute('data-at', places.at(-2)!)
    await controls.getByRole('button', { name: 'First step' }).click()
    await expect(packet).toHaveAttribute('data-at', places[0]!)
    await expect(controls.getByRole('button', { name: 'First step' })).toBeDisabled()
    // From the graph's own buttons too.
    await page.getByRole('button', { name: 'Zoom in' }).click()
    await page.keyboard.press('ArrowRight')
    await expect(packet).toHaveAttribute('data-at', places[1]!)
  })

  test('plays through the steps at the chosen speed, and pauses', async ({ page }) => {
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en')
    const controls = page.getByRole('toolbar', { name: 'Playback' })
    await controls.getByLabel('Speed').selectOption('4')
    await controls.getByRole('button', { name: 'Play' }).click()
    await expect(controls.getByRole('button', { name: 'Pause' })).toBeVisible()
    await expect.poll(() => Number(param(page, 'step')), { timeout: 5000 }).toBeGreaterThan(2)
    await controls.getByRole('button', { name: 'Pause' }).click()
    const stopped = param(page, 'step')
    await page.waitForTimeout(1000)
    expect(param(page, 'step')).toBe(stopped)
    await expect(page.locator('.step-list > li').nth(Number(stopped))).toHaveClass(/selected/)
  })

  test('Space plays and pauses when nothing is focused', async ({ page }) => {
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&step=0')
    const play = page.getByTestId('play')
    await expect(play).toHaveText('Play')
    await page.locator('body').focus()
    await page.keyboard.press(' ')
    await expect(play).toHaveText('Pause')
    await page.keyboard.press(' ')
    await expect(play).toHaveText('Play')
  })

  test('follows the packet at a readable zoom when asked to', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.goto('/?lesson=mode3-clusterip-iptables&lang=en')
    const follow = page.getByRole('button', { name: 'Follow the packet' })
    const scale = () =>
      page
        .locator('.react-flow__viewport')
        .evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a)
    await expect.poll(scale).toBeLessThan(1)
    await follow.click()
    await expect(follow).toHaveAttribute('aria-pressed', 'true')
    await expect.poll(scale).toBeGreaterThanOrEqual(1)
    // The packet's box is in the middle of the graph.
    await page.getByRole('button', { name: 'Next step' }).click()
    const centre = async (selector: string) => {
      const b = (await page.locator(selector).boundingBox())!
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 }
    }
    await expect
      .poll(async () => {
        const [box, canvas] = [await centre('.g-box.is-current'), await centre('.graph-canvas')]
        return Math.max(Math.abs(box.x - canvas.x), Math.abs(box.y - canvas.y))
      })
      .toBeLessThan(5)
    await follow.click()
    await expect.poll(scale).toBeLessThan(1)
  })

  test('brings one layer forward and dims the rest, never the packet’s box', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&step=3')
    const layers = page.getByRole('group', { name: 'Bring forward' })
    const opacity = (box: string) =>
      page.locator(`[data-box="${box}"]`).evaluate((e) => Number(getComputedStyle(e).opacity))
    expect(await opacity('dev:node-2:veth1236c36f')).toBe(1)
    await layers.getByRole('button', { name: 'L3: Pods, nodes, tunnels' }).click()
    await expect(layers.getByRole('button', { name: 'L3: Pods, nodes, tunnels' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    await expect.poll(() => opacity('dev:node-2:veth1236c36f')).toBeLessThan(0.5)
    expect(await opacity('dev:node-2:flannel.1')).toBe(1)
    // Step 3 is at a host veth end: dimmed elsewhere, but not where the packet is.
    const current = (await page.getByTestId('packet').getAttribute('data-at'))!
    expect(current).toMatch(/^dev:node-1:veth/)
    expect(await opacity(current)).toBe(1)
  })

  test('marks a drop with a cross and the reason where it happened', async ({ page }) => {
    const places = expectedPlaces('mode2-bridge-no-route')
    await page.goto('/?lesson=mode2-bridge-no-route&lang=en&step=999')
    const packet = page.getByTestId('packet')
    await expect(packet).toHaveAttribute('data-at', places.at(-1)!)
    await expect(packet).toHaveClass(/stopped/)
    await expect(packet).toContainText('Dropped')
    await expect(packet).toContainText('underlay has no route')
  })

  test('keeps the packet still for a learner who prefers reduced motion', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en')
    const packet = page.getByTestId('packet')
    await expect(packet).toBeVisible()
    expect(await packet.evaluate((e) => getComputedStyle(e).transitionProperty)).toBe('none')
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`speaks Chinese and passes axe (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme })
      await page.goto('/?lesson=mode3-loadbalancer&lang=zh-CN')
      const controls = page.getByRole('toolbar', { name: '播放' })
      await expect(controls.getByRole('button', { name: '下一步' })).toBeVisible()
      await expect(page.getByRole('figure', { name: /集群图/ })).toBeVisible()
      await expect(page.getByRole('button', { name: '放大' })).toBeVisible()
      await expect(page.locator('[data-box="underlay"]')).toContainText('底层网络')
      expect(await seriousA11yViolations(page)).toEqual([])
    })
  }
})
