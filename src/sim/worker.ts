/// <reference lib="webworker" />
/** The only file that touches `self`: a thin adapter over the pure `handle`. */
import { handle, initialState } from './handler.ts'
import type { FromWorker, ToWorker } from './protocol.ts'

declare const self: DedicatedWorkerGlobalScope

let state = initialState()

function answer(msg: ToWorker, extra: { lock?: string } = {}): void {
  let replies: FromWorker[]
  try {
    const r = handle(state, msg)
    state = r.state
    replies = r.replies
  } catch (err) {
    const requestId = 'requestId' in msg ? msg.requestId : null
    replies = [{ type: 'error', requestId, message: (err as Error).message }]
  }
  for (const m of replies) self.postMessage(m.type === 'ready' ? { ...m, ...extra } : m)
}

/**
 * The hello's lock is taken before the worker says it is ready, and never given back: the
 * browser releases it when this worker's global scope goes away, however that happens, which is
 * what the app waits for (src/app/worker-client.ts).
 */
function holdLock(msg: Extract<ToWorker, { type: 'hello' }>, name: string): void {
  const held = new Promise<never>(() => {})
  self.navigator.locks
    .request(name, () => {
      answer(msg, { lock: name })
      return held
    })
    // No lock after all: ready without one, and the app pings instead.
    .catch(() => answer(msg))
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data
  if (msg.type === 'hello' && msg.lock && 'locks' in self.navigator) holdLock(msg, msg.lock)
  else answer(msg)
}
