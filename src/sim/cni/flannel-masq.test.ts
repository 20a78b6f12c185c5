import { describe, expect, it } from 'vitest'
import { build, twoNodes } from '../../test/scenario.ts'
import { iptablesSave } from '../print/iptables-save.ts'
import { nodeIptables } from '../proxy/kube-proxy.ts'

/** The nat table of a node's iptables-save, from its `*nat` line to its COMMIT. */
function natTable(cni: string, node: string): string {
  const { cluster } = build(twoNodes(cni))
  const save = iptablesSave(nodeIptables(cluster, node))
  return save.slice(save.indexOf('*nat'), save.indexOf('COMMIT', save.indexOf('*nat')))
}

describe('flanneld --ip-masq (pkg/trafficmngr/iptables masqRules)', () => {
  it("writes FLANNEL-POSTRTG for the node's lease, reached from POSTROUTING after kube-proxy's jump", () => {
    const nat = natTable('{plugin: flannel, backend: vxlan}', 'node-2')
    const lines = nat.split('\n')
    expect(lines).toContain(':FLANNEL-POSTRTG - [0:0]')
    const post = lines.filter((l) => l.startsWith('-A POSTROUTING'))
    expect(post.at(-1)).toBe(
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
    )
    expect(lines.filter((l) => l.startsWith('-A FLANNEL-POSTRTG'))).toEqual([
      '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    ])
  })

  it('writes none of it when flanneld runs without --ip-masq (cni.ipMasq: false)', () => {
    const nat = natTable('{plugin: flannel, backend: vxlan, ipMasq: false}', 'node-1')
    expect(nat).not.toContain('FLANNEL-POSTRTG')
    expect(nat).toContain('-A POSTROUTING -m comment --comment "kubernetes postrouting rules"')
  })
})
