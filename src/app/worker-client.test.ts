import { afterEach, describe, expect, it, vi } from 'vitest'
import { handle, initialState } from '../sim/handler.ts'
import type { FromWorker, ToWorker } from '../sim/protocol.ts'
import { traceOf, twoNodes } from '../test/scenario.ts'
import {
  createEngineClient,
  EngineCancelled,
  type EngineClientOptions,
  type EngineEvent,
  type WorkerLike,
} from './worker-client.ts'

const SCENARIO = twoNodes('{plugin: flannel, backend: vxlan}')

/** Web Locks as the browser keeps them: a name is free again when its holder is gone. */
class FakeLocks {
  private readonly held = new Set<string>()
  private readonly waiters = new Map<string, (() => void)[]>()

  hold(name: string): void {
    this.held.add(name)
  }

  release(name: string): void {
    if (!this.held.delete(name)) return
    for (const w of this.waiters.get(name) ?? []) w()
    this.waiters.delete(name)
  }

  /** The client's `watchLock`. */
  readonly watch = (name: string, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!this.held.has(name)) return resolve()
      this.waiters.set(name, [...(this.waiters.get(name) ?? []), resolve])
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
    })
}

interface FakeOptions {
  /** Fires an error event instead of answering this message. */
  dieOn?: (m: ToWorker) => boolean
  /** Keeps this message unanswered until `finishHeld()`: a long run. */
  holdOn?: (m: ToWorker) => boolean
  /** Takes the hello's lock, as src/sim/worker.ts does where there are Web Locks. */
  locks?: FakeLocks
}

/** A worker that runs the real `handle`, answers asynchronously and can be made to die. */
class FakeWorker implements WorkerLike {
  posted: ToWorker[] = []
  terminated = false
  /** Gone without a word: closed from inside, or killed by the browser. */
  exited = false
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null
  onerror: ((e: ErrorEvent) => void) | null = null
  onmessageerror: ((e: MessageEvent) => void) | null = null
  private state = initialState()
  private lock: string | null = null
  private held: ToWorker[] = []

  constructor(private readonly opts: FakeOptions = {}) {}

  postMessage(msg: ToWorker): void {
    this.posted.push(msg)
    queueMicrotask(() => {
      if (this.terminated || this.exited) return
      if (this.opts.dieOn?.(msg)) {
        this.onerror?.(new Event('error', { cancelable: true }) as ErrorEvent)
        return
      }
      if (this.held.length > 0 || this.opts.holdOn?.(msg)) {
        this.held.push(msg)
        return
      }
      this.answer(msg)
    })
  }

  private answer(msg: ToWorker): void {
    const r = handle(this.state, msg)
    this.state = r.state
    let replies = r.replies
    if (msg.type === 'hello' && msg.lock && this.opts.locks) {
      this.lock = msg.lock
      this.opts.locks.hold(msg.lock)
      replies = replies.map((m) => (m.type === 'ready' ? { ...m, lock: msg.lock } : m))
    }
    for (const m of replies) this.onmessage?.({ data: m } as MessageEvent<FromWorker>)
  }

  /** Answers what it was holding, in order, as a long run finishing would. */
  finishHeld(): void {
    const held = this.held
    this.held = []
    for (const m of held) if (!this.terminated && !this.exited) this.answer(m)
  }

  /** `self.close()` inside it, or `terminate()` by anyone but the client: no event at all. */
  exit(): void {
    this.exited = true
    if (this.lock) this.opts.locks?.release(this.lock)
  }

  /** An exception nothing caught: the error event the browser fires at the Worker. */
  throwUncaught(message: string): void {
    const e = new Event('error', { cancelable: true }) as ErrorEvent
    Object.defineProperty(e, 'message', { value: message })
    this.onerror?.(e)
  }

  terminate(): void {
    this.terminated = true
    if (this.lock) this.opts.locks?.release(this.lock)
  }
}

