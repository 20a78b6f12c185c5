/** kube-proxy on a node, configured as the cluster says (KubeProxyConfiguration or Cluster.spec.kubeProxy). */
import type { Cluster } from '../cluster.ts'
import type { CniIptables } from '../cni/dataplane.ts'
import { cidrContains, formatIp, parseCidr } from '../../model/ipv4.ts'
import { ipSets, kubeProxyIpvsIptables, type IpSets } from './ipvs-iptables.ts'
import { compile, type CompiledTables } from './netfilter.ts'
import { compileNft, type CompiledNft } from './nft-eval.ts'
import type { NftTable } from './nft-table.ts'
import { goHexMark, kubeProxyNftables, type NftablesOptions } from './nftables-rules.ts'
import { userspaceIptables } from './userspace-rules.ts'
import {
  DEFAULT_MARK,
  kubeProxyIptables,
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

export function nodeIptables(c: Cluster, node: string): IptablesRules {
  return withCniRules(kubeProxyRules(c, node), c.cniIptables.get(node))
}

function kubeProxyRules(c: Cluster, node: string): IptablesRules {
  if (c.decl.kubeProxy.mode === 'userspace') return userspaceIptables(c, node)
  const o = kubeProxyOptions(c, node)
  return c.decl.kubeProxy.mode === 'ipvs'
    ? kubeProxyIpvsIptables(c, o)
    : kubeProxyIptables(c.services, o)
}

/** The node's iptables as a whole: kube-proxy's, then what the CNI's own agent appended. */
function withCniRules(r: IptablesRules, cni: CniIptables | undefined): IptablesRules {
  if (!cni) return r
  return {
    chains: { filter: r.chains.filter, nat: [...r.chains.nat, ...cni.natChains] },
    rules: [...r.rules, ...cni.rules],
    jumps: [...r.jumps, ...cni.jumps],
  }
}

const setsCache = new WeakMap<Cluster, Map<string, IpSets>>()

/** Membership test for the ipsets kube-proxy keeps in IPVS mode on `node`. */
export function inIpSet(
  c: Cluster,
  node: string,
  name: string,
  flags: string,
  p: { src: number; dst: number; proto: string; dport: number },
): boolean {
  let byNode = setsCache.get(c)
  if (!byNode) {
    byNode = new Map()
    setsCache.set(c, byNode)
  }
  let sets = byNode.get(node)
  if (!sets) {
    sets = ipSets(c, node)
    byNode.set(node, sets)
  }
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
    default:
      return false
  }
}

const compiled = new WeakMap<Cluster, Map<string, CompiledTables>>()

/** The node's rules, parsed once per built cluster. */
export function nodeTables(c: Cluster, node: string): CompiledTables {
  let byNode = compiled.get(c)
  if (!byNode) {
    byNode = new Map()
    compiled.set(c, byNode)
  }
  let t = byNode.get(node)
  if (!t) {
    t = compile(nodeIptables(c, node))
    byNode.set(node, t)
  }
  return t
}

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

export function nodeNftablesTable(c: Cluster, node: string): NftTable {
  return kubeProxyNftables(c.services, nftablesOptions(c, node))
}

const compiledNft = new WeakMap<Cluster, Map<string, CompiledNft>>()

/** The node's `ip kube-proxy` table, indexed once per built cluster. */
export function nodeNft(c: Cluster, node: string): CompiledNft {
  let byNode = compiledNft.get(c)
  if (!byNode) {
    byNode = new Map()
    compiledNft.set(c, byNode)
  }
  let t = byNode.get(node)
  if (!t) {
    t = compileNft(nodeNftablesTable(c, node))
    byNode.set(node, t)
  }
  return t
}
