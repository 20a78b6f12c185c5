/**
 * The address holds what a learner would share: `?lesson=mode2-flannel-vxlan&step=3&lang=zh-CN`
 * (plus `traffic` when it is not the first one, `seed` when it is not 1, `conn` from the
 * second connection of a session on, `cni` and `proxy` when a lesson switch is flipped, and
 * `layer` when the graph brings one layer forward, `page` for the glossary, the four modes or
 * a lesson's handout (src/app/page.ts), `camera=whole` when the graph shows the whole cluster
 * rather than following the packet, `box` for a box opened for inspection, `present=1` for
 * presenter mode, so a teacher can bookmark a lesson ready to project, `speaker=1` in its
 * speaker window; `predict=1` for predict mode, which goes with either view; `embed=1` and `origin=` for a course page that frames it, src/app/embed).
 * A scenario of one's own is in the fragment instead of `lesson` (`#s=...`, src/app/share), the
 * rest of its view in the query as for a lesson. It is read once on
 * load and rewritten with history.replaceState, so stepping does not fill the back button.
 * Nothing in it is dropped or changed silently: what the page cannot take as written is
 * corrected and listed (UrlCorrection), for the page to say so.
 */
import { isCniChoice, isProxyMode, type CniChoice } from '../model/overrides.ts'
import type { KubeProxyMode } from '../model/scenario.ts'
import { LANGS, type Lang } from '../model/text.ts'
import { MAX_CONNECTIONS } from '../sim/limits.ts'
import { parseOrigins } from './embed/origins.ts'
import { SHARE_KEY } from './share/share-key.ts'
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
  'embed',
  'origin',
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
  | 'malformed'
  | 'range'
  | 'unknown'
  | 'notOffered'
  | 'notInLesson'
  | 'noLesson'
  /** A share link's scenario (#s=) that was cut short or changed, or a later version's. */
  | 'damaged'
  | 'version'

/** What the page reads from the address: a query parameter, or the fragment's scenario (`s`). */
export type AddressPart = UrlParam | typeof SHARE_KEY

/** A parameter of the address that the page corrected, and says so. */
export interface UrlCorrection {
  param: AddressPart
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
  /** `embed=1`: the page is meant to be framed by a course page (docs/embed.md). */
  embed: boolean
  /** The origins the embedding page trusts (`origin=`), null when it names none. */
  origins: string[] | null
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
  if (given.embed !== undefined && given.embed !== '1') fix('embed', 'malformed')
  let origins: string[] | null = null
  if (given.origin !== undefined) {
    const parsed = parseOrigins(given.origin)
    // Refused whole: a page that mistyped one origin must hear of it, not be half-trusted.
    if (parsed.ok) origins = parsed.origins
    else fix('origin', 'malformed', parsed.bad)
  }
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
    embed: given.embed === '1',
    origins,
    given,
    corrections,
    camera: CAMERAS.find((c) => c === q.get('camera')) ?? null,
    box: q.get('box') || null,
    view:
      q.get('speaker') === '1'
        ? 'speaker'
        : q.get('present') === '1'
          ? 'present'
          : given.embed === '1'
            ? 'embed'
            : null,
    predict: q.get('predict') === '1',
  }
}

export function formatUrl(s: AppState): string {
  const q = new URLSearchParams()
  // An imported file is in the fragment (formatHash), never in the query: no server sees it.
  if (s.lessonId && !s.imported) q.set('lesson', s.lessonId)
  if (s.selectedTraffic && s.selectedTraffic !== s.trafficNames[0])
    q.set('traffic', s.selectedTraffic)
  if (s.trace && s.trace.steps.length > 0) q.set('step', String(s.step))
  if (s.seed !== DEFAULT_SEED) q.set('seed', String(s.seed))
  if (s.connection > 1) q.set('conn', String(s.connection))
  if (s.cniSwitch && !s.imported) q.set('cni', s.cniSwitch)
  if (s.proxySwitch && !s.imported) q.set('proxy', s.proxySwitch)
  if (s.graphLayer !== 'all') q.set('layer', s.graphLayer)
  if (s.page) q.set('page', s.page)
  if (s.camera !== 'follow') q.set('camera', s.camera)
  if (s.inspecting) q.set('box', s.inspecting)
  if (s.view === 'present') q.set('present', '1')
  if (s.view === 'speaker') q.set('speaker', '1')
  if (s.predict) q.set('predict', '1')
  q.set('lang', s.lang)
  // Kept while the page lives: a framed page that reloads still knows whom it answers.
  if (s.embedding?.view) q.set('embed', '1')
  if (s.embedding?.origins) q.set('origin', s.embedding.origins.join(','))
  return `?${q.toString()}`
}

/**
 * The fragment: an imported scenario's share value (`#s=...`) while one is open and it fits a
 * browser's address; else whatever other fragment the page has (a skip link's `#lesson`).
 */
export function formatHash(s: AppState, current: string): string {
  if (s.imported && s.shareValue) return `#${SHARE_KEY}=${s.shareValue}`
  return current.startsWith(`#${SHARE_KEY}=`) ? '' : current
}

/** Keeps the address bar in step with the store; returns the unsubscribe function. */
export function syncUrl(): () => void {
  const write = (s: AppState) => {
    const search = formatUrl(s)
    const hash = formatHash(s, window.location.hash)
    if (search !== window.location.search || hash !== window.location.hash)
      // A query alone (no `#`) drops the old fragment.
      window.history.replaceState(window.history.state, '', search + hash)
  }
  write(useAppStore.getState())
  return useAppStore.subscribe(write)
}
