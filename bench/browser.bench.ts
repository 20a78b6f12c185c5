/**
 * Browser benchmark: the built app in headless Chromium. It measures what a learner waits for and
 * what they see move:
 *
 *   - initial JS: the scripts the first page load fetches (gzipped, as a server would send them),
 *     against a 200 KB budget; everything else (the graph, the engine worker, lesson files) lazily;
 *   - time to the first lesson drawn: navigation start to the first frame with the graph's packet
 *     (median of several cold loads), beside a blank page's load from the same server in the same
 *     run (loads taken in turn), as a ratio that holds on a busy machine;
 *   - frame times while the packet moves (requestAnimationFrame deltas while a lesson plays at 1x
 *     and 4x): median and p95, against 60 fps;
 *   - main-thread long tasks (PerformanceObserver 'longtask'): count and longest, during load and
 *     playback, against none over 50 ms;
 *   - frame times, long tasks and heap while opening, panning and zooming a 50-node, 1,000-Pod and
 *     a 100-node, 5,000-Pod cluster, opened through "Open a scenario" (the import feature) like a
 *     learner's own file.
 *
 *   npx tsx bench/browser.bench.ts               # builds, serves dist/ on port 4306, measures
 *   npx tsx bench/browser.bench.ts --no-build    # measures the dist/ already there
 *   npx tsx bench/browser.bench.ts --runs 3      # loads and repeats per measurement (default 5)
 *   npx tsx bench/browser.bench.ts --no-pan      # only the lesson's loads and playback
 *   BENCH_DIST=/tmp/main-dist npx tsx bench/browser.bench.ts   # measures that build instead
 *
 * It uses Debian's /usr/bin/chromium when it is there (Playwright's own browser otherwise) and
 * writes bench/results/browser.json. Frame times are wall-clock: on a machine shared with other
 * work they measure that work too, so each measurement is repeated and medians are reported.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { BIG, HUGE, bigScenarioYaml, type ClusterSize } from './big-cluster.ts'

const ROOT = join(import.meta.dirname, '..')
// BENCH_DIST measures another build (`vite build --outDir ...`), e.g. main's beside a branch's.
const DIST = process.env.BENCH_DIST ?? join(ROOT, 'dist')
const PORT = Number(process.env.BENCH_PORT ?? 4306)
const BASE = `http://localhost:${PORT}`
const SYSTEM_CHROMIUM = '/usr/bin/chromium'
// The flags the e2e tests and screenshots use (playwright.config.ts).
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
const VIEWPORT = { width: 1280, height: 800 }
const LESSON = 'mode2-flannel-vxlan'
const BUDGET_INITIAL_JS_KB = 200
const LONG_TASK_MS = 50
/** The first lesson drawn within this many times a blank page's load (issue 11). */
const AIM_DRAWN_X_BLANK = 3
/** Panning p95 frame time and open time aims for the two big clusters (issue 11). */
const AIM_PAN_P95_MS = { big: 17, huge: 20 }
const AIM_HUGE_OPEN_MS = 1500
/** A page with nothing in it, served from dist/ by the same server: the baseline of a load. */
const BLANK = '__bench-blank.html'
/** One frame at 60 fps; a frame time over 1.5 of them means a frame was missed. */
const FRAME_60_MS = 1000 / 60
const PLAY_MS = 5000
/** A lesson's load lasts until this long after the packet's first frame (its last tasks). */
const SETTLE_MS = 1500
const PAN_MS = 4000

const args = process.argv.slice(2)
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 5
const BUILD = !args.includes('--no-build') && !process.env.BENCH_DIST
/** --no-pan: only the loads and the playback (the panning of the big clusters takes minutes). */
const PAN = !args.includes('--no-pan')

// ---------------------------------------------------------------- statistics

function median(xs: number[]): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d

// ---------------------------------------------------------------- build and serve

function build(): void {
  console.log('building (vite build) ...')
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0) throw new Error('vite build failed')
}

async function answers(): Promise<boolean> {
  try {
    return (await fetch(BASE)).ok
  } catch {
    return false
  }
}

