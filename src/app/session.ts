/**
 * What happens when a learner opens a lesson or picks a request: fetch the lesson's YAML, ask
 * the engine to load and trace it, and put the answers in the store. The newest request wins:
 * answers to one the learner has already moved away from are dropped.
 */
import { LESSONS, type LessonMeta } from '../lessons/catalog.ts'
import { replacesKubeProxy, type ClusterOverrides, type CniChoice } from '../model/overrides.ts'
import type { KubeProxyMode } from '../model/scenario.ts'
import { foldsFor, foldToOpen } from './fold.ts'
import { hasLessonSource, lessonFileName, loadLessonSource } from './lesson-sources.ts'
import { isUnreachable } from './offline.ts'
import { BROWSER_URL_LIMIT } from './share/share-key.ts'
import { clampStep, useAppStore, type AppState, type ScenarioSlice } from './store.ts'
import { createEngineClient, EngineCancelled, type EngineClient } from './worker-client.ts'
import { LESSON_PARAMS, type UrlCorrection, type UrlParam } from './url.ts'
import type { InspectTarget, LabSummary } from '../sim/protocol.ts'

let engine: EngineClient | null = null
let generation = 0

/** The step shown now, as the step list numbers it. */
const shownStep = (s: AppState) => s.trace?.steps[s.step]?.index ?? null

function getEngine(): EngineClient {
  engine ??= createEngineClient({
    // The client has already restarted the worker and replayed what it was asked: nothing in
    // the store changes but the notice (the step stays where the learner was).
    onEvent: (e) =>
      useAppStore.setState((s) => ({
        engineNotice: { kind: 'restarted', cause: e.cause, message: e.message, step: shownStep(s) },
      })),
  })
  return engine
}

type Settled = Pick<AppState, keyof ScenarioSlice | 'step'>
/** What the screen showed before the run under way; a cancel goes back to it. */
let settled: Settled | null = null
/** The last thing the learner asked for, to try again once the network is back. */
let lastAction: (() => Promise<void>) | null = null
/** What of the address the learner dismissed while the action under way still runs. */
let dismissed = new Set<UrlCorrection['param']>()

/** The notices of the address not yet dismissed: a later stage of a load does not bring back
 * what the learner already read and closed. */
const unread = (notices: UrlCorrection[]) => notices.filter((n) => !dismissed.has(n.param))

/** Starts an action: newer than any under way, and remembered for a cancel or a retry. */
function begin(action: () => Promise<void>): number {
  const s = useAppStore.getState()
  if (s.status !== 'loading') settled = settledOf(s)
  lastAction = action
  // A new request: what the engine said about an earlier one is old news.
  if (s.engineNotice) useAppStore.setState({ engineNotice: null })
  dismissed = new Set()
  return ++generation
}

/**
 * Stops the engine's run under way (the learner's Cancel): the screen goes back to what it
 * showed before, on a fresh worker that holds the same scenario.
 */
export function cancelRun(): void {
  engine?.cancel()
}

/** Does again what the learner last asked for (after the network came back). */
export async function retryLast(): Promise<void> {
  if (useAppStore.getState().status === 'offline') await lastAction?.()
}

const NOTHING_OPEN: Omit<ScenarioSlice, 'lessonId' | 'status' | 'seed'> = {
  imported: false,
  file: null,
  source: null,
  diagnostics: [],
  cluster: null,
  trafficNames: [],
  selectedTraffic: null,
  connection: 1,
  trace: null,
  engineError: null,
  cniSwitch: null,
  proxySwitch: null,
  asWritten: null,
  urlNotices: [],
  shareValue: null,
  shareLength: null,
}

/** Every fact of the open scenario, and the step: what a cancel restores. */
function settledOf(s: AppState): Settled {
  const keys = [...Object.keys(NOTHING_OPEN), 'lessonId', 'status', 'seed', 'step']
  return Object.fromEntries(keys.map((k) => [k, s[k as keyof Settled]])) as Settled
}

function failed(gen: number, err: unknown): void {
  if (gen !== generation) return
  if (err instanceof EngineCancelled) {
    return useAppStore.setState((s) => {
      const back = settled ?? settledOf(s)
      const step = shownStep({ ...s, ...back })
      return { ...back, playing: false, engineNotice: { kind: 'cancelled', step } }
    })
  }
  const message = (err as Error).message
  // Offline, whatever failed failed for want of a download (a worker script says no more).
  const offline = isUnreachable(err) || !useAppStore.getState().online
  useAppStore.setState({ status: offline ? 'offline' : 'failed', engineError: message })
}

