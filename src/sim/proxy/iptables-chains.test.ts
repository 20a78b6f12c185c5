import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'
import type { Cluster } from '../cluster.ts'
import {
  kubeProxyIptables,
  kubeProxyIptablesChains,
  type IptablesRules,
  type RestoreRule,
} from './iptables-rules.ts'
import { kubeProxyOptions, nodeIptables, nodeTables } from './kube-proxy.ts'
import { compile } from './netfilter.ts'

const lessons = new URL('../../lessons/', import.meta.url)
/** Every lesson's cluster: NodePorts, LoadBalancers with source ranges, both traffic policies, affinity. */
const clusters: [string, Cluster][] = readdirSync(lessons)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => {
    // A lesson about an error (two containers on one port) builds no cluster.
    const c = loadScenarioSource(readFileSync(new URL(f, lessons), 'utf8'), f).cluster
    return c ? [[f, c] as [string, Cluster]] : []
  })

/** Every chain the eager writer puts a rule in, in the order it first writes to each. */
function chainsIn(r: IptablesRules): ['filter' | 'nat', string][] {
  const seen = new Map<string, ['filter' | 'nat', string]>()
  for (const rule of [...r.jumps, ...r.rules])
    seen.set(`${rule.table} ${rule.chain}`, [rule.table, rule.chain])
  return [...seen.values()]
}

/** The eager writer's rules grouped by chain. */
function byChain(r: IptablesRules): Map<string, RestoreRule[]> {
  const m = new Map<string, RestoreRule[]>()
  for (const rule of r.rules) {
    const k = `${rule.table} ${rule.chain}`
    m.set(k, [...(m.get(k) ?? []), rule])
  }
  return m
}

describe("kube-proxy's iptables rules written chain by chain", () => {
  it('hold, in every chain, the rules kubeProxyIptables writes there, whichever chain is asked first', () => {
    let chainsCompared = 0
    for (const [, c] of clusters)
      for (const node of c.nodes) {
        const o = kubeProxyOptions(c, node.name)
        const eager = kubeProxyIptables(c.services, o)
        const chains = chainsIn(eager)
        const expected = byChain(eager)
        // In the order written, the reverse (the last Service's KUBE-SEP chains first), and a
        // KUBE-SEP chain asked before the KUBE-SVC that jumps to it.
        const seps = chains.filter(([, ch]) => ch.startsWith('KUBE-SEP-'))
        for (const order of [chains, [...chains].reverse(), [...seps, ...chains]]) {
          const lazy = kubeProxyIptablesChains(c.services, o)
          expect(order.map(([t, ch]) => lazy.rules(t, ch))).toEqual(
            order.map(([t, ch]) => expected.get(`${t} ${ch}`) ?? []),
          )
          chainsCompared += order.length
          expect(lazy.rules('nat', 'KUBE-SEP-NOSUCHCHAIN0000')).toEqual([])
          expect(lazy.rules('nat', 'FLANNEL-POSTRTG')).toEqual([])
        }
      }
    expect(chainsCompared).toBeGreaterThan(1000)
  })

  it("give a walk the node's chains as compiled from nodeIptables, CNI rules included", () => {
    const iptablesMode = clusters.filter(([, c]) => c.decl.kubeProxy.mode === 'iptables')
    expect(iptablesMode.length).toBeGreaterThan(10)
    for (const [, c] of iptablesMode)
      for (const node of c.nodes) {
        const all = nodeIptables(c, node.name)
        const eager = compile(all)
        const lazy = nodeTables(c, node.name)
        for (const [table, chain] of chainsIn(all))
          expect(
            lazy.chain(table, chain).map((r) => r.text),
            `${table} ${chain}`,
          ).toEqual(eager.chain(table, chain).map((r) => r.text))
      }
  })
})
