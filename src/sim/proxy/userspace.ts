/**
 * kube-proxy's userspace proxy as a process in the walk (kubernetes v1.25
 * pkg/proxy/userspace/proxysocket.go and roundrobin.go). For every Service port it listens on a
 * proxy port of the node; each accepted connection gets the next endpoint of a round-robin list
 * (LoadBalancerRR.NextEndpoint), honouring sessionAffinity ClientIP, and a new connection to it.
 */
import { formatIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Lookup } from '../../model/trace.ts'
import type { Cluster } from '../cluster.ts'
import { hash32 } from '../hash.ts'
import type { NetNs } from '../net/netns.ts'
import { createRng } from '../rng.ts'
import type { BuiltEndpoint } from '../services/service.ts'
import type { Accepted, ProxyListener, UpstreamChoice } from '../walk/api.ts'
import { userspacePortals, type UserspacePortal } from './userspace-rules.ts'

/**
 * The endpoint list as LoadBalancerRR keeps it: the ready "ip:port" strings, shuffled once when
 * kube-proxy learns them (util.ShuffleStrings), the round-robin index starting at 0. Each node's
 * kube-proxy shuffles on its own; PodPath seeds the shuffle from the node and the Service port.
 */
export function roundRobinList(node: string, p: UserspacePortal): BuiltEndpoint[] {
  const eps = p.port.endpoints.filter((e) => e.ready)
  const rng = createRng(hash32(`${node} ${p.spn}`, 5))
  const out = [...eps]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

function epString(e: BuiltEndpoint): string {
  return `${formatIp(e.ip)}:${e.port}`
}

export interface RoundRobinPick {
  index: number
  endpoint: BuiltEndpoint
  /** True when a ClientIP affinity record decided, not the round-robin position. */
  sticky: boolean
}

/**
 * NextEndpoint for one new connection. Without affinity the endpoint at the round-robin index;
 * PodPath takes the trace's seed as the number of connections kube-proxy already handed out for
 * this Service port, so consecutive seeds walk the list in turn. With ClientIP affinity the
 * endpoint the client's first connection got, which PodPath places at a position derived from
 * the client's address, so one client always lands on the same endpoint whatever the seed.
 */
export function nextEndpoint(
  node: string,
  p: UserspacePortal,
  clientIp: string,
  seed: number,
): RoundRobinPick | null {
  const list = roundRobinList(node, p)
  if (list.length === 0) return null
  const sticky = p.svc.decl.sessionAffinity === 'ClientIP'
  const index = sticky
    ? hash32(`${node} ${p.spn} ${clientIp}`, 11) % list.length
    : (seed >>> 0) % list.length
  return { index, endpoint: list[index]!, sticky }
}

const COST_START = {
  en: 'This is what userspace mode costs: the bytes climb from the kernel into the kube-proxy process (a read() system call and a context switch), and go back down through a write() on a second connection; the answer makes the same trip the other way.',
  zh: '这就是 userspace 模式的代价：字节从内核爬升到 kube-proxy 进程中（一次 read() 系统调用和一次上下文切换），再经第二个连接上的 write() 下到内核；应答反方向再走一遍。',
}
const COST_END = {
  en: 'In iptables or IPVS mode the kernel rewrites the packet and forwards it without waking any process.',
  zh: '而在 iptables 或 IPVS 模式下，内核改写包头后直接转发，不需要唤醒任何进程。',
}

/** proxyTCP: two goroutines copy each connection pair; UDP: one socket and goroutine per client. */
function cost(proto: string): Text {
  const mid =
    proto === 'tcp'
      ? {
          en: 'kube-proxy holds two sockets per connection and a goroutine copying each direction.',
          zh: 'kube-proxy 为每个连接占用两个套接字，每个方向各有一个 goroutine 在复制。',
        }
      : {
          en: 'For UDP kube-proxy keeps a socket connected to the endpoint for each client address, with a goroutine copying the answers back, until it has been idle for udpIdleTimeout (250 ms by default).',
          zh: '对 UDP，kube-proxy 为每个客户端地址保留一个连接到端点的套接字，并有一个 goroutine 把应答复制回去，直到它空闲超过 udpIdleTimeout（默认 250 毫秒）。',
        }
  return text(
    `${COST_START.en} ${mid.en} ${COST_END.en}`,
    `${COST_START.zh}${mid.zh}${COST_END.zh}`,
  )
}

function choose(c: Cluster, node: string, p: UserspacePortal, a: Accepted): UpstreamChoice {
  const tcp = a.proto === 'tcp'
  const client = `${a.client.ip}:${a.client.port}`
  const accepted: Lookup = {
    table: 'kube-proxy log (--v=3)',
    rule: tcp
      ? `Accepted TCP connection from ${client} to ${a.local.ip}:${a.local.port}`
      : `New UDP connection from ${client}`,
    matched: true,
  }
  const list = roundRobinList(node, p)
  const pick = nextEndpoint(node, p, a.client.ip, a.walker.seed)
  if (!pick) {
    return {
      kind: 'refuse',
      reason: text('kube-proxy found no endpoints', 'kube-proxy 找不到端点'),
      lookups: [
        accepted,
        {
          table: 'kube-proxy log',
          rule: `Couldn't find an endpoint for ${p.spn}: missing endpoints`,
          matched: true,
        },
      ],
      explain: tcp
        ? text(
            `kube-proxy accepted the connection (the kernel completed the TCP handshake with its socket), then found no ready endpoint for ${p.spn}, so it closes the connection. The client got connected and then an immediate end of stream (curl: "Empty reply from server"), not "Connection refused".`,
            `kube-proxy 接受了连接（内核已经和它的套接字完成了 TCP 握手），随后发现 ${p.spn} 没有任何就绪的端点，于是关闭连接。客户端先是连上了，紧接着就读到连接结束（curl 报 “Empty reply from server”），而不是 “Connection refused”。`,
          )
        : text(
            `kube-proxy read the datagram but found no ready endpoint for ${p.spn}, so it throws it away: the client hears nothing and times out.`,
            `kube-proxy 读到了数据报，但 ${p.spn} 没有任何就绪的端点，于是把它丢弃：客户端收不到任何回应，最终超时。`,
          ),
    }
  }
  const ep = pick.endpoint
  const target = epString(ep)
  const where = ep.pod
    ? {
        en: ` (Pod ${ep.pod}${ep.node ? ` on ${ep.node}` : ''})`,
        zh: `（Pod ${ep.pod}${ep.node ? `，位于 ${ep.node}` : ''}）`,
      }
    : { en: '', zh: '' }
  const order = list.map(epString)
  const seed = a.walker.seed >>> 0
  const why = pick.sticky
    ? {
        en: `The Service has sessionAffinity: ClientIP, so kube-proxy keeps, per client IP, the endpoint that client got last and reuses it for ${p.svc.decl.sessionAffinityTimeout} s after its last use: every connection from ${a.client.ip} goes to ${target}, whatever the round-robin position. (PodPath places this client's first connection at position ${pick.index + 1} from its address.)`,
        zh: `这个 Service 设置了 sessionAffinity: ClientIP，所以 kube-proxy 按客户端 IP 记住它上次分到的端点，并在最后一次使用后的 ${p.svc.decl.sessionAffinityTimeout} 秒内继续使用：来自 ${a.client.ip} 的每个连接都去 ${target}，与轮询位置无关。（PodPath 根据客户端地址，把它的第一个连接放在第 ${pick.index + 1} 个位置。）`,
      }
    : {
        en: `Each new connection takes the next one in turn. PodPath counts this trace's seed (${seed}) as the number of connections kube-proxy already handed out for this Service port, so this one gets position ${pick.index + 1}: ${target}; the next seed gets the next endpoint.`,
        zh: `每个新连接依次取下一个。PodPath 把这次跟踪的种子（${seed}）当作 kube-proxy 已为这个 Service 端口分发过的连接数，所以这个连接分到第 ${pick.index + 1} 个：${target}；换下一个种子就会轮到下一个端点。`,
      }
  return {
    kind: 'upstream',
    ip: formatIp(ep.ip),
    port: ep.port,
    pod: ep.pod,
    lookups: [
      accepted,
      {
        table: 'kube-proxy log (--v=4)',
        rule: `NextEndpoint for service "${p.spn}", srcAddr=${client}: endpoints: [${order.join(' ')}]`,
        matched: true,
      },
      {
        table: 'kube-proxy log (--v=3)',
        rule: `Mapped service "${p.spn}" to endpoint ${target}`,
        matched: true,
      },
    ],
    explain: text(
      `kube-proxy, an ordinary process on node ${node}, ${tcp ? 'accept()s the connection (the kernel completed the TCP handshake with its socket) and reads' : 'reads'} the request: its bytes are copied out of the kernel into kube-proxy's memory. Which Service is it for? kube-proxy knows from the port it arrived on, ${a.local.port}, its socket for ${p.spn}. Its round-robin balancer holds the ${list.length} ready endpoint${list.length === 1 ? '' : 's'} in the order it shuffled them when it learned them: ${order.join(', ')}. ${why.en} kube-proxy now connects to ${target}${where.en} itself.`,
      `kube-proxy 是节点 ${node} 上的一个普通进程，它${tcp ? ' accept() 这个连接（内核已和它的套接字完成 TCP 握手）并' : ''}读取请求：请求的字节从内核复制到了 kube-proxy 的内存里。它是给哪个 Service 的？kube-proxy 从到达的端口 ${a.local.port} 得知：这是它为 ${p.spn} 开的套接字。它的轮询负载均衡器按学到端点时打乱的顺序保存着 ${list.length} 个就绪端点：${order.join('、')}。${why.zh}接下来 kube-proxy 自己去连接 ${target}${where.zh}。`,
    ),
  }
}

/** kube-proxy's proxy sockets in a node's namespace (userspace mode only). */
export function userspaceListeners(c: Cluster, ns: NetNs): ProxyListener[] {
  if (c.decl.kubeProxy.mode !== 'userspace' || ns.kind !== 'host') return []
  const node = ns.node
  return userspacePortals(c, node).map((p) => ({
    component: 'kube-proxy',
    proto: p.port.protocol.toLowerCase(),
    port: p.proxyPort,
    role: text(
      `kube-proxy's socket for Service ${p.spn}`,
      `kube-proxy 为 Service ${p.spn} 开的套接字`,
    ),
    choose: (a) => choose(c, node, p, a),
    cost: cost(p.port.protocol.toLowerCase()),
  }))
}
