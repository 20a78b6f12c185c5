/**
 * The DNS phase of a trace: the Pod's resolver tries the names of its search list in order; each
 * question is a UDP packet to the kube-dns ClusterIP, DNATed to a CoreDNS Pod like any Service
 * traffic; the answer comes back through conntrack.
 */
import { text } from '../../model/text.ts'
import type { DnsApp, Packet } from '../../model/trace.ts'
import type { Cluster } from '../cluster.ts'
import type { Source } from '../target.ts'
import type { Walker, WalkResult } from '../walk/walker.ts'
import { connect, replyTarget, unwind } from '../walk/proxy-process.ts'
import { ANSWER_TTL, NDOTS, answer, candidates, dnsServiceIp, resolvConf } from './coredns.ts'

// Linux's default ephemeral port range, as for every other socket (net.ipv4.ip_local_port_range).
const EPHEMERAL: [number, number] = [32768, 60999]

export function dnsPhase(w: Walker, c: Cluster, source: Source, host: string): WalkResult | null {
  const pod = source.pod!
  const server = dnsServiceIp(c)
  if (!server) return null
  w.startPhase('dns', true)
  const names = candidates(host, pod.namespace, c.decl.dnsDomain)
  const hit = names.findIndex((n) => answer(c, n).status === 'NOERROR')
  const id = w.rng.int(0, 65535)
  const ask = (question: string): DnsApp => ({
    protocol: 'dns',
    kind: 'query',
    id,
    question,
    type: 'A',
  })
  const at = w.where(w.state.ns(source.nsId), { container: source.container })
  const conf = resolvConf(c, pod.namespace)
  const dots = host.split('.').length - 1
  const intro =
    dots >= NDOTS
      ? text(
          `Before it can connect, the client resolves "${host}" using the Pod's /etc/resolv.conf (nameserver ${server}). The name has ${dots} dots, at least ndots:5, so it is tried as given first.`,
          `连接之前，客户端用 Pod 的 /etc/resolv.conf（nameserver ${server}）解析 “${host}”。这个名字有 ${dots} 个点，不少于 ndots:5，所以先按原样查询。`,
        )
      : text(
          `Before it can connect, the client resolves "${host}". kubelet gave the Pod this /etc/resolv.conf (dnsPolicy ClusterFirst): the cluster DNS Service ${server}, and a search list. "${host}" has ${dots} dot${dots === 1 ? '' : 's'}, fewer than ndots:5, so the resolver tries the search domains first: ${names.join(', ')}.`,
          `连接之前，客户端要先解析 “${host}”。kubelet 为 Pod 生成了这个 /etc/resolv.conf（dnsPolicy ClusterFirst）：集群 DNS Service ${server}，以及一个搜索列表。“${host}” 含 ${dots} 个点，少于 ndots:5，所以解析器先依次加上搜索域去查：${names.join('、')}。`,
        )
  const confLookups = conf.map((rule) => ({ table: 'cat /etc/resolv.conf', rule, matched: true }))
  w.emit(
    'dns-query',
    at,
    { l2: null, l3: null, l4: null, app: ask(names[0]!), outer: null },
    confLookups,
    intro,
  )
  for (const miss of names.slice(0, Math.max(hit, 0))) {
    w.emit(
      'dns-answer',
      at,
      {
        l2: null,
        l3: null,
        l4: null,
        app: { ...ask(miss), kind: 'answer', status: 'NXDOMAIN', answers: [] },
        outer: null,
      },
      [{ table: 'dig', rule: `;${miss}\t\tIN\tA`, matched: false }],
      text(
        `"${miss}" does not exist: CoreDNS answers NXDOMAIN, and the resolver moves on to the next name. Each of these tries is a full round trip to CoreDNS, like the one followed next; this is the cost of ndots:5 for names outside the Pod's own namespace.`,
        `“${miss}” 不存在：CoreDNS 回答 NXDOMAIN，解析器接着尝试下一个名字。每一次尝试都是一次到 CoreDNS 的完整往返，就像接下来跟踪的那一次；对于不在 Pod 自己命名空间里的名字，这就是 ndots:5 的代价。`,
      ),
      { sideMessage: true },
    )
  }
  if (hit < 0) {
    w.emit(
      'drop',
      at,
      {
        l2: null,
        l3: null,
        l4: null,
        app: { ...ask(names.at(-1)!), kind: 'answer', status: 'NXDOMAIN', answers: [] },
        outer: null,
      },
      [],
      text(
        `No name of the search list exists, so the lookup fails ("Could not resolve host") and no connection is made.`,
        `搜索列表中的名字都不存在，解析失败（“Could not resolve host”），连接不会发起。`,
      ),
    )
    return { kind: 'dropped', reason: `cannot resolve ${host}` }
  }
  const qname = names[hit]!
  const query: Packet = {
    l2: null,
    l3: { src: '', dst: server, proto: 'udp', ttl: 64 },
    l4: { srcPort: w.rng.int(EPHEMERAL[0], EPHEMERAL[1]), dstPort: 53 },
    app: ask(qname),
    outer: null,
  }
  const sent = connect(
    w,
    source,
    query,
    text(
      `The resolver sends the question "${qname} A?" in a UDP datagram to ${server}:53, the ClusterIP of Service kube-system/kube-dns. That address is a Service like any other: kube-proxy's rules will send it to one of the CoreDNS Pods.`,
      `解析器把问题“${qname} A?”放进 UDP 数据报发往 ${server}:53，即 Service kube-system/kube-dns 的 ClusterIP。这个地址和其他 Service 一样：kube-proxy 的规则会把它送到某个 CoreDNS Pod。`,
    ),
  )
  if (sent.kind !== 'delivered') return sent
  const a = answer(c, qname)
  const dnsPod = sent.to
  const answerApp: DnsApp = { ...ask(qname), kind: 'answer', status: 'NOERROR', answers: a.records }
  w.emit(
    'dns-answer',
    w.where(w.state.ns(dnsPod.nsId), { container: dnsPod.container, component: 'coredns' }),
    sent.packet,
    [
      {
        table: 'Corefile',
        rule: `kubernetes ${c.decl.dnsDomain} in-addr.arpa ip6.arpa`,
        matched: true,
      },
      ...a.records.map((rule) => ({ table: 'dig (answer section)', rule, matched: true })),
    ],
    text(
      `CoreDNS's kubernetes plugin watches Services through the API server, so it knows ${qname} and answers it from memory: ${a.records.map((r) => r.split('\t').at(-1)).join(', ')}, with TTL ${ANSWER_TTL} (kubeadm's Corefile sets ttl 30).`,
      `CoreDNS 的 kubernetes 插件通过 API Server 监视 Service，因此它知道 ${qname}，直接从内存中作答：${a.records.map((r) => r.split('\t').at(-1)).join('、')}，TTL 为 ${ANSWER_TTL}（kubeadm 的 Corefile 设置了 ttl 30）。`,
    ),
    { sideMessage: true },
  )
  w.startPhase('dns', false)
  w.replyTo = replyTarget(sent, source)
  const via = sent.via ?? []
  const got = sent.packet
  const reply: Packet = {
    l2: null,
    l3: { src: got.l3!.dst, dst: got.l3!.src, proto: 'udp', ttl: 64 },
    l4: { srcPort: got.l4!.dstPort, dstPort: got.l4!.srcPort },
    app: answerApp,
    outer: null,
  }
  const answered = w.send(
    dnsPod,
    reply,
    via.length
      ? text(
          `CoreDNS sends the answer back on the same UDP flow, which ${via.at(-1)!.listener.component} opened: the answer goes to ${via.at(-1)!.listener.component}, which will pass it on to the resolver.`,
          `CoreDNS 沿同一个 UDP 流把答案发回；这个流是 ${via.at(-1)!.listener.component} 建立的，所以答案先到 ${via.at(-1)!.listener.component}，再由它转给解析器。`,
        )
      : text(
          `CoreDNS sends the answer back on the same UDP flow. On the client's node, conntrack will restore the source to ${server}, the address the resolver asked.`,
          `CoreDNS 沿同一个 UDP 流把答案发回。在客户端所在节点，conntrack 会把源地址还原为解析器所询问的 ${server}。`,
        ),
  )
  const back =
    answered.kind === 'delivered' && via.length
      ? unwind(w, { ...answered, via }, answerApp)
      : answered
  w.replyTo = null
  return back.kind === 'delivered' ? null : back
}
