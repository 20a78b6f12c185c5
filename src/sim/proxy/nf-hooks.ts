/**
 * Where netfilter meets the packet walk on a node (not in Pods: their namespaces have no rules).
 * kube-proxy's nat rules run only for the first packet of a connection (conntrack state NEW);
 * every later packet, and every reply, follows the conntrack entry instead.
 */
import { formatCidr, formatIp, parseIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import { lookupTable } from '../net/fib.ts'
import { findLink, type NetNs } from '../net/netns.ts'
import { hasIptablesRules, inIpSet, nodeNft, nodeTables } from './kube-proxy.ts'
import { walkChain, type ChainWalk, type Hook, type NfPacket, type Table } from './netfilter.ts'
import { walkNft, type NftWalk } from './nft-eval.ts'
import { RECENT_LISTS } from './recent.ts'
import {
  nftDnatText,
  nftDropText,
  nftFirewallDropText,
  nftMasqueradeText,
  nftRejectText,
} from './nft-narration.ts'
import { formatConntrack, sameTuple, type CtEntry, type Tuple } from '../walk/conntrack.ts'
import { categorizeEndpoints, externalPolicyLocal, loadBalancerVIPs } from '../services/service.ts'
import type { Walk, WalkResult } from '../walk/api.ts'
import { portalNat } from './portal-nat.ts'

function isLocal(ns: NetNs, ip: number, onDev?: string | null): boolean {
  const r = lookupTable(ns, 'local', ip)
  return r?.type === 'local' && (onDev === undefined || r.dev === onDev)
}

/** The devices a hook knows: the in device, and at POSTROUTING the out device. */
export interface HookDevs {
  inDev?: string | null
  outDev?: string | null
}

function nfPacket(w: Walk, ns: NetNs, pkt: Packet, devs: HookDevs = {}): NfPacket {
  const l3 = pkt.l3!
  return {
    inDev: devs.inDev ?? null,
    outDev: devs.outDev ?? null,
    src: parseIp(l3.src)!,
    dst: parseIp(l3.dst)!,
    proto: l3.proto,
    sport: pkt.l4?.srcPort ?? 0,
    dport: pkt.l4?.dstPort ?? 0,
    mark: w.mark,
    ctstate: w.newConnection ? 'NEW' : 'ESTABLISHED',
    isLocal: (ip, onDev) => isLocal(ns, ip, onDev),
    bridged: w.bridgeIngress?.nsId === ns.id,
    inSet(name, flags) {
      return inIpSet(w.state.cluster, ns.node, name, flags, this)
    },
    recent(name, op) {
      const lists = w.state.memory(RECENT_LISTS)
      if (op === 'check') return lists.has(ns.node, name, this.src)
      lists.set(ns.node, name, this.src)
      return true
    },
  }
}

function tupleOf(pkt: Packet): Tuple {
  return {
    src: pkt.l3!.src,
    dst: pkt.l3!.dst,
    sport: pkt.l4?.srcPort ?? 0,
    dport: pkt.l4?.dstPort ?? 0,
  }
}

/** The rules one hook runs and what they decided, with nftables' own account when nft ran them. */
type RulesetWalk = ChainWalk & { nft: NftWalk | null }

/**
 * How one kube-proxy mode meets netfilter on a node: the rules it evaluates at a hook, and what
 * its nat verdicts mean. Chosen when kube-proxy registers (./register.ts), so no hook asks.
 */
export interface ProxyRuleset {
  /**
   * The node's rules for one table at one hook. iptables (and the iptables side of IPVS and
   * userspace modes) walks the table from the built-in chain; nftables runs the base chains of
   * table ip kube-proxy on that hook: those before DNAT (priority up to dstnat) with the nat
   * hooks, the later filter chains with filter.
   */
  run(w: Walk, ns: NetNs, table: Table, hook: Hook, pkt: Packet, devs?: HookDevs): RulesetWalk
  /** Every nat verdict sends the packet to kube-proxy's own socket (userspace mode's portals). */
  portals: boolean
  /** The nat rules only mark; IPVS translates at INPUT and shows them there. */
  natShownAtInput: boolean
}

/** iptables-save's tables, walked chain by chain. */
export function xtablesRun(
  w: Walk,
  ns: NetNs,
  table: Table,
  hook: Hook,
  pkt: Packet,
  devs?: HookDevs,
): RulesetWalk {
  const r = walkChain(
    nodeTables(w.state.cluster, ns.node),
    table,
    hook,
    nfPacket(w, ns, pkt, devs),
    w.rng,
  )
  w.mark = r.mark
  return { ...r, nft: null }
}

/**
 * table ip kube-proxy's base chains for the hook, before or after DNAT; on a node where a CNI
 * agent keeps iptables rules (flanneld's default backend), iptables-nft's own base chain of the
 * same table and hook too. That chain (filter at priority filter, 0; nat POSTROUTING at srcnat,
 * 100) ties with kube-proxy's filter-input/forward/output (0) and nat-postrouting (100) chains
 * (pkg/proxy/nftables/proxier.go). At a tie the hook registered last runs first
 * (nf_hook_entries_grow in net/netfilter/core.c inserts a new hook before the first of equal
 * priority; nf_nat_register_fn orders the nat chains the same way), and iptables-nft registers a
 * built-in chain only when a rule first goes into it (iptables 1.8.9 here: `iptables -t nat -N`
 * makes no base chain), so flanneld's `-A FORWARD` and `-A POSTROUTING`, written after
 * kube-proxy made its table (kubeadm installs kube-proxy before the CNI), run first. Filter
 * chains all run unless one drops; of the nat chains only the first that translates does
 * (nf_nat_inet_fn stops once nf_nat_initialized).
 */
export function nftRun(
  w: Walk,
  ns: NetNs,
  table: Table,
  hook: Hook,
  pkt: Packet,
  devs?: HookDevs,
): RulesetWalk {
  const c = w.state.cluster
  let before: ChainWalk | null = null
  if (hasIptablesRules(c, ns.node) && (table === 'filter' || hook === 'POSTROUTING')) {
    before = walkChain(nodeTables(c, ns.node), table, hook, nfPacket(w, ns, pkt, devs), w.rng)
    w.mark = before.mark
    const v = before.verdict.kind
    if (v !== 'continue' && v !== 'accept') return { ...before, nft: null }
  }
  const stage = table === 'filter' ? 'post-dnat' : hook === 'POSTROUTING' ? 'all' : 'pre-dnat'
  const r = walkNft(nodeNft(c, ns.node), hook, stage, nfPacket(w, ns, pkt, devs), w.rng)
  w.mark = r.mark
  return { ...r, tested: before ? [...before.tested, ...r.tested] : r.tested, nft: r }
}

/** Pods' namespaces have no rules; a tunnelled packet is walked by its inner header. */
function applies(ns: NetNs, pkt: Packet): boolean {
  return ns.kind === 'host' && !pkt.outer && pkt.l3 !== null
}

type AddressKind = 'cluster' | 'external' | 'lb' | 'nodePort'

/** The Service port a DNATed destination belonged to: by ClusterIP, external IP, LB IP or node port. */
export function serviceOf(w: Walk, ns: NetNs, dst: string, port: number) {
  const ip = parseIp(dst)!
  // One route lookup, not one per Service: in IPVS mode the local table holds every ClusterIP.
  const local = isLocal(ns, ip)
  for (const s of w.state.cluster.services) {
    const byPort = s.ports.find((x) => x.port === port)
    if (byPort && s.clusterIP === ip)
      return { svc: s, port: byPort, kind: 'cluster' as AddressKind }
    if (byPort && s.externalIPs.includes(ip))
      return { svc: s, port: byPort, kind: 'external' as AddressKind }
    if (byPort && loadBalancerVIPs(s).includes(ip))
      return { svc: s, port: byPort, kind: 'lb' as AddressKind }
    const byNodePort = local ? s.ports.find((x) => x.nodePort === port) : undefined
    if (byNodePort) return { svc: s, port: byNodePort, kind: 'nodePort' as AddressKind }
  }
  return null
}

/** How the learner should read the destination: "the ClusterIP of ...", "a load-balancer IP of ...". */
export function addressName(kind: AddressKind | undefined): { en: string; zh: string } {
  switch (kind) {
    case 'external':
      return { en: 'an external IP (spec.externalIPs)', zh: '一个外部 IP（spec.externalIPs）' }
    case 'lb':
      return {
        en: 'a load-balancer IP (status.loadBalancer.ingress)',
        zh: '一个负载均衡器 IP（status.loadBalancer.ingress）',
      }
    case 'nodePort':
      return { en: 'a node port', zh: '一个节点端口（NodePort）' }
    default:
      return { en: 'the ClusterIP', zh: ' ClusterIP' }
  }
}

/** PREROUTING (packets arriving) or OUTPUT (packets the node itself sends): DNAT, or the reverse of a masquerade. */
export function natIn(
  rs: ProxyRuleset,
  w: Walk,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: 'PREROUTING' | 'OUTPUT',
): WalkResult | null {
  if (!applies(ns, pkt)) return null
  const table = w.state.conntrack.get(ns.id) ?? []
  const here = tupleOf(pkt)
  const reply = table.find((e) => sameTuple(e.reply, here))
  if (reply) {
    reply.replied = true
    w.reverse = reply
    if (reply.reply.dst !== reply.orig.src || reply.reply.dport !== reply.orig.sport) {
      pkt.l3!.dst = reply.orig.src
      pkt.l4!.dstPort = reply.orig.sport
      if (w.bridgeIngress?.nsId === ns.id) w.bridgeIngress.dnatted = true
      w.emit(
        'unnat',
        w.where(ns, { device, hook }),
        pkt,
        [{ table: 'conntrack -L', rule: formatConntrack(reply), matched: true }],
        text(
          reply.srcNat === 'snat'
            ? `This is a reply on a tracked connection. Its conntrack entry says the request's source was rewritten by SNAT, so the kernel rewrites the destination back to the original client ${reply.orig.src}:${reply.orig.sport} (de-SNAT, before routing).`
            : `This is a reply on a tracked connection. Its conntrack entry says the request was masqueraded, so the kernel rewrites the destination back to the original client ${reply.orig.src}:${reply.orig.sport} (de-SNAT, before routing).`,
          reply.srcNat === 'snat'
            ? `这是一个已跟踪连接上的应答。conntrack 表项显示请求的源地址曾被 SNAT 改写，所以内核在路由之前把目的地址改回原来的客户端 ${reply.orig.src}:${reply.orig.sport}（反向 SNAT）。`
            : `这是一个已跟踪连接上的应答。conntrack 表项显示请求曾被伪装（MASQUERADE），所以内核在路由之前把目的地址改回原来的客户端 ${reply.orig.src}:${reply.orig.sport}（反向 SNAT）。`,
        ),
      )
    }
    return null
  }
  if (!w.newConnection) return null
  const before = tupleOf(pkt)
  const r = rs.run(w, ns, 'nat', hook, pkt)
  if (r.verdict.kind === 'redirect' || rs.portals)
    return portalNat(w, ns, device, pkt, hook, r, before, table)
  if (r.nft && r.verdict.kind === 'drop') {
    w.emit(
      'drop',
      w.where(ns, { device, hook }),
      pkt,
      r.tested,
      nftFirewallDropText(
        r.nft,
        hook,
        `${before.dst} . ${pkt.l3!.proto} . ${before.dport}`,
        before.src,
      ),
    )
    return {
      kind: 'dropped',
      reason: text(
        'not in loadBalancerSourceRanges',
        '源地址不在 loadBalancerSourceRanges 允许的网段内',
      ),
    }
  }
  if (r.verdict.kind !== 'dnat') {
    // A KUBE-FW chain the packet fell through: keep its rules for the firewall DROP to show.
    w.natTrail = r.tested.some((l) => l.table.includes('KUBE-FW-')) ? r.tested : null
    // IPVS mode: these rules only mark and accept; IPVS itself translates at LOCAL_IN, and shows them.
    if (rs.natShownAtInput) w.natTested = r.tested
    else if (!w.natTrail) w.passed(ns, matchedOf(r.tested))
    return null
  }
  const to = r.verdict
  const hit = serviceOf(w, ns, before.dst, before.dport)
  pkt.l3!.dst = formatIp(to.ip)
  pkt.l4!.dstPort = to.port
  const entry: CtEntry = {
    proto: pkt.l3!.proto,
    orig: before,
    reply: { src: formatIp(to.ip), dst: before.src, sport: to.port, dport: before.sport },
    replied: false,
  }
  table.push(entry)
  w.state.conntrack.set(ns.id, table)
  if (w.bridgeIngress?.nsId === ns.id) w.bridgeIngress.dnatted = true
  const name = hit ? `${hit.svc.namespace}/${hit.svc.name}` : before.dst
  const lookups: Lookup[] = [
    ...r.tested,
    { table: 'conntrack -L', rule: formatConntrack(entry), matched: true },
  ]
  let n = 0
  let fallback = false
  if (hit) {
    const cat = categorizeEndpoints(hit.svc, hit.port, ns.node)
    const local =
      hit.kind === 'cluster'
        ? hit.svc.decl.internalTrafficPolicy === 'Local'
        : externalPolicyLocal(hit.svc)
    n = (local ? cat.local : cat.cluster).length
    fallback = !local && cat.clusterFallback
  }
  const addr = addressName(hit?.kind)
  const etpLocal = hit ? externalPolicyLocal(hit.svc) : false
  const fw = r.tested.some((l) => l.matched && l.table.includes('KUBE-FW-'))
  // externalTrafficPolicy Local: KUBE-EXT sends what comes from outside the cluster to the
  // Service's local-endpoints chain, KUBE-SVL (pkg/proxy/iptables/proxier.go, localPolicyChain);
  // a Pod's own traffic, and the node's, still goes to KUBE-SVC. Name the chain the packet took.
  const svl = r.tested.some((l) => l.matched && l.table.includes('KUBE-SVL-'))
  const chain = svl ? 'KUBE-SVL' : 'KUBE-SVC'
  const toSvl = {
    en: "With externalTrafficPolicy Local, KUBE-EXT sends a packet from outside the cluster to KUBE-SVL, the chain of this node's own endpoints only, and does not mark it for masquerade: the client's address is kept.",
    zh: 'externalTrafficPolicy 为 Local 时，KUBE-EXT 把来自集群外部的包交给 KUBE-SVL（只含本节点端点的链），且不打伪装标记：客户端的地址得以保留。',
  }
  const how =
    hit?.kind === 'lb'
      ? {
          en: ` kube-proxy captures a load-balancer IP on every node, so the packet is handled right here and never travels to the cloud load balancer: a short cut inside the cluster.${fw ? ' The Service has loadBalancerSourceRanges, so the rule goes to the KUBE-FW chain first, which lets this source through to KUBE-EXT.' : ''} ${svl ? toSvl.en : etpLocal ? 'With externalTrafficPolicy Local, KUBE-EXT sends traffic from a Pod of the cluster on to KUBE-SVC unchanged (the same short cut), keeping its source.' : 'KUBE-EXT marks the packet for masquerade (externalTrafficPolicy Cluster: an endpoint may be on another node) and goes on to KUBE-SVC.'}`,
          zh: `kube-proxy 在每个节点上都截获负载均衡器 IP，所以这个包就在这里处理，根本不会去往云上的负载均衡器：这是集群内部的一条捷径。${fw ? '这个 Service 设置了 loadBalancerSourceRanges，所以规则先进入 KUBE-FW 链，它放行了这个源地址，交给 KUBE-EXT。' : ''}${svl ? toSvl.zh : etpLocal ? 'externalTrafficPolicy 为 Local 时，KUBE-EXT 把来自集群内 Pod 的流量原样交给 KUBE-SVC（同样的捷径），保留其源地址。' : 'KUBE-EXT 给包打上伪装标记（externalTrafficPolicy 为 Cluster：端点可能在别的节点上），再进入 KUBE-SVC。'}`,
        }
      : hit?.kind === 'nodePort'
        ? svl
          ? {
              en: ` The last rule of KUBE-SERVICES sends packets for the node's own addresses to KUBE-NODEPORTS, which matches the port and jumps to KUBE-EXT. ${toSvl.en}`,
              zh: `KUBE-SERVICES 的最后一条规则把发往节点自身地址的包交给 KUBE-NODEPORTS，它匹配端口后跳转到 KUBE-EXT。${toSvl.zh}`,
            }
          : {
              en: " The last rule of KUBE-SERVICES sends packets for the node's own addresses to KUBE-NODEPORTS, which matches the port and jumps to KUBE-EXT, then KUBE-SVC.",
              zh: 'KUBE-SERVICES 的最后一条规则把发往节点自身地址的包交给 KUBE-NODEPORTS，它匹配端口后跳转到 KUBE-EXT，再到 KUBE-SVC。',
            }
        : hit?.kind === 'external'
          ? {
              en: svl
                ? ` The rule jumps to KUBE-EXT. ${toSvl.en}`
                : etpLocal
                  ? ' The rule jumps to KUBE-EXT; with externalTrafficPolicy Local, traffic from a Pod of the cluster goes on to KUBE-SVC unchanged, keeping its source.'
                  : ' The rule jumps to KUBE-EXT, which marks the packet for masquerade (externalTrafficPolicy Cluster) and goes on to KUBE-SVC.',
              zh: svl
                ? `规则跳转到 KUBE-EXT。${toSvl.zh}`
                : etpLocal
                  ? '规则跳转到 KUBE-EXT；externalTrafficPolicy 为 Local 时，来自集群内 Pod 的流量原样进入 KUBE-SVC，保留其源地址。'
                  : '规则跳转到 KUBE-EXT，它给包打上伪装标记（externalTrafficPolicy 为 Cluster），再进入 KUBE-SVC。',
            }
          : svl
            ? {
                en: " With internalTrafficPolicy Local, it jumps to the Service's KUBE-SVL chain, which lists only this node's endpoints.",
                zh: 'internalTrafficPolicy 为 Local，规则跳转到该 Service 的 KUBE-SVL 链，其中只有本节点上的端点。',
              }
            : {
                en: " It jumps to the Service's KUBE-SVC chain.",
                zh: '规则跳转到该 Service 的 KUBE-SVC 链。',
              }
  const left = hit
    ? hit.port.endpoints.filter((e) => !e.ready && !(fallback && e.serving && e.terminating))
    : []
  const leftOut = left.length
    ? {
        en: ` The EndpointSlice also lists ${left.map((e) => e.pod ?? formatIp(e.ip)).join(', ')}, but ${left.length === 1 ? 'it is' : 'they are'} not ready (condition ready: false, e.g. a failing readiness probe), so kube-proxy left ${left.length === 1 ? 'it' : 'them'} out of the chain.`,
        zh: `EndpointSlice 中还有 ${left.map((e) => e.pod ?? formatIp(e.ip)).join('、')}，但${left.length === 1 ? '它' : '它们'}没有就绪（条件 ready: false，比如就绪探针失败），所以 kube-proxy 没有把${left.length === 1 ? '它' : '它们'}写进链里。`,
      }
    : { en: '', zh: '' }
  const remembered = r.tested.some((l) => l.matched && l.rule.includes('--rcheck'))
  const pickText = remembered
    ? {
        en: ` ${chain} begins with the sessionAffinity checks: the recent list of one KUBE-SEP chain already holds ${before.src}, set by an earlier connection of this client within the timeout, so the client goes back to that same endpoint and the random rules are never reached.`,
        zh: `${chain} 最前面是 sessionAffinity 的检查规则：某个 KUBE-SEP 链的 recent 列表里已经有 ${before.src}（由这个客户端在超时之内的一次早先连接记下），所以客户端被送回同一个端点，随机选择的规则根本不会被执行。`,
      }
    : n === 1
      ? {
          en: ` ${chain} has a single endpoint, so it jumps to it without a statistic match.`,
          zh: `${chain} 只有一个端点，所以不用 statistic 匹配，直接跳转过去。`,
        }
      : {
          en: ` ${chain} picks one of ${n} endpoints at random with the statistic match (probability 1/${n}, then 1/${n - 1}, ...).`,
          zh: `${chain} 用 statistic 匹配从 ${n} 个端点中随机选一个（概率依次为 1/${n}、1/${n - 1}……）。`,
        }
  const fb = fallback
    ? {
        en: ' No endpoint is ready, so kube-proxy falls back to endpoints that are terminating but still serving.',
        zh: '没有任何就绪的端点，所以 kube-proxy 退而使用正在终止但仍在提供服务（serving）的端点。',
      }
    : { en: '', zh: '' }
  const explain = r.nft
    ? nftDnatText(r.nft, {
        hook,
        dst: before.dst,
        dport: before.dport,
        proto: pkt.l3!.proto,
        src: before.src,
        service: name,
        to: `${formatIp(to.ip)}:${to.port}`,
        masqMark: 0x4000,
        clusterCIDR: w.state.cluster.decl.clusterCIDR
          ? formatCidr(w.state.cluster.decl.clusterCIDR)
          : null,
        kind: hit?.kind ?? null,
        etpLocal,
        endpointsNote: text(`${leftOut.en}${fb.en}`, `${leftOut.zh}${fb.zh}`),
      })
    : null
  w.emit(
    'dnat',
    w.where(ns, { device, hook, component: 'kube-proxy' }),
    pkt,
    lookups,
    explain ??
      text(
        `Netfilter's nat ${hook} hook runs the rules kube-proxy wrote. KUBE-SERVICES matches ${before.dst}:${before.dport}, ${addr.en} of Service ${name}.${how.en} ${pickText.en.slice(1)}${leftOut.en}${fb.en} The KUBE-SEP chain rewrites the destination to ${formatIp(to.ip)}:${to.port} (DNAT). The packet was tested against ${r.tested.length} rules. conntrack records the translation so that every later packet of this connection, and the reply, is handled without the rules.`,
        `Netfilter 的 nat ${hook} 钩子执行 kube-proxy 写下的规则。KUBE-SERVICES 匹配到 ${before.dst}:${before.dport}，即 Service ${name} 的${addr.zh}。${how.zh}${pickText.zh}${leftOut.zh}${fb.zh}KUBE-SEP 链把目的地址改写为 ${formatIp(to.ip)}:${to.port}（DNAT）。这个包一共被 ${r.tested.length} 条规则检查过。conntrack 记下这次转换，之后该连接的所有包以及应答都直接按记录处理，不再查规则。`,
      ),
  )
  return null
}

/** The rules of a walk that matched: those the kernel's counters and traces show for it. */
function matchedOf(tested: Lookup[]): Lookup[] {
  return tested.filter((l) => l.matched)
}

/**
 * filter FORWARD / OUTPUT / INPUT: kube-proxy REJECTs Services without endpoints here. Every
 * packet of a connection passes the filter table (the nat table sees only the first), so replies
 * and later packets run these rules too, as ESTABLISHED.
 */
export function filterHook(
  rs: ProxyRuleset,
  w: Walk,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: 'FORWARD' | 'OUTPUT' | 'INPUT',
  out: string | null = null,
): WalkResult | null {
  if (!applies(ns, pkt)) return null
  const r = rs.run(w, ns, 'filter', hook, pkt, {
    inDev: hook === 'OUTPUT' ? null : device,
    outDev: out,
  })
  const v = r.verdict
  if (v.kind !== 'reject' && v.kind !== 'drop') {
    const pass = w.state.cluster.cniIptables.get(ns.node)?.filterPass
    w.passed(ns, matchedOf(r.tested), false, pass ? pass({ tested: r.tested, pkt }) : null)
    return null
  }
  if (!w.newConnection)
    throw new Error(`filter ${hook} would drop an ESTABLISHED packet: ${v.rule}`)
  // A DROP in the CNI agent's own chains (felix's policy): the agent tells what it means.
  const own =
    v.kind === 'drop'
      ? (w.state.cluster.cniIptables.get(ns.node)?.filterDrop?.({
          rule: v.rule,
          chain: v.rule.split(' ')[1]!,
          tested: r.tested,
          pkt,
        }) ?? null)
      : null
  if (own) {
    // The agent's chains it lists in full: the rules of felix's policy chains the packet did
    // not match are why it was dropped (a port or an IP set that does not hold its peer).
    const shown = w.state.cluster.cniIptables.get(ns.node)?.shownUnmatched ?? []
    const keep = (l: Lookup) => l.matched || shown.some((c) => l.table.endsWith(` ${c}`))
    w.emit('drop', w.where(ns, { device, hook }), pkt, r.tested.filter(keep), own.explain)
    return { kind: 'dropped', reason: own.reason }
  }
  const tested = r.nft
    ? r.tested
    : r.tested.filter(
        (l) =>
          l.matched ||
          l.table.endsWith('KUBE-SERVICES') ||
          l.table.endsWith('KUBE-EXTERNAL-SERVICES') ||
          l.table.endsWith('KUBE-PROXY-FIREWALL'),
      )
  const key = { dst: pkt.l3!.dst, proto: pkt.l3!.proto, port: pkt.l4?.dstPort ?? 0 }
  const waitingWhy = () => {
    const hit = serviceOf(w, ns, pkt.l3!.dst, pkt.l4?.dstPort ?? 0)
    const waiting = hit ? hit.port.endpoints.filter((e) => !e.ready) : []
    const podNotReady = waiting.every((e) => e.pod !== null && !e.serving)
    return waiting.length
      ? {
          en: ` Its EndpointSlice lists ${waiting.map((e) => e.pod ?? formatIp(e.ip)).join(', ')}, but with condition ready: false${podNotReady ? " (its Pod's Ready condition is False)" : ''}, and none is terminating-but-serving to fall back on, so kube-proxy counts no usable endpoint.`,
          zh: `它的 EndpointSlice 中有 ${waiting.map((e) => e.pod ?? formatIp(e.ip)).join('、')}，但条件是 ready: false${podNotReady ? '（Pod 的 Ready 条件为 False）' : ''}，也没有可以退而使用的“正在终止但仍在服务”的端点，所以 kube-proxy 认为没有可用端点。`,
        }
      : { en: '', zh: '' }
  }
  if (r.nft && v.kind === 'reject') {
    const why = waitingWhy()
    const base = nftRejectText(r.nft, hook, key)
    const explain = r.nft.element ? text(`${base.en}${why.en}`, `${base['zh-CN']}${why.zh}`) : base
    w.emit('reject', w.where(ns, { device, hook }), pkt, tested, explain)
    return {
      kind: 'rejected',
      reason: r.nft.element
        ? text('service has no endpoints', 'Service 没有端点')
        : text('no service on this port', '这个端口上没有 Service'),
    }
  }
  if (r.nft) {
    w.emit('drop', w.where(ns, { device, hook }), pkt, tested, nftDropText(r.nft, hook, key))
    return {
      kind: 'dropped',
      reason: r.nft.element
        ? text('has no local endpoints', '本节点上没有这个 Service 的端点')
        : text('unallocated ClusterIP', '这个 ClusterIP 没有分配给任何 Service'),
    }
  }
  if (v.kind === 'reject') {
    const why = waitingWhy()
    w.emit(
      'reject',
      w.where(ns, { device, hook }),
      pkt,
      tested,
      text(
        `The filter table's ${hook} hook reaches kube-proxy's rule "${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}": the Service exists but has no ready endpoint, so the kernel refuses the connection at once with ICMP port unreachable (the client sees "Connection refused") instead of letting it time out.${why.en}`,
        `filter 表的 ${hook} 钩子命中 kube-proxy 的规则“${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}”：Service 存在，但没有任何就绪的端点，所以内核立即用 ICMP 端口不可达拒绝连接（客户端看到 “Connection refused”），而不是让它超时。${why.zh}`,
      ),
    )
    return { kind: 'rejected', reason: text('service has no endpoints', 'Service 没有端点') }
  }
  const comment = /--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''
  if (comment.includes('traffic not accepted by KUBE-FW-')) {
    w.emit(
      'drop',
      w.where(ns, { device, hook }),
      pkt,
      [...(w.natTrail ?? []).filter((l) => l.table.includes('KUBE-FW-') || l.matched), ...tested],
      text(
        `The filter table's ${hook} hook reaches kube-proxy's rule "${comment}". The Service has loadBalancerSourceRanges and ${pkt.l3!.src} is in none of them, so in nat ${hook === 'OUTPUT' ? 'OUTPUT' : 'PREROUTING'} the KUBE-FW chain let the packet fall through without a DNAT; here it still carries the load-balancer IP, and KUBE-PROXY-FIREWALL drops it silently (the client sees a timeout).`,
        `filter 表的 ${hook} 钩子命中 kube-proxy 的规则“${comment}”。这个 Service 设置了 loadBalancerSourceRanges，而 ${pkt.l3!.src} 不在其中任何一个网段内，所以在 nat ${hook === 'OUTPUT' ? 'OUTPUT' : 'PREROUTING'} 中 KUBE-FW 链没有对它做 DNAT；到这里目的地址仍是负载均衡器 IP，KUBE-PROXY-FIREWALL 把它静默丢弃（客户端只会等到超时）。`,
      ),
    )
    return {
      kind: 'dropped',
      reason: text(
        'not in loadBalancerSourceRanges',
        '源地址不在 loadBalancerSourceRanges 允许的网段内',
      ),
    }
  }
  if (v.rule.startsWith('-A KUBE-IPVS-OUT-FILTER')) {
    w.emit(
      'drop',
      w.where(ns, { device, hook }),
      pkt,
      tested,
      text(
        `The node itself calls the load-balancer IP, so its source is that address too (it is bound to kube-ipvs0). The Service's loadBalancerSourceRanges do not hold this node's address, so kube-proxy added a KUBE-IPVS-OUT-FILTER rule that drops the node's own connections to this virtual service.`,
        `节点自己访问负载均衡器 IP，所以源地址也是这个地址（它绑定在 kube-ipvs0 上）。Service 的 loadBalancerSourceRanges 不包含本节点的地址，所以 kube-proxy 在 KUBE-IPVS-OUT-FILTER 中加了一条规则，丢弃本节点到这个虚拟服务的连接。`,
      ),
    )
    return {
      kind: 'dropped',
      reason: text(
        'not in loadBalancerSourceRanges',
        '源地址不在 loadBalancerSourceRanges 允许的网段内',
      ),
    }
  }
  if (comment === '' && v.rule.includes('KUBE-SOURCE-RANGES-FIREWALL')) {
    w.emit(
      'drop',
      w.where(ns, { device, hook }),
      pkt,
      tested,
      text(
        `The filter table's ${hook} hook sends this load-balancer IP to KUBE-SOURCE-RANGES-FIREWALL (its entry is in the ipset KUBE-LOAD-BALANCER-FW because the Service has loadBalancerSourceRanges). ${pkt.l3!.src} matches no entry of KUBE-LOAD-BALANCER-SOURCE-CIDR, so the chain's last rule drops the packet silently.`,
        `filter 表的 ${hook} 钩子把这个负载均衡器 IP 交给 KUBE-SOURCE-RANGES-FIREWALL（因为 Service 设置了 loadBalancerSourceRanges，它的表项在 ipset KUBE-LOAD-BALANCER-FW 中）。${pkt.l3!.src} 不匹配 KUBE-LOAD-BALANCER-SOURCE-CIDR 中的任何表项，所以该链的最后一条规则把包静默丢弃。`,
      ),
    )
    return {
      kind: 'dropped',
      reason: text(
        'not in loadBalancerSourceRanges',
        '源地址不在 loadBalancerSourceRanges 允许的网段内',
      ),
    }
  }
  w.emit(
    'drop',
    w.where(ns, { device, hook }),
    pkt,
    tested,
    text(
      `The filter table's ${hook} hook reaches kube-proxy's DROP rule "${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}": with a Local traffic policy only endpoints on this node may be used, and there are none, so the packet is silently dropped.`,
      `filter 表的 ${hook} 钩子命中 kube-proxy 的 DROP 规则“${/--comment "([^"]*)"/.exec(v.rule)?.[1] ?? ''}”：Local 流量策略只允许使用本节点上的端点，而本节点一个也没有，所以包被静默丢弃。`,
    ),
  )
  return {
    kind: 'dropped',
    reason: text('has no local endpoints', '本节点上没有这个 Service 的端点'),
  }
}

/** POSTROUTING: MASQUERADE what kube-proxy marked; undo a DNAT on the reply (the source goes back to the ClusterIP). */
export function natOut(rs: ProxyRuleset, w: Walk, ns: NetNs, outDev: string, pkt: Packet): void {
  if (!applies(ns, pkt)) return
  if (w.reverse) undoDnat(rs, w, ns, outDev, pkt, 'POSTROUTING')
  if (!w.newConnection) return
  const r = rs.run(w, ns, 'nat', 'POSTROUTING', pkt, { outDev })
  if (r.verdict.kind !== 'masquerade' && r.verdict.kind !== 'snat') {
    // The agent's masquerade chain shows the rules the packet did not match too: they are why
    // it keeps its source (felix's cali-nat-outgoing for a destination in a pool).
    const shown = w.state.cluster.cniIptables.get(ns.node ?? '')?.shownUnmatched ?? []
    const keep = (l: Lookup) => l.matched || shown.some((c) => l.table.endsWith(` ${c}`))
    w.passed(ns, r.tested.filter(keep), true)
    return
  }
  const dev = findLink(ns, outDev)
  const addr =
    dev?.addrs.find((a) => a.scope === 'global') ??
    ns.links.flatMap((l) => l.addrs).find((a) => a.scope === 'global')
  const before = tupleOf(pkt)
  // MASQUERADE takes the out device's address; SNAT the one its --to-source names.
  const newSrc =
    r.verdict.kind === 'snat' ? formatIp(r.verdict.ip) : addr ? formatIp(addr.ip) : before.src
  // --random-fully: the source port is chosen at random too (NF_NAT_RANGE_PROTO_RANDOM_FULLY).
  // Without it (kindnet's rule) nf_nat keeps the port when no other connection holds it.
  const rule = r.verdict.rule
  const chain = rule.split(' ')[1] ?? ''
  const fully = r.nft || rule.includes('--random-fully')
  if (!pkt.l4 && newSrc === before.src) {
    // No ports to pick (an IP-in-IP outer packet, tracked by the generic protocol) and the
    // address it already has: the rule matched, but the new tuple equals the old one, so
    // nf_nat_setup_info sets up no translation. (A node's outer packet keeps a mark 0x4000
    // the inner packet's nat never cleared: felix's tunnel MASQUERADE ran before kube-proxy's
    // nftables chain, and one nat chain's translation ends the hook.)
    w.passed(ns, matchedOf(r.tested), true)
    return
  }
  const newPort = pkt.l4 && fully ? w.rng.int(1024, 65535) : before.sport
  const table = w.state.conntrack.get(ns.id) ?? []
  let entry = table.find(
    (e) =>
      e.reply.dst === before.src && e.reply.dport === before.sport && e.reply.src === before.dst,
  )
  pkt.l3!.src = newSrc
  if (pkt.l4) pkt.l4.srcPort = newPort
  const srcNat = r.verdict.kind
  if (entry) {
    entry.reply = { ...entry.reply, dst: newSrc, dport: newPort }
    entry.srcNat = srcNat
  } else {
    // No DNAT before it (a Pod to the Internet): the masquerade alone makes the entry whose
    // reply tuple the answer will match (nf_nat_setup_info on the connection conntrack tracks).
    entry = {
      proto: pkt.l3!.proto,
      orig: before,
      reply: { src: before.dst, dst: newSrc, sport: before.dport, dport: newPort },
      replied: false,
      srcNat,
    }
    table.push(entry)
    w.state.conntrack.set(ns.id, table)
  }
  const lookups = r.nft
    ? r.tested
    : r.tested.filter((l) => l.table.includes('POSTROUTING') || l.table.endsWith(` ${chain}`))
  lookups.push({ table: 'conntrack -L', rule: formatConntrack(entry), matched: true })
  const agentText = w.state.cluster.cniIptables.get(ns.node ?? '')?.masqueradeText
  const agent = agentText
    ? agentText({ rule, chain, from: before.src, to: newSrc, dev: outDev, dst: before.dst })
    : cniMasqueradeText(chain, rule, newSrc, outDev, before.dst)
  w.emit(
    srcNat,
    w.where(ns, { device: outDev, hook: 'POSTROUTING' }),
    pkt,
    lookups,
    r.nft
      ? nftMasqueradeText(newSrc, outDev)
      : chain !== 'KUBE-POSTROUTING'
        ? w.state.cluster.decl.kubeProxy.mode === 'nftables'
          ? beside(agent)
          : agent
        : text(
            `On the way out, nat POSTROUTING reaches KUBE-POSTROUTING: this packet carries kube-proxy's mark 0x4000 (set by KUBE-MARK-MASQ), so it is masqueraded: its source becomes ${newSrc}, the address of ${outDev}, with a random source port. The reply will come back to this node, which undoes it.`,
            `出站时，nat POSTROUTING 到达 KUBE-POSTROUTING：这个包带着 kube-proxy 的标记 0x4000（由 KUBE-MARK-MASQ 打上），所以被伪装：源地址改为 ${outDev} 的地址 ${newSrc}，源端口随机。应答会回到本节点，由它还原。`,
          ),
  )
}

/** kube-proxy in nftables mode, the agent's rules in iptables: which of the two translated, and why. */
function beside(agent: Text): Text {
  return text(
    `kube-proxy runs in nftables mode here, but the CNI agent still writes iptables rules, into iptables-nft's nat table. Its POSTROUTING chain hooks postrouting at srcnat (100), as kube-proxy's nat-postrouting does; registered after kube-proxy's table, it runs before it. ${agent.en} Once one nat chain has translated a connection, the kernel runs no other for it, so kube-proxy's masquerading chain is not reached.`,
    `这里 kube-proxy 运行在 nftables 模式，但 CNI 代理仍然写 iptables 规则，写进 iptables-nft 的 nat 表。它的 POSTROUTING 链和 kube-proxy 的 nat-postrouting 一样挂在 postrouting 钩子的 srcnat（100）优先级上，它在 kube-proxy 的表之后注册，因而先于它执行。${agent['zh-CN']}一旦某条 nat 链已为连接做了转换，内核就不再为它执行别的 nat 链，所以不会走到 kube-proxy 的 masquerading 链。`,
  )
}

/** A masquerade rule the CNI's agent wrote (kindnet's KIND-MASQ-AGENT), not kube-proxy's. */
function cniMasqueradeText(chain: string, rule: string, src: string, dev: string, dst: string) {
  const comment = /--comment "([^"]*)"/.exec(rule)?.[1] ?? rule
  return text(
    `On the way out, nat POSTROUTING sends the packet, bound for ${dst}, a non-local address, to ${chain}, the CNI agent's own chain. ${dst} is not in the Pod network the chain returns for, so its last rule ("${comment}") masquerades it: the source becomes ${src}, the address of ${dev}; the source port stays unless another connection already holds it. The reply comes back to this node, which undoes it.`,
    `出站时，nat POSTROUTING 把这个发往非本机地址 ${dst} 的包交给 CNI 代理自己的链 ${chain}。${dst} 不在该链直接放行的 Pod 网络之内，所以它的最后一条规则（“${comment}”）对包做伪装：源地址变为 ${dev} 的地址 ${src}；源端口不变，除非已被其他连接占用。应答会回到本节点，由它还原。`,
  )
}

