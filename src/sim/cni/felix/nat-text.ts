/** What felix's nat rules did to a packet, told in both languages. */
import { text, type Text } from '../../../model/text.ts'
import type { CniMasquerade } from '../cni-iptables.ts'
import { MASQ_POOLS_SET, NETWORK_POOLS_SET } from './ipsets.ts'

/**
 * cali-nat-outgoing's MASQUERADE, or the tunnel rule of cali-POSTROUTING. Pool addresses are
 * exempt because Calico routes them itself, node to node (by BGP or its tunnels), and Pods must
 * see each other's own addresses (the Kubernetes network model: no NAT between Pods); anything
 * else leaves with the node's address, since nothing outside routes a pool back.
 */
export function felixMasqueradeText(m: CniMasquerade, pools: string): Text {
  if (m.rule.includes('--limit-iface-out'))
    return text(
      `On the way out, nat POSTROUTING jumps (last, after kube-proxy's chain) to felix's cali-POSTROUTING. The packet goes down the tunnel ${m.dev} with ${m.from}, an address of this node but not one of ${m.dev}: its tunnel rule ("-o ${m.dev} -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL -j MASQUERADE") masquerades it, so the source becomes ${m.to}, the tunnel's own address, which the other nodes route back. --random-fully draws the source port at random; conntrack keeps the translation for the reply.`,
      `出站时，nat POSTROUTING（在 kube-proxy 的链之后，最后一个）跳转到 felix 的 cali-POSTROUTING。这个包要从隧道 ${m.dev} 出去，源地址 ${m.from} 是本节点的地址，却不是 ${m.dev} 的地址：隧道规则（“-o ${m.dev} -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL -j MASQUERADE”）对它做伪装，源地址变为隧道自己的地址 ${m.to}，其他节点能把应答路由回来。--random-fully 随机选取源端口；conntrack 为应答记下这次转换。`,
    )
  return text(
    `On the way out of ${m.dev}, nat POSTROUTING jumps, last and after kube-proxy's chain, to felix's cali-POSTROUTING, and from there to cali-nat-outgoing, the chain felix writes because an IPPool has natOutgoing: true. Its one rule tests two ipsets: the source ${m.from} is in ${MASQ_POOLS_SET} (the pools with natOutgoing, here ${pools}), and the destination ${m.dst} is not in ${NETWORK_POOLS_SET} (every pool). Those are the exempt destinations: an address in any Calico pool is a Pod (or a tunnel) that Calico routes to itself, node to node, and Pods must see each other's own addresses, as the Kubernetes network model asks. ${m.dst} is in no pool, so "-j MASQUERADE --random-fully" rewrites the source ${m.from} to ${m.to}, the address of ${m.dev}, with a source port drawn at random. A pool address means nothing outside the cluster and no router there would bring a reply back to it; the node's address does. conntrack records the translation, so the reply will be un-SNATed back to the Pod.`,
    `离开 ${m.dev} 时，nat POSTROUTING 在 kube-proxy 的链之后，最后跳转到 felix 的 cali-POSTROUTING，再跳到 cali-nat-outgoing：这是因为有 IPPool 设置了 natOutgoing: true，felix 才写下的链。它唯一的规则检查两个 ipset：源地址 ${m.from} 在 ${MASQ_POOLS_SET}（设置了 natOutgoing 的池，这里是 ${pools}）中，而目的地址 ${m.dst} 不在 ${NETWORK_POOLS_SET}（所有的池）中。这些就是豁免的目的地：任何 Calico 池中的地址都是 Calico 自己在节点之间路由的 Pod（或隧道）地址，Pod 之间必须看到彼此的真实地址，这是 Kubernetes 网络模型的要求。${m.dst} 不在任何池中，所以 “-j MASQUERADE --random-fully” 把源地址 ${m.from} 改写为 ${m.dev} 的地址 ${m.to}，源端口随机选取。池中的地址在集群之外毫无意义，那里没有路由器会把应答送回这个地址；节点的地址则可以。conntrack 记下这次转换，所以应答会被反向 SNAT，回到 Pod。`,
  )
}

/** Why a Pod's packet to the outside keeps its own address when no pool has natOutgoing. */
export function felixUntranslatedText(pools: string): Text {
  return text(
    `The IPPool ${pools} has natOutgoing: false, so felix's cali-nat-outgoing chain has no rule, and nothing on the node rewrote the source.`,
    `IPPool ${pools} 的 natOutgoing 为 false，所以 felix 的 cali-nat-outgoing 链中没有任何规则，节点上没有谁改写源地址。`,
  )
}
