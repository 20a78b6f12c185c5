/**
 * PodPath without a network: the service worker that keeps the app, the engine's worker and
 * every lesson in this browser once it has been opened (sw.js, generated at build time by
 * vite-plugin-pwa with a precache list of every file the build wrote), whether the browser is
 * online, and how a failed download is told from a crash.
 */
import { useAppStore } from './store.ts'

/**
 * A module, chunk or file the browser could not fetch (the wording differs: Chromium, Firefox,
 * Safari; a fetch() says "Failed to fetch", "NetworkError when attempting to fetch resource." and
 * "Load failed"), as opposed to a failure of the engine itself.
 */
export function isUnreachable(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err)
  return /dynamically imported module|importing a module script failed|failed to fetch|networkerror when attempting to fetch|^load failed$/i.test(
    message,
  )
}

/** Keeps `online` in the store; calls `backOnline` each time the network comes back. */
export function watchNetwork(backOnline: () => void): void {
  const set = () => useAppStore.setState({ online: navigator.onLine })
  set()
  window.addEventListener('offline', set)
  window.addEventListener('online', () => {
    set()
    backOnline()
  })
}

function watchRegistration(reg: ServiceWorkerRegistration | undefined): void {
  // A browser that keeps no service workers may answer with nothing at all.
  if (!reg) return
  const sw = navigator.serviceWorker
  // `ready`: an active worker, which has stored the precache list before it became active.
  void sw.ready.then(() => useAppStore.setState({ offlineReady: true }))
  const waiting = () => {
    // Installed while an older version controls the page: it waits, so that the chunks the open
    // page still asks for stay those of its own version; the learner reloads into it.
    if (reg.waiting && sw.controller) useAppStore.setState({ updateReady: true })
  }
  waiting()
  reg.addEventListener('updatefound', () => {
    reg.installing?.addEventListener('statechange', waiting)
  })
}

/**
 * Registers sw.js beside index.html (a relative URL: its scope is whatever folder the app is
 * served from); main.tsx calls it once the first lesson is on screen. Only in a production
 * build: the dev server has no sw.js.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  navigator.serviceWorker.register('./sw.js').then(watchRegistration, (err: Error) => {
    // Not fatal: the app works online without it (a private window may refuse it).
    console.warn(`PodPath will not work offline: ${err.message}`)
  })
}

/** Moves to the waiting version: it takes over, and the page reloads under it. */
export async function applyUpdate(): Promise<void> {
  const reg = await navigator.serviceWorker.getRegistration()
  if (!reg?.waiting) return
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
    once: true,
  })
  // Workbox's generated worker skips waiting on this message (skipWaiting is off in the config).
  reg.waiting.postMessage({ type: 'SKIP_WAITING' })
}
