/**
 * Cilium's BPF NodePort with kube-proxy replaced, loadBalancer.mode snat, VXLAN tunnelling
 * (bpf/lib/nodeport.h, cilium/cilium; read at f541499b and checked against the newest tests).
 *
 * Request: cil_from_netdev (bpf/bpf_host.c, tc ingress of the node's native device) runs
 * nodeport_lb4: lb4_lookup_service finds nodeIP:nodePort in the services map, lb4_local picks a
 * backend (DROP_NO_SERVICE when the frontend holds none) and rewrites the destination, and a CT
 * entry flagged node_port is created. A backend on this node: no SNAT (CTX_ACT_OK, then local
 * delivery keeps the client's address). A backend elsewhere: tail_nodeport_nat_egress_ipv4
 * looks the backend up in the ipcache and, in tunnel mode, SNATs to IPV4_GATEWAY, the router
 * address on cilium_host (bpf/tests xdp nodeport tunnel test: "SNATed to the router IP, which
 * only the tunnel branch of the NAT egress tail does"), keeping the client's port when it is in
 * NODEPORT_PORT_MIN_NAT..MAX_NAT (32768-65535, bpf/node_config.h defaults; nat.h
 * __snat_try_keep_port), then __encap_with_nodeid with the WORLD identity and a redirect to the
 * tunnel device.
 *
 * Reply: from a remote backend it comes back through the tunnel; on the LB node cil_from_overlay
 * runs nodeport_lb4 too, finds no service, and tail_nodeport_nat_ingress_ipv4 reverses the SNAT
 * from the NAT map (snat_v4_rev_nat), then rev_nodeport_lb4 reverses the DNAT from the CT entry
 * (lb4_rev_nat with the reverse-NAT ID) and fib_redirect_v4 sends it out of the native device.
 * From a local backend bpf_lxc sees the CT reply of a node_port entry and tail-calls the same
 * rev_nodeport_lb4. Netfilter's conntrack sees none of it: these are Cilium's own maps.
 */
import { formatIp, parseIp } from '../../../model/ipv4.ts'
import { text } from '../../../model/text.ts'
import type { Lookup, Packet } from '../../../model/trace.ts'
import { lookupRoute } from '../../net/fib.ts'
import { findLink, type Link, type NetNs } from '../../net/netns.ts'
import { formatNeigh } from '../../print/ip-neigh.ts'
import type { Walk, WalkResult } from '../../walk/api.ts'
import { resolveNeighbour } from '../../walk/arp.ts'
import type { MemoryKey } from '../../walk/state.ts'
import { vxlanTransmitTo } from '../../walk/tunnel.ts'
import { linkDetail } from '../../print/ip-link.ts'
import { bpfLbRevNat, lbLines, nodeFrontends } from './bpf-lb-list.ts'
import { deliver, fromContainer, fromOverlay } from './bpf-datapath.ts'
import { attachedLookup, ipcacheLookup, localEndpoint, remoteNode } from './endpoints.ts'
import { CILIUM_VXLAN, FROM_CONTAINER, FROM_OVERLAY } from './names.ts'
import { kubeProxyReplaced } from './service-list.ts'
import { RESERVED_IDENTITIES } from './identity.ts'

/** The tunnel key's identity for a request from outside (nodeport.h tail_nodeport_nat_egress_ipv4: __encap_with_nodeid(..., WORLD_ID, ...)). */
const WORLD = RESERVED_IDENTITIES.world

/** bpf_host's program on the native devices' tc ingress (bpf/bpf_host.c). */
export const FROM_NETDEV = 'cil_from_netdev'

// bpf/node_config.h: NODEPORT_PORT_MIN_NAT (NODEPORT_PORT_MAX + 1) and NODEPORT_PORT_MAX_NAT.
export const NAT_PORT_MIN = 32768
export const NAT_PORT_MAX = 65535

interface Addr {
  ip: string
  port: number
}

/** One NodePort connection as the LB node's CT and NAT maps hold it. */
interface NodePortFlow {
  node: string
  proto: string
  client: Addr
  frontend: Addr
  backend: Addr
  /** The SNAT (cilium_snat_v4_external), when the backend is on another node. */
  snat: Addr | null
  revNat: number
}

