import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LESSONS_DIR } from '../../cli/golden.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import type { Cluster } from '../cluster.ts'
import { nftablesOptions } from './kube-proxy.ts'
import { elementKey } from './nft-table.ts'
import { kubeProxyNftables, kubeProxyNftablesOnDemand } from './nftables-rules.ts'

const clusters: [string, Cluster][] = readdirSync(LESSONS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => {
    // A lesson about an error (two containers on one port) builds no cluster.
    const c = loadScenarioSource(readFileSync(join(LESSONS_DIR, f), 'utf8'), f).cluster
    return c ? [[f, c] as [string, Cluster]] : []
  })

describe("kube-proxy's nftables table written as a walk reads it", () => {
  it('gives every element and chain kubeProxyNftables writes, whichever is read first', () => {
    let read = 0
    for (const [f, c] of clusters)
      for (const node of c.nodes) {
        const o = nftablesOptions(c, node.name)
        const table = kubeProxyNftables(c.services, o)
        const elements = table.sets.flatMap((s) =>
          s.elements.map((e) => [s.name, elementKey(e.key), e] as const),
        )
        // Elements first (the last Service's first), then chains; or chains first.
        const rev = [...elements].reverse()
        const byElements = kubeProxyNftablesOnDemand(c.services, o)
        expect(
          rev.map(([set, key]) => byElements.element(set, key)),
          f,
        ).toEqual(rev.map(([, , e]) => e))
        expect(
          table.chains.map((ch) => byElements.chain(ch.name)),
          f,
        ).toEqual(table.chains)
        const byChains = kubeProxyNftablesOnDemand(c.services, o)
        const chainsRev = [...table.chains].reverse()
        expect(
          chainsRev.map((ch) => byChains.chain(ch.name)),
          f,
        ).toEqual(chainsRev)
        expect(
          elements.map(([set, key]) => byChains.element(set, key)),
          f,
        ).toEqual(elements.map(([, , e]) => e))
        expect(byChains.bases).toEqual(table.chains.filter((ch) => ch.base))
        for (const t of [byElements, byChains]) {
          expect(t.element('service-ips', '192.0.2.1 . tcp . 1')).toBeUndefined()
          expect(t.chain('service-NOSUCHCH-default/none/tcp/')).toBeUndefined()
        }
        read += elements.length + table.chains.length
      }
    expect(read).toBeGreaterThan(1000)
  })
})
