/**
 * The DNS phase of a trace: the Pod's resolver tries the names of its search list in order; each
 * question is a UDP packet to the kube-dns ClusterIP, DNATed to a CoreDNS Pod like any Service
 * traffic; the answer comes back through conntrack.
 */
import { text } from '../../model/text.ts'
import type { DnsApp, Packet } from '../../model/trace.ts'
import type { Cluster } from '../cluster.ts'
import type { Source } from '../target.ts'
import type { Walk, WalkResult } from '../walk/api.ts'
import { connect, replyTarget, unwind } from '../walk/proxy-process.ts'
import { kubeProxyReplaced } from '../cni/cilium/service-list.ts'
import {
  ANSWER_TTL,
  CACHE_TTL,
  NDOTS,
  answer,
  candidates,
  dnsServiceIp,
  resolvConf,
} from './coredns.ts'
import { cidrContains, formatCidr, formatIp } from '../../model/ipv4.ts'

// Linux's default ephemeral port range, as for every other socket (net.ipv4.ip_local_port_range).
const EPHEMERAL: [number, number] = [32768, 60999]

export function dnsPhase(w: Walk, c: Cluster, source: Source, host: string): DnsResult | null {
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
    return {
      failed: { kind: 'dropped', reason: text(`cannot resolve ${host}`, `无法解析 ${host}`) },
    }
  }
  const qname = names[hit]!
  const query: Packet = {
    l2: null,
    l3: { src: '', dst: server, proto: 'udp', ttl: 64 },
    l4: { srcPort: w.rng.int(EPHEMERAL[0], EPHEMERAL[1]), dstPort: 53 },
    app: ask(qname),
    outer: null,
  }
  // With Cilium's socket load balancer the datagram leaves already addressed to a CoreDNS Pod,
  // and cil_sock4_recvmsg gives the answer the ClusterIP back as its source.
  const socketLb = kubeProxyReplaced(c.decl)
  const sent = connect(
    w,
    source,
    query,
    socketLb
      ? text(
          `The resolver sends the question "${qname} A?" in a UDP datagram to ${server}:53, the ClusterIP of Service kube-system/kube-dns. That address is a Service like any other, and Cilium's socket program translates it.`,
          `解析器把问题“${qname} A?”放进 UDP 数据报发往 ${server}:53，即 Service kube-system/kube-dns 的 ClusterIP。这个地址和其他 Service 一样，由 Cilium 的套接字程序转换。`,
        )
      : text(
          `The resolver sends the question "${qname} A?" in a UDP datagram to ${server}:53, the ClusterIP of Service kube-system/kube-dns. That address is a Service like any other: kube-proxy's rules will send it to one of the CoreDNS Pods.`,
          `解析器把问题“${qname} A?”放进 UDP 数据报发往 ${server}:53，即 Service kube-system/kube-dns 的 ClusterIP。这个地址和其他 Service 一样：kube-proxy 的规则会把它送到某个 CoreDNS Pod。`,
        ),
  )
  if (sent.kind !== 'delivered') return { failed: sent }
  const a = answer(c, qname)
  if (a.kind === 'headless') {
    // The loadbalance plugin in kubeadm's Corefile shuffles A records in every answer
    // (round_robin); PodPath draws the order from the seed.
    for (let i = a.records.length - 1; i > 0; i--) {
      const j = w.rng.int(0, i)
      ;[a.records[i], a.records[j]] = [a.records[j]!, a.records[i]!]
    }
  }
  const dnsPod = sent.to
  const answerApp: DnsApp = { ...ask(qname), kind: 'answer', status: 'NOERROR', answers: a.records }
  w.emit(
    'dns-answer',
    w.where(w.state.ns(dnsPod.nsId), { container: dnsPod.container, component: 'coredns' }),
    sent.packet,
    [
      ...(a.kind === 'upstream'
        ? [
            { table: 'Corefile', rule: 'forward . /etc/resolv.conf', matched: true },
            {
              table: `cat /etc/resolv.conf (node ${dnsPod.node}; CoreDNS has dnsPolicy Default)`,
              rule: `nameserver ${formatIp(c.decl.upstreamDNS!)}`,
              matched: true,
            },
          ]
        : [
            {
              table: 'Corefile',
              rule: `kubernetes ${c.decl.dnsDomain} in-addr.arpa ip6.arpa`,
              matched: true,
            },
          ]),
      ...a.records.map((rule) => ({ table: 'dig (answer section)', rule, matched: true })),
    ],
    answerExplain(c, qname, a, dnsPod.node),
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
      : socketLb
        ? text(
            `CoreDNS sends the answer back on the same UDP flow, from its own address. No node translates it: when the resolver reads it, Cilium's cil_sock4_recvmsg program (cgroup/recvmsg4) gives it the source ${server}, the address the resolver asked.`,
            `CoreDNS 沿同一个 UDP 流、从它自己的地址把答案发回。没有任何节点会转换它：解析器读取时，Cilium 的 cil_sock4_recvmsg 程序（cgroup/recvmsg4）把源地址换回解析器所询问的 ${server}。`,
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
  if (back.kind !== 'delivered') return { failed: back }
  if (a.cname && a.records.length > 1) {
    // The CNAME and, after it, the A record CoreDNS fetched upstream: the client connects to it.
    const address = a.records.at(-1)!.split('\t').at(-1)!
    w.emit(
      'dns-answer',
      w.where(w.state.ns(source.nsId), { container: source.container }),
      back.packet,
      a.records.map((rule) => ({ table: 'dig (answer section)', rule, matched: true })),
      text(
        `The client's resolver has its answer: "${host}" is another name (a CNAME) for ${a.cname} and that name's address, which CoreDNS fetched from upstream, is ${address}. The client opens its connection to ${address}: a host on the Internet, reached through the node with no Service rule involved.`,
        `客户端的解析器拿到了答案：“${host}” 是 ${a.cname} 的别名（CNAME），而 CoreDNS 从上游查到这个名字的地址是 ${address}。客户端向 ${address} 建立连接：这是互联网上的一台主机，经由节点到达，不涉及任何 Service 规则。`,
      ),
      { sideMessage: true },
    )
    return { address, cname: a.cname }
  }
  if (a.cname) {
    // The resolver reads the answer; what follows is outside the cluster and outside PodPath.
    w.emit(
      'dns-answer',
      w.where(w.state.ns(source.nsId), { container: source.container }),
      back.packet,
      a.records.map((rule) => ({ table: 'dig (answer section)', rule, matched: true })),
      text(
        `The client's resolver has its answer: "${host}" is another name (a CNAME) for ${a.cname} In a real cluster the answer also carries that name's addresses, which CoreDNS fetched from upstream, and the client opens its connection to one of them: a packet to an address outside the cluster, routed out through the node (and usually source-NATed by the CNI on the way) with no Service rule involved. PodPath simulates no Internet, so it stops here.`,
        `客户端的解析器拿到了答案：“${host}” 是 ${a.cname} 的别名（CNAME）。在真实集群中，这个应答还会带上 CoreDNS 从上游查到的该名字的地址，客户端随后连接其中一个：这是发往集群外部地址的包，经节点路由出去（途中通常还会被 CNI 做源地址转换），不涉及任何 Service 规则。PodPath 不模拟互联网，所以到此为止。`,
      ),
      { sideMessage: true },
    )
    return { cname: a.cname }
  }
  return { address: a.records[0]!.split('\t').at(-1)! }
}

/** What the client's resolver ends up with: an address to connect to, a CNAME, or a failure. */
export type DnsResult =
  { failed: WalkResult } | { address: string; cname?: string } | { cname: string }

function answerExplain(c: Cluster, qname: string, a: ReturnType<typeof answer>, node: string) {
  const values = a.records.map((r) => r.split('\t').at(-1)!)
  if (a.kind === 'upstream') {
    const up = formatIp(c.decl.upstreamDNS!)
    // The AWS VPC CNI's Pods hold VPC addresses: an upstream inside the VPC (the Amazon DNS
    // server at the VPC base plus two) is reached with the Pod's own address.
    const subnet = c.nodes.find((n) => n.name === node)?.subnet
    const inVpc =
      c.underlay === 'vpc' && subnet && cidrContains(subnet, c.decl.upstreamDNS!) ? subnet : null
    return text(
      `${qname} is outside the cluster zone (${c.decl.dnsDomain}), so the kubernetes plugin passes it on and the next plugin of kubeadm's Corefile, forward . /etc/resolv.conf, sends the question to the nameserver in that file: ${up}. CoreDNS runs with dnsPolicy Default, so its /etc/resolv.conf is node ${node}'s own, not the cluster one its clients get. ${inVpc ? `On a VPC the Pods' addresses are the VPC's own, and ${up} is inside it (${formatCidr(inVpc)}): the question keeps CoreDNS's Pod address, since only what leaves the VPC is source-NATed.` : `That question is itself a packet from a Pod to an address outside the cluster: it leaves ${node} masqueraded exactly like the request followed next.`} The upstream answers with the public A record, ${values.join(', ')}; the cache plugin (cache 30) keeps it and caps its TTL at ${CACHE_TTL} s in the answer it passes back.`,
      `${qname} 不在集群域（${c.decl.dnsDomain}）之内，所以 kubernetes 插件把它交给下一个插件：kubeadm 的 Corefile 中的 forward . /etc/resolv.conf 把问题发给该文件里的 nameserver：${up}。CoreDNS 的 dnsPolicy 是 Default，所以它的 /etc/resolv.conf 就是节点 ${node} 自己的，而不是它的客户端拿到的那份集群 resolv.conf。${inVpc ? `在 VPC 上，Pod 的地址就是 VPC 自己的地址，而 ${up} 位于 VPC 之内（${formatCidr(inVpc)}）：这个问题保留 CoreDNS 的 Pod 地址，因为只有离开 VPC 的流量才会做源地址转换。` : `这个问题本身就是一个从 Pod 发往集群外部地址的包：它离开 ${node} 时同样会被伪装，就像接下来跟踪的请求一样。`}上游用公共 A 记录作答：${values.join('、')}；cache 插件（cache 30）把它缓存下来，并在转回的应答里把 TTL 限制为 ${CACHE_TTL} 秒。`,
    )
  }
  const ttl = `TTL ${ANSWER_TTL} (kubeadm's Corefile sets ttl 30)`
  const ttlZh = `TTL 为 ${ANSWER_TTL}（kubeadm 的 Corefile 设置了 ttl 30）`
  if (a.kind === 'externalName' && a.records.length > 1)
    return text(
      `${qname} is an ExternalName Service: it has no ClusterIP, no endpoints, and kube-proxy writes no rule for it. CoreDNS's kubernetes plugin answers with a CNAME to ${a.cname}, ${ttl}. That name is outside the cluster zone, so CoreDNS then asks for its address itself, through its upstream (forward . /etc/resolv.conf: the nameserver ${formatIp(c.decl.upstreamDNS!)} in node ${node}'s resolv.conf), and appends what comes back after the CNAME: ${values.at(-1)}. The client will connect straight to that address, leaving the cluster without any Service translation.`,
      `${qname} 是一个 ExternalName 类型的 Service：它没有 ClusterIP、没有端点，kube-proxy 也不会为它写任何规则。CoreDNS 的 kubernetes 插件用一条指向 ${a.cname} 的 CNAME 作答，${ttlZh}。这个名字在集群域之外，所以 CoreDNS 会自己通过上游（forward . /etc/resolv.conf：节点 ${node} 的 resolv.conf 中的 nameserver ${formatIp(c.decl.upstreamDNS!)}）查询它的地址，并把结果附加在 CNAME 之后：${values.at(-1)}。客户端将直接连接这个地址，离开集群时不经过任何 Service 转换。`,
    )
  if (a.kind === 'externalName')
    return text(
      `${qname} is an ExternalName Service: it has no ClusterIP, no endpoints, and kube-proxy writes no rule for it. CoreDNS's kubernetes plugin answers with a CNAME to ${a.cname}, ${ttl}. That name is outside the cluster zone, so CoreDNS then asks for its address itself, through its upstream (forward . /etc/resolv.conf, the node's resolver), and appends what comes back to the answer. PodPath has no Internet and cannot know that address, so the trace stops here: the client would connect straight to whatever address the outside name has, leaving the cluster without any Service translation.`,
      `${qname} 是一个 ExternalName 类型的 Service：它没有 ClusterIP、没有端点，kube-proxy 也不会为它写任何规则。CoreDNS 的 kubernetes 插件用一条指向 ${a.cname} 的 CNAME 作答，${ttlZh}。这个名字在集群域之外，所以 CoreDNS 会自己通过上游（forward . /etc/resolv.conf，即节点的解析器）查询它的地址，并把结果附加到应答中。PodPath 不连接互联网，无法知道那个地址，所以跟踪到此为止：客户端会直接连接外部名字对应的地址，离开集群时不经过任何 Service 转换。`,
    )
  if (a.kind === 'headless')
    return text(
      `${qname} is a headless Service (clusterIP: None): there is no virtual IP and kube-proxy writes no rule for it. CoreDNS's kubernetes plugin answers with one A record per ready endpoint, the Pods' own addresses: ${values.join(', ')}, ${ttl}. Endpoints whose ready condition is false are left out. The loadbalance plugin shuffles the records in each answer, and the client takes the first one.`,
      `${qname} 是一个 Headless Service（clusterIP: None）：没有虚拟 IP，kube-proxy 也不为它写任何规则。CoreDNS 的 kubernetes 插件为每个就绪的端点回答一条 A 记录，也就是 Pod 自己的地址：${values.join('、')}，${ttlZh}。ready 条件为 false 的端点不会出现在答案里。loadbalance 插件会打乱每次应答中记录的顺序，客户端取第一条。`,
    )
  return text(
    `CoreDNS's kubernetes plugin watches Services through the API server, so it knows ${qname} and answers it from memory: ${values.join(', ')}, with ${ttl}.`,
    `CoreDNS 的 kubernetes 插件通过 API Server 监视 Service，因此它知道 ${qname}，直接从内存中作答：${values.join('、')}，${ttlZh}。`,
  )
}
