/**
 * A proxy process in the packet walk: a program that ends one connection and opens another
 * (userspace kube-proxy; later an Ingress controller or a Gateway). It listens on a socket in
 * some network namespace; when a connection reaches it, it picks an upstream, opens a NEW
 * connection from its own namespace (source address and port chosen by the kernel as for any
 * client), and later copies the upstream's answer back onto the first connection.
 *
 * The walk: `connect` sends a request and, whenever it is delivered to a proxy process, runs the
 * process and sends its upstream request (recursively: an Ingress controller may call a Service
 * that userspace kube-proxy proxies again). The server's reply goes to the innermost proxy
 * (`replyTarget`), and `unwind` walks each proxy's answer on its client connection, innermost
 * first. A proxy plugs in as a `ProxyListener` through a `ListenerSource` it registers
 * (./hooks.ts `registerListeners`).
 */
import { parseIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Packet } from '../../model/trace.ts'
import { lookupRoute } from '../net/fib.ts'
import { formatConntrack, type CtEntry } from './conntrack.ts'
import type { Endpoint, ProxyHop, Walk, WalkResult } from './api.ts'

// Linux's default net.ipv4.ip_local_port_range (connect() picks from it) and IP TTL.
const EPHEMERAL_MIN = 32768
const EPHEMERAL_MAX = 60999
const DEFAULT_TTL = 64

/** Sends `pkt` from `from`; a proxy process on the way opens its own connection onwards. */
export function connect(w: Walk, from: Endpoint, pkt: Packet, explain: Text): WalkResult {
  const r = w.send(from, pkt, explain)
  if (r.kind !== 'delivered' || !r.to.process) return r
  return relay(w, from, r.to, r.packet)
}

/** A request that reached a proxy process some other way (from the Internet) goes on from it. */
export function follow(w: Walk, from: Endpoint, r: WalkResult): WalkResult {
  if (r.kind !== 'delivered' || !r.to.process) return r
  return relay(w, from, r.to, r.packet)
}

/** Where the server's reply goes: the innermost proxy, or the original client. */
export function replyTarget(r: WalkResult, client: Endpoint): Endpoint {
  return r.kind === 'delivered' && r.via?.length ? r.via.at(-1)!.proxy : client
}

function relay(w: Walk, client: Endpoint, proxy: Endpoint, got: Packet): WalkResult {
  const listener = proxy.process!
  const ns = w.state.ns(proxy.nsId)
  const proto = got.l3!.proto
  const choice = listener.choose({
    walker: w,
    client: { ip: got.l3!.src, port: got.l4!.srcPort },
    local: { ip: got.l3!.dst, port: got.l4!.dstPort },
    proto,
    app: got.app,
  })
  const at = w.where(ns, {
    pod: proxy.pod ? `${proxy.pod.namespace}/${proxy.pod.name}` : null,
    container: proxy.container,
    component: listener.component,
  })
  if (choice.kind === 'refuse') {
    w.emit('reject', at, got, choice.lookups, choice.explain)
    return { kind: 'rejected', reason: choice.reason }
  }
  let seen = got
  for (const step of choice.steps ?? []) {
    if (step.app !== undefined) seen = { ...seen, app: step.app }
    w.emit(step.action, at, seen, step.lookups, step.explain)
  }
  if (choice.kind === 'answer') {
    return {
      kind: 'delivered',
      to: proxy,
      packet: got,
      answer: {
        status: choice.status,
        headers: choice.headers ?? {},
        ...(choice.why ? { why: choice.why } : {}),
      },
    }
  }
  // The second connection: a socket that binds nothing, so the route picks the source address.
  const up: Packet = {
    l2: null,
    l3: { src: '', dst: choice.ip, proto, ttl: DEFAULT_TTL },
    l4: { srcPort: w.rng.int(EPHEMERAL_MIN, EPHEMERAL_MAX), dstPort: choice.port },
    app: choice.app !== undefined ? choice.app : seen.app,
    outer: null,
  }
  const route = lookupRoute(ns, parseIp(choice.ip)!, null)
  const lookups = [...choice.lookups]
  if (route) {
    up.l3!.src = w.selectSource(ns, route.route)
    lookups.push(...w.routeLookups(route))
  }
  // conntrack tracks a namespace's connections only once something there needs it (a NAT or
  // conntrack rule: nf_ct_netns_get). A node has kube-proxy's rules; a Pod's namespace has no
  // rules at all, so its own connection shows in the node's table, not in the Pod's.
  if (route && ns.kind === 'host') {
    const entry: CtEntry = {
      proto,
      orig: { src: up.l3!.src, dst: choice.ip, sport: up.l4!.srcPort, dport: choice.port },
      reply: { src: choice.ip, dst: up.l3!.src, sport: choice.port, dport: up.l4!.srcPort },
      replied: false,
    }
    const table = w.state.conntrack.get(ns.id) ?? []
    table.push(entry)
    w.state.conntrack.set(ns.id, table)
    lookups.push({ table: 'conntrack -L', rule: formatConntrack(entry), matched: true })
  }
  const cost = listener.cost ?? { en: '', 'zh-CN': '' }
  w.emit(
    'proxy',
    at,
    seen,
    lookups,
    text(
      `${choice.explain.en}${cost.en ? ` ${cost.en}` : ''}`,
      `${choice.explain['zh-CN']}${cost['zh-CN'] ?? ''}`,
    ),
  )
  w.startPhase(w.phase, true, true)
  const name = listener.component
  const second = connect(
    w,
    proxy,
    up,
    text(
      `Second connection: ${name} itself is now the client. It opens ${proto === 'udp' ? 'a new UDP socket connected' : 'a new TCP connection'} to ${choice.ip}:${choice.port}${route ? ` from ${up.l3!.src}` : ''}:${up.l4!.srcPort}; the kernel picks the source address from the route and the source port from the ephemeral range, as for any program. The client's address is gone: ${choice.ip} will see ${name}'s address, not ${got.l3!.src}.`,
      `第二个连接：现在 ${name} 自己成了客户端。它新建一个${proto === 'udp' ? '连接' : ''}到 ${choice.ip}:${choice.port} 的 ${proto === 'udp' ? 'UDP 套接字' : 'TCP 连接'}${route ? `，源为 ${up.l3!.src}` : ''}:${up.l4!.srcPort}；和任何程序一样，内核按路由选源地址，从临时端口范围选源端口。客户端的地址不见了：${choice.ip} 看到的是 ${name} 的地址，而不是 ${got.l3!.src}。`,
    ),
  )
  if (second.kind !== 'delivered') return second
  const hop: ProxyHop = { proxy, listener, client, accepted: got }
  return { ...second, via: [hop, ...(second.via ?? [])] }
}

