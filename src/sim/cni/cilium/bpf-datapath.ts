/**
 * Cilium's tc programs as the walk runs them. cil_from_container (bpf/bpf_lxc.c, on the tc
 * ingress of each Pod's lxc device: "packets leaving the container") looks the destination up:
 * a local endpoint gets the packet redirected straight to its lxc device (ipv4_local_delivery);
 * an address behind another node gets a tunnel key with that node as the remote and is
 * redirected to cilium_vxlan (encap_and_redirect_lxc); anything else goes up the host's stack
 * (TC_ACT_OK). cil_from_overlay (bpf/bpf_overlay.c, on cilium_vxlan's tc ingress: "packets
 * entering the node via the tunnel") delivers to the local endpoint the same way. No iptables
 * rule and no route decides these hops: the programs do.
 */
import { formatIp } from '../../../model/ipv4.ts'
import { text, type Text } from '../../../model/text.ts'
import type { Cluster } from '../../cluster.ts'
import type { Lookup, Packet } from '../../../model/trace.ts'
import { findLink, type Link, type NetNs } from '../../net/netns.ts'
import { linkDetail } from '../../print/ip-link.ts'
import type { Walk, WalkResult } from '../../walk/api.ts'
import { receivedTunnelKey, vxlanTransmitTo } from '../../walk/tunnel.ts'
import {
  attachedLookup,
  endpointLookup,
  ipcacheLookup,
  localEndpoint,
  remoteNode,
  type LocalEndpoint,
} from './endpoints.ts'
import { RESERVED_IDENTITIES, podIdentity, reservedName } from './identity.ts'
import { CILIUM_VXLAN, FROM_CONTAINER, FROM_HOST, FROM_OVERLAY } from './names.ts'
import { identityOfAddress, policyCheck, type PolicyCheck } from './policy.ts'

const at = (w: Walk, ns: NetNs, device: string, hook = 'tc ingress') =>
  w.where(ns, { device, component: 'cilium', hook })

export function fromContainer(w: Walk, ns: NetNs, link: Link, pkt: Packet): WalkResult | null {
  return handleIpv4(w, ns, link, pkt, FROM_CONTAINER, 'ingress')
}

/**
 * cil_from_host (bpf/bpf_host.c, on cilium_host's tc egress): what the node itself sends to a
 * Pod address (its routes send every Pod CIDR via the router on cilium_host) is delivered or
 * tunnelled by the same lookups.
 */
export function fromHost(w: Walk, ns: NetNs, link: Link, pkt: Packet): WalkResult | null {
  return handleIpv4(w, ns, link, pkt, FROM_HOST, 'egress')
}

