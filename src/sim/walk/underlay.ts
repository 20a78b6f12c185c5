/**
 * The network between the nodes: a switch for nodes on one subnet, a router between subnets, or
 * the cloud VPC, which delivers every address to the ENI that holds it.
 */
import { formatIp, parseIp } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { Packet } from '../../model/trace.ts'
import type { Link, NetNs } from '../net/netns.ts'
import type { Walk, WalkResult } from './api.ts'
import { top } from './packet.ts'
import { internetDeliver, nodeInterfaceOf } from './internet.ts'

function ownerOf(w: Walk, mac: string): { ns: NetNs; link: Link } | null {
  for (const node of w.state.cluster.nodes) {
    const ns = w.state.ns(node.nsId)
    const link = ns.links.find((l) => l.kind === 'ether' && l.mac === mac)
    if (link) return { ns, link }
  }
  return null
}

export function underlayTransmit(w: Walk, ns: NetNs, link: Link, pkt: Packet): WalkResult {
  const cluster = w.state.cluster
  const vpc = cluster.underlay === 'vpc'
  const component = vpc ? 'vpc' : 'underlay'
  const at = { node: null, pod: null, container: null, device: null, component, hook: null }
  const t = top(pkt)
  const encap = pkt.outer
    ? {
        en: ' The network sees only the outer header; the Pod addresses are hidden inside.',
        zh: '网络只看到外层头，Pod 地址藏在里面。',
      }
    : vpc
      ? {
          en: ' Pod addresses are real VPC addresses, so no encapsulation is needed.',
          zh: 'Pod 地址就是真实的 VPC 地址，所以不需要任何封装。',
        }
      : { en: '', zh: '' }
  if (t.l2!.dst === cluster.routerMac) {
    const dst = parseIp(t.l3.dst)!
    const owner = nodeInterfaceOf(w, dst)
    const outside = owner ? null : internetDeliver(w, pkt)
    if (outside) return outside
    if (!owner) {
      return w.drop(
        null,
        at,
        pkt,
        text('underlay has no route', '底层网络没有去往这个地址的路由'),
        text(
          `The frame reaches the ${vpc ? 'VPC router' : 'router of the node network'}, which knows only the nodes' own addresses. Nothing there routes ${t.l3.dst}, so the packet is dropped: the underlay does not carry Pod routes unless a CNI plugin teaches it (BGP) or hides Pod addresses inside node-to-node packets (an overlay).`,
          `帧到达${vpc ? ' VPC 路由器' : '节点网络的路由器'}，它只认识各节点自己的地址。这里没有去往 ${t.l3.dst} 的路由，所以包被丢弃：除非 CNI 插件把 Pod 路由告诉底层网络（BGP），或者把 Pod 地址藏进节点之间的包里（overlay），否则底层网络不会承载 Pod 路由。`,
        ),
      )
    }
    t.l3.ttl -= 1
    t.setL2({ src: cluster.routerMac, dst: owner.link.mac! })
    w.emit(
      'route',
      at,
      pkt,
      [],
      text(
        `The ${vpc ? 'VPC' : 'router'} forwards ${t.l3.dst} to ${owner.ns.node}'s ${owner.link.name} (TTL now ${t.l3.ttl}).${encap.en}`,
        `${vpc ? 'VPC' : '路由器'}把 ${t.l3.dst} 转发到 ${owner.ns.node} 的 ${owner.link.name}（TTL 变为 ${t.l3.ttl}）。${encap.zh}`,
      ),
    )
    w.mark = 0
    return w.receive(owner.ns, owner.link, pkt)
  }
  const owner = ownerOf(w, t.l2!.dst)
  if (!owner) {
    return w.drop(
      null,
      at,
      pkt,
      text('no such MAC on the underlay', '底层网络上没有这个 MAC'),
      text(
        `No machine on the node network has MAC ${t.l2!.dst}.`,
        `节点网络上没有 MAC 为 ${t.l2!.dst} 的机器。`,
      ),
    )
  }
  const dst = formatIp(parseIp(t.l3.dst)!)
  const forOwner = owner.link.addrs.some((a) => formatIp(a.ip) === dst)
  w.emit(
    vpc ? 'route' : 'bridge',
    at,
    pkt,
    [],
    vpc
      ? text(
          `The VPC delivers the packet from ${ns.node}'s ${link.name} to ${owner.ns.node}'s ${owner.link.name}, the ENI that holds ${t.l3.dst}.${encap.en}`,
          `VPC 把包从 ${ns.node} 的 ${link.name} 送到 ${owner.ns.node} 的 ${owner.link.name}，也就是持有 ${t.l3.dst} 的 ENI。${encap.zh}`,
        )
      : forOwner
        ? text(
            `The frame leaves ${ns.node}'s ${link.name} and the node network's switch delivers it to ${owner.ns.node}'s ${owner.link.name} (${dst}).${encap.en}`,
            `帧离开 ${ns.node} 的 ${link.name}，节点网络的交换机把它送到 ${owner.ns.node} 的 ${owner.link.name}（${dst}）。${encap.zh}`,
          )
        : // Routed, not tunnelled (host-gw, kindnet, BGP): the switch goes by the node's MAC while
          // the packet inside is still addressed to the Pod, which that node routes on.
          text(
            `The frame leaves ${ns.node}'s ${link.name} and the node network's switch delivers it by its destination MAC ${t.l2!.dst} to ${owner.ns.node}'s ${owner.link.name}; the packet inside is still addressed to ${dst}, which ${owner.ns.node} routes on.${encap.en}`,
            `帧离开 ${ns.node} 的 ${link.name}，节点网络的交换机按目的 MAC ${t.l2!.dst} 把它送到 ${owner.ns.node} 的 ${owner.link.name}；里面的包仍然发往 ${dst}，由 ${owner.ns.node} 继续路由。${encap.zh}`,
          ),
  )
  // A frame off the wire carries no skb mark: the mark is the sending kernel's alone.
  w.mark = 0
  return w.receive(owner.ns, owner.link, pkt)
}
