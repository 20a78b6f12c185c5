/**
 * Where netfilter meets the packet walk on a node (not in Pods: their namespaces have no rules).
 * kube-proxy's nat rules run only for the first packet of a connection (conntrack state NEW);
 * every later packet, and every reply, follows the conntrack entry instead.
 */
import { formatIp, parseIp } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import { lookupTable } from '../net/fib.ts'
import { findLink, type NetNs } from '../net/netns.ts'
import { inIpSet, nodeTables } from '../proxy/kube-proxy.ts'
import { walkChain, type Hook, type NfPacket, type Table } from '../proxy/netfilter.ts'
import { formatConntrack, sameTuple, type CtEntry, type Tuple } from './conntrack.ts'
import type { Walker, WalkResult } from './walker.ts'
import { portalNat } from './portal-nat.ts'

function isLocal(ns: NetNs, ip: number): boolean {
  return lookupTable(ns, 'local', ip)?.type === 'local'
}

function nfPacket(w: Walker, ns: NetNs, pkt: Packet): NfPacket {
  const l3 = pkt.l3!
  return {
    src: parseIp(l3.src)!,
    dst: parseIp(l3.dst)!,
    proto: l3.proto,
    sport: pkt.l4?.srcPort ?? 0,
    dport: pkt.l4?.dstPort ?? 0,
    mark: w.mark,
    ctstate: w.newConnection ? 'NEW' : 'ESTABLISHED',
    isLocal: (ip) => isLocal(ns, ip),
    inSet(name, flags) {
      return inIpSet(w.state.cluster, name, flags, this)
    },
  }
}

function tupleOf(pkt: Packet): Tuple {
  return {
    src: pkt.l3!.src,
    dst: pkt.l3!.dst,
    sport: pkt.l4?.srcPort ?? 0,
    dport: pkt.l4?.dstPort ?? 0,
  }
}

function run(w: Walker, ns: NetNs, table: Table, hook: Hook, pkt: Packet) {
  const r = walkChain(
    nodeTables(w.state.cluster, ns.node),
    table,
    hook,
    nfPacket(w, ns, pkt),
    w.rng,
  )
  w.mark = r.mark
  return r
}

function applies(w: Walker, ns: NetNs, pkt: Packet): boolean {
  return (
    ns.kind === 'host' &&
    !pkt.outer &&
    pkt.l3 !== null &&
    (w.state.cluster.decl.kubeProxy.mode === 'iptables' ||
      w.state.cluster.decl.kubeProxy.mode === 'ipvs' ||
      w.state.cluster.decl.kubeProxy.mode === 'userspace')
  )
}

/** The Service port a DNATed destination belonged to: by ClusterIP and port, or by node port. */
function serviceOf(w: Walker, ns: NetNs, dst: string, port: number) {
  const ip = parseIp(dst)!
  for (const s of w.state.cluster.services) {
    const byVip = s.clusterIP === ip ? s.ports.find((x) => x.port === port) : undefined
    if (byVip) return { svc: s, port: byVip, nodePort: false }
    const byNodePort = isLocal(ns, ip) ? s.ports.find((x) => x.nodePort === port) : undefined
    if (byNodePort) return { svc: s, port: byNodePort, nodePort: true }
  }
  return null
}