function handleIpv4(
  w: Walk,
  ns: NetNs,
  link: Link,
  pkt: Packet,
  program: string,
  dir: 'ingress' | 'egress',
): WalkResult | null {
  if (!pkt.l3 || pkt.outer) return null
  const c = w.state.cluster
  const attached = attachedLookup(link, program, dir)
  // The sending endpoint: the Pod behind this lxc device (none for what the host sends).
  const sender =
    dir === 'ingress'
      ? c.pods.find((p) => p.hostVeth === link.name && p.node === ns.node)
      : undefined
  const egress = sender
    ? policyCheck(w, ns, pkt, sender, 'Egress', { device: link.name, hook: 'tc ingress' })
    : null
  if (egress?.dropped) return egress.dropped
  const local = localEndpoint(c, ns, pkt.l3.dst)
  if (local)
    return deliver(w, ns, pkt, local, [attached, ...(egress?.lookups ?? [])], program, {
      link,
      hook: `tc ${dir}`,
      egress,
    })
  const remote = remoteNode(c, ns, pkt.l3.dst)
  if (!remote) return null
  const dev = findLink(ns, CILIUM_VXLAN)
  if (!dev) return null
  const node = formatIp(remote.node.ip)
  // The tunnel key's ID is the sender's security identity (bpf/lib/overloadable_skb.h
  // ctx_set_encap_info4: key.tunnel_id = get_tunnel_id(seclabel)); the host's own identity goes
  // out as the local node's, remote-node by default (bpf/lib/encap.h: HOST_ID -> LOCAL_NODE_ID).
  const vni = sender ? podIdentity(c, sender)!.id : RESERVED_IDENTITIES['remote-node']
  const where =
    dir === 'ingress'
      ? {
          en: `The packet leaves the Pod through ${link.name}, where Cilium's BPF program ${program} runs on tc ingress before the node's routing table is consulted.`,
          zh: `包经 ${link.name} 离开 Pod，Cilium 的 BPF 程序 ${program} 在这里的 tc ingress 上运行，早于节点路由表的查找。`,
        }
      : {
          en: `The node's route sent the packet to ${link.name}, where Cilium's BPF program ${program} runs on tc egress.`,
          zh: `节点的路由把包交给 ${link.name}，Cilium 的 BPF 程序 ${program} 在它的 tc egress 上运行。`,
        }
  w.emit(
    'route',
    at(w, ns, link.name, `tc ${dir}`),
    pkt,
    [attached, ...(egress?.lookups ?? []), ipcacheLookup(remote)],
    text(
      `${where.en}${egress?.note ? ` ${egress.note.en}` : ''} Its ipcache says ${pkt.l3.dst} (${remote.prefix}) lives behind node ${remote.node.name}, tunnel endpoint ${node}: the program writes a tunnel key with remote ${node} into the packet and redirects it to ${CILIUM_VXLAN}. No iptables rule decided this hop.`,
      `${where.zh}${egress?.note?.['zh-CN'] ?? ''}它的 ipcache 表明 ${pkt.l3.dst}（${remote.prefix}）位于节点 ${remote.node.name} 之后，隧道端点为 ${node}：程序把远端为 ${node} 的隧道键（tunnel key）写进包里，并把包重定向到 ${CILIUM_VXLAN}。决定这一跳的不是 iptables 规则。`,
    ),
  )
  const lookups: Lookup[] = [
    { table: `ip -d link show ${dev.name}`, rule: linkDetail(dev)!, matched: true },
  ]
  return vxlanTransmitTo(
    w,
    ns,
    dev,
    remote.node.ip,
    pkt,
    lookups,
    text(
      `${dev.name} is a flow-based VXLAN device ("external"): it has no FDB of remote VTEPs; it takes the remote and the VNI from the tunnel key ${program} set. The kernel wraps the frame in VXLAN (VNI ${vni}) + UDP (port ${dev.vxlan!.port}, Cilium's default) + an outer IP header to ${node}. The VNI is not a network number here: it is the sender's security identity, ${vni}${sender ? `, the identity of Pod ${sender.namespace}/${sender.name}` : ', remote-node: what the node itself sends'}, so the receiving node knows who sent the packet without looking its address up.`,
      `${dev.name} 是基于流的 VXLAN 设备（“external”）：它没有远端 VTEP 的 FDB，而是从 ${program} 设置的隧道键中取得远端和 VNI。内核把这个帧封装进 VXLAN（VNI ${vni}）+ UDP（端口 ${dev.vxlan!.port}，Cilium 的默认值）+ 发往 ${node} 的外层 IP 头。这里的 VNI 不是网络编号，而是发送方的安全身份（identity）${vni}${sender ? `，即 Pod ${sender.namespace}/${sender.name} 的身份` : '，即 remote-node：节点自己发出的流量'}，这样接收节点无须查地址就知道是谁发的包。`,
    ),
    vni,
  )
}

export function fromOverlay(w: Walk, ns: NetNs, link: Link, pkt: Packet): WalkResult | null {
  if (!pkt.l3 || pkt.outer) return null
  const local = localEndpoint(w.state.cluster, ns, pkt.l3.dst)
  if (!local) return null
  return deliver(w, ns, pkt, local, [attachedLookup(link, FROM_OVERLAY)], FROM_OVERLAY, {
    link,
    hook: 'tc ingress',
    tunnelId: receivedTunnelKey(pkt)?.id ?? 0,
  })
}

