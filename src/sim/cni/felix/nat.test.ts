import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { build, traceOf, twoNodes } from '../../../test/scenario.ts'
import { iptablesSave } from '../../print/iptables-save.ts'
import { ipsetList } from '../../print/ipset-list.ts'
import { nodeIptables } from '../../proxy/kube-proxy.ts'
import { felixRuleHashes } from './rule-hash.ts'

/** The nat table of a node's iptables-save, from its `*nat` line to its COMMIT. */
function natTable(cni: string, node = 'node-1', extra = ''): string[] {
  const { cluster } = build(twoNodes(cni, extra))
  const save = iptablesSave(nodeIptables(cluster, node))
  return save.slice(save.indexOf('*nat'), save.indexOf('COMMIT', save.indexOf('*nat'))).split('\n')
}

const lesson = readFileSync(
  new URL('../../../lessons/mode2-egress-calico.yaml', import.meta.url),
  'utf8',
)

describe("felix's nat table (felix/rules static.go and nat.go, v3.32.1)", () => {
  it('hashes as on real nodes: the cali: comments of a real iptables output', () => {
    // A real Calico node's `iptables -t nat -vnL` (the k8s-guide's Calico chapter, iptables
    // 1.8 with --random-fully) shows, for the rules as felix renders them:
    //   POSTROUTING: cali-POSTROUTING /* cali:O3lYWMrLQYEMJtB5 */ (inserted, as before felix
    //   appended it); cali-POSTROUTING: cali-fip-snat /* cali:Z-c7XtVd2Bq7s_hA */,
    //   cali-nat-outgoing /* cali:nYKhEzDlr11Jccal */; cali-nat-outgoing: MASQUERADE
    //   /* cali:flqWnvo8yq4ULQLa */ match-set cali40masq-ipam-pools src ! match-set
    //   cali40all-ipam-pools dst random-fully.
    expect(felixRuleHashes('POSTROUTING', ['--jump cali-POSTROUTING'])).toEqual([
      'O3lYWMrLQYEMJtB5',
    ])
    expect(
      felixRuleHashes('cali-POSTROUTING', ['--jump cali-fip-snat', '--jump cali-nat-outgoing']),
    ).toEqual(['Z-c7XtVd2Bq7s_hA', 'nYKhEzDlr11Jccal'])
    expect(
      felixRuleHashes('cali-nat-outgoing', [
        '-m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst --jump MASQUERADE --random-fully',
      ]),
    ).toEqual(['flqWnvo8yq4ULQLa'])
  })

  it('writes cali-POSTROUTING, reached last from POSTROUTING, and cali-nat-outgoing for a natOutgoing pool', () => {
    const nat = natTable('{plugin: calico, backend: ipip}')
    for (const c of [
      'cali-OUTPUT',
      'cali-POSTROUTING',
      'cali-PREROUTING',
      'cali-fip-dnat',
      'cali-fip-snat',
      'cali-nat-outgoing',
    ])
      expect(nat).toContain(`:${c} - [0:0]`)
    // PREROUTING and OUTPUT: felix's jump first (inserted); POSTROUTING: after kube-proxy's.
    expect(nat.filter((l) => l.startsWith('-A PREROUTING'))[0]).toBe(
      '-A PREROUTING -m comment --comment "cali:6gwbT8clXdHdC1b1" -j cali-PREROUTING',
    )
    expect(nat.filter((l) => l.startsWith('-A OUTPUT'))[0]).toBe(
      '-A OUTPUT -m comment --comment "cali:tVnHkvAo15HuiPy0" -j cali-OUTPUT',
    )
    expect(nat.filter((l) => l.startsWith('-A POSTROUTING'))).toEqual([
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      // Appended rules are hashed under "POSTROUTING*appends*" (felix/iptables/table.go).
      '-A POSTROUTING -m comment --comment "cali:0i8pjzKKPyA34aQD" -j cali-POSTROUTING',
    ])
    expect(nat.filter((l) => l.startsWith('-A cali-'))).toEqual([
      '-A cali-OUTPUT -m comment --comment "cali:GBTAv2p5CwevEyJm" -j cali-fip-dnat',
      '-A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" -j cali-fip-snat',
      '-A cali-POSTROUTING -m comment --comment "cali:nYKhEzDlr11Jccal" -j cali-nat-outgoing',
      '-A cali-POSTROUTING -o tunl0 -m comment --comment "cali:SXWvdsbh4Mw7wOln" -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL -j MASQUERADE --random-fully',
      '-A cali-PREROUTING -m comment --comment "cali:r6XmIziWUJsdOK6Z" -j cali-fip-dnat',
      '-A cali-nat-outgoing -m comment --comment "cali:W_qq_N2KSTWyCvrX" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40network-ip-pools dst -j MASQUERADE --random-fully',
    ])
  })

  it('masquerades down vxlan.calico with VXLAN, and down no tunnel with BGP', () => {
    expect(natTable('{plugin: calico, backend: vxlan}').join('\n')).toContain(
      '-A cali-POSTROUTING -o vxlan.calico -m comment',
    )
    expect(natTable('{plugin: calico, backend: bgp}').join('\n')).not.toContain('--limit-iface-out')
  })

  it('leaves cali-nat-outgoing empty when the pool has natOutgoing false (an IPPool that omits it)', () => {
    const pool = `---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: p}
spec: {cidr: 10.244.0.0/16, ipipMode: Always}`
    const nat = natTable('{plugin: calico, backend: ipip}', 'node-1', pool)
    expect(nat).toContain(':cali-nat-outgoing - [0:0]')
    expect(nat.filter((l) => l.startsWith('-A cali-nat-outgoing'))).toEqual([])
    const explicit = natTable(
      '{plugin: calico, backend: ipip}',
      'node-1',
      `${pool.replace('ipipMode: Always', 'ipipMode: Always, natOutgoing: true')}`,
    )
    expect(explicit.filter((l) => l.startsWith('-A cali-nat-outgoing'))).toHaveLength(1)
  })

  it('lists the pool ipsets as ipset list prints them', () => {
    const { cluster } = build(twoNodes('{plugin: calico, backend: ipip}'))
    const list = ipsetList(cluster, 'node-1')
    expect(list.slice(0, 2)).toEqual(['Name: cali40network-ip-pools', 'Type: hash:net'])
    // cali-nat-outgoing's one rule matches both sets (the second negated): each counts it, as a
    // kernel's ipset list shows for a rule with two --match-set (xt_set takes a reference per match).
    expect(list[5]).toBe('References: 1')
    expect(list).toContain('Name: cali40masq-ipam-pools')
    const masq = list.slice(list.indexOf('Name: cali40masq-ipam-pools'))
    expect(masq.slice(2, 9)).toEqual([
      'Revision: 7',
      expect.stringMatching(
        /^Header: family inet hashsize 1024 maxelem 1048576 bucketsize 12 initval 0x[0-9a-f]{8}$/,
      ),
      'Size in memory: 504',
      'References: 1',
      'Number of entries: 1',
      'Members:',
      '10.244.0.0/16',
    ])
  })
})

