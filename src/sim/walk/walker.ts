/**
 * The packet walk: a small model of the Linux receive, forward and transmit paths. Every hop is
 * decided by a lookup in the namespace's own tables (rules, routes, neighbours, FDB), and each
 * decision becomes a trace step with the entry that made it.
 */
import { formatIp, parseIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Action, Location, Lookup, Packet, Phase, Step } from '../../model/trace.ts'
import type { Rng } from '../rng.ts'
import { findLink, type Link, type NetNs, type Route } from '../net/netns.ts'
import { lookupRoute, type RouteMatch } from '../net/fib.ts'
import { formatRoute, routeCommand } from '../print/ip-route.ts'
import { formatLink, netnsName } from '../print/ip-link.ts'
import { formatRule } from '../print/ip-rule.ts'
import { formatNeigh } from '../print/ip-neigh.ts'
import type { WalkState } from './state.ts'
import { SANDBOX_IMAGE } from '../sandbox.ts'
import { changedFields, clonePacket, top } from './packet.ts'
import { resolveNeighbour } from './arp.ts'
import { bridgeInput, bridgeTransmit } from './bridge.ts'
import { decapsulate, ipipTransmit, vxlanTransmit } from './tunnel.ts'
import { underlayTransmit } from './underlay.ts'
import { deliverLocal } from './deliver.ts'
import type { CtEntry } from './conntrack.ts'
import type { Endpoint, LbFlow, NfHook, ProxyListener, Walk, WalkResult } from './api.ts'
import { NF_IP_PRI, type HookRegistry } from './hooks.ts'

/** A step's narration with what the hooks that let the packet pass said of it, after. */
function withNotes(explain: Text, notes: readonly Text[]): Text {
  if (notes.length === 0) return explain
  return text(
    [explain.en, ...notes.map((n) => n.en)].join(' '),
    [explain['zh-CN'], ...notes.map((n) => n['zh-CN'])].join(''),
  )
}

export class Walker implements Walk {
  readonly steps: Step[] = []
  private last: Packet | null = null
  /** In the reply phase: the client whose connected socket the reply is for. */
  replyTo: Endpoint | null = null
  /** The connection a cloud load balancer forwarded (to rewrite its reply). */
  lbFlow: LbFlow | null = null
  /** The packet's netfilter mark (skb->mark), e.g. kube-proxy's 0x4000 "masquerade me". */
  mark = 0
  /** A reply's conntrack entry, found at PREROUTING, whose DNAT is undone at POSTROUTING or INPUT. */
  reverse: CtEntry | null = null
  /** The nat rules the packet was last tested against without a DNAT (IPVS mode shows them). */
  natTested: Lookup[] = []
  /** nat rules a new packet went through without being DNATed (a KUBE-FW chain), for a later DROP. */
  natTrail: Lookup[] | null = null
  /** The bridge port a frame for the bridge's own MAC came in on, kept by br_netfilter. */
  bridgeIngress: { nsId: string; bridge: string; port: string; dnatted: boolean } | null = null
  /**
   * Netfilter rules the packet matched at a hook that let it pass (a jump to a chain that
   * returned, a RETURN, an ACCEPT), waiting for the next step in that namespace to show them:
   * the kernel counts them (iptables-save -c) and traces them (nft monitor trace) like any other.
   */
  private passedRules: { where: string; lookups: Lookup[]; notes: Text[] } | null = null

  constructor(
    readonly state: WalkState,
    readonly rng: Rng,
    public phase: Phase,
    /** What the cluster's data planes registered at the hooks and sockets. */
    private readonly hooks: HookRegistry,
  ) {}

  nfHook(
    hook: NfHook,
    ns: NetNs,
    device: string | null,
    pkt: Packet,
    from?: number,
    out: string | null = null,
  ): WalkResult | null {
    if (pkt.outer) return this.outerHook(hook, ns, device, pkt, from)
    return this.hooks.runNf(hook, this, ns, device, pkt, from, out)
  }

  /** While a tunnel's outer packet is at a hook: the rules passed are the outer packet's. */
  private outerRun = false
  /** Whether the outer packet now in a namespace opened its flow there (set at its first hook). */
  private outerNew = new Map<string, boolean>()

