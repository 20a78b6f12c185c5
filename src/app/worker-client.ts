/**
 * The app's side of the engine protocol (src/sim/protocol.ts), and the only file that creates a
 * Worker. It says hello, queues messages until the worker is `ready`, matches replies to
 * requests, restarts a worker that dies (re-sending the last scenario that loaded and every
 * unanswered request, so the learner loses nothing), cancels a run on request, and runs the
 * engine on the main thread when workers are unavailable.
 *
 * A worker can die without an error event: `self.close()`, `terminate()`, the browser stopping
 * it. It is watched with a Web Lock it holds for as long as it lives (the browser releases the
 * lock when the worker is gone, at once, even in the middle of a long run, and never while it is
 * merely busy). A per-request timeout cannot tell a long run from a dead worker, and a worker
 * busy with one run cannot answer a heartbeat; so heartbeats are only the fallback where there
 * are no Web Locks (pages served over plain http from another host), and only while the worker
 * has nothing to do. A run that hangs there is the learner's to cancel.
 */
import type { ClusterOverrides } from '../model/overrides.ts'
import type { Trace } from '../model/trace.ts'
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type LabSummary,
  type Inspection,
  type InspectTarget,
  type ToWorker,
} from '../sim/protocol.ts'

export type Loaded = Extract<FromWorker, { type: 'loaded' }>

/** The part of the DOM Worker this client uses, so tests can pass a fake one. */
export interface WorkerLike {
  postMessage(msg: ToWorker): void
  terminate(): void
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null
  onerror: ((e: ErrorEvent) => void) | null
  onmessageerror: ((e: MessageEvent) => void) | null
}

/** How a worker that had been ready was found gone. */
export type StopCause =
  /** Its lock was released without an error event: closed, terminated, stopped by the browser. */
  | 'exited'
  /** An error event (an uncaught exception) or a message that could not be read. */
  | 'error'
  /** It did not answer a ping while it had nothing to do (no Web Locks here). */
  | 'unresponsive'

export type EngineEvent = { type: 'restarted'; cause: StopCause; message: string }

/** What a request cancelled with `cancel()` rejects with. */
export class EngineCancelled extends Error {
  constructor() {
    super('the engine run was cancelled')
    this.name = 'EngineCancelled'
  }
}

export interface EngineClientOptions {
  /** Returns null (or throws) when workers are unavailable: the engine then runs in-process. */
  createWorker?: () => WorkerLike | null
  /** Restarts in a row, with no reply in between, before pending requests are given up. */
  maxRestarts?: number
  /** Told each time a worker that stopped is replaced. */
  onEvent?: (e: EngineEvent) => void
  /**
   * Settles once nobody holds the Web Lock `name` (the worker takes it before it says ready);
   * null where there are no Web Locks. The default uses `navigator.locks`.
   */
  watchLock?: ((name: string, signal: AbortSignal) => Promise<unknown>) | null
  /** Where there is no lock: how often an idle worker is pinged (two unanswered: gone). */
  heartbeatMs?: number
}

export interface EngineClient {
  /** `overrides`: the learner's switches (CNI, kube-proxy mode), applied by the engine. */
  load(file: string, source: string, overrides?: ClusterOverrides): Promise<Loaded>
  /** `connection` k > 1 traces the k-th connection of a session (the earlier ones stay open). */
  trace(traffic: string, seed: number, connection?: number): Promise<Trace>
  /** The open scenario's lab script (every traffic), named after `file`. */
  lab(file: string, seed: number): Promise<LabSummary>
  /** A node's or Pod's tables just after `step` of that trace (null: no such node or Pod). */
  inspect(
    traffic: string,
    seed: number,
    connection: number,
    step: number,
    target: InspectTarget,
  ): Promise<Inspection | null>
  /**
   * Stops the run under way: every unanswered request rejects with EngineCancelled, and a fresh
   * worker takes the last scenario that loaded. False when nothing was running.
   */
  cancel(): boolean
  /**
   * Starts the engine now, before there is anything to ask it: the worker fetches and compiles
   * its script while the caller fetches the scenario (a lesson's file, say). Idempotent.
   */
  warm(): void
  /** 'worker' or 'in-process', for diagnostics and tests; null before the first request. */
  readonly mode: 'worker' | 'in-process' | null
  dispose(): void
}

type Request = Extract<ToWorker, { requestId: number }>
type LoadRequest = Extract<ToWorker, { type: 'load' }>
type RequestBody = Request extends infer R
  ? R extends Request
    ? Omit<R, 'requestId'>
    : never
  : never

interface Pending {
  msg: Request
  resolve: (reply: FromWorker) => void
  reject: (err: Error) => void
}

/** Where messages go: a Web Worker or the same `handle` on this thread. */
interface Transport {
  post(msg: ToWorker): void
  close(): void
}

function browserWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined') return null
  return new Worker(new URL('../sim/worker.ts', import.meta.url), { type: 'module' })
}

