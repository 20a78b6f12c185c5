/**
 * A client outside the cluster (Traffic `from: {external: IP}`). PodPath does not model the
 * Internet hop by hop: the client's packets reach the router of the node network, which hands
 * them to the node that owns the destination address, and replies for the client leave through
 * that router again. Nothing on the way translates addresses (no NAT at the site's edge): the
 * client and the nodes reach each other directly, as they do on a routed corporate network or
 * with nodes that have public addresses.
 */
import { cidrContains, parseIp } from '../../model/ipv4.ts'
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
  const src = t.l3.src
  const srcIp = parseIp(src)!
  const cluster = w.state.cluster.decl
  if (cidrContains(cluster.clusterCIDR, srcIp)) {
    return w.drop(
      null,
      AT_INTERNET,
      pkt,
      text('private source address', '私有源地址'),
      text(
        `The packet still carries the Pod's address ${src} as its source: nothing masqueraded it on the way out. ${host.name} (${t.l3.dst}) may even receive it, but its reply to ${src} cannot come back: the Pod range is private to the cluster and no router of the Internet has a route to it. The connection never completes.`,
        `这个包的源地址仍然是 Pod 的地址 ${src}：出站途中没有任何规则对它做伪装。${host.name}（${t.l3.dst}）也许能收到它，但发往 ${src} 的应答回不来：Pod 地址段是集群私有的，互联网上没有任何路由器有去往它的路由。连接永远无法建立。`,
      ),
    )
  }
  const port = pkt.l4?.dstPort ?? 0
  w.emit(
    'deliver',
    AT_INTERNET,
    pkt,
    [],
    text(
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
