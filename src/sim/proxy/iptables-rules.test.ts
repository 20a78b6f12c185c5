import { describe, expect, it } from 'vitest'
import { iptablesSave, savedProbability } from '../print/iptables-save.ts'
import { parseCidr } from '../../model/ipv4.ts'
import type { BuiltService } from '../services/service.ts'
import { build } from '../../test/scenario.ts'
import {
  kubeProxyIptables,
  portProtoHash,
  probability,
  restoreText,
  type KubeProxyOptions,
} from './iptables-rules.ts'

/**
 * kube-proxy's own tests sort the restore text before comparing (proxier_test.go
 * sortIPTablesRules): tables by name; KUBE-NODEPORTS, KUBE-SERVICES, then other chains by name;
 * the rules of those two chains by service name, the "must be the last rule" rule last.
 */
function sortLikeKubeProxyTests(text: string): string {
  const tables = text
    .trim()
    .split(/\nCOMMIT\n?/)
    .filter(Boolean)
  const rank = (c: string) => (c === 'KUBE-NODEPORTS' ? '0' : c === 'KUBE-SERVICES' ? '1' : `2${c}`)
  const svcName = (rule: string) => {
    if (rule.includes('must be the last rule')) return '\uffff'
    const m = /--comment "?([^ :"]+)/.exec(rule)
    return m ? m[1]! : ''
  }
  const out = tables
    .map((t) => t.split('\n'))
    .sort((a, b) => a[0]!.localeCompare(b[0]!))
    .map(([head, ...lines]) => {
      const chains = lines
        .filter((l) => l.startsWith(':'))
        .sort((a, b) =>
          rank(a.slice(1).split(' ')[0]!).localeCompare(rank(b.slice(1).split(' ')[0]!)),
        )
      const rules = lines.filter((l) => l.startsWith('-A'))
      const order = chains.map((c) => c.slice(1).split(' ')[0]!)
      const byChain = order.flatMap((c) => {
        const rs = rules.filter((r) => r.split(' ')[1] === c)
        return c === 'KUBE-NODEPORTS' || c === 'KUBE-SERVICES'
          ? [...rs].sort((a, b) => (svcName(a) < svcName(b) ? -1 : svcName(a) > svcName(b) ? 1 : 0))
          : rs
      })
      return [head, ...chains, ...byChain, 'COMMIT'].join('\n')
    })
  return `${out.join('\n')}\n`
}

// kube-proxy's fake proxier knows only the Services its test declares: leave out the cluster's
// own default/kubernetes and kube-system/kube-dns.
const onlyDeclared = (svcs: BuiltService[]) =>
  svcs.filter(
    (s) => !(s.namespace === 'default' && s.name === 'kubernetes') && s.namespace !== 'kube-system',
  )

// kube-proxy's fake proxier (NewFakeProxier): mark 0x4000, pod CIDR 10.0.0.0/8, no --random-fully.
const TEST_PROXIER: Omit<KubeProxyOptions, 'node'> = {
  clusterCIDR: parseCidr('10.0.0.0/8'),
  masqueradeAll: false,
  mark: '0x4000',
  randomFully: false,
  nfacct: false,
  // proxier_test.go testNodeIP
  nodeIP: 0xc0a80002,
}

const threeEndpoints = `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  clusterCIDR: 10.0.0.0/8
  serviceCIDR: 172.30.0.0/16
  nodes: [{name: test-node, ip: 192.168.0.2, podCIDR: 10.0.0.0/24}]
---
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec:
  clusterIP: 172.30.1.1
  ports: [{port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: svc1-abcde
  namespace: ns1
  labels: {kubernetes.io/service-name: svc1}
addressType: IPv4
ports: [{port: 80, protocol: TCP}]
endpoints:
  - addresses: [10.0.1.1]
  - addresses: [10.0.1.2]
  - addresses: [10.0.1.3]
`

