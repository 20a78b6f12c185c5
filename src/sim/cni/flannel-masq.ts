/**
 * flanneld --ip-masq: the nat rules flannel's traffic manager keeps on every node
 * (flannel-io/flannel pkg/trafficmngr/iptables/iptables.go, masqRules), in a FLANNEL-POSTRTG
 * chain reached from POSTROUTING. Traffic inside the flannel network keeps its Pod addresses;
 * what a Pod sends anywhere else leaves with the node's address.
 */
import { formatCidr, type Cidr } from '../../model/ipv4.ts'
import type { RestoreRule } from '../proxy/iptables-rules.ts'
import { text } from '../../model/text.ts'
import type { CniIptables, CniMasquerade } from './cni-iptables.ts'

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
export function flannelMasqRules(
  clusterCIDR: Cidr,
  podCIDR: Cidr,
  /** The manifest that passes --ip-masq: kube-flannel.yml, or canal.yaml for canal's flanneld. */
  manifest = 'kube-flannel.yml',
): CniIptables {
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
    masqueradeText: (m) => masqueradeText(m, cluster, pod, manifest),
  }
}

/**
 * Why this packet was masqueraded and which destinations are not. The Pod network is exempt
 * because the Kubernetes network model asks that Pods reach every Pod on any node without NAT
 * (kubernetes.io/docs/concepts/services-networking/, "The Kubernetes network model"); anything else gets the node's address, because the Pod range
 * is private to the cluster and nothing outside routes it back.
 */
function masqueradeText(m: CniMasquerade, cluster: string, pod: string, manifest: string) {
  if (!m.rule.includes(MULTICAST))
    return text(
      `On the way out, nat POSTROUTING jumps to flanneld's FLANNEL-POSTRTG chain. The packet comes from ${m.from}, an address of the node itself, and goes to ${m.dst} in the Pod network ${cluster}: its last rule masquerades it, so the Pod sees ${m.to}, the address of ${m.dev} that the flannel network routes back. --random-fully draws the source port at random. conntrack keeps the translation for the reply.`,
      `出站时，nat POSTROUTING 跳转到 flanneld 的 FLANNEL-POSTRTG 链。这个包来自节点自己的地址 ${m.from}，发往 Pod 网络 ${cluster} 中的 ${m.dst}：链的最后一条规则对它做伪装，于是 Pod 看到的是 ${m.dev} 的地址 ${m.to}，flannel 网络能把应答送回这个地址。--random-fully 随机选取源端口。conntrack 为应答记下这次转换。`,
    )
  return text(
    `On the way out of ${m.dev}, nat POSTROUTING jumps to FLANNEL-POSTRTG, the chain flanneld writes when it runs with --ip-masq (${manifest} passes it). Its rules are tested in order: the packet carries no kube-proxy mark (0x4000); it comes from this node's Pods (${pod}) but goes to ${m.dst}, outside the Pod network ${cluster}, so the RETURN rules that keep Pod-to-Pod traffic untouched do not match. Those are the exempt destinations: inside ${cluster} Pods must see each other's real addresses, as the Kubernetes network model requires (no NAT between Pods). The next rule, "-s ${cluster} ! -d 224.0.0.0/4 -j MASQUERADE --random-fully", matches: the source ${m.from} becomes ${m.to}, the address of ${m.dev}, with a source port drawn at random. A Pod address means nothing on the Internet, and no router there would bring a reply back to it; the node's address does. conntrack records the translation, so the reply will be un-SNATed back to the Pod.`,
    `离开 ${m.dev} 时，nat POSTROUTING 跳转到 FLANNEL-POSTRTG：这是 flanneld 以 --ip-masq 运行时写下的链（${manifest} 传了这个参数）。规则按顺序检查：这个包没有 kube-proxy 的标记（0x4000）；它来自本节点的 Pod（${pod}），但发往 Pod 网络 ${cluster} 之外的 ${m.dst}，所以那些让 Pod 之间的流量保持原样的 RETURN 规则都不匹配。这些就是豁免的目的地：在 ${cluster} 之内，Pod 之间必须看到彼此的真实地址，这是 Kubernetes 网络模型的要求（Pod 之间没有 NAT）。下一条规则 “-s ${cluster} ! -d 224.0.0.0/4 -j MASQUERADE --random-fully” 匹配：源地址 ${m.from} 变为 ${m.dev} 的地址 ${m.to}，源端口随机选取。Pod 地址在互联网上毫无意义，那里没有路由器会把应答送回这个地址；节点的地址则可以。conntrack 记下这次转换，所以应答会被反向 SNAT，回到 Pod。`,
  )
}
