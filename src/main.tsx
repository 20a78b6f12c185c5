import i18next from 'i18next'
import { isUnreachable, registerServiceWorker, watchNetwork } from './app/offline.ts'
import { parsePage } from './app/page.ts'
import { openLesson, openScenario, retryLast } from './app/session.ts'
import { shareValue, SHARE_KEY } from './app/share/share-key.ts'
import { startPredict } from './app/predict.ts'
import { useAppStore } from './app/store.ts'
import { startStageSync } from './app/stage-sync.ts'
import { parseUrl, syncUrl } from './app/url.ts'
import { detectLang, initI18n, loadStrings } from './i18n/i18n.ts'
import { LANGS } from './model/text.ts'
import { loadGraph } from './ui/graph/load-graph.ts'
import { loadMarks } from './ui/glossary/load-marks.ts'

const url = parseUrl(window.location.search)
const lang = detectLang(url.lang, navigator.languages)
useAppStore.setState({
  lang,
  seed: url.seed,
  page: parsePage(window.location.search),
  ...(url.layer ? { graphLayer: url.layer } : {}),
  ...(url.camera ? { camera: url.camera } : {}),
  ...(url.view ? { view: url.view } : {}),
  ...(url.predict ? { predict: true } : {}),
  ...(url.box ? { inspecting: url.box } : {}),
  ...(url.embed || url.origins ? { embedding: { view: url.embed, origins: url.origins } } : {}),
})
// The UI's strings in the language the page starts in (a chunk of their own).
const speaking = initI18n(lang)

// Presenter mode's two windows keep one step (the speaker window is this app, speaker=1).
startStageSync()
// Predict mode: moving on past an open question shows its answer, never silently.
startPredict()
// A lesson that could not be downloaded opens by itself once the network is back.
watchNetwork(() => void retryLast())

// A language the address asks for and PodPath lacks: the page says which one it shows.
const corrections = url.corrections.map((c) => (c.param === 'lang' ? { ...c, now: lang } : c))
const shared = shareValue(window.location.hash)

/** What the address opens: a share link's own scenario (#s=...), else its lesson or the map. */
async function openAddress(): Promise<void> {
  if (shared !== null) {
    // The codec (compression, the SHA-256 check) is a chunk of its own, loaded only here.
    const { decodeScenario } = await import('./app/share/share-link.ts')
    const decoded = await decodeScenario(shared)
    if (decoded.ok) {
      const { file, source } = decoded.scenario
      return openScenario(file, source, {
        traffic: url.traffic,
        step: url.step,
        connection: url.connection,
        url: { given: url.given, corrections },
      })
    }
    // A link cut short or changed opens the map, and says so: never another scenario.
    const given = `#${SHARE_KEY}=${shared}`
    const note = { param: SHARE_KEY, given, now: null, reason: decoded.reason } as const
    return openLesson(null, { url: { given: url.given, corrections: [note, ...corrections] } })
  }
  return openLesson(url.lesson, {
    traffic: url.traffic,
    step: url.step,
    connection: url.connection,
    cni: url.cni,
    proxy: url.proxy,
    url: { given: url.given, corrections },
  })
}

// Before the first render: the lesson's file, the engine's worker and the graph's chunk download
// while React draws the page, instead of after it.
const opening = openAddress()
// Only a head start: if it fails, the graph's own load tries again and says so.
// So are the glossary's terms, which the first narration marks (on the map, once it is drawn).
if (url.lesson || shared !== null) {
  loadGraph().catch(() => {})
  loadMarks().catch(() => {})
}

// Then the page's React half (src/ui/boot.tsx), evaluated in tasks of their own: React DOM first,
// then the components; index.html has preloaded both.
const container = document.getElementById('root')!
const rendered = Promise.all([speaking, import('react-dom/client')])
  .then(() => import('./ui/boot.tsx'))
  .then(
    (ui) => ui.renderApp(container),
    (err: unknown) => showUnloaded(container, err),
  )

void rendered.then(() => loadMarks().catch(() => {}))

/** Without React (it is what could not be loaded): what AppCrash says, and a way back. */
function showUnloaded(root: HTMLElement, err: unknown): void {
  const main = document.createElement('main')
  main.className = 'app-crash'
  const p = main.appendChild(document.createElement('p'))
  p.className = 'notice failed'
  p.setAttribute('role', 'alert')
  p.textContent = isUnreachable(err)
    ? i18next.t('status.crashedOffline')
    : i18next.t('status.crashed', { message: (err as Error).message })
  const reload = main.appendChild(document.createElement('button'))
  reload.type = 'button'
  reload.textContent = i18next.t('status.reloadPage')
  reload.addEventListener('click', () => window.location.reload())
  root.replaceChildren(main)
}

// The course page that frames PodPath drives it by postMessage (docs/embed.md); it hears
// `ready` once what the address opens is on screen (the bridge, a chunk of its own, is loaded
// then). `export` draws the graph as the page's Export does (loaded when first asked, not with
// the page).
void Promise.allSettled([opening, rendered])
  .then(() => import('./app/embed/bridge.ts'))
  .then((bridge) =>
    bridge.startBridge({
      embed: url.embed,
      origins: url.origins,
      exporter: (format) => import('./ui/export/view-export.ts').then((m) => m.exportView(format)),
    }),
  )

void opening
  .then(syncUrl)
  // After the first lesson is on screen: saving the app for offline use does not slow it down,
  // nor do the other language's strings, there for a switch.
  .finally(() => {
    registerServiceWorker()
    for (const other of LANGS) if (other !== lang) loadStrings(other).catch(() => {})
  })
