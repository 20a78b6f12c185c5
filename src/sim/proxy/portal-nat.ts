/**
 * kube-proxy userspace mode at the nat hooks: its "portal" rules send a Service's traffic to
 * kube-proxy's own socket. From a container (nat PREROUTING) the rule is REDIRECT, which in the
 * kernel (net/netfilter/nf_nat_redirect.c nf_nat_redirect_ipv4) means DNAT to the primary
 * address of the interface the packet came in on, or to 127.0.0.1 for a locally generated packet
 * (nat OUTPUT); for the node's own traffic kube-proxy DNATs to the node's address instead.
 */
import { formatIp } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import { findLink, type NetNs } from '../net/netns.ts'
import type { ChainWalk } from './netfilter.ts'
import { userspacePortals } from './userspace-rules.ts'
import { formatConntrack, type CtEntry, type Tuple } from '../walk/conntrack.ts'
import type { Walk, WalkResult } from '../walk/api.ts'

const LOOPBACK = '127.0.0.1'

/** The address REDIRECT rewrites the destination to, or null when the kernel drops the packet. */
export function redirectAddress(
  ns: NetNs,
  hook: 'PREROUTING' | 'OUTPUT',
  inDevice: string | null,
): string | null {
  if (hook === 'OUTPUT') return LOOPBACK
  // The first (primary) IPv4 address of the incoming device; none means NF_DROP.
  const dev = inDevice ? findLink(ns, inDevice) : undefined
  const primary = dev?.addrs[0]
  return primary ? formatIp(primary.ip) : null
}

/** Applies a portal rule's REDIRECT or DNAT, records it in conntrack and explains it. */
export function portalNat(
  w: Walk,
  ns: NetNs,
  device: string | null,
  pkt: Packet,
  hook: 'PREROUTING' | 'OUTPUT',
  r: ChainWalk,
  before: Tuple,
  table: CtEntry[],
): WalkResult | null {
  const v = r.verdict
  if (v.kind !== 'redirect' && v.kind !== 'dnat') return null
  const at = w.where(ns, { device, hook, component: 'kube-proxy' })
  const newIp = v.kind === 'dnat' ? formatIp(v.ip) : redirectAddress(ns, hook, device)
  if (newIp === null) {
    return w.drop(
      ns,
      { device, hook },
      pkt,
      text('redirect: no address on the incoming interface', 'REDIRECT：入接口上没有地址'),
      text(
        `kube-proxy's rule REDIRECTs the packet to its own socket, but REDIRECT sends it to the primary address of the interface it came in on, and ${device} has no IPv4 address: the kernel drops it.`,
        `kube-proxy 的规则用 REDIRECT 把包送往它自己的套接字，但 REDIRECT 的目标是包进入的那个接口的主地址，而 ${device} 没有 IPv4 地址：内核丢弃了这个包。`,
      ),
      r.tested,
    )
  }
  const port = v.port
  pkt.l3!.dst = newIp
  pkt.l4!.dstPort = port
  const entry: CtEntry = {
    proto: pkt.l3!.proto,
    orig: before,
    reply: { src: newIp, dst: before.src, sport: port, dport: before.sport },
    replied: false,
    nat: v.kind === 'redirect' ? 'redirect' : 'dnat',
  }
  table.push(entry)
  w.state.conntrack.set(ns.id, table)
  const portal = userspacePortals(w.state.cluster, ns.node).find((p) => p.proxyPort === port)
  const chain =
    r.tested
      .filter((l) => l.matched)
      .at(-1)
      ?.table.split(' ')
      .at(-1) ?? ''
  const nodePort = chain.startsWith('KUBE-NODEPORT')
  const svc = !portal
    ? { en: `${before.dst}:${before.dport}`, zh: `${before.dst}:${before.dport}` }
    : nodePort
      ? {
          en: `node port ${before.dport} of Service ${portal.spn}`,
          zh: `Service ${portal.spn} 的节点端口 ${before.dport}`,
        }
      : { en: `the ClusterIP of Service ${portal.spn}`, zh: `Service ${portal.spn} 的 ClusterIP` }
  const lookups: Lookup[] = [
    ...r.tested,
    { table: 'conntrack -L', rule: formatConntrack(entry), matched: true },
  ]
  const how =
    v.kind === 'redirect'
      ? {
          en: `The rule is REDIRECT --to-ports ${port}: the kernel rewrites the destination to the primary address of the interface the packet came in on (${device}, ${newIp}) and the port to ${port}.`,
          zh: `规则是 REDIRECT --to-ports ${port}：内核把目的地址改写为包进入的接口（${device}）的主地址 ${newIp}，端口改为 ${port}。`,
        }
      : {
          en: `The rule DNATs to ${newIp}:${port}, the node's own address (that of the interface with the default route). For the node's own traffic kube-proxy does not use REDIRECT: in OUTPUT, REDIRECT sends the packet to 127.0.0.1, and kube-proxy's authors found that the answers then came back from another address, which broke DNS; so it DNATs to a non-loopback address of the node.`,
          zh: `规则把它 DNAT 到 ${newIp}:${port}，即本节点自己的地址（默认路由所在接口的地址）。对节点自己发出的流量，kube-proxy 不用 REDIRECT：在 OUTPUT 中 REDIRECT 会把包送到 127.0.0.1，而 kube-proxy 的作者发现这样应答会从另一个地址回来，导致 DNS 出错；所以它改为 DNAT 到节点的一个非回环地址。`,
        }
  w.emit(
    'dnat',
    at,
    pkt,
    lookups,
    text(
      `kube-proxy runs in userspace mode. Its nat ${hook} rules (chain ${chain}) match ${before.dst}:${before.dport}, ${svc.en}, and send the packet not to a Pod but to kube-proxy itself, which listens on port ${port} for this Service port. ${how.en} No endpoint is chosen here: that is kube-proxy's job once the connection reaches it. conntrack records the translation, so the replies kube-proxy writes will carry ${before.dst}:${before.dport} again.`,
      `kube-proxy 运行在 userspace 模式。它在 nat ${hook} 中的规则（链 ${chain}）匹配到 ${before.dst}:${before.dport}，即${svc.zh}，但并不把包送往某个 Pod，而是送给 kube-proxy 自己：它为这个 Service 端口监听着端口 ${port}。${how.zh}这里并不选择端点：连接到达 kube-proxy 之后由它来选。conntrack 记下这次转换，所以 kube-proxy 写回的应答会重新带上 ${before.dst}:${before.dport}。`,
    ),
  )
  return null
}
