/** kube-proxy on a node, configured as the cluster says (KubeProxyConfiguration or Cluster.spec.kubeProxy). */
import type { Cluster } from '../cluster.ts'
import type { CniIptables } from '../cni/cni-iptables.ts'
import { cidrContains, formatIp, parseCidr } from '../../model/ipv4.ts'
import { ipSets, kubeProxyIpvsIptables, type IpSets } from './ipvs-iptables.ts'
import { compile, compileChains, type CompiledTables } from './netfilter.ts'
import { compiledNft, type CompiledNft } from './nft-eval.ts'
import type { NftTable } from './nft-table.ts'
import {
  goHexMark,
  kubeProxyNftables,
  kubeProxyNftablesOnDemand,
  type NftablesOptions,
} from './nftables-rules.ts'
import { userspaceIptables } from './userspace-rules.ts'
import {
  chainsOf,
  concatChains,
  DEFAULT_MARK,
  JUMP_RULES,
  kubeProxyIptables,
  kubeProxyIptablesChains,
  type IptablesRules,
  type KubeProxyOptions,
} from './iptables-rules.ts'

export function kubeProxyOptions(c: Cluster, node: string): KubeProxyOptions {
  return {
    node,
    // kubeadm passes the Pod subnet as --cluster-cidr, which turns on the local-traffic detector.
    clusterCIDR: c.decl.clusterCIDR,
    masqueradeAll: c.decl.kubeProxy.masqueradeAll,
    mark: DEFAULT_MARK,
    randomFully: true,
    nfacct: true,
    nodeIP: c.nodeByName.get(node)?.ip ?? null,
  }
}

/**
 * `make`, computed once per built cluster and node. A cluster never changes once built, so what
 * kube-proxy writes on a node is the same for every trace of it and for `podpath tables`; the
 * memo is keyed on the cluster object and goes with it.
 */
function perNode<T>(make: (c: Cluster, node: string) => T): (c: Cluster, node: string) => T {
  const memo = new WeakMap<Cluster, Map<string, T>>()
  return (c, node) => {
    let byNode = memo.get(c)
    if (!byNode) {
      byNode = new Map()
      memo.set(c, byNode)
    }
    let v = byNode.get(node)
    if (v === undefined) {
      v = make(c, node)
      byNode.set(node, v)
    }
    return v
  }
}

/**
 * The node's iptables: kube-proxy's (iptables, IPVS or userspace mode), then the CNI agent's.
 * In nftables mode kube-proxy writes none (it removes its iptables rules at start-up: cmd/kube-proxy
 * server_linux.go platformCleanup), so only the agent's are left, such as flanneld's, whose
 * default backend is iptables (EnableNFTables is false unless net-conf.json sets it).
 */
export const nodeIptables = perNode((c, node): IptablesRules =>
  withCniRules(kubeProxyRules(c, node), c.cniIptables.get(node)),
)

/** True when the node's iptables hold any rule (in nftables mode, only an agent's can). */
export const hasIptablesRules = perNode((c, node): boolean => {
  const r = nodeIptables(c, node)
  return r.rules.length + r.jumps.length > 0
})

function kubeProxyRules(c: Cluster, node: string): IptablesRules {
  if (c.decl.kubeProxy.mode === 'nftables')
    return { chains: { filter: [], nat: [] }, rules: [], jumps: [] }
  if (c.decl.kubeProxy.mode === 'userspace') return userspaceIptables(c, node)
  const o = kubeProxyOptions(c, node)
  return c.decl.kubeProxy.mode === 'ipvs'
    ? kubeProxyIpvsIptables(c, o, nodeIpSets(c, node))
    : kubeProxyIptables(c.services, o)
}

/** The node's iptables as a whole: kube-proxy's, then what the CNI's own agent appended. */
function withCniRules(r: IptablesRules, cni: CniIptables | undefined): IptablesRules {
  if (!cni) return r
  return {
    chains: {
      filter: [...r.chains.filter, ...(cni.filterChains ?? [])],
      nat: [...r.chains.nat, ...cni.natChains],
    },
    rules: [...r.rules, ...cni.rules],
    jumps: [...(cni.insertedJumps ?? []), ...r.jumps, ...cni.jumps],
  }
}

const nodeIpSets = perNode((c, node): IpSets => ipSets(c, node))

