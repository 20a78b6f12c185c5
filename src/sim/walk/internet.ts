/**
 * A client outside the cluster (Traffic `from: {external: IP}`). PodPath does not model the
 * Internet hop by hop: the client's packets reach the router of the node network, which hands
 * them to the node that owns the destination address, and replies for the client leave through
 * that router again. Nothing on the way translates addresses (no NAT at the site's edge): the
 * client and the nodes reach each other directly, as they do on a routed corporate network or
 * with nodes that have public addresses.
 */
import { cidrContains, formatIp, parseIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Packet } from '../../model/trace.ts'
import type { Link, NetNs } from '../net/netns.ts'
import { top } from './packet.ts'
import { cloudLbForward, cloudLbReply } from './cloud-lb.ts'
import type { Endpoint, Walk, WalkResult } from './api.ts'

const AT_INTERNET = {
  node: null,
  pod: null,
  container: null,
  device: null,
  component: 'internet',
  hook: null,
} as const
const AT_ROUTER = { ...AT_INTERNET, component: 'underlay' }

/** The node interface that holds `ip` (an address, or a secondary address on AWS). */
export function nodeInterfaceOf(w: Walk, ip: number): { ns: NetNs; link: Link } | null {
  const vpc = w.state.cluster.underlay === 'vpc'
  for (const node of w.state.cluster.nodes) {
    const ns = w.state.ns(node.nsId)
    const link = ns.links.find(
      (l) =>
        l.kind === 'ether' &&
        (l.addrs.some((a) => a.ip === ip) || (vpc && l.secondaryIps.includes(ip))),
    )
    if (link) return { ns, link }
  }
  return null
}

/** The external client sends its request: across the Internet to the node network's router. */
export function internetSend(w: Walk, from: Endpoint, pkt: Packet, explain: Text): WalkResult {
  const l3 = pkt.l3!
  l3.src = from.external!
  w.emit('send', AT_INTERNET, pkt, [], explain)
  const lb = cloudLbForward(w, pkt)
  if (lb !== null && lb !== 'forwarded') return lb
  internetGatewayIn(w, pkt)
  const owner = nodeInterfaceOf(w, parseIp(l3.dst)!)
  if (!owner) {
    return w.drop(
      null,
      AT_ROUTER,
      pkt,
      text('no such address on the node network', '节点网络上没有这个地址'),
      text(
        `The packet reaches the router of the node network, but no node has ${l3.dst}. From outside, only the nodes' own addresses can be reached (a ClusterIP or a Pod IP means nothing out here), so the packet is dropped.`,
        `包到达节点网络的路由器，但没有哪个节点拥有 ${l3.dst}。从集群外部只能访问节点自己的地址（ClusterIP 或 Pod IP 在外面没有意义），所以包被丢弃。`,
      ),
    )
  }
  l3.ttl -= 1
  top(pkt).setL2({ src: w.state.cluster.routerMac, dst: owner.link.mac! })
  w.emit(
    'route',
    AT_ROUTER,
    pkt,
    [],
    text(
      `${w.lbFlow ? "The load balancer's packet reaches the cluster's network." : "The packet crosses the Internet to the cluster's network."} Its router delivers ${l3.dst} to ${owner.ns.node}'s ${owner.link.name} (TTL ${l3.ttl}; PodPath counts only this last router, not the routers of the Internet path).`,
      `${w.lbFlow ? '负载均衡器发出的包到达集群所在的网络。' : '包穿过互联网到达集群所在的网络。'}那里的路由器把 ${l3.dst} 交给 ${owner.ns.node} 的 ${owner.link.name}（TTL ${l3.ttl}；PodPath 只计算这最后一台路由器，不计互联网路径上的路由器）。`,
    ),
  )
  return w.receive(owner.ns, owner.link, pkt)
}

/**
 * An Internet gateway on AWS: the VPC's edge, which maps each public IPv4 address to the private
 * address it is associated with, one to one, both ways ("the internet gateway logically
 * provides the one-to-one NAT on behalf of your instance", Amazon VPC User Guide, Internet
 * gateways). A node's public address (nodes[].externalIP, the Node's ExternalIP) belongs to the
 * primary private IP of its primary ENI. Without one, or from any other private address, there
 * is nothing to translate to. A NAT gateway (what AWS_VPC_K8S_CNI_EXTERNALSNAT expects in a
 * private subnet) is not modelled.
 */
