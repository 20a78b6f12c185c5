/** kube-proxy on a node, configured as the cluster says (KubeProxyConfiguration or Cluster.spec.kubeProxy). */
import type { Cluster } from '../cluster.ts'
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
