/**
 * A Linux bridge (net/bridge): learns which port each source MAC lives behind, forwards by the
 * destination MAC, passes frames addressed to itself up to the host, and sends a frame back out
 * the port it came from only when that port is in hairpin mode.
 */
import { text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import { findLink, type Link, type NetNs } from '../net/netns.ts'
import { formatFdb } from '../print/bridge-fdb.ts'
import type { Walk, WalkResult } from './api.ts'

const FDB = 'bridge fdb show'

export function bridgeInput(w: Walk, ns: NetNs, br: Link, inPort: Link, pkt: Packet): WalkResult {
  const l2 = pkt.l2!
  w.state.learnFdb(ns.id, {
    mac: l2.src,
    dev: inPort.name,
    master: br.name,
    dst: null,
    self: false,
    permanent: false,
  })
  if (l2.dst === br.mac) {
    const own = {
      mac: br.mac,
      dev: br.name,
      master: br.name,
      dst: null,
      self: false,
      permanent: true,
    }
    w.emit(
      'bridge',
      w.where(ns, { device: br.name }),
      pkt,
      [{ table: FDB, rule: formatFdb(own), matched: true }],
      text(
        `The frame enters ${br.name} on port ${inPort.name}; the bridge learns that ${l2.src} lives behind that port. It is addressed to ${br.name}'s own MAC (the Pods' gateway), so the bridge passes it up to the node's IP stack instead of switching it.`,
        `帧从端口 ${inPort.name} 进入 ${br.name}；网桥记下 ${l2.src} 位于这个端口之后。它的目的 MAC 是 ${br.name} 自己的（即 Pod 的网关），所以网桥不做交换，而是把它交给节点的 IP 协议栈。`,
      ),
    )
    // br_netfilter remembers the port the frame came in on: if a DNAT sends it back out of this
    // same bridge, it leaves through the bridge's forwarding path, from that port.
    w.bridgeIngress = { nsId: ns.id, bridge: br.name, port: inPort.name, dnatted: false }
    return w.ipReceive(ns, br, pkt)
  }
  return forward(w, ns, br, inPort, pkt, false)
}

/** The node itself sends out of the bridge device (e.g. to a Pod on this node). */
export function bridgeTransmit(w: Walk, ns: NetNs, br: Link, pkt: Packet): WalkResult {
  const ingress = w.bridgeIngress
  w.bridgeIngress = null
  if (ingress && ingress.dnatted && ingress.nsId === ns.id && ingress.bridge === br.name) {
    return forward(w, ns, br, findLink(ns, ingress.port) ?? null, pkt, true)
  }
  return forward(w, ns, br, null, pkt, false)
}

function forward(
  w: Walk,
  ns: NetNs,
  br: Link,
  inPort: Link | null,
  pkt: Packet,
  reinjected: boolean,
): WalkResult {
  // br_netfilter (net.bridge.bridge-nf-call-iptables=1, which kubeadm requires): IPv4 frames the
  // bridge switches between its ports pass through iptables and conntrack too. A frame a DNAT
  // sent back (reinjected) has been through them already.
  const bridged = inPort !== null && !reinjected && ns.kind === 'host' && pkt.l3 !== null
  if (bridged) {
    const stop = w.nfHook('PREROUTING', ns, br.name, pkt)
    if (stop) return stop
  }
  const dst = pkt.l2!.dst
  const entry = w.state.fdb(ns.id).find((f) => f.master === br.name && f.mac === dst)
  const lookups: Lookup[] = []
  let out: Link | undefined
  let flooded = false
  if (entry) {
    out = findLink(ns, entry.dev)
    lookups.push({ table: FDB, rule: formatFdb(entry), matched: true })
  } else {
    // Unknown unicast is flooded to every port; only the owner of the MAC accepts it.
    flooded = true
    out = ns.links.find(
      (l) =>
        l.master === br.name &&
        l.peer &&
        findLink(w.state.ns(l.peer.ns), l.peer.ifname)?.mac === dst,
    )
    lookups.push({ table: FDB, rule: `${dst}: no entry, flooded to every port`, matched: false })
  }
  if (!out) {
    return w.drop(
      ns,
      { device: br.name },
      pkt,
      text('unknown destination MAC', '目的 MAC 未知'),
      text(
        `No port of ${br.name} leads to ${dst}; the flooded frame is accepted by nobody.`,
        `${br.name} 没有任何端口通向 ${dst}；泛洪出去的帧无人接收。`,
      ),
      lookups,
    )
  }
  if (inPort && out === inPort && !inPort.hairpin) {
    return w.drop(
      ns,
      { device: br.name },
      pkt,
      text('hairpin mode off', '网桥端口没有开启 hairpin 模式'),
      text(
        `The destination ${dst} is behind ${out.name}, the very port the frame came in on${reinjected ? ': the Pod called a Service and the DNAT picked the Pod itself' : ''}. A bridge never sends a frame back where it came from unless that port has hairpin mode on, so it is dropped. This is why kubelet and flannel set hairpinMode: true.`,
        `目的 MAC ${dst} 就在 ${out.name} 之后，也就是帧进来的那个端口${reinjected ? '：Pod 访问了一个 Service，而 DNAT 选中的正是它自己' : ''}。除非这个端口开启了 hairpin 模式，网桥绝不会把帧从来的端口送回去，所以帧被丢弃。这就是 kubelet 和 flannel 要设置 hairpinMode: true 的原因。`,
      ),
      lookups,
    )
  }
  // br_netfilter's FORWARD hook for a frame switched between two ports (br_nf_forward_ip).
  if (bridged) {
    const stop = w.nfHook('FORWARD', ns, br.name, pkt)
    if (stop) return stop
  }
  const hairpin = inPort && out === inPort
  const learned =
    inPort && !reinjected ? ` (it also learned that ${pkt.l2!.src} is behind ${inPort.name})` : ''
  const learnedZh =
    inPort && !reinjected ? `（同时记下 ${pkt.l2!.src} 位于 ${inPort.name} 之后）` : ''
  w.emit(
    'bridge',
    w.where(ns, { device: br.name }),
    pkt,
    lookups,
    hairpin
      ? text(
          `${br.name} sends the frame back out ${out.name}, the port it came in on: allowed because the port is in hairpin mode (the bridge plugin's hairpinMode).`,
          `${br.name} 把帧从它进来的端口 ${out.name} 送回去：之所以允许，是因为这个端口开启了 hairpin 模式（bridge 插件的 hairpinMode）。`,
        )
      : flooded
        ? text(
            `${br.name} has not learned ${dst} yet, so it floods the frame to every port${learned}; the Pod behind ${out.name} accepts it.`,
            `${br.name} 还没学到 ${dst}，所以把帧泛洪到所有端口${learnedZh}；${out.name} 之后的 Pod 接收了它。`,
          )
        : text(
            `${br.name} switches at layer 2: its forwarding database says ${dst} is behind port ${out.name}${learned}. The IP header is untouched.`,
            `${br.name} 在二层交换：转发表显示 ${dst} 位于端口 ${out.name} 之后${learnedZh}。IP 头保持不变。`,
          ),
  )
  if (bridged) {
    const stop = w.nfHook('POSTROUTING', ns, br.name, pkt)
    if (stop) return stop
  }
  return w.transmit(ns, out, pkt)
}
