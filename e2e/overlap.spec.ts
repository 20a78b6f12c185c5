/**
 * Nothing on the stage covers the graph's words (issue 11): at the packet's hop, the packet's
 * tags (its token, the outer header it wears, the fields a step rewrote, why it died) cover no
 * box's label and lie inside the graph's canvas; the overview map, the zoom buttons and presenter
 * mode's buttons cover neither the tags nor the labels of the box the packet is at; and the
 * lesson's title in the bar is never cut short at 1024x768, in either language.
 */
import type { Page } from '@playwright/test'
import { foldsFor, shownSteps } from '../src/app/fold.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import { BOX_LABELS } from '../src/ui/packet/pin-place.ts'
import { engineView, lessonFileExists } from './engine.ts'
import { expect, test } from './fixtures.ts'
import { hopText } from './graph-text.ts'

const byId = (id: string) => LESSONS.find((l) => l.id === id)!

/** One lesson of each mode (as e2e/stage.spec.ts measures their text). */
const ONE_PER_MODE = [
  'mode1-localhost',
  'mode2-flannel-vxlan',
  'mode3-clusterip-iptables',
  'mode4-ingress-nginx',
]

/**
 * The steps that hang most on the packet: the first shown, the middle and the last, the first
 * in an outer header, the first whose DNS question changed (the search list), and the one
 * rewriting most fields (a proxy's second connection).
 */
function busySteps(id: string): number[] {
  const lesson = byId(id)
  const engine = engineView(lesson)
  const t = engine.traceOf(engine.traffic[0]!)
  const shown = shownSteps(t.steps.length, foldsFor(lesson, t.steps), new Set())
  const at = (i: number) => {
    const x = shown[i]!
    return x.kind === 'step' ? x.position : x.fold.start
  }
  const most = t.steps.reduce(
    (best, s, i) => ((s.changed ?? []).length > (t.steps[best]!.changed ?? []).length ? i : best),
    0,
  )
  const picks = [
    at(0),
    at(Math.floor(shown.length / 2)),
    at(shown.length - 1),
    t.steps.findIndex((s) => s.packet.outer),
    t.steps.findIndex((s) => (s.changed ?? []).includes('app.question')),
    most,
  ]
  return [...new Set(picks.filter((i) => i >= 0))]
}

interface Box {
  x: number
  y: number
  w: number
  h: number
  what: string
}

interface Scene {
  canvas: Box
  tags: Box[]
  /** Every label of a box drawn in the canvas; `hop` marks those of the packet's box. */
  labels: (Box & { hop: boolean })[]
  overlays: Box[]
}

