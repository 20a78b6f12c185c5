import { describe, expect, it } from 'vitest'
import { parseCidr, parseIp } from '../../model/ipv4.ts'
import type { BuiltService } from '../services/service.ts'
import { build } from '../../test/scenario.ts'
import { nftListTable, nftTime, priorityName } from '../print/nft-list.ts'
import {
  goHexMark,
  hashAndTruncate,
  kubeProxyNftables,
  type NftablesOptions,
} from './nftables-rules.ts'
import { transactionText } from './nft-write.ts'

/**
 * kube-proxy's helpers_test.go sortNFTablesTransaction: drop blank lines and comments, sort by
 * object type (table, chain, rule, set, map, element), then by object name; rules of one chain
 * keep their order, other lines of one object sort as whole lines.
 */
function sortLikeKubeProxyTests(tx: string): string {
  const order: Record<string, number> = { table: 10, chain: 9, rule: 8, set: 7, map: 6, element: 5 }
  const lines = tx.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  const indexed = lines.map((l, i) => ({ l, i, w: l.split(' ') }))
  indexed.sort((a, b) => {
    const ta = order[a.w[1]!] ?? 0
    const tb = order[b.w[1]!] ?? 0
    if (ta !== tb) return tb - ta
    if (a.w[4] !== b.w[4]) return a.w[4]! < b.w[4]! ? -1 : 1
    if (a.w[1] === 'rule') return a.i - b.i
    return a.l < b.l ? -1 : a.l > b.l ? 1 : a.i - b.i
  })
  return indexed.map((x) => x.l).join('\n')
}

// kube-proxy's NewFakeProxier: pod CIDR 10.0.0.0/8, Service CIDR 172.30.0.0/16, mark "0x4000",
// node IP 192.168.0.2 as the only nodePortAddress.
const TEST_PROXIER: NftablesOptions = {
  node: 'test-node',
  nodeIP: parseIp('192.168.0.2')!,
  clusterCIDR: parseCidr('10.0.0.0/8'),
  serviceCIDRs: [parseCidr('172.30.0.0/16')!],
  masqueradeAll: false,
  mark: 0x4000,
  markText: '0x4000',
}

// proxier_test.go baseRules: what every sync writes, before any Service.
const BASE_RULES = `
add table ip kube-proxy { comment "rules for kube-proxy" ; }

add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }

add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }
add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }

add chain ip kube-proxy cluster-ips-check
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }
add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }
add chain ip kube-proxy firewall-check
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy masquerading
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy nodeport-endpoints-check
add chain ip kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add chain ip kube-proxy services
add chain ip kube-proxy service-endpoints-check

add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip kube-proxy cluster-ips-check ip daddr { 172.30.0.0/16 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip kube-proxy filter-prerouting-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-output ct state new jump cluster-ips-check
add rule ip kube-proxy firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip kube-proxy masquerading mark set mark xor 0x4000
add rule ip kube-proxy masquerading masquerade fully-random
add rule ip kube-proxy nat-output jump services
add rule ip kube-proxy nat-postrouting jump masquerading
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip kube-proxy reject-chain reject
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports

add element ip kube-proxy nodeport-ips { 192.168.0.2 }
add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services
`

const cluster = `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  clusterCIDR: 10.0.0.0/8
  serviceCIDR: 172.30.0.0/16
  kubeProxy: {mode: nftables}
  nodes: [{name: test-node, ip: 192.168.0.2, podCIDR: 10.0.0.0/24}]
`

function service(ns: string, name: string, ip: string, eps: string[], extra = ''): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  clusterIP: ${ip}
  ports: [{name: p80, port: 80, protocol: TCP${extra}}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}-1
  namespace: ${ns}
  labels: {kubernetes.io/service-name: ${name}}
