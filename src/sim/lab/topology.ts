/**
 * A built cluster as commands that make it for real: one network namespace per node and per Pod
 * sandbox, a namespace for the node network (a bridge per node subnet, with the router's
 * address and MAC), and every link, address, route, rule, permanent neighbour and forwarding
 * entry of PodPath's namespaces, with the names, indexes and MACs PodPath shows. Pure: it
 * returns bash lines for lab-script.ts to run; nothing here touches a machine.
 */
import { formatIp, type Cidr } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'
import type { Link, NetNs, Route } from '../net/netns.ts'
import { formatRoute } from '../print/ip-route.ts'
import { sortRoutes } from '../print/tables.ts'
import { shCmd } from './shell.ts'
import { internetNs, labNsName, underlayNs } from './lab-names.ts'

/** Kernel features a lab may need; lab-script.ts probes each in a scratch namespace first. */
export type Feature = 'vxlan' | 'ipip' | 'dummy' | 'ipvs'

/**
 * One command in one of the lab's namespaces: `ip -n NS ARGS` (ip), `ip netns exec NS ARGS`
 * (exec), `sysctl -w ARG` there (sysctl) or `ip netns add NS` (addns). With `needs`, it runs
 * only where the kernel has that feature.
 */
export interface LabLine {
  ns: string
  tool: 'ip' | 'exec' | 'sysctl' | 'addns'
  args: string[]
  needs?: Feature
}

export interface LabSection {
  title: string
  lines: LabLine[]
}

export interface LabNamespace {
  name: string
  /** What it stands for, for the learner: "node node-1", "Pod default/web", "the node network". */
  label: string
  /** The PodPath namespace it is made from (null for the underlay and the Internet). */
  source: NetNs | null
}

export interface LabTopology {
  namespaces: LabNamespace[]
  sections: LabSection[]
  /** What the lab builds differently from PodPath's picture, and why. */
  notes: string[]
  /** Namespaces by PodPath namespace id. */
  byId: Map<string, string>
  underlay: string
  internet: string | null
  /** The underlay namespace's bridges (one per node subnet), to capture on. */
  bridges: string[]
}

function ip(ns: string, args: string[], needs?: Feature): LabLine {
  return needs ? { ns, tool: 'ip', args, needs } : { ns, tool: 'ip', args }
}

function exec(ns: string, args: string[], needs?: Feature): LabLine {
  return needs ? { ns, tool: 'exec', args, needs } : { ns, tool: 'exec', args }
}

function sysctl(ns: string, setting: string, needs?: Feature): LabLine {
  return needs
    ? { ns, tool: 'sysctl', args: [setting], needs }
    : { ns, tool: 'sysctl', args: [setting] }
}

/** A line as a learner would type it. */
export function lineText(l: LabLine): string {
  switch (l.tool) {
    case 'ip':
      return shCmd(['ip', '-n', l.ns, ...l.args])
    case 'exec':
      return shCmd(['ip', 'netns', 'exec', l.ns, ...l.args])
    case 'sysctl':
      return shCmd(['ip', 'netns', 'exec', l.ns, 'sysctl', '-qw', ...l.args])
    case 'addns':
      return shCmd(['ip', 'netns', 'add', l.ns])
  }
}

/** The Internet namespace's gateway: the router's end of their link (link-local, RFC 3927). */
const INTERNET_GATEWAY = '169.254.255.1'