  /**
   * A tunnel's outer packet meets netfilter as a packet of its own. The node sends it like any
   * packet it makes (vxlan_xmit_one and ip_tunnel_xmit end in iptunnel_xmit -> ip_local_out:
   * OUTPUT, then ip_output: POSTROUTING; net/ipv4/ip_output.c) and receives it like any packet
   * for itself (ip_rcv: PREROUTING, ip_local_deliver: INPUT, and only then the VXLAN socket or
   * ipip_rcv take it; net/ipv4/ip_input.c). The hooks see the outer headers alone, with the
   * outer flow's own conntrack state: the nat table runs for the first packet of a flow only
   * (nf_nat_inet_fn walks the rules while the entry has no NAT binding, net/netfilter/
   * nf_nat_core.c), the other tables for every packet. The rules it matched go on the steps
   * already there, marked `outer`.
   */
  private outerHook(
    hook: NfHook,
    ns: NetNs,
    device: string | null,
    pkt: Packet,
    from?: number,
  ): WalkResult | null {
    const o = pkt.outer!
    // The same header objects: a rule that rewrote the outer packet would rewrite it here.
    const view: Packet = { l2: o.l2, l3: o.l3, l4: o.l4, app: null, outer: null }
    const first = hook === 'PREROUTING' || hook === 'OUTPUT'
    if (first || !this.outerNew.has(ns.id)) {
      const isNew = this.state.tunnelFlowIsNew(ns.id, {
        proto: o.l3.proto,
        src: o.l3.src,
        dst: o.l3.dst,
        sport: o.l4?.srcPort ?? 0,
        dport: o.l4?.dstPort ?? 0,
      })
      this.outerNew.set(ns.id, isNew)
    }
    // A packet off the wire carries no mark; the inner packet keeps the skb's after decap.
    if (hook === 'PREROUTING') this.mark = 0
    const saved = {
      newConnection: this.newConnection,
      reverse: this.reverse,
      natTested: this.natTested,
      natTrail: this.natTrail,
      bridgeIngress: this.bridgeIngress,
    }
    this.newConnection = this.outerNew.get(ns.id)!
    this.reverse = null
    this.natTested = []
    this.natTrail = null
    this.bridgeIngress = null
    this.outerRun = true
    try {
      // As runNf, function by function: nat rules a function keeps for a later hook to show
      // (IPVS shows them at INPUT, beside its own choice) no later hook shows for this packet,
      // so they go on the steps in the order they ran.
      for (const ops of this.hooks.at(hook)) {
        if (from !== undefined && ops.priority < from) continue
        const r = ops.fn(this, ns, device, view, hook)
        const kept = this.natTested.filter((l) => l.matched)
        this.natTested = []
        if (kept.length) this.passed(ns, kept, hook === 'POSTROUTING')
        if (r) return r
      }
      return null
    } finally {
      this.outerRun = false
      Object.assign(this, saved)
    }
  }

  tcIngress(ns: NetNs, link: Link, pkt: Packet): WalkResult | null {
    return this.hooks.runTcIngress(this, ns, link, pkt)
  }

  listenerAt(ns: NetNs, proto: string, port: number): ProxyListener | null {
    return this.hooks.listenerAt(this.state.cluster, ns, proto, port)
  }

  /**
   * A packet delivered without passing ip_rcv (the loopback short cut, see afterRoute) meets
   * only the INPUT hooks from IPVS's on: the model does not walk the filter table for it.
   */
  private localInput(ns: NetNs, link: Link | null, pkt: Packet): WalkResult | null {
    return this.nfHook('INPUT', ns, link?.name ?? null, pkt, NF_IP_PRI.NAT_SRC - 1)
  }

  /** Whether the packet being walked opens a connection (conntrack NEW) or belongs to one. */
  newConnection = true

  /** The trace's seed, for choices a real component makes from its history (round robin). */
  seed = 0

  /**
   * A new packet starts: a request opens a connection, a reply or answer belongs to one. With
   * `keepLast` its first step still reports what changed from the previous packet (a proxy's).
   */
  startPhase(phase: Phase, newConnection: boolean, keepLast = false): void {
    this.phase = phase
    this.newConnection = newConnection
    if (!keepLast) this.last = null
    this.mark = 0
    this.reverse = null
    this.bridgeIngress = null
    this.natTested = []
    this.natTrail = null
    this.flushPassed()
  }

