/**
 * The simulation core: `trace(cluster, traffic, {seed})` follows one request and its reply
 * through the cluster and returns a `podpath.trace/v2` trace. Pure and deterministic: all
 * randomness comes from the seeded generator; the cluster is never modified.
 */
import { text, type Text } from '../model/text.ts'
import { parseIp } from '../model/ipv4.ts'
import { loadBalancerVIPs } from './services/service.ts'
import type { TrafficDecl } from '../model/scenario.ts'
import {
  TRACE_FORMAT,
  type HttpApp,
  type Packet,
  type Trace,
  type TraceEndpoint,
} from '../model/trace.ts'
import type { Cluster } from './cluster.ts'
import { createRng } from './rng.ts'
import { resolveSource, resolveTarget } from './target.ts'
import { WalkState, type MemoryKey } from './walk/state.ts'
import { Walker } from './walk/walker.ts'
import { dnsPhase } from './dns/lookup.ts'
import { internetSend } from './walk/internet.ts'
import { IPVS_LEDGER, IpvsLedger } from './proxy/ipvs-ledger.ts'
import { dataPlaneHooks } from './assemble/data-planes.ts'
import { MAX_CONNECTIONS } from './limits.ts'
import { RECENT_LISTS, RecentLists } from './proxy/recent.ts'
import type { CtEntry } from './walk/conntrack.ts'
import type { Fdb, Neigh } from './net/netns.ts'
import { connect, follow, replyTarget, unwind } from './walk/proxy-process.ts'
import { answerText, publicDnsSteps } from './ingress/answer.ts'

export interface TraceOptions {
  seed: number
  /**
   * Which connection of a session this is (1 by default). Connection k replays the k-1 before
   * it (seeds seed .. seed+k-2) so that state the kernel keeps between connections, such as
   * IPVS connection counts, is there; connection k itself uses seed+k-1.
   */
  connection?: number
}

export { MAX_CONNECTIONS }

// Linux's default net.ipv4.ip_local_port_range is 32768-60999 (net/ipv4/af_inet.c inet_init_net).
const EPHEMERAL_MIN = 32768
const EPHEMERAL_MAX = 60999
// net.ipv4.ip_default_ttl
const DEFAULT_TTL = 64

function failed(traffic: string, seed: number, reason: Text): Trace {
  return {
    format: TRACE_FORMAT,
    traffic,
    seed,
    outcome: 'error',
    reason,
    dialled: null,
    endpoint: null,
    steps: [],
  }
}

export function trace(cluster: Cluster, traffic: TrafficDecl, opts: TraceOptions): Trace {
  return traceSession(cluster, traffic, opts).trace
}

/** What a node's kernel holds after a session: each namespace's conntrack entries, and IPVS's counts. */
export interface SessionState {
  conntrack: Map<string, CtEntry[]>
  ipvs: IpvsLedger
  recent: RecentLists
  /** The neighbour (ARP) and bridge forwarding entries the last connection learnt, by namespace. */
  neigh: Map<string, Neigh[]>
  fdb: Map<string, Fdb[]>
}

const copyEntry = (e: CtEntry): CtEntry => ({ ...e, orig: { ...e.orig }, reply: { ...e.reply } })

/** The kernel's state in the middle of a connection: copies the rest of the walk cannot change. */
function stateNow(session: SessionState, walk: WalkState): SessionState {
  const conntrack = new Map<string, CtEntry[]>()
  for (const [ns, entries] of session.conntrack) conntrack.set(ns, entries.map(copyEntry))
  for (const [ns, entries] of walk.conntrack)
    conntrack.set(ns, [...(conntrack.get(ns) ?? []), ...entries.map(copyEntry)])
  return { ...session, conntrack, ipvs: session.ipvs.clone(), ...walk.learnt() }
}

/**
 * The trace of connection k, and the kernel state the k connections of the session left behind;
 * with `atStep`, the state as it stands just after that step of connection k (the app's box
 * inspector: src/sim/inspect.ts).
 */
