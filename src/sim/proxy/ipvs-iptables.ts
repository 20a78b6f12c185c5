/**
 * The iptables rules kube-proxy still writes in IPVS mode (pkg/proxy/ipvs writeIptablesRules,
 * acceptIPVSTraffic): a handful of rules that match ipsets instead of one chain per Service, and
 * the ipsets' contents on a node.
 */
import { formatCidr, formatIp } from '../../model/ipv4.ts'
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
  /** bitmap:port */
  'KUBE-NODE-PORT-TCP': Set<number>
  'KUBE-NODE-PORT-UDP': Set<number>
}

export function ipSets(c: Cluster): IpSets {
  const sets: IpSets = {
    'KUBE-CLUSTER-IP': new Set(),
    'KUBE-LOOP-BACK': new Set(),
    'KUBE-NODE-PORT-TCP': new Set(),
    'KUBE-NODE-PORT-UDP': new Set(),
  }
  for (const svc of c.services) {
    if (svc.clusterIP === null) continue
    for (const p of svc.ports) {
      const proto = p.protocol.toLowerCase()
      sets['KUBE-CLUSTER-IP'].add(`${formatIp(svc.clusterIP)},${proto}:${p.port}`)
      for (const e of p.endpoints)
        sets['KUBE-LOOP-BACK'].add(`${formatIp(e.ip)},${proto}:${e.port},${formatIp(e.ip)}`)
      if (p.nodePort !== null && p.protocol === 'TCP') sets['KUBE-NODE-PORT-TCP'].add(p.nodePort)
      if (p.nodePort !== null && p.protocol === 'UDP') sets['KUBE-NODE-PORT-UDP'].add(p.nodePort)
    }
  }
  return sets
}

const c = (comment: string) => ['-m', 'comment', '--comment', `"${comment}"`]

export function kubeProxyIpvsIptables(cl: Cluster, o: KubeProxyOptions): IptablesRules {
  const sets = ipSets(cl)
  const rules: RestoreRule[] = []
  const n = (chain: string, ...args: string[]) => rules.push({ table: 'nat', chain, args })
  const f = (chain: string, ...args: string[]) => rules.push({ table: 'filter', chain, args })
  n('KUBE-SERVICES', '-s', '127.0.0.0/8', '-j', 'RETURN')
  if (sets['KUBE-LOOP-BACK'].size)
    n(
      'KUBE-POSTROUTING',
      ...c('Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose'),
      '-m',
      'set',
      '--match-set',
      'KUBE-LOOP-BACK',
      'dst,dst,src',
      '-j',
      'MASQUERADE',
    )
  if (sets['KUBE-NODE-PORT-TCP'].size)
    n(
      'KUBE-NODE-PORT',
      '-p',
      'tcp',
      ...c('Kubernetes nodeport TCP port for masquerade purpose'),
      '-m',
      'set',
      '--match-set',
      'KUBE-NODE-PORT-TCP',
      'dst',
      '-j',
      'KUBE-MARK-MASQ',
    )
  if (sets['KUBE-NODE-PORT-UDP'].size)
    n(
      'KUBE-NODE-PORT',
      '-p',
      'udp',
      ...c('Kubernetes nodeport UDP port for masquerade purpose'),
      '-m',
      'set',
      '--match-set',
      'KUBE-NODE-PORT-UDP',
      'dst',
      '-j',
      'KUBE-MARK-MASQ',
    )
  const clusterIp = [
    ...c('Kubernetes service cluster ip + port for masquerade purpose'),
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
  n('KUBE-SERVICES', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'KUBE-NODE-PORT')
  n('KUBE-SERVICES', '-m', 'set', '--match-set', 'KUBE-CLUSTER-IP', 'dst,dst', '-j', 'ACCEPT')
  rules.push(...masqueradeRules(o), ...forwardAcceptRules(o))
  f('KUBE-IPVS-FILTER', '-m', 'set', '--match-set', 'KUBE-CLUSTER-IP', 'dst,dst', '-j', 'RETURN')
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