/** The rectangles on screen, once the camera and the packet have come to rest. */
async function scene(page: Page): Promise<Scene> {
  // hopText waits for the camera to settle; then the pin's own placement must hold still.
  await hopText(page)
  let last = ''
  await expect
    .poll(async () => {
      const now = await page
        .locator('[data-testid="packet"] .packet-pin')
        .evaluate((e) => JSON.stringify(e.getBoundingClientRect()))
      const still = now === last
      last = now
      return still
    })
    .toBe(true)
  return page.evaluate((labelSelector) => {
    const rect = (e: Element, what: string) => {
      const r = e.getBoundingClientRect()
      return { x: r.left, y: r.top, w: r.width, h: r.height, what }
    }
    const clip = (a: Box, b: Box): Box => {
      const x = Math.max(a.x, b.x)
      const y = Math.max(a.y, b.y)
      const w = Math.min(a.x + a.w, b.x + b.w) - x
      const h = Math.min(a.y + a.h, b.y + b.h) - y
      return { x, y, w: Math.max(0, w), h: Math.max(0, h), what: a.what }
    }
    const shown = (e: Element) => {
      const s = getComputedStyle(e)
      return s.display !== 'none' && s.visibility !== 'hidden' && e.getClientRects().length > 0
    }
    const canvas = rect(document.querySelector('.graph-canvas')!, 'graph canvas')
    const pin = document.querySelector('[data-testid="packet"] .packet-pin')!
    const tags = [
      ...pin.querySelectorAll(
        '.packet-change, .packet-envelope:not(.leaving), .packet-token, .packet-reason',
      ),
    ]
      .filter(shown)
      .map((e) => rect(e, `tag "${e.textContent?.trim()}"`))
    const labels: (Box & { hop: boolean })[] = []
    for (const node of document.querySelectorAll('.graph-canvas .react-flow__node')) {
      const hop = node.querySelector('.g-box.is-current') !== null
      const own = rect(node, '')
      for (const text of node.querySelectorAll(labelSelector)) {
        if (!shown(text)) continue
        const r = clip(clip(rect(text, `label "${text.textContent?.trim()}"`), own), canvas)
        if (r.w > 0 && r.h > 0) labels.push({ ...r, hop })
      }
    }
    const overlays = [
      ['.graph-canvas .react-flow__minimap', 'overview map'],
      ['.graph-canvas .react-flow__controls', 'zoom buttons'],
      ['.presenter-tools', "presenter mode's buttons"],
    ].flatMap(([sel, what]) => {
      const e = document.querySelector(sel!)
      return e && shown(e) ? [rect(e, what!)] : []
    })
    return { canvas, tags, labels, overlays }
  }, BOX_LABELS)
}

/** Rectangles sharing more than a hairline (half a pixel, for sub-pixel rounding). */
const meet = (a: Box, b: Box) =>
  Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 &&
  Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5

const within = (a: Box, b: Box) =>
  a.x >= b.x - 0.5 &&
  a.y >= b.y - 0.5 &&
  a.x + a.w <= b.x + b.w + 0.5 &&
  a.y + a.h <= b.y + b.h + 0.5

/** What covers what, one line each; empty when nothing does. */
function collisions(s: Scene): string[] {
  const out: string[] = []
  for (const tag of s.tags) {
    if (!within(tag, s.canvas)) out.push(`${tag.what} runs past the graph's edge`)
    for (const l of s.labels) if (meet(tag, l)) out.push(`${tag.what} covers ${l.what}`)
    for (const o of s.overlays) if (meet(tag, o)) out.push(`${o.what} covers ${tag.what}`)
  }
  for (const o of s.overlays)
    for (const l of s.labels) if (l.hop && meet(o, l)) out.push(`${o.what} covers ${l.what}`)
  return out
}

test.use({ reducedMotion: 'reduce' })

test.describe('nothing covers the graph’s words at the packet’s hop', () => {
  // Heavy: four lessons, up to six steps each, in two languages.
  test.slow()
  for (const [name, size, min, extra] of [
    ['1280x800', { width: 1280, height: 800 }, 12, ''],
    ['1024x768', { width: 1024, height: 768 }, 11, ''],
    ['390x844', { width: 390, height: 844 }, 11, ''],
    ['presenter 1920x1080', { width: 1920, height: 1080 }, 20, '&present=1'],
  ] as const) {
    test(`at ${name}, in one lesson of each mode, in English and Chinese`, async ({ page }) => {
      await page.setViewportSize(size)
      const found: string[] = []
      for (const id of ONE_PER_MODE) {
        for (const step of busySteps(id)) {
          for (const lang of ['en', 'zh-CN']) {
            await page.goto(`/?lesson=${id}&lang=${lang}&step=${step}${extra}`)
            await expect(page.getByTestId('packet')).toBeVisible()
            await expect(page.locator('.g-box.is-current')).toHaveCount(1)
            const s = await scene(page)
            expect(s.tags.length, `${id} step ${step}: the packet's tags`).toBeGreaterThan(0)
            found.push(...collisions(s).map((c) => `${id} step ${step} ${lang}: ${c}`))
            // Placing the tags never costs the text its size (e2e/stage.spec.ts).
            const text = await hopText(page)
            expect(text.min, `${id} step ${step} ${lang}: graph text`).toBeGreaterThanOrEqual(min)
          }
        }
      }
      expect(found).toEqual([])
    })
  }

  test('presenter mode’s buttons, shown, stand clear of the graph', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.goto('/?lesson=mode4-ingress-nginx&lang=en&present=1&step=12')
    await expect(page.getByTestId('packet')).toBeVisible()
    const tools = page.getByRole('toolbar', { name: 'Present' })
    await tools.hover()
    await expect(tools).toHaveCSS('opacity', '1')
    const t = (await tools.boundingBox())!
    const g = (await page.locator('.graph-canvas').boundingBox())!
    expect(t.y + t.height).toBeLessThanOrEqual(g.y + 0.5)
  })

  test('in predict mode the packet covers no choice’s letter', async ({ page }) => {
    const lesson = byId('mode1-localhost')
    for (const lang of ['en', 'zh-CN']) {
      await page.goto(`/?lesson=${lesson.id}&lang=${lang}&predict=1`)
      await expect(page.locator('.g-choice-letter').first()).toBeVisible()
      const s = await scene(page)
      expect(s.labels.some((l) => /^[A-D]$/.test(l.what.slice(7, -1)))).toBe(true)
      expect(collisions(s), lang).toEqual([])
    }
  })
})