/** A client over fake workers (each one kept, newest last), and what it told the app. */
function fakeClient(opts: FakeOptions = {}, extra: EngineClientOptions = {}) {
  const workers: FakeWorker[] = []
  const events: EngineEvent[] = []
  const client = createEngineClient({
    createWorker: () => {
      const w = new FakeWorker(opts)
      workers.push(w)
      return w
    },
    watchLock: opts.locks?.watch ?? null,
    onEvent: (e) => events.push(e),
    ...extra,
  })
  return { client, workers, events, newest: () => workers.at(-1)! }
}

/** Lets queued microtasks and promise callbacks run. */
const settle = () => new Promise<void>((r) => setTimeout(r, 0))

describe('engine client over a worker', () => {
  it('sends the learner’s switches with the load, and the engine builds with them', async () => {
    const workers: FakeWorker[] = []
    const client = createEngineClient({
      createWorker: () => {
        const w = new FakeWorker()
        workers.push(w)
        return w
      },
    })
    const loaded = await client.load('demo.yaml', SCENARIO, {
      cni: 'calico-bgp',
      proxyMode: 'ipvs',
    })
    expect(workers[0]!.posted[1]).toMatchObject({
      type: 'load',
      overrides: { cni: 'calico-bgp', proxyMode: 'ipvs' },
    })
    expect(loaded.cluster?.cni).toMatch(/calico/)
    expect(loaded.diagnostics.map((d) => d.message.en)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('CNI switched from flannel-vxlan to calico-bgp'),
      ]),
    )
    // No encapsulation in BGP mode: the request leaves node-1 as it is.
    const t = await client.trace('cross', 1)
    expect(t.outcome).toBe('delivered')
    expect(t.steps.some((s) => s.action === 'encapsulate')).toBe(false)
    const plain = await client.load('demo.yaml', SCENARIO)
    expect(workers[0]!.posted.at(-1)).not.toHaveProperty('overrides')
    expect(plain.cluster?.cni).toMatch(/flannel/)
    expect((await client.trace('cross', 1)).steps.some((s) => s.action === 'encapsulate')).toBe(
      true,
    )
  })

  it('says hello first and holds requests until the worker is ready', async () => {
    const workers: FakeWorker[] = []
    const client = createEngineClient({
      createWorker: () => {
        const w = new FakeWorker()
        workers.push(w)
        return w
      },
    })
    const loading = client.load('demo.yaml', SCENARIO)
    expect(workers[0]!.posted.map((m) => m.type)).toEqual(['hello'])
    const loaded = await loading
    expect(loaded.ok).toBe(true)
    expect(loaded.traffic).toEqual(['cross', 'same'])
    expect(workers[0]!.posted.map((m) => m.type)).toEqual(['hello', 'load'])
    expect(client.mode).toBe('worker')
  })

  it('starts the worker on warm(), before any request, and then uses that one worker', async () => {
    const workers: FakeWorker[] = []
    const client = createEngineClient({
      createWorker: () => {
        const w = new FakeWorker()
        workers.push(w)
        return w
      },
    })
    expect(client.mode).toBeNull()
    client.warm()
    client.warm()
    expect(workers).toHaveLength(1)
    expect(workers[0]!.posted.map((m) => m.type)).toEqual(['hello'])
    expect(client.mode).toBe('worker')
    const loaded = await client.load('demo.yaml', SCENARIO)
    expect(loaded.ok).toBe(true)
    expect(workers).toHaveLength(1)
    expect(workers[0]!.posted.map((m) => m.type)).toEqual(['hello', 'load'])
  })

  it('matches each reply to its own request', async () => {
    const client = createEngineClient({ createWorker: () => new FakeWorker() })
    const [loaded, t1, t2] = await Promise.all([
      client.load('demo.yaml', SCENARIO),
      client.trace('cross', 1),
      client.trace('cross', 2),
    ])
    expect(loaded.ok).toBe(true)
    expect(t1).toEqual(traceOf(SCENARIO, 'cross', 1))
    expect(t2).toEqual(traceOf(SCENARIO, 'cross', 2))
  })

  it('rejects a request the engine answers with an error', async () => {
    const client = createEngineClient({ createWorker: () => new FakeWorker() })
    await client.load('demo.yaml', SCENARIO)
    await expect(client.trace('no-such-traffic', 1)).rejects.toThrow(/no traffic "no-such-traffic"/)
  })

  it('restarts a worker that dies and re-sends the last scenario, so the trace still comes', async () => {
    const workers: FakeWorker[] = []
    const client = createEngineClient({
      createWorker: () => {
        // The first worker dies on its first trace; the next one is healthy.
        const w = new FakeWorker(workers.length === 0 ? { dieOn: (m) => m.type === 'trace' } : {})
        workers.push(w)
        return w
      },
    })
    await client.load('demo.yaml', SCENARIO)
    const t = await client.trace('cross', 1)
    expect(t).toEqual(traceOf(SCENARIO, 'cross', 1))
    expect(workers).toHaveLength(2)
    expect(workers[0]!.terminated).toBe(true)
    expect(workers[1]!.posted.map((m) => m.type)).toEqual(['hello', 'load', 'trace'])
  })

  it('gives up on a request that kills every worker, and recovers for the next one', async () => {
    let made = 0
    const client = createEngineClient({
      maxRestarts: 2,
      createWorker: () => {
        made += 1
        return new FakeWorker({ dieOn: (m) => m.type === 'trace' && m.seed === 666 })
      },
    })
    await client.load('demo.yaml', SCENARIO)
    await expect(client.trace('cross', 666)).rejects.toThrow(/engine stopped/)
    expect(made).toBe(3)
    expect(await client.trace('cross', 1)).toEqual(traceOf(SCENARIO, 'cross', 1))
  })
})