function internetGatewayOut(w: Walk, pkt: Packet): WalkResult | 'translated' | null {
  if (w.state.cluster.underlay !== 'vpc') return null
  const t = top(pkt)
  const src = t.l3.src
  const srcIp = parseIp(src)!
  const node = w.state.cluster.nodes.find((n) => n.ip === srcIp)
  if (node && node.externalIP !== null) {
    const pub = formatIp(node.externalIP)
    t.l3.src = pub
    w.emit(
      'snat',
      AT_ROUTER,
      pkt,
      [],
      text(
        `The VPC's route table sends 0.0.0.0/0 to the Internet gateway. ${src} is ${node.name}'s primary private IP, and the node has the public IPv4 address ${pub}: the gateway rewrites the source ${src} to ${pub}, one to one and without touching the port, and will rewrite ${pub} back to ${src} on the reply. No conntrack on the node sees this; it is the gateway's own static mapping.`,
        `VPC 的路由表把 0.0.0.0/0 交给互联网网关。${src} 是 ${node.name} 的主私有 IP，而该节点有公网 IPv4 地址 ${pub}：网关把源地址 ${src} 改写为 ${pub}，一对一，端口不变，应答时再把 ${pub} 改回 ${src}。节点上的 conntrack 看不到这一步，这是网关自己的静态映射。`,
      ),
    )
    return 'translated'
  }
  const pod = w.state.cluster.pods.find((p) => p.ip === srcIp && !p.hostNetwork)
  const why = pod ? w.state.cluster.untranslatedEgress.get(pod.node) : undefined
  return w.drop(
    null,
    AT_ROUTER,
    pkt,
    text('no public IPv4 address', '没有公网 IPv4 地址'),
    node
      ? text(
          `The Internet gateway translates only private addresses that have a public IPv4 address associated, and ${node.name} has none (no externalIP): ${src} is private and nothing on the Internet can route a reply to it, so the packet goes no further. A node without a public address reaches the Internet through a NAT gateway, which PodPath does not model.`,
          `互联网网关只转换关联了公网 IPv4 地址的私有地址，而 ${node.name} 没有（没有 externalIP）：${src} 是私有地址，互联网上没有谁能把应答路由回它，所以包到此为止。没有公网地址的节点要经由 NAT 网关访问互联网，PodPath 没有模拟 NAT 网关。`,
        )
      : text(
          `The packet still carries ${pod ? `Pod ${pod.namespace}/${pod.name}'s` : 'the'} address ${src}.${why ? ` ${why.en}` : ''} The Internet gateway maps only an address that has a public IPv4 address associated, and a Pod's secondary IP has none, so the packet goes no further. PodPath does not model a NAT gateway, which would have translated it to its own Elastic IP.`,
          `这个包的源地址仍是${pod ? ` Pod ${pod.namespace}/${pod.name} 的` : ''}地址 ${src}。${why?.['zh-CN'] ?? ''}互联网网关只映射关联了公网 IPv4 地址的地址，而 Pod 的辅助 IP 没有，所以包到此为止。PodPath 没有模拟 NAT 网关，否则它会把源地址转换成自己的弹性 IP。`,
        ),
  )
}

/** The reply to a node's public address: the Internet gateway maps it back to the private one. */
function internetGatewayIn(w: Walk, pkt: Packet): void {
  if (w.state.cluster.underlay !== 'vpc') return
  const l3 = pkt.l3!
  const dst = parseIp(l3.dst)
  const node = w.state.cluster.nodes.find((n) => n.externalIP !== null && n.externalIP === dst)
  if (!node) return
  const pub = l3.dst
  l3.dst = formatIp(node.ip)
  w.emit(
    'unnat',
    AT_ROUTER,
    pkt,
    [],
    text(
      `The packet for ${pub} reaches the VPC's Internet gateway, which maps that public address back to ${node.name}'s primary private IP: the destination becomes ${l3.dst}.`,
      `发往 ${pub} 的包到达 VPC 的互联网网关，网关把这个公网地址映射回 ${node.name} 的主私有 IP：目的地址变为 ${l3.dst}。`,
    ),
  )
}

/**
 * A request from inside the cluster for a host on the Internet (Cluster `externalHosts`): the
 * router sends it on, and the host receives it with whatever source it carries by then. The
 * Internet routes only public addresses back, so a source that is still a Pod's (no masquerade
 * on the way out) is one its reply could never find.
 */
function hostDeliver(w: Walk, pkt: Packet): WalkResult | null {
  const t = top(pkt)
  const ip = parseIp(t.l3.dst)
  const host = w.state.cluster.decl.externalHosts.find((h) => h.ip === ip)
  if (!host || w.replyTo) return null
  t.l3.ttl -= 1
  w.emit(
    'route',
    AT_ROUTER,
    pkt,
    [],
    text(
      `${t.l3.dst} is not on the node network, so its router sends the packet on towards the Internet (TTL ${t.l3.ttl}; PodPath counts only this router, not the routers of the Internet path).`,
      `${t.l3.dst} 不在节点网络上，所以路由器把包继续发往互联网（TTL ${t.l3.ttl}；PodPath 只计算这一台路由器，不计互联网路径上的路由器）。`,
    ),
  )
  const igw = internetGatewayOut(w, pkt)
  if (igw !== null && igw !== 'translated') return igw
  const src = t.l3.src
  const srcIp = parseIp(src)!
  const cluster = w.state.cluster.decl
  if (igw === null && cidrContains(cluster.clusterCIDR, srcIp)) {
    // The CNI's own account of why it left the source alone, when it does so by design.
    const sender = w.state.cluster.pods.find((p) => p.ip === srcIp && !p.hostNetwork)
    const why = sender ? w.state.cluster.untranslatedEgress.get(sender.node) : undefined
    return w.drop(
      null,
      AT_INTERNET,
      pkt,
      text('private source address', '私有源地址'),
      text(
        `The packet still carries the Pod's address ${src} as its source: nothing masqueraded it on the way out.${why ? ` ${why.en}` : ''} ${host.name} (${t.l3.dst}) may even receive it, but its reply to ${src} cannot come back: the Pod range is private to the cluster and no router of the Internet has a route to it. The connection never completes.`,
        `这个包的源地址仍然是 Pod 的地址 ${src}：出站途中没有任何规则对它做伪装。${why?.['zh-CN'] ?? ''}${host.name}（${t.l3.dst}）也许能收到它，但发往 ${src} 的应答回不来：Pod 地址段是集群私有的，互联网上没有任何路由器有去往它的路由。连接永远无法建立。`,
      ),
    )
  }
  const port = pkt.l4?.dstPort ?? 0
  w.emit(
    'deliver',
    AT_INTERNET,
    pkt,
    [],
    igw
      ? text(
          `${host.name} (${t.l3.dst}) receives the request on port ${port}. It comes from ${src}:${pkt.l4?.srcPort ?? 0}: that is all the Internet sees of the sender, the public address of the node it left, never the Pod's own nor any private address.`,
          `${host.name}（${t.l3.dst}）在端口 ${port} 上收到请求。它来自 ${src}:${pkt.l4?.srcPort ?? 0}：这就是互联网所能看到的发送方，即它离开的那个节点的公网地址，既不是 Pod 自己的地址，也不是任何私有地址。`,
        )
      : text(
          `${host.name} (${t.l3.dst}) receives the request on port ${port}. It comes from ${src}:${pkt.l4?.srcPort ?? 0}: that is all the Internet sees of the sender, an address of the node it left, never the Pod's own.`,
          `${host.name}（${t.l3.dst}）在端口 ${port} 上收到请求。它来自 ${src}:${pkt.l4?.srcPort ?? 0}：这就是互联网所能看到的发送方，即它离开的那个节点的地址，而不是 Pod 自己的地址。`,
        ),
  )
  return {
    kind: 'delivered',
    to: { nsId: '', node: '', pod: null, container: null, external: t.l3.dst },
    packet: pkt,
  }
}

