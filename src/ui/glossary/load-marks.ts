/**
 * The glossary's terms and explanations (app/glossary, MarkedText.tsx) are a chunk of their own,
 * outside the page's first script: no screen needs them before a step's narration, which comes
 * with the engine's trace. src/main.tsx starts the download as the page starts when the address
 * opens a lesson (else once the page is drawn), and GlossaryText.tsx reads it once it has
 * arrived.
 */
type Marks = typeof import('./MarkedText.tsx')

let loaded: Marks | null = null
let loading: Promise<Marks> | null = null
const listeners = new Set<() => void>()

export function loadMarks(): Promise<Marks> {
  // A failed download (offline) is not kept: the next caller tries again.
  loading ??= import('./MarkedText.tsx').then(
    (m) => {
      loaded = m
      for (const l of listeners) l()
      return m
    },
    (err: unknown) => {
      loading = null
      throw err
    },
  )
  return loading
}

/** The chunk if it has arrived, else null (for useSyncExternalStore). */
export const loadedMarks = (): Marks | null => loaded

/** Calls `changed` once the chunk has arrived, starting its download if none has started. */
export function subscribeMarks(changed: () => void): () => void {
  listeners.add(changed)
  if (!loaded) loadMarks().catch(() => {})
  return () => listeners.delete(changed)
}