export function traceSession(
  cluster: Cluster,
  traffic: TrafficDecl,
  opts: TraceOptions,
  atStep: number | null = null,
): { trace: Trace; state: SessionState } {
  const seed = opts.seed >>> 0
  const k = Math.min(Math.max(1, Math.floor(opts.connection ?? 1)), MAX_CONNECTIONS)
  const session: SessionState = {
    conntrack: new Map(),
    ipvs: new IpvsLedger(),
    recent: new RecentLists(),
    neigh: new Map(),
    fdb: new Map(),
  }
  let t: Trace | null = null
  let at: SessionState | null = null
  let last: WalkState | null = null
  for (let i = 1; i <= k; i++) {
    const walk = new WalkState(
      cluster,
      new Map<MemoryKey<unknown>, unknown>([
        [IPVS_LEDGER, session.ipvs],
        [RECENT_LISTS, session.recent],
      ]),
    )
    if (i === k && atStep !== null)
      walk.onStep = (index) => {
        if (index === atStep) at = stateNow(session, walk)
      }
    t = traceOne(cluster, traffic, (seed + i - 1) >>> 0, walk)
    for (const [ns, entries] of walk.conntrack) {
      session.conntrack.set(ns, [...(session.conntrack.get(ns) ?? []), ...entries])
    }
    last = walk
  }
  const state: SessionState = at ?? { ...session, ...last!.learnt() }
  if (k === 1) return { trace: t!, state }
  return {
    trace: {
      format: t!.format,
      traffic: t!.traffic,
      seed,
      connection: k,
      outcome: t!.outcome,
      reason: t!.reason,
      dialled: t!.dialled,
      endpoint: t!.endpoint,
      steps: t!.steps,
    },
    state,
  }
}

