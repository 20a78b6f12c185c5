import { describe, expect, it } from 'vitest'
import { build, traceOf, twoNodes } from '../../test/scenario.ts'
import { iptablesSave } from '../print/iptables-save.ts'
import { nodeIptables } from '../proxy/kube-proxy.ts'

const FLANNEL = '{plugin: flannel, backend: vxlan}'

/** The filter table of a node's iptables-save, from its `*filter` line to its COMMIT. */
function filterTable(cni: string, node: string): string[] {
  const { cluster } = build(twoNodes(cni))
  const save = iptablesSave(nodeIptables(cluster, node))
  return save.slice(save.indexOf('*filter'), save.indexOf('COMMIT')).split('\n')
}

describe("flanneld's FORWARD rules (pkg/trafficmngr/iptables forwardRules)", () => {
  it("writes FLANNEL-FWD, reached from FORWARD after kube-proxy's jumps, accepting the Pod network both ways", () => {
    const lines = filterTable(FLANNEL, 'node-1')
    expect(lines).toContain(':FLANNEL-FWD - [0:0]')
    expect(lines.filter((l) => l.startsWith('-A FORWARD')).at(-1)).toBe(
      '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
    )
    expect(lines.filter((l) => l.startsWith('-A FLANNEL-FWD'))).toEqual([
      '-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
      '-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    ])
  })

  it('writes them without --ip-masq too (--iptables-forward-rules is a flag of its own)', () => {
    const lines = filterTable('{plugin: flannel, backend: vxlan, ipMasq: false}', 'node-2')
    expect(lines).toContain('-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD')
  })

  it("accepts a connection's first packet on both nodes; the reply is accepted earlier, by KUBE-FORWARD's conntrack rule", () => {
    const t = traceOf(twoNodes(FLANNEL))
    const fwd = (phase: string) =>
      t.steps
        .filter((s) => s.phase === phase)
        .flatMap((s) => s.lookups.map((l) => ({ node: s.at.node, ...l })))
        .filter((l) => l.table === 'iptables -t filter FLANNEL-FWD')
    expect(fwd('request')).toEqual([
      expect.objectContaining({
        node: 'node-1',
        matched: true,
        rule: expect.stringContaining('-s 10.244.0.0/16'),
      }),
      expect.objectContaining({
        node: 'node-2',
        matched: true,
        rule: expect.stringContaining('-s 10.244.0.0/16'),
      }),
    ])
    expect(fwd('reply')).toEqual([])
  })
})
