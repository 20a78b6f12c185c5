/**
 * The programs a lab runs in its namespaces: a tiny server on every port a Pod serves (it answers
 * with the address it saw), a DNS responder in each CoreDNS Pod (answering as PodPath's CoreDNS
 * does), a public resolver for outside clients, and the real proxy where PodPath runs one
 * (ingress-nginx's and HAProxy's generated configuration, run by nginx and haproxy). What the lab
 * cannot run is said with the reason.
 */
import { formatIp } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'
import { answer } from '../dns/coredns.ts'
import { dataPlaneHooks } from '../assemble/data-planes.ts'
import type { LabExpectation } from './expect.ts'
import { text, type Text } from '../../model/text.ts'

export interface LabServer {
  /** PodPath namespace id, or 'internet'. */
  nsId: string
  /** Who answers: `namespace/name` of the Pod, or "node NAME". */
  who: string
  /** tls: a TCP server behind a TLS handshake, with a certificate the lab makes for `host`. */
  kind: 'tcp' | 'tls' | 'dns' | 'nginx' | 'haproxy' | 'vpc-arp'
  ports: number[]
  /** dns: the address to bind (public resolver) or null for every address. */
  bind: string | null
  /** dns: the records it answers, by lower-case name. */
  records: Record<string, { status: string; records: string[] }>
  /** tls: the name its certificate is for (the request's SNI). */
  host?: string
  /** vpc-arp: the MAC of the ENI that holds each secondary IP. */
  owners?: Record<string, string>
}

export interface LabServers {
  servers: LabServer[]
  /** Programs the lab cannot run, by the component name the trace uses. */
  missing: Map<string, Text>
}

/** Components PodPath runs as proxy processes that a lab cannot start, and why. */
const NOT_RUNNABLE: Record<string, Text> = {
  'kube-proxy': text(
    'the userspace proxy is kube-proxy itself copying bytes in user space (removed in Kubernetes 1.26); the lab has no kube-proxy to run',
    'userspace 模式的代理就是 kube-proxy 自己在用户态复制数据（Kubernetes 1.26 已移除）；实验里没有可运行的 kube-proxy',
  ),
  traefik: text(
    'Traefik is not packaged in Debian, so the lab cannot run the controller',
    'Debian 没有 Traefik 软件包，所以实验无法运行这个控制器',
  ),
  envoy: text(
    'Envoy is not packaged in Debian, so the lab cannot run the Gateway',
    'Debian 没有 Envoy 软件包，所以实验无法运行这个 Gateway',
  ),
}

function isCoreDns(c: Cluster, nsId: string): boolean {
  const pod = c.pods.find((p) => p.nsId === nsId && !p.hostNetwork)
  return !!pod && pod.namespace === 'kube-system' && pod.name.startsWith('coredns-')
}