function traceOne(cluster: Cluster, traffic: TrafficDecl, seed: number, walk: WalkState): Trace {
  const src = resolveSource(cluster, traffic)
  if (!src.ok) return failed(traffic.name, seed, src.reason)
  const source = src.value
  const resolved = resolveTarget(
    cluster,
    traffic,
    source.pod?.namespace ?? null,
    source.external !== undefined,
  )
  if (!resolved.ok) return failed(traffic.name, seed, resolved.reason)
  const target = resolved.value

  const rng = createRng(seed)
  const walker = new Walker(walk, rng, 'request', dataPlaneHooks(cluster))
  walker.seed = seed
  const srcPort = rng.int(EPHEMERAL_MIN, EPHEMERAL_MAX)
  let dnsAddress = false
  if (target.viaDns && source.pod) {
    const dns = dnsPhase(walker, cluster, source, target.host)
    if (dns && 'failed' in dns && dns.failed.kind !== 'delivered') {
      return {
        format: TRACE_FORMAT,
        traffic: traffic.name,
        seed,
        outcome: dns.failed.kind,
        reason: text(`dns: ${dns.failed.reason.en}`, `DNS：${dns.failed.reason['zh-CN']}`),
        dialled: null,
        endpoint: null,
        steps: walker.steps,
      }
    }
    if (dns && 'cname' in dns) {
      // ExternalName: the name leads out of the cluster; PodPath has no Internet to follow.
      return {
        format: TRACE_FORMAT,
        traffic: traffic.name,
        seed,
        outcome: 'dns-only',
        reason: text(
          `ExternalName: ${target.host} is a CNAME to ${dns.cname}, outside the cluster`,
          `ExternalName：“${target.host}”是指向集群外“${dns.cname}”的 CNAME`,
        ),
        dialled: null,
        endpoint: null,
        steps: walker.steps,
      }
    }
    if (dns && 'address' in dns && target.ip === '') {
      // Headless: the answer is a Pod's own address.
      const ip = parseIp(dns.address)
      target.ip = dns.address
      target.pod = cluster.pods.find((p) => p.ip === ip && !p.hostNetwork) ?? null
      dnsAddress = !target.outside
    }
    walker.startPhase('request', true)
  }
  if (target.publicDns) {
    publicDnsSteps(walker, source.external!, target.publicDns, rng)
    walker.startPhase('request', true)
  }
  const http =
    target.scheme === 'http' ||
    target.scheme === 'https' ||
    (target.scheme === null && traffic.headers.Host !== undefined)
  const host = traffic.headers.Host ?? target.host
  const app: HttpApp | null = http
    ? {
        protocol: 'http',
        kind: 'request',
        method: 'GET',
        host,
        path: target.path,
        ...(Object.keys(traffic.headers).length ? { headers: { ...traffic.headers } } : {}),
        ...(target.scheme === 'https' ? { tls: { sni: target.host } } : {}),
      }
    : null
  const request: Packet = {
    l2: null,
    l3: { src: '', dst: target.ip, proto: traffic.protocol, ttl: DEFAULT_TTL },
    l4: { srcPort, dstPort: target.port },
    app,
    outer: null,
  }
  const sender = source.pod
    ? `Container "${source.container}" of Pod ${source.pod.namespace}/${source.pod.name}`
    : `A process on node ${source.node}`
  const senderZh = source.pod
    ? `Pod ${source.pod.namespace}/${source.pod.name} 的容器 “${source.container}”`
    : `节点 ${source.node} 上的一个进程`
  const dstIp = parseIp(target.ip)
  const lbOf = cluster.services.find((x) => dstIp !== null && loadBalancerVIPs(x).includes(dstIp))
  const extOf = cluster.services.find((x) => dstIp !== null && x.externalIPs.includes(dstIp))
  const viaName = target.publicDns
    ? {
        en: `, the address the public DNS gave for "${target.host}" (the EXTERNAL-IP in front of ${target.publicDns.servedBy.en})`,
        zh: `，即公共 DNS 为 “${target.host}” 给出的地址（${target.publicDns.servedBy['zh-CN']}前面的 EXTERNAL-IP）`,
      }
    : lbOf
      ? {
          en: `, the EXTERNAL-IP that "kubectl get svc ${lbOf.name}" shows: the address of the cloud load balancer in front of Service ${lbOf.namespace}/${lbOf.name} (status.loadBalancer.ingress)`,
          zh: `，即 “kubectl get svc ${lbOf.name}” 显示的 EXTERNAL-IP：Service ${lbOf.namespace}/${lbOf.name} 前面那个云负载均衡器的地址（status.loadBalancer.ingress）`,
        }
      : extOf
        ? {
            en: `, one of the externalIPs of Service ${extOf.namespace}/${extOf.name}`,
            zh: `，即 Service ${extOf.namespace}/${extOf.name} 的 externalIPs 之一`,
          }
        : dnsAddress
          ? {
              en: `, the address the DNS answer gave for "${target.host}": a headless Service has no ClusterIP, so the client connects straight to a Pod${target.pod ? ` (${target.pod.namespace}/${target.pod.name})` : ''} and no rule of kube-proxy's will translate it`,
              zh: `，即 DNS 应答为 “${target.host}” 给出的地址：Headless Service 没有 ClusterIP，所以客户端直接连接 Pod${target.pod ? `（${target.pod.namespace}/${target.pod.name}）` : ''}，kube-proxy 不会有任何规则去转换它`,
            }
          : target.outside
            ? {
                en: source.pod
                  ? `, the address CoreDNS brought back from upstream for "${target.host}": a host on the Internet, outside every range of the cluster, so no Service rule will translate it`
                  : `, the public address of "${target.host}" (a node's own resolver asks the upstream nameserver itself, so PodPath puts the address here directly)`,
                zh: source.pod
                  ? `，即 CoreDNS 从上游为 “${target.host}” 取回的地址：互联网上的一台主机，不在集群的任何地址段之内，所以不会有任何 Service 规则去转换它`
                  : `，即 “${target.host}” 的公网地址（节点自己的解析器直接询问上游 nameserver，所以这里由 PodPath 直接填入地址）`,
              }
            : target.pod && target.host !== target.ip
              ? {
                  en: ` (PodPath put Pod ${target.pod.namespace}/${target.pod.name}'s IP here directly; name lookups come with DNS)`,
                  zh: `（这里由 PodPath 直接填入 Pod ${target.pod.namespace}/${target.pod.name} 的 IP；名字解析见 DNS 部分）`,
                }
              : !target.pod && target.host !== target.ip && target.host !== 'localhost'
                ? {
                    en: source.pod
                      ? `, the ClusterIP the DNS answer gave for "${target.host}"`
                      : `, the ClusterIP of Service "${target.host}" (a node's own resolver does not use the cluster DNS, so PodPath puts the address here directly)`,
                    zh: source.pod
                      ? `，即 DNS 应答为 “${target.host}” 给出的 ClusterIP`
                      : `，即 Service “${target.host}” 的 ClusterIP（节点自己的解析器不使用集群 DNS，所以这里由 PodPath 直接填入地址）`,
                  }
                : { en: '', zh: '' }
  const sendExplain: Text = source.external
    ? text(
        `A client outside the cluster, at ${source.external}, sends ${traffic.protocol.toUpperCase()} to ${target.ip}:${target.port}${viaName.en} from source port ${srcPort}, with TTL ${DEFAULT_TTL}. ${lbOf ? 'That address belongs to no node: the cloud load balancer answers on it and chooses a node.' : "From outside, only the nodes' own addresses are reachable: a NodePort opens the same port on every one of them."}${app?.tls ? ` The request is HTTPS: the client opens TLS with SNI "${app.tls.sni}", and everything after the handshake is encrypted; only the holder of the certificate will read "${app.method} ${app.path}" and its Host header.` : app ? ` It carries the request "${app.method} ${app.path}" with Host: ${app.host}.` : ''}`,
        `集群外部的客户端 ${source.external} 从源端口 ${srcPort} 向 ${target.ip}:${target.port} 发送 ${traffic.protocol.toUpperCase()}${viaName.zh}，TTL 为 ${DEFAULT_TTL}。${lbOf ? '这个地址不属于任何节点：由云负载均衡器在它上面应答并选择一个节点。' : '从外部只能访问各节点自己的地址：NodePort 在每一个节点上打开同一个端口。'}${app?.tls ? `这个请求是 HTTPS：客户端以 SNI “${app.tls.sni}” 建立 TLS，握手之后的一切都是加密的；只有持有证书的一方才能读到 “${app.method} ${app.path}” 和它的 Host 头部。` : app ? `它携带请求 “${app.method} ${app.path}”，Host 为 ${app.host}。` : ''}`,
      )
    : text(
        `${sender} sends ${traffic.protocol.toUpperCase()} to ${target.ip}:${target.port}${viaName.en}. The kernel picks source port ${srcPort} from the ephemeral range 32768-60999 and a source address from the route, and sets TTL ${DEFAULT_TTL}.`,
        `${senderZh} 向 ${target.ip}:${target.port} 发送 ${traffic.protocol.toUpperCase()}${viaName.zh}。内核从临时端口范围 32768-60999 中选出源端口 ${srcPort}，按路由选出源地址，并把 TTL 设为 ${DEFAULT_TTL}。`,
      )
  const result = source.external
    ? follow(walker, source, internetSend(walker, source, request, sendExplain))
    : connect(walker, source, request, sendExplain)
  const dialled = { ip: target.ip, port: target.port }
  if (result.kind !== 'delivered') {
    return {
      format: TRACE_FORMAT,
      traffic: traffic.name,
      seed,
      outcome: result.kind,
      reason: result.reason,
      dialled,
      endpoint: null,
      steps: walker.steps,
    }
  }
  // The socket that accepted the request, after every DNAT and proxy on the way.
  const endpoint: TraceEndpoint = {
    pod: result.to.pod ? `${result.to.pod.namespace}/${result.to.pod.name}` : null,
    container: result.to.container,
    node: result.to.node,
    ip: result.packet.l3!.dst,
    port: result.packet.l4!.dstPort,
  }

  // The reply: same connection, addresses and ports swapped, from the socket that accepted it.
  // Translated by a node's conntrack (the Internet gateway's own SNAT is at no node).
  const translated = walker.steps.some(
    (x) =>
      x.action === 'dnat' ||
      x.action === 'masquerade' ||
      (x.action === 'snat' && x.at.node !== null),
  )
  const proxied = result.via?.length ? result.via.at(-1)! : null
  walker.startPhase('reply', false)
  walker.replyTo = replyTarget(result, source)
  const got = result.packet
  const reply: Packet = {
    l2: null,
    l3: { src: got.l3!.dst, dst: got.l3!.src, proto: got.l3!.proto, ttl: DEFAULT_TTL },
    l4: { srcPort: got.l4!.dstPort, dstPort: got.l4!.srcPort },
    app: http
      ? {
          protocol: 'http',
          kind: 'response',
          ...(got.app?.protocol === 'http' && got.app.tls && result.answer
            ? { tls: got.app.tls }
            : {}),
          ...(result.answer
            ? {
                status: result.answer.status,
                ...(Object.keys(result.answer.headers).length
                  ? { headers: result.answer.headers }
                  : {}),
              }
            : {}),
        }
      : null,
    outer: null,
  }
  const server = result.to
  const who = server.pod
    ? `Container "${server.container}" of Pod ${server.pod.namespace}/${server.pod.name}`
    : `Node ${server.node}`
  const whoZh = server.pod
    ? `Pod ${server.pod.namespace}/${server.pod.name} 的容器 “${server.container}”`
    : `节点 ${server.node}`
  const answered = server.external
    ? internetSend(
        walker,
        server,
        reply,
        text(
          `${target.outside?.name ?? server.external} answers on the same connection: source and destination swap, ${server.external}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}. It answers the address it saw, the node's; it never knew the Pod's.`,
          `${target.outside?.name ?? server.external} 在同一个连接上应答：源和目的互换，${server.external}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}。它应答的是它看到的地址，即节点的地址；它从来不知道 Pod 的地址。`,
        ),
      )
    : walker.send(
        server,
        reply,
        result.answer
          ? answerText(server, result.answer, reply)
          : proxied
            ? text(
                `${who} answers on the connection it was given, which ${proxied.listener.component} opened: ${reply.l3!.src}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}. The server only knows ${proxied.listener.component}'s address; the answer goes back to it, not to the original client.`,
                `${whoZh} 在它收到的那个连接上应答，这个连接是 ${proxied.listener.component} 建立的：${reply.l3!.src}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}。服务端只知道 ${proxied.listener.component} 的地址；应答回到它那里，而不是回到最初的客户端。`,
              )
            : text(
                `${who} answers on the same connection: source and destination swap, ${reply.l3!.src}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}. ${translated ? 'The request was translated on the way, so conntrack on the node that translated it will undo that on the reply.' : 'No address was translated on the way, so the reply simply goes back to the address that sent the request.'}`,
                `${whoZh} 在同一个连接上应答：源和目的互换，${reply.l3!.src}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}。${translated ? '来程中地址被转换过，所以做过转换的那个节点上的 conntrack 会在应答时把它还原。' : '来程没有任何地址转换，所以应答直接回到发出请求的地址。'}`,
              ),
      )
  const back =
    answered.kind === 'delivered' && result.via?.length
      ? unwind(walker, { ...answered, via: result.via }, reply.app)
      : answered
  const ok = back.kind === 'delivered'
  return {
    format: TRACE_FORMAT,
    traffic: traffic.name,
    seed,
    outcome: ok ? 'delivered' : back.kind,
    reason: ok ? null : text(`reply: ${back.reason.en}`, `应答：${back.reason['zh-CN']}`),
    dialled,
    endpoint,
    steps: walker.steps,
  }
}