addressType: IPv4
ports: [{name: p80, port: 80, protocol: TCP}]
endpoints: [${eps.map((e) => `{addresses: [${e}]}`).join(', ')}]
`
}

// kube-proxy's fake proxier knows only the Services its test declares.
const onlyDeclared = (svcs: BuiltService[]) =>
  svcs.filter(
    (s) => !(s.namespace === 'default' && s.name === 'kubernetes') && s.namespace !== 'kube-system',
  )

describe('kube-proxy nftables mode: the table it writes', () => {
  it('names chains as hashAndTruncate does (8 characters of base32(sha256)), the readable name after', () => {
    expect(hashAndTruncate('ns1/svc1/tcp/p80')).toBe('ULMVA6XW-ns1/svc1/tcp/p80')
    expect(hashAndTruncate('ns1/svc1/tcp/p80__10.180.0.1/80')).toBe(
      '5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80',
    )
    expect(hashAndTruncate('ns5/svc5/tcp/p80__10.180.0.3/80')).toBe(
      'GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
    )
  })

  it('spells the mark as Go\'s "%#08x" does', () => {
    expect(goHexMark(0x4000)).toBe('0x004000')
  })

  it("matches kube-proxy's own expectation line for line: three Services, one with two endpoints (TestSyncProxyRulesRepeated)", () => {
    const { cluster: c } = build(
      cluster +
        service('ns1', 'svc1', '172.30.0.41', ['10.0.1.1']) +
        service('ns3', 'svc3', '172.30.0.43', ['10.0.3.2', '10.0.3.3']) +
        service('ns4', 'svc4', '172.30.0.44', ['10.0.4.1']),
    )
    // proxier_test.go TestSyncProxyRulesRepeated, after "Add an endpoint to a service".
    const expected =
      BASE_RULES +
      `
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy cluster-ips { 172.30.0.43 }
add element ip kube-proxy cluster-ips { 172.30.0.44 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }

add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80 }
add chain ip kube-proxy endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80
add rule ip kube-proxy endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80 ip saddr 10.0.1.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5TPGNJF2-ns1/svc1/tcp/p80__10.0.1.1/80 meta l4proto tcp dnat to 10.0.1.1:80

add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 , 1 : goto endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80 }
add chain ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80
add rule ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 ip saddr 10.0.3.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80 meta l4proto tcp dnat to 10.0.3.2:80
add chain ip kube-proxy endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80
add rule ip kube-proxy endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80 ip saddr 10.0.3.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80 meta l4proto tcp dnat to 10.0.3.3:80

add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80 }
add chain ip kube-proxy endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80
add rule ip kube-proxy endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80 ip saddr 10.0.4.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-WAHRBT2B-ns4/svc4/tcp/p80__10.0.4.1/80 meta l4proto tcp dnat to 10.0.4.1:80
`
    const got = transactionText(kubeProxyNftables(onlyDeclared(c.services), TEST_PROXIER), '0x4000')
    expect(sortLikeKubeProxyTests(got).split('\n')).toEqual(
      sortLikeKubeProxyTests(expected).split('\n'),
    )
  })

  it('matches TestOverallNFTablesRules for the Service kinds PodPath models: ClusterIP, NodePort, no endpoints', () => {
    const { cluster: c } = build(
      cluster +
        service('ns1', 'svc1', '172.30.0.41', ['10.180.0.1']) +
        service('ns3', 'svc3', '172.30.0.43', ['10.180.0.3'], ', nodePort: 30003').replace(
          'clusterIP: 172.30.0.43',
          'type: NodePort\n  clusterIP: 172.30.0.43',
        ) +
        service('ns6', 'svc6', '172.30.0.46', []),
    )
    const svcs = onlyDeclared(c.services)
    // kube-proxy's test uses node port 3003, below the API server's range; PodPath validates the
    // range, so the port is set after the build.
    svcs.find((s) => s.name === 'svc3')!.ports[0]!.nodePort = 3003
    const expected =
      BASE_RULES +
      `
# svc1
add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }

add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80

add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }

# svc3
add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 }
add chain ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 goto service-4AT6LBPK-ns3/svc3/tcp/p80
add chain ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80

add element ip kube-proxy cluster-ips { 172.30.0.43 }
add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }

