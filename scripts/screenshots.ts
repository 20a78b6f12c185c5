/**
 * The README's screenshots, and every view of the stage at the sizes issue 11 names, in both
 * languages, from the built app served by `vite preview`:
 *
 *   npm run build && npx vite preview --port 4173 &
 *   npx tsx scripts/screenshots.ts                 # docs/screenshot.png, docs/screenshot-presenter.png
 *   npx tsx scripts/screenshots.ts --all /tmp/shots # each view x size x language into a folder
 *
 * SCREENSHOT_PORT picks another port. Debian's /usr/bin/chromium when it is there, Playwright's
 * own browser otherwise; reduced motion, so the camera and the packet are at rest when shot.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

const ROOT = join(import.meta.dirname, '..')
const BASE = `http://localhost:${process.env.SCREENSHOT_PORT ?? 4173}`
const SYSTEM_CHROMIUM = '/usr/bin/chromium'
// The flags the e2e tests use (playwright.config.ts).
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

interface Shot {
  file: string
  query: string
  width: number
  height: number
  scale?: number
}

/** The README's two: the stage at 1280x800, presenter mode at 1920x1080 drawn at 2/3. */
const README: Shot[] = [
  {
    file: join(ROOT, 'docs', 'screenshot.png'),
    query: 'lesson=mode2-flannel-vxlan&lang=en&step=7',
    width: 1280,
    height: 800,
  },
  {
    file: join(ROOT, 'docs', 'screenshot-presenter.png'),
    query: 'lesson=mode2-flannel-vxlan&lang=en&step=7&present=1',
    width: 1920,
    height: 1080,
    scale: 2 / 3,
  },
]

/** Each view on a lesson and step that hangs much on the packet. */
const VIEWS = {
  explore: 'lesson=mode4-ingress-nginx&step=12',
  encap: 'lesson=mode2-flannel-vxlan&step=7',
  dns: 'lesson=mode3-clusterip-iptables&step=4',
  predict: 'lesson=mode1-localhost&predict=1',
  present: 'lesson=mode4-ingress-nginx&step=12&present=1',
  embed: 'lesson=mode2-flannel-vxlan&step=7&embed=1',
}
const SIZES = [
  [1280, 800],
  [1024, 768],
  [390, 844],
  [1920, 1080],
] as const

function everyView(dir: string): Shot[] {
  return Object.entries(VIEWS).flatMap(([view, query]) =>
    SIZES.flatMap(([width, height]) =>
      ['en', 'zh-CN'].map((lang) => ({
        file: join(dir, `${view}-${width}x${height}-${lang}.png`),
        query: `${query}&lang=${lang}`,
        width,
        height,
      })),
    ),
  )
}

async function shoot(browser: Browser, s: Shot): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: s.width, height: s.height },
    deviceScaleFactor: s.scale ?? 1,
    reducedMotion: 'reduce',
  })
  const page = await context.newPage()
  await page.goto(`${BASE}/?${s.query}`)
  await page.getByTestId('packet').waitFor({ state: 'visible', timeout: 60_000 })
  // The camera and the pin settle: two readings of the pin's place alike.
  let last = ''
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(200)
    const now = await page
      .locator('[data-testid="packet"] .packet-pin')
      .evaluate((e) => JSON.stringify(e.getBoundingClientRect()))
    if (now === last) break
    last = now
  }
  await page.screenshot({ path: s.file })
  await context.close()
  console.log(s.file)
}

const args = process.argv.slice(2)
const all = args.indexOf('--all')
const shots = all >= 0 ? everyView(args[all + 1] ?? '/tmp/podpath-shots') : README
if (all >= 0) mkdirSync(args[all + 1] ?? '/tmp/podpath-shots', { recursive: true })
const browser = await chromium.launch({
  ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
  args: FLAGS,
})
try {
  for (const s of shots) await shoot(browser, s)
} finally {
  await browser.close()
}
