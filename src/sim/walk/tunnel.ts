/**
 * Overlay tunnels. VXLAN (RFC 7348; Linux drivers/net/vxlan): the inner Ethernet frame goes
 * inside UDP to the remote VTEP found in the device's FDB. IP-in-IP (RFC 2003; net/ipv4/ipip.c):
 * the inner IP packet goes inside an outer IPv4 header, protocol 4, to the route's gateway.
 */
import { formatIp, parseIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import { lookupRoute } from '../net/fib.ts'
import { findLink, type Link, type NetNs } from '../net/netns.ts'
import { formatNeigh } from '../print/ip-neigh.ts'
import { formatFdb } from '../print/bridge-fdb.ts'
import { linkDetail } from '../print/ip-link.ts'
import type { Walk, WalkResult } from './api.ts'

/**
 * The outer UDP source port: the kernel hashes the inner flow into the local port range
 * (vxlan_xmit_one -> udp_flow_src_port; default range 32768-60999, net/ipv4/af_inet.c). The hash
 * key is random per boot, so PodPath draws it from the trace's seeded generator.
 */
function vxlanSourcePort(w: Walk): number {
  return w.rng.int(32768, 60998)
}

// vxlan_xmit_one: ttl = ttl ? : ip4_dst_hoplimit(), 64 by default (net.ipv4.ip_default_ttl).
const DEFAULT_TTL = 64

export function vxlanTransmit(
  w: Walk,
  ns: NetNs,
  dev: Link,
  nexthop: number,
  pkt: Packet,
): WalkResult {
  const vx = dev.vxlan!
  const neigh = w.state.neigh(ns.id).find((n) => n.ip === nexthop && n.dev === dev.name)
  const lookups: Lookup[] = [
    { table: `ip -d link show ${dev.name}`, rule: linkDetail(dev)!, matched: true },
  ]
  if (!neigh) {
    return w.drop(
      ns,
      { device: dev.name },
      pkt,
      text('no VTEP neighbour', '没有 VTEP 的邻居表项'),
      text(
        `${dev.name} has no neighbour entry for ${formatIp(nexthop)}, so it cannot tell which VTEP MAC to use.`,
        `${dev.name} 没有 ${formatIp(nexthop)} 的邻居表项，不知道该用哪个 VTEP MAC。`,
      ),
      lookups,
    )
  }
  lookups.push({ table: 'ip neigh', rule: formatNeigh(neigh), matched: true })
  const fdb = w.state.fdb(ns.id).find((f) => f.dev === dev.name && f.mac === neigh.lladdr)
  if (!fdb || fdb.dst === null) {
    return w.drop(
      ns,
      { device: dev.name },
      pkt,
      text('no VTEP', '没有 VTEP'),
      text(
        `${dev.name}'s forwarding database has no remote VTEP for ${neigh.lladdr}.`,
        `${dev.name} 的转发表中没有 ${neigh.lladdr} 对应的远端 VTEP。`,
      ),
      lookups,
    )
  }
  lookups.push({ table: 'bridge fdb show', rule: formatFdb(fdb), matched: true })
  pkt.l2 = { src: dev.mac!, dst: neigh.lladdr }
  const outerDst = formatIp(fdb.dst)
  pkt.outer = {
    encap: 'vxlan',
    vni: vx.vni,
    l2: null,
    l3: { src: formatIp(vx.local), dst: outerDst, proto: 'udp', ttl: DEFAULT_TTL },
    l4: { proto: 'udp', srcPort: vxlanSourcePort(w), dstPort: vx.port },
  }
  w.emit(
    'encapsulate',
    w.where(ns, { device: dev.name }),
    pkt,
    lookups,
    text(
      `${dev.name} is a VXLAN device (VNI ${vx.vni}). Its neighbour entry gives the remote VTEP's MAC ${neigh.lladdr}, and its FDB says that MAC lives at ${outerDst}. The kernel wraps the whole inner Ethernet frame in VXLAN (VNI ${vx.vni}) + UDP (port ${vx.port}) + an outer IP header from ${formatIp(vx.local)} to ${outerDst}: 50 more bytes, which is why ${dev.name} and the Pods use MTU ${dev.mtu}.`,
      `${dev.name} 是一个 VXLAN 设备（VNI ${vx.vni}）。它的邻居表项给出远端 VTEP 的 MAC ${neigh.lladdr}，它的 FDB 表明这个 MAC 位于 ${outerDst}。内核把整个内层以太网帧封装进 VXLAN（VNI ${vx.vni}）+ UDP（端口 ${vx.port}）+ 从 ${formatIp(vx.local)} 到 ${outerDst} 的外层 IP 头：多出 50 字节，所以 ${dev.name} 和 Pod 的 MTU 是 ${dev.mtu}。`,
    ),
  )
  return sendOuter(w, ns, pkt)
}

export function ipipTransmit(
  w: Walk,
  ns: NetNs,
  dev: Link,
  nexthop: number,
  pkt: Packet,
): WalkResult {
  const m = lookupRoute(ns, nexthop, null)
  const outerSrc = m ? w.selectSource(ns, m.route) : '0.0.0.0'
  // tunl0 is "ttl inherit": the outer TTL copies the inner one (ip_tunnel_xmit, tnl_params->ttl == 0).
  const inner = pkt.l3!
  pkt.l2 = null
  pkt.outer = {
    encap: 'ipip',
    l2: null,
    l3: { src: outerSrc, dst: formatIp(nexthop), proto: 'ipip', ttl: inner.ttl },
    l4: null,
  }
  w.emit(
    'encapsulate',
    w.where(ns, { device: dev.name }),
    pkt,
    [{ table: `ip -d link show ${dev.name}`, rule: linkDetail(dev)!, matched: true }],
    text(
      `The route sends the packet into ${dev.name} "via ${formatIp(nexthop)} onlink". ${dev.name} is an IP-in-IP device: it puts a second IPv4 header (protocol 4) in front, from ${outerSrc} to ${formatIp(nexthop)}, the route's gateway. No Ethernet header travels inside; the cost is 20 bytes, which is why ${dev.name} and the Pods use MTU ${dev.mtu}.`,
      `路由让包进入 ${dev.name}，“via ${formatIp(nexthop)} onlink”。${dev.name} 是 IP-in-IP 设备：它在前面再加一个 IPv4 头（协议号 4），从 ${outerSrc} 到路由的网关 ${formatIp(nexthop)}。内层不携带以太网头；代价是 20 字节，所以 ${dev.name} 和 Pod 的 MTU 是 ${dev.mtu}。`,
    ),
  )
  return sendOuter(w, ns, pkt)
}

/**
 * Sends the outer packet out of the node like any packet the node itself makes: the OUTPUT
 * hooks (iptunnel_xmit -> ip_local_out, net/ipv4/ip_output.c), then the route and POSTROUTING.
 */
function sendOuter(w: Walk, ns: NetNs, pkt: Packet): WalkResult {
  const stop = w.nfHook('OUTPUT', ns, null, pkt)
  if (stop) return stop
  const m = lookupRoute(ns, parseIp(pkt.outer!.l3.dst)!, null)
  if (!m) return w.noRoute(ns, pkt)
  return w.afterRoute(ns, null, pkt, m, true)
}

/**
 * What a flow-based VXLAN device ("external", collect metadata) hands up with a packet it
 * decapsulated: the skb's tunnel info (a metadata dst, ip_tunnel_info; vxlan_rcv), the VNI as the
 * key's tunnel_id and the outer source as its remote, for a BPF program to read
 * (bpf_skb_get_tunnel_key). Kept beside the packet object while it goes up the device.
 */
const received = new WeakMap<Packet, { id: number; remote: string }>()

/** The tunnel key a flow-based device received `pkt` with, or null. */
export function receivedTunnelKey(pkt: Packet): { id: number; remote: string } | null {
  return received.get(pkt) ?? null
}

/** A packet for one of our addresses arrives wrapped: hand it to the tunnel device that owns it. */
export function decapsulate(w: Walk, ns: NetNs, pkt: Packet, routeLookups: Lookup[]): WalkResult {
  const o = pkt.outer!
  let dev: Link | undefined
  if (o.encap === 'vxlan')
    dev = ns.links.find(
      (l) =>
        l.kind === 'vxlan' &&
        l.vxlan!.port === o.l4?.dstPort &&
        (l.vxlan!.external === true || l.vxlan!.vni === o.vni),
    )
  else dev = ns.links.find((l) => l.kind === 'ipip')
  if (!dev) {
    return w.drop(
      ns,
      {},
      pkt,
      text('no tunnel device', '没有隧道设备'),
      text(
        'The node has no tunnel device for this encapsulated packet, so the kernel drops it.',
        '节点上没有能处理这个封装包的隧道设备，内核将其丢弃。',
      ),
      routeLookups,
    )
  }
  const what =
    o.encap === 'vxlan' && dev.vxlan!.external
      ? text(
          `The outer packet is addressed to this node and to UDP port ${o.l4!.dstPort}, where the flow-based VXLAN device ${dev.name} listens (it takes any VNI and hands it up with the packet). It strips the outer Ethernet, IP, UDP and VXLAN headers; the original frame comes out of ${dev.name} unchanged.`,
          `外层包的目的地是本节点的 UDP 端口 ${o.l4!.dstPort}，基于流的 VXLAN 设备 ${dev.name} 在这里监听（它接受任何 VNI，并把 VNI 随包交给上层）。它剥掉外层的以太网、IP、UDP 和 VXLAN 头；原始帧原封不动地从 ${dev.name} 出来。`,
        )
      : o.encap === 'vxlan'
        ? text(
            `The outer packet is addressed to this node and to UDP port ${o.l4!.dstPort}, where the VXLAN device ${dev.name} (VNI ${o.vni}) listens. It strips the outer Ethernet, IP, UDP and VXLAN headers; the original frame from the Pod comes out of ${dev.name} unchanged.`,
            `外层包的目的地是本节点的 UDP 端口 ${o.l4!.dstPort}，VXLAN 设备 ${dev.name}（VNI ${o.vni}）就在这里监听。它剥掉外层的以太网、IP、UDP 和 VXLAN 头；Pod 发出的原始帧原封不动地从 ${dev.name} 出来。`,
          )
        : text(
            `The outer packet is addressed to this node with IP protocol 4 (IP-in-IP), so ${dev.name} takes it and strips the outer IP header; the Pod's original packet comes out of ${dev.name}.`,
            `外层包的目的地是本节点，IP 协议号为 4（IP-in-IP），所以由 ${dev.name} 接收并剥掉外层 IP 头；Pod 的原始包从 ${dev.name} 出来。`,
          )
  pkt.outer = null
  if (o.encap === 'vxlan' && dev.vxlan!.external === true)
    received.set(pkt, { id: o.vni ?? 0, remote: o.l3.src })
  if (o.encap === 'vxlan' && pkt.l2) pkt.l2 = { ...pkt.l2 }
  w.emit('decapsulate', w.where(ns, { device: dev.name }), pkt, routeLookups, what)
  // Up through the device like any frame it receives: its tc programs first, then IP.
  return w.receive(ns, findLink(ns, dev.name)!, pkt)
}

/**
 * A flow-based VXLAN device (`external`, collect metadata) encapsulates to the remote a BPF
 * program set in the packet's tunnel key (bpf_skb_set_tunnel_key), not to one found in an FDB:
 * vxlan_xmit takes the remote, and the VNI (`vni`, the key's tunnel_id), from the skb's tunnel
 * info. `lookups` and `explain` say who chose them.
 */
export function vxlanTransmitTo(
  w: Walk,
  ns: NetNs,
  dev: Link,
  remote: number,
  pkt: Packet,
  lookups: Lookup[],
  explain: Text,
  vni?: number,
): WalkResult {
  const m = lookupRoute(ns, remote, null)
  const outerSrc = m ? w.selectSource(ns, m.route) : '0.0.0.0'
  pkt.outer = {
    encap: 'vxlan',
    ...(vni === undefined ? {} : { vni }),
    l2: null,
    l3: { src: outerSrc, dst: formatIp(remote), proto: 'udp', ttl: DEFAULT_TTL },
    l4: { proto: 'udp', srcPort: vxlanSourcePort(w), dstPort: dev.vxlan!.port },
  }
  w.emit('encapsulate', w.where(ns, { device: dev.name }), pkt, lookups, explain)
  return sendOuter(w, ns, pkt)
}
