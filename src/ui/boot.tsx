/**
 * The page's React half: React DOM, every component of the first screen and their style sheets.
 * src/main.tsx imports it dynamically once it has started what the address opens (the lesson's
 * file, the engine's worker, the graph's chunk), so that the browser evaluates the two halves in
 * two tasks instead of one long one; index.html preloads this chunk and its sheets
 * (vite.config.ts), so the split costs no download after the first.
 */
import { StrictMode, startTransition } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { AppCrash } from './status/AppCrash.tsx'
import './theme.css'
import './app.css'
import './workspace.css'
// Last: the stage's layout decides over the sheets above (and the components' own, which the
// imports above bring in first).
import './stage/stage.css'

/**
 * Renders the app into `container` in a transition: React renders the first page in slices of a
 * few milliseconds, yielding to the browser between them, instead of in one long task (only the
 * commit cannot be split).
 */
export function renderApp(container: HTMLElement): void {
  const root = createRoot(container)
  startTransition(() =>
    root.render(
      <StrictMode>
        <AppCrash>
          <App />
        </AppCrash>
      </StrictMode>,
    ),
  )
}
