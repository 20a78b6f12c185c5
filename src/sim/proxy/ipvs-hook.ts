/**
 * IPVS at LOCAL_IN: a packet for an address on kube-ipvs0 is matched against the virtual
 * services; the scheduler picks a real server, the packet is NATed to it ("Masq") and sent on by
 * routing. conntrack (net.ipv4.vs.conntrack=1, which kube-proxy sets) records the translation,
 * so the reply is un-NATed like any other.
 */
import { formatIp, parseIp } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import { lookupRoute } from '../net/fib.ts'
import type { NetNs } from '../net/netns.ts'
import {
  formatRealServer,
  formatVirtualService,
  rsKey,
  firstVirtualService,
  vsKey,
  type VirtualService,
} from './ipvs.ts'
import { schedule, type Pick } from './ipvs-schedulers.ts'
import { IPVS_LEDGER, type IpvsLedger } from './ipvs-ledger.ts'
import { formatConntrack, type CtEntry } from '../walk/conntrack.ts'
import type { Walk, WalkResult } from '../walk/api.ts'

/** IPVS's request hook at INPUT (ip_vs_remote_request4), registered by kube-proxy's ipvs mode. */
export function ipvsLocalIn(
  w: Walk,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
): WalkResult | null {
  const c = w.state.cluster
  if (ns.kind !== 'host' || !w.newConnection || !pkt.l3 || !pkt.l4) return null
  const dst = parseIp(pkt.l3.dst)!
  const proto = pkt.l3.proto.toUpperCase()
  const v = firstVirtualService(c, ns.node, proto, dst, pkt.l4.dstPort)
  if (!v) return null
  const ledger = w.state.memory(IPVS_LEDGER)
  const pick = choose(ledger, ns.node, v, pkt.l3.src, w.rng.int(0, 0x7fffffff))
  const tested = w.natTested
  w.natTested = []
  const lookups: Lookup[] = [
    ...tested,
    { table: 'ipvsadm -Ln', rule: formatVirtualService(v), matched: true },
  ]
  v.dests.forEach((d, i) => {
    const n = ledger.counts(ns.node, vsKey(v), rsKey(d))
    lookups.push({
      table: 'ipvsadm -Ln',
      rule: formatRealServer(d, n.active, n.inactive),
      matched: i === pick?.index,
    })
  })
  if (!pick) {
    w.emit(
      'drop',
      w.where(ns, { device, hook: 'INPUT', component: 'ipvs' }),
      pkt,
      lookups,
      text(
        `IPVS has the virtual service ${formatVirtualService(v).trim()} but no real server behind it (the Service has no ready endpoint), so the packet is dropped.`,
        `IPVS 有虚拟服务 ${formatVirtualService(v).trim()}，但后面没有任何真实服务器（Service 没有就绪的端点），所以包被丢弃。`,
      ),
    )
    return {
      kind: 'dropped',
      reason: text('no real server', 'IPVS 虚拟服务没有真实服务器（real server）'),
    }
  }
  const d = v.dests[pick.index]!
  ledger.record(
    ns.node,
    vsKey(v),
    rsKey(d),
    pick.index,
    pkt.l3.proto,
    pkt.l3.src,
    v.persistent !== null,
  )
  const before = { src: pkt.l3.src, dst: pkt.l3.dst, sport: pkt.l4.srcPort, dport: pkt.l4.dstPort }
  pkt.l3.dst = formatIp(d.ip)
  pkt.l4.dstPort = d.port
  const entry: CtEntry = {
    proto: pkt.l3.proto,
    orig: before,
    reply: { src: formatIp(d.ip), dst: before.src, sport: d.port, dport: before.sport },
    replied: false,
  }
  const table = w.state.conntrack.get(ns.id) ?? []
  table.push(entry)
  w.state.conntrack.set(ns.id, table)
  lookups.push({ table: 'conntrack -L', rule: formatConntrack(entry), matched: true })
  w.emit(
    'lb-select',
    w.where(ns, { device: 'kube-ipvs0', hook: 'INPUT', component: 'ipvs' }),
    pkt,
    lookups,
    text(
      `${before.dst} is bound to kube-ipvs0, so the packet is for this node and reaches IPVS at LOCAL_IN. IPVS finds the virtual service ${before.dst}:${before.dport} (${v.name}) and its ${v.scheduler} scheduler picks ${pkt.l3.dst}:${d.port}, one of ${v.dests.length}. Why this one? ${cap(pick.why.en)}. The lookup is a hash table, so it costs the same with 10 Services or 10,000; before it, the nat hook tested only ${tested.length} iptables rules, which match ipsets instead of one rule per Service. IPVS rewrites the destination (forwarding method Masq, i.e. NAT) and sends the packet on.`,
      `${before.dst} 绑定在 kube-ipvs0 上，所以这个包是发给本节点的，在 LOCAL_IN 处交给 IPVS。IPVS 找到虚拟服务 ${before.dst}:${before.dport}（${v.name}），其 ${v.scheduler} 调度器从 ${v.dests.length} 个真实服务器中选出 ${pkt.l3.dst}:${d.port}。为什么是它？${pick.why['zh-CN']}。查找用的是哈希表，无论 10 个还是 10000 个 Service，代价都一样；在此之前，nat 钩子只检查了 ${tested.length} 条 iptables 规则，它们匹配的是 ipset，而不是每个 Service 一条规则。IPVS 改写目的地址（转发方式 Masq，即 NAT），再把包发出去。`,
    ),
  )
  const m = lookupRoute(ns, d.ip, null)
  if (!m) return w.noRoute(ns, pkt)
  return w.afterRoute(ns, null, pkt, m, true)
}

/**
 * sessionAffinity: ClientIP makes the service persistent: a template left by an earlier
 * connection of the same client wins over the scheduler (ip_vs_core.c ip_vs_sched_persist).
 */
function choose(
  ledger: IpvsLedger,
  node: string,
  v: VirtualService,
  client: string,
  seedPick: number,
): Pick | null {
  const bound = v.persistent !== null ? ledger.template(node, vsKey(v), client) : null
  const index = bound === null ? -1 : v.dests.findIndex((d) => rsKey(d) === bound)
  if (index >= 0) {
    return {
      index,
      why: text(
        `persistence: sessionAffinity ClientIP made this a persistent service (timeout ${v.persistent} s), and an earlier connection from ${client} left a template that binds it to ${bound}`,
        `持久连接：sessionAffinity ClientIP 让它成为持久服务（超时 ${v.persistent} 秒），之前来自 ${client} 的连接留下了模板，把它绑定到 ${bound}`,
      ),
    }
  }
  return schedule(v, {
    client: parseIp(client)!,
    seedPick,
    lastRoundRobin: ledger.lastRoundRobin(node, vsKey(v)),
    counts: (d) => ledger.counts(node, vsKey(v), rsKey(d)),
  })
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
