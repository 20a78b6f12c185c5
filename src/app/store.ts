/**
 * The app's discrete facts, in three zustand slices: the open scenario, where playback is, and
 * how it is viewed. Components select one value per call (see the selectors below).
 */
import { create, type StateCreator } from 'zustand'
import type { Diagnostic } from '../model/diagnostic.ts'
import type { Lang } from '../model/text.ts'
import type { Trace } from '../model/trace.ts'
import type { ClusterSummary, Inspection, InspectTarget } from '../sim/protocol.ts'
import type { CniChoice, ClusterOverrides } from '../model/overrides.ts'
import type { KubeProxyMode } from '../model/scenario.ts'
import { foldToOpen, shownSteps, type Fold, type Shown } from './fold.ts'
import type { UrlCorrection } from './url.ts'

export type ScenarioStatus =
  | 'idle'
  | 'loading'
  | 'ready'
  | 'invalid'
  | 'missing'
  | 'failed'
  /** A part of the app (a lesson, the engine) could not be downloaded: no network, no copy. */
  | 'offline'

export interface ScenarioSlice {
  lessonId: string | null
  /** The open scenario is the learner's own file (kept in this tab only), not a lesson. */
  imported: boolean
  /** The scenario file's name and text, as the engine was given them. */
  file: string | null
  source: string | null
  /** idle: no lesson; invalid: the scenario has errors (shown as the lesson); missing: no file. */
  status: ScenarioStatus
  diagnostics: Diagnostic[]
  cluster: ClusterSummary | null
  trafficNames: string[]
  selectedTraffic: string | null
  seed: number
  /** Which connection of a session the trace is (1: the first; later ones see the earlier ones open). */
  connection: number
  trace: Trace | null
  /** The engine itself failed (not the scenario): shown as an app error. */
  engineError: string | null
  /** The learner's switches in force (null: as the lesson's file says). */
  cniSwitch: CniChoice | null
  proxySwitch: KubeProxyMode | null
  /** What the file itself chooses, as the engine read it. */
  asWritten: Required<ClusterOverrides> | null
  /** What the page changed of the address it was opened with; cleared by opening anything else. */
  urlNotices: UrlCorrection[]
  /**
   * An imported scenario as a share link's fragment value (src/app/share/share-link.ts), and
   * its length; the value is null while it is computed, or when it is too long for an address.
   */
  shareValue: string | null
  shareLength: number | null
}

/** How fast playback runs, as a multiple of one step per STEP_MS. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const
export type Speed = (typeof SPEEDS)[number]
/** How long one step shows at 1x speed. */
export const STEP_MS = 1400

export interface PlaybackSlice {
  /** Position in trace.steps of the selected step (steps are numbered by position). */
  step: number
  setStep: (step: number) => void
  /** The packet moves on by itself, one step every STEP_MS / speed. */
  playing: boolean
  speed: Speed
  /** Starts (from the first step when at the last) or pauses playback. */
  togglePlay: () => void
  setPlaying: (playing: boolean) => void
  setSpeed: (speed: Speed) => void
  /**
   * The trace's folds (src/app/fold.ts: the parts its lesson does not teach, each shown as one
   * step) and those the learner opened. Going to a step a closed fold hides opens it.
   */
  folds: Fold[]
  openFolds: ReadonlySet<string>
  setFoldOpen: (id: string, open: boolean) => void
}

/** Which layer of the network the graph brings forward (the rest is dimmed, never hidden). */
export const GRAPH_LAYERS = ['all', 'l2', 'l3', 'services'] as const
export type GraphLayer = (typeof GRAPH_LAYERS)[number]

/**
 * The views of the one stage (src/ui/stage/views.ts says what each shows around the graph):
 * explore is the default; present is for a class (`present=1`); speaker is presenter mode's
 * second window (`speaker=1`): the narration, the next step and the tables, no graph; embed is
 * the stage framed by a course page (`embed=1`, docs/embed.md): the graph, the caption and the
 * step controls. Predict is not a view but a switch that goes
 * with explore and present (`predict` below).
 */
export const STAGE_VIEWS = ['explore', 'present', 'speaker', 'embed'] as const
export type StageView = (typeof STAGE_VIEWS)[number]

/** Where the graph's camera looks: at the packet's hop and its neighbours, or at everything. */
export const CAMERAS = ['follow', 'whole'] as const
export type Camera = (typeof CAMERAS)[number]

export interface InspectionState {
  target: InspectTarget
  step: number
  status: 'loading' | 'ready' | 'failed'
  /** The last answer (kept while the next step's is on its way); null: no such node or Pod. */
  result: Inspection | null
  error: string | null
}
/** A page shown instead of the lesson (the lesson stays open behind it); src/app/page.ts. */
export const APP_PAGES = ['glossary', 'modes', 'handout'] as const
export type AppPage = (typeof APP_PAGES)[number]

/** A course page frames PodPath (`embed=1`) and names the origins it trusts (`origin=`). */
export interface Embedding {
  view: boolean
  origins: string[] | null
}