const FLOWS: MemoryKey<NodePortFlow[]> = { name: 'cilium nodeport flows', make: () => [] }

const at = (w: Walk, ns: NetNs, device: string) =>
  w.where(ns, { device, component: 'cilium', hook: 'tc ingress' })

const show = (a: Addr) => `${a.ip}:${a.port}`

/** The NAT map's two entries for a flow, in PodPath's words (the map's key and value). */
function natLookup(f: NodePortFlow): Lookup {
  return {
    table: 'Cilium NAT map (cilium_snat_v4_external)',
    rule: `${f.proto} OUT ${show(f.client)} -> ${show(f.backend)} XLATE_SRC ${show(f.snat!)}; ${f.proto} IN ${show(f.backend)} -> ${show(f.snat!)} XLATE_DST ${show(f.client)}`,
    matched: true,
  }
}

/** The CT entry nodeport_lb4 created, flagged node_port, with the frontend's reverse-NAT ID. */
function ctLookup(f: NodePortFlow): Lookup {
  return {
    table: 'Cilium conntrack (cilium_ct4_global)',
    rule: `${f.proto} OUT ${show(f.client)} -> ${show(f.backend)} node_port=1 rev_nat_index=${f.revNat}`,
    matched: true,
  }
}

/** cil_from_netdev: nodeport_lb4 for a packet to one of this node's NodePort frontends. */
export function fromNetdev(w: Walk, ns: NetNs, link: Link, pkt: Packet): WalkResult | null {
  const l3 = pkt.l3
  const l4 = pkt.l4
  const c = w.state.cluster
  if (pkt.outer || !l3 || !l4 || !ns.node || !kubeProxyReplaced(c.decl)) return null
  if (!w.newConnection) return null
  const dst = parseIp(l3.dst)
  const proto = l3.proto.toUpperCase()
  // From outside, the external scope (lb4_lookup_service with east_west false).
  const f = nodeFrontends(c, ns.node).find(
    (x) =>
      x.type === 'NodePort' &&
      x.scope === undefined &&
      x.address === dst &&
      x.port.nodePort === l4.dstPort &&
      x.port.protocol === proto,
  )
  if (!f) return null
  const svc = `${f.svc.namespace}/${f.svc.name}`
  const attached = attachedLookup(link, FROM_NETDEV)
  const frontend = { ip: l3.dst, port: l4.dstPort }
  if (f.backends.length === 0) {
    const lookups = [
      attached,
      ...lbLines(c, ns.node, f, null).map((rule) => ({
        table: 'cilium-dbg bpf lb list',
        rule,
        matched: true,
      })),
    ]
    return w.drop(
      ns,
      { device: link.name, component: 'cilium', hook: 'tc ingress' },
      pkt,
      text('no backend (DROP_NO_SERVICE)', '没有后端（DROP_NO_SERVICE）'),
      text(
        `Cilium's BPF program ${FROM_NETDEV} on ${link.name}'s tc ingress finds ${show(frontend)} in its Services map, NodePort frontend of Service ${svc}, but that frontend holds no backend on node ${ns.node}${f.svc.decl.externalTrafficPolicy === 'Local' ? ' (externalTrafficPolicy: Local keeps only the backends on this node)' : ''}, so the program drops the packet (DROP_NO_SERVICE).`,
        `Cilium 的 BPF 程序 ${FROM_NETDEV} 在 ${link.name} 的 tc ingress 上，在 Services 表中找到 ${show(frontend)}，即 Service ${svc} 的 NodePort 前端，但这个前端在节点 ${ns.node} 上没有任何后端${f.svc.decl.externalTrafficPolicy === 'Local' ? '（externalTrafficPolicy: Local 只保留本节点上的后端）' : ''}，所以程序丢弃这个包（DROP_NO_SERVICE）。`,
      ),
      lookups,
    )
  }
  const slot = w.rng.int(0, f.backends.length - 1)
  const b = f.backends[slot]!
  const backend = { ip: formatIp(b.ep.ip), port: b.ep.port }
  l3.dst = backend.ip
  l4.dstPort = backend.port
  const lbLookups = lbLines(c, ns.node, f, slot + 1).map((rule) => ({
    table: 'cilium-dbg bpf lb list',
    rule,
    matched: true,
  }))
  const local = localEndpoint(c, ns, backend.ip)
  const remote = local ? null : remoteNode(c, ns, backend.ip)
  const flow: NodePortFlow = {
    node: ns.node,
    proto,
    client: { ip: l3.src, port: l4.srcPort },
    frontend,
    backend,
    snat: null,
    revNat: f.id,
  }
  w.emit(
    'dnat',
    at(w, ns, link.name),
    pkt,
    [attached, ...lbLookups],
    text(
      `The packet from ${show(flow.client)} reaches ${ns.node}'s ${link.name}, where Cilium's BPF program ${FROM_NETDEV} runs on tc ingress, before netfilter and the routing table. nodeport_lb4 finds ${show(frontend)} in its Services map (cilium_lb4_services_v2), the NodePort frontend of Service ${svc}, and picks a backend at random: slot ${slot + 1} of ${f.backends.length}, ${show(backend)}. It rewrites the destination to it and records the connection in Cilium's own conntrack map, flagged node_port with reverse-NAT ID ${f.id}: netfilter's conntrack has no entry for it.`,
      `来自 ${show(flow.client)} 的包到达 ${ns.node} 的 ${link.name}，Cilium 的 BPF 程序 ${FROM_NETDEV} 在这里的 tc ingress 上运行，早于 netfilter 和路由表。nodeport_lb4 在它的 Services 表（cilium_lb4_services_v2）中找到 ${show(frontend)}，即 Service ${svc} 的 NodePort 前端，并随机选出一个后端：${f.backends.length} 个槽位中的第 ${slot + 1} 个，${show(backend)}。它把目的地址改写为该后端，并把这条连接记进 Cilium 自己的 conntrack 表，标记为 node_port，反向 NAT ID 为 ${f.id}：netfilter 的 conntrack 里没有这条记录。`,
    ),
  )
  if (local) {
    w.state.memory(FLOWS).push(flow)
    return deliver(w, ns, pkt, local, [ctLookup(flow)], FROM_NETDEV, { link, hook: 'tc ingress' })
  }
  const dev = findLink(ns, CILIUM_VXLAN)
  const node = c.nodeByName.get(ns.node)!
  if (!remote || !dev || node.routerIp === null) return null
  const keep = l4.srcPort >= NAT_PORT_MIN && l4.srcPort <= NAT_PORT_MAX
  const port = keep ? l4.srcPort : w.rng.int(NAT_PORT_MIN, NAT_PORT_MAX)
  flow.snat = { ip: formatIp(node.routerIp), port }
  w.state.memory(FLOWS).push(flow)
  l3.src = flow.snat.ip
  l4.srcPort = port
  const tep = formatIp(remote.node.ip)
  w.emit(
    'snat',
    at(w, ns, link.name),
    pkt,
    [ipcacheLookup(remote), natLookup(flow)],
    text(
      `The backend is not on this node, so the same program tail-calls tail_nodeport_nat_egress_ipv4. Its ipcache says ${backend.ip} (${remote.prefix}) lives behind node ${remote.node.name}, tunnel endpoint ${tep}: in tunnel mode it SNATs the source to ${flow.snat.ip}, this node's router address on cilium_host, ${keep ? `keeping the client's port ${port} (it lies in ${NAT_PORT_MIN}-${NAT_PORT_MAX})` : `with port ${port} from ${NAT_PORT_MIN}-${NAT_PORT_MAX}`}, and writes both directions into its NAT map (cilium_snat_v4_external), so the reply must come back through this node. This is loadBalancer.mode snat: the backend never sees the client's address.`,
      `后端不在本节点上，所以同一个程序尾调用 tail_nodeport_nat_egress_ipv4。它的 ipcache 表明 ${backend.ip}（${remote.prefix}）位于节点 ${remote.node.name} 之后，隧道端点为 ${tep}：在隧道模式下，它把源地址 SNAT 为 ${flow.snat.ip}，即本节点 cilium_host 上的路由器地址，${keep ? `保留客户端端口 ${port}（它在 ${NAT_PORT_MIN}-${NAT_PORT_MAX} 之内）` : `端口取 ${NAT_PORT_MIN}-${NAT_PORT_MAX} 中的 ${port}`}，并把两个方向都写进它的 NAT 表（cilium_snat_v4_external），这样应答必须经过本节点回来。这就是 loadBalancer.mode snat：后端永远看不到客户端的地址。`,
    ),
  )
  return vxlanTransmitTo(
    w,
    ns,
    dev,
    remote.node.ip,
    pkt,
    [{ table: `ip -d link show ${dev.name}`, rule: linkDetail(dev)!, matched: true }],
    text(
      `__encap_with_nodeid sets a tunnel key with remote ${tep} and the security identity reserved:world, ${WORLD} (the request came from outside the cluster, so the remote node must not take it for a cluster node's) and redirects the packet to ${dev.name}, a flow-based VXLAN device: the kernel wraps it in VXLAN (VNI ${WORLD}) + UDP (port ${dev.vxlan!.port}) + an outer IP header to ${tep}. No route and no iptables rule decided this hop.`,
      `__encap_with_nodeid 设置远端为 ${tep}、安全身份为 reserved:world（${WORLD}）的隧道键（请求来自集群之外，远端节点不能把它当作集群节点发来的），并把包重定向到基于流的 VXLAN 设备 ${dev.name}：内核把它封装进 VXLAN（VNI ${WORLD}）+ UDP（端口 ${dev.vxlan!.port}）+ 发往 ${tep} 的外层 IP 头。决定这一跳的既不是路由，也不是 iptables 规则。`,
    ),
    WORLD,
  )
}

/** The flow a reply belongs to on this node: from its backend, to the client or the SNAT. */
function flowOf(w: Walk, ns: NetNs, pkt: Packet): NodePortFlow | null {
  const l3 = pkt.l3
  const l4 = pkt.l4
  if (pkt.outer || !l3 || !l4 || w.newConnection) return null
  const to = (a: Addr | null) => a !== null && a.ip === l3.dst && a.port === l4.dstPort
  return (
    w.state
      .memory(FLOWS)
      .find(
        (f) =>
          f.node === ns.node &&
          f.backend.ip === l3.src &&
          f.backend.port === l4.srcPort &&
          (f.snat ? to(f.snat) : to(f.client)),
      ) ?? null
  )
}

/** bpf_overlay: a reply from a remote backend, to this node's SNAT address. */
export function fromOverlayNodePort(
  w: Walk,
  ns: NetNs,
  link: Link,
  pkt: Packet,
): WalkResult | null {
  const f = flowOf(w, ns, pkt)
  if (!f?.snat) return fromOverlay(w, ns, link, pkt)
  pkt.l3!.dst = f.client.ip
  pkt.l4!.dstPort = f.client.port
  w.emit(
    'unnat',
    at(w, ns, link.name),
    pkt,
    [attachedLookup(link, FROM_OVERLAY), natLookup(f)],
    text(
      `The reply arrives through the tunnel for ${show(f.snat)}. Cilium's BPF program ${FROM_OVERLAY} runs nodeport_lb4, which finds no Service for that address, so tail_nodeport_nat_ingress_ipv4 looks it up in the NAT map: it is the SNAT of the NodePort connection from ${show(f.client)}, and the program rewrites the destination back to the client.`,
      `应答经隧道到达，发往 ${show(f.snat)}。Cilium 的 BPF 程序 ${FROM_OVERLAY} 运行 nodeport_lb4，没有找到这个地址的 Service，于是 tail_nodeport_nat_ingress_ipv4 在 NAT 表中查找它：这是来自 ${show(f.client)} 的 NodePort 连接的 SNAT，程序把目的地址改写回客户端。`,
    ),
  )
  return revNodePort(w, ns, link, pkt, f, FROM_OVERLAY)
}

/** bpf_lxc: a local backend's reply to a NodePort client goes to rev_nodeport_lb4. */
export function fromContainerNodePort(
  w: Walk,
  ns: NetNs,
  link: Link,
  pkt: Packet,
): WalkResult | null {
  const f = flowOf(w, ns, pkt)
  if (!f || f.snat) return fromContainer(w, ns, link, pkt)
  return revNodePort(w, ns, link, pkt, f, FROM_CONTAINER)
}

/**
 * rev_nodeport_lb4: the CT entry (node_port, its reverse-NAT ID) rewrites the source back to
 * the frontend, and fib_redirect_v4 looks the client up in the node's FIB (bpf_fib_lookup) and
 * redirects the packet out of that device, its neighbour's MAC written in.
 */
function revNodePort(
  w: Walk,
  ns: NetNs,
  link: Link,
  pkt: Packet,
  f: NodePortFlow,
  program: string,
): WalkResult {
  const l3 = pkt.l3!
  l3.src = f.frontend.ip
  pkt.l4!.srcPort = f.frontend.port
  w.emit(
    'unnat',
    at(w, ns, link.name),
    pkt,
    [
      ...(program === FROM_CONTAINER ? [attachedLookup(link, program)] : []),
      ctLookup(f),
      {
        table: 'cilium-dbg bpf lb list --revnat',
        rule: bpfLbRevNat(w.state.cluster, ns.node!)[f.revNat]!,
        matched: true,
      },
    ],
    text(
      `${program === FROM_CONTAINER ? `Cilium's BPF program ${program} on ${link.name} finds the reply's connection in its conntrack map, flagged node_port, and tail-calls rev_nodeport_lb4. ` : 'Then rev_nodeport_lb4 '}finds the CT entry with reverse-NAT ID ${f.revNat} and rewrites the source ${show(f.backend)} back to ${show(f.frontend)}, the NodePort the client called. netfilter's conntrack is not involved.`,
      `${program === FROM_CONTAINER ? `Cilium 的 BPF 程序 ${program} 在 ${link.name} 上，在它的 conntrack 表中找到这个应答所属的连接（标记为 node_port），于是尾调用 rev_nodeport_lb4。` : '接着 rev_nodeport_lb4 '}找到反向 NAT ID 为 ${f.revNat} 的 CT 记录，把源地址 ${show(f.backend)} 改写回 ${show(f.frontend)}，即客户端访问的 NodePort。netfilter 的 conntrack 没有参与。`,
    ),
  )
  const m = lookupRoute(ns, parseIp(l3.dst)!, null)
  if (!m || !m.route.dev) return w.noRoute(ns, pkt)
  const dev = findLink(ns, m.route.dev)!
  const nexthop = m.route.via ?? parseIp(l3.dst)!
  const known = w.state.neigh(ns.id).find((n) => n.ip === nexthop && n.dev === dev.name)
  if (known) pkt.l2 = { src: dev.mac!, dst: known.lladdr }
  w.emit(
    'route',
    w.where(ns, { device: dev.name, component: 'cilium' }),
    pkt,
    [
      ...w.routeLookups(m),
      ...(known ? [{ table: 'ip neigh', rule: formatNeigh(known), matched: true }] : []),
    ],
    text(
      `fib_redirect_v4 asks the node's routing table for ${l3.dst} (bpf_fib_lookup): out of ${dev.name} via ${formatIp(nexthop)}. The program writes the Ethernet header itself and redirects the packet straight to ${dev.name}, past the node's forwarding path and its netfilter hooks.`,
      `fib_redirect_v4 向节点的路由表查询 ${l3.dst}（bpf_fib_lookup）：从 ${dev.name} 经 ${formatIp(nexthop)} 发出。程序自己写好以太网头，把包直接重定向到 ${dev.name}，绕过节点的转发路径和它的 netfilter 钩子。`,
    ),
  )
  if (!known) {
    const mac = resolveNeighbour(w, ns, dev, nexthop, pkt)
    if (mac === null) return w.noRoute(ns, pkt)
    pkt.l2 = { src: dev.mac!, dst: mac }
  }
  return w.transmit(ns, dev, pkt)
}
