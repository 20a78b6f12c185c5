/**
 * The iptables rules kube-proxy still writes in IPVS mode (pkg/proxy/ipvs writeIptablesRules,
 * acceptIPVSTraffic): a handful of rules that match ipsets instead of one chain per Service, and
 * the ipsets' contents on a node.
 */
import { cidrContains, formatCidr, formatIp } from '../../model/ipv4.ts'
import { externalPolicyLocal, loadBalancerVIPs } from '../services/service.ts'
import type { Cluster } from '../cluster.ts'
import {
  forwardAcceptRules,
  masqueradeRules,
  type IptablesRules,
  type KubeProxyOptions,
  type RestoreRule,
} from './iptables-rules.ts'

export interface IpSets {
  /** hash:ip,port entries "ip,proto:port". */
  'KUBE-CLUSTER-IP': Set<string>
  /** hash:ip,port,ip entries "endpoint,proto:port,endpoint" (hairpin). */
  'KUBE-LOOP-BACK': Set<string>
  /** hash:ip,port: external IPs (Cluster policy, masqueraded) and with Local policy. */
  'KUBE-EXTERNAL-IP': Set<string>
  'KUBE-EXTERNAL-IP-LOCAL': Set<string>
  /** hash:ip,port: load-balancer IPs; those with Local policy; those with source ranges. */
  'KUBE-LOAD-BALANCER': Set<string>
  'KUBE-LOAD-BALANCER-LOCAL': Set<string>
  'KUBE-LOAD-BALANCER-FW': Set<string>
  /** hash:ip,port,net "lbip,proto:port,cidr" and hash:ip,port,ip "lbip,proto:port,lbip". */
  'KUBE-LOAD-BALANCER-SOURCE-CIDR': Set<string>
  'KUBE-LOAD-BALANCER-SOURCE-IP': Set<string>
  /** bitmap:port */
  'KUBE-NODE-PORT-TCP': Set<number>
  'KUBE-NODE-PORT-UDP': Set<number>
  'KUBE-NODE-PORT-LOCAL-TCP': Set<number>
  'KUBE-NODE-PORT-LOCAL-UDP': Set<number>
  'KUBE-HEALTH-CHECK-NODE-PORT': Set<number>
  /** hash:ip: every address bound to kube-ipvs0. */
  'KUBE-IPVS-IPS': Set<string>
}

/** The set comments kube-proxy gives (pkg/proxy/ipvs/ipset.go), used in its rules. */
export const SET_COMMENTS: Record<keyof IpSets, string> = {
  'KUBE-CLUSTER-IP': 'Kubernetes service cluster ip + port for masquerade purpose',
  'KUBE-LOOP-BACK': 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  'KUBE-EXTERNAL-IP': 'Kubernetes service external ip + port for masquerade and filter purpose',
  'KUBE-EXTERNAL-IP-LOCAL':
    'Kubernetes service external ip + port with externalTrafficPolicy=local',
  'KUBE-LOAD-BALANCER': 'Kubernetes service lb portal',
  'KUBE-LOAD-BALANCER-LOCAL':
    'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  'KUBE-LOAD-BALANCER-FW':
    'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR':
    'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  'KUBE-LOAD-BALANCER-SOURCE-IP':
    'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  'KUBE-NODE-PORT-TCP': 'Kubernetes nodeport TCP port for masquerade purpose',
  'KUBE-NODE-PORT-UDP': 'Kubernetes nodeport UDP port for masquerade purpose',
  'KUBE-NODE-PORT-LOCAL-TCP': 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  'KUBE-NODE-PORT-LOCAL-UDP': 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  'KUBE-HEALTH-CHECK-NODE-PORT': 'Kubernetes health check node port',
  'KUBE-IPVS-IPS': 'Addresses on the ipvs interface',
}