/** PREROUTING (packets arriving) or OUTPUT (packets the node itself sends): DNAT, or the reverse of a masquerade. */
export function natIn(
  w: Walker,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: 'PREROUTING' | 'OUTPUT',
): WalkResult | null {
  if (!applies(w, ns, pkt)) return null
  const table = w.state.conntrack.get(ns.id) ?? []
  const here = tupleOf(pkt)
  const reply = table.find((e) => sameTuple(e.reply, here))
  if (reply) {
    reply.replied = true
    w.reverse = reply
    if (reply.reply.dst !== reply.orig.src || reply.reply.dport !== reply.orig.sport) {
      pkt.l3!.dst = reply.orig.src
      pkt.l4!.dstPort = reply.orig.sport
      if (w.bridgeIngress?.nsId === ns.id) w.bridgeIngress.dnatted = true
      w.emit(
        'unnat',
        w.where(ns, { device, hook }),
        pkt,
        [{ table: 'conntrack -L', rule: formatConntrack(reply), matched: true }],
        text(
          `This is a reply on a tracked connection. Its conntrack entry says the request was masqueraded, so the kernel rewrites the destination back to the original client ${reply.orig.src}:${reply.orig.sport} (de-SNAT, before routing).`,
          `这是一个已跟踪连接上的应答。conntrack 表项显示请求曾被伪装（MASQUERADE），所以内核在路由之前把目的地址改回原来的客户端 ${reply.orig.src}:${reply.orig.sport}（反向 SNAT）。`,
        ),
      )
    }
    return null
  }
  if (!w.newConnection) return null
  const before = tupleOf(pkt)
  const r = run(w, ns, 'nat', hook, pkt)
  if (r.verdict.kind === 'redirect' || w.state.cluster.decl.kubeProxy.mode === 'userspace')
    return portalNat(w, ns, device, pkt, hook, r, before, table)
  if (r.verdict.kind !== 'dnat') return null
  const to = r.verdict
  const hit = serviceOf(w, ns, before.dst, before.dport)
  pkt.l3!.dst = formatIp(to.ip)
  pkt.l4!.dstPort = to.port
  const entry: CtEntry = {
    proto: pkt.l3!.proto,
    orig: before,
    reply: { src: formatIp(to.ip), dst: before.src, sport: to.port, dport: before.sport },
    replied: false,
  }
  table.push(entry)
  w.state.conntrack.set(ns.id, table)
  if (w.bridgeIngress?.nsId === ns.id) w.bridgeIngress.dnatted = true
  const n = hit ? hit.port.endpoints.filter((e) => e.ready).length : 0
  const name = hit ? `${hit.svc.namespace}/${hit.svc.name}` : before.dst
  const lookups: Lookup[] = [
    ...r.tested,
    { table: 'conntrack -L', rule: formatConntrack(entry), matched: true },
  ]
  w.emit(
    'dnat',
    w.where(ns, { device, hook, component: 'kube-proxy' }),
    pkt,
    lookups,
    text(
      `Netfilter's nat ${hook} hook runs the rules kube-proxy wrote. KUBE-SERVICES matches ${before.dst}:${before.dport}, the ClusterIP of Service ${name}, and jumps to its KUBE-SVC chain, which picks one of ${n} endpoint${n === 1 ? '' : 's'} at random with the statistic match (probability 1/${n}, then 1/${Math.max(n - 1, 1)}, ...). The KUBE-SEP chain rewrites the destination to ${formatIp(to.ip)}:${to.port} (DNAT). The packet was tested against ${r.tested.length} rules. conntrack records the translation so that every later packet of this connection, and the reply, is handled without the rules.`,
      `Netfilter 的 nat ${hook} 钩子执行 kube-proxy 写下的规则。KUBE-SERVICES 匹配到 ${before.dst}:${before.dport}，即 Service ${name} 的 ClusterIP，跳转到它的 KUBE-SVC 链；该链用 statistic 匹配从 ${n} 个端点中随机选一个（概率依次为 1/${n}、1/${Math.max(n - 1, 1)}……）。KUBE-SEP 链把目的地址改写为 ${formatIp(to.ip)}:${to.port}（DNAT）。这个包一共被 ${r.tested.length} 条规则检查过。conntrack 记下这次转换，之后该连接的所有包以及应答都直接按记录处理，不再查规则。`,
    ),
  )
  return null
}

