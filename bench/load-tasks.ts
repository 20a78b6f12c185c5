/**
 * Long tasks while a lesson loads cold, by CPU time, with what each task did: the A/B measure
 * behind issue 11 item 6 ("no long task over 50 ms while a lesson loads or plays").
 *
 *   npx tsx bench/load-tasks.ts                        # builds, measures dist/
 *   npx tsx bench/load-tasks.ts --no-build a=dist b=/tmp/other-dist --runs 8
 *
 * Each `label=folder` is a built app (`vite build --outDir folder`), served by its own
 * `vite preview` (ports from BENCH_PORT, default 4306, one per folder; stopped with SIGINT). The
 * loads are interleaved (a, b, a, b, ...), each in a fresh browser context (cold: no cache, no
 * service worker), in Debian's /usr/bin/chromium with the flags of playwright.config.ts. A Chrome
 * trace gives every main-thread task of the page from navigation to the first frame with the
 * packet on the graph and 1.5 s after it (React may draw the boxes after the packet), and its thread time (CPU): on a machine shared with other work a task's
 * wall time also counts the time it waited for a core, its CPU time does not. Each task over
 * 50 ms of CPU is printed with its largest parts (script evaluation, a function call and the
 * event that ran it, style, layout), so that a change can be judged task by task.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import { isAbsolute, join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

const ROOT = join(import.meta.dirname, '..')
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
const VIEWPORT = { width: 1280, height: 800 }
const LONG_TASK_MS = 50
/** A module script's evaluation, as the trace names it. */
const EVALUATE = 'v8.evaluateModule'
const PORT0 = Number(process.env.BENCH_PORT ?? 4306)

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const RUNS = Number(flag('--runs')) || 5
const LESSON = flag('--lesson') ?? 'mode2-flannel-vxlan'
const BUILD = !args.includes('--no-build')
/** Also sample the JS stacks (V8's profiler in the trace) and print each long task's functions. */
const PROFILE = args.includes('--profile')
/** Tasks printed per load: those over this many ms of CPU (`--list 10`). */
const LIST_MS = Number(flag('--list')) || LONG_TASK_MS * 0.6
const builds = args
  .filter((a) => a.includes('=') && !a.startsWith('--'))
  .map((a) => {
    const [label, dir] = a.split('=') as [string, string]
    return { label, dir: isAbsolute(dir) ? dir : join(ROOT, dir) }
  })
if (builds.length === 0) builds.push({ label: 'dist', dir: join(ROOT, 'dist') })

// ---------------------------------------------------------------- serve

async function answers(base: string): Promise<boolean> {
  try {
    return (await fetch(base)).ok
  } catch {
    return false
  }
}