function subnetKey(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`
}

/** The device a link needs from the kernel. */
function linkFeature(l: Link): Feature | undefined {
  if (l.kind === 'vxlan') return 'vxlan'
  if (l.kind === 'ipip') return 'ipip'
  if (l.kind === 'dummy') return 'dummy'
  return undefined
}

/**
 * Every bridge the lab makes has IGMP snooping off. With it on (the kernel's default) a bridge
 * joins 224.0.0.106, the all-snoopers group of Multicast Router Discovery, when it comes up
 * (br_dev_open -> br_multicast_join_snoopers, net/bridge/br_device.c, br_multicast.c); the
 * namespace then sends IGMPv3 membership reports for it to 224.0.0.22 (net/ipv4/igmp.c),
 * repeated after random delays. Each is locally generated and, to generic conntrack, NEW: it
 * moves the node's filter and nat OUTPUT and nat POSTROUTING jumps, counters no followed packet
 * moves. Snooping only decides which ports a bridge floods multicast to; PodPath follows
 * unicast. Without it a lab namespace joins only 224.0.0.1, which is never reported.
 */
const BRIDGE_OPTIONS = ['mcast_snooping', '0']

function linkCreate(ns: string, l: Link, c: Cluster, byId: Map<string, string>): LabLine[] {
  const common = [
    'index',
    String(l.ifindex),
    ...(l.mac && l.kind !== 'ipip' ? ['address', l.mac] : []),
    'mtu',
    String(l.mtu),
  ]
  switch (l.kind) {
    case 'bridge':
      return [ip(ns, ['link', 'add', l.name, ...common, 'type', 'bridge', ...BRIDGE_OPTIONS])]
    case 'vxlan': {
      const v = l.vxlan!
      // A flow-based device (collect metadata) has no VNI, local address or lower device of its own.
      const own = v.external
        ? ['external']
        : ['id', String(v.vni), 'local', formatIp(v.local), 'dev', v.dev]
      const dstport = ['dstport', String(v.port), v.learning ? 'learning' : 'nolearning']
      return [
        ip(ns, ['link', 'add', l.name, ...common, 'type', 'vxlan', ...own, ...dstport], 'vxlan'),
      ]
    }
    case 'ipip':
      // tunl0 is the ipip module's fallback device: the kernel makes it in every namespace the
      // moment the module is there (ip_tunnel.c ip_tunnel_init_net); Calico only configures it.
      return [ip(ns, ['link', 'set', l.name, 'mtu', String(l.mtu)], 'ipip')]
    case 'dummy':
      return [ip(ns, ['link', 'add', l.name, ...common, 'type', 'dummy'], 'dummy')]
    case 'veth': {
      const p = l.peer!
      const peerNs = c.netns.get(p.ns)!
      const peerLink = peerNs.links.find((x) => x.name === p.ifname)!
      return [
        ip(ns, [
          'link',
          'add',
          l.name,
          ...common,
          'type',
          'veth',
          'peer',
          'name',
          peerLink.name,
          'index',
          String(peerLink.ifindex),
          ...(peerLink.mac ? ['address', peerLink.mac] : []),
          'mtu',
          String(peerLink.mtu),
          'netns',
          byId.get(p.ns)!,
        ]),
      ]
    }
    default:
      return []
  }
}

/** The address command as iproute2 takes it; `brd +` gives the broadcast address PodPath prints. */
function addrLines(ns: string, l: Link): LabLine[] {
  if (l.kind === 'loopback') return []
  return l.addrs.map((a) =>
    ip(
      ns,
      [
        'addr',
        'add',
        `${formatIp(a.ip)}/${a.prefix}`,
        ...(a.prefix < 31 ? ['brd', '+'] : []),
        'scope',
        a.scope,
        'dev',
        l.name,
      ],
      linkFeature(l),
    ),
  )
}

/** Routes the kernel makes by itself (from addresses) are left to it; the lab checks them. */
function ownRoutes(ns: NetNs): Route[] {
  return ns.routes.filter((r) => r.table !== 'local' && r.proto !== 'kernel')
}

function routeLine(ns: string, r: Route, devFeature: Map<string, Feature | undefined>): LabLine {
  const table = r.table === 'main' ? [] : ['table', String(r.table)]
  return ip(
    ns,
    ['route', 'add', ...formatRoute(r).split(' '), ...table],
    r.dev ? devFeature.get(r.dev) : undefined,
  )
}

/**
 * The commands that build `c` under `prefix`. External clients get a namespace of their own
 * behind the router when `external` lists their addresses.
 */
export function labTopology(c: Cluster, prefix: string, external: string[]): LabTopology {
  const byId = new Map<string, string>()
  const namespaces: LabNamespace[] = []
  const under = underlayNs(prefix)
  namespaces.push({ name: under, label: 'the node network (switch and router)', source: null })
  const inet = external.length > 0 ? internetNs(prefix) : null
  if (inet)
    namespaces.push({
      name: inet,
      label: 'the Internet (outside clients, and the hosts egress requests reach)',
      source: null,
    })
  for (const node of c.nodes) {
    const ns = c.netns.get(node.nsId)!
    const name = labNsName(prefix, ns)
    byId.set(ns.id, name)
    namespaces.push({ name, label: `node ${node.name}`, source: ns })
  }
  for (const pod of c.pods) {
    if (pod.hostNetwork || byId.has(pod.nsId)) continue
    const ns = c.netns.get(pod.nsId)!
    const name = labNsName(prefix, ns)
    byId.set(ns.id, name)
    namespaces.push({ name, label: `Pod ${pod.namespace}/${pod.name}`, source: ns })
  }
  const notes: string[] = []
  const sections: LabSection[] = []

  sections.push({
    title: 'network namespaces (IPv6 off: PodPath shows IPv4 only)',
    lines: namespaces.flatMap((n) => [
      { ns: n.name, tool: 'addns' as const, args: [] },
      sysctl(n.name, 'net.ipv6.conf.all.disable_ipv6=1'),
      sysctl(n.name, 'net.ipv6.conf.default.disable_ipv6=1'),
      ip(n.name, ['link', 'set', 'lo', 'up']),
    ]),
  })

  // The node network: a bridge per subnet carrying the router's address and MAC; the router
  // forwards between subnets and to the Internet namespace. Anything else it has no route for
  // dies there (a blackhole default: on a real network it would leave for the Internet, where
  // private addresses are dropped).
  const subnets = new Map<string, { cidr: Cidr; gateway: number; bridge: string }>()
  for (const n of c.nodes) {
    const k = subnetKey(n.subnet)
    if (!subnets.has(k))
      subnets.set(k, { cidr: n.subnet, gateway: n.gateway, bridge: `br${subnets.size}` })
  }
  const u: LabLine[] = []
  for (const s of subnets.values()) {
    u.push(
      ip(under, [
        'link',
        'add',
        s.bridge,
        'address',
        c.routerMac,
        'mtu',
        String(c.mtu),
        'type',
        'bridge',
        ...BRIDGE_OPTIONS,
      ]),
    )
    u.push(
      ip(under, [
        'addr',
        'add',
        `${formatIp(s.gateway)}/${s.cidr.prefix}`,
        'brd',
        '+',
        'dev',
        s.bridge,
      ]),
    )
    u.push(ip(under, ['link', 'set', s.bridge, 'up']))
  }
  u.push(sysctl(under, 'net.ipv4.ip_forward=1'))
  u.push(ip(under, ['route', 'add', 'blackhole', 'default']))
  // AWS: the VPC delivers a Pod's secondary IP to the ENI that holds it.
  for (const n of c.nodes) {
    const ns = c.netns.get(n.nsId)!
    for (const l of ns.links)
      for (const secondary of l.secondaryIps)
        u.push(
          ip(under, [
            'route',
            'replace',
            formatIp(secondary),
            'via',
            formatIp(l.addrs[0]?.ip ?? n.ip),
            'dev',
            subnets.get(subnetKey(n.subnet))!.bridge,
          ]),
        )
  }
  if (inet) {
    u.push(
      ip(under, ['link', 'add', 'inet0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', inet]),
    )
    // The router's end has a link-local address of its own: the Internet's default gateway.
    u.push(ip(under, ['addr', 'add', `${INTERNET_GATEWAY}/32`, 'dev', 'inet0']))
    u.push(ip(under, ['link', 'set', 'inet0', 'up']))
    for (const client of external) {
      u.push(ip(under, ['route', 'add', client, 'dev', 'inet0']))
      u.push(ip(inet, ['addr', 'add', `${client}/32`, 'dev', 'eth0']))
    }
    u.push(ip(inet, ['link', 'set', 'eth0', 'up']))
    u.push(ip(inet, ['route', 'add', 'default', 'via', INTERNET_GATEWAY, 'dev', 'eth0', 'onlink']))
    notes.push(
      `Outside clients, and the hosts egress requests reach, live in their own namespace behind the router (default via ${INTERNET_GATEWAY}), which routes their addresses to them: PodPath does not model the Internet hop by hop.`,
    )
  }
  sections.push({ title: 'the node network', lines: u })

  // Each node's eth0 is one end of a veth whose other end is a port of its subnet's bridge.
  const up: LabLine[] = []
  c.nodes.forEach((n, i) => {
    const ns = c.netns.get(n.nsId)!
    const name = byId.get(ns.id)!
    for (const l of ns.links.filter((x) => x.kind === 'ether')) {
      const port = `n${i + 1}${l.name === 'eth0' ? '' : l.name.replace(/^eth/, 'e')}`
      const bridge = subnets.get(subnetKey(n.subnet))!.bridge
      up.push(
        ip(name, [
          'link',
          'add',
          l.name,
          'index',
          String(l.ifindex),
          'address',
          l.mac!,
          'mtu',
          String(l.mtu),
          'type',
          'veth',
          'peer',
          'name',
          port,
          'mtu',
          String(l.mtu),
          'netns',
          under,
        ]),
      )
      up.push(ip(under, ['link', 'set', port, 'master', bridge, 'up']))
    }
  })
  if (up.length > 0) {
    notes.push(
      "A node's eth0 is a veth whose other end is a port of the node network's bridge; PodPath shows it as a physical NIC (fq_codel, no veth line).",
    )
    sections.push({ title: "the nodes' eth0 on the node network", lines: up })
  }

  for (const nsName of namespaces) {
    const ns = nsName.source
    if (!ns) continue
    const name = nsName.name
    const lines: LabLine[] = []
    const devFeature = new Map(ns.links.map((l) => [l.name, linkFeature(l)]))
    const links = [...ns.links].sort((a, b) => a.ifindex - b.ifindex)
    // Links this namespace creates: everything but lo, the node's NICs (made above) and the
    // Pod ends of veths (made with their host end).
    for (const l of links) {
      if (l.kind === 'loopback' || l.kind === 'ether') continue
      if (l.kind === 'veth' && ns.kind === 'pod') continue
      // A veth pair with both ends here (Cilium's cilium_host and cilium_net) is made once.
      if (l.kind === 'veth' && l.peer?.ns === ns.id && l.peer.ifindex < l.ifindex) continue
      lines.push(...linkCreate(name, l, c, byId))
    }
    for (const l of links) lines.push(...addrLines(name, l))
    for (const l of links) {
      if (l.kind === 'loopback') continue
      const f = linkFeature(l)
      if (l.master) lines.push(ip(name, ['link', 'set', l.name, 'master', l.master]))
      if (l.noarp && l.kind !== 'ipip' && l.kind !== 'dummy')
        lines.push(ip(name, ['link', 'set', l.name, 'arp', 'off']))
      if (l.proxyArp) lines.push(sysctl(name, `net.ipv4.conf.${l.name}.proxy_arp=1`, f))
      // kube-proxy leaves kube-ipvs0 down (PodPath prints it DOWN).
      if (l.kind !== 'dummy') lines.push(ip(name, ['link', 'set', l.name, 'up'], f))
      if (l.master && l.hairpin)
        lines.push(ip(name, ['link', 'set', l.name, 'type', 'bridge_slave', 'hairpin', 'on']))
    }
    // Direct routes first: a gateway must be reachable when its route is added.
    const routes = sortRoutes(ownRoutes(ns))
    for (const r of [
      ...routes.filter((x) => x.via === null),
      ...routes.filter((x) => x.via !== null),
    ])
      lines.push(routeLine(name, r, devFeature))
    for (const r of ns.rules.filter((x) => x.priority !== 0 && x.priority < 32766)) {
      const cidr = (x: Cidr) => `${formatIp(x.base)}/${x.prefix}`
      lines.push(
        ip(name, [
          'rule',
          'add',
          'priority',
          String(r.priority),
          ...(r.from ? ['from', cidr(r.from)] : []),
          ...(r.to ? ['to', cidr(r.to)] : []),
          'table',
          String(r.table),
        ]),
      )
    }
    for (const n of ns.neigh.filter((x) => x.state === 'PERMANENT'))
      lines.push(
        ip(
          name,
          [
            'neigh',
            'replace',
            formatIp(n.ip),
            'lladdr',
            n.lladdr,
            'dev',
            n.dev,
            'nud',
            'permanent',
          ],
          devFeature.get(n.dev),
        ),
      )
    for (const f of ns.fdb.filter((x) => x.self && x.permanent && x.dst !== null))
      lines.push(
        exec(
          name,
          [
            'bridge',
            'fdb',
            'append',
            f.mac,
            'dev',
            f.dev,
            'dst',
            formatIp(f.dst!),
            'self',
            'permanent',
          ],
          devFeature.get(f.dev),
        ),
      )
    lines.push(sysctl(name, `net.ipv4.ip_forward=${ns.ipForward ? 1 : 0}`))
    if (ns.kind === 'host') {
      // kubeadm's prerequisites (br_netfilter, bridge-nf-call-iptables=1) and what kube-proxy
      // sets at start-up: conntrack.tcpEstablishedTimeout 24h, tcpCloseWaitTimeout 1h
      // (cmd/kube-proxy/app/server.go, conntrack.go).
      for (const x of [
        'net.bridge.bridge-nf-call-iptables=1',
        'net.netfilter.nf_conntrack_tcp_timeout_established=86400',
        'net.netfilter.nf_conntrack_tcp_timeout_close_wait=3600',
      ])
        lines.push(sysctl(name, x))
    }
    sections.push({ title: nsName.label, lines })
  }
  if (c.nodes.some((n) => c.netns.get(n.nsId)!.links.some((l) => l.kind === 'ipip')))
    notes.push(
      'tunl0 exists only where the kernel has the ipip module; without it, tunl0 and the routes and entries that use it are left out, and traffic that crosses it is not run.',
    )
  return {
    namespaces,
    sections,
    notes,
    byId,
    underlay: under,
    internet: inet,
    bridges: [...subnets.values()].map((s) => s.bridge),
  }
}