test.describe('the lesson’s title in the bar', () => {
  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
    [390, 844],
  ] as const)
    test(`is whole at ${width}x${height} in one lesson of each mode, in English and Chinese`, async ({
      page,
    }) => {
      await page.setViewportSize({ width, height })
      // And the lessons whose titles are longest, in either language.
      const longest = (['en', 'zh-CN'] as const).map(
        (lang) =>
          LESSONS.filter(lessonFileExists).sort(
            (a, b) => b.title[lang].length - a.title[lang].length,
          )[0]!.id,
      )
      for (const id of new Set([...ONE_PER_MODE, ...longest])) {
        for (const lang of ['en', 'zh-CN'] as const) {
          await page.goto(`/?lesson=${id}&lang=${lang}`)
          const h1 = page.getByRole('heading', { level: 1 })
          await expect(h1).toHaveText(byId(id).title[lang])
          const cut = await h1.evaluate(
            (e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1,
          )
          expect(cut, `${id} ${lang}: the title cut short`).toBe(false)
          await expect(h1).toBeInViewport({ ratio: 1 })
        }
      }
    })

  // Lessons with both switches and a request picker; the Ingress lesson has the longest names.
  for (const id of ['mode3-loadbalancer', 'mode4-ingress-nginx', 'mode4-gateway-httproute'])
    test(`${id}: shares the bar with every switch and the request picker, whole, from 1024 to 1920 px`, async ({
      page,
    }) => {
      const lesson = byId(id)
      expect(lesson.switches?.cni && lesson.switches.proxy).toBeTruthy()
      // One load per language, the window then resized: the bar follows its width.
      for (const lang of ['en', 'zh-CN'] as const) {
        await page.setViewportSize({ width: 1024, height: 800 })
        await page.goto(`/?lesson=${lesson.id}&lang=${lang}`)
        await expect(page.getByTestId('packet')).toBeVisible()
        const selects = page.locator('header select')
        expect(await selects.count(), `${lesson.id}: switches and picker`).toBeGreaterThan(1)
        for (const width of [1024, 1280, 1440, 1920]) {
          await page.setViewportSize({ width, height: 800 })
          for (const select of await selects.all())
            await expect(select, `${lesson.id} ${lang} at ${width}`).toBeInViewport({ ratio: 1 })
          // Nothing of the bar's lesson part is scrolled out of sight.
          const hidden = await page
            .locator('.header-lesson')
            .evaluate((e) => e.scrollWidth - e.clientWidth)
          expect(hidden, `${lesson.id} ${lang} at ${width}: the bar scrolls`).toBeLessThanOrEqual(1)
        }
      }
    })
})