// pkg/proxy/iptables/proxier_test.go, TestInternalTrafficPolicyE2E, clusterExpectedIPTables.
const KUBE_PROXY_EXPECTED = `*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-3JOIVZTXZZRGORX4 - [0:0]
:KUBE-SEP-IO5XOSKPAXIFQXAJ - [0:0]
:KUBE-SEP-XGJFVO3L2O5SRFNT - [0:0]
:KUBE-SVC-AQI2S6QIMU7PVVRP - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -s 10.0.1.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -s 10.0.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.2:80
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -s 10.0.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.3:80
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-3JOIVZTXZZRGORX4
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IO5XOSKPAXIFQXAJ
-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.3:80" -j KUBE-SEP-XGJFVO3L2O5SRFNT
COMMIT
`

describe('kube-proxy iptables mode: the rules it writes', () => {
  it('hashes chain names as portProtoHash does (sha256, base32, 16 characters)', () => {
    expect(portProtoHash('ns1/svc1:p80', 'tcp')).toBe('XPGD46QRK7WJZT7O')
    expect(portProtoHash('kube-system/kube-dns:dns', 'udp')).toBe('TCOU7JCQXEZGVUNU')
    expect(portProtoHash('default/kubernetes:https', 'tcp')).toBe('NPX46M4PTMTKRN6Y')
  })

  it('writes probabilities 1/(n-i) with ten decimals', () => {
    expect([3, 2].map(probability)).toEqual(['0.3333333333', '0.5000000000'])
  })

  it("matches kube-proxy's own expected rules, line for line, for a Service with three endpoints", () => {
    const { cluster } = build(threeEndpoints)
    const rules = kubeProxyIptables(onlyDeclared(cluster.services), {
      ...TEST_PROXIER,
      node: 'test-node',
    })
    expect(sortLikeKubeProxyTests(restoreText(rules))).toBe(KUBE_PROXY_EXPECTED)
  })

  it('REJECTs in the filter table when a Service has no endpoints', () => {
    const { cluster } = build(threeEndpoints.replace(/endpoints:[\s\S]*$/, 'endpoints: []\n'))
    const text = restoreText(
      kubeProxyIptables(onlyDeclared(cluster.services), { ...TEST_PROXIER, node: 'test-node' }),
    )
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j REJECT',
    )
    expect(text).not.toContain('KUBE-SVC-')
  })

  it('DROPs when internalTrafficPolicy is Local and this node has no endpoint', () => {
    const { cluster } = build(
      threeEndpoints.replace(
        'ports: [{port: 80, protocol: TCP}]\n---',
        'ports: [{port: 80, protocol: TCP}]\n  internalTrafficPolicy: Local\n---',
      ),
    )
    const text = restoreText(
      kubeProxyIptables(onlyDeclared(cluster.services), { ...TEST_PROXIER, node: 'test-node' }),
    )
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no local endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j DROP',
    )
  })

  it('masquerades all Service traffic with masqueradeAll', () => {
    const { cluster } = build(threeEndpoints)
    const text = restoreText(
      kubeProxyIptables(onlyDeclared(cluster.services), {
        ...TEST_PROXIER,
        masqueradeAll: true,
        node: 'test-node',
      }),
    )
    expect(text).toContain(
      '-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-MARK-MASQ',
    )
  })
})

const loadBalancer = `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  clusterCIDR: 10.0.0.0/8
  serviceCIDR: 172.30.0.0/16
  nodes: [{name: test-node, ip: 192.168.0.2, podCIDR: 10.0.0.0/24}]
---
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec:
  type: LoadBalancer
  clusterIP: 172.30.0.41
  ports: [{name: p80, port: 80, protocol: TCP, nodePort: 30001}]
  loadBalancerSourceRanges: [192.168.0.0/24, " 203.0.113.0/25"]
status:
  loadBalancer:
    ingress: [{ip: 1.2.3.4}, {ip: 5.6.7.8}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: svc1-abcde
  namespace: ns1
  labels: {kubernetes.io/service-name: svc1}
addressType: IPv4
ports: [{name: p80, port: 80, protocol: TCP}]
endpoints:
  - addresses: [10.180.0.1]
`

// pkg/proxy/iptables/proxier_test.go, TestLoadBalancer (its node port 3001 is outside the API
// server's range, which PodPath enforces, so 30001 here).
const KUBE_PROXY_LB_EXPECTED = `*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by KUBE-FW-XPGD46QRK7WJZT7O" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by KUBE-FW-XPGD46QRK7WJZT7O" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-XPGD46QRK7WJZT7O - [0:0]
:KUBE-FW-XPGD46QRK7WJZT7O - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 30001 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 192.168.0.0/24 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 1.2.3.4 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 5.6.7.8 -j KUBE-EXT-XPGD46QRK7WJZT7O
-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
COMMIT
`