/**
 * The router has a packet for an address outside the node network: a host on the Internet, the
 * external client's, or nobody's.
 */
export function internetDeliver(w: Walk, pkt: Packet): WalkResult | null {
  const toHost = hostDeliver(w, pkt)
  if (toHost) return toHost
  const client = w.replyTo
  const t = top(pkt)
  if (!client?.external || t.l3.dst !== client.external) return null
  t.l3.ttl -= 1
  cloudLbReply(w, pkt)
  w.emit(
    'route',
    AT_ROUTER,
    pkt,
    [],
    text(
      `${t.l3.dst} is not on the node network, so its router sends the packet on towards the Internet (TTL ${t.l3.ttl}).`,
      `${t.l3.dst} 不在节点网络上，所以路由器把包继续发往互联网（TTL ${t.l3.ttl}）。`,
    ),
  )
  const port = pkt.l4?.dstPort ?? 0
  w.emit(
    'deliver',
    AT_INTERNET,
    pkt,
    [],
    text(
      `The reply reaches the client ${t.l3.dst}:${port}. It comes from ${t.l3.src}:${pkt.l4?.srcPort ?? 0}, the address and port the client called, so its socket accepts it. The round trip is complete.`,
      `应答到达客户端 ${t.l3.dst}:${port}。它来自 ${t.l3.src}:${pkt.l4?.srcPort ?? 0}，正是客户端所访问的地址和端口，所以客户端的套接字接受了它。一次往返完成。`,
    ),
  )
  return { kind: 'delivered', to: client, packet: pkt }
}
