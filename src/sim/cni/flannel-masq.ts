/**
 * flanneld --ip-masq: the nat rules flannel's traffic manager keeps on every node
 * (flannel-io/flannel pkg/trafficmngr/iptables/iptables.go, masqRules), in a FLANNEL-POSTRTG
 * chain reached from POSTROUTING. Traffic inside the flannel network keeps its Pod addresses;
 * what a Pod sends anywhere else leaves with the node's address.
 */
import { formatCidr, type Cidr } from '../../model/ipv4.ts'
import type { RestoreRule } from '../proxy/iptables-rules.ts'
import type { CniIptables } from './cni-iptables.ts'

export const FLANNEL_MASQ_CHAIN = 'FLANNEL-POSTRTG'
// trafficmngr.go KubeProxyMark: kube-proxy's masquerade mark, which flannel leaves to kube-proxy.
const KUBE_PROXY_MARK = '0x4000/0x4000'
// 224.0.0.0/4: multicast is never masqueraded ("NAT if it's not multicast traffic").
const MULTICAST = '224.0.0.0/4'

/**
 * masqRules(clusterCIDR, lease) for a node whose lease is `podCIDR`, as iptables-save prints the
 * rules back (the comment after the addresses and marks, the target last). flanneld asks the
 * kernel whether MASQUERADE --random-fully is supported (go-iptables HasRandomFully: iptables
 * 1.6.2 or later) and uses it unless --ip-masq-fully-random-disable; every kernel and iptables
 * PodPath models has it.
 */
export function flannelMasqRules(clusterCIDR: Cidr, podCIDR: Cidr): CniIptables {
  const cluster = formatCidr(clusterCIDR)
  const pod = formatCidr(podCIDR)
  const comment = ['-m', 'comment', '--comment', '"flanneld masq"']
  const rule = (...args: string[]): RestoreRule => ({
    table: 'nat',
    chain: FLANNEL_MASQ_CHAIN,
    args,
  })
  return {
    natChains: [FLANNEL_MASQ_CHAIN],
    rules: [
      // Leave what kube-proxy marked to kube-proxy ("avoid double NAT").
      rule('-m', 'mark', '--mark', KUBE_PROXY_MARK, ...comment, '-j', 'RETURN'),
      // Pod to Pod inside the flannel network, both ways: never translated.
      rule('-s', pod, '-d', cluster, ...comment, '-j', 'RETURN'),
      rule('-s', cluster, '-d', pod, ...comment, '-j', 'RETURN'),
      // From outside the network to this node's Pods (a NodePort client): keep its source.
      rule('!', '-s', cluster, '-d', pod, ...comment, '-j', 'RETURN'),
      // A Pod to anywhere else (the Internet): the node's address.
      rule('-s', cluster, '!', '-d', MULTICAST, ...comment, '-j', 'MASQUERADE', '--random-fully'),
      // The node itself to another node's Pods.
      rule('!', '-s', cluster, '-d', cluster, ...comment, '-j', 'MASQUERADE', '--random-fully'),
    ],
    jumps: [{ table: 'nat', chain: 'POSTROUTING', args: [...comment, '-j', FLANNEL_MASQ_CHAIN] }],
  }
}