  /**
   * `lookups` are the rules a packet matched at a hook that decided nothing. Before routing
   * (PREROUTING, OUTPUT, FORWARD, INPUT) they go on the next step in the namespace; after it
   * (POSTROUTING, `after`) on the last one there, the step that chose the way out. Either way
   * after that step's own entries, which are what decided the hop.
   */
  passed(ns: NetNs, lookups: Lookup[], after = false, note: Text | null = null): void {
    if (lookups.length === 0) return
    if (this.outerRun) lookups = lookups.map((l) => ({ ...l, outer: true }))
    const notes = note ? [note] : []
    const where = placeOf(this.where(ns))
    const last = this.steps.at(-1)
    if (after && last && placeOf(last.at) === where) {
      last.lookups = [...last.lookups, ...lookups]
      last.explain = withNotes(last.explain, notes)
      return
    }
    if (this.passedRules && this.passedRules.where === where) {
      this.passedRules.lookups.push(...lookups)
      this.passedRules.notes.push(...notes)
    } else {
      this.flushPassed()
      this.passedRules = { where, lookups: [...lookups], notes }
    }
  }

  /** Waiting rules whose namespace shows no further step: onto its last step so far. */
  private flushPassed(): void {
    const p = this.passedRules
    if (!p) return
    this.passedRules = null
    const step = [...this.steps].reverse().find((x) => placeOf(x.at) === p.where)
    if (step) {
      step.lookups = [...step.lookups, ...p.lookups]
      step.explain = withNotes(step.explain, p.notes)
    }
  }

  /** Where a namespace is, for a step's `at`. */
  where(ns: NetNs, extra: Partial<Location> = {}): Location {
    return {
      node: ns.node,
      pod: ns.pod,
      container: null,
      device: null,
      component: null,
      hook: null,
      ...extra,
    }
  }

  emit(
    action: Action,
    at: Location,
    pkt: Packet,
    lookups: Lookup[],
    explain: Text,
    opts: { sideMessage?: boolean } = {},
  ): void {
    const snapshot = clonePacket(pkt)
    const here = placeOf(at)
    if (this.passedRules && this.passedRules.where === here) {
      // After the step's own deciding entries: they say what decided the hop.
      lookups = [...lookups, ...this.passedRules.lookups]
      explain = withNotes(explain, this.passedRules.notes)
      this.passedRules = null
    } else this.flushPassed()
    this.steps.push({
      index: this.steps.length,
      phase: this.phase,
      at: at.component === null ? { ...at, component: defaultComponent(at) } : at,
      action,
      packet: snapshot,
      changed: opts.sideMessage ? [] : changedFields(this.last, snapshot),
      lookups,
      explain,
    })
    if (!opts.sideMessage) this.last = snapshot
    this.state.onStep?.(this.steps.length - 1)
  }

  drop(
    ns: NetNs | null,
    at: Partial<Location>,
    pkt: Packet,
    reason: Text,
    explain: Text,
    lookups: Lookup[] = [],
  ): WalkResult {
    const loc = ns
      ? this.where(ns, at)
      : { node: null, pod: null, container: null, device: null, component: null, hook: null, ...at }
    this.emit('drop', loc, pkt, lookups, explain)
    return { kind: 'dropped', reason }
  }

  /** The policy rule (when not a default one) and the route that decided, as `ip` prints them. */
  routeLookups(m: RouteMatch): Lookup[] {
    const out: Lookup[] = []
    if (m.rule) out.push({ table: 'ip rule', rule: formatRule(m.rule), matched: true })
    out.push({ table: routeCommand(m.route.table), rule: formatRoute(m.route), matched: true })
    return out
  }

  /** The address a socket gets when it does not bind one: the route's `src`, else eth0's. */
  selectSource(ns: NetNs, r: Route): string {
    if (r.src !== null) return formatIp(r.src)
    const dev = r.dev ? findLink(ns, r.dev) : undefined
    const a =
      dev?.addrs.find((x) => x.scope === 'global') ??
      ns.links.flatMap((l) => l.addrs).find((x) => x.scope === 'global')
    return a ? formatIp(a.ip) : '0.0.0.0'
  }

