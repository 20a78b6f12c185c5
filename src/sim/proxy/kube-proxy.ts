/** kube-proxy on a node, configured as the cluster says (KubeProxyConfiguration or Cluster.spec.kubeProxy). */
import type { Cluster } from '../cluster.ts'
import { formatIp } from '../../model/ipv4.ts'
import { ipSets, kubeProxyIpvsIptables, type IpSets } from './ipvs-iptables.ts'
import { compile, type CompiledTables } from './netfilter.ts'
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
  }
}

export function nodeIptables(c: Cluster, node: string): IptablesRules {
  if (c.decl.kubeProxy.mode === 'userspace') return userspaceIptables(c, node)
  const o = kubeProxyOptions(c, node)
  return c.decl.kubeProxy.mode === 'ipvs'
    ? kubeProxyIpvsIptables(c, o)
    : kubeProxyIptables(c.services, o)
}

const setsCache = new WeakMap<Cluster, IpSets>()

/** Membership test for the ipsets kube-proxy keeps in IPVS mode. */
export function inIpSet(
  c: Cluster,
  name: string,
  flags: string,
  p: { src: number; dst: number; proto: string; dport: number; isLocal(ip: number): boolean },
): boolean {
  let sets = setsCache.get(c)
  if (!sets) {
    sets = ipSets(c)
    setsCache.set(c, sets)
  }
  const dst = `${formatIp(p.dst)},${p.proto}:${p.dport}`
  switch (name) {
    case 'KUBE-CLUSTER-IP':
      return sets['KUBE-CLUSTER-IP'].has(dst)
    case 'KUBE-LOOP-BACK':
      return sets['KUBE-LOOP-BACK'].has(`${dst},${formatIp(p.src)}`)
    case 'KUBE-NODE-PORT-TCP':
      return p.proto === 'tcp' && sets['KUBE-NODE-PORT-TCP'].has(p.dport)
    case 'KUBE-NODE-PORT-UDP':
      return p.proto === 'udp' && sets['KUBE-NODE-PORT-UDP'].has(p.dport)
    case 'KUBE-IPVS-IPS':
      return p.isLocal(p.dst) && c.services.some((s) => s.clusterIP === p.dst)
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