/** The ipsets' contents on a node (syncProxyRules fills them service port by service port). */
export function ipSets(c: Cluster, node: string): IpSets {
  const sets: IpSets = {
    'KUBE-CLUSTER-IP': new Set(),
    'KUBE-LOOP-BACK': new Set(),
    'KUBE-EXTERNAL-IP': new Set(),
    'KUBE-EXTERNAL-IP-LOCAL': new Set(),
    'KUBE-LOAD-BALANCER': new Set(),
    'KUBE-LOAD-BALANCER-LOCAL': new Set(),
    'KUBE-LOAD-BALANCER-FW': new Set(),
    'KUBE-LOAD-BALANCER-SOURCE-CIDR': new Set(),
    'KUBE-LOAD-BALANCER-SOURCE-IP': new Set(),
    'KUBE-NODE-PORT-TCP': new Set(),
    'KUBE-NODE-PORT-UDP': new Set(),
    'KUBE-NODE-PORT-LOCAL-TCP': new Set(),
    'KUBE-NODE-PORT-LOCAL-UDP': new Set(),
    'KUBE-HEALTH-CHECK-NODE-PORT': new Set(),
    'KUBE-IPVS-IPS': new Set(),
  }
  const nodeIP = c.nodeByName.get(node)?.ip ?? null
  for (const svc of c.services) {
    if (svc.clusterIP === null) continue
    const local = externalPolicyLocal(svc)
    sets['KUBE-IPVS-IPS'].add(formatIp(svc.clusterIP))
    for (const p of svc.ports) {
      const proto = p.protocol.toLowerCase()
      const entry = (ip: number) => `${formatIp(ip)},${proto}:${p.port}`
      sets['KUBE-CLUSTER-IP'].add(entry(svc.clusterIP))
      for (const e of p.endpoints)
        if (e.node === node)
          sets['KUBE-LOOP-BACK'].add(`${formatIp(e.ip)},${proto}:${e.port},${formatIp(e.ip)}`)
      for (const ip of svc.externalIPs) {
        sets[local ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP'].add(entry(ip))
        sets['KUBE-IPVS-IPS'].add(formatIp(ip))
      }
      for (const ip of loadBalancerVIPs(svc)) {
        sets['KUBE-LOAD-BALANCER'].add(entry(ip))
        sets['KUBE-IPVS-IPS'].add(formatIp(ip))
        if (local) sets['KUBE-LOAD-BALANCER-LOCAL'].add(entry(ip))
        const ranges = svc.decl.loadBalancerSourceRanges
        if (ranges.length === 0) continue
        sets['KUBE-LOAD-BALANCER-FW'].add(entry(ip))
        for (const r of ranges)
          sets['KUBE-LOAD-BALANCER-SOURCE-CIDR'].add(`${entry(ip)},${formatCidr(r)}`)
        if (nodeIP !== null && ranges.some((r) => cidrContains(r, nodeIP)))
          sets['KUBE-LOAD-BALANCER-SOURCE-IP'].add(`${entry(ip)},${formatIp(ip)}`)
      }
      if (p.nodePort !== null && (p.protocol === 'TCP' || p.protocol === 'UDP')) {
        sets[`KUBE-NODE-PORT-${p.protocol}`].add(p.nodePort)
        if (local) sets[`KUBE-NODE-PORT-LOCAL-${p.protocol}`].add(p.nodePort)
      }
    }
    if (svc.healthCheckNodePort !== null)
      sets['KUBE-HEALTH-CHECK-NODE-PORT'].add(svc.healthCheckNodePort)
  }
  return sets
}

/** LB VIPs with source ranges that leave this node out: kube-proxy blocks the node's own access. */
function lbNoNodeAccess(c: Cluster, node: string): { ip: string; proto: string; port: number }[] {
  const nodeIP = c.nodeByName.get(node)?.ip ?? null
  const out: { ip: string; proto: string; port: number }[] = []
  for (const svc of c.services) {
    const ranges = svc.decl.loadBalancerSourceRanges
    if (svc.clusterIP === null || ranges.length === 0) continue
    if (nodeIP !== null && ranges.some((r) => cidrContains(r, nodeIP))) continue
    for (const p of svc.ports)
      for (const ip of loadBalancerVIPs(svc))
        out.push({ ip: formatIp(ip), proto: p.protocol.toLowerCase(), port: p.port })
  }
  return out
}

const c = (comment: string) => ['-m', 'comment', '--comment', `"${comment}"`]

/**
 * ipsetWithIptablesChain: one rule per non-empty set, `-A <from> [-p proto] -m comment
 * --comment <set comment> -m set --match-set <set> <match> -j <to>`, in this order.
 */
const SET_CHAINS: {
  set: keyof IpSets
  table: 'nat' | 'filter'
  from: string
  to: string
  match: string
  proto?: string
}[] = [
  {
    set: 'KUBE-LOOP-BACK',
    table: 'nat',
    from: 'KUBE-POSTROUTING',
    to: 'MASQUERADE',
    match: 'dst,dst,src',
  },
  {
    set: 'KUBE-LOAD-BALANCER',
    table: 'nat',
    from: 'KUBE-SERVICES',
    to: 'KUBE-LOAD-BALANCER',
    match: 'dst,dst',
  },
  {
    set: 'KUBE-LOAD-BALANCER-LOCAL',
    table: 'nat',
    from: 'KUBE-LOAD-BALANCER',
    to: 'RETURN',
    match: 'dst,dst',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-TCP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    match: 'dst',
    proto: 'tcp',
  },
  {
    set: 'KUBE-NODE-PORT-TCP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    match: 'dst',
    proto: 'tcp',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-UDP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    match: 'dst',
    proto: 'udp',
  },
  {
    set: 'KUBE-NODE-PORT-UDP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    match: 'dst',
    proto: 'udp',
  },
  {
    set: 'KUBE-LOAD-BALANCER-FW',
    table: 'filter',
    from: 'KUBE-PROXY-FIREWALL',
    to: 'KUBE-SOURCE-RANGES-FIREWALL',
    match: 'dst,dst',
  },
  {
    set: 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    match: 'dst,dst,src',
  },
  {
    set: 'KUBE-LOAD-BALANCER-SOURCE-IP',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    match: 'dst,dst,src',
  },
]

/** writeIptablesRules in pkg/proxy/ipvs/proxier.go, rule for rule. */
/** `sets`: the node's ipsets, when the caller already has them (kube-proxy.ts keeps them per node). */
export function kubeProxyIpvsIptables(
  cl: Cluster,
  o: KubeProxyOptions,
  sets: IpSets = ipSets(cl, o.node),
): IptablesRules {
  const rules: RestoreRule[] = []
  const n = (chain: string, ...args: string[]) => rules.push({ table: 'nat', chain, args })
  const f = (chain: string, ...args: string[]) => rules.push({ table: 'filter', chain, args })
  n('KUBE-SERVICES', '-s', '127.0.0.0/8', '-j', 'RETURN')
  for (const s of SET_CHAINS) {
    if (sets[s.set].size === 0) continue
    const args = [
      ...(s.proto ? ['-p', s.proto] : []),
      ...c(SET_COMMENTS[s.set]),
      '-m',
      'set',
      '--match-set',
      s.set,
      s.match,
      '-j',
      s.to,
    ]
    if (s.table === 'nat') n(s.from, ...args)
    else f(s.from, ...args)
  }
  if (sets['KUBE-CLUSTER-IP'].size) {
    const clusterIp = [
      ...c(SET_COMMENTS['KUBE-CLUSTER-IP']),
      '-m',
      'set',
      '--match-set',
      'KUBE-CLUSTER-IP',
    ]
    if (o.masqueradeAll) n('KUBE-SERVICES', ...clusterIp, 'dst,dst', '-j', 'KUBE-MARK-MASQ')
    else if (o.clusterCIDR)
      n(
        'KUBE-SERVICES',
        ...clusterIp,
        'dst,dst',
        '!',
        '-s',
        formatCidr(o.clusterCIDR),
        '-j',
        'KUBE-MARK-MASQ',
      )
    else n('KUBE-SERVICES', ...clusterIp, 'src,dst', '-j', 'KUBE-MARK-MASQ')
  }
  // externalIPRules: accept what comes from off the machine (not through a bridge port, not
  // from a local address), and what is for an address this node holds.
  for (const set of ['KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL'] as const) {
    if (sets[set].size === 0) continue
    const args = [...c(SET_COMMENTS[set]), '-m', 'set', '--match-set', set, 'dst,dst']
    if (set === 'KUBE-EXTERNAL-IP') n('KUBE-SERVICES', ...args, '-j', 'KUBE-MARK-MASQ')
    n(
      'KUBE-SERVICES',
      ...args,
      '-m',
      'physdev',
      '!',
      '--physdev-is-in',
      '-m',
      'addrtype',
      '!',
      '--src-type',
      'LOCAL',
      '-j',
      'ACCEPT',
    )
    n('KUBE-SERVICES', ...args, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT')
  }
  n('KUBE-SERVICES', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'KUBE-NODE-PORT')
  n('KUBE-LOAD-BALANCER', '-j', 'KUBE-MARK-MASQ')
  f('KUBE-SOURCE-RANGES-FIREWALL', '-j', 'DROP')
  for (const e of lbNoNodeAccess(cl, o.node))
    f(
      'KUBE-IPVS-OUT-FILTER',
      '-s',
      e.ip,
      '-m',
      'ipvs',
      '--vaddr',
      e.ip,
      '--vproto',
      e.proto,
      '--vport',
      String(e.port),
      '-j',
      'DROP',
    )
  // acceptIPVSTraffic
  for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER'] as const)
    if (sets[set].size)
      n('KUBE-SERVICES', '-m', 'set', '--match-set', set, 'dst,dst', '-j', 'ACCEPT')
  rules.push(...forwardAcceptRules(o))
  f(
    'KUBE-NODE-PORT',
    ...c(SET_COMMENTS['KUBE-HEALTH-CHECK-NODE-PORT']),
    '-m',
    'set',
    '--match-set',
    'KUBE-HEALTH-CHECK-NODE-PORT',
    'dst',
    '-j',
    'ACCEPT',
  )
  // KUBE-IPVS-FILTER: no new connection to other ports of an address on kube-ipvs0 (issue 72236).
  for (const set of [
    'KUBE-LOAD-BALANCER',
    'KUBE-CLUSTER-IP',
    'KUBE-EXTERNAL-IP',
    'KUBE-EXTERNAL-IP-LOCAL',
  ])
    f('KUBE-IPVS-FILTER', '-m', 'set', '--match-set', set, 'dst,dst', '-j', 'RETURN')
  f(
    'KUBE-IPVS-FILTER',
    '-m',
    'set',
    '--match-set',
    'KUBE-HEALTH-CHECK-NODE-PORT',
    'dst',
    '-j',
    'RETURN',
  )
  f(
    'KUBE-IPVS-FILTER',
    '-m',
    'conntrack',
    '--ctstate',
    'NEW',
    '-m',
    'set',
    '--match-set',
    'KUBE-IPVS-IPS',
    'dst',
    '-j',
    'REJECT',
  )
  rules.push(...masqueradeRules(o))
  return {
    chains: {
      filter: [
        'KUBE-FORWARD',
        'KUBE-NODE-PORT',
        'KUBE-PROXY-FIREWALL',
        'KUBE-SOURCE-RANGES-FIREWALL',
        'KUBE-IPVS-FILTER',
        'KUBE-IPVS-OUT-FILTER',
      ],
      nat: [
        'KUBE-SERVICES',
        'KUBE-POSTROUTING',
        'KUBE-NODE-PORT',
        'KUBE-LOAD-BALANCER',
        'KUBE-MARK-MASQ',
      ],
    },
    rules,
    jumps: IPVS_JUMP_RULES,
  }
}

/** iptablesJumpChain in IPVS mode, each prepended (so the last one listed ends up first). */
export const IPVS_JUMP_RULES: RestoreRule[] = [
  {
    table: 'filter',
    chain: 'INPUT',
    args: [...c('kubernetes ipvs access filter'), '-j', 'KUBE-IPVS-FILTER'],
  },
  {
    table: 'filter',
    chain: 'INPUT',
    args: [...c('kube-proxy firewall rules'), '-j', 'KUBE-PROXY-FIREWALL'],
  },
  {
    table: 'filter',
    chain: 'INPUT',
    args: [...c('kubernetes health check rules'), '-j', 'KUBE-NODE-PORT'],
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    args: [...c('kube-proxy firewall rules'), '-j', 'KUBE-PROXY-FIREWALL'],
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    args: [...c('kubernetes forwarding rules'), '-j', 'KUBE-FORWARD'],
  },
  {
    table: 'filter',
    chain: 'OUTPUT',
    args: [...c('kubernetes ipvs access filter'), '-j', 'KUBE-IPVS-OUT-FILTER'],
  },
  {
    table: 'nat',
    chain: 'PREROUTING',
    args: [...c('kubernetes service portals'), '-j', 'KUBE-SERVICES'],
  },
  {
    table: 'nat',
    chain: 'OUTPUT',
    args: [...c('kubernetes service portals'), '-j', 'KUBE-SERVICES'],
  },
  {
    table: 'nat',
    chain: 'POSTROUTING',
    args: [...c('kubernetes postrouting rules'), '-j', 'KUBE-POSTROUTING'],
  },
]