/** Membership test for the ipsets on `node`: kube-proxy's in IPVS mode, and the CNI agent's. */
export function inIpSet(
  c: Cluster,
  node: string,
  name: string,
  flags: string,
  p: { src: number; dst: number; proto: string; sport?: number; dport: number },
): boolean {
  const sets = nodeIpSets(c, node)
  const dst = `${formatIp(p.dst)},${p.proto}:${p.dport}`
  switch (name) {
    case 'KUBE-CLUSTER-IP':
    case 'KUBE-EXTERNAL-IP':
    case 'KUBE-EXTERNAL-IP-LOCAL':
    case 'KUBE-LOAD-BALANCER':
    case 'KUBE-LOAD-BALANCER-LOCAL':
    case 'KUBE-LOAD-BALANCER-FW':
      return sets[name].has(flags === 'src,dst' ? `${formatIp(p.src)},${p.proto}:${p.dport}` : dst)
    case 'KUBE-LOOP-BACK':
    case 'KUBE-LOAD-BALANCER-SOURCE-IP':
      return sets[name].has(`${dst},${formatIp(p.src)}`)
    case 'KUBE-LOAD-BALANCER-SOURCE-CIDR':
      // hash:ip,port,net: the entry's network holds the source address.
      for (const e of sets[name]) {
        const [ip, port, net] = e.split(',')
        const cidr = net ? parseCidr(net) : null
        if (`${ip},${port}` === dst && cidr && cidrContains(cidr, p.src)) return true
      }
      return false
    case 'KUBE-NODE-PORT-TCP':
    case 'KUBE-NODE-PORT-LOCAL-TCP':
      return p.proto === 'tcp' && sets[name].has(p.dport)
    case 'KUBE-NODE-PORT-UDP':
    case 'KUBE-NODE-PORT-LOCAL-UDP':
      return p.proto === 'udp' && sets[name].has(p.dport)
    case 'KUBE-HEALTH-CHECK-NODE-PORT':
      return p.proto === 'tcp' && sets[name].has(p.dport)
    case 'KUBE-IPVS-IPS':
      return sets[name].has(formatIp(p.dst))
    default: {
      // The CNI agent's sets: hash:net (felix's pools and selectors), the address is in one of
      // the members; hash:ip,port (felix's named ports), `dst,dst` is the destination address,
      // protocol and port (xt_set with two flags).
      const set = c.cniIptables.get(node)?.ipsets?.find((s) => s.name === name)
      const ip = flags.startsWith('src') ? p.src : p.dst
      if (!set) return false
      if (set.type === 'hash:net') return set.members.some((m) => cidrContains(m, ip))
      const port = flags === 'src,src' ? p.sport : p.dport
      return set.members.some((m) => m.ip === ip && m.proto === p.proto && m.port === port)
    }
  }
}

/**
 * The node's rules, parsed (chain by chain, as packets enter them) once per built cluster. In
 * iptables mode they are also written chain by chain (kubeProxyIptablesChains): the same rules
 * as `nodeIptables` in each chain: the jumps the CNI agent inserts (felix's), kube-proxy's, those
 * it appends, then kube-proxy's rules and the agent's own last.
 */
export const nodeTables = perNode((c, node): CompiledTables => {
  if (c.decl.kubeProxy.mode !== 'iptables') return compile(nodeIptables(c, node))
  const cni = c.cniIptables.get(node)
  return compileChains(
    concatChains(
      chainsOf(cni?.insertedJumps ?? [], JUMP_RULES, cni?.jumps ?? []),
      kubeProxyIptablesChains(c.services, kubeProxyOptions(c, node)),
      chainsOf(cni?.rules ?? []),
    ),
  )
})

/** nftables mode: kube-proxy's options on this node (KubeProxyConfiguration defaults). */
export function nftablesOptions(c: Cluster, node: string): NftablesOptions {
  const mark = 1 << 14 // masqueradeBit 14
  return {
    node,
    // nodePortAddresses defaults to "primary" in nftables mode: the node's own address.
    nodeIP: c.nodeByName.get(node)?.ip ?? 0,
    clusterCIDR: c.decl.clusterCIDR,
    serviceCIDRs: [c.decl.serviceCIDR],
    masqueradeAll: c.decl.kubeProxy.masqueradeAll,
    mark,
    markText: goHexMark(mark),
  }
}

/** The `ip kube-proxy` table kube-proxy's nftables mode keeps on `node`. */
export const nodeNftablesTable = perNode((c, node): NftTable =>
  kubeProxyNftables(c.services, nftablesOptions(c, node)),
)

/**
 * The node's `ip kube-proxy` table for walks, once per built cluster: written as the walks need
 * it (kubeProxyNftablesOnDemand), each element and chain as nodeNftablesTable has it.
 */
export const nodeNft = perNode((c, node): CompiledNft =>
  compiledNft(kubeProxyNftablesOnDemand(c.services, nftablesOptions(c, node))),
)