export interface ViewSlice {
  lang: Lang
  setLang: (lang: Lang) => void
  page: AppPage | null
  graphLayer: GraphLayer
  setGraphLayer: (layer: GraphLayer) => void
  view: StageView
  setView: (view: StageView) => void
  camera: Camera
  setCamera: (camera: Camera) => void
  /** The box opened for inspection (a graph box id), or null. */
  inspecting: string | null
  setInspecting: (id: string | null) => void
  /** Its tables at the current step, as the engine printed them (src/app/session.ts). */
  inspection: InspectionState | null
  /** The drawer with the packet inspector, the tables and the inspected box. */
  drawerOpen: boolean
  setDrawerOpen: (open: boolean) => void
  /** The screen blanked (B or . in a class), and the list of keys shown (?). */
  blank: boolean
  setBlank: (blank: boolean) => void
  help: boolean
  setHelp: (help: boolean) => void
  /** As the address asked it, kept in the address (src/app/url.ts); null: not embedded. */
  embedding: Embedding | null
  /**
   * Predict mode (issue 12, `predict=1`): at a step where the quiz asks about the next one, the
   * stage shows the question first. It is not a view of its own: it goes with explore and with
   * present (the question large, for a class to answer aloud), so it is a switch beside the view.
   */
  predict: boolean
  setPredict: (predict: boolean) => void
  /** This visit's answers, by quiz key and question (src/app/predict.ts writes them). */
  predictAnswers: Readonly<Record<string, PredictAnswer>>
  /** What the last answer did, shown at the step it leads to until the learner moves on. */
  predictResult: PredictResult | null
  /** The choice the pointer or the focus is on, so the graph marks its box (a choice id). */
  predictPointing: string | null
  /**
   * In the speaker window: the projected stage's predict mode as it last said (src/app/
   * stage-sync.ts), its answers and the result it shows; null while the stage is not predicting.
   */
  stagePredict: StagePredict | null
}

/** What the stage tells its speaker window of predict mode, for the trace both show. */
export interface StagePredict {
  /** The stage's answers in this visit, by question id (`N:kind`); null: shown, not answered. */
  answers: Readonly<Record<string, string | null>>
  /** The question whose result the stage shows at its step, and how it went. */
  result: { question: string; outcome: PredictOutcome } | null
}

/** A question answered in this visit: the choice picked, or null when the answer was shown. */
export interface PredictAnswer {
  choice: string | null
  correct: boolean
}

/** right: moved on to the step; wrong: stayed, with the why; shown: moved on without an answer. */
export type PredictOutcome = 'right' | 'wrong' | 'shown'

export interface PredictResult {
  /** `quizKey#questionId`, as in predictAnswers. */
  answer: string
  /** The question's own id in the quiz (`N:kind`). */
  question: string
  outcome: PredictOutcome
  /** The trace position it is shown at. */
  at: number
  /** Counts answers, so that the screen knows a new one came (and moves the focus to it). */
  seq: number
}

/**
 * Something the engine did that the learner should hear about: a worker that stopped was
 * restarted, or the learner cancelled a run. `step`: the step shown then (its index), kept.
 */
export type EngineNotice =
  | {
      kind: 'restarted'
      cause: 'exited' | 'error' | 'unresponsive'
      message: string
      step: number | null
    }
  | { kind: 'cancelled'; step: number | null }

/** The engine's and the network's state, for src/ui/status (written by session.ts, offline.ts). */
export interface StatusSlice {
  engineNotice: EngineNotice | null
  /** As the browser last said (navigator.onLine and its online/offline events). */
  online: boolean
  /** A service worker holds this version of the app and every lesson for use offline. */
  offlineReady: boolean
  /** A newer version is installed and waits for the learner to reload into it. */
  updateReady: boolean
}

export type AppState = ScenarioSlice & PlaybackSlice & ViewSlice & StatusSlice

/** Written by src/app/session.ts, which asks the engine. */
const createScenarioSlice: StateCreator<AppState, [], [], ScenarioSlice> = () => ({
  lessonId: null,
  imported: false,
  file: null,
  source: null,
  status: 'idle',
  diagnostics: [],
  cluster: null,
  trafficNames: [],
  selectedTraffic: null,
  seed: 1,
  connection: 1,
  trace: null,
  engineError: null,
  cniSwitch: null,
  proxySwitch: null,
  asWritten: null,
  urlNotices: [],
  shareValue: null,
  shareLength: null,
})

/** A step position that exists in the trace (0 when there are no steps). */
export function clampStep(step: number, trace: Trace | null): number {
  const last = (trace?.steps.length ?? 1) - 1
  return Math.max(0, Math.min(step, last))
}