describe('engine client, a worker that dies without an error event', () => {
  it('holds the lock its hello names, and is watched by it', async () => {
    const locks = new FakeLocks()
    const { client, newest } = fakeClient({ locks })
    await client.load('demo.yaml', SCENARIO)
    const hello = newest().posted[0]!
    expect(hello).toMatchObject({ type: 'hello', lock: expect.stringMatching(/^podpath-engine-/) })
  })

  it('restarts one that closed itself while idle, with the scenario it had', async () => {
    const locks = new FakeLocks()
    const { client, workers, events, newest } = fakeClient({ locks })
    await client.load('demo.yaml', SCENARIO)
    workers[0]!.exit()
    await settle()
    expect(workers).toHaveLength(2)
    expect(events).toEqual([{ type: 'restarted', cause: 'exited', message: expect.any(String) }])
    // The new worker was given the open scenario before anything else: the next trace is of it.
    expect(newest().posted.map((m) => m.type)).toEqual(['hello', 'load'])
    expect(await client.trace('cross', 1)).toEqual(traceOf(SCENARIO, 'cross', 1))
  })

  it('replays the run a killed worker was in the middle of, so its answer still comes', async () => {
    const locks = new FakeLocks()
    const { client, workers, events } = fakeClient({ locks, holdOn: (m) => m.type === 'trace' })
    await client.load('demo.yaml', SCENARIO)
    const tracing = client.trace('cross', 2)
    await settle()
    workers[0]!.exit()
    await settle()
    expect(events.map((e) => e.cause)).toEqual(['exited'])
    expect(workers[1]!.posted.map((m) => m.type)).toEqual(['hello', 'load', 'trace'])
    workers[1]!.finishHeld()
    expect(await tracing).toEqual(traceOf(SCENARIO, 'cross', 2))
  })

  it('restarts one that threw, once, however its lock is then released', async () => {
    const locks = new FakeLocks()
    const { client, workers, events } = fakeClient({ locks })
    await client.load('demo.yaml', SCENARIO)
    workers[0]!.throwUncaught('Uncaught Error: boom')
    await settle()
    // The client terminated the old worker itself: its lock going is not a second death.
    expect(workers[0]!.terminated).toBe(true)
    expect(events).toEqual([{ type: 'restarted', cause: 'error', message: 'Uncaught Error: boom' }])
    expect(workers).toHaveLength(2)
    expect(await client.trace('cross', 1)).toEqual(traceOf(SCENARIO, 'cross', 1))
  })

  it('counts no strike for a worker that dies with nothing asked of it', async () => {
    const locks = new FakeLocks()
    const { client, workers, events } = fakeClient({ locks }, { maxRestarts: 2 })
    await client.load('demo.yaml', SCENARIO)
    for (let i = 0; i < 5; i++) {
      workers.at(-1)!.exit()
      await settle()
    }
    expect(events).toHaveLength(5)
    expect(workers).toHaveLength(6)
    expect(await client.trace('cross', 1)).toEqual(traceOf(SCENARIO, 'cross', 1))
  })
})

