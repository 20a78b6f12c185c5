import { LESSONS } from '../src/lessons/catalog.ts'
import { summarize } from '../src/sim/summary.ts'
import { graphExtras } from '../src/ui/graph/extras.ts'
import { layoutCluster } from '../src/ui/graph/layout.ts'
import { boxIds, locate } from '../src/ui/graph/locate.ts'
import { STEP_MS } from '../src/app/store.ts'
import { engineView } from './engine.ts'
import type { Page } from '@playwright/test'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

/** The engine's trace of a lesson's first traffic, as the app shows it. */
function firstTrace(id: string) {
  const lesson = LESSONS.find((l) => l.id === id)!
  const engine = engineView(lesson)
  const cluster = summarize(engine.cluster!)
  const trace = engine.traceOf(engine.traffic[0]!)
  const layout = layoutCluster(cluster, graphExtras(cluster, trace))
  return { trace, layout }
}

/** Where the engine's trace puts the packet at each step, as the graph should draw it. */
function expectedPlaces(id: string): string[] {
  const { trace, layout } = firstTrace(id)
  const ids = boxIds(layout)
  return trace.steps.map((s) => locate(s.at, ids)!)
}

/** The packet's own point on screen (where it rests, or where it is on its way), and a box's. */
async function packetPoint(page: Page) {
  return page.getByTestId('packet').evaluate((e) => {
    const r = e.getBoundingClientRect()
    return { x: r.x, y: r.y, moving: 'moving' in (e as HTMLElement).dataset }
  })
}
async function boxRect(page: Page, id: string) {
  return (await page.locator(`[data-box="${id}"]`).boundingBox())!
}

/**
 * Stops the page's clock (timers, animation frames, performance.now: Playwright's fake clock,
 * installed before the page loaded): from here time moves only by `page.clock.runFor`, so what
 * a test sees does not depend on how busy the machine is.
 */
async function freezeClock(page: Page) {
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
}

/** From now on, where the packet is drawn each time its position is written (every frame). */
async function recordPacket(page: Page) {
  await page.getByTestId('packet').evaluate((e) => {
    const seen: { x: number; y: number }[] = []
    Object.assign(e, { seen })
    new MutationObserver(() => {
      const r = e.getBoundingClientRect()
      seen.push({ x: r.x, y: r.y })
    }).observe(e, { attributes: true, attributeFilter: ['style'] })
  })
  return () =>
    page
      .getByTestId('packet')
      .evaluate((e) => (e as unknown as { seen: { x: number; y: number }[] }).seen)
}

/** How far a point is from a polyline (the packet's drawn way, frame to frame). */
function distanceToPath(p: { x: number; y: number }, path: { x: number; y: number }[]): number {
  let best = Infinity
  for (let i = 1; i < path.length; i++) {
    const [a, b] = [path[i - 1]!, path[i]!]
    const [dx, dy] = [b.x - a.x, b.y - a.y]
    const len2 = dx * dx + dy * dy
    const t =
      len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
    best = Math.min(best, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)))
  }
  return best
}