  /** An application in `from` writes the packet to its socket. */
  send(from: Endpoint, pkt: Packet, sendExplain: Text): WalkResult {
    const ns = this.state.ns(from.nsId)
    const dialled = `${pkt.l3!.dst}:${pkt.l4?.dstPort ?? 0}`
    // connect() (or a datagram's sendmsg) runs the socket programs before any packet exists.
    if (this.newConnection) {
      const failed = this.hooks.runConnect(this, from, ns, pkt)
      if (failed) return failed
    }
    // A socket program rewrote the address (Cilium's socket LB): the packet goes where it says.
    const wrote = `${pkt.l3!.dst}:${pkt.l4?.dstPort ?? 0}`
    if (wrote !== dialled) {
      const call = pkt.l3!.proto === 'udp' ? 'sendmsg()' : 'connect()'
      sendExplain = text(
        `${sendExplain.en} Its socket was already translated at ${call}, so the kernel builds the packet to ${wrote}, the backend the socket program wrote into it, not to ${dialled}; the application still sees ${dialled}.`,
        `${sendExplain['zh-CN']}它的套接字在 ${call} 时就已被转换，所以内核构造的包发往套接字程序写入的后端 ${wrote}，而不是 ${dialled}；应用看到的仍是 ${dialled}。`,
      )
    }
    const l3 = pkt.l3!
    let m = lookupRoute(ns, parseIp(l3.dst)!, null)
    if (m && l3.src === '') l3.src = this.selectSource(ns, m.route)
    this.emit(
      'send',
      this.where(ns, { container: from.container, component: from.process?.component ?? null }),
      pkt,
      [],
      sendExplain,
    )
    if (ns.kind === 'host' && m) {
      // Locally generated: the nat and filter OUTPUT hooks, then a new route if the destination changed.
      const stop = this.nfHook('OUTPUT', ns, null, pkt)
      if (stop) return stop
      m = lookupRoute(ns, parseIp(l3.dst)!, null)
    }
    if (!m) return this.noRoute(ns, pkt)
    return this.afterRoute(ns, null, pkt, m, true)
  }

  noRoute(ns: NetNs, pkt: Packet): WalkResult {
    return this.drop(
      ns,
      {},
      pkt,
      text('no route to host', '没有到主机的路由'),
      text(
        `No route in this namespace matches ${top(pkt).l3.dst}: the kernel gives up with "Network is unreachable".`,
        `此命名空间中没有任何路由匹配 ${top(pkt).l3.dst}：内核放弃发送，报错 “Network is unreachable”。`,
      ),
    )
  }