async function showTrace(
  gen: number,
  traffic: string | null,
  step: number,
  notices?: UrlCorrection[],
): Promise<void> {
  const { seed, connection } = useAppStore.getState()
  const trace = traffic ? await getEngine().trace(traffic, seed, connection) : null
  if (gen !== generation) return
  const { lessonId } = useAppStore.getState()
  // What the lesson does not teach folds into one step (fold.ts); a new trace starts folded.
  const folds = trace ? foldsFor(LESSONS.find((l) => l.id === lessonId) ?? null, trace.steps) : []
  const shown = clampStep(step, trace)
  // A step from the URL that a fold hides opens it.
  const hiding = foldToOpen(folds, new Set(), shown)
  // A step the address names past the last one: the last is shown, and the page says so.
  const past = notices && trace && shown !== step && notices.every((n) => n.param !== 'step')
  useAppStore.setState({
    status: 'ready',
    trace,
    folds,
    openFolds: new Set(hiding ? [hiding.id] : []),
    step: shown,
    playing: false,
    ...(past && {
      urlNotices: unread([
        ...notices,
        { param: 'step', given: String(step), now: String(shown), reason: 'range' },
      ]),
    }),
  })
}

/**
 * The switches as the engine takes them: only those the lesson offers (see the catalog), and no
 * kube-proxy mode beside a CNI that replaces kube-proxy.
 */
function overridesFor(
  lesson: LessonMeta,
  cni: CniChoice | null | undefined,
  proxy: KubeProxyMode | null | undefined,
): { cniSwitch: CniChoice | null; proxySwitch: KubeProxyMode | null } {
  const cniSwitch = cni && lesson.switches?.cni?.includes(cni) ? cni : null
  const replaced = cniSwitch !== null && replacesKubeProxy(cniSwitch)
  return {
    cniSwitch,
    proxySwitch: proxy && !replaced && lesson.switches?.proxy?.includes(proxy) ? proxy : null,
  }
}

/**
 * Opens a lesson (null: the landing screen), optionally at a request and step from the URL, and
 * with the CNI and kube-proxy switches the URL names. Given the address it came from (`url`),
 * it lists whatever of it the page could not take as written (store.urlNotices): an unknown
 * lesson opens the landing map, an unknown request the first one, a step past the end the last.
 */
export async function openLesson(
  id: string | null,
  want: {
    traffic?: string | null
    step?: number | null
    connection?: number
    cni?: CniChoice | null
    proxy?: KubeProxyMode | null
    /** The address's parameters as written, and what parseUrl already corrected. */
    url?: { given: Partial<Record<UrlParam, string>>; corrections: UrlCorrection[] }
  } = {},
): Promise<void> {
  const gen = begin(() => openLesson(id, want))
  const setScenario = (patch: Partial<ScenarioSlice>) => useAppStore.setState(patch)
  const lesson = LESSONS.find((l) => l.id === id)
  const notices = [...(want.url?.corrections ?? [])]
  const note = (param: UrlParam, reason: UrlCorrection['reason'], now: string | null = null) => {
    const given = want.url?.given[param]
    if (given !== undefined && notices.every((n) => n.param !== param))
      notices.push({ param, given, now, reason })
  }
  if (!id || !lesson) {
    // No lesson to open: the landing map, and what of the address was about a lesson.
    if (id) note('lesson', 'unknown')
    for (const p of LESSON_PARAMS) note(p, 'noLesson')
    return setScenario({ lessonId: null, status: 'idle', ...NOTHING_OPEN, urlNotices: notices })
  }
  if (!hasLessonSource(lesson))
    return setScenario({ lessonId: id, status: 'missing', ...NOTHING_OPEN, urlNotices: notices })
  setScenario({ lessonId: id, status: 'loading', ...NOTHING_OPEN, urlNotices: notices })
  // The engine's worker starts while the lesson's file is fetched, not after it.
  getEngine().warm()
  try {
    const source = await loadLessonSource(lesson)
    if (gen !== generation) return
    if (source === null) return setScenario({ status: 'missing' })
    const file = lessonFileName(lesson)
    const switches = overridesFor(lesson, want.cni, want.proxy)
    if (want.cni && !switches.cniSwitch) note('cni', 'notOffered')
    if (want.proxy && !switches.proxySwitch) note('proxy', 'notOffered')
    setScenario({ file, source, ...switches, urlNotices: unread(notices) })
    const loaded = await getEngine().load(file, source, engineOverrides(switches))
    if (gen !== generation) return
    if (!loaded.ok) return setScenario({ status: 'invalid', diagnostics: loaded.diagnostics })
    const traffic =
      want.traffic && loaded.traffic.includes(want.traffic)
        ? want.traffic
        : (loaded.traffic[0] ?? null)
    if (want.traffic && traffic !== want.traffic) note('traffic', 'notInLesson', traffic)
    setScenario({
      connection: want.connection ?? 1,
      diagnostics: loaded.diagnostics,
      cluster: loaded.cluster,
      trafficNames: loaded.traffic,
      selectedTraffic: traffic,
      ...asWrittenSwitches(loaded.asWritten, switches),
      urlNotices: unread(notices),
    })
    await showTrace(gen, traffic, want.step ?? 0, want.url ? notices : undefined)
  } catch (err) {
    failed(gen, err)
  }
}