/**
 * ipv4_local_delivery (bpf/lib/local_delivery.h; l3.h in older releases): ipv4_l3 sets the
 * endpoint's MACs (source its node_mac, the host side's; destination its mac) and drops the TTL
 * by one as a router would; local_delivery then tail-calls the endpoint's policy program, which
 * redirects the packet out of its lxc device to the Pod's eth0 once its ingress policy allows
 * it (./policy.ts). `egress` is the sender's own verdict, on a Pod-to-Pod hop on one node.
 */
export function deliver(
  w: Walk,
  ns: NetNs,
  pkt: Packet,
  ep: LocalEndpoint,
  lookups: Lookup[],
  program: string,
  via: { link: Link; hook: string; egress?: PolicyCheck | null; tunnelId?: number },
): WalkResult {
  const l3 = pkt.l3!
  const c = w.state.cluster
  // From the tunnel, the source identity is the VNI cil_from_overlay read from the tunnel key:
  // the one the sender's node wrote, the identity of the source address.
  const tunnelId = via.tunnelId ?? null
  const fromTunnel = tunnelId === null ? null : identityNote(c, ns, l3.src, tunnelId)
  const ingress = policyCheck(
    w,
    ns,
    pkt,
    ep.pod,
    'Ingress',
    { device: via.link.name, hook: via.hook },
    fromTunnel,
    tunnelId,
  )
  if (ingress.dropped) return ingress.dropped
  const notes = [via.egress?.note, fromTunnel, ingress.note].filter((x): x is Text => !!x)
  l3.ttl -= 1
  pkt.l2 = { src: ep.lxc.mac!, dst: ep.podMac }
  const pod = `${ep.pod.namespace}/${ep.pod.name}`
  w.emit(
    'route',
    at(w, ns, ep.lxc.name),
    pkt,
    [...lookups, endpointLookup(ep), ...ingress.lookups],
    text(
      `Cilium's BPF program ${program} finds ${l3.dst} in its endpoint map: Pod ${pod} on this node, behind ${ep.lxc.name}.${notes.map((n) => ` ${n.en}`).join('')} It rewrites the Ethernet header (source ${ep.lxc.mac}, destination the Pod's ${ep.podMac}), lowers the TTL to ${l3.ttl} as a router would, and redirects the packet out of ${ep.lxc.name}, without the node's routing table or iptables.`,
      `Cilium 的 BPF 程序 ${program} 在它的端点表中找到 ${l3.dst}：本节点上的 Pod ${pod}，位于 ${ep.lxc.name} 之后。${notes.map((n) => n['zh-CN']).join('')}它改写以太网头（源为 ${ep.lxc.mac}，目的为该 Pod 的 ${ep.podMac}），像路由器一样把 TTL 减为 ${l3.ttl}，并把包从 ${ep.lxc.name} 重定向出去，不经过节点的路由表和 iptables。`,
    ),
  )
  return w.transmit(ns, ep.lxc, pkt)
}

/** What cil_from_overlay learnt from the VNI: the source's security identity. */
function identityNote(c: Cluster, ns: NetNs, src: string, vni: number): Text {
  const id = identityOfAddress(c, ns.node!, src)
  if (id.id !== vni) {
    // The sending node chose the identity (a NodePort request from outside goes as world).
    const name = reservedName(vni) ?? `${vni}`
    return text(
      `cil_from_overlay reads the VNI of the tunnel key, ${vni}: the sender's security identity is ${name}, as the sending node's program set it, not what the source address ${src} would give (${id.id}), and it tail-calls the destination endpoint's policy program with it.`,
      `cil_from_overlay 读出隧道键的 VNI ${vni}：发送方的安全身份是 ${name}，由发送节点的程序设定，而不是按源地址 ${src} 查得的身份（${id.id}）；它带着这个身份尾调用（tail call）目的端点的策略程序。`,
    )
  }
  const who = id.pod ? `Pod ${id.pod.namespace}/${id.pod.name}` : src
  return text(
    `cil_from_overlay reads the VNI of the tunnel key, ${vni}: the security identity of the sender, ${who}, and tail-calls the destination endpoint's policy program.`,
    `cil_from_overlay 读出隧道键的 VNI ${vni}：发送方 ${who} 的安全身份，并尾调用（tail call）目的端点的策略程序。`,
  )
}
