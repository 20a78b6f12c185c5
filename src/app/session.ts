/**
 * What happens when a learner opens a lesson or picks a request: fetch the lesson's YAML, ask
 * the engine to load and trace it, and put the answers in the store. The newest request wins:
 * answers to one the learner has already moved away from are dropped.
 */
import { LESSONS, type LessonMeta } from '../lessons/catalog.ts'
import type { ClusterOverrides, CniChoice } from '../model/overrides.ts'
import type { KubeProxyMode } from '../model/scenario.ts'
import { foldsFor, foldToOpen } from './fold.ts'
import { hasLessonSource, lessonFileName, loadLessonSource } from './lesson-sources.ts'
import { clampStep, useAppStore, type ScenarioSlice } from './store.ts'
import { createEngineClient, type EngineClient } from './worker-client.ts'
import type { InspectTarget } from '../sim/protocol.ts'

let engine: EngineClient | null = null
let generation = 0

function getEngine(): EngineClient {
  engine ??= createEngineClient()
  return engine
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
}

function failed(gen: number, err: unknown): void {
  if (gen !== generation) return
  useAppStore.setState({ status: 'failed', engineError: (err as Error).message })
}

async function showTrace(gen: number, traffic: string | null, step: number): Promise<void> {
  const { seed, connection } = useAppStore.getState()
  const trace = traffic ? await getEngine().trace(traffic, seed, connection) : null
  if (gen !== generation) return
  const { lessonId } = useAppStore.getState()
  // What the lesson does not teach folds into one step (fold.ts); a new trace starts folded.
  const folds = trace ? foldsFor(LESSONS.find((l) => l.id === lessonId) ?? null, trace.steps) : []
  const at = clampStep(step, trace)
  // A step from the URL that a fold hides opens it.
  const hiding = foldToOpen(folds, new Set(), at)
  useAppStore.setState({
    status: 'ready',
    trace,
    folds,
    openFolds: new Set(hiding ? [hiding.id] : []),
    step: at,
    playing: false,
  })
}

/** The switches as the engine takes them: only those the lesson offers (see the catalog). */
function overridesFor(
  lesson: LessonMeta,
  cni: CniChoice | null | undefined,
  proxy: KubeProxyMode | null | undefined,
): { cniSwitch: CniChoice | null; proxySwitch: KubeProxyMode | null } {
  return {
    cniSwitch: cni && lesson.switches?.cni?.includes(cni) ? cni : null,
    proxySwitch: proxy && lesson.switches?.proxy?.includes(proxy) ? proxy : null,
  }
}

/**
 * Opens a lesson (null: the landing screen), optionally at a request and step from the URL, and
 * with the CNI and kube-proxy switches the URL names.
 */
export async function openLesson(
  id: string | null,
  want: {
    traffic?: string | null
    step?: number | null
    connection?: number
    cni?: CniChoice | null
    proxy?: KubeProxyMode | null
  } = {},
): Promise<void> {
  const gen = ++generation
  const setScenario = (patch: Partial<ScenarioSlice>) => useAppStore.setState(patch)
  const lesson = LESSONS.find((l) => l.id === id)
  if (!id) return setScenario({ lessonId: null, status: 'idle', ...NOTHING_OPEN })
  if (!lesson || !hasLessonSource(lesson))
    return setScenario({ lessonId: id, status: 'missing', ...NOTHING_OPEN })
  setScenario({ lessonId: id, status: 'loading', ...NOTHING_OPEN })
  try {
    const source = await loadLessonSource(lesson)
    if (gen !== generation) return
    if (source === null) return setScenario({ status: 'missing' })
    const file = lessonFileName(lesson)
    const switches = overridesFor(lesson, want.cni, want.proxy)
    setScenario({ file, source, ...switches })
    const loaded = await getEngine().load(file, source, engineOverrides(switches))
    if (gen !== generation) return
    if (!loaded.ok) return setScenario({ status: 'invalid', diagnostics: loaded.diagnostics })
    const traffic =
      want.traffic && loaded.traffic.includes(want.traffic)
        ? want.traffic
        : (loaded.traffic[0] ?? null)
    setScenario({
      connection: want.connection ?? 1,
      diagnostics: loaded.diagnostics,
      cluster: loaded.cluster,
      trafficNames: loaded.traffic,
      selectedTraffic: traffic,
      ...asWrittenSwitches(loaded.asWritten, switches),
    })
    await showTrace(gen, traffic, want.step ?? 0)
  } catch (err) {
    failed(gen, err)
  }
}

/**
 * Opens the learner's own scenario file. Its text goes to the engine's worker in this tab and
 * nowhere else; it then shows as a lesson does: its first request traced, or its diagnostics
 * when it has errors.
 */
export async function openScenario(file: string, source: string): Promise<void> {
  const gen = ++generation
  const setScenario = (patch: Partial<ScenarioSlice>) => useAppStore.setState(patch)
  setScenario({ lessonId: null, status: 'loading', ...NOTHING_OPEN, imported: true, file, source })
  try {
    const loaded = await getEngine().load(file, source)
    if (gen !== generation) return
    if (!loaded.ok) return setScenario({ status: 'invalid', diagnostics: loaded.diagnostics })
    const traffic = loaded.traffic[0] ?? null
    setScenario({
      diagnostics: loaded.diagnostics,
      cluster: loaded.cluster,
      trafficNames: loaded.traffic,
      selectedTraffic: traffic,
    })
    await showTrace(gen, traffic, 0)
  } catch (err) {
    failed(gen, err)
  }
}

/** Follows another Traffic of the open scenario, from its first step. */
export async function followTraffic(name: string): Promise<void> {
  const gen = ++generation
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
  const gen = ++generation
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
  const gen = ++generation
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
