/**
 * The CNI `bridge` plugin with `host-local` IPAM (containernetworking/plugins): a Linux bridge
 * per node holding the gateway address, one veth pair per Pod. flannel delegates to it.
 */
import { formatCidr, subnetAt, cidrContains, cidrsOverlap, type Cidr } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import { stableRandomHex8, stableRandomMac } from '../hash.ts'
import { findLink, newLink, route, type Link, type Route } from '../net/netns.ts'
import { nsOf, report, type BuildContext } from '../assemble/context.ts'
import { addAddress, nextIfindex } from '../assemble/host.ts'
import { createVethPair } from '../assemble/veth.ts'

/** The gateway is the range's first address, `.1` (bridge.go calcGatewayIP; host-local Canonicalize). */
export function gatewayOf(podCIDR: Cidr): number {
  return (podCIDR.base + 1) >>> 0
}

/**
 * host-local hands out addresses from .1 up to broadcast-1, skipping the gateway, so the first
 * Pod gets .2 (plugins/ipam/host-local/backend/allocator range.go, allocator.go).
 */
export function* hostLocalAddresses(podCIDR: Cidr): Iterable<number> {
  const size = 2 ** (32 - podCIDR.prefix)
  for (let i = 2; i < size - 1; i++) yield (podCIDR.base + i) >>> 0
}

export function hostLocalOwns(podCIDR: Cidr | null, ip: number): boolean {
  if (!podCIDR || !cidrContains(podCIDR, ip)) return false
  const off = ip - podCIDR.base
  return off >= 2 && off < 2 ** (32 - podCIDR.prefix) - 1
}

/**
 * One Pod CIDR per node, as kube-controller-manager's range allocator assigns them: the first
 * free subnet of the cluster CIDR, in node order. flannel's SubnetLen defaults to 24
 * (flannel pkg/subnet/config.go).
 */
export function assignNodePodCIDRs(ctx: BuildContext, subnetLen = 24): void {
  const cluster = ctx.decl.clusterCIDR
  const taken: Cidr[] = []
  for (const n of ctx.nodes) {
    if (!n.podCIDR) continue
    if (!cidrContains(cluster, n.podCIDR.base) || n.podCIDR.prefix < cluster.prefix) {
      report(
        ctx,
        whereOf(ctx, n),
        text(
          `podCIDR ${formatCidr(n.podCIDR)} of node ${n.name} is outside the cluster CIDR ${formatCidr(cluster)}`,
          `节点 ${n.name} 的 podCIDR ${formatCidr(n.podCIDR)} 不在集群 CIDR ${formatCidr(cluster)} 之内`,
        ),
      )
      continue
    }
    const clash = ctx.nodes.find(
      (o) => o !== n && o.podCIDR && o.index < n.index && cidrsOverlap(o.podCIDR, n.podCIDR!),
    )
    if (clash) {
      report(
        ctx,
        whereOf(ctx, n),
        text(
          `podCIDR ${formatCidr(n.podCIDR)} of node ${n.name} overlaps ${formatCidr(clash.podCIDR!)} of node ${clash.name}`,
          `节点 ${n.name} 的 podCIDR ${formatCidr(n.podCIDR)} 与节点 ${clash.name} 的 ${formatCidr(clash.podCIDR!)} 重叠`,
        ),
      )
    }
    taken.push(n.podCIDR)
  }
  let next = 0
  for (const n of ctx.nodes) {
    if (n.podCIDR) continue
    for (;;) {
      const c = subnetAt(cluster, Math.max(subnetLen, cluster.prefix), next++)
      if (!c) {
        report(
          ctx,
          whereOf(ctx, n),
          text(
            `the cluster CIDR ${formatCidr(cluster)} has no free /${subnetLen} left for node ${n.name}`,
            `集群 CIDR ${formatCidr(cluster)} 已没有空闲的 /${subnetLen} 可分给节点 ${n.name}`,
          ),
        )
        break
      }
      if (taken.some((t) => cidrsOverlap(t, c))) continue
      n.podCIDR = c
      taken.push(c)
      break
    }
  }
}

export function whereOf(ctx: BuildContext, n: BuiltNode) {
  return { ...ctx.decl.where, object: `Node/${n.name}` }
}

/** The bridge, created with the plugin's MTU and the gateway address (bridge.go ensureAddr). */
export function ensureBridge(ctx: BuildContext, node: BuiltNode, mtu: number): Link {
  const ns = nsOf(ctx, node.nsId)
  const name = ctx.decl.cni.bridgeName
  const existing = findLink(ns, name)
  if (existing) return existing
  const br = newLink(
    nextIfindex(ns),
    name,
    'bridge',
    mtu,
    stableRandomMac(`node:${node.name}:${name}`),
  )
  ns.links.push(br)
  addAddress(ns, br, gatewayOf(node.podCIDR!), node.podCIDR!.prefix)
  // The bridge's own address is a permanent entry of its forwarding database.
  ns.fdb.push({
    mac: br.mac!,
    dev: br.name,
    master: br.name,
    dst: null,
    self: false,
    permanent: true,
  })
  return br
}

export interface BridgePodOptions {
  mtu: number
  hairpin: boolean
  /** Routes the Pod gets besides its connected one (default via the gateway; flannel adds the cluster CIDR). */
  extraRoutes: Cidr[]
}

export function attachPodToBridge(
  ctx: BuildContext,
  node: BuiltNode,
  pod: BuiltPod,
  o: BridgePodOptions,
): void {
  const br = ensureBridge(ctx, node, o.mtu)
  const key = `${pod.namespace}/${pod.name}`
  // RandomVethName: "veth" + 4 random bytes in hex (plugins pkg/ip/link_linux.go).
  const { podNs, hostVeth, hostNs } = createVethPair(ctx, node, pod, {
    hostName: `veth${stableRandomHex8(key)}`,
    hostMac: stableRandomMac(`pod:${key}:host`),
    podMac: stableRandomMac(`pod:${key}:eth0`),
    mtu: o.mtu,
    prefix: node.podCIDR!.prefix,
  })
  hostVeth.master = br.name
  hostVeth.hairpin = o.hairpin
  // The port's own address is a permanent ("local") entry of the bridge's forwarding database.
  hostNs.fdb.push({
    mac: hostVeth.mac!,
    dev: hostVeth.name,
    master: br.name,
    dst: null,
    self: false,
    permanent: true,
  })
  const gw = gatewayOf(node.podCIDR!)
  const routes: Route[] = [route({ dst: 'default', via: gw, dev: 'eth0' })]
  for (const dst of o.extraRoutes) routes.push(route({ dst, via: gw, dev: 'eth0' }))
  podNs.routes.push(...routes)
}