  /** Acts on a route decision: local delivery, blackhole, or on to the next hop. */
  afterRoute(
    ns: NetNs,
    inLink: Link | null,
    pkt: Packet,
    m: RouteMatch,
    local: boolean,
  ): WalkResult {
    const r = m.route
    const lookups = this.routeLookups(m)
    const dst = top(pkt).l3.dst
    if (r.type === 'local' || r.type === 'broadcast') {
      if (!local)
        return this.localInput(ns, inLink, pkt) ?? deliverLocal(this, ns, inLink, pkt, lookups)
      // Traffic to one of the namespace's own addresses never leaves it: it goes through lo.
      this.emit(
        'route',
        this.where(ns, { device: 'lo' }),
        pkt,
        lookups,
        text(
          `${dst} is an address of this network namespace (table local), so the packet will not leave it: the kernel hands it to the loopback device.`,
          `${dst} 是本网络命名空间自己的地址（local 表），所以这个包不会离开它：内核把它交给回环设备 lo。`,
        ),
      )
      // A reply out through lo still passes nat POSTROUTING, where conntrack undoes a DNAT (a
      // local client of userspace kube-proxy). New connections keep the old path (IPVS's).
      if (this.reverse) {
        const stop = this.nfHook('POSTROUTING', ns, 'lo', pkt)
        if (stop) return stop
      }
      pkt.l2 = { src: '00:00:00:00:00:00', dst: '00:00:00:00:00:00' }
      const lo = findLink(ns, 'lo')!
      this.emit(
        'loopback',
        this.where(ns, { device: 'lo' }),
        pkt,
        [],
        text(
          ns.kind === 'pod'
            ? `The packet loops through lo (MTU ${lo.mtu}) and never leaves the Pod. Every container of the Pod shares this one network namespace, created for the Pod's sandbox (the pause container, ${SANDBOX_IMAGE}) before any app container started: one IP, one port space, one lo. That is how containers of a Pod reach each other on localhost.`
            : `The packet loops through lo (MTU ${lo.mtu}) inside the node's own network namespace.`,
          ns.kind === 'pod'
            ? `包经过 lo（MTU ${lo.mtu}）绕回，从不离开 Pod。Pod 的所有容器共享这一个网络命名空间；它在任何应用容器启动之前就为 Pod 的沙箱（pause 容器，${SANDBOX_IMAGE}）创建好了：一个 IP、一套端口、一个 lo。同一 Pod 的容器就是这样通过 localhost 互相访问的。`
            : `包在节点自己的网络命名空间内经过 lo（MTU ${lo.mtu}）绕回。`,
        ),
      )
      return this.localInput(ns, lo, pkt) ?? deliverLocal(this, ns, lo, pkt, [])
    }
    if (r.type === 'blackhole') {
      return this.drop(
        ns,
        {},
        pkt,
        text('blackhole route', '黑洞路由'),
        text(
          `The route for ${dst} is a blackhole: this node owns that address block but no Pod has ${dst}, so the kernel discards the packet instead of sending it elsewhere.`,
          `${dst} 匹配到一条 blackhole 路由：本节点拥有这个地址块，但没有 Pod 使用 ${dst}，所以内核直接丢弃这个包，而不是把它发往别处。`,
        ),
        lookups,
      )
    }
    const dev = findLink(ns, r.dev!)!
    const nexthop = r.via !== null ? r.via : parseIp(dst)!
    if (!local) {
      const t = top(pkt).l3
      t.ttl -= 1
      if (t.ttl <= 0) {
        return this.drop(
          ns,
          { device: dev.name },
          pkt,
          text('ttl exceeded', 'TTL 耗尽'),
          text(
            'The TTL reached 0: the kernel drops the packet and sends back ICMP Time Exceeded.',
            'TTL 减到了 0：内核丢弃这个包，并回送 ICMP Time Exceeded。',
          ),
          lookups,
        )
      }
    }
    if (dev.kind === 'vxlan' || dev.kind === 'ipip') {
      this.emit(
        'route',
        this.where(ns, { device: dev.name }),
        pkt,
        lookups,
        tunnelRouteExplain(ns, dev, nexthop, dst, local, pkt),
      )
      const stop = this.nfHook('POSTROUTING', ns, dev.name, pkt)
      if (stop) return stop
      return dev.kind === 'vxlan'
        ? vxlanTransmit(this, ns, dev, nexthop, pkt)
        : ipipTransmit(this, ns, dev, nexthop, pkt)
    }
    const known = this.state.neigh(ns.id).find((n) => n.ip === nexthop && n.dev === dev.name)
    const neighLookups = known
      ? [{ table: 'ip neigh', rule: formatNeigh(known), matched: true }]
      : []
    if (known) top(pkt).setL2({ src: dev.mac!, dst: known.lladdr })
    this.emit(
      'route',
      this.where(ns, { device: dev.name }),
      pkt,
      [...lookups, ...neighLookups],
      routeExplain(ns, r, dev, nexthop, dst, local, pkt, !!known),
    )
    const stop = this.nfHook('POSTROUTING', ns, dev.name, pkt)
    if (stop) return stop
    if (!known) {
      const mac = resolveNeighbour(this, ns, dev, nexthop, pkt)
      if (mac === null) {
        return this.drop(
          ns,
          { device: dev.name },
          pkt,
          text('neighbour unreachable', '邻居不可达'),
          text(
            `Nobody answered the ARP request for ${formatIp(nexthop)}, so the frame cannot be addressed; the neighbour entry becomes FAILED and the packet is dropped.`,
            `没有人应答对 ${formatIp(nexthop)} 的 ARP 请求，帧无法填写目的 MAC；邻居表项变为 FAILED，包被丢弃。`,
          ),
        )
      }
      top(pkt).setL2({ src: dev.mac!, dst: mac })
    }
    return this.transmit(ns, dev, pkt)
  }

