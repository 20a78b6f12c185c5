import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LESSONS_DIR } from '../../cli/golden.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { nodeTables } from '../print/tables.ts'
import { trace } from '../trace.ts'
import { formatRealServer, ipvsadmList } from './ipvs.ts'

const yaml = readFileSync(join(LESSONS_DIR, 'mode3-clusterip-ipvs.yaml'), 'utf8')

describe('kube-proxy IPVS mode', () => {
  const { cluster, scenario } = build(yaml)
  const web = cluster.services.find((s) => s.name === 'web')!
  const vip = web.clusterIP!
  const vipText = `${vip >>> 24}.${(vip >>> 16) & 255}.${(vip >>> 8) & 255}.${vip & 255}`

  it('binds every ClusterIP to kube-ipvs0, a dummy device left down, so the local table claims it', () => {
    const t = nodeTables(cluster, 'node-1')!
    expect(t).toMatch(
      /\d+: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default\n {4}link\/ether [0-9a-f:]+ brd ff:ff:ff:ff:ff:ff promiscuity 0\n {4}dummy\n/,
    )
    expect(t).toContain(`inet ${vipText}/32 scope global kube-ipvs0`)
    expect(t).toContain(`local ${vipText} dev kube-ipvs0 proto kernel scope host src ${vipText}`)
  })

  it('prints ipvsadm -Ln as ipvsadm does: header, services by protocol and address, Masq real servers', () => {
    const lines = ipvsadmList(cluster, 'node-1')
    expect(lines.slice(0, 3)).toEqual([
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
    ])
    expect(lines).toContain('TCP  10.96.0.1:443 rr')
    expect(lines).toContain(`TCP  ${vipText}:80 rr`)
    expect(lines).toContain('UDP  10.96.0.10:53 rr')
    expect(lines.indexOf('UDP  10.96.0.10:53 rr')).toBeGreaterThan(
      lines.indexOf(`TCP  ${vipText}:80 rr`),
    )
    expect(formatRealServer({ ip: 0x0af40003, port: 8080, weight: 1, pod: null })).toBe(
      '  -> 10.244.0.3:8080              Masq    1      0          0         ',
    )
  })

  it('keeps a few iptables rules that match ipsets instead of one chain per Service', () => {
    const t = nodeTables(cluster, 'node-1')!
    expect(t).toContain(
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
    )
    expect(t).toContain('-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT')
    expect(t).not.toContain('KUBE-SVC-')
  })

  it('selects a real server at LOCAL_IN and un-NATs the reply from conntrack', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const lb = t.steps.find((s) => s.action === 'lb-select' && s.phase === 'request')!
    expect(lb.at).toMatchObject({
      node: 'node-1',
      device: 'kube-ipvs0',
      hook: 'INPUT',
      component: 'ipvs',
    })
    // The few nat rules IPVS mode still walks come first, then the virtual service and its servers.
    expect(lb.lookups.find((l) => l.table === 'ipvsadm -Ln')!.rule).toBe(`TCP  ${vipText}:80 rr`)
    expect(lb.lookups[0]!.table).toBe('iptables -t nat PREROUTING')
    expect(lb.lookups.filter((l) => l.table === 'ipvsadm -Ln' && l.matched)).toHaveLength(2)
    expect(t.steps.find((s) => s.action === 'unnat' && s.phase === 'reply')!.packet.l3!.src).toBe(
      vipText,
    )
  })

  it('spreads connections over the real servers across seeds (rr from a seeded position)', () => {
    const seen = new Set<string>()
    for (let seed = 0; seed < 30; seed++) {
      const t = trace(cluster, scenario.traffic[0]!, { seed })
      seen.add(
        t.steps.find((s) => s.action === 'lb-select' && s.phase === 'request')!.packet.l3!.dst,
      )
    }
    expect(seen.size).toBe(3)
  })
})
