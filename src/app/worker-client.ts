/**
 * The app's side of the engine protocol (src/sim/protocol.ts), and the only file that creates a
 * Worker. It says hello, queues messages until the worker is `ready`, matches replies to
 * requests, restarts a worker that dies (re-sending the last scenario that loaded, so the learner
 * loses nothing) and runs the engine on the main thread when workers are unavailable.
 */
import type { ClusterOverrides } from '../model/overrides.ts'
import type { Trace } from '../model/trace.ts'
import {
  PROTOCOL_VERSION,
  type FromWorker,
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

export interface EngineClientOptions {
  /** Returns null (or throws) when workers are unavailable: the engine then runs in-process. */
  createWorker?: () => WorkerLike | null
  /** Restarts in a row, with no reply in between, before pending requests are given up. */
  maxRestarts?: number
}

export interface EngineClient {
  /** `overrides`: the learner's switches (CNI, kube-proxy mode), applied by the engine. */
  load(file: string, source: string, overrides?: ClusterOverrides): Promise<Loaded>
  /** `connection` k > 1 traces the k-th connection of a session (the earlier ones stay open). */
  trace(traffic: string, seed: number, connection?: number): Promise<Trace>
  /** A node's or Pod's tables just after `step` of that trace (null: no such node or Pod). */
  inspect(
    traffic: string,
    seed: number,
    connection: number,
    step: number,
    target: InspectTarget,
  ): Promise<Inspection | null>
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

function workerTransport(
  w: WorkerLike,
  receive: (m: FromWorker) => void,
  died: (why: string) => void,
): Transport {
  w.onmessage = (e) => receive(e.data)
  w.onerror = (e) => {
    // Handled here: a restart follows, so it is not an uncaught error of the page.
    e.preventDefault()
    died(e.message || 'the engine worker stopped')
  }
  w.onmessageerror = () => died('a message from the engine worker could not be read')
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
function inProcessTransport(
  receive: (m: FromWorker) => void,
  died: (why: string) => void,
): Transport {
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
        if (!closed) died(err.message)
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

  function start(): void {
    ready = false
    queue = []
    const generation = {}
    current = generation
    const receiveIfCurrent = (m: FromWorker) => {
      if (current === generation) receive(m)
    }
    const diedIfCurrent = (why: string) => {
      if (current === generation) died(why)
    }
    let worker: WorkerLike | null = null
    if (mode !== 'in-process') {
      try {
        worker = createWorker()
      } catch {
        worker = null
      }
    }
    if (worker) {
      mode = 'worker'
      transport = workerTransport(worker, receiveIfCurrent, diedIfCurrent)
    } else {
      mode = 'in-process'
      transport = inProcessTransport(receiveIfCurrent, diedIfCurrent)
    }
    transport.post({ type: 'hello', version: PROTOCOL_VERSION })
    // Replay: the scenario the engine had, then everything still unanswered, in order.
    if (lastGoodLoad && !pending.has(lastGoodLoad.requestId)) queue.push(lastGoodLoad)
    for (const p of pending.values()) queue.push(p.msg)
  }

  function stop(): void {
    current = null
    transport?.close()
    transport = null
    ready = false
  }

  function rejectAll(err: Error): void {
    const all = [...pending.values()]
    pending.clear()
    for (const p of all) p.reject(err)
  }

  function died(why: string): void {
    stop()
    if (disposed) return
    if (mode === 'worker' && !workerEverReady) {
      // The worker never started (no module workers, a blocked script): run on this thread.
      mode = 'in-process'
      start()
      return
    }
    restarts += 1
    if (restarts > maxRestarts) {
      restarts = 0
      rejectAll(new Error(`the engine stopped: ${why}`))
      return
    }
    start()
  }

  function receive(m: FromWorker): void {
    switch (m.type) {
      case 'ready': {
        ready = true
        if (mode === 'worker') workerEverReady = true
        const q = queue
        queue = []
        for (const msg of q) transport?.post(msg)
        return
      }
      case 'loaded':
      case 'traced':
      case 'inspected':
      case 'error': {
        if (m.requestId === null) {
          // Not an answer to anything: the engine refused the conversation (protocol version).
          stop()
          rejectAll(new Error(m.type === 'error' ? m.message : 'unexpected reply'))
          return
        }
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
      if (ready) transport?.post(msg)
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
    async trace(traffic, seed, connection = 1) {
      const r = await request({ type: 'trace', traffic, seed, connection })
      if (r.type !== 'traced') throw new Error(`expected "traced", got "${r.type}"`)
      return r.trace
    },
    async inspect(traffic, seed, connection, step, target) {
      const r = await request({ type: 'inspect', traffic, seed, connection, step, target })
      if (r.type !== 'inspected') throw new Error(`expected "inspected", got "${r.type}"`)
      return r.inspection
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