function browserLocks(): EngineClientOptions['watchLock'] {
  if (typeof navigator === 'undefined' || !navigator.locks) return null
  // Granted only when the worker's hold ends; the callback has nothing to do but let go.
  return (name, signal) => navigator.locks.request(name, { signal }, () => undefined)
}

let lockCount = 0
function lockName(): string {
  lockCount += 1
  return `podpath-engine-${Math.random().toString(36).slice(2)}-${lockCount}`
}

type Died = (cause: StopCause, why: string) => void

function workerTransport(w: WorkerLike, receive: (m: FromWorker) => void, died: Died): Transport {
  w.onmessage = (e) => receive(e.data)
  w.onerror = (e) => {
    // Handled here: a restart follows, so it is not an uncaught error of the page.
    e.preventDefault()
    died('error', e.message || 'the engine worker stopped')
  }
  w.onmessageerror = () => died('error', 'a message from the engine worker could not be read')
  return {
    post: (msg) => w.postMessage(msg),
    close: () => {
      w.onmessage = null
      w.onerror = null
      w.onmessageerror = null
      w.terminate()
    },
  }
}

/** The fallback: the engine loads lazily, so it costs nothing when the worker runs. */
function inProcessTransport(receive: (m: FromWorker) => void, died: Died): Transport {
  let closed = false
  let engine = import('../sim/handler.ts').then((mod) => ({ mod, state: mod.initialState() }))
  return {
    post(msg) {
      engine = engine.then((e) => {
        let replies: FromWorker[]
        // The same guard as src/sim/worker.ts: an exception answers the request that caused it.
        try {
          const r = e.mod.handle(e.state, msg)
          e.state = r.state
          replies = r.replies
        } catch (err) {
          const requestId = 'requestId' in msg ? msg.requestId : null
          replies = [{ type: 'error', requestId, message: (err as Error).message }]
        }
        if (!closed) for (const m of replies) receive(m)
        return e
      })
      engine.catch((err: Error) => {
        if (!closed) died('error', err.message)
      })
    },
    close() {
      closed = true
    },
  }
}