async function serve(dir: string, port: number): Promise<ChildProcess> {
  const base = `http://localhost:${port}`
  if (await answers(base)) throw new Error(`port ${port} is taken: set BENCH_PORT to a free one`)
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--outDir',
      dir,
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (port ${port} taken?)`)
    if (await answers(base)) return child
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
    setTimeout(() => child.exitCode === null && child.kill('SIGTERM'), 5000).unref()
  })
}

// ---------------------------------------------------------------- one cold load

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  tdur?: number
  args?: { data?: Record<string, unknown> }
}

export interface Part {
  what: string
  cpuMs: number
}

export interface Task {
  /** Start, ms after navigation. */
  atMs: number
  cpuMs: number
  wallMs: number
  /** The largest parts of the task, by CPU. */
  parts: Part[]
  /** With --profile: the functions on the stack in most of the task's samples (inclusive ms). */
  functions?: Part[]
}

/** The events that say what a task did; nested ones are counted inside their parent. */
const PARTS = new Set([
  'EvaluateScript',
  'v8.evaluateModule',
  'FunctionCall',
  'v8.compile',
  'v8.compileModule',
  'UpdateLayoutTree',
  'Layout',
  'ParseHTML',
  'MajorGC',
  'MinorGC',
  'V8.GC_MC_BACKGROUND_MARKING',
  'PrePaint',
  'Paint',
  'Layerize',
  'RunMicrotasks',
])

const tail = (url: unknown) =>
  typeof url === 'string' ? (url.split('/').pop() ?? url).replace(/-[\w-]{8}\.js$/, '.js') : ''

function describe(e: TraceEvent, parentEvent?: string): string {
  const d = e.args?.data ?? {}
  if (e.name === 'FunctionCall') {
    const fn = typeof d.functionName === 'string' && d.functionName ? d.functionName : 'anonymous'
    return `FunctionCall ${fn} (${tail(d.url)}${parentEvent ? `, ${parentEvent}` : ''})`
  }
  if (e.name === 'EvaluateScript' || e.name === 'v8.compile') return `${e.name} ${tail(d.url)}`
  return e.name
}

const SYNC = '__load_tasks_sync'
/** Tasks up to this long after the packet's first frame count as the load's. */
const SETTLE_MS = 1500

async function coldLoad(
  browser: Browser,
  base: string,
): Promise<{ tasks: Task[]; packetMs: number }> {
  const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'no-preference' })
  // The frame the packet is first painted in: rAF callbacks run just before that frame's paint.
  await context.addInitScript(() => {
    const w = window as unknown as { __packet?: number }
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid=packet]')) return
      seen.disconnect()
      requestAnimationFrame((t) => (w.__packet = t))
    })
    seen.observe(document, { childList: true, subtree: true })
  })
  const page: Page = await context.newPage()
  page.on('pageerror', (e) => console.error(`  page error: ${e.message}`))
  await browser.startTracing(page, {
    categories: [
      'toplevel',
      'devtools.timeline',
      'v8',
      'blink.user_timing',
      ...(PROFILE ? ['disabled-by-default-v8.cpu_profiler'] : []),
    ],
  })
  await page.goto(`${base}/?lesson=${LESSON}&lang=en`)
  await page.waitForFunction(
    () => (window as unknown as { __packet?: number }).__packet,
    undefined,
    {
      timeout: 120_000,
      polling: 50,
    },
  )
  const packetMs = await page.evaluate(() => (window as unknown as { __packet: number }).__packet)
  // The packet can be painted before React Flow has drawn every box (a render React split): the
  // load is over once the page has been quiet for a while after it.
  await page.waitForTimeout(SETTLE_MS)
  const sync = await page.evaluate((name) => {
    const t = performance.now()
    performance.mark(name, { startTime: t })
    return t
  }, SYNC)
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString()) as {
    traceEvents: TraceEvent[]
  }
  await context.close()
  const mark = traceEvents.find((e) => e.name === SYNC)
  if (!mark) throw new Error('the trace lost its clock mark')
  // Trace clock (microseconds) = page clock (milliseconds) * 1000 + offset, for this document.
  const offset = mark.ts - sync * 1000
  const mine = traceEvents
    .filter((e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
  const tasks: Task[] = []
  let current: { task: Task; end: number; stack: { end: number; name: string }[] } | null = null
  const parts = new Map<string, number>()
  const flush = () => {
    if (!current) return
    current.task.parts = [...parts]
      .map(([what, cpuMs]) => ({ what, cpuMs: Math.round(cpuMs * 10) / 10 }))
      .sort((a, b) => b.cpuMs - a.cpuMs)
      .slice(0, 5)
    parts.clear()
  }
  let lastEvent: string | undefined
  for (const e of mine) {
    if (e.name === 'ThreadControllerImpl::RunTask' && e.tdur !== undefined) {
      if (current && e.ts < current.end) continue
      flush()
      const atMs = (e.ts - offset) / 1000
      current = {
        task: { atMs, cpuMs: e.tdur / 1000, wallMs: (e.dur ?? 0) / 1000, parts: [] },
        end: e.ts + (e.dur ?? 0),
        stack: [],
      }
      lastEvent = undefined
      if (atMs >= 0 && atMs <= packetMs + SETTLE_MS) tasks.push(current.task)
      continue
    }
    if (!current || e.ts >= current.end) continue
    if (e.name === 'EventDispatch') {
      lastEvent = String(e.args?.data?.type ?? '')
      continue
    }
    if (e.name === 'TimerFire') lastEvent = 'timer'
    if (e.name === 'FireAnimationFrame') lastEvent = 'animation frame'
    if (!PARTS.has(e.name) || e.tdur === undefined) continue
    while (current.stack.length && current.stack.at(-1)!.end <= e.ts) current.stack.pop()
    // Only the outermost part is counted: a layout inside a function call is its call's.
    if (current.stack.length === 0) {
      const what = describe(e, lastEvent)
      parts.set(what, (parts.get(what) ?? 0) + e.tdur / 1000)
    }
    current.stack.push({ end: e.ts + (e.dur ?? 0), name: e.name })
  }
  flush()
  if (PROFILE) attribute(traceEvents, mark, offset, tasks)
  return { tasks, packetMs }
}

interface ProfileNode {
  id: number
  parent?: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

/** The sampled stacks of the page's thread, each task given the functions under most samples. */
function attribute(events: TraceEvent[], mark: TraceEvent, offset: number, tasks: Task[]): void {
  const nodes = new Map<number, ProfileNode>()
  const samples: { at: number; node: number }[] = []
  const profiles = new Map<string, number>()
  for (const e of events as (TraceEvent & { id?: string })[]) {
    if (e.pid !== mark.pid) continue
    if (e.name === 'Profile' && e.tid === mark.tid)
      profiles.set(e.id!, (e.args?.data?.startTime as number) ?? 0)
  }
  const clock = new Map(profiles)
  for (const e of events as (TraceEvent & { id?: string })[]) {
    if (e.name !== 'ProfileChunk' || !clock.has(e.id!)) continue
    const d = e.args!.data as {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }
      timeDeltas?: number[]
    }
    for (const n of d.cpuProfile?.nodes ?? []) nodes.set(n.id, n)
    const ids = d.cpuProfile?.samples ?? []
    let t = clock.get(e.id!)!
    for (const [i, id] of ids.entries()) {
      t += d.timeDeltas?.[i] ?? 0
      samples.push({ at: (t - offset) / 1000, node: id })
    }
    clock.set(e.id!, t)
  }
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${tail(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
  for (const task of tasks) {
    if (task.cpuMs <= LONG_TASK_MS * 0.6) continue
    const inside = samples.filter((s) => s.at >= task.atMs && s.at <= task.atMs + task.wallMs)
    const counts = new Map<string, number>()
    for (const s of inside) {
      const seen = new Set<string>()
      for (let n = nodes.get(s.node); n; n = n.parent ? nodes.get(n.parent) : undefined) {
        const what = name(n)
        if (n.callFrame.functionName === '(root)' || seen.has(what)) continue
        seen.add(what)
        counts.set(what, (counts.get(what) ?? 0) + 1)
      }
    }
    const perSample = inside.length ? task.cpuMs / inside.length : 0
    task.functions = [...counts]
      .map(([what, n]) => ({ what, cpuMs: Math.round(n * perSample * 10) / 10 }))
      .sort((a, b) => b.cpuMs - a.cpuMs)
      .slice(0, 40)
  }
}

// ---------------------------------------------------------------- main

const r1 = (x: number) => Math.round(x * 10) / 10

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

async function main(): Promise<void> {
  if (BUILD) {
    console.log('building (vite build) ...')
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    if (r.status !== 0) throw new Error('vite build failed')
  }
  for (const b of builds)
    if (!existsSync(join(b.dir, 'index.html'))) throw new Error(`no ${b.dir}/index.html`)
  const servers: ChildProcess[] = []
  const executablePath = existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined
  const browser = await chromium.launch({ executablePath, args: FLAGS })
  const load0 = os.loadavg()
  console.log(
    `cold loads of ${LESSON}: Chromium ${browser.version()}, ${RUNS} runs per build, interleaved; ${os.cpus().length} cores, load average ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  )
  const results = new Map<string, { tasks: Task[]; packetMs: number }[]>()
  try {
    for (const [i, b] of builds.entries()) servers.push(await serve(b.dir, PORT0 + i))
    // One load each first, not counted: the disk cache of the machine, not of the page.
    for (const [i] of builds.entries()) await coldLoad(browser, `http://localhost:${PORT0 + i}`)
    for (let run = 0; run < RUNS; run++)
      for (const [i, b] of builds.entries()) {
        const r = await coldLoad(browser, `http://localhost:${PORT0 + i}`)
        results.set(b.label, [...(results.get(b.label) ?? []), r])
        const long = r.tasks.filter((t) => t.cpuMs > LONG_TASK_MS)
        console.log(
          `\n${b.label} #${run + 1}: packet at ${r1(r.packetMs)} ms, ${long.length} tasks over ${LONG_TASK_MS} ms of CPU; busy ${r1(r.tasks.reduce((a, t) => a + t.cpuMs, 0))} ms CPU; load ${os.loadavg()[0]!.toFixed(2)}`,
        )
        for (const t of r.tasks.filter((t) => t.cpuMs > LIST_MS))
          console.log(
            `  at ${r1(t.atMs)} ms: ${r1(t.cpuMs)} ms CPU (${r1(t.wallMs)} wall): ${t.parts.map((p) => `${p.what} ${p.cpuMs}`).join('; ')}`,
          )
        if (PROFILE)
          for (const t of r.tasks.filter((t) => t.functions))
            console.log(
              `  functions of the task at ${r1(t.atMs)} ms:\n${t.functions!.map((f) => `    ${f.cpuMs} ${f.what}`).join('\n')}`,
            )
      }
  } finally {
    await browser.close()
    for (const s of servers) await stop(s)
  }
  const load1 = os.loadavg()
  console.log(`\nsummary (load average at the end ${load1.map((l) => l.toFixed(2)).join(' ')}):`)
  for (const [label, rs] of results) {
    const longest = rs.map((r) => Math.max(0, ...r.tasks.map((t) => t.cpuMs)))
    const counts = rs.map((r) => r.tasks.filter((t) => t.cpuMs > LONG_TASK_MS).length)
    console.log(
      `  ${label}: tasks over ${LONG_TASK_MS} ms CPU per load ${counts.join(' ')}; longest per load ${longest.map(r1).join(' ')} (median ${r1(median(longest))}); packet median ${r1(median(rs.map((r) => r.packetMs)))} ms`,
    )
    // The tasks that evaluate the app's scripts (one per module graph imported: the page's first
    // script, each chunk it imports dynamically), and the longest of them.
    const evals = rs.map((r) => r.tasks.filter((t) => t.parts.some((p) => p.what === EVALUATE)))
    const longestEval = evals.map((ts) => Math.max(0, ...ts.map((t) => t.cpuMs)))
    console.log(
      `  ${label}: script evaluations per load ${evals.map((ts) => ts.length).join(' ')}; longest per load ${longestEval.map(r1).join(' ')} ms CPU (median ${r1(median(longestEval))})`,
    )
  }
  const dir = join(ROOT, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'load-tasks.json'),
    `${JSON.stringify({ date: new Date().toISOString(), lesson: LESSON, load: [load0, load1], results: Object.fromEntries(results) }, null, 2)}\n`,
  )
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