describe('a Pod calls the Internet with Calico natOutgoing (lesson mode2-egress-calico)', () => {
  const t = traceOf(lesson)
  const request = t.steps.filter((s) => s.phase === 'request')
  const reply = t.steps.filter((s) => s.phase === 'reply')

  it("masquerades on node-1's eth0 by cali-nat-outgoing, to the node's address", () => {
    const masq = request.find((s) => s.action === 'masquerade')!
    expect(masq.at).toMatchObject({ node: 'node-1', device: 'eth0', hook: 'POSTROUTING' })
    expect(masq.packet.l3!.src).toBe('192.168.1.11')
    // kube-proxy's chain first (the packet has no 0x4000 mark, so it returns), then felix's.
    expect(masq.lookups.filter((l) => l.matched).map((l) => l.table)).toEqual([
      'iptables -t nat POSTROUTING',
      'iptables -t nat KUBE-POSTROUTING',
      'iptables -t nat POSTROUTING',
      'iptables -t nat cali-POSTROUTING',
      'iptables -t nat cali-POSTROUTING',
      'iptables -t nat cali-nat-outgoing',
      'conntrack -L',
    ])
    expect(masq.explain.en).toContain('cali40network-ip-pools')
  })

  it('shows the Internet the node address, and un-SNATs the reply by conntrack', () => {
    expect(request.at(-1)).toMatchObject({ action: 'deliver', at: { component: 'internet' } })
    expect(request.at(-1)!.packet.l3!.src).toBe('192.168.1.11')
    const unnat = reply.find((s) => s.action === 'unnat')!
    expect(unnat.at).toMatchObject({ node: 'node-1', device: 'eth0', hook: 'PREROUTING' })
    expect(unnat.packet.l3!.dst).toBe(request[0]!.packet.l3!.src)
    expect(t.outcome).toBe('delivered')
  })

  it('keeps the Pod address to a Pod of the pool: cali-nat-outgoing is tested and does not match', () => {
    const toWeb = traceOf(lesson, 'client-to-web')
    expect(toWeb.steps.some((s) => s.action === 'masquerade')).toBe(false)
    const tested = toWeb.steps
      .flatMap((s) => s.lookups)
      .filter((l) => l.table === 'iptables -t nat cali-nat-outgoing')
    expect(tested.length).toBeGreaterThan(0)
    expect(tested.every((l) => !l.matched)).toBe(true)
    const sent = toWeb.steps.find((s) => s.phase === 'request')!
    const got = toWeb.steps.find((s) => s.phase === 'request' && s.action === 'deliver')!
    expect(got.packet.l3!.src).toBe(sent.packet.l3!.src)
  })

  it('loses the connection with natOutgoing false: the Pod address cannot come back', () => {
    const off = traceOf(lesson.replace('  natOutgoing: true\n', '  natOutgoing: false\n'))
    expect(off.steps.some((s) => s.action === 'masquerade')).toBe(false)
    expect(off.outcome).toBe('dropped')
    expect(off.reason!.en).toBe('private source address')
    expect(off.steps.at(-1)!.explain.en).toContain('natOutgoing: false')
    expect(off.steps.at(-1)!.packet.l3!.src).toMatch(/^10\.244\./)
  })
})
