/**
 * The address holds what a learner would share: `?lesson=mode2-flannel-vxlan&step=3&lang=zh-CN`
 * (plus `traffic` when it is not the first one, `seed` when it is not 1, `conn` from the
 * second connection of a session on, `cni` and `proxy` when a lesson switch is flipped, and
 * `layer` when the graph brings one layer forward, `camera=whole` when the graph shows the whole
 * cluster rather than following the packet, `box` for a box opened for inspection, and
 * `present=1` for presenter mode, so a teacher can bookmark a lesson ready to project, `speaker=1`
 * in its speaker window). It is read once on
 * load and rewritten with history.replaceState, so stepping does not fill the back button.
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
}

function nonNegativeInt(v: string | null): number | null {
  if (v === null || !/^\d{1,9}$/.test(v)) return null
  return Number(v)
}

export function parseUrl(search: string): UrlState {
  const q = new URLSearchParams(search)
  const lang = q.get('lang')
  const [cni, proxy, layer] = [q.get('cni'), q.get('proxy'), q.get('layer')]
  return {
    lesson: q.get('lesson') || null,
    traffic: q.get('traffic') || null,
    step: nonNegativeInt(q.get('step')),
    lang: LANGS.find((l) => l === lang) ?? null,
    seed: nonNegativeInt(q.get('seed')) ?? DEFAULT_SEED,
    connection: Math.min(Math.max(nonNegativeInt(q.get('conn')) ?? 1, 1), MAX_CONNECTIONS),
    cni: isCniChoice(cni) ? cni : null,
    proxy: isProxyMode(proxy) ? proxy : null,
    layer: GRAPH_LAYERS.find((l) => l === layer) ?? null,
    camera: CAMERAS.find((c) => c === q.get('camera')) ?? null,
    box: q.get('box') || null,
    view: q.get('speaker') === '1' ? 'speaker' : q.get('present') === '1' ? 'present' : null,
  }
}

export function formatUrl(s: AppState): string {
  const q = new URLSearchParams()
  // An imported file lives only in this tab: the address cannot hold it, so it holds no step
  // of it either (a copied link opens PodPath's first screen; the page says so).
  if (s.imported) return `?lang=${s.lang}`
  if (s.lessonId) q.set('lesson', s.lessonId)
  if (s.selectedTraffic && s.selectedTraffic !== s.trafficNames[0])
    q.set('traffic', s.selectedTraffic)
  if (s.trace && s.trace.steps.length > 0) q.set('step', String(s.step))
  if (s.seed !== DEFAULT_SEED) q.set('seed', String(s.seed))
  if (s.connection > 1) q.set('conn', String(s.connection))
  if (s.cniSwitch) q.set('cni', s.cniSwitch)
  if (s.proxySwitch) q.set('proxy', s.proxySwitch)
  if (s.graphLayer !== 'all') q.set('layer', s.graphLayer)
  if (s.camera !== 'follow') q.set('camera', s.camera)
  if (s.inspecting) q.set('box', s.inspecting)
  if (s.view === 'present') q.set('present', '1')
  if (s.view === 'speaker') q.set('speaker', '1')
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
