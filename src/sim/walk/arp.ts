/**
 * ARP (RFC 826) as Linux answers it: the owner of an address replies; a link with proxy_arp on
 * replies for addresses its namespace routes out of another link (how Calico's veths answer for
 * 169.254.1.1); on AWS the VPC answers for every address an ENI holds. Both sides learn.
 */
import { formatIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import { lookupRoute } from '../net/fib.ts'
import { findLink, type Link, type NetNs } from '../net/netns.ts'
import { formatNeigh } from '../print/ip-neigh.ts'
import type { Walk } from './api.ts'
import { top } from './packet.ts'

interface Responder {
  mac: string
  /** The namespace that answers (null: the underlay or the VPC itself). */
  ns: NetNs | null
  link: Link | null
  proxy: boolean
  /** When the exchange crossed a bridge: the ports to learn the two MACs on. */
  bridge: {
    ns: NetNs
    name: string
    senderPort: string | null
    responderPort: string | null
  } | null
  who: Text
}

function owns(ns: NetNs, ip: number): boolean {
  return ns.links.some((l) => l.addrs.some((a) => a.ip === ip))
}

function podEth0(w: Walk, port: Link): { ns: NetNs; eth0: Link } | null {
  if (!port.peer) return null
  const ns = w.state.ns(port.peer.ns)
  const eth0 = findLink(ns, port.peer.ifname)
  return eth0 ? { ns, eth0 } : null
}

function findResponder(w: Walk, ns: NetNs, link: Link, target: number): Responder | null {
  const cluster = w.state.cluster
  if (link.kind === 'veth' && link.peer) {
    const peerNs = w.state.ns(link.peer.ns)
    const peerLink = findLink(peerNs, link.peer.ifname)!
    if (peerLink.master) {
      const br = findLink(peerNs, peerLink.master)!
      if (br.addrs.some((a) => a.ip === target)) {
        return {
          mac: br.mac!,
          ns: peerNs,
          link: br,
          proxy: false,
          bridge: { ns: peerNs, name: br.name, senderPort: peerLink.name, responderPort: null },
          who: text(`the bridge ${br.name} itself`, `网桥 ${br.name} 自己`),
        }
      }
      for (const port of peerNs.links) {
        if (port.master !== br.name || port === peerLink) continue
        const p = podEth0(w, port)
        if (p && p.eth0.addrs.some((a) => a.ip === target)) {
          return {
            mac: p.eth0.mac!,
            ns: p.ns,
            link: p.eth0,
            proxy: false,
            bridge: {
              ns: peerNs,
              name: br.name,
              senderPort: peerLink.name,
              responderPort: port.name,
            },
            who: text(`Pod ${p.ns.pod}`, `Pod ${p.ns.pod}`),
          }
        }
      }
      return null
    }
    if (owns(peerNs, target))
      return {
        mac: peerLink.mac!,
        ns: peerNs,
        link: peerLink,
        proxy: false,
        bridge: null,
        who:
          peerNs.kind === 'pod'
            ? text(`Pod ${peerNs.pod}`, `Pod ${peerNs.pod}`)
            : text(`node ${peerNs.node}`, `节点 ${peerNs.node}`),
      }
    if (peerLink.proxyArp) {
      const m = lookupRoute(peerNs, target, null)
      if (m && m.route.type === 'unicast' && m.route.dev !== peerLink.name) {
        return {
          mac: peerLink.mac!,
          ns: peerNs,
          link: peerLink,
          proxy: true,
          bridge: null,
          who: text(
            `${peerLink.name} on node ${peerNs.node} (proxy ARP)`,
            `节点 ${peerNs.node} 上的 ${peerLink.name}（代理 ARP）`,
          ),
        }
      }
    }
    return null
  }
  if (link.kind === 'bridge') {
    for (const port of ns.links) {
      if (port.master !== link.name) continue
      const p = podEth0(w, port)
      if (p && p.eth0.addrs.some((a) => a.ip === target)) {
        return {
          mac: p.eth0.mac!,
          ns: p.ns,
          link: p.eth0,
          proxy: false,
          bridge: { ns, name: link.name, senderPort: null, responderPort: port.name },
          who: text(`Pod ${p.ns.pod}`, `Pod ${p.ns.pod}`),
        }
      }
    }
    return null
  }
  if (link.kind === 'ether') {
    const node = cluster.nodeByName.get(ns.node)!
    if (target === node.gateway)
      return {
        mac: cluster.routerMac,
        ns: null,
        link: null,
        proxy: false,
        bridge: null,
        who: text('the router', '路由器'),
      }
    const vpc = cluster.underlay === 'vpc'
    for (const other of cluster.nodes) {
      const ons = w.state.ns(other.nsId)
      for (const l of ons.links) {
        if (l.kind !== 'ether') continue
        if (l.addrs.some((a) => a.ip === target) || (vpc && l.secondaryIps.includes(target))) {
          return vpc
            ? {
                mac: l.mac!,
                ns: null,
                link: null,
                proxy: true,
                bridge: null,
                who: text(
                  `the VPC, for ${l.name} of ${other.name}`,
                  `VPC（代 ${other.name} 的 ${l.name}）`,
                ),
              }
            : {
                mac: l.mac!,
                ns: ons,
                link: l,
                proxy: false,
                bridge: null,
                who: text(`node ${other.name}`, `节点 ${other.name}`),
              }
        }
      }
    }
  }
  return null
}

/** The sender address of the request: the packet's own source when it is local, else the link's. */
function arpSource(ns: NetNs, link: Link, pkt: Packet): number {
  const src = top(pkt).l3.src
  const own = ns.links
    .flatMap((l) => l.addrs)
    .find((a) => formatIp(a.ip) === src && a.scope === 'global')
  if (own) return own.ip
  const onLink = link.addrs.find((a) => a.scope === 'global')
  if (onLink) return onLink.ip
  return ns.links.flatMap((l) => l.addrs).find((a) => a.scope === 'global')?.ip ?? 0
}

/** Resolves `target` on `link` with an ARP exchange (one step); returns the MAC or null. */
export function resolveNeighbour(
  w: Walk,
  ns: NetNs,
  link: Link,
  target: number,
  pkt: Packet,
): string | null {
  const sip = arpSource(ns, link, pkt)
  const r = findResponder(w, ns, link, target)
  const tcpdump = `tcpdump -n -e -i ${link.name} arp`
  const lookups: Lookup[] = [
    {
      table: tcpdump,
      rule: `${link.mac} > ff:ff:ff:ff:ff:ff, ARP, Request who-has ${formatIp(target)} tell ${formatIp(sip)}, length 28`,
      matched: true,
    },
  ]
  const arp: Packet = {
    l2: { src: link.mac!, dst: 'ff:ff:ff:ff:ff:ff' },
    l3: null,
    l4: null,
    app: {
      protocol: 'arp',
      operation: 'request',
      senderIp: formatIp(sip),
      senderMac: link.mac!,
      targetIp: formatIp(target),
      targetMac: '00:00:00:00:00:00',
      answer: r?.mac ?? null,
    },
    outer: null,
  }
  const at = w.where(ns, { device: link.name })
  if (!r) {
    lookups.push({
      table: 'ip neigh',
      rule: `${formatIp(target)} dev ${link.name} FAILED`,
      matched: true,
    })
    w.emit(
      'arp',
      at,
      arp,
      lookups,
      text(
        `${link.name} broadcasts "who has ${formatIp(target)}?" but nobody on this link owns that address or answers for it.`,
        `${link.name} 广播询问“谁是 ${formatIp(target)}？”，但这条链路上没有人拥有这个地址，也没有人代答。`,
      ),
      { sideMessage: true },
    )
    return null
  }
  lookups.push({
    table: tcpdump,
    rule: `${r.mac} > ${link.mac}, ARP, Reply ${formatIp(target)} is-at ${r.mac}, length 28`,
    matched: true,
  })
  const entry = w.state.learnNeigh(ns.id, {
    ip: target,
    dev: link.name,
    lladdr: r.mac,
    state: 'REACHABLE',
  })
  lookups.push({ table: 'ip neigh', rule: formatNeigh(entry), matched: true })
  // The answering host also learns who asked (arp_process -> neigh_event_ns, state STALE).
  if (r.ns && r.link && sip !== 0) {
    w.state.learnNeigh(r.ns.id, { ip: sip, dev: r.link.name, lladdr: link.mac!, state: 'STALE' })
  }
  if (r.bridge) {
    const b = r.bridge
    if (b.senderPort)
      w.state.learnFdb(b.ns.id, {
        mac: link.mac!,
        dev: b.senderPort,
        master: b.name,
        dst: null,
        self: false,
        permanent: false,
      })
    if (b.responderPort)
      w.state.learnFdb(b.ns.id, {
        mac: r.mac,
        dev: b.responderPort,
        master: b.name,
        dst: null,
        self: false,
        permanent: false,
      })
  }
  const viaBridge = r.bridge
    ? ` The bridge ${r.bridge.name} floods the broadcast to every port and learns both MACs on the way.`
    : ''
  const viaBridgeZh = r.bridge
    ? `网桥 ${r.bridge.name} 把广播泛洪到所有端口，并顺便学习了双方的 MAC 地址。`
    : ''
  const proxy = r.proxy
    ? r.ns === null
      ? {
          en: ' No machine answers itself: the VPC knows which ENI holds every address and replies on its behalf.',
          zh: '并不是某台机器自己应答：VPC 知道每个地址属于哪块 ENI，由它代为回答。',
        }
      : {
          en: ` ${r.link!.name} has proxy_arp=1 and the node has a route to ${formatIp(target)} out of another interface, so it answers with its own MAC.`,
          zh: `${r.link!.name} 开启了 proxy_arp=1，且节点有经其他网卡到 ${formatIp(target)} 的路由，所以它用自己的 MAC 代答。`,
        }
    : { en: '', zh: '' }
  w.emit(
    'arp',
    at,
    arp,
    lookups,
    text(
      `ARP: ${link.name} broadcasts "who has ${formatIp(target)}? tell ${formatIp(sip)}", and ${r.who.en} replies "${formatIp(target)} is at ${r.mac}".${viaBridge}${proxy.en} The answer is cached in the neighbour table.`,
      `ARP：${link.name} 广播“谁是 ${formatIp(target)}？请告诉 ${formatIp(sip)}”，${r.who['zh-CN']}回答“${formatIp(target)} 在 ${r.mac}”。${viaBridgeZh}${proxy.zh}答案被缓存到邻居表中。`,
    ),
    { sideMessage: true },
  )
  return r.mac
}