describe('kube-proxy iptables mode: LoadBalancer, externalIPs and endpoint conditions', () => {
  const rulesOf = (yaml: string) =>
    restoreText(
      kubeProxyIptables(onlyDeclared(build(yaml).cluster.services), {
        ...TEST_PROXIER,
        node: 'test-node',
      }),
    )

  it("matches kube-proxy's TestLoadBalancer line for line: LB IPs, the KUBE-FW chain, the firewall DROP", () => {
    expect(sortLikeKubeProxyTests(rulesOf(loadBalancer))).toBe(KUBE_PROXY_LB_EXPECTED)
  })

  it('leaves out the allow-from-node rules when no source range holds the node address', () => {
    const text = rulesOf(loadBalancer.replace('192.168.0.0/24, ', ''))
    expect(text).not.toContain('-s 1.2.3.4 -j KUBE-EXT')
    expect(text).toContain('-s 203.0.113.0/25 -j KUBE-EXT-XPGD46QRK7WJZT7O')
  })

  it('sends LB traffic straight to KUBE-EXT without source ranges, and writes nothing for a hostname-only ingress', () => {
    const plain = rulesOf(loadBalancer.replace(/ {2}loadBalancerSourceRanges.*\n/, ''))
    expect(plain).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-XPGD46QRK7WJZT7O',
    )
    expect(plain).not.toContain('KUBE-FW-')
    const aws = rulesOf(
      loadBalancer.replace(
        '[{ip: 1.2.3.4}, {ip: 5.6.7.8}]',
        '[{hostname: a1b2.us-east-1.elb.amazonaws.com}]',
      ),
    )
    expect(aws).not.toContain('loadbalancer IP')
    expect(aws).not.toContain('KUBE-FW-')
    expect(aws).toContain('--dport 30001 -j KUBE-EXT-XPGD46QRK7WJZT7O')
  })

  it('captures spec.externalIPs in KUBE-SERVICES, to KUBE-EXT', () => {
    const text = rulesOf(
      threeEndpoints.replace(
        'ports: [{port: 80, protocol: TCP}]\n---',
        'ports: [{port: 80, protocol: TCP}]\n  externalIPs: [192.168.99.11]\n---',
      ),
    )
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1 external IP" -m tcp -p tcp -d 192.168.99.11 --dport 80 -j KUBE-EXT-AQI2S6QIMU7PVVRP',
    )
    expect(text).toContain(
      '-A KUBE-EXT-AQI2S6QIMU7PVVRP -m comment --comment "masquerade traffic for ns1/svc1 external destinations" -j KUBE-MARK-MASQ',
    )
  })

  it('REJECTs external IPs and LB IPs in KUBE-EXTERNAL-SERVICES when there are no endpoints', () => {
    const text = rulesOf(loadBalancer.replace(/endpoints:[\s\S]*$/, 'endpoints: []\n'))
    expect(text).toContain(
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j REJECT',
    )
    expect(text).not.toContain('KUBE-FW-')
  })

  it('accepts the health check node port of a LoadBalancer with externalTrafficPolicy Local', () => {
    const text = rulesOf(
      loadBalancer.replace(
        '  type: LoadBalancer\n',
        '  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 30000\n',
      ),
    )
    expect(text).toContain(
      '-A KUBE-NODEPORTS -m comment --comment "ns1/svc1:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT',
    )
  })

  it('leaves not-ready endpoints out of the KUBE-SVC chain', () => {
    const text = rulesOf(
      threeEndpoints.replace(
        '  - addresses: [10.0.1.2]',
        '  - addresses: [10.0.1.2]\n    conditions: {ready: false}',
      ),
    )
    expect(text).not.toContain('10.0.1.2:80')
    expect(text).toContain(
      '"ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.5000000000',
    )
  })

  it('falls back to serving, terminating endpoints when none is ready, and REJECTs when none serves', () => {
    const all = (cond: string) =>
      threeEndpoints.replace(
        / {2}- addresses: \[(10\.0\.1\.\d)\]/g,
        `  - addresses: [$1]\n    conditions: ${cond}`,
      )
    const fallback = rulesOf(all('{ready: false, serving: true, terminating: true}'))
    expect(fallback).toContain('-j DNAT --to-destination 10.0.1.3:80')
    expect(fallback).not.toContain('has no endpoints')
    const none = rulesOf(all('{ready: false, serving: false, terminating: false}'))
    expect(none).toContain('"ns1/svc1 has no endpoints"')
    expect(none).not.toContain('KUBE-SVC-')
  })
})

