import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LESSONS_DIR } from '../../cli/golden.ts'
import { build } from '../../test/scenario.ts'
import { ipsetList } from './ipset-list.ts'

const { cluster } = build(readFileSync(join(LESSONS_DIR, 'mode3-clusterip-ipvs.yaml'), 'utf8'))
const lines = ipsetList(cluster, 'node-1')

/** One set's lines, from "Name:" to the blank line. */
function set(name: string): string[] {
  const i = lines.indexOf(`Name: ${name}`)
  const end = lines.indexOf('', i)
  return lines.slice(i, end < 0 ? undefined : end)
}

describe('ipset list on an IPVS node', () => {
  it('lists the 17 sets kube-proxy creates on every node, even empty ones', () => {
    expect(lines.filter((l) => l.startsWith('Name: '))).toHaveLength(17)
    expect(set('KUBE-NODE-PORT-TCP')).toEqual([
      'Name: KUBE-NODE-PORT-TCP',
      'Type: bitmap:port',
      'Revision: 3',
      'Header: range 0-65535',
      'Size in memory: 8264',
      'References: 0',
      'Number of entries: 0',
      'Members:',
    ])
  })

  it('prints a hash set as ipset does, with one reference per iptables rule that matches it', () => {
    const s = set('KUBE-CLUSTER-IP')
    expect(s.slice(0, 4)).toEqual([
      'Name: KUBE-CLUSTER-IP',
      'Type: hash:ip,port',
      'Revision: 7',
      expect.stringMatching(
        /^Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x[0-9a-f]{8}$/,
      ),
    ])
    // Two nat rules in KUBE-SERVICES and the filter KUBE-IPVS-FILTER RETURN.
    expect(s).toContain('References: 3')
    expect(s.slice(s.indexOf('Members:') + 1, s.indexOf('Members:') + 3)).toEqual([
      '10.96.0.1,tcp:443',
      '10.96.0.10,tcp:53',
    ])
    expect(s).toContain(`Size in memory: ${216 + 48 * (s.length - 8)}`)
  })

  it('puts only this node’s endpoints in KUBE-LOOP-BACK, and every ClusterIP in KUBE-IPVS-IPS', () => {
    const loop = set('KUBE-LOOP-BACK').slice(8)
    const ownPods = cluster.pods.filter((p) => p.node === 'node-1' && !p.hostNetwork)
    for (const m of loop) {
      const ip = m.split(',')[0]
      expect(
        ownPods.some(
          (p) => `${p.ip >>> 24}.${(p.ip >>> 16) & 255}.${(p.ip >>> 8) & 255}.${p.ip & 255}` === ip,
        ),
      ).toBe(true)
    }
    expect(set('KUBE-IPVS-IPS')).toContain('10.96.0.10')
  })
})