export function createEngineClient(options: EngineClientOptions = {}): EngineClient {
  const createWorker = options.createWorker ?? browserWorker
  const maxRestarts = options.maxRestarts ?? 3
  const watchLock = options.watchLock === undefined ? browserLocks() : options.watchLock
  const heartbeatMs = options.heartbeatMs ?? 5000

  let nextId = 1
  /** In the order they were sent; a Map keeps insertion order. */
  const pending = new Map<number, Pending>()
  let lastGoodLoad: LoadRequest | null = null
  let transport: Transport | null = null
  let mode: EngineClient['mode'] = null
  let ready = false
  let queue: ToWorker[] = []
  let workerEverReady = false
  let restarts = 0
  let disposed = false
  /** The live transport's generation: events from a replaced one are dropped. */
  let current: object | null = null
  /** Requests the live transport was given and has not answered, replayed ones included. */
  let outstanding = 0
  /** Stops watching the live worker's lock, or its heartbeat. */
  let unwatch: (() => void) | null = null
  /** Where the live worker's pongs go (heartbeats only). */
  let pong: (seq: number) => void = () => undefined

  function start(): void {
    ready = false
    queue = []
    outstanding = 0
    const generation = {}
    current = generation
    const receiveIfCurrent = (m: FromWorker) => {
      if (current === generation) receive(m)
    }
    const diedIfCurrent: Died = (cause, why) => {
      if (current === generation) died(cause, why)
    }
    let worker: WorkerLike | null = null
    if (mode !== 'in-process') {
      try {
        worker = createWorker()
      } catch {
        worker = null
      }
    }
    let hello: ToWorker = { type: 'hello', version: PROTOCOL_VERSION }
    if (worker) {
      mode = 'worker'
      transport = workerTransport(worker, receiveIfCurrent, diedIfCurrent)
      if (watchLock) hello = { ...hello, lock: lockName() }
    } else {
      mode = 'in-process'
      transport = inProcessTransport(receiveIfCurrent, diedIfCurrent)
    }
    transport.post(hello)
    // Replay: the scenario the engine had, then everything still unanswered, in order.
    if (lastGoodLoad && !pending.has(lastGoodLoad.requestId)) queue.push(lastGoodLoad)
    for (const p of pending.values()) queue.push(p.msg)
  }

  /** From `ready` on: learn the moment the worker is gone, by its lock or by pinging it. */
  function watch(lock: string | undefined): void {
    const generation = current
    const gone: Died = (cause, why) => {
      if (current === generation) died(cause, why)
    }
    if (lock && watchLock) {
      const abort = new AbortController()
      unwatch = () => abort.abort()
      watchLock(lock, abort.signal).then(
        () => gone('exited', 'the engine worker stopped without an error'),
        // Aborted: this client stopped the worker itself.
        () => undefined,
      )
      return
    }
    let seq = 0
    let unanswered: number | null = null
    let missed = 0
    pong = (s) => {
      if (s === unanswered) [unanswered, missed] = [null, 0]
    }
    const beat = setInterval(() => {
      // Two beats in a row: a page whose own thread was blocked gets the pong in between.
      if (unanswered !== null) {
        missed += 1
        if (missed >= 2) gone('unresponsive', 'the engine worker stopped answering')
        return
      }
      // A busy worker answers when its run is done; only an idle one is asked.
      if (outstanding > 0) return
      unanswered = ++seq
      transport?.post({ type: 'ping', seq })
    }, heartbeatMs)
    unwatch = () => clearInterval(beat)
  }

  function stop(): void {
    current = null
    unwatch?.()
    unwatch = null
    pong = () => undefined
    transport?.close()
    transport = null
    ready = false
  }

  function rejectAll(err: Error): void {
    const all = [...pending.values()]
    pending.clear()
    for (const p of all) p.reject(err)
  }

  function post(msg: ToWorker): void {
    if ('requestId' in msg) outstanding += 1
    transport?.post(msg)
  }

  function died(cause: StopCause, why: string): void {
    // A strike: it died on what it was given, or before it could even start (its script could
    // not be fetched, say offline). One that dies idle was not killed by a message: no strike.
    const strike = !ready || outstanding > 0 || pending.size > 0
    stop()
    if (disposed) return
    if (mode === 'worker' && !workerEverReady) {
      // The worker never started (no module workers, a blocked script): run on this thread.
      mode = 'in-process'
      start()
      return
    }
    if (strike) restarts += 1
    if (restarts > maxRestarts) {
      restarts = 0
      rejectAll(new Error(`the engine stopped: ${why}`))
      return
    }
    if (mode === 'worker') options.onEvent?.({ type: 'restarted', cause, message: why })
    start()
  }

  function receive(m: FromWorker): void {
    switch (m.type) {
      case 'ready': {
        ready = true
        if (mode === 'worker') {
          workerEverReady = true
          watch(m.lock)
        }
        const q = queue
        queue = []
        for (const msg of q) post(msg)
        return
      }
      case 'pong':
        pong(m.seq)
        return
      case 'loaded':
      case 'traced':
      case 'lab':
      case 'inspected':
      case 'error': {
        if (m.requestId === null) {
          // Not an answer to anything: the engine refused the conversation (protocol version).
          stop()
          rejectAll(new Error(m.type === 'error' ? m.message : 'unexpected reply'))
          return
        }
        outstanding = Math.max(0, outstanding - 1)
        const p = pending.get(m.requestId)
        if (!p) return // the answer to a replayed load
        pending.delete(m.requestId)
        restarts = 0
        if (m.type === 'loaded' && m.ok && p.msg.type === 'load') lastGoodLoad = p.msg
        if (m.type === 'error') p.reject(new Error(m.message))
        else p.resolve(m)
        return
      }
      default: {
        const never: never = m
        throw new Error(`unknown reply ${JSON.stringify(never)}`)
      }
    }
  }

  function request(body: RequestBody): Promise<FromWorker> {
    if (disposed) return Promise.reject(new Error('the engine client was disposed'))
    if (!transport) start()
    const msg = { ...body, requestId: nextId++ } as Request
    return new Promise<FromWorker>((resolve, reject) => {
      pending.set(msg.requestId, { msg, resolve, reject })
      if (ready) post(msg)
      else queue.push(msg)
    })
  }

  return {
    async load(file, source, overrides) {
      const r = await request(
        overrides ? { type: 'load', file, source, overrides } : { type: 'load', file, source },
      )
      if (r.type !== 'loaded') throw new Error(`expected "loaded", got "${r.type}"`)
      return r
    },
    warm() {
      if (!disposed && !transport) start()
    },
    async trace(traffic, seed, connection = 1) {
      const r = await request({ type: 'trace', traffic, seed, connection })
      if (r.type !== 'traced') throw new Error(`expected "traced", got "${r.type}"`)
      return r.trace
    },
    async lab(file, seed) {
      const r = await request({ type: 'lab', file, seed })
      if (r.type !== 'lab') throw new Error(`expected "lab", got "${r.type}"`)
      return r.lab
    },
    async inspect(traffic, seed, connection, step, target) {
      const r = await request({ type: 'inspect', traffic, seed, connection, step, target })
      if (r.type !== 'inspected') throw new Error(`expected "inspected", got "${r.type}"`)
      return r.inspection
    },
    cancel() {
      if (disposed || pending.size === 0) return false
      stop()
      restarts = 0
      rejectAll(new EngineCancelled())
      start()
      return true
    },
    get mode() {
      return mode
    },
    dispose() {
      disposed = true
      stop()
      rejectAll(new Error('the engine client was disposed'))
    },
  }
}