/** The learner has read what the page changed of the address. */
export function dismissUrlNotices(): void {
  for (const n of useAppStore.getState().urlNotices) dismissed.add(n.param)
  useAppStore.setState({ urlNotices: [] })
}

/**
 * Opens the learner's own scenario file. Its text goes to the engine's worker in this tab and
 * nowhere else (a share link holds it in the address's fragment, which no server sees); it then
 * shows as a lesson does: its first request traced, or its diagnostics when it has errors.
 * Opened from a share link, it goes to the request, step and connection the address names, and
 * lists what of them it could not take (store.urlNotices).
 */
export async function openScenario(
  file: string,
  source: string,
  want: {
    traffic?: string | null
    step?: number | null
    connection?: number
    url?: { given: Partial<Record<UrlParam, string>>; corrections: UrlCorrection[] }
  } = {},
): Promise<void> {
  const gen = begin(() => openScenario(file, source, want))
  const setScenario = (patch: Partial<ScenarioSlice>) => useAppStore.setState(patch)
  const notices = [...(want.url?.corrections ?? [])]
  const note = (param: UrlParam, reason: UrlCorrection['reason'], now: string | null = null) => {
    const given = want.url?.given[param]
    if (given !== undefined && notices.every((n) => n.param !== param))
      notices.push({ param, given, now, reason })
  }
  // A lesson's switches are the lesson's: a scenario of one's own runs as its file says.
  note('cni', 'noLesson')
  note('proxy', 'noLesson')
  setScenario({
    lessonId: null,
    status: 'loading',
    ...NOTHING_OPEN,
    imported: true,
    file,
    source,
    urlNotices: unread(notices),
  })
  void shareScenario(file, source)
  try {
    const loaded = await getEngine().load(file, source)
    if (gen !== generation) return
    if (!loaded.ok) return setScenario({ status: 'invalid', diagnostics: loaded.diagnostics })
    const traffic =
      want.traffic && loaded.traffic.includes(want.traffic)
        ? want.traffic
        : (loaded.traffic[0] ?? null)
    if (want.traffic && traffic !== want.traffic) note('traffic', 'notInLesson', traffic)
    setScenario({
      connection: want.connection ?? 1,
      diagnostics: loaded.diagnostics,
      cluster: loaded.cluster,
      trafficNames: loaded.traffic,
      selectedTraffic: traffic,
      urlNotices: unread(notices),
    })
    await showTrace(gen, traffic, want.step ?? 0, want.url ? notices : undefined)
  } catch (err) {
    failed(gen, err)
  }
}

/** The open scenario as a share link's fragment, once compressed; none past a browser's limit. */
async function shareScenario(file: string, source: string): Promise<void> {
  let value: string
  try {
    // The codec is a chunk of its own, loaded when a link is first made.
    const { encodeScenario } = await import('./share/share-link.ts')
    value = await encodeScenario({ file, source })
  } catch {
    // No CompressionStream (an old browser), or the codec could not be downloaded: the scenario
    // has no link, as before.
    return
  }
  // Another file opened meanwhile: this one's link is not wanted.
  if (useAppStore.getState().source !== source) return
  const length = value.length
  useAppStore.setState({
    shareValue: length < BROWSER_URL_LIMIT ? value : null,
    shareLength: length,
  })
}

/** Follows another Traffic of the open scenario, from its first step. */
export async function followTraffic(name: string): Promise<void> {
  const gen = begin(() => followTraffic(name))
  useAppStore.setState({ selectedTraffic: name, connection: 1, status: 'loading' })
  try {
    await showTrace(gen, name, 0)
  } catch (err) {
    failed(gen, err)
  }
}

/**
 * The same request again as a new connection of this session (connection k+1), or back to a
 * fresh session (1). What the kernel remembers between them, such as IPVS connection counts or
 * sessionAffinity, then shows in the trace.
 */