async function serve(): Promise<ChildProcess> {
  // Another server on the port would be measured instead of this build.
  if (await answers()) throw new Error(`port ${PORT} is taken: set BENCH_PORT to a free one`)
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--outDir',
      DIST,
      '--port',
      String(PORT),
      '--strictPort',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (port ${PORT} taken?)`)
    if (await answers()) return child
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill('SIGINT')
  throw new Error('vite preview did not answer')
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGINT')
    // vite preview closes on SIGINT; should it not, it is not left behind.
    setTimeout(() => child.exitCode === null && child.kill('SIGTERM'), 5000).unref()
  })
}

// ---------------------------------------------------------------- the dist files

interface Asset {
  file: string
  bytes: number
  gzip: number
}

function distAssets(): Map<string, Asset> {
  const out = new Map<string, Asset>()
  const dir = join(DIST, 'assets')
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.js') && !file.endsWith('.css')) continue
    const data = readFileSync(join(dir, file))
    out.set(`/assets/${file}`, { file, bytes: data.length, gzip: gzipSync(data).length })
  }
  return out
}

/** The scripts index.html loads itself: its module script and the modules it preloads. */
function entryScripts(): string[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  const refs = [...html.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
  return [...new Set(refs)]
}

// ---------------------------------------------------------------- in the page

/** Installed before any script of the page: long tasks, and when the graph is first drawn. */
const PROBE = () => {
  const w = window as unknown as {
    __bench: { longtasks: [number, number][]; marks: Record<string, number> }
  }
  w.__bench = { longtasks: [], marks: {} }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.longtasks.push([e.startTime, e.duration])
  }).observe({ type: 'longtask', buffered: true })
  const seen = (name: string, selector: string) => {
    const m = w.__bench.marks
    if (m[name] !== undefined || !document.querySelector(selector)) return
    m[name] = -1
    // The frame it is painted in: rAF callbacks run just before that frame's paint.
    requestAnimationFrame((t) => (m[name] = t))
  }
  // A page's own load: the frame after its load event (what the blank page is measured by).
  addEventListener('load', () => requestAnimationFrame((t) => (w.__bench.marks.loaded = t)))
  new MutationObserver(() => {
    seen('box', '.react-flow__node')
    seen('packet', '[data-testid=packet]')
    seen('steps', '.step-list > li')
  }).observe(document, { childList: true, subtree: true })
}

/** requestAnimationFrame deltas for `ms` milliseconds, and the time window they cover. */
function recordFrames(
  page: Page,
  ms: number,
): Promise<{ deltas: number[]; t0: number; t1: number }> {
  return page.evaluate(
    (ms) =>
      new Promise<{ deltas: number[]; t0: number; t1: number }>((resolve) => {
        const deltas: number[] = []
        let t0 = -1
        let last = -1
        const frame = (t: number) => {
          if (t0 < 0) t0 = t
          else deltas.push(t - last)
          last = t
          if (t - t0 < ms) requestAnimationFrame(frame)
          else resolve({ deltas, t0, t1: t })
        }
        requestAnimationFrame(frame)
      }),
    ms,
  )
}

async function longTasks(page: Page, from = 0, to = Infinity): Promise<number[]> {
  const all = await page.evaluate(
    () => (window as unknown as { __bench: { longtasks: [number, number][] } }).__bench.longtasks,
  )
  return all.filter(([start]) => start >= from && start <= to).map(([, d]) => d)
}

async function marks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () => (window as unknown as { __bench: { marks: Record<string, number> } }).__bench.marks,
  )
}

async function waitDrawn(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const m = (window as unknown as { __bench: { marks: Record<string, number> } }).__bench.marks
      return (m.packet ?? -1) > 0
    },
    undefined,
    { timeout: 120_000, polling: 100 },
  )
}

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'no-preference' })
  // tsx keeps function names with an __name helper; the functions sent to the page need it too.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
  await context.addInitScript(PROBE)
  const page = await context.newPage()
  page.on('pageerror', (e) => console.error(`  page error: ${e.message}`))
  return { context, page }
}

/**
 * The page's main-thread tasks by CPU time, from a Chrome trace. On a busy machine a task's wall
 * time (what PerformanceObserver reports) also counts the time its thread waited for a core; its
 * thread time does not, so it says what the same task costs on an idle machine (about: a shared
 * core's caches and clock still slow it somewhat).
 */
async function traceCpu(browser: Browser, page: Page) {
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] })
  return {
    /** Ends the trace: the CPU milliseconds of each task that started between `from` and `to` (page clock). */
    async stop(): Promise<(from: number, to: number) => number[]> {
      const sync = await page.evaluate(() => {
        const t = performance.now()
        performance.mark('__bench_sync', { startTime: t })
        return t
      })
      const { traceEvents } = JSON.parse((await browser.stopTracing()).toString()) as {
        traceEvents: {
          name: string
          ph: string
          pid: number
          tid: number
          ts: number
          dur?: number
          tdur?: number
        }[]
      }
      const mark = traceEvents.find((e) => e.name === '__bench_sync')
      if (!mark) return () => []
      // Trace clock (microseconds) = page clock (milliseconds) * 1000 + offset, for this document.
      const offset = mark.ts - sync * 1000
      const tasks = traceEvents
        .filter(
          (e) =>
            e.name === 'ThreadControllerImpl::RunTask' &&
            e.ph === 'X' &&
            e.pid === mark.pid &&
            e.tid === mark.tid &&
            e.tdur !== undefined,
        )
        .map((e) => ({ at: (e.ts - offset) / 1000, cpu: e.tdur! / 1000 }))
      return (from, to) => tasks.filter((t) => t.at >= from && t.at <= to).map((t) => t.cpu)
    },
  }
}

/** Tasks over `ms` of CPU: the long tasks an idle machine would still see. */
function cpuLongTasks(cpu: number[], ms = LONG_TASK_MS): LongTaskStats & { busyMs: number } {
  return {
    ...longTaskStats(cpu.filter((c) => c > ms)),
    busyMs: round(cpu.reduce((a, b) => a + b, 0)),
  }
}

// ---------------------------------------------------------------- measurements

interface FrameStats {
  frames: number
  medianMs: number
  p95Ms: number
  maxMs: number
  /** Deltas over 1.5 frames at 60 fps: at least one frame missed. */
  missed: number
  fps: number
}

function frameStats(deltas: number[]): FrameStats {
  const total = deltas.reduce((a, b) => a + b, 0)
  return {
    frames: deltas.length,
    medianMs: round(median(deltas)),
    p95Ms: round(percentile(deltas, 95)),
    maxMs: round(Math.max(...deltas)),
    missed: deltas.filter((d) => d > FRAME_60_MS * 1.5).length,
    fps: round((deltas.length / total) * 1000),
  }
}

interface LongTaskStats {
  count: number
  longestMs: number
  totalMs: number
}

function longTaskStats(durations: number[]): LongTaskStats {
  return {
    count: durations.length,
    longestMs: round(Math.max(0, ...durations)),
    totalMs: round(durations.reduce((a, b) => a + b, 0)),
  }
}

/** The JS a load fetches (the worker's too), split into what index.html loads and the rest. */
async function scriptsOf(browser: Browser, url: string, assets: Map<string, Asset>) {
  const { context, page } = await newPage(browser)
  const fetched = new Set<string>()
  context.on('request', (r) => {
    const path = new URL(r.url()).pathname
    if (path.endsWith('.js')) fetched.add(path)
  })
  await page.goto(`${BASE}/${url}`)
  if (url.includes('lesson=')) await waitDrawn(page)
  await page.waitForLoadState('networkidle')
  await context.close()
  const entry = new Set(entryScripts())
  const sum = (paths: string[]) => ({
    files: paths.map((p) => assets.get(p)?.file ?? p),
    kb: round(paths.reduce((a, p) => a + (assets.get(p)?.bytes ?? 0), 0) / 1024),
    gzipKb: round(paths.reduce((a, p) => a + (assets.get(p)?.gzip ?? 0), 0) / 1024),
  })
  const all = [...fetched].sort()
  return {
    initial: sum(all.filter((p) => entry.has(p))),
    lazy: sum(all.filter((p) => !entry.has(p))),
  }
}

/** A blank page's load in this run: navigation start to the frame after its load event. */
async function blankLoad(browser: Browser): Promise<number> {
  const { context, page } = await newPage(browser)
  await page.goto(`${BASE}/${BLANK}`)
  await page.waitForFunction(
    () =>
      ((window as unknown as { __bench: { marks: Record<string, number> } }).__bench.marks.loaded ??
        -1) > 0,
    undefined,
    { timeout: 60_000, polling: 50 },
  )
  const m = await marks(page)
  await context.close()
  return m.loaded!
}

/**
 * Cold loads of a lesson: when the graph's first box and the packet are drawn. Each is taken right
 * after a blank page's load, so that the two see the same machine.
 */
async function firstDrawn(browser: Browser) {
  const box: number[] = []
  const packet: number[] = []
  const steps: number[] = []
  const blank: number[] = []
  const tasks: number[][] = []
  const cpuTasks: number[][] = []
  for (let i = 0; i < RUNS; i++) {
    blank.push(await blankLoad(browser))
    const { context, page } = await newPage(browser)
    const cpu = await traceCpu(browser, page)
    await page.goto(`${BASE}/?lesson=${LESSON}&lang=en`)
    await waitDrawn(page)
    // React may draw the boxes after the packet (a render it split): the load's tasks are those
    // up to the page's being quiet for a while after the packet's first frame.
    await page.waitForTimeout(SETTLE_MS)
    const m = await marks(page)
    box.push(m.box!)
    packet.push(m.packet!)
    steps.push(m.steps!)
    tasks.push(await longTasks(page, 0, m.packet! + SETTLE_MS))
    cpuTasks.push((await cpu.stop())(0, m.packet! + SETTLE_MS))
    await context.close()
  }
  return {
    runs: RUNS,
    blankMs: { median: round(median(blank)), min: round(Math.min(...blank)) },
    stepsMs: { median: round(median(steps)), min: round(Math.min(...steps)) },
    firstBoxMs: { median: round(median(box)), min: round(Math.min(...box)) },
    packetMs: { median: round(median(packet)), min: round(Math.min(...packet)) },
    /** Median of each load's packet time over the blank load just before it. */
    packetXBlank: round(median(packet.map((p, i) => p / blank[i]!)), 2),
    longTasksPerLoad: tasks.map(longTaskStats),
    cpuLongTasksPerLoad: cpuTasks.map((c) => cpuLongTasks(c)),
  }
}

/** The page idle, a lesson open and nothing moving: what this machine gives any page. */
async function idleFrames(page: Page) {
  return frameStats((await recordFrames(page, 2000)).deltas)
}

async function playback(browser: Browser, speed: 1 | 4) {
  const deltas: number[] = []
  const tasks: number[] = []
  const cpuTasks: number[] = []
  let idle: FrameStats | null = null
  for (let i = 0; i < Math.max(2, Math.ceil(RUNS / 2)); i++) {
    const { context, page } = await newPage(browser)
    await page.goto(`${BASE}/?lesson=${LESSON}&lang=en&step=0`)
    await waitDrawn(page)
    await page.waitForTimeout(500)
    if (i === 0) idle = await idleFrames(page)
    const controls = page.getByRole('toolbar', { name: 'Playback' })
    await controls.getByLabel('Speed').selectOption(String(speed))
    const cpu = await traceCpu(browser, page)
    await controls.getByRole('button', { name: 'Play' }).click()
    const r = await recordFrames(page, PLAY_MS)
    deltas.push(...r.deltas)
    tasks.push(...(await longTasks(page, r.t0, r.t1)))
    cpuTasks.push(...(await cpu.stop())(r.t0, r.t1))
    await context.close()
  }
  return {
    speed,
    seconds: PLAY_MS / 1000,
    idle,
    frames: frameStats(deltas),
    longTasks: longTaskStats(tasks),
    cpuLongTasks: cpuLongTasks(cpuTasks),
  }
}

/** Drags across the graph and turns the wheel in and out, for `ms` milliseconds. */
async function panAndZoom(page: Page, ms: number): Promise<void> {
  const canvas = page.locator('.react-flow__pane')
  const b = (await canvas.boundingBox())!
  const cx = b.x + b.width / 2
  const cy = b.y + b.height / 2
  const end = Date.now() + ms
  let i = 0
  while (Date.now() < end) {
    await page.mouse.move(cx, cy)
    await page.mouse.down()
    const dx = i % 2 ? -180 : 180
    const dy = i % 3 ? -60 : 60
    await page.mouse.move(cx + dx, cy + dy, { steps: 12 })
    await page.mouse.up()
    for (let k = 0; k < 4; k++) await page.mouse.wheel(0, i % 2 ? -120 : 120)
    i++
  }
}

/** The page's JS heap after a full collection (main thread; the engine worker has its own). */
async function heapMb(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  await cdp.detach()
  return round(usedSize / 2 ** 20)
}

async function pan(browser: Browser, open: (page: Page) => Promise<void>) {
  const deltas: number[] = []
  const tasks: number[] = []
  const openTasks: number[] = []
  const openMs: number[] = []
  const heapOpen: number[] = []
  const heapPanned: number[] = []
  const openCpu: number[] = []
  const panCpu: number[] = []
  let counts = { nodes: 0, edges: 0 }
  for (let i = 0; i < Math.max(2, Math.ceil(RUNS / 2)); i++) {
    const { context, page } = await newPage(browser)
    await page.goto(`${BASE}/?lang=en`)
    await page.waitForLoadState('networkidle')
    const t0 = await page.evaluate(() => performance.now())
    let cpu = await traceCpu(browser, page)
    await open(page)
    await waitDrawn(page)
    const m = await marks(page)
    // Opening a lesson by its link is a new page, whose clock starts at its navigation.
    const from = m.packet! >= t0 ? t0 : 0
    openMs.push(m.packet! - from)
    openTasks.push(...(await longTasks(page, from, m.packet!)))
    openCpu.push(...(await cpu.stop())(from, m.packet!))
    await page.waitForTimeout(500)
    heapOpen.push(await heapMb(context, page))
    counts = await page.evaluate(() => ({
      nodes: document.querySelectorAll('.react-flow__node').length,
      edges: document.querySelectorAll('.react-flow__edge').length,
    }))
    cpu = await traceCpu(browser, page)
    const frames = recordFrames(page, PAN_MS)
    await panAndZoom(page, PAN_MS - 200)
    const r = await frames
    deltas.push(...r.deltas)
    tasks.push(...(await longTasks(page, r.t0, r.t1)))
    panCpu.push(...(await cpu.stop())(r.t0, r.t1))
    heapPanned.push(await heapMb(context, page))
    await context.close()
  }
  return {
    heapMb: { opened: round(median(heapOpen)), panned: round(median(heapPanned)) },
    domNodes: counts.nodes,
    domEdges: counts.edges,
    openToPacketMs: { median: round(median(openMs)), min: round(Math.min(...openMs)) },
    openLongTasks: longTaskStats(openTasks),
    openCpuLongTasks: cpuLongTasks(openCpu),
    frames: frameStats(deltas),
    longTasks: longTaskStats(tasks),
    cpuLongTasks: cpuLongTasks(panCpu),
    /** Tasks whose own CPU time is over a 60 fps frame: frames missed on any machine. */
    cpuOverFrame: cpuLongTasks(panCpu, FRAME_60_MS),
  }
}

/** Opens a generated cluster as a learner opens their own file: "Open a scenario", a file. */
const importCluster = (size: ClusterSize) => async (page: Page) => {
  await page.getByRole('button', { name: 'Open a scenario' }).click()
  await page
    .getByRole('dialog')
    .getByLabel('choose a file')
    .setInputFiles({
      name: `bench-${size.nodes}-nodes.yaml`,
      mimeType: 'application/yaml',
      buffer: Buffer.from(bigScenarioYaml(size)),
    })
}

async function openLessonByLink(page: Page): Promise<void> {
  await page.goto(`${BASE}/?lesson=${LESSON}&lang=en`)
}

/** Panning the lesson, then the two big clusters, as the learner's own files. */
async function panAll(browser: Browser) {
  const panLesson = await pan(browser, openLessonByLink)
  console.log(
    `panning the lesson (${panLesson.domNodes} boxes): frames median ${panLesson.frames.medianMs} ms, p95 ${panLesson.frames.p95Ms} ms; long tasks ${panLesson.longTasks.count} (longest ${panLesson.longTasks.longestMs} ms), by CPU time ${panLesson.cpuLongTasks.count}; tasks over a frame by CPU time ${panLesson.cpuOverFrame.count}`,
  )
  const panBig = await pan(browser, importCluster(BIG))
  const panHuge = await pan(browser, importCluster(HUGE))
  for (const [size, p] of [
    [BIG, panBig],
    [HUGE, panHuge],
  ] as const)
    console.log(
      `${size.nodes} nodes / ${size.pods} Pods (${p.domNodes} boxes in the page): opened in ${p.openToPacketMs.median} ms (long tasks ${p.openLongTasks.count}, longest ${p.openLongTasks.longestMs} ms; by CPU time ${p.openCpuLongTasks.count}, longest ${p.openCpuLongTasks.longestMs} ms, main thread busy ${p.openCpuLongTasks.busyMs} ms), heap ${p.heapMb.opened} MB; panning frames median ${p.frames.medianMs} ms, p95 ${p.frames.p95Ms} ms, ${p.frames.fps} fps; long tasks ${p.longTasks.count} (longest ${p.longTasks.longestMs} ms; by CPU time ${p.cpuLongTasks.count}, tasks over a frame by CPU time ${p.cpuOverFrame.count}, longest ${p.cpuOverFrame.longestMs} ms), heap after ${p.heapMb.panned} MB`,
    )
  return { lesson: panLesson, big: panBig, huge: panHuge }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const load0 = os.loadavg()
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: round(os.totalmem() / 2 ** 30),
  }
  if (BUILD) build()
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('no dist/: run without --no-build')
  const assets = distAssets()
  writeFileSync(
    join(DIST, BLANK),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body><p>blank</p></body></html>\n',
  )
  const server = await serve()
  const executablePath = existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined
  const browser = await chromium.launch({ executablePath, args: FLAGS })
  console.log(
    `PodPath browser benchmark: Chromium ${browser.version()}${executablePath ? ` (${executablePath})` : ''}, ${VIEWPORT.width}x${VIEWPORT.height}, ${RUNS} runs`,
  )
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; load average ${load0.map((l) => l.toFixed(2)).join(' ')}\n`,
  )
  try {
    const landingJs = await scriptsOf(browser, '?lang=en', assets)
    const lessonJs = await scriptsOf(browser, `?lesson=${LESSON}&lang=en`, assets)
    console.log(
      `initial JS (gzip): ${landingJs.initial.gzipKb} KB (${landingJs.initial.files.join(', ')}); a lesson loads ${lessonJs.lazy.gzipKb} KB more lazily`,
    )
    const drawn = await firstDrawn(browser)
    console.log(
      `lesson drawn: steps ${drawn.stepsMs.median} ms, first box ${drawn.firstBoxMs.median} ms, packet ${drawn.packetMs.median} ms (median of ${RUNS}); a blank page loads in ${drawn.blankMs.median} ms: ${drawn.packetXBlank}x`,
    )
    const loadTasks = drawn.longTasksPerLoad
    const tasksText = (ts: LongTaskStats[]) =>
      ts.map((t) => `${t.count} (longest ${t.longestMs} ms)`).join(', ')
    console.log(
      `long tasks while the lesson loads, per load: ${tasksText(loadTasks)}; by CPU time: ${tasksText(drawn.cpuLongTasksPerLoad)}`,
    )
    const play1 = await playback(browser, 1)
    const play4 = await playback(browser, 4)
    for (const p of [play1, play4])
      console.log(
        `playing at ${p.speed}x: frames median ${p.frames.medianMs} ms, p95 ${p.frames.p95Ms} ms, ${p.frames.fps} fps; long tasks ${p.longTasks.count} (longest ${p.longTasks.longestMs} ms), by CPU time ${p.cpuLongTasks.count} (longest ${p.cpuLongTasks.longestMs} ms)`,
      )
    const panned = PAN ? await panAll(browser) : null
    const load1 = os.loadavg()
    const under = (t: LongTaskStats) => t.longestMs <= LONG_TASK_MS
    const aims = {
      initialJs: landingJs.initial.gzipKb <= BUDGET_INITIAL_JS_KB,
      drawnXBlank: drawn.packetXBlank <= AIM_DRAWN_X_BLANK,
      play60fps: [play1, play4].every((p) => p.frames.p95Ms <= FRAME_60_MS * 1.5),
      noLongTaskLoading: drawn.longTasksPerLoad.every(under),
      noLongTaskPlaying: [play1, play4].every((p) => under(p.longTasks)),
      noCpuLongTaskLoading: drawn.cpuLongTasksPerLoad.every((t) => t.count === 0),
      noCpuLongTaskPlaying: [play1, play4].every((p) => p.cpuLongTasks.count === 0),
      ...(panned && {
        bigPan: panned.big.frames.p95Ms <= AIM_PAN_P95_MS.big,
        bigNoLongTask: under(panned.big.longTasks) && under(panned.big.openLongTasks),
        hugePan: panned.huge.frames.p95Ms <= AIM_PAN_P95_MS.huge,
        hugeOpen: panned.huge.openToPacketMs.median < AIM_HUGE_OPEN_MS,
      }),
    }
    const yes = (b: boolean) => (b ? 'yes' : 'NO')
    console.log(
      [
        '',
        'aims:',
        `  initial JS <= ${BUDGET_INITIAL_JS_KB} KB: ${yes(aims.initialJs)}`,
        `  first lesson drawn within ${AIM_DRAWN_X_BLANK}x a blank page: ${yes(aims.drawnXBlank)} (${drawn.packetXBlank}x)`,
        `  60 fps playing: ${yes(aims.play60fps)}; no long task over ${LONG_TASK_MS} ms loading: ${yes(aims.noLongTaskLoading)} (by CPU time ${yes(aims.noCpuLongTaskLoading)}), playing: ${yes(aims.noLongTaskPlaying)} (by CPU time ${yes(aims.noCpuLongTaskPlaying)})`,
        ...(panned
          ? [
              `  ${BIG.nodes} nodes / ${BIG.pods} Pods: pan p95 <= ${AIM_PAN_P95_MS.big} ms ${yes(!!aims.bigPan)}, no long task opening or panning ${yes(!!aims.bigNoLongTask)}`,
              `  ${HUGE.nodes} nodes / ${HUGE.pods} Pods: pan p95 <= ${AIM_PAN_P95_MS.huge} ms ${yes(!!aims.hugePan)}, opens in < ${AIM_HUGE_OPEN_MS} ms ${yes(!!aims.hugeOpen)}`,
            ]
          : ['  (panning not measured: --no-pan)']),
      ].join('\n'),
    )
    console.log(
      `load average at the end ${load1.map((l) => l.toFixed(2)).join(' ')}: wall-clock numbers include whatever else ran on the ${machine.cores} cores.`,
    )
    const dir = join(ROOT, 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, 'browser.json')
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          note: `Wall-clock times on ${machine.cores} cores; the load average before and after says how much else ran meanwhile (other builds and tests on a shared machine make frames and long tasks several times longer).`,
          machine: { ...machine, loadAverageStart: load0, loadAverageEnd: load1 },
          browser: {
            version: browser.version(),
            executablePath: executablePath ?? 'playwright',
            flags: FLAGS,
          },
          config: {
            runs: RUNS,
            viewport: VIEWPORT,
            lesson: LESSON,
            playMs: PLAY_MS,
            panMs: PAN_MS,
            big: BIG,
            huge: HUGE,
          },
          aims: {
            ...aims,
            initialJsBudgetKb: BUDGET_INITIAL_JS_KB,
            longTaskMs: LONG_TASK_MS,
            drawnXBlank: AIM_DRAWN_X_BLANK,
            panP95Ms: AIM_PAN_P95_MS,
            hugeOpenMs: AIM_HUGE_OPEN_MS,
            frameMs: round(FRAME_60_MS),
          },
          initialJs: { landing: landingJs, lesson: lessonJs },
          firstDrawn: drawn,
          playback: [play1, play4],
          pan: panned,
          assets: [...assets.values()].sort((a, b) => b.gzip - a.gzip),
        },
        null,
        2,
      )}\n`,
    )
    console.log(`wrote ${file}`)
  } finally {
    await browser.close()
    await stop(server)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
