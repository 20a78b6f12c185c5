import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'
import type { NetNs } from '../net/netns.ts'
import type { Walk } from './api.ts'
import { NF_IP_PRI } from './hooks.ts'

/** What the test's own hooks saw: the mark each namespace's PREROUTING met, in order. */
const seen: { ns: string; mark: number }[] = []

// Every built cluster gets two hooks beside its data planes: one that marks every packet a
// node's POSTROUTING sends (as kube-proxy's KUBE-MARK-MASQ would, without clearing it), one
// that notes the mark a packet carries into PREROUTING anywhere.
vi.mock('../assemble/data-planes.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../assemble/data-planes.ts')>()
  return {
    ...real,
    dataPlaneHooks: (cluster: Parameters<typeof real.dataPlaneHooks>[0]) => {
      const hooks = real.dataPlaneHooks(cluster)
      hooks.registerNf({
        hook: 'POSTROUTING',
        priority: NF_IP_PRI.NAT_SRC + 1,
        owner: 'test-mark',
        fn: (w: Walk, ns: NetNs) => {
          if (ns.kind !== 'pod') w.mark = 0x4000
          return null
        },
      })
      hooks.registerNf({
        hook: 'PREROUTING',
        priority: NF_IP_PRI.CONNTRACK - 1,
        owner: 'test-note',
        fn: (w: Walk, ns: NetNs) => {
          seen.push({ ns: ns.id, mark: w.mark })
          return null
        },
      })
      return hooks
    },
  }
})

const { trace } = await import('../trace.ts')

function run(lesson: string) {
  const file = `src/lessons/${lesson}.yaml`
  const loaded = loadScenarioSource(readFileSync(file, 'utf8'), file)
  seen.length = 0
  trace(loaded.cluster!, loaded.scenario!.traffic[0]!, { seed: 1 })
  return [...seen]
}

describe("a packet's mark (skb->mark) stays in the kernel that set it", () => {
  it('is gone when the frame crosses the wire to another node (routed, host-gw)', () => {
    const marks = run('mode2-flannel-host-gw')
    const nodes = marks.filter((m) => m.ns.startsWith('host:'))
    expect(nodes.length).toBeGreaterThan(0)
    expect(nodes.every((m) => m.mark === 0)).toBe(true)
  })

  it('is scrubbed when a veth carries the packet into another namespace (same node)', () => {
    const marks = run('mode2-same-node')
    expect(marks.length).toBeGreaterThan(0)
    expect(marks.filter((m) => m.mark !== 0)).toEqual([])
  })
})