const createPlaybackSlice: StateCreator<AppState, [], [], PlaybackSlice> = (set, get) => ({
  step: 0,
  setStep: (step) => {
    const { trace, folds, openFolds } = get()
    const to = clampStep(step, trace)
    const fold = foldToOpen(folds, openFolds, to)
    set(fold ? { step: to, openFolds: new Set([...openFolds, fold.id]) } : { step: to })
  },
  playing: false,
  speed: 1,
  togglePlay: () => {
    const { playing, step, trace } = get()
    const count = trace?.steps.length ?? 0
    if (playing || count < 2) return set({ playing: false })
    set({ playing: true, step: step >= count - 1 ? 0 : step })
  },
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed }),
  folds: [],
  openFolds: new Set(),
  setFoldOpen: (id, open) => {
    const { openFolds, folds, step } = get()
    if (openFolds.has(id) === open) return
    const next = new Set(openFolds)
    if (open) next.add(id)
    else next.delete(id)
    // Closing the fold the packet is inside puts it at the fold's own (first) step.
    const fold = folds.find((f) => f.id === id)
    const inside = !open && fold && step > fold.start && step <= fold.end
    set(inside ? { openFolds: next, step: fold.start } : { openFolds: next })
  },
})

const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set) => ({
  lang: 'en',
  setLang: (lang) => set({ lang }),
  page: null,
  graphLayer: 'all',
  setGraphLayer: (graphLayer) => set({ graphLayer }),
  view: 'explore',
  setView: (view) => set({ view, blank: false }),
  camera: 'follow',
  setCamera: (camera) => set({ camera }),
  inspecting: null,
  setInspecting: (inspecting) =>
    set(inspecting ? { inspecting, drawerOpen: true } : { inspecting, inspection: null }),
  inspection: null,
  drawerOpen: true,
  setDrawerOpen: (drawerOpen) => set({ drawerOpen }),
  blank: false,
  setBlank: (blank) => set({ blank }),
  help: false,
  setHelp: (help) => set({ help }),
  embedding: null,
  predict: false,
  setPredict: (predict) => set({ predict }),
  predictAnswers: {},
  predictResult: null,
  predictPointing: null,
  stagePredict: null,
})

const createStatusSlice: StateCreator<AppState, [], [], StatusSlice> = () => ({
  engineNotice: null,
  online: true,
  offlineReady: false,
  updateReady: false,
})

export const useAppStore = create<AppState>()((...a) => ({
  ...createScenarioSlice(...a),
  ...createPlaybackSlice(...a),
  ...createViewSlice(...a),
  ...createStatusSlice(...a),
}))

export const selectLang = (s: AppState) => s.lang
export const selectPage = (s: AppState) => s.page
export const selectLessonId = (s: AppState) => s.lessonId
export const selectImported = (s: AppState) => s.imported
export const selectStatus = (s: AppState) => s.status
export const selectFile = (s: AppState) => s.file
export const selectSource = (s: AppState) => s.source
export const selectDiagnostics = (s: AppState) => s.diagnostics
export const selectCluster = (s: AppState) => s.cluster
export const selectTrafficNames = (s: AppState) => s.trafficNames
export const selectSelectedTraffic = (s: AppState) => s.selectedTraffic
export const selectTrace = (s: AppState) => s.trace
export const selectStep = (s: AppState) => s.step
export const selectStepCount = (s: AppState) => s.trace?.steps.length ?? 0
export const selectEngineError = (s: AppState) => s.engineError
export const selectPlaying = (s: AppState) => s.playing
export const selectSpeed = (s: AppState) => s.speed
export const selectGraphLayer = (s: AppState) => s.graphLayer
export const selectCniSwitch = (s: AppState) => s.cniSwitch
export const selectProxySwitch = (s: AppState) => s.proxySwitch
export const selectAsWritten = (s: AppState) => s.asWritten
export const selectView = (s: AppState) => s.view
export const selectCamera = (s: AppState) => s.camera
export const selectInspecting = (s: AppState) => s.inspecting
export const selectInspection = (s: AppState) => s.inspection
export const selectDrawerOpen = (s: AppState) => s.drawerOpen
export const selectBlank = (s: AppState) => s.blank
export const selectHelp = (s: AppState) => s.help
export const selectPredict = (s: AppState) => s.predict
export const selectPredictResult = (s: AppState) => s.predictResult
export const selectFolds = (s: AppState) => s.folds
export const selectOpenFolds = (s: AppState) => s.openFolds

let shownCache: {
  count: number
  folds: Fold[]
  open: ReadonlySet<string>
  shown: Shown[]
} | null = null

/**
 * The trace's steps as displayed (a closed fold is one), the same array until the trace or its
 * folds change, so it can be selected like any other value.
 */
export function selectShown(s: AppState): Shown[] {
  const count = s.trace?.steps.length ?? 0
  const c = shownCache
  if (c && c.count === count && c.folds === s.folds && c.open === s.openFolds) return c.shown
  const shown = shownSteps(count, s.folds, s.openFolds)
  shownCache = { count, folds: s.folds, open: s.openFolds, shown }
  return shown
}
export const selectUrlNotices = (s: AppState) => s.urlNotices
export const selectShareValue = (s: AppState) => s.shareValue
export const selectShareLength = (s: AppState) => s.shareLength
export const selectBusy = (s: AppState) => s.status === 'loading'
export const selectEngineNotice = (s: AppState) => s.engineNotice
export const selectOnline = (s: AppState) => s.online
export const selectOfflineReady = (s: AppState) => s.offlineReady
export const selectUpdateReady = (s: AppState) => s.updateReady