/** filter FORWARD / OUTPUT / INPUT: kube-proxy REJECTs Services without endpoints here. */
export function filterHook(
  w: Walker,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: 'FORWARD' | 'OUTPUT' | 'INPUT',
): WalkResult | null {
  if (!applies(w, ns, pkt) || !w.newConnection) return null
  const r = run(w, ns, 'filter', hook, pkt)
  const v = r.verdict
  if (v.kind !== 'reject' && v.kind !== 'drop') return null
  const tested = r.tested.filter(
    (l) =>
      l.matched || l.table.endsWith('KUBE-SERVICES') || l.table.endsWith('KUBE-EXTERNAL-SERVICES'),
  )
  if (v.kind === 'reject') {
    w.emit(
      'reject',
      w.where(ns, { device, hook }),
      pkt,
      tested,
      text(
        `The filter table's ${hook} hook reaches kube-proxy's rule "${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}": the Service exists but has no ready endpoint, so the kernel refuses the connection at once with ICMP port unreachable (the client sees "Connection refused") instead of letting it time out.`,
        `filter 表的 ${hook} 钩子命中 kube-proxy 的规则"${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}"：Service 存在，但没有任何就绪的端点，所以内核立即用 ICMP 端口不可达拒绝连接（客户端看到 "Connection refused"），而不是让它超时。`,
      ),
    )
    return { kind: 'rejected', reason: 'service has no endpoints' }
  }
  w.emit(
    'drop',
    w.where(ns, { device, hook }),
    pkt,
    tested,
    text(
      `The filter table's ${hook} hook reaches kube-proxy's DROP rule "${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}": with a Local traffic policy only endpoints on this node may be used, and there are none, so the packet is silently dropped.`,
      `filter 表的 ${hook} 钩子命中 kube-proxy 的 DROP 规则"${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}"：Local 流量策略只允许使用本节点上的端点，而本节点一个也没有，所以包被静默丢弃。`,
    ),
  )
  return { kind: 'dropped', reason: 'has no local endpoints' }
}

/** POSTROUTING: MASQUERADE what kube-proxy marked; undo a DNAT on the reply (the source goes back to the ClusterIP). */
export function natOut(w: Walker, ns: NetNs, outDev: string, pkt: Packet): void {
  if (!applies(w, ns, pkt)) return
  if (w.reverse) undoDnat(w, ns, outDev, pkt, 'POSTROUTING')
  if (!w.newConnection) return
  const r = run(w, ns, 'nat', 'POSTROUTING', pkt)
  if (r.verdict.kind !== 'masquerade') return
  const dev = findLink(ns, outDev)
  const addr =
    dev?.addrs.find((a) => a.scope === 'global') ??
    ns.links.flatMap((l) => l.addrs).find((a) => a.scope === 'global')
  const before = tupleOf(pkt)
  const newSrc = addr ? formatIp(addr.ip) : before.src
  // --random-fully: the source port is chosen at random too (NF_NAT_RANGE_PROTO_RANDOM_FULLY).
  const newPort = w.rng.int(1024, 65535)
  const entry = (w.state.conntrack.get(ns.id) ?? []).find(
    (e) =>
      e.reply.dst === before.src && e.reply.dport === before.sport && e.reply.src === before.dst,
  )
  pkt.l3!.src = newSrc
  pkt.l4!.srcPort = newPort
  if (entry) {
    entry.reply = { ...entry.reply, dst: newSrc, dport: newPort }
  }
  const lookups = r.tested.filter((l) => l.table.includes('POSTROUTING'))
  if (entry) lookups.push({ table: 'conntrack -L', rule: formatConntrack(entry), matched: true })
  w.emit(
    'masquerade',
    w.where(ns, { device: outDev, hook: 'POSTROUTING' }),
    pkt,
    lookups,
    text(
      `On the way out, nat POSTROUTING reaches KUBE-POSTROUTING: this packet carries kube-proxy's mark 0x4000 (set by KUBE-MARK-MASQ), so it is masqueraded: its source becomes ${newSrc}, the address of ${outDev}, with a random source port. The reply will come back to this node, which undoes it.`,
      `出站时，nat POSTROUTING 到达 KUBE-POSTROUTING：这个包带着 kube-proxy 的标记 0x4000（由 KUBE-MARK-MASQ 打上），所以被伪装：源地址改为 ${outDev} 的地址 ${newSrc}，源端口随机。应答会回到本节点，由它还原。`,
    ),
  )
}