export async function setConnection(connection: number): Promise<void> {
  const { selectedTraffic } = useAppStore.getState()
  if (!selectedTraffic) return
  const gen = begin(() => setConnection(connection))
  useAppStore.setState({ connection, status: 'loading' })
  try {
    await showTrace(gen, selectedTraffic, 0)
  } catch (err) {
    failed(gen, err)
  }
}

function engineOverrides(s: {
  cniSwitch: CniChoice | null
  proxySwitch: KubeProxyMode | null
}): ClusterOverrides | undefined {
  if (!s.cniSwitch && !s.proxySwitch) return undefined
  return {
    ...(s.cniSwitch ? { cni: s.cniSwitch } : {}),
    ...(s.proxySwitch ? { proxyMode: s.proxySwitch } : {}),
  }
}

/** A switch set to what the file already says is no switch: the URL and the note stay quiet. */
function asWrittenSwitches(
  asWritten: Required<ClusterOverrides> | null,
  s: { cniSwitch: CniChoice | null; proxySwitch: KubeProxyMode | null },
): Pick<ScenarioSlice, 'asWritten' | 'cniSwitch' | 'proxySwitch'> {
  return {
    asWritten,
    cniSwitch: s.cniSwitch === asWritten?.cni ? null : s.cniSwitch,
    proxySwitch: s.proxySwitch === asWritten?.proxyMode ? null : s.proxySwitch,
  }
}

/**
 * The open lesson built again with another CNI or kube-proxy mode (null: as the file says), by
 * the engine, and the same request traced again from its first step.
 */
export async function setSwitches(patch: {
  cni?: CniChoice | null
  proxy?: KubeProxyMode | null
}): Promise<void> {
  const state = useAppStore.getState()
  const lesson = LESSONS.find((l) => l.id === state.lessonId)
  if (!lesson || !state.file || state.source === null) return
  const switches = overridesFor(
    lesson,
    'cni' in patch ? patch.cni : state.cniSwitch,
    'proxy' in patch ? patch.proxy : state.proxySwitch,
  )
  const gen = begin(() => setSwitches(patch))
  useAppStore.setState({ ...switches, status: 'loading' })
  try {
    const loaded = await getEngine().load(state.file, state.source, engineOverrides(switches))
    if (gen !== generation) return
    if (!loaded.ok)
      return useAppStore.setState({
        status: 'invalid',
        diagnostics: loaded.diagnostics,
        trace: null,
      })
    const want = useAppStore.getState().selectedTraffic
    const traffic = want && loaded.traffic.includes(want) ? want : (loaded.traffic[0] ?? null)
    useAppStore.setState({
      diagnostics: loaded.diagnostics,
      cluster: loaded.cluster,
      trafficNames: loaded.traffic,
      selectedTraffic: traffic,
      connection: 1,
      ...asWrittenSwitches(loaded.asWritten, switches),
    })
    await showTrace(gen, traffic, 0)
  } catch (err) {
    failed(gen, err)
  }
}

/**
 * The lab script of the open scenario, as it is now (its switches applied): every traffic with
 * the current seed, named after the lesson's file and switches.
 */
export async function labScript(): Promise<LabSummary> {
  const { file, seed, cniSwitch, proxySwitch } = useAppStore.getState()
  if (!file) throw new Error('no scenario is open')
  const base = file.replace(/\.ya?ml$/, '')
  const tag = [cniSwitch, proxySwitch].filter((x): x is NonNullable<typeof x> => !!x).join('-')
  return getEngine().lab(tag ? `${base}-${tag}.yaml` : file, seed)
}

let inspecting = 0

const sameTarget = (a: InspectTarget, b: InspectTarget) =>
  'node' in a ? 'node' in b && a.node === b.node : 'pod' in b && a.pod === b.pod

/**
 * Opens a node or a Pod: the engine prints its tables as they stand just after `step` of the
 * trace shown, and marks the entries the trace uses. The newest request wins; the last answer
 * stays on screen while the next one is computed.
 */
export async function inspectTables(target: InspectTarget, step: number): Promise<void> {
  const { selectedTraffic, seed, connection, inspection } = useAppStore.getState()
  if (!selectedTraffic) return
  const gen = ++inspecting
  const kept = inspection && sameTarget(inspection.target, target) ? inspection.result : null
  useAppStore.setState({
    inspection: { target, step, status: 'loading', result: kept, error: null },
  })
  try {
    const result = await getEngine().inspect(selectedTraffic, seed, connection, step, target)
    if (gen !== inspecting) return
    useAppStore.setState({ inspection: { target, step, status: 'ready', result, error: null } })
  } catch (err) {
    if (gen !== inspecting) return
    useAppStore.setState({
      inspection: { target, step, status: 'failed', result: null, error: (err as Error).message },
    })
  }
}
