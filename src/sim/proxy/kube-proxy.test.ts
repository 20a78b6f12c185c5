import { describe, expect, it } from 'vitest'
import { build } from '../../test/scenario.ts'
import { nodeTables as tablesText } from '../print/tables.ts'
import { trace } from '../trace.ts'
import { base32, sha256 } from '../hash.ts'
import { chainHash, chainHasher } from './chain-hash.ts'
import { nodeIptables, nodeNftablesTable, nodeTables } from './kube-proxy.ts'

const scenario = (mode: string, affinity = false) => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: kp}
spec:
  cni: {plugin: flannel, backend: vxlan}
  kubeProxy: {mode: ${mode}}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: curl}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, ports: [{containerPort: 80}]}]}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]${affinity ? ', sessionAffinity: ClientIP' : ''}}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-web}
spec: {from: {pod: default/client}, to: "http://web/"}
`

describe("kube-proxy's rules, built once per cluster and node", () => {
  for (const mode of ['iptables', 'ipvs', 'nftables', 'userspace'])
    it(`gives later traces of one cluster (${mode} mode) the same steps as the first trace of a fresh build, because a built cluster never changes`, () => {
      const first = build(scenario(mode, true))
      const t = first.scenario.traffic[0]!
      const a = JSON.stringify(trace(first.cluster, t, { seed: 3 }))
      // Warm every cache: other seeds, the other node, the printed tables.
      for (const seed of [1, 2]) trace(first.cluster, t, { seed })
      expect(tablesText(first.cluster, 'node-2')).not.toBeNull()
      expect(JSON.stringify(trace(first.cluster, t, { seed: 3 }))).toBe(a)
      const fresh = build(scenario(mode, true))
      expect(JSON.stringify(trace(fresh.cluster, fresh.scenario.traffic[0]!, { seed: 3 }))).toBe(a)
    })

  it('keeps one set of rules per cluster and node: the same object for the same node, another for another node or cluster', () => {
    const a = build(scenario('iptables')).cluster
    const b = build(scenario('iptables')).cluster
    expect(nodeIptables(a, 'node-1')).toBe(nodeIptables(a, 'node-1'))
    expect(nodeIptables(a, 'node-1')).not.toBe(nodeIptables(a, 'node-2'))
    expect(nodeIptables(a, 'node-1')).not.toBe(nodeIptables(b, 'node-1'))
    expect(nodeIptables(a, 'node-1')).toEqual(nodeIptables(b, 'node-1'))
    expect(nodeTables(a, 'node-1')).toBe(nodeTables(a, 'node-1'))
    const n = build(scenario('nftables')).cluster
    expect(nodeNftablesTable(n, 'node-1')).toBe(nodeNftablesTable(n, 'node-1'))
  })

  it('parses a chain the first time a packet enters it, into rules as iptables-save prints them', () => {
    const c = build(scenario('iptables')).cluster
    const t = nodeTables(c, 'node-1')
    const svc = t.chain('nat', 'KUBE-SERVICES')
    expect(svc.map((r) => r.text)).toContain(
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    )
    expect(t.chain('nat', 'KUBE-SERVICES')).toBe(svc)
    expect(t.chain('nat', 'NO-SUCH-CHAIN')).toEqual([])
    expect(t.label('filter', 'KUBE-FORWARD')).toBe('iptables -t filter KUBE-FORWARD')
  })
})

describe('chain-name hashes', () => {
  it('remembers the first 16 characters of base32(sha256(name)) per Service list, as chainHash computes them', () => {
    const services = build(scenario('iptables')).cluster.services
    const h = chainHasher(services)
    expect(h('default/web:tcp')).toBe(chainHash('default/web:tcp'))
    expect(h('default/web:tcp')).toBe(chainHasher(services)('default/web:tcp'))
    expect(chainHash('default/web:tcp')).toBe(base32(sha256('default/web:tcp')).slice(0, 16))
    // kube-proxy's own test value (pkg/proxy/iptables/proxier_test.go): KUBE-SVC-XPGD46QRK7WJZT7O.
    expect(h('ns1/svc1:p80tcp').slice(0, 16)).toBe('XPGD46QRK7WJZT7O')
  })
})
