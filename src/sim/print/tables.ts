/**
 * `podpath tables`: a node's (or a Pod's) network state, one section per command, each headed
 * by the command as a learner would type it, then the output as the tool prints it.
 */
import type { Cluster } from '../cluster.ts'
import type { Fdb, Neigh, NetNs, Route } from '../net/netns.ts'
import { formatRoute } from './ip-route.ts'
import { formatNeigh } from './ip-neigh.ts'
import { formatFdb } from './bridge-fdb.ts'
import { formatRule } from './ip-rule.ts'
import { formatLink, netnsName } from './ip-link.ts'
import { iptablesSave } from './iptables-save.ts'
import { hasIptablesRules, nodeIptables, nodeNftablesTable } from '../proxy/kube-proxy.ts'
import { nftListTable } from './nft-list.ts'
import { ipvsadmList } from '../proxy/ipvs.ts'
import { hasCniSets, ipsetList } from './ipset-list.ts'
import type { IpvsLedger } from '../proxy/ipvs-ledger.ts'
import { formatConntrack, type CtEntry } from '../walk/conntrack.ts'
import { ciliumServiceList, kubeProxyReplaced } from '../cni/cilium/service-list.ts'
import { bpfLbList, nodeFrontends } from '../cni/cilium/bpf-lb-list.ts'
import { ciliumIdentityList } from '../cni/cilium/identity.ts'
import { ciliumEndpointList } from '../cni/cilium/endpoint-list.ts'

/** Kernel dump order: by destination address, the longer prefix first for the same address. */
export function sortRoutes(routes: readonly Route[]): Route[] {
  const key = (r: Route) => (r.dst === 'default' ? [-1, 0] : [r.dst.base, -r.dst.prefix])
  return [...routes].sort((a, b) => {
    const [a1, a2] = key(a)
    const [b1, b2] = key(b)
    return a1! - b1! || a2! - b2!
  })
}

/** One command as a learner would type it, and what it prints. */
export interface TableSection {
  command: string
  lines: string[]
}

function section(command: string, lines: string[]): TableSection {
  return { command, lines }
}

/** Each section headed by its command, as a terminal shows them one after another. */
export function formatSections(sections: readonly TableSection[]): string {
  return `${sections.map((s) => [`$ ${s.command}`, ...s.lines].join('\n')).join('\n\n')}\n`
}

/**
 * Kernel state that traffic left behind, for the sections that only exist after a connection
 * (conntrack, IPVS counts), and the neighbour and bridge entries it learnt on its way.
 */
export interface AfterTraffic {
  conntrack: Map<string, CtEntry[]>
  ipvs: IpvsLedger
  neigh?: ReadonlyMap<string, readonly Neigh[]>
  fdb?: ReadonlyMap<string, readonly Fdb[]>
}

export function namespaceTables(
  c: Cluster,
  ns: NetNs,
  prefix = '',
  after: AfterTraffic | null = null,
): string {
  return formatSections(namespaceSections(c, ns, prefix, after))
}

/** A namespace's tables, one section per command (namespaceTables prints them). */
export function namespaceSections(
  c: Cluster,
  ns: NetNs,
  prefix = '',
  after: AfterTraffic | null = null,
): TableSection[] {
  const peerName = (nsId: string) => {
    const other = c.netns.get(nsId)
    return other ? netnsName(other) : null
  }
  const links = [...ns.links].sort((a, b) => a.ifindex - b.ifindex)
  const tables = [...new Set(ns.routes.map((r) => r.table))].filter(
    (t) => typeof t === 'number',
  ) as number[]
  const out = [
    section(
      `${prefix}ip -d addr`,
      links.flatMap((l) => formatLink(l, l.peer ? peerName(l.peer.ns) : null)),
    ),
    section(
      `${prefix}ip route`,
      sortRoutes(ns.routes.filter((r) => r.table === 'main')).map(formatRoute),
    ),
    ...tables
      .sort((a, b) => a - b)
      .map((t) =>
        section(
          `${prefix}ip route show table ${t}`,
          sortRoutes(ns.routes.filter((r) => r.table === t)).map(formatRoute),
        ),
      ),
    section(
      `${prefix}ip route show table local`,
      sortRoutes(ns.routes.filter((r) => r.table === 'local')).map(formatRoute),
    ),
    section(
      `${prefix}ip rule`,
      [...ns.rules].sort((a, b) => a.priority - b.priority).map(formatRule),
    ),
    section(`${prefix}ip neigh`, (after?.neigh?.get(ns.id) ?? ns.neigh).map(formatNeigh)),
  ]
  if (ns.kind === 'host') {
    out.push(section(`${prefix}bridge fdb show`, (after?.fdb?.get(ns.id) ?? ns.fdb).map(formatFdb)))
    const mode = c.decl.kubeProxy.mode
    if (kubeProxyReplaced(c.decl)) {
      // No kube-proxy: Cilium's agent holds the Services in its BPF maps. Cilium's own iptables
      // chains (CILIUM_*) are not modelled, so no iptables section is printed.
      out.push(
        section('cilium-dbg service list', ciliumServiceList(nodeFrontends(c, ns.node))),
        section('cilium-dbg bpf lb list', bpfLbList(c, ns.node)),
        section('cilium-dbg endpoint list', ciliumEndpointList(c, ns.node!)),
        section('cilium-dbg identity list', ciliumIdentityList(c)),
      )
    } else {
      // In nftables mode only a CNI agent's rules are left in iptables (flanneld's, for one).
      if (mode !== 'nftables' || hasIptablesRules(c, ns.node)) {
        out.push(
          section(
            `${prefix}iptables-save -t filter -t nat`,
            iptablesSave(nodeIptables(c, ns.node)).trimEnd().split('\n'),
          ),
        )
      }
      if (mode === 'ipvs')
        out.push(section(`${prefix}ipvsadm -Ln`, ipvsadmList(c, ns.node, after?.ipvs)))
      if (mode === 'ipvs' || hasCniSets(c, ns.node))
        out.push(section(`${prefix}ipset list -sorted`, ipsetList(c, ns.node)))
      // nftables mode: kube-proxy removes its iptables and IPVS rules at start-up (cmd/kube-proxy
      // server_linux.go platformCleanup) and keeps everything in its own table. `nft list ruleset`
      // would also show tables other components own (and ip6 kube-proxy), so list just this one.
      if (mode === 'nftables')
        out.push(
          section(
            `${prefix}nft list table ip kube-proxy`,
            nftListTable(nodeNftablesTable(c, ns.node)).trimEnd().split('\n'),
          ),
        )
    }
  }
  if (after && ns.kind === 'host') {
    const entries = after.conntrack.get(ns.id) ?? []
    out.push(
      section(`${prefix}conntrack -L`, [
        ...entries.map(formatConntrack),
        // conntrack-tools prints this summary on stderr, which a terminal shows after the list.
        `conntrack v1.4.7 (conntrack-tools): ${entries.length} flow entries have been shown.`,
      ]),
    )
  }
  return out
}

export function nodeTables(
  c: Cluster,
  node: string,
  after: AfterTraffic | null = null,
): string | null {
  const n = c.nodeByName.get(node)
  if (!n) return null
  return namespaceTables(c, c.netns.get(n.nsId)!, '', after)
}

export function podTables(
  c: Cluster,
  key: string,
  after: AfterTraffic | null = null,
): string | null {
  const p = c.podByKey.get(key)
  if (!p) return null
  const ns = c.netns.get(p.nsId)!
  const name = netnsName(ns)
  return namespaceTables(c, ns, name ? `ip netns exec ${name} ` : '', after)
}