  /** Puts a frame on a link. */
  transmit(ns: NetNs, link: Link, pkt: Packet): WalkResult {
    // tc egress runs as the device transmits (sch_handle_egress in __dev_queue_xmit).
    const tc = this.hooks.runTcEgress(this, ns, link, pkt)
    if (tc) return tc
    switch (link.kind) {
      case 'veth': {
        const peer = link.peer!
        const peerNs = this.state.ns(peer.ns)
        const peerLink = findLink(peerNs, peer.ifname)!
        const into = peerNs.kind === 'pod' ? `Pod ${peerNs.pod}` : `node ${peerNs.node}`
        // What decides this hop is the link itself: the first two lines `ip -d addr show` prints
        // for it name the peer's ifindex (@ifN) and the namespace it lives in (link-netns).
        const shown = formatLink(link, netnsName(peerNs))
        this.emit(
          'veth',
          this.where(peerNs, { device: peerLink.name }),
          pkt,
          [
            {
              table: `ip -d addr show ${link.name}${ns.kind === 'pod' ? ` (in Pod ${ns.pod})` : ''}`,
              rule: `${shown[0]}  ${shown[1]!.trim()}`,
              matched: true,
            },
          ],
          text(
            `The frame crosses the veth pair: what is written to ${link.name}@if${peer.ifindex} comes out of ${peerLink.name}@if${link.ifindex} in ${into}'s network namespace. A veth pair is a virtual cable with one end in each namespace.`,
            `帧穿过 veth 对：写入 ${link.name}@if${peer.ifindex} 的数据从${into === `node ${peerNs.node}` ? `节点 ${peerNs.node}` : ` Pod ${peerNs.pod}`} 的网络命名空间里的 ${peerLink.name}@if${link.ifindex} 出来。veth 对就像一根虚拟网线，两端各在一个命名空间里。`,
          ),
        )
        // A veth crossing namespaces scrubs the skb, its mark too (veth_xmit -> __dev_forward_skb
        // -> skb_scrub_packet(skb, xnet), net/core/skbuff.c).
        if (peerNs !== ns) this.mark = 0
        return this.receive(peerNs, peerLink, pkt)
      }
      case 'bridge':
        return bridgeTransmit(this, ns, link, pkt)
      case 'ether':
        return underlayTransmit(this, ns, link, pkt)
      default:
        return this.drop(
          ns,
          { device: link.name },
          pkt,
          text('unsupported device', '不支持的设备'),
          text(`PodPath cannot send on ${link.name}.`, `PodPath 无法从 ${link.name} 发送。`),
        )
    }
  }

  /** A frame arrives on a link: to its bridge if it is a port, else up to IP. */
  receive(ns: NetNs, link: Link, pkt: Packet): WalkResult {
    // tc ingress runs before the bridge and IP (sch_handle_ingress in __netif_receive_skb_core).
    const tc = this.tcIngress(ns, link, pkt)
    if (tc) return tc
    if (link.master) return bridgeInput(this, ns, findLink(ns, link.master)!, link, pkt)
    return this.ipReceive(ns, link, pkt)
  }

