/**
 * Cilium's socket-level load balancer: cil_sock4_connect (bpf/bpf_sock.c, attached at
 * cgroup/connect4 on the cgroup v2 root, so every socket of the node and its Pods) and, for a
 * datagram, cil_sock4_sendmsg (cgroup/sendmsg4). __sock4_xlate_fwd looks the destination up
 * in the Services map and writes the chosen backend's address and port into the socket
 * address (ctx->user_ip4, user_port) before the kernel builds any packet: the first packet on
 * the wire already goes to the backend, and no DNAT happens anywhere. A Service without
 * backends fails connect() with EHOSTUNREACH. The backend: a random slot
 * (lb4_select_backend_id_random, bpf/lib/lb.h: get_prandom_u32() % count + 1; Maglev only with
 * loadBalancer.algorithm maglev, which bpf_lxc does not use for ClusterIP), drawn from the
 * trace's seeded generator.
 */
import { parseIp } from '../../../model/ipv4.ts'
import { text } from '../../../model/text.ts'
import type { Lookup, Packet } from '../../../model/trace.ts'
import type { NetNs } from '../../net/netns.ts'
import type { Endpoint, Walk, WalkResult } from '../../walk/api.ts'
import { SOCK4_CONNECT, SOCK4_SENDMSG } from './names.ts'
import { backendCell, ciliumFrontends, frontendAddress, frontendLines } from './service-list.ts'

export function sock4Xlate(w: Walk, from: Endpoint, ns: NetNs, pkt: Packet): WalkResult | null {
  const l3 = pkt.l3
  const l4 = pkt.l4
  if (!l3 || !l4 || (l3.proto !== 'tcp' && l3.proto !== 'udp')) return null
  const dst = parseIp(l3.dst)
  const proto = l3.proto.toUpperCase()
  const c = w.state.cluster
  const f = ciliumFrontends(c).find(
    (x) => x.svc.clusterIP === dst && x.port.port === l4.dstPort && x.port.protocol === proto,
  )
  if (!f) return null
  const udp = l3.proto === 'udp'
  const program = udp ? SOCK4_SENDMSG : SOCK4_CONNECT
  const call = udp ? 'sendmsg()' : 'connect()'
  const hook = udp ? 'cgroup/sendmsg4' : 'cgroup/connect4'
  const at = w.where(ns, { container: from.container, component: 'cilium', hook })
  const svc = `${f.svc.namespace}/${f.svc.name}`
  const lookups: Lookup[] = frontendLines(c, f).map((rule) => ({
    table: 'cilium-dbg service list',
    rule,
    matched: true,
  }))
  const active = f.backends.filter((b) => b.state === 'active')
  const pool = active.length ? active : f.backends
  if (pool.length === 0) {
    w.emit(
      'reject',
      at,
      pkt,
      lookups,
      text(
        `The application calls ${call} to ${frontendAddress(f)}, Service ${svc}. Cilium's BPF program ${program} finds the Service but it has no backend, so ${call} fails at once with "No route to host" (EHOSTUNREACH): no packet is ever sent.`,
        `应用对 ${frontendAddress(f)}（Service ${svc}）调用 ${call}。Cilium 的 BPF 程序 ${program} 找到了这个 Service，但它没有任何后端，所以 ${call} 立即失败，报 “No route to host”（EHOSTUNREACH）：根本不会发出任何包。`,
      ),
    )
    return {
      kind: 'rejected',
      reason: text(
        `${call}: No route to host (Service ${svc} has no backend)`,
        `${call}：No route to host（Service ${svc} 没有后端）`,
      ),
    }
  }
  const pick = w.rng.int(0, pool.length - 1)
  const chosen = pool[pick]!
  const slot = f.backends.indexOf(chosen)
  w.emit(
    'lb-select',
    at,
    pkt,
    lookups,
    text(
      `The application calls ${call} to ${frontendAddress(f)}, the ClusterIP of Service ${svc}. Before the kernel builds any packet, Cilium's BPF program ${program} (attached at ${hook} on the node's root cgroup) looks the address up in its Services map and picks a backend at random: slot ${slot + 1} of ${f.backends.length}, ${backendCell(f, slot).split(' => ')[1]!.split(' ')[0]}. It writes that address into the socket itself, so the first packet on the wire already goes to the backend: no node will DNAT it, and conntrack holds no translation to undo on the reply. The application still believes it is connected to the ClusterIP (getpeername() is translated back).`,
      `应用对 ${frontendAddress(f)}（Service ${svc} 的 ClusterIP）调用 ${call}。在内核构造任何包之前，Cilium 的 BPF 程序 ${program}（挂在节点根 cgroup 的 ${hook} 上）在它的 Services 表中查找这个地址，并随机选出一个后端：${f.backends.length} 个槽位中的第 ${slot + 1} 个，${backendCell(f, slot).split(' => ')[1]!.split(' ')[0]}。它把这个地址直接写进套接字，所以线路上的第一个包就已经发往后端：没有任何节点会对它做 DNAT，conntrack 里也没有需要在应答时还原的转换。应用仍以为自己连接的是 ClusterIP（getpeername() 会被翻译回去）。`,
    ),
  )
  l3.dst = backendCell(f, slot).split(' => ')[1]!.split(':')[0]!
  l4.dstPort = chosen.ep.port
  return null
}