/** INPUT: a reply for a connection this node itself opened to a ClusterIP. */
export function natLocalIn(w: Walker, ns: NetNs, device: string | null, pkt: Packet): void {
  if (applies(w, ns, pkt) && w.reverse) undoDnat(w, ns, device, pkt, 'INPUT')
}

function undoDnat(
  w: Walker,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: 'POSTROUTING' | 'INPUT',
): void {
  const e = w.reverse!
  w.reverse = null
  if (e.orig.dst === e.reply.src && e.orig.dport === e.reply.sport) return
  pkt.l3!.src = e.orig.dst
  pkt.l4!.srcPort = e.orig.dport
  const bridge = device !== null && findLink(ns, device)?.kind === 'bridge'
  const why = bridge
    ? {
        en: ` This reply is switched by ${device}, not routed: it still meets conntrack because net.bridge.bridge-nf-call-iptables=1 (the br_netfilter module, which kubeadm requires). Without it the client would get an answer from ${e.reply.src}, a peer it never called, and reset the connection.`,
        zh: `这个应答是由 ${device} 二层交换的，并没有经过路由：它之所以仍然经过 conntrack，是因为 net.bridge.bridge-nf-call-iptables=1（br_netfilter 模块，kubeadm 要求开启）。否则客户端会收到来自 ${e.reply.src} 的应答，这是它从未连接过的对端，连接会被重置。`,
      }
    : { en: '', zh: '' }
  if (e.nat === 'redirect' || w.state.cluster.decl.kubeProxy.mode === 'userspace') {
    w.emit(
      'unnat',
      w.where(ns, { device, hook }),
      pkt,
      [{ table: 'conntrack -L', rule: formatConntrack(e), matched: true }],
      text(
        `kube-proxy wrote this answer from its own socket, ${e.reply.src}:${e.reply.sport}. It matches the conntrack entry made when kube-proxy's rule ${e.nat === 'redirect' ? 'REDIRECTed' : 'DNATed'} the request, so the kernel rewrites the source back to ${e.orig.dst}:${e.orig.dport}, the address the client called: the client sees an answer from the address it called and never learns that kube-proxy, not a Pod, was at the other end.`,
        `kube-proxy 从它自己的套接字 ${e.reply.src}:${e.reply.sport} 写出这个应答。它匹配到 kube-proxy 的规则对请求做 ${e.nat === 'redirect' ? 'REDIRECT' : 'DNAT'} 时建立的 conntrack 表项，所以内核把源地址改回客户端所访问的地址 ${e.orig.dst}:${e.orig.dport}：客户端看到的应答来自这个地址，并不知道另一端其实是 kube-proxy 而不是某个 Pod。`,
      ),
    )
    return
  }
  w.emit(
    'unnat',
    w.where(ns, { device, hook }),
    pkt,
    [{ table: 'conntrack -L', rule: formatConntrack(e), matched: true }],
    text(
      `The reply matches the conntrack entry created when the request was DNATed, so the kernel rewrites its source back from ${e.reply.src}:${e.reply.sport} to the ClusterIP ${e.orig.dst}:${e.orig.dport}. The client only ever talks to the Service address: it never learns which Pod answered.${why.en}`,
      `应答匹配到请求被 DNAT 时创建的 conntrack 表项，所以内核把它的源地址从 ${e.reply.src}:${e.reply.sport} 改回 ClusterIP ${e.orig.dst}:${e.orig.dport}。客户端始终只和 Service 地址通信，并不知道是哪个 Pod 应答的。${why.zh}`,
    ),
  )
}
