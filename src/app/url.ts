/**
 * The address holds what a learner would share: `?lesson=mode2-flannel-vxlan&step=3&lang=zh-CN`
 * (plus `traffic` when it is not the first one, `seed` when it is not 1, `conn` from the
 * second connection of a session on, `cni` and `proxy` when a lesson switch is flipped, and
 * `layer` when the graph brings one layer forward, `page` for the glossary, the four modes or
 * a lesson's handout (src/app/page.ts), `camera=whole` when the graph shows the whole cluster
 * rather than following the packet, `box` for a box opened for inspection, `present=1` for
 * presenter mode, so a teacher can bookmark a lesson ready to project, `speaker=1` in its
 * speaker window, and `predict=1` for predict mode, which goes with either view). It is read once on
 * load and rewritten with history.replaceState, so stepping does not fill the back button.
 * Nothing in it is dropped or changed silently: what the page cannot take as written is
 * corrected and listed (UrlCorrection), for the page to say so.
 */
import { isCniChoice, isProxyMode, type CniChoice } from '../model/overrides.ts'
import type { KubeProxyMode } from '../model/scenario.ts'
import { LANGS, type Lang } from '../model/text.ts'
import { MAX_CONNECTIONS } from '../sim/limits.ts'
import {
  CAMERAS,
  GRAPH_LAYERS,
  useAppStore,
  type AppState,
  type Camera,
  type GraphLayer,
  type StageView,
} from './store.ts'

export const DEFAULT_SEED = 1
/** The largest seed, as the command line takes it (--seed): the engine's generator is 32 bits. */
export const MAX_SEED = 0xffffffff

/** The parameters the app reads from the address. */
export const URL_PARAMS = [
  'lesson',
  'traffic',
  'step',
  'lang',
  'seed',
  'conn',
  'cni',
  'proxy',
  'layer',
] as const
export type UrlParam = (typeof URL_PARAMS)[number]
/** Parameters that mean something only with a lesson open. */
export const LESSON_PARAMS: readonly UrlParam[] = ['traffic', 'step', 'conn', 'cni', 'proxy']

/**
 * Why a parameter was not taken as written: not a value of its kind (malformed), outside the
 * values it may take (range), not a value PodPath knows (unknown), not a switch the lesson
 * offers (notOffered), not a request of the lesson (notInLesson), or no lesson open (noLesson).
 */
export type CorrectionReason =
  'malformed' | 'range' | 'unknown' | 'notOffered' | 'notInLesson' | 'noLesson'

/** A parameter of the address that the page corrected, and says so. */
export interface UrlCorrection {
  param: UrlParam
  /** What the address said. */
  given: string
  /** What the page uses instead, where that is a value (null: left out, or the default). */
  now: string | null
  reason: CorrectionReason
}

export interface UrlState {
  lesson: string | null
  traffic: string | null
  /** Position of the selected step in the trace. */
  step: number | null
  lang: Lang | null
  seed: number
  connection: number
  /** A lesson switch (the session keeps it only where the lesson offers it). */
  cni: CniChoice | null
  proxy: KubeProxyMode | null
  layer: GraphLayer | null
  camera: Camera | null
  /** A graph box id opened for inspection. */
  box: string | null
  view: StageView | null
  /** Predict mode: the quiz's questions on the stage. */
  predict: boolean
  /** Every parameter the address holds, as written. */
  given: Partial<Record<UrlParam, string>>
  /** What could be judged without the lesson: values that are malformed, unknown or out of range. */
  corrections: UrlCorrection[]
}

const WHOLE = /^\d{1,10}$/