  /** ip_rcv: route the packet: up to a local socket or tunnel, or forward it. */
  ipReceive(ns: NetNs, link: Link, pkt: Packet): WalkResult {
    const pre = this.nfHook('PREROUTING', ns, link.name, pkt)
    if (pre) return pre
    const l3 = top(pkt).l3
    const m = lookupRoute(ns, parseIp(l3.dst)!, parseIp(l3.src))
    if (!m) return this.noRoute(ns, pkt)
    if (m.route.type === 'local' || m.route.type === 'broadcast') {
      if (pkt.outer) {
        // ip_local_deliver runs INPUT before the tunnel's receive function (ip_input.c).
        const stop = this.nfHook('INPUT', ns, link.name, pkt)
        if (stop) return stop
        return decapsulate(this, ns, pkt, this.routeLookups(m))
      }
      const stop = this.nfHook('INPUT', ns, link.name, pkt)
      if (stop) return stop
      return deliverLocal(this, ns, link, pkt, this.routeLookups(m))
    }
    if (!ns.ipForward) {
      return this.drop(
        ns,
        { device: link.name },
        pkt,
        text('not a router', '这里不转发（IP 转发已关闭）'),
        text(
          `${l3.dst} is not an address of this namespace and IP forwarding is off here, so the packet is dropped.`,
          `${l3.dst} 不是本命名空间的地址，而这里没有开启 IP 转发，所以包被丢弃。`,
        ),
      )
    }
    // FORWARD knows both devices (nf_hook_state in and out): the route's is the way out.
    const stop = this.nfHook('FORWARD', ns, link.name, pkt, undefined, m.route.dev)
    if (stop) return stop
    return this.afterRoute(ns, link, pkt, m, false)
  }
}
function tunnelRouteExplain(
  ns: NetNs,
  dev: Link,
  nexthop: number,
  dst: string,
  local: boolean,
  pkt: Packet,
): Text {
  const kind = dev.kind === 'vxlan' ? 'VXLAN' : 'IP-in-IP'
  const ttl = top(pkt).l3.ttl
  const fwd = local
    ? { en: '', zh: '' }
    : {
        en: ` Forwarding (net.ipv4.ip_forward=1), the node decrements the TTL to ${ttl}.`,
        zh: `节点在转发（net.ipv4.ip_forward=1），把 TTL 减为 ${ttl}。`,
      }
  return text(
    `Node ${ns.node} looks up ${dst}: the route for that Pod block goes "via ${formatIp(nexthop)}" on ${dev.name}, a ${kind} tunnel device, because ${dst} lives on another node.${fwd.en}`,
    `节点 ${ns.node} 查找 ${dst}：那个 Pod 地址块的路由经 ${dev.name}（一个 ${kind} 隧道设备）“via ${formatIp(nexthop)}”，因为 ${dst} 在另一个节点上。${fwd.zh}`,
  )
}

function routeExplain(
  ns: NetNs,
  r: Route,
  dev: Link,
  nexthop: number,
  dst: string,
  local: boolean,
  pkt: Packet,
  known: boolean,
): Text {
  const hop = r.via !== null ? `via ${formatIp(nexthop)}` : 'directly (on-link)'
  const hopZh = r.via !== null ? `经下一跳 ${formatIp(nexthop)}` : '直接（同一链路）'
  const who = ns.kind === 'pod' ? `Pod ${ns.pod}` : `node ${ns.node}`
  const whoZh = ns.kind === 'pod' ? `Pod ${ns.pod}` : `节点 ${ns.node}`
  const ttl = top(pkt).l3.ttl
  const fwd = local
    ? { en: '', zh: '' }
    : {
        en: ` The node is forwarding (net.ipv4.ip_forward=1), so it decrements the TTL to ${ttl}.`,
        zh: `节点在转发这个包（net.ipv4.ip_forward=1），所以把 TTL 减为 ${ttl}。`,
      }
  const mac = known
    ? {
        en: ` The neighbour table already has ${formatIp(nexthop)}'s MAC.`,
        zh: `邻居表里已有 ${formatIp(nexthop)} 的 MAC 地址。`,
      }
    : {
        en: ` It does not know ${formatIp(nexthop)}'s MAC yet, so it must ask with ARP first.`,
        zh: `它还不知道 ${formatIp(nexthop)} 的 MAC 地址，所以要先用 ARP 询问。`,
      }
  return text(
    `In ${who}, the longest matching route for ${dst} sends it out ${dev.name} ${hop}.${fwd.en}${mac.en}`,
    `在${whoZh} 中，匹配 ${dst} 的最长前缀路由让它从 ${dev.name} 发出，${hopZh}。${fwd.zh}${mac.zh}`,
  )
}

/** Which network namespace a step is in, as far as its location says. */
function placeOf(at: Location): string {
  return `${at.node ?? ''}|${at.pod ?? ''}`
}

/**
 * Who acts at a step that names no component itself. A process in a container (it sends, it
 * receives) is the application; anything else inside a node or Pod network namespace is the Linux
 * kernel: routing, neighbour resolution, veth and bridge forwarding, tunnels, netfilter and
 * conntrack (the `hook` says which netfilter hook). Components that program the kernel
 * (kube-proxy) or run as processes (CoreDNS, controllers) set their own name where they act.
 * Steps outside every node always name the component they happen in.
 */
export function defaultComponent(at: Location): string | null {
  if (at.container) return 'app'
  if (at.node || at.pod) return 'kernel'
  return null
}
