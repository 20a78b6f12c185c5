/// <reference lib="webworker" />
/** The only file that touches `self`: a thin adapter over the pure `handle`. */
import { handle, initialState } from './handler.ts'
import type { FromWorker, ToWorker } from './protocol.ts'

declare const self: DedicatedWorkerGlobalScope

let state = initialState()

self.onmessage = (e: MessageEvent<ToWorker>) => {
  let replies: FromWorker[]
  try {
    const r = handle(state, e.data)
    state = r.state
    replies = r.replies
  } catch (err) {
    const requestId = 'requestId' in e.data ? e.data.requestId : null
    replies = [{ type: 'error', requestId, message: (err as Error).message }]
  }
  for (const m of replies) self.postMessage(m)
}