describe('what iptables-save prints back on the node', () => {
  const { cluster } = build(threeEndpoints)
  const save = iptablesSave(
    kubeProxyIptables(onlyDeclared(cluster.services), {
      ...TEST_PROXIER,
      randomFully: true,
      node: 'test-node',
    }),
  )

  it('reorders fields, adds /32, quotes comments, and reads MARK and probabilities back as the kernel stores them', () => {
    expect(save).toContain(
      '-A KUBE-SERVICES -d 172.30.1.1/32 -p tcp -m comment --comment "ns1/svc1 cluster IP" -m tcp --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP',
    )
    expect(save).toContain(
      '-A KUBE-SVC-AQI2S6QIMU7PVVRP ! -s 10.0.0.0/8 -d 172.30.1.1/32 -p tcp -m comment --comment "ns1/svc1 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    )
    expect(save).toContain(
      '-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-3JOIVZTXZZRGORX4',
    )
    expect(save).toContain(
      '-m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-IO5XOSKPAXIFQXAJ',
    )
    expect(save).toContain(
      '-A KUBE-SEP-3JOIVZTXZZRGORX4 -s 10.0.1.1/32 -m comment --comment "ns1/svc1" -j KUBE-MARK-MASQ',
    )
    expect(save).toContain(
      '-A KUBE-SEP-3JOIVZTXZZRGORX4 -p tcp -m comment --comment "ns1/svc1" -m tcp -j DNAT --to-destination 10.0.1.1:80',
    )
    expect(save).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000')
    expect(save).toContain('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0')
    expect(save).toContain(
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    )
    expect(save).toContain(
      '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    )
  })

  it('frames the tables as iptables-save does, with the jump rules in the built-in chains', () => {
    expect(save).toMatch(
      /^\*filter\n:INPUT ACCEPT \[0:0\]\n:FORWARD ACCEPT \[0:0\]\n:OUTPUT ACCEPT \[0:0\]\n/,
    )
    expect(save).toContain(
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    )
    expect(save).toContain(
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    )
    expect(save.match(/^COMMIT$/gm)).toHaveLength(2)
  })

  it('prints a REJECT with its default icmp-port-unreachable', () => {
    const { cluster: c } = build(threeEndpoints.replace(/endpoints:[\s\S]*$/, 'endpoints: []\n'))
    expect(
      iptablesSave(
        kubeProxyIptables(onlyDeclared(c.services), { ...TEST_PROXIER, node: 'test-node' }),
      ),
    ).toContain(
      '-A KUBE-SERVICES -d 172.30.1.1/32 -p tcp -m comment --comment "ns1/svc1 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    )
  })

  it('prints two spaces before an nfacct counter name, as libxt_nfacct does', () => {
    const { cluster: c } = build(
      threeEndpoints.replace(
        'ports: [{port: 80, protocol: TCP}]\n---',
        'type: NodePort\n  ports: [{port: 80, protocol: TCP, nodePort: 30080}]\n---',
      ),
    )
    const saved = iptablesSave(
      kubeProxyIptables(onlyDeclared(c.services), {
        ...TEST_PROXIER,
        nfacct: true,
        node: 'test-node',
      }),
    )
    expect(saved).toContain(
      '-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP',
    )
    expect(saved).toContain(
      '-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns1/svc1" -m tcp --dport 30080 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-AQI2S6QIMU7PVVRP',
    )
  })

  it('rounds probabilities as the kernel stores them', () => {
    expect(
      ['0.3333333333', '0.2000000000', '0.1666666667', '0.1000000000'].map(savedProbability),
    ).toEqual(['0.33333333349', '0.20000000019', '0.16666666651', '0.10000000009'])
  })
})
