import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { openLesson } from './app/session.ts'
import { useAppStore } from './app/store.ts'
import { startStageSync } from './app/stage-sync.ts'
import { parseUrl, syncUrl } from './app/url.ts'
import { detectLang, initI18n } from './i18n/i18n.ts'
import { App } from './ui/App.tsx'
import './ui/theme.css'
import './ui/app.css'
import './ui/workspace.css'
// Last: the stage's layout decides over the sheets above.
import './ui/stage/stage.css'

const url = parseUrl(window.location.search)
const lang = detectLang(url.lang, navigator.languages)
useAppStore.setState({
  lang,
  seed: url.seed,
  ...(url.layer ? { graphLayer: url.layer } : {}),
  ...(url.camera ? { camera: url.camera } : {}),
  ...(url.view ? { view: url.view } : {}),
  ...(url.box ? { inspecting: url.box } : {}),
})
initI18n(lang)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)

// Presenter mode's two windows keep one step (the speaker window is this app, speaker=1).
startStageSync()

void openLesson(url.lesson, {
  traffic: url.traffic,
  step: url.step,
  connection: url.connection,
  cni: url.cni,
  proxy: url.proxy,
}).then(syncUrl)