describe('engine client, a worker that cannot start again', () => {
  it('stops trying after maxRestarts, and the next request says why', async () => {
    const locks = new FakeLocks()
    const workers: FakeWorker[] = []
    const client = createEngineClient({
      maxRestarts: 2,
      watchLock: locks.watch,
      // The first worker runs; every later one fails to load (its script cannot be fetched).
      createWorker: () => {
        const w = new FakeWorker(workers.length === 0 ? { locks } : { locks, dieOn: () => true })
        workers.push(w)
        return w
      },
    })
    await client.load('demo.yaml', SCENARIO)
    workers[0]!.exit()
    for (let i = 0; i < 10; i++) await settle()
    // Dead idle: replaced; each replacement dies before it is ready, a strike each, then no more.
    expect(workers).toHaveLength(4)
    await expect(client.trace('cross', 1)).rejects.toThrow(/engine stopped/)
    expect(workers).toHaveLength(7)
  })
})

describe('engine client, where there are no Web Locks', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('pings an idle worker and restarts it when two beats go unanswered', async () => {
    vi.useFakeTimers()
    const { client, workers, events } = fakeClient({}, { heartbeatMs: 1000 })
    const loading = client.load('demo.yaml', SCENARIO)
    await vi.advanceTimersByTimeAsync(0)
    await loading
    expect(workers[0]!.posted[0]).not.toHaveProperty('lock')
    await vi.advanceTimersByTimeAsync(1000)
    expect(workers[0]!.posted.at(-1)).toEqual({ type: 'ping', seq: 1 })
    await vi.advanceTimersByTimeAsync(5000)
    // Alive: every ping answered, no restart.
    expect(workers).toHaveLength(1)
    workers[0]!.exit()
    await vi.advanceTimersByTimeAsync(3000)
    expect(workers).toHaveLength(2)
    expect(events.map((e) => e.cause)).toEqual(['unresponsive'])
    const tracing = client.trace('cross', 1)
    await vi.advanceTimersByTimeAsync(0)
    expect(await tracing).toEqual(traceOf(SCENARIO, 'cross', 1))
    client.dispose()
  })

  it('never pings a worker busy with a run, however long it takes', async () => {
    vi.useFakeTimers()
    const { client, workers, events } = fakeClient(
      { holdOn: (m) => m.type === 'trace' },
      { heartbeatMs: 1000 },
    )
    const loading = client.load('demo.yaml', SCENARIO)
    await vi.advanceTimersByTimeAsync(0)
    await loading
    const tracing = client.trace('cross', 1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(workers[0]!.posted.filter((m) => m.type === 'ping')).toEqual([])
    expect(events).toEqual([])
    workers[0]!.finishHeld()
    expect(await tracing).toEqual(traceOf(SCENARIO, 'cross', 1))
    client.dispose()
  })
})

