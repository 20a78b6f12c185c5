/**
 * Cilium's socket-level load balancer: cil_sock4_connect (bpf/bpf_sock.c, attached at
 * cgroup/connect4 on the cgroup v2 root, so every socket of the node and its Pods) and, for a
 * datagram, cil_sock4_sendmsg (cgroup/sendmsg4). __sock4_xlate_fwd looks the destination up
 * in the Services map of the sender's node and writes the chosen backend's address and port
 * into the socket address (ctx->user_ip4, user_port) before the kernel builds any packet: the
 * first packet on the wire already goes to the backend, and no DNAT happens anywhere.
 *
 * The lookup (bpf/bpf_sock.c __sock4_xlate_fwd, bpf/lib/lb.h lb4_lookup_service):
 * - First the destination itself, in the external scope: a ClusterIP, a LoadBalancer ingress
 *   IP, or this node's own address with a nodePort (the agent writes a NodePort frontend for
 *   each of its node's addresses, ./bpf-lb-list.ts).
 * - Failing that, sock4_wildcard_lookup_full: a port in the NodePort range whose address the
 *   ipcache knows as reserved:host or reserved:remote-node (any address of any node of the
 *   cluster, ./endpoints.ts nodeAddressIdentity), or a loopback address from the host's network
 *   namespace, is looked up again with address 0, the NodePort surrogate 0.0.0.0. Its second
 *   half, the HostPort surrogate, is not modelled (PodPath's Pods declare no hostPort).
 * - lb4_lookup_service runs with its scope switch on: a frontend flagged two-scopes is looked up
 *   once more in the internal scope ("/i"), which holds the backends internalTrafficPolicy
 *   allows. So a Service with externalTrafficPolicy Local, seen from a socket in the cluster,
 *   uses every backend (internalTrafficPolicy Cluster, the default); with both policies Local
 *   there is one scope, of this node's backends only.
 * - A frontend with no backend (count 0) fails connect() with EHOSTUNREACH. No frontend at all:
 *   -ENXIO, and connect() proceeds to the address as written.
 * sock4_skip_xlate only concerns ExternalIPs and HostPort frontends, which PodPath's Cilium agent
 * does not write (spec.externalIPs under Cilium are not modelled): a LoadBalancer IP is
 * translated like a ClusterIP, so a Pod's connection to it never reaches the cloud balancer.
 *
 * The backend: a random slot (sock_select_slot, get_prandom_u32() % count + 1 for TCP; a UDP
 * socket's cookie), drawn from the trace's seeded generator.
 */
import { formatIp, parseIp } from '../../../model/ipv4.ts'
import { text, type Text } from '../../../model/text.ts'
import type { Lookup, Packet } from '../../../model/trace.ts'
import type { NetNs } from '../../net/netns.ts'
import type { Endpoint, Walk, WalkResult } from '../../walk/api.ts'
import { nodeFrontends } from './bpf-lb-list.ts'
import { IPCACHE_TABLE, ipcacheValue, nodeAddressIdentity } from './endpoints.ts'
import { RESERVED_IDENTITIES } from './identity.ts'
import { SOCK4_CONNECT, SOCK4_SENDMSG } from './names.ts'
import {
  frontendAddress,
  frontendIp,
  frontendLines,
  frontendPort,
  type CiliumFrontend,
} from './service-list.ts'

// NODEPORT_PORT_MIN / NODEPORT_PORT_MAX (bpf/node_config.h), written from the agent's
// node-port-range, whose default is 30000-32767 (pkg/loadbalancer NodePortMinDefault, ...MaxDefault).
export const SOCK_NODEPORT_MIN = 30000
export const SOCK_NODEPORT_MAX = 32767

/**
 * lb4_lookup_service with the scope switch: the external-scope entry for the key, then, if it is
 * flagged two-scopes, the internal-scope entry for the same key.
 */
function lookupService(
  fes: readonly CiliumFrontend[],
  addr: number,
  port: number,
  proto: string,
): { ext: CiliumFrontend; f: CiliumFrontend } | null {
  const match = (x: CiliumFrontend) =>
    frontendIp(x) === addr && frontendPort(x) === port && x.port.protocol === proto
  const ext = fes.find((x) => match(x) && x.scope === undefined)
  if (!ext) return null
  const internal = fes.find((x) => match(x) && x.scope === 'internal')
  return { ext, f: internal ?? ext }
}