export function parseUrl(search: string): UrlState {
  const q = new URLSearchParams(search)
  const given: Partial<Record<UrlParam, string>> = {}
  for (const p of URL_PARAMS) {
    const v = q.get(p)
    if (v !== null) given[p] = v
  }
  const corrections: UrlCorrection[] = []
  const fix = (param: UrlParam, reason: CorrectionReason, now: string | null = null) =>
    corrections.push({ param, given: given[param]!, now, reason })

  if (given.lesson === '') fix('lesson', 'malformed')
  if (given.traffic === '') fix('traffic', 'malformed')
  let step: number | null = null
  if (given.step !== undefined) {
    if (WHOLE.test(given.step)) step = Number(given.step)
    else fix('step', 'malformed', '0')
  }
  const lang = LANGS.find((l) => l === given.lang) ?? null
  if (given.lang !== undefined && !lang) fix('lang', 'unknown')
  let seed = DEFAULT_SEED
  if (given.seed !== undefined) {
    if (WHOLE.test(given.seed) && Number(given.seed) <= MAX_SEED) seed = Number(given.seed)
    else fix('seed', 'malformed', String(DEFAULT_SEED))
  }
  let connection = 1
  if (given.conn !== undefined) {
    const n = WHOLE.test(given.conn) ? Number(given.conn) : null
    if (n === null) fix('conn', 'malformed', '1')
    else {
      connection = Math.min(Math.max(n, 1), MAX_CONNECTIONS)
      if (connection !== n) fix('conn', 'range', String(connection))
    }
  }
  const cni = isCniChoice(given.cni) ? given.cni : null
  if (given.cni !== undefined && !cni) fix('cni', 'unknown')
  const proxy = isProxyMode(given.proxy) ? given.proxy : null
  if (given.proxy !== undefined && !proxy) fix('proxy', 'unknown')
  const layer = GRAPH_LAYERS.find((l) => l === given.layer) ?? null
  if (given.layer !== undefined && !layer) fix('layer', 'unknown', 'all')
  return {
    lesson: given.lesson || null,
    traffic: given.traffic || null,
    step,
    lang,
    seed,
    connection,
    cni,
    proxy,
    layer,
    given,
    corrections,
    camera: CAMERAS.find((c) => c === q.get('camera')) ?? null,
    box: q.get('box') || null,
    view: q.get('speaker') === '1' ? 'speaker' : q.get('present') === '1' ? 'present' : null,
    predict: q.get('predict') === '1',
  }
}

export function formatUrl(s: AppState): string {
  const q = new URLSearchParams()
  // An imported file lives only in this tab: the address cannot hold it, so it holds no step
  // of it either (a copied link opens PodPath's first screen; the page says so).
  // Predict mode is kept, as a switch of the page rather than of the file.
  if (s.imported)
    return `?${s.page ? `page=${s.page}&` : ''}${s.predict ? 'predict=1&' : ''}lang=${s.lang}`
  if (s.lessonId) q.set('lesson', s.lessonId)
  if (s.selectedTraffic && s.selectedTraffic !== s.trafficNames[0])
    q.set('traffic', s.selectedTraffic)
  if (s.trace && s.trace.steps.length > 0) q.set('step', String(s.step))
  if (s.seed !== DEFAULT_SEED) q.set('seed', String(s.seed))
  if (s.connection > 1) q.set('conn', String(s.connection))
  if (s.cniSwitch) q.set('cni', s.cniSwitch)
  if (s.proxySwitch) q.set('proxy', s.proxySwitch)
  if (s.graphLayer !== 'all') q.set('layer', s.graphLayer)
  if (s.page) q.set('page', s.page)
  if (s.camera !== 'follow') q.set('camera', s.camera)
  if (s.inspecting) q.set('box', s.inspecting)
  if (s.view === 'present') q.set('present', '1')
  if (s.view === 'speaker') q.set('speaker', '1')
  if (s.predict) q.set('predict', '1')
  q.set('lang', s.lang)
  return `?${q.toString()}`
}

/** Keeps the address bar in step with the store; returns the unsubscribe function. */
export function syncUrl(): () => void {
  const write = (s: AppState) => {
    const search = formatUrl(s)
    if (search !== window.location.search)
      window.history.replaceState(window.history.state, '', search + window.location.hash)
  }
  write(useAppStore.getState())
  return useAppStore.subscribe(write)
}