# svc6
add element ip kube-proxy cluster-ips { 172.30.0.46 }
add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }
`
    const got = transactionText(kubeProxyNftables(svcs, TEST_PROXIER), '0x4000')
    expect(sortLikeKubeProxyTests(got).split('\n')).toEqual(
      sortLikeKubeProxyTests(expected).split('\n'),
    )
  })

  it('matches TestOverallNFTablesRules line for line: LoadBalancer (Local, and Cluster with source ranges), external IPs, NodePort', () => {
    const typed = (ns: string, name: string, ip: string, eps: string[], spec: string) =>
      service(ns, name, ip, eps).replace(`clusterIP: ${ip}`, `${spec}\n  clusterIP: ${ip}`)
    // status goes in the Service document, before its EndpointSlice.
    const lbStatus = (yaml: string, ip: string) =>
      yaml.replace(
        '---\napiVersion: discovery.k8s.io/v1',
        `status:\n  loadBalancer:\n    ingress: [{ip: ${ip}}]\n---\napiVersion: discovery.k8s.io/v1`,
      )
    const { cluster: c } = build(
      cluster +
        service('ns1', 'svc1', '172.30.0.41', ['10.180.0.1']) +
        lbStatus(
          typed(
            'ns2',
            'svc2',
            '172.30.0.42',
            ['10.180.0.2'],
            'type: LoadBalancer\n  externalTrafficPolicy: Local\n  externalIPs: [192.168.99.22]',
          ),
          '1.2.3.4',
        ) +
        typed('ns3', 'svc3', '172.30.0.43', ['10.180.0.3'], 'type: NodePort') +
        typed(
          'ns4',
          'svc4',
          '172.30.0.44',
          [],
          'type: NodePort\n  externalIPs: [192.168.99.33]',
        ).replace(
          'endpoints: []',
          'endpoints: [{addresses: [10.180.0.4]}, {addresses: [10.180.0.5], nodeName: test-node}]',
        ) +
        lbStatus(
          typed(
            'ns5',
            'svc5',
            '172.30.0.45',
            ['10.180.0.3'],
            'type: LoadBalancer\n  loadBalancerSourceRanges: [203.0.113.0/25]\n  sessionAffinity: ClientIP',
          ),
          '5.6.7.8',
        ) +
        service('ns6', 'svc6', '172.30.0.46', []),
    )
    const svcs = onlyDeclared(c.services)
    // The test's fake proxier takes node ports as given (3001, 3003, 3002) and svc4 has none;
    // PodPath allocates from the API server's range, so they are set after the build.
    const ports: Record<string, number | null> = { svc2: 3001, svc3: 3003, svc4: null, svc5: 3002 }
    for (const s of svcs) if (s.name in ports) s.ports[0]!.nodePort = ports[s.name]!
    // proxier_test.go TestOverallNFTablesRules (its svc2 endpoint has no nodeName, so it is not
    // local and the Local policy has nothing to send external traffic to).
    const svc = (n: string, h: string) => `${h}-ns${n}/svc${n}/tcp/p80`
    const [s1, s2, s3, s4, s5] = [
      svc('1', 'ULMVA6XW'),
      svc('2', '42NFTM6N'),
      svc('3', '4AT6LBPK'),
      svc('4', 'LAUZTJTB'),
      svc('5', 'HVFWP5L3'),
    ]
    const ep = (n: string, h: string, ip: string) =>
      `endpoint-${h}-ns${n}/svc${n}/tcp/p80__${ip}/80`
    const e1 = ep('1', '5OJB2KTY', '10.180.0.1')
    const e2 = ep('2', 'SGOXE6O3', '10.180.0.2')
    const e3 = ep('3', 'UEIP74TE', '10.180.0.3')
    const e4a = ep('4', 'UNZV3OEC', '10.180.0.4')
    const e4b = ep('4', '5RFCDDV7', '10.180.0.5')
    const e5 = ep('5', 'GTK6MW7G', '10.180.0.3')
    const aff5 = e5.replace('endpoint-', 'affinity-')
    const masqIf = (chain: string, ip: string) =>
      `add rule ip kube-proxy ${chain} ip daddr ${ip} tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade`
    const epRules = (chain: string, ip: string, extra: string[] = []) => [
      `add chain ip kube-proxy ${chain}`,
      `add rule ip kube-proxy ${chain} ip saddr ${ip} jump mark-for-masquerade`,
      ...extra,
      `add rule ip kube-proxy ${chain} meta l4proto tcp dnat to ${ip}:80`,
    ]
    const expected = [
      BASE_RULES,
      // svc1
      `add chain ip kube-proxy service-${s1}`,
      masqIf(`service-${s1}`, '172.30.0.41'),
      `add rule ip kube-proxy service-${s1} numgen random mod 1 vmap { 0 : goto ${e1} }`,
      ...epRules(e1, '10.180.0.1'),
      'add element ip kube-proxy cluster-ips { 172.30.0.41 }',
      `add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-${s1} }`,
      // svc2
      `add chain ip kube-proxy service-${s2}`,
      masqIf(`service-${s2}`, '172.30.0.42'),
      `add rule ip kube-proxy service-${s2} numgen random mod 1 vmap { 0 : goto ${e2} }`,
      `add chain ip kube-proxy external-${s2}`,
      `add rule ip kube-proxy external-${s2} ip saddr 10.0.0.0/8 goto service-${s2} comment "short-circuit pod traffic"`,
      `add rule ip kube-proxy external-${s2} fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"`,
      `add rule ip kube-proxy external-${s2} fib saddr type local goto service-${s2} comment "short-circuit local traffic"`,
      ...epRules(e2, '10.180.0.2'),
      'add element ip kube-proxy cluster-ips { 172.30.0.42 }',
      `add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 80 : goto service-${s2} }`,
      `add element ip kube-proxy service-ips { 192.168.99.22 . tcp . 80 : goto external-${s2} }`,
      `add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-${s2} }`,
      `add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-${s2} }`,
      'add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns2/svc2:p80" : drop }',
      'add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }',
      'add element ip kube-proxy no-endpoint-services { 192.168.99.22 . tcp . 80 comment "ns2/svc2:p80" : drop }',
      // svc3
      `add chain ip kube-proxy service-${s3}`,
      masqIf(`service-${s3}`, '172.30.0.43'),
      `add rule ip kube-proxy service-${s3} numgen random mod 1 vmap { 0 : goto ${e3} }`,
      `add chain ip kube-proxy external-${s3}`,
      `add rule ip kube-proxy external-${s3} jump mark-for-masquerade`,
      `add rule ip kube-proxy external-${s3} goto service-${s3}`,
      ...epRules(e3, '10.180.0.3'),
      'add element ip kube-proxy cluster-ips { 172.30.0.43 }',
      `add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-${s3} }`,
      `add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-${s3} }`,
      // svc4
      `add chain ip kube-proxy service-${s4}`,
      masqIf(`service-${s4}`, '172.30.0.44'),
      `add rule ip kube-proxy service-${s4} numgen random mod 2 vmap { 0 : goto ${e4a} , 1 : goto ${e4b} }`,
      `add chain ip kube-proxy external-${s4}`,
      `add rule ip kube-proxy external-${s4} jump mark-for-masquerade`,
      `add rule ip kube-proxy external-${s4} goto service-${s4}`,
      ...epRules(e4b, '10.180.0.5'),
      ...epRules(e4a, '10.180.0.4'),
      'add element ip kube-proxy cluster-ips { 172.30.0.44 }',
      `add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-${s4} }`,
      `add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-${s4} }`,
      // svc5
      `add set ip kube-proxy ${aff5} { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }`,
      `add chain ip kube-proxy service-${s5}`,
      masqIf(`service-${s5}`, '172.30.0.45'),
      `add rule ip kube-proxy service-${s5} ip saddr @${aff5} goto ${e5}`,
      `add rule ip kube-proxy service-${s5} numgen random mod 1 vmap { 0 : goto ${e5} }`,
      `add chain ip kube-proxy external-${s5}`,
      `add rule ip kube-proxy external-${s5} jump mark-for-masquerade`,
      `add rule ip kube-proxy external-${s5} goto service-${s5}`,
      ...epRules(e5, '10.180.0.3', [`add rule ip kube-proxy ${e5} update @${aff5} { ip saddr }`]),
      `add chain ip kube-proxy firewall-${s5}`,
      `add rule ip kube-proxy firewall-${s5} ip saddr != { 203.0.113.0/25 } drop`,
      'add element ip kube-proxy cluster-ips { 172.30.0.45 }',
      `add element ip kube-proxy service-ips { 172.30.0.45 . tcp . 80 : goto service-${s5} }`,
      `add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-${s5} }`,
      `add element ip kube-proxy service-nodeports { tcp . 3002 : goto external-${s5} }`,
      `add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-${s5} }`,
      // svc6
      'add element ip kube-proxy cluster-ips { 172.30.0.46 }',
      'add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }',
    ].join('\n')
    const got = transactionText(kubeProxyNftables(svcs, TEST_PROXIER), '0x4000')
    expect(sortLikeKubeProxyTests(got).split('\n')).toEqual(
      sortLikeKubeProxyTests(expected).split('\n'),
    )
  })

  it('lets the node in when a source range holds its address: the LB IPs join the allowed set (proxier.go allowFromNode)', () => {
    const { cluster: c } = build(
      cluster +
        service('ns1', 'svc1', '172.30.0.41', ['10.180.0.1'])
          .replace(
            'clusterIP: 172.30.0.41',
            'type: LoadBalancer\n  loadBalancerSourceRanges: [192.168.0.0/24, 203.0.113.0/25]\n  clusterIP: 172.30.0.41',
          )
          .replace(
            '---\napiVersion: discovery.k8s.io/v1',
            'status:\n  loadBalancer:\n    ingress: [{ip: 1.2.3.4}]\n---\napiVersion: discovery.k8s.io/v1',
          ),
    )
    const got = transactionText(kubeProxyNftables(onlyDeclared(c.services), TEST_PROXIER), '0x4000')
    expect(got).toContain(
      'add rule ip kube-proxy firewall-ULMVA6XW-ns1/svc1/tcp/p80 ip saddr != { 192.168.0.0/24 , 203.0.113.0/25 , 1.2.3.4 } drop',
    )
  })

  it('leaves out a load-balancer ingress in ipMode Proxy: the load balancer, not the node, handles it', () => {
    const yaml = (mode: string) =>
      cluster +
      service('ns1', 'svc1', '172.30.0.41', ['10.180.0.1'])
        .replace('clusterIP: 172.30.0.41', 'type: LoadBalancer\n  clusterIP: 172.30.0.41')
        .replace(
          '---\napiVersion: discovery.k8s.io/v1',
          `status:\n  loadBalancer:\n    ingress: [{ip: 1.2.3.4, ipMode: ${mode}}]\n---\napiVersion: discovery.k8s.io/v1`,
        )
    const table = (mode: string) =>
      transactionText(
        kubeProxyNftables(onlyDeclared(build(yaml(mode)).cluster.services), TEST_PROXIER),
        '0x4000',
      )
    expect(table('VIP')).toContain(
      'add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-',
    )
    expect(table('Proxy')).not.toContain('1.2.3.4')
  })

  it('keeps the affinity set, check and update rules of a ClientIP Service (TestOverallNFTablesRules svc5)', () => {
    const { cluster: c } = build(
      cluster +
        service('ns5', 'svc5', '172.30.0.45', ['10.180.0.3']).replace(
          'clusterIP: 172.30.0.45',
          'sessionAffinity: ClientIP\n  clusterIP: 172.30.0.45',
        ),
    )
    const got = transactionText(kubeProxyNftables(onlyDeclared(c.services), TEST_PROXIER), '0x4000')
    for (const line of [
      'add set ip kube-proxy affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }',
      'add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
      'add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 update @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { ip saddr }',
    ])
      expect(got.split('\n')).toContain(line)
    const rules = got
      .split('\n')
      .filter((l) => l.startsWith('add rule ip kube-proxy service-HVFWP5L3'))
    expect(rules.map((l) => l.split(' ').slice(5, 7).join(' '))).toEqual([
      'ip daddr',
      'ip saddr',
      'numgen random',
    ])
  })

  it('DROPs through no-endpoint-services when internalTrafficPolicy is Local and this node has no endpoint', () => {
    const { cluster: c } = build(
      cluster +
        service('ns1', 'svc1', '172.30.0.41', ['10.180.0.1']).replace(
          'clusterIP: 172.30.0.41',
          'internalTrafficPolicy: Local\n  clusterIP: 172.30.0.41',
        ),
    )
    const got = transactionText(kubeProxyNftables(onlyDeclared(c.services), TEST_PROXIER), '0x4000')
    expect(got).toContain(
      'add element ip kube-proxy no-endpoint-services { 172.30.0.41 . tcp . 80 comment "ns1/svc1:p80" : drop }',
    )
    expect(got).not.toMatch(/add chain ip kube-proxy (service|local|endpoint)-[A-Z0-9]{8}-/)
  })
})

