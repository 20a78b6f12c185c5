import { describe, expect, it } from 'vitest'
import { handle, initialState } from '../sim/handler.ts'
import type { FromWorker, ToWorker } from '../sim/protocol.ts'
import { traceOf, twoNodes } from '../test/scenario.ts'
import { createEngineClient, type WorkerLike } from './worker-client.ts'

const SCENARIO = twoNodes('{plugin: flannel, backend: vxlan}')

/** A worker that runs the real `handle`, answers asynchronously and can be made to die. */
class FakeWorker implements WorkerLike {
  posted: ToWorker[] = []
  terminated = false
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null
  onerror: ((e: ErrorEvent) => void) | null = null
  onmessageerror: ((e: MessageEvent) => void) | null = null
  private state = initialState()

  constructor(private readonly dieOn: (m: ToWorker) => boolean = () => false) {}

  postMessage(msg: ToWorker): void {
    this.posted.push(msg)
    queueMicrotask(() => {
      if (this.terminated) return
      if (this.dieOn(msg)) {
        this.onerror?.(new Event('error', { cancelable: true }) as ErrorEvent)
        return
      }
      const r = handle(this.state, msg)
      this.state = r.state
      for (const m of r.replies) this.onmessage?.({ data: m } as MessageEvent<FromWorker>)
    })
  }

  terminate(): void {
    this.terminated = true
  }
}

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
        const w = new FakeWorker(workers.length === 0 ? (m) => m.type === 'trace' : undefined)
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
        return new FakeWorker((m) => m.type === 'trace' && m.seed === 666)
      },
    })
    await client.load('demo.yaml', SCENARIO)
    await expect(client.trace('cross', 666)).rejects.toThrow(/engine stopped/)
    expect(made).toBe(3)
    expect(await client.trace('cross', 1)).toEqual(traceOf(SCENARIO, 'cross', 1))
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
    const client = createEngineClient({ createWorker: () => new FakeWorker(() => true) })
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