describe('engine client, cancelled', () => {
  it('stops a long run: the request rejects, a fresh worker has the last scenario', async () => {
    const { client, workers, events } = fakeClient({
      holdOn: (m) => m.type === 'trace' && m.seed === 99,
    })
    await client.load('demo.yaml', SCENARIO)
    const long = client.trace('cross', 99)
    await settle()
    expect(client.cancel()).toBe(true)
    await expect(long).rejects.toBeInstanceOf(EngineCancelled)
    expect(workers[0]!.terminated).toBe(true)
    await settle()
    // Not replayed: the cancelled run stays cancelled.
    expect(workers[1]!.posted.map((m) => m.type)).toEqual(['hello', 'load'])
    expect(events).toEqual([])
    expect(await client.trace('cross', 1)).toEqual(traceOf(SCENARIO, 'cross', 1))
  })

  it('keeps the scenario that was open when a load is cancelled', async () => {
    const other = twoNodes('{plugin: calico, backend: bgp}')
    const { client, newest } = fakeClient({
      holdOn: (m) => m.type === 'load' && m.source === other,
    })
    await client.load('demo.yaml', SCENARIO)
    const loading = client.load('other.yaml', other)
    await settle()
    client.cancel()
    await expect(loading).rejects.toThrow(/cancelled/)
    const t = await client.trace('cross', 1)
    expect(t).toEqual(traceOf(SCENARIO, 'cross', 1))
    expect(
      newest()
        .posted.filter((m) => m.type === 'load')
        .map((m) => m.file),
    ).toEqual(['demo.yaml'])
  })

  it('does nothing when nothing runs', async () => {
    const { client, workers } = fakeClient()
    await client.load('demo.yaml', SCENARIO)
    expect(client.cancel()).toBe(false)
    expect(workers).toHaveLength(1)
    expect(workers[0]!.terminated).toBe(false)
  })
})

describe('engine client, disposed', () => {
  it('rejects what is still pending and stops the worker', async () => {
    const w = new FakeWorker()
    const client = createEngineClient({ createWorker: () => w })
    const loading = client.load('demo.yaml', SCENARIO)
    client.dispose()
    await expect(loading).rejects.toThrow(/disposed/)
    expect(w.terminated).toBe(true)
    await expect(client.trace('cross', 1)).rejects.toThrow(/disposed/)
  })
})

describe('engine client without workers', () => {
  it('runs the engine in-process when no worker can be created', async () => {
    const client = createEngineClient({ createWorker: () => null })
    const loaded = await client.load('demo.yaml', SCENARIO)
    expect(loaded.ok).toBe(true)
    expect(client.mode).toBe('in-process')
    expect(await client.trace('cross', 1)).toEqual(traceOf(SCENARIO, 'cross', 1))
  })

  it('falls back in-process when the worker dies before it is ready', async () => {
    const client = createEngineClient({ createWorker: () => new FakeWorker({ dieOn: () => true }) })
    const loaded = await client.load('demo.yaml', SCENARIO)
    expect(loaded.ok).toBe(true)
    expect(client.mode).toBe('in-process')
  })

  it('opens a node at a step: its tables as the engine prints them, the trace’s entries marked', async () => {
    const client = createEngineClient({ createWorker: () => new FakeWorker() })
    await client.load('demo.yaml', SCENARIO)
    const t = await client.trace('cross', 1)
    const last = t.steps.length - 1
    const inspection = (await client.inspect('cross', 1, 1, last, { node: 'node-1' }))!
    expect(inspection.step).toBe(last)
    const route = inspection.sections.find((s) => s.command === 'ip route')!
    expect(route.lines.length).toBeGreaterThan(0)
    // Some entry on node-1 decided a hop of this trace.
    const used = inspection.sections.flatMap((s) => s.lines).filter((l) => l.used !== null)
    expect(used.length).toBeGreaterThan(0)
    expect(await client.inspect('cross', 1, 1, 0, { node: 'node-9' })).toBeNull()
    await expect(client.inspect('nothing', 1, 1, 0, { node: 'node-1' })).rejects.toThrow(
      /no traffic "nothing"/,
    )
  })

  it('reports scenario errors as diagnostics, not as a failure', async () => {
    const client = createEngineClient({ createWorker: () => null })
    const loaded = await client.load('bad.yaml', 'kind: [')
    expect(loaded.ok).toBe(false)
    expect(loaded.diagnostics.length).toBeGreaterThan(0)
    expect(loaded.diagnostics[0]!.file).toBe('bad.yaml')
  })
})
