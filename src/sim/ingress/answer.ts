/**
 * Two pieces of an HTTP trip from outside that belong to no packet hop: the public DNS lookup a
 * client makes before it connects, and the answer an L7 proxy writes itself (404, 308, 503).
 */
import { text, type Text } from '../../model/text.ts'
import type { Packet } from '../../model/trace.ts'
import { createRng, type Rng } from '../rng.ts'
import type { Endpoint, Walk } from '../walk/api.ts'
import type { PublicName } from './public-dns.ts'

const AT_CLIENT = {
  node: null,
  pod: null,
  container: null,
  device: null,
  component: 'internet',
  hook: null,
} as const
const AT_PUBLIC_DNS = { ...AT_CLIENT, component: 'public-dns' }

/**
 * The client's recursive resolver. Its real address is the client's business (an ISP's, 8.8.8.8,
 * a home router); PodPath shows one from the documentation range 192.0.2.0/24 (RFC 5737) and says
 * so, rather than inventing a real one.
 */
export const CLIENT_RESOLVER = '192.0.2.53'
// Linux's default net.ipv4.ip_local_port_range (net/ipv4/af_inet.c inet_init_net), and
// net.ipv4.ip_default_ttl.
const EPHEMERAL_MIN = 32768
const EPHEMERAL_MAX = 60999
const TTL = 64

/** The client's resolver asks the public DNS for the name and gets the record PodPath assumes. */
export function publicDnsSteps(w: Walk, client: string, pub: PublicName, rng: Rng): void {
  w.startPhase('dns', true)
  const id = rng.int(0, 65535)
  // The query's source port comes from a stream of its own, seeded by the query id, so that the
  // rest of the trace draws exactly what it drew before this lookup carried headers.
  const port = createRng(id).int(EPHEMERAL_MIN, EPHEMERAL_MAX)
  const query: Packet = {
    l2: null,
    l3: { src: client, dst: CLIENT_RESOLVER, proto: 'udp', ttl: TTL },
    l4: { srcPort: port, dstPort: 53 },
    app: { protocol: 'dns', kind: 'query', id, question: `${pub.name}.`, type: 'A' },
    outer: null,
  }
  w.emit(
    'dns-query',
    AT_CLIENT,
    query,
    [],
    text(
      `The client ${client} asks its resolver for the A record of "${pub.name}" (query id ${id}), in a UDP datagram from port ${port} to port 53. This name is public: the question goes to the Internet's DNS, which PodPath shows as one step. The resolver's address, ${CLIENT_RESOLVER}, stands for whichever resolver the client really uses (it is from the documentation range of RFC 5737).`,
      `客户端 ${client} 向它的解析器查询 “${pub.name}” 的 A 记录（查询 id ${id}），用一个从端口 ${port} 发往 53 端口的 UDP 数据报。这是一个公共名字：问题交给互联网上的 DNS，PodPath 把它显示为一步。解析器地址 ${CLIENT_RESOLVER} 代表客户端实际使用的那个解析器（它取自 RFC 5737 的文档专用地址段）。`,
    ),
  )
  const answer: Packet = {
    ...query,
    l3: { src: CLIENT_RESOLVER, dst: client, proto: 'udp', ttl: TTL },
    l4: { srcPort: 53, dstPort: port },
    app: {
      protocol: 'dns',
      kind: 'answer',
      id,
      question: `${pub.name}.`,
      type: 'A',
      status: 'NOERROR',
      answers: pub.lookups.map((l) => l.rule),
    },
  }
  w.emit('dns-answer', AT_PUBLIC_DNS, answer, pub.lookups, pub.explain)
}

const STATUS_TEXT: Record<number, string> = {
  308: 'Permanent Redirect',
  404: 'Not Found',
  503: 'Service Unavailable',
}

/** The proxy writes its own answer on the client's connection. */
export function answerText(
  server: Endpoint,
  answer: { status: number; headers: Record<string, string>; why?: Text },
  reply: Packet,
): Text {
  const c = server.process?.component
  const name = c === 'envoy' ? 'Envoy' : (c ?? 'the proxy')
  const line = `${answer.status} ${STATUS_TEXT[answer.status] ?? ''}`.trim()
  const loc = answer.headers.Location
  const why = answer.why
    ? text(`: ${answer.why.en}`, `：${answer.why['zh-CN']}`)
    : answer.status === 308
      ? text(
          ` with Location: ${loc}: the client is told to come back over HTTPS`,
          `，带有 Location: ${loc}：告诉客户端改用 HTTPS 再来`,
        )
      : answer.status === 404
        ? text(
            ": no rule matched, and the controller's own default backend answers",
            '：没有规则匹配，由控制器自己的默认后端回答',
          )
        : text(': there is no server to pass the request to', '：没有可以转交请求的服务器')
  return text(
    `${name} answers the request itself, without opening a second connection: HTTP ${line}${why.en}. The answer goes out on the client's connection, ${reply.l3!.src}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}.`,
    `${name} 自己回答这个请求，不建立第二个连接：HTTP ${line}${why['zh-CN']}。回答沿客户端的连接发出：${reply.l3!.src}:${reply.l4!.srcPort} -> ${reply.l3!.dst}:${reply.l4!.dstPort}。`,
  )
}