/**
 * After the server's reply reached the innermost proxy: each proxy writes the answer on its
 * client's connection, from the address and port that client connected to, innermost first.
 */
export function unwind(w: Walk, r: WalkResult, answer: Packet['app']): WalkResult {
  if (r.kind !== 'delivered' || !r.via?.length) return r
  let last: WalkResult = r
  for (const hop of [...r.via].reverse()) {
    const got = hop.accepted
    const name = hop.listener.component
    w.startPhase(w.phase, false, true)
    w.replyTo = hop.client
    const back: Packet = {
      l2: null,
      l3: { src: writeSource(w, hop), dst: got.l3!.src, proto: got.l3!.proto, ttl: DEFAULT_TTL },
      l4: { srcPort: got.l4!.dstPort, dstPort: got.l4!.srcPort },
      // Over TLS, the answer is encrypted again for the client.
      app:
        answer?.protocol === 'http' && got.app?.protocol === 'http' && got.app.tls
          ? { ...answer, tls: got.app.tls }
          : answer,
      outer: null,
    }
    const tls = back.app?.protocol === 'http' && back.app.tls !== undefined
    last = w.send(
      hop.proxy,
      back,
      text(
        `First connection again: ${name} copies the answer it read onto the client's connection. It writes from the socket the client reached, ${back.l3!.src}:${back.l4!.srcPort}, to ${back.l3!.dst}:${back.l4!.dstPort}: a new packet, built by the kernel from bytes ${name} handed down${tls ? `, encrypted again with the TLS session of the client connection` : ''}.`,
        `回到第一个连接：${name} 把读到的应答复制到客户端的连接上。它从客户端所连到的套接字 ${back.l3!.src}:${back.l4!.srcPort} 写往 ${back.l3!.dst}:${back.l4!.dstPort}：这是一个新包，由内核用 ${name} 交下来的字节重新构造${tls ? '，并用客户端连接的 TLS 会话重新加密' : ''}。`,
      ),
    )
    if (last.kind !== 'delivered') return last
  }
  return last
}

/**
 * TCP answers from the accepted socket's own address. A UDP proxy socket bound to 0.0.0.0 is not
 * connected, so sendto() gets its source from the route back to the client (which, for a
 * REDIRECTed packet, is the address REDIRECT chose: the reason kube-proxy's comment gives for it).
 */
function writeSource(w: Walk, hop: ProxyHop): string {
  const got = hop.accepted
  if (got.l3!.proto !== 'udp') return got.l3!.dst
  const ns = w.state.ns(hop.proxy.nsId)
  const m = lookupRoute(ns, parseIp(got.l3!.src)!, null)
  return m && m.route.type !== 'local' ? w.selectSource(ns, m.route) : got.l3!.dst
}
