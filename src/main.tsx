import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { parsePage } from './app/page.ts'
import { openLesson } from './app/session.ts'
import { useAppStore } from './app/store.ts'
import { parseUrl, syncUrl } from './app/url.ts'
import { detectLang, initI18n } from './i18n/i18n.ts'
import { App } from './ui/App.tsx'
import './ui/theme.css'
import './ui/app.css'
import './ui/workspace.css'

const url = parseUrl(window.location.search)
const lang = detectLang(url.lang, navigator.languages)
useAppStore.setState({
  lang,
  seed: url.seed,
  page: parsePage(window.location.search),
  ...(url.layer ? { graphLayer: url.layer } : {}),
})
initI18n(lang)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)

void openLesson(url.lesson, {
  traffic: url.traffic,
  step: url.step,
  connection: url.connection,
  cni: url.cni,
  proxy: url.proxy,
}).then(syncUrl)