describe('what nft list prints back on the node', () => {
  const { cluster: c } = build(
    cluster +
      service('ns3', 'svc3', '172.30.0.43', ['10.0.3.2', '10.0.3.3', '10.0.3.4']) +
      service('ns6', 'svc6', '172.30.0.46', []),
  )
  const listed = nftListTable(kubeProxyNftables(onlyDeclared(c.services), TEST_PROXIER))

  it('names standard priorities where nft may use them on that hook', () => {
    expect(priorityName(-110, 'prerouting')).toBe('dstnat - 10')
    expect(priorityName(-110, 'output')).toBe('dstnat - 10')
    expect(priorityName(-100, 'output')).toBe('dstnat')
    expect(priorityName(0, 'input')).toBe('filter')
    expect(priorityName(100, 'postrouting')).toBe('srcnat')
    expect(priorityName(-110, 'input')).toBe('-110')
    expect(nftTime(10800)).toBe('3h')
    expect(nftTime(3661)).toBe('1h1m1s')
  })

  it('prints base chains with type, hook, priority and policy, and the mark in 32-bit hex', () => {
    expect(listed).toContain(
      '\tchain nat-prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tjump services\n\t}',
    )
    expect(listed).toContain(
      '\tchain masquerading {\n\t\tmeta mark & 0x00004000 == 0x00000000 return\n\t\tmeta mark set meta mark ^ 0x00004000\n\t\tmasquerade fully-random\n\t}',
    )
    expect(listed).toContain('\t\tmeta mark set meta mark | 0x00004000\n')
    expect(listed).toContain(
      '\t\tip daddr 172.30.0.0/16 drop comment "Drop traffic to unallocated ClusterIPs"\n',
    )
    expect(listed).toContain(
      '\tchain reject-chain {\n\t\tcomment "helper for @no-endpoint-services / @no-endpoint-nodeports"\n\t\treject\n\t}',
    )
  })

  it('prints sets two addresses a line and maps one element a line', () => {
    expect(listed).toContain(
      '\tset cluster-ips {\n\t\ttype ipv4_addr\n\t\tcomment "Active ClusterIPs"\n\t\telements = { 172.30.0.43, 172.30.0.46 }\n\t}',
    )
    expect(listed).toContain(
      '\t\telements = { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }\n',
    )
    expect(listed).toMatch(
      /^table ip kube-proxy \{\n\tcomment "rules for kube-proxy"\n\tset cluster-ips \{/,
    )
  })

  it('prints the numgen vmap on one line, entries joined by ", "', () => {
    expect(listed).toContain(
      '\t\tnumgen random mod 3 vmap { 0 : goto endpoint-SWWHDC7X-ns3/svc3/tcp/p80__10.0.3.2/80, 1 : goto endpoint-TQ2QKHCZ-ns3/svc3/tcp/p80__10.0.3.3/80, 2 : goto ',
    )
  })
})
