/**
 * Two pieces of an HTTP trip from outside that belong to no packet hop: the public DNS lookup a
 * client makes before it connects, and the answer an L7 proxy writes itself (404, 308, 503).
 */
import { text, type Text } from '../../model/text.ts'
import type { Packet } from '../../model/trace.ts'
import type { Rng } from '../rng.ts'
import type { Endpoint, Walker } from '../walk/walker.ts'
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

/** The client's resolver asks the public DNS for the name and gets the record PodPath assumes. */
export function publicDnsSteps(w: Walker, client: string, pub: PublicName, rng: Rng): void {
  w.startPhase('dns', true)
  const id = rng.int(0, 65535)
  const query: Packet = {
    l2: null,
    l3: null,
    l4: null,
    app: { protocol: 'dns', kind: 'query', id, question: `${pub.name}.`, type: 'A' },
    outer: null,
  }
  w.emit(
    'dns-query',
    AT_CLIENT,
    query,
    [],
    text(
      `The client ${client} asks its resolver for the A record of "${pub.name}" (query id ${id}). This name is public: the question goes to the Internet's DNS, which PodPath shows as one step.`,
      `客户端 ${client} 向它的解析器查询 “${pub.name}” 的 A 记录（查询 id ${id}）。这是一个公共名字：问题交给互联网上的 DNS，PodPath 把它显示为一步。`,
    ),
  )
  const answer: Packet = {
    ...query,
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
