/** kube-proxy on a node, configured as the cluster says (KubeProxyConfiguration or Cluster.spec.kubeProxy). */
import type { Cluster } from '../cluster.ts'
import { compile, type CompiledTables } from './netfilter.ts'
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
  return kubeProxyIptables(c.services, kubeProxyOptions(c, node))
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