const is4Loopback = (ip: number) => ip >>> 24 === 127

export function sock4Xlate(w: Walk, from: Endpoint, ns: NetNs, pkt: Packet): WalkResult | null {
  const l3 = pkt.l3
  const l4 = pkt.l4
  if (!l3 || !l4 || (l3.proto !== 'tcp' && l3.proto !== 'udp')) return null
  const dst = parseIp(l3.dst)
  if (dst === null) return null
  const port = l4.dstPort
  const proto = l3.proto.toUpperCase()
  const c = w.state.cluster
  const fes = nodeFrontends(c, ns.node)
  const inHostns = ns.kind === 'host'
  // The ipcache entry that let a wildcard lookup through, for the step's lookups.
  let ipcache: Lookup | null = null
  let identity: string | null = null
  let hit = lookupService(fes, dst, port, proto)
  let wildcard = false
  if (!hit && port >= SOCK_NODEPORT_MIN && port <= SOCK_NODEPORT_MAX) {
    // sock4_wildcard_lookup(key, include_remote_hosts true, ...): loopback from the host, or an
    // address with the host's or a remote node's identity.
    const who = nodeAddressIdentity(c, ns, dst)
    if ((inHostns && is4Loopback(dst)) || who) {
      if (who) {
        identity = `reserved:${who.identity}`
        ipcache = {
          table: IPCACHE_TABLE,
          rule: `${l3.dst}/32 ${ipcacheValue(RESERVED_IDENTITIES[who.identity], who.tunnel)}`,
          matched: true,
        }
      }
      const surrogate = lookupService(fes, 0, port, proto)
      // sock4_wildcard_lookup_full keeps the surrogate only if it is a NodePort one.
      if (surrogate?.ext.type === 'NodePort') {
        hit = surrogate
        wildcard = true
      }
    }
  }
  if (!hit) return null
  const { ext, f } = hit
  const udp = l3.proto === 'udp'
  const program = udp ? SOCK4_SENDMSG : SOCK4_CONNECT
  const call = udp ? 'sendmsg()' : 'connect()'
  const hook = udp ? 'cgroup/sendmsg4' : 'cgroup/connect4'
  const at = w.where(ns, { container: from.container, component: 'cilium', hook })
  const svc = `${f.svc.namespace}/${f.svc.name}`
  // A NodePort or a LoadBalancer: narrated by what the lookup found; a ClusterIP as before.
  const nodePort = f.type === 'NodePort' || f.type === 'LoadBalancer'
  const lookups: Lookup[] = [
    ...(ipcache ? [ipcache] : []),
    ...frontendLines(fes, ext).map((rule) => ({
      table: 'cilium-dbg service list',
      rule,
      matched: f === ext,
    })),
    ...(f !== ext
      ? frontendLines(fes, f).map((rule) => ({
          table: 'cilium-dbg service list',
          rule,
          matched: true,
        }))
      : []),
  ]
  const target = `${l3.dst}:${port}`
  const found = nodePort ? foundNodePort(ns, target, ext, f, wildcard, identity) : null
  const active = f.backends.filter((b) => b.state === 'active')
  const pool = active.length ? active : f.backends
  if (pool.length === 0) {
    // Why the frontend is empty when the Service has endpoints: a Local policy for its scope.
    const itp = f.svc.decl.internalTrafficPolicy === 'Local'
    const etp = f.svc.decl.externalTrafficPolicy === 'Local'
    const local =
      nodePort && f.scope === undefined && etp
        ? text(
            ` on ${ns.node} (externalTrafficPolicy and internalTrafficPolicy are both Local: one scope, of this node's backends only)`,
            `在 ${ns.node} 上（externalTrafficPolicy 和 internalTrafficPolicy 都是 Local：只有一个作用域，只含本节点的后端）`,
          )
        : itp
          ? text(
              ` on ${ns.node} (internalTrafficPolicy Local: this scope holds only this node's backends)`,
              `在 ${ns.node} 上（internalTrafficPolicy Local：这个作用域只含本节点的后端）`,
            )
          : text('', '')
    const why = nodePort
      ? text(
          `${found!.en} That frontend holds no backend${local.en}, so ${call} fails at once with "No route to host" (EHOSTUNREACH): no packet is ever sent, to ${target} or anywhere else.`,
          `${found!['zh-CN']}这个前端没有任何后端${local['zh-CN']}，所以 ${call} 立即失败，报 “No route to host”（EHOSTUNREACH）：根本不会发出任何包，既不发往 ${target}，也不发往别处。`,
        )
      : text(
          `The application calls ${call} to ${frontendAddress(f)}, Service ${svc}. Cilium's BPF program ${program} finds the Service but it has no backend${local.en}, so ${call} fails at once with "No route to host" (EHOSTUNREACH): no packet is ever sent.`,
          `应用对 ${frontendAddress(f)}（Service ${svc}）调用 ${call}。Cilium 的 BPF 程序 ${program} 找到了这个 Service，但它没有任何后端${local['zh-CN']}，所以 ${call} 立即失败，报 “No route to host”（EHOSTUNREACH）：根本不会发出任何包。`,
        )
    w.emit('reject', at, pkt, lookups, why)
    return {
      kind: 'rejected',
      reason: text(
        `${call}: No route to host (Service ${svc} has no backend${nodePort ? ` for ${frontendAddress(f)}` : ''})`,
        `${call}：No route to host（Service ${svc}${nodePort ? ` 的 ${frontendAddress(f)}` : ''} 没有后端）`,
      ),
    }
  }
  const pick = w.rng.int(0, pool.length - 1)
  const chosen = pool[pick]!
  const slot = f.backends.indexOf(chosen)
  const backend = `${formatIp(chosen.ep.ip)}:${chosen.ep.port}`
  w.emit(
    'lb-select',
    at,
    pkt,
    lookups,
    nodePort
      ? text(
          `${found!.en} It picks a backend at random: slot ${slot + 1} of ${f.backends.length}, ${backend}, and writes it into the socket address before the kernel builds any packet. The first packet on the wire goes straight to ${backend}: no packet to ${target} ever exists, no node DNATs anything${ext.type === 'LoadBalancer' ? ' and no cloud balancer sees it' : ` (not even ${ext.address === 0 ? 'the node the application named' : ns.node})`}, and conntrack holds no translation to undo on the reply. The application still believes it is connected to ${target} (getpeername() is translated back).`,
          `${found!['zh-CN']}它随机选出一个后端：${f.backends.length} 个槽位中的第 ${slot + 1} 个，${backend}，并在内核构造任何包之前把它写进套接字地址。线路上的第一个包直接发往 ${backend}：发往 ${target} 的包从未存在，没有任何节点做 DNAT${ext.type === 'LoadBalancer' ? '，也没有任何云负载均衡器见到它' : `（${ext.address === 0 ? '应用指定的那个节点' : ns.node}也不例外）`}，conntrack 里也没有需要在应答时还原的转换。应用仍以为自己连接的是 ${target}（getpeername() 会被翻译回去）。`,
        )
      : text(
          `The application calls ${call} to ${frontendAddress(f)}, the ClusterIP of Service ${svc}. Before the kernel builds any packet, Cilium's BPF program ${program} (attached at ${hook} on the node's root cgroup) looks the address up in its Services map and picks a backend at random: slot ${slot + 1} of ${f.backends.length}, ${backend}/${f.port.protocol}. It writes that address into the socket itself, so the first packet on the wire already goes to the backend: no node will DNAT it, and conntrack holds no translation to undo on the reply. The application still believes it is connected to the ClusterIP (getpeername() is translated back).`,
          `应用对 ${frontendAddress(f)}（Service ${svc} 的 ClusterIP）调用 ${call}。在内核构造任何包之前，Cilium 的 BPF 程序 ${program}（挂在节点根 cgroup 的 ${hook} 上）在它的 Services 表中查找这个地址，并随机选出一个后端：${f.backends.length} 个槽位中的第 ${slot + 1} 个，${backend}/${f.port.protocol}。它把这个地址直接写进套接字，所以线路上的第一个包就已经发往后端：没有任何节点会对它做 DNAT，conntrack 里也没有需要在应答时还原的转换。应用仍以为自己连接的是 ClusterIP（getpeername() 会被翻译回去）。`,
        ),
  )
  l3.dst = formatIp(chosen.ep.ip)
  l4.dstPort = chosen.ep.port
  return null

  function foundNodePort(
    ns: NetNs,
    target: string,
    ext: CiliumFrontend,
    f: CiliumFrontend,
    wildcard: boolean,
    identity: string | null,
  ): Text {
    const lookup =
      ext.type === 'LoadBalancer'
        ? text(
            `${target} is a LoadBalancer IP of Service ${svc} (its status.loadBalancer.ingress), and ${ns.node}'s agent wrote a LoadBalancer frontend for it, as every node's does: ${frontendAddress(ext)}. sock4_skip_xlate spares only ExternalIPs and HostPort frontends, so it is translated here, at the socket: the connection never goes to the cloud balancer.`,
            `${target} 是 Service ${svc} 的 LoadBalancer IP（它的 status.loadBalancer.ingress），${ns.node} 的 agent 和每个节点的一样，为它写了一个 LoadBalancer 前端：${frontendAddress(ext)}。sock4_skip_xlate 只放过 ExternalIPs 和 HostPort 前端，所以它就在这里、在套接字上被转换：这条连接根本不会去往云负载均衡器。`,
          )
        : wildcard
          ? text(
              `${target} is not in ${ns.node}'s Services map: its agent writes NodePort frontends only for its own addresses. So __sock4_xlate_fwd tries sock4_wildcard_lookup: ${port} lies in the NodePort range ${SOCK_NODEPORT_MIN}-${SOCK_NODEPORT_MAX}${identity ? ` and the ipcache says ${l3!.dst} is ${identity}, an address of a node of this cluster` : ` and ${l3!.dst} is a loopback address of the host`}, so it looks the port up on address 0, the surrogate ${frontendAddress(ext)}: NodePort Service ${svc}.`,
              `${target} 不在 ${ns.node} 的 Services 表中：它的 agent 只为本节点自己的地址写 NodePort 前端。于是 __sock4_xlate_fwd 尝试 sock4_wildcard_lookup：${port} 在 NodePort 范围 ${SOCK_NODEPORT_MIN}-${SOCK_NODEPORT_MAX} 之内${identity ? `，而 ipcache 表明 ${l3!.dst} 是 ${identity}，即本集群某个节点的地址` : `，而 ${l3!.dst} 是主机的回环地址`}，所以它用地址 0 查这个端口，即替身前端 ${frontendAddress(ext)}：NodePort Service ${svc}。`,
            )
          : text(
              `${target} is one of ${ns.node}'s own addresses with a nodePort, and its agent wrote a NodePort frontend for it: ${frontendAddress(ext)}, Service ${svc}.`,
              `${target} 是 ${ns.node} 自己的地址加上 nodePort，它的 agent 为此写了一个 NodePort 前端：${frontendAddress(ext)}，Service ${svc}。`,
            )
    const scope =
      f !== ext
        ? text(
            ` The frontend is flagged two-scopes (externalTrafficPolicy ${f.svc.decl.externalTrafficPolicy}, internalTrafficPolicy ${f.svc.decl.internalTrafficPolicy}), and from a socket lb4_lookup_service switches to the internal scope, ${frontendAddress(f)}: it holds ${f.svc.decl.internalTrafficPolicy === 'Local' ? `only the backends on ${ns.node}` : 'every backend in the cluster'}. The external scope, ${ext.svc.decl.externalTrafficPolicy === 'Local' ? `with only ${ns.node}'s backends,` : 'with every backend,'} is for packets from outside; externalTrafficPolicy does not apply to a client inside the cluster.`,
            `这个前端带有 two-scopes 标志（externalTrafficPolicy ${f.svc.decl.externalTrafficPolicy}，internalTrafficPolicy ${f.svc.decl.internalTrafficPolicy}），从套接字发起时 lb4_lookup_service 切换到内部作用域 ${frontendAddress(f)}：它包含${f.svc.decl.internalTrafficPolicy === 'Local' ? `仅 ${ns.node} 上的后端` : '集群中的全部后端'}。外部作用域${ext.svc.decl.externalTrafficPolicy === 'Local' ? `（只含 ${ns.node} 的后端）` : '（含全部后端）'}用于来自集群外的包；externalTrafficPolicy 不适用于集群内部的客户端。`,
          )
        : text('', '')
    return text(
      `The application calls ${call} to ${target}. Before the kernel builds any packet, Cilium's BPF program ${program} (attached at ${hook} on the node's root cgroup) looks it up. ${lookup.en}${scope.en}`,
      `应用对 ${target} 调用 ${call}。在内核构造任何包之前，Cilium 的 BPF 程序 ${program}（挂在节点根 cgroup 的 ${hook} 上）查找它。${lookup['zh-CN']}${scope['zh-CN']}`,
    )
  }
}
