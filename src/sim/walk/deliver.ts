/** The packet reaches its destination namespace: a listening socket takes it, or the kernel refuses. */
import { text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import type { BuiltPod } from '../cluster.ts'
import type { Link, NetNs } from '../net/netns.ts'
import type { Walk, WalkResult } from './api.ts'

/** Pods whose containers' sockets live in this namespace (hostNetwork Pods share the node's). */
function podsIn(w: Walk, ns: NetNs): BuiltPod[] {
  const c = w.state.cluster
  if (ns.kind === 'pod') return [c.podByKey.get(ns.pod!)!]
  return c.pods.filter((p) => p.hostNetwork && p.node === ns.node)
}

export function deliverLocal(
  w: Walk,
  ns: NetNs,
  link: Link | null,
  pkt: Packet,
  lookups: Lookup[],
): WalkResult {
  const l3 = pkt.l3!
  const port = pkt.l4?.dstPort ?? 0
  const proto = l3.proto.toUpperCase()
  const client = w.replyTo
  if (client?.process && client.nsId === ns.id) {
    const name = client.process.component
    w.emit(
      'deliver',
      w.where(ns, {
        pod: client.pod ? `${client.pod.namespace}/${client.pod.name}` : null,
        container: client.container,
        device: link?.name ?? null,
        component: name,
      }),
      pkt,
      lookups,
      text(
        `The answer reaches ${l3.dst}:${port}, the socket ${name} opened for the second connection. ${name} read()s it: the bytes are copied out of the kernel into the process again, so that it can write them onto the first connection.`,
        `应答到达 ${l3.dst}:${port}，即 ${name} 为第二个连接打开的套接字。${name} 用 read() 读取它：字节再一次从内核复制到进程里，好让它写到第一个连接上。`,
      ),
    )
    return { kind: 'delivered', to: client, packet: pkt }
  }
  if (client && client.nsId === ns.id) {
    const owner = client.pod
      ? `Container "${client.container}" of Pod ${client.pod.namespace}/${client.pod.name}`
      : `the process on node ${client.node}`
    const ownerZh = client.pod
      ? `Pod ${client.pod.namespace}/${client.pod.name} 的容器 “${client.container}”`
      : `节点 ${client.node} 上的进程`
    w.emit(
      'deliver',
      w.where(ns, {
        pod: client.pod ? `${client.pod.namespace}/${client.pod.name}` : null,
        container: client.container,
        device: link?.name ?? null,
      }),
      pkt,
      lookups,
      text(
        `The reply reaches ${l3.dst}:${port}, the socket that sent the request: ${owner} reads the answer. The round trip is complete.`,
        `应答到达 ${l3.dst}:${port}，也就是发出请求的那个套接字：${ownerZh} 读到了回应。一次往返完成。`,
      ),
    )
    return { kind: 'delivered', to: client, packet: pkt }
  }
  const proc = w.listenerAt(ns, l3.proto, port)
  if (proc) {
    w.emit(
      'deliver',
      w.where(ns, { device: link?.name ?? null, component: proc.component }),
      pkt,
      lookups,
      text(
        `${l3.dst} is an address of ${ns.kind === 'pod' ? `Pod ${ns.pod}` : `node ${ns.node}`}, and ${proto} port ${port} there is ${proc.role.en}, listening on every address (0.0.0.0:${port}). The kernel hands the packet to that socket: this connection ends here, in a process that will open another one.`,
        `${l3.dst} 是${ns.kind === 'pod' ? ` Pod ${ns.pod} ` : `节点 ${ns.node} `}的地址，而那里的 ${proto} 端口 ${port} 是 ${proc.role['zh-CN']}，监听所有地址（0.0.0.0:${port}）。内核把包交给这个套接字：这个连接在这里、在一个进程中结束，由它再建立另一个连接。`,
      ),
    )
    return {
      kind: 'delivered',
      to: {
        nsId: ns.id,
        node: ns.node,
        pod: ns.pod ? (w.state.cluster.podByKey.get(ns.pod) ?? null) : null,
        container: proc.container ?? null,
        process: proc,
      },
      packet: pkt,
    }
  }
  for (const pod of podsIn(w, ns)) {
    for (const c of pod.containers) {
      if (!c.ports.some((p) => p.containerPort === port && p.protocol === proto)) continue
      const who =
        ns.kind === 'pod'
          ? `Pod ${ns.pod}`
          : `node ${ns.node} (hostNetwork Pod ${pod.namespace}/${pod.name})`
      const whoZh =
        ns.kind === 'pod'
          ? `Pod ${ns.pod}`
          : `节点 ${ns.node}（hostNetwork Pod ${pod.namespace}/${pod.name}）`
      w.emit(
        'deliver',
        w.where(ns, {
          pod: `${pod.namespace}/${pod.name}`,
          container: c.name,
          device: link?.name ?? null,
        }),
        pkt,
        lookups,
        text(
          `${l3.dst} is an address of ${who}. The kernel hands the packet to the socket listening on ${proto} port ${port}: container "${c.name}" receives it.`,
          `${l3.dst} 是 ${whoZh} 的地址。内核把包交给监听 ${proto} 端口 ${port} 的套接字：容器 “${c.name}” 收到了它。`,
        ),
      )
      return {
        kind: 'delivered',
        to: { nsId: ns.id, node: ns.node, pod, container: c.name },
        packet: pkt,
      }
    }
  }
  const reply = proto === 'TCP' ? 'a TCP RST ("Connection refused")' : 'an ICMP port unreachable'
  const replyZh = proto === 'TCP' ? 'TCP RST（"Connection refused"）' : 'ICMP 端口不可达'
  w.emit(
    'reject',
    w.where(ns, { device: link?.name ?? null }),
    pkt,
    lookups,
    text(
      `The packet reached ${l3.dst}, but no container there listens on ${proto} port ${port}, so the kernel answers with ${reply}. (A Pod's containerPort list is informational; PodPath treats the declared ports as what listens.)`,
      `包到达了 ${l3.dst}，但那里没有容器监听 ${proto} 端口 ${port}，所以内核回以 ${replyZh}。（Pod 的 containerPort 列表只是说明性的；PodPath 把声明的端口当作正在监听的端口。）`,
    ),
  )
  return {
    kind: 'rejected',
    reason: text(
      `nothing listens on ${proto.toLowerCase()} port ${port}`,
      `没有程序在 ${proto.toLowerCase()} 端口 ${port} 上监听`,
    ),
  }
}