test.describe('the cluster graph', () => {
  test('draws both nodes and the client and web Pods, and moves the packet step by step', async ({
    page,
  }) => {
    const places = expectedPlaces('mode2-flannel-vxlan')
    // The whole cluster in view (the camera follows the packet by default).
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&camera=whole')
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
    await page.clock.install()
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&step=0')
    const controls = page.getByRole('toolbar', { name: 'Playback' })
    await controls.getByLabel('Speed').selectOption('4')
    await freezeClock(page)
    await controls.getByRole('button', { name: 'Play' }).click()
    await expect(controls.getByRole('button', { name: 'Pause' })).toBeVisible()
    // At 4x a step shows for a quarter of STEP_MS: not a millisecond less.
    for (const step of [1, 2, 3]) {
      await page.clock.runFor(STEP_MS / 4 - 1)
      expect(param(page, 'step')).toBe(String(step - 1))
      await page.clock.runFor(1)
      await expect.poll(() => param(page, 'step')).toBe(String(step))
    }
    await controls.getByRole('button', { name: 'Pause' }).click()
    await expect(controls.getByRole('button', { name: 'Play' })).toBeVisible()
    await page.clock.runFor(10 * STEP_MS)
    expect(param(page, 'step')).toBe('3')
    await expect(page.locator('.step-list > li').nth(3)).toHaveClass(/selected/)
  })

  test('P plays and pauses when nothing is focused; Space steps, as a slide show does', async ({
    page,
  }) => {
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&step=0')
    const play = page.getByTestId('play')
    await expect(play).toHaveText('Play')
    await page.locator('body').focus()
    await page.keyboard.press('p')
    await expect(play).toHaveText('Pause')
    await page.keyboard.press('p')
    await expect(play).toHaveText('Play')
    const at = Number(param(page, 'step'))
    await page.keyboard.press(' ')
    await expect.poll(() => param(page, 'step')).toBe(String(at + 1))
    await expect(play).toHaveText('Play')
  })

  test('follows the packet at a readable zoom by default, and shows the whole cluster on W', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.goto('/?lesson=mode3-clusterip-iptables&lang=en')
    const follow = page.getByRole('button', { name: 'Follow the packet' })
    const scale = () =>
      page
        .locator('.react-flow__viewport')
        .evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a)
    await expect(follow).toHaveAttribute('aria-pressed', 'true')
    await expect.poll(scale).toBeGreaterThanOrEqual(1)
    // The packet's box is on screen, whole, at every step the camera follows.
    const inside = async () => {
      const [box, canvas] = [
        (await page.locator('.g-box.is-current').boundingBox())!,
        (await page.locator('.graph-canvas').boundingBox())!,
      ]
      return (
        box.x >= canvas.x &&
        box.y >= canvas.y &&
        box.x + box.width <= canvas.x + canvas.width &&
        box.y + box.height <= canvas.y + canvas.height
      )
    }
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Next step' }).click()
      await expect.poll(inside).toBe(true)
    }
    await follow.click()
    await expect(follow).toHaveAttribute('aria-pressed', 'false')
    await expect.poll(scale).toBeLessThan(1)
    expect(param(page, 'camera')).toBe('whole')
    await page.locator('body').focus()
    await page.keyboard.press('w')
    await expect(follow).toHaveAttribute('aria-pressed', 'true')
    await expect.poll(scale).toBeGreaterThanOrEqual(1)
    await expect.poll(() => param(page, 'camera')).toBeNull()
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
    const places = expectedPlaces('mode2-flannel-vxlan')
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&step=5')
    const packet = page.getByTestId('packet')
    await expect(packet).toBeVisible()
    // Step 6 is on flannel.1, a small box: the packet stands on its top edge at once, never moving.
    await page.getByRole('button', { name: 'Next step' }).click()
    await expect(packet).toHaveAttribute('data-at', places[6]!)
    const p = await packetPoint(page)
    const box = await boxRect(page, places[6]!)
    expect(p.moving).toBe(false)
    expect(Math.abs(p.x - (box.x + box.width / 2))).toBeLessThan(2)
    expect(Math.abs(p.y - box.y)).toBeLessThan(2)
  })

  test('moves along the links, not straight across, and comes to rest on the step’s box', async ({
    page,
  }) => {
    const places = expectedPlaces('mode2-flannel-vxlan')
    // Step 8 is on the underlay; step 9 on node-2's flannel.1, reached through node-2's eth0.
    expect(places[8]).toBe('underlay')
    expect(places[9]).toBe('dev:node-2:flannel.1')
    // A still camera (the whole cluster), so the packet's own move is what is measured.
    await page.clock.install()
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&step=8&camera=whole')
    await page.getByRole('toolbar', { name: 'Playback' }).getByLabel('Speed').selectOption('0.25')
    await expect(page.getByTestId('packet')).toHaveAttribute('data-at', places[8]!)
    await freezeClock(page)
    const start = await packetPoint(page)
    const recorded = await recordPacket(page)
    await page.getByRole('button', { name: 'Next step' }).click()
    // The whole move, one frame every 16 ms of the page's clock, then a while at rest.
    await page.clock.runFor(STEP_MS / 0.25 + 500)
    const seen = await recorded()
    expect(seen.length).toBeGreaterThan(100)
    const end = await packetPoint(page)
    const target = await boxRect(page, places[9]!)
    expect(end.moving).toBe(false)
    expect(Math.abs(end.x - (target.x + target.width / 2))).toBeLessThan(2)
    expect(Math.abs(end.y - target.y)).toBeLessThan(2)
    // On its way it went through node-2's eth0: in under it, where the wire from the underlay
    // ends, and out of its top to flannel.1.
    const eth0 = await boxRect(page, 'dev:node-2:eth0')
    expect(distanceToPath({ x: eth0.x + eth0.width / 2, y: eth0.y }, seen)).toBeLessThan(3)
    // A straight line from start to end would pass nowhere near there.
    const off = (p: { x: number; y: number }) =>
      Math.abs((end.x - start.x) * (start.y - p.y) - (start.x - p.x) * (end.y - start.y)) /
      Math.hypot(end.x - start.x, end.y - start.y)
    expect(Math.max(...seen.map(off))).toBeGreaterThan(15)
  })

  test('jumps far at once, without replaying the way', async ({ page }) => {
    const places = expectedPlaces('mode2-flannel-vxlan')
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&step=0')
    await page.locator('body').focus()
    await page.keyboard.press('End')
    await expect(page.getByTestId('packet')).toHaveAttribute('data-at', places.at(-1)!)
    const p = await packetPoint(page)
    const box = await boxRect(page, places.at(-1)!)
    expect(p.moving).toBe(false)
    expect(Math.abs(p.x - (box.x + box.width / 2))).toBeLessThan(2)
  })

  test('wears its outer header while encapsulated, and not after decapsulation', async ({
    page,
  }) => {
    const { trace } = firstTrace('mode2-flannel-vxlan')
    const wrapped = trace.steps.findIndex((s) => s.action === 'encapsulate')
    const unwrapped = trace.steps.findIndex((s, i) => i > wrapped && s.action === 'decapsulate')
    const outer = trace.steps[wrapped]!.packet.outer!
    await page.goto(`/?lesson=mode2-flannel-vxlan&lang=en&step=${wrapped}`)
    const packet = page.getByTestId('packet')
    const envelope = packet.locator('.packet-envelope')
    await expect(envelope).toBeVisible()
    await expect(envelope).toContainText(`VXLAN, VNI ${outer.vni}`)
    await expect(envelope).toContainText(`${outer.l3.src} → ${outer.l3.dst}`)
    await expect(envelope).toContainText(`UDP ${outer.l4!.dstPort}`)
    // Still wrapped on the wire between the nodes, and on its way to the tunnel device that
    // unwraps it; unwrapped once there.
    const head = packet.locator('.packet-envelope-head')
    // A still camera: panning with the packet would keep the page busy while the move is timed.
    await page.clock.install()
    await page.goto(`/?lesson=mode2-flannel-vxlan&lang=en&camera=whole&step=${unwrapped - 1}`)
    await expect(head).toBeVisible()
    await page.getByRole('toolbar', { name: 'Playback' }).getByLabel('Speed').selectOption('0.25')
    await freezeClock(page)
    await page.getByRole('button', { name: 'Next step' }).click()
    await expect(packet).toHaveAttribute('data-step', String(unwrapped))
    // A while into the move by the page’s clock: still on its way, still wrapped.
    await page.clock.runFor(STEP_MS / 0.25 / 4)
    expect(await packetPoint(page)).toMatchObject({ moving: true })
    await expect(head).toBeVisible()
    await page.clock.runFor(STEP_MS / 0.25)
    await expect(head).toBeHidden()
    expect(await packetPoint(page)).toMatchObject({ moving: false })
    await expect(packet.locator('.packet-token')).toBeVisible()
    // A step later nothing of it is left.
    await page.getByRole('button', { name: 'Next step' }).click()
    await expect(packet.locator('.packet-envelope')).toHaveCount(0)
  })

  test('flashes the field a DNAT rewrote, before and after', async ({ page }) => {
    const { trace } = firstTrace('mode3-clusterip-iptables')
    const dnat = trace.steps.findIndex((s) => s.action === 'dnat' && s.phase === 'request')
    const [before, after] = [trace.steps[dnat - 1]!.packet, trace.steps[dnat]!.packet]
    await page.goto(`/?lesson=mode3-clusterip-iptables&lang=en&step=${dnat - 1}`)
    const changes = page.getByTestId('packet').getByRole('list', { name: 'Rewritten at this step' })
    await expect(changes).toHaveCount(0)
    await page.getByRole('button', { name: 'Next step' }).click()
    await expect(changes.getByRole('listitem').first()).toHaveText(
      `dst ${before.l3!.dst} → ${after.l3!.dst}`,
    )
    await expect(changes).toContainText(`dst port ${before.l4!.dstPort} → ${after.l4!.dstPort}`)
    // The chip flashes once, then stays readable.
    await expect
      .poll(() =>
        changes
          .getByRole('listitem')
          .first()
          .evaluate((e) => e.getAnimations().length),
      )
      .toBe(0)
    await expect(changes.getByRole('listitem').first()).toBeVisible()
    // In Chinese too.
    await page.getByRole('button', { name: '中文' }).click()
    await expect(
      page.getByTestId('packet').getByRole('list', { name: '这一步改写的字段' }),
    ).toContainText(`目的地址 ${before.l3!.dst} → ${after.l3!.dst}`)
  })

  test('colours and dashes the links travelled so far by phase, the current hop brought out', async ({
    page,
  }) => {
    const { trace } = firstTrace('mode3-clusterip-iptables')
    // The path of a link (the edge's other path is its invisible hit area).
    const path = (id: string) =>
      page.getByTestId(`rf__edge-${id}`).locator('path.react-flow__edge-path')
    const tunnel = path('tunnel:dev:node-1:flannel.1->dev:node-1:eth0')
    const dash = () => tunnel.evaluate((e) => getComputedStyle(e).strokeDasharray)
    // The DNS query leaves node-1 through flannel.1 and eth0 first.
    const dnsOut = trace.steps.findIndex((s) => s.phase === 'dns' && s.action === 'encapsulate')
    // The whole cluster in view: the links drawn are the links on screen.
    await page.goto(`/?lesson=mode3-clusterip-iptables&lang=en&camera=whole&step=${dnsOut}`)
    // The graph loads after the lesson text; on a busy machine that takes a while.
    await expect(tunnel).toBeAttached({ timeout: 20_000 })
    await expect(tunnel).not.toHaveClass(/g-trail/)
    await page.getByRole('button', { name: 'Next step' }).click()
    await expect(tunnel).toHaveClass(/g-trail-dns/)
    await expect(tunnel).toHaveClass(/g-hop/)
    const dotted = await dash()
    // The request takes the same way later: the link turns solid, in the request's colour.
    const reqOut = trace.steps.findIndex((s) => s.phase === 'request' && s.action === 'encapsulate')
    await page.goto(`/?lesson=mode3-clusterip-iptables&lang=en&camera=whole&step=${reqOut + 2}`)
    await expect(tunnel).toBeAttached({ timeout: 20_000 })
    await expect(tunnel).toHaveClass(/g-trail-request/)
    await expect(tunnel).not.toHaveClass(/g-hop/)
    expect(await dash()).not.toBe(dotted)
    // The reply comes back into node-1 over the underlay wire, dashed.
    await page.goto(
      `/?lesson=mode3-clusterip-iptables&lang=en&camera=whole&step=${trace.steps.length - 1}`,
    )
    await expect(tunnel).toBeAttached({ timeout: 20_000 })
    const wire = path('wire:dev:node-1:eth0->underlay')
    await expect(wire).toHaveClass(/g-trail-reply/)
    expect(await wire.evaluate((e) => getComputedStyle(e).strokeDasharray)).not.toBe('none')
    // Back at the start nothing has been travelled.
    await page.locator('body').focus()
    await page.keyboard.press('Home')
    await expect(page.locator('.react-flow__edge-path.g-trail')).toHaveCount(0)
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`speaks Chinese and passes axe (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme })
      await page.goto('/?lesson=mode3-loadbalancer&lang=zh-CN&camera=whole')
      const controls = page.getByRole('toolbar', { name: '播放' })
      await expect(controls.getByRole('button', { name: '下一步' })).toBeVisible()
      await expect(page.getByRole('figure', { name: /集群图/ })).toBeVisible()
      await expect(page.getByRole('button', { name: '放大' })).toBeVisible()
      await expect(page.locator('[data-box="underlay"]')).toContainText('底层网络')
      expect(await seriousA11yViolations(page)).toEqual([])
    })
  }
})