/** INPUT: a reply for a connection this node itself opened to a ClusterIP. */
export function natLocalIn(
  rs: ProxyRuleset,
  w: Walk,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
): void {
  if (applies(ns, pkt) && w.reverse) undoDnat(rs, w, ns, device, pkt, 'INPUT')
}

function undoDnat(
  rs: ProxyRuleset,
  w: Walk,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: 'POSTROUTING' | 'INPUT',
): void {
  const e = w.reverse!
  w.reverse = null
  if (e.orig.dst === e.reply.src && e.orig.dport === e.reply.sport) return
  pkt.l3!.src = e.orig.dst
  pkt.l4!.srcPort = e.orig.dport
  const kind = serviceOf(w, ns, e.orig.dst, e.orig.dport)?.kind
  const addr =
    kind === 'nodePort'
      ? { en: 'the node address', zh: '节点地址' }
      : kind === 'cluster' || kind === undefined
        ? { en: 'the ClusterIP', zh: ' ClusterIP' }
        : kind === 'lb'
          ? { en: 'the load-balancer IP', zh: '负载均衡器 IP' }
          : { en: 'the external IP', zh: '外部 IP' }
  const bridge = device !== null && findLink(ns, device)?.kind === 'bridge'
  const why = bridge
    ? {
        en: ` This reply is switched by ${device}, not routed: it still meets conntrack because net.bridge.bridge-nf-call-iptables=1 (the br_netfilter module, which kubeadm requires). Without it the client would get an answer from ${e.reply.src}, a peer it never called, and reset the connection.`,
        zh: `这个应答是由 ${device} 二层交换的，并没有经过路由：它之所以仍然经过 conntrack，是因为 net.bridge.bridge-nf-call-iptables=1（br_netfilter 模块，kubeadm 要求开启）。否则客户端会收到来自 ${e.reply.src} 的应答，这是它从未连接过的对端，连接会被重置。`,
      }
    : { en: '', zh: '' }
  if (e.nat === 'redirect' || rs.portals) {
    w.emit(
      'unnat',
      w.where(ns, { device, hook }),
      pkt,
      [{ table: 'conntrack -L', rule: formatConntrack(e), matched: true }],
      text(
        `kube-proxy wrote this answer from its own socket, ${e.reply.src}:${e.reply.sport}. It matches the conntrack entry made when kube-proxy's rule ${e.nat === 'redirect' ? 'REDIRECTed' : 'DNATed'} the request, so the kernel rewrites the source back to ${e.orig.dst}:${e.orig.dport}, the address the client called: the client sees an answer from the address it called and never learns that kube-proxy, not a Pod, was at the other end.`,
        `kube-proxy 从它自己的套接字 ${e.reply.src}:${e.reply.sport} 写出这个应答。它匹配到 kube-proxy 的规则对请求做 ${e.nat === 'redirect' ? 'REDIRECT' : 'DNAT'} 时建立的 conntrack 表项，所以内核把源地址改回客户端所访问的地址 ${e.orig.dst}:${e.orig.dport}：客户端看到的应答来自这个地址，并不知道另一端其实是 kube-proxy 而不是某个 Pod。`,
      ),
    )
    return
  }
  w.emit(
    'unnat',
    w.where(ns, { device, hook }),
    pkt,
    [{ table: 'conntrack -L', rule: formatConntrack(e), matched: true }],
    text(
      `The reply matches the conntrack entry created when the request was DNATed, so the kernel rewrites its source back from ${e.reply.src}:${e.reply.sport} to ${addr.en} ${e.orig.dst}:${e.orig.dport}. The client only ever talks to the Service address: it never learns which Pod answered.${why.en}`,
      `应答匹配到请求被 DNAT 时创建的 conntrack 表项，所以内核把它的源地址从 ${e.reply.src}:${e.reply.sport} 改回${addr.zh} ${e.orig.dst}:${e.orig.dport}。客户端始终只和 Service 地址通信，并不知道是哪个 Pod 应答的。${why.zh}`,
    ),
  )
}