/** The servers for a lab of the traffic in `exps`. */
export function labServers(c: Cluster, exps: LabExpectation[]): LabServers {
  const tcp = new Map<string, { who: string; ports: Set<number> }>()
  const missing = new Map<string, Text>()
  const proxies = new Map<string, LabServer>()
  const addTcp = (nsId: string, who: string, port: number) => {
    const ns = c.netns.get(nsId)
    if (!ns) return
    const l = dataPlaneHooks(c).listenerAt(c, ns, 'tcp', port)
    if (l) {
      const reason = NOT_RUNNABLE[l.component]
      if (reason) {
        missing.set(l.component, reason)
        return
      }
      if (l.component === 'ingress-nginx' || l.component === 'haproxy') {
        const key = `${nsId} ${l.component}`
        const s = proxies.get(key) ?? {
          nsId,
          who,
          kind: l.component === 'ingress-nginx' ? 'nginx' : 'haproxy',
          ports: [],
          bind: null,
          records: {},
        }
        if (!s.ports.includes(port)) s.ports.push(port)
        proxies.set(key, s)
        return
      }
      missing.set(
        l.component,
        text(`the lab cannot run ${l.component}`, `实验无法运行 ${l.component}`),
      )
      return
    }
    const entry = tcp.get(nsId) ?? { who, ports: new Set<number>() }
    entry.ports.add(port)
    tcp.set(nsId, entry)
  }
  // Every port a Pod declares or a Service sends to: the kernel may pick any endpoint.
  for (const p of c.pods) {
    const who = `${p.namespace}/${p.name}`
    if (isCoreDns(c, p.nsId)) continue
    for (const ct of p.containers)
      for (const port of ct.ports)
        if (port.protocol === 'TCP') addTcp(p.nsId, who, port.containerPort)
  }
  for (const svc of c.services)
    for (const sp of svc.ports) {
      if (sp.protocol !== 'TCP') continue
      for (const e of sp.endpoints) {
        const pod = e.pod ? c.podByKey.get(e.pod) : null
        if (pod && !isCoreDns(c, pod.nsId)) addTcp(pod.nsId, e.pod!, e.port)
      }
    }
  for (const x of exps)
    for (const h of x.hops) {
      if (!h.nsId || isCoreDns(c, h.nsId)) continue
      addTcp(h.nsId, h.pod ?? `node ${h.node}`, h.local.port)
    }
  const servers: LabServer[] = [...tcp.entries()]
    .filter(([, v]) => v.ports.size > 0)
    .map(([nsId, v]) => ({
      nsId,
      who: v.who,
      kind: 'tcp' as const,
      ports: [...v.ports].sort((a, b) => a - b),
      bind: null,
      records: {},
    }))
  servers.push(...proxies.values())

  // An egress request's host on the Internet (a Traffic to an outside name or address): it
  // answers on the host's own address in the lab's Internet namespace, with TLS for https://.
  for (const x of exps)
    for (const h of x.hops) {
      if (h.component !== 'internet' || h.proto !== 'tcp') continue
      const tls = x.client.request?.sni ?? null
      if (servers.some((y) => y.nsId === 'internet' && y.bind === h.local.ip)) continue
      servers.push({
        nsId: 'internet',
        who: 'the Internet host',
        kind: tls ? 'tls' : 'tcp',
        ports: [h.local.port],
        bind: h.local.ip,
        records: {},
        ...(tls ? { host: tls } : {}),
      })
    }
  // CoreDNS: every name a client asks, answered as PodPath's CoreDNS answers it.
  const names = new Set(
    exps.flatMap((x) => (x.client.external ? [] : x.client.dns.map((q) => q.qname))),
  )
  if (names.size > 0) {
    const records: LabServer['records'] = {}
    for (const n of names) {
      const a = answer(c, n)
      records[n.toLowerCase()] = { status: a.status, records: a.records }
    }
    for (const p of c.pods)
      if (isCoreDns(c, p.nsId))
        servers.push({
          nsId: p.nsId,
          who: `${p.namespace}/${p.name}`,
          kind: 'dns',
          ports: [53],
          bind: null,
          records,
        })
  }
  // The public resolver outside clients ask: it answers what the trace's public DNS answered.
  for (const x of exps) {
    if (!x.client.external) continue
    for (const q of x.client.dns) {
      let s = servers.find((y) => y.nsId === 'internet' && y.bind === q.server)
      if (!s) {
        s = {
          nsId: 'internet',
          who: `public DNS ${q.server}`,
          kind: 'dns',
          ports: [53],
          bind: q.server,
          records: {},
        }
        servers.push(s)
      }
      s.records[q.qname.toLowerCase()] = { status: q.status, records: q.records }
    }
  }
  // AWS: the VPC answers ARP for a Pod's secondary IP with the MAC of the ENI that holds it.
  const owners: Record<string, string> = {}
  for (const n of c.nodes)
    for (const l of c.netns.get(n.nsId)!.links)
      for (const ip of l.secondaryIps) if (l.mac) owners[formatIp(ip)] = l.mac
  if (Object.keys(owners).length > 0)
    servers.push({
      nsId: 'underlay',
      who: 'the VPC',
      kind: 'vpc-arp',
      ports: [],
      bind: null,
      records: {},
      owners,
    })
  return { servers, missing }
}

/** The IP a node or Pod namespace answers on, for labels. */
export function nsAddress(c: Cluster, nsId: string): string {
  const pod = c.pods.find((p) => p.nsId === nsId)
  if (pod) return formatIp(pod.ip)
  const node = c.nodes.find((n) => n.nsId === nsId)
  return node ? formatIp(node.ip) : ''
}
