import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Packet } from '../../model/trace.ts'
import type { NetNs } from '../net/netns.ts'
import type { Walk } from './api.ts'
import { HookRegistry, NF_IP_PRI } from './hooks.ts'

const w = {} as Walk
const ns = {} as NetNs
const pkt = {} as Packet

/** A registration that notes it ran and decides when `decides`. */
function noting(ran: string[], owner: string, decides = false) {
  return () => {
    ran.push(owner)
    return decides ? ({ outcome: 'dropped' } as never) : null
  }
}

describe('the hook registry', () => {
  it('holds the IPv4 priorities of include/uapi/linux/netfilter_ipv4.h', () => {
    expect(NF_IP_PRI).toEqual({
      CONNTRACK: -200,
      MANGLE: -150,
      NAT_DST: -100,
      FILTER: 0,
      SECURITY: 50,
      NAT_SRC: 100,
    })
  })

  it('runs a hook in ascending priority, of equal priorities the later registered first', () => {
    const r = new HookRegistry()
    const ran: string[] = []
    r.registerNf({
      hook: 'PREROUTING',
      priority: NF_IP_PRI.NAT_DST,
      owner: 'dnat',
      fn: noting(ran, 'dnat'),
    })
    r.registerNf({
      hook: 'PREROUTING',
      priority: NF_IP_PRI.CONNTRACK,
      owner: 'ct',
      fn: noting(ran, 'ct'),
    })
    r.registerNf({
      hook: 'PREROUTING',
      priority: NF_IP_PRI.NAT_DST,
      owner: 'dnat2',
      fn: noting(ran, 'dnat2'),
    })
    r.registerNf({ hook: 'INPUT', priority: NF_IP_PRI.FILTER, owner: 'in', fn: noting(ran, 'in') })
    // nf_hook_entries_grow puts the new ops before the first of priority >= its own.
    expect(r.at('PREROUTING').map((o) => o.owner)).toEqual(['ct', 'dnat2', 'dnat'])
    expect(r.runNf('PREROUTING', w, ns, null, pkt)).toBeNull()
    expect(ran).toEqual(['ct', 'dnat2', 'dnat'])
  })

  it('stops at the first function that decides, and can start part-way (a packet looped back)', () => {
    const r = new HookRegistry()
    const ran: string[] = []
    r.registerNf({
      hook: 'INPUT',
      priority: NF_IP_PRI.FILTER,
      owner: 'filter',
      fn: noting(ran, 'filter'),
    })
    r.registerNf({
      hook: 'INPUT',
      priority: NF_IP_PRI.NAT_SRC - 1,
      owner: 'ipvs',
      fn: noting(ran, 'ipvs', true),
    })
    r.registerNf({
      hook: 'INPUT',
      priority: NF_IP_PRI.NAT_SRC,
      owner: 'snat',
      fn: noting(ran, 'snat'),
    })
    expect(r.runNf('INPUT', w, ns, null, pkt)).toEqual({ outcome: 'dropped' })
    expect(ran).toEqual(['filter', 'ipvs'])
    ran.length = 0
    r.runNf('INPUT', w, ns, null, pkt, NF_IP_PRI.NAT_SRC - 1)
    expect(ran).toEqual(['ipvs'])
  })
})

/** nft names the standard priorities; where it runs here, it must name ours the same. */
function nftUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux'
  if (process.getuid?.() !== 0) return 'not root'
  try {
    execFileSync('sh', ['-c', 'command -v nft && command -v ip'], { stdio: 'pipe' })
  } catch {
    return 'nft or ip is not installed'
  }
  return null
}

describe('the priorities as the real nft names them', () => {
  const why = nftUnavailable()
  it.skipIf(why !== null)(
    `prints mangle, dstnat, filter, security, srcnat for ours${why ? ` (skipped: ${why})` : ''}`,
    () => {
      const netns = `podpath-hooks-${process.pid}`
      const chains = Object.entries(NF_IP_PRI)
        .filter(([k]) => k !== 'CONNTRACK') // nft has no name for -200
        // nft names srcnat only where source NAT happens, dstnat only where destination NAT does.
        .map(([k, v]) => {
          const hook = k === 'NAT_SRC' ? 'postrouting' : 'prerouting'
          return `chain c_${k} { type filter hook ${hook} priority ${v}; }`
        })
        .join('\n')
      execFileSync('ip', ['netns', 'add', netns])
      try {
        execFileSync('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], {
          input: `table ip t {\n${chains}\n}\n`,
        })
        const listed = execFileSync(
          'ip',
          ['netns', 'exec', netns, 'nft', 'list', 'table', 'ip', 't'],
          {
            encoding: 'utf8',
          },
        )
        const named = [
          ...listed.matchAll(/chain c_(\w+) \{\s*type filter hook \w+ priority (\w+);/g),
        ]
        expect(Object.fromEntries(named.map((m) => [m[1], m[2]]))).toEqual({
          MANGLE: 'mangle',
          NAT_DST: 'dstnat',
          FILTER: 'filter',
          SECURITY: 'security',
          NAT_SRC: 'srcnat',
        })
      } finally {
        execFileSync('ip', ['netns', 'del', netns])
      }
    },
  )
})
