/**
 * flannel (flannel-io/flannel): one /24 per node from the cluster CIDR; Pods plug into `cni0`
 * through the bridge plugin (kube-flannel.yml delegates with hairpinMode and isDefaultGateway);
 * other nodes' subnets are reached through `flannel.1` (vxlan) or directly (host-gw).
 */
import { formatCidr, formatIp } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import { stableRandomMac } from '../hash.ts'
import { newLink, route } from '../net/netns.ts'
import { nsOf, report, type BuildContext } from '../assemble/context.ts'
import { addAddress, nextIfindex } from '../assemble/host.ts'
import type { CniDataplane } from './dataplane.ts'
import { joinCniIptables } from './cni-iptables.ts'
import { flannelForwardRules } from './flannel-forward.ts'
import { POLICY_NOT_ENFORCED } from './policy-support.ts'
import { flannelMasqRules } from './flannel-masq.ts'
import {
  assignNodePodCIDRs,
  attachPodToBridge,
  hostLocalAddresses,
  hostLocalOwns,
  whereOf,
} from './linux-bridge.ts'

// flannel pkg/backend/vxlan/vxlan.go: defaultVNI = 1, device "flannel.<VNI>".
export const FLANNEL_DEFAULT_VNI = 1
// flannel sets no port, so the kernel's default applies: drivers/net/vxlan vxlan_port = 8472
// ("the IANA assigned port is 4789, but the Linux default is 8472 for compatibility").
export const LINUX_VXLAN_DEFAULT_PORT = 8472
// Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 (include/net/vxlan.h VXLAN_HEADROOM).
export const VXLAN_OVERHEAD = 50

export function flannelDataplane(backend: 'vxlan' | 'host-gw'): CniDataplane {
  const overhead = backend === 'vxlan' ? VXLAN_OVERHEAD : 0
  return {
    overhead,
    policyNotEnforced: POLICY_NOT_ENFORCED.flannel,
    prepareNodes(ctx) {
      assignNodePodCIDRs(ctx)
      prepareFlannelNodes(ctx, backend)
    },
    podAddresses: (_ctx, node) => (node.podCIDR ? hostLocalAddresses(node.podCIDR) : []),
    ownsAddress: (_ctx, node, ip) => hostLocalOwns(node.podCIDR, ip),
    setupNode: (ctx, node) => setupFlannelNode(ctx, node, backend),
    // On every node that holds a lease: --ip-masq's FLANNEL-POSTRTG chain (main.go sets it up
    // first), then the FLANNEL-FWD chain of --iptables-forward-rules (default true).
    iptables: (ctx, node) => {
      const none = { natChains: [], rules: [], jumps: [] }
      if (!node.podCIDR) return none
      const masq = ctx.decl.cni.ipMasq ? flannelMasqRules(ctx.decl.clusterCIDR, node.podCIDR) : none
      return joinCniIptables(masq, flannelForwardRules(ctx.decl.clusterCIDR))
    },
    setupPod(ctx, node: BuiltNode, pod: BuiltPod) {
      if (!node.podCIDR) return
      attachPodToBridge(ctx, node, pod, {
        mtu: ctx.mtu - overhead,
        hairpin: true,
        // flannel's CNI plugin adds a route to FLANNEL_NETWORK via the gateway.
        extraRoutes: [ctx.decl.clusterCIDR],
      })
    },
  }
}

/** Each node's VTEP (vxlan) or the one-segment check (host-gw); canal runs flannel the same way. */
export function prepareFlannelNodes(ctx: BuildContext, backend: 'vxlan' | 'host-gw'): void {
  for (const n of ctx.nodes) {
    if (backend === 'vxlan' && n.podCIDR) {
      // flannel.1 carries the subnet's network address as /32 (configureDeviceIPv4IPv6).
      n.tunnelIp = n.podCIDR.base
      // pkg/mac NewHardwareAddr: random, locally administered; published as the lease's VtepMAC,
      // and flanneld reuses it on restart. A Node that publishes it (backend-data) has that MAC.
      n.vtepMac = n.annotations.flannel?.vtepMac ?? stableRandomMac(`node:${n.name}:flannel-vtep`)
    }
  }
  if (backend === 'host-gw') requireOneL2(ctx, 'flannel host-gw')
}

export function setupFlannelNode(
  ctx: BuildContext,
  node: BuiltNode,
  backend: 'vxlan' | 'host-gw',
): void {
  if (!node.podCIDR) return
  if (backend === 'vxlan') setupVxlan(ctx, node)
  else setupHostGw(ctx, node)
}

function setupVxlan(ctx: BuildContext, node: BuiltNode): void {
  const ns = nsOf(ctx, node.nsId)
  const vni = ctx.decl.cni.vni ?? FLANNEL_DEFAULT_VNI
  const port = ctx.decl.cni.port ?? LINUX_VXLAN_DEFAULT_PORT
  const dev = newLink(
    nextIfindex(ns),
    `flannel.${vni}`,
    'vxlan',
    ctx.mtu - VXLAN_OVERHEAD,
    node.vtepMac,
  )
  dev.vxlan = { vni, port, local: node.ip, dev: 'eth0', learning: false }
  ns.links.push(dev)
  addAddress(ns, dev, node.tunnelIp!, 32)
  // For each remote lease, handleSubnetEvents installs neighbour, then FDB, then route.
  for (const other of ctx.nodes) {
    if (other === node || !other.podCIDR || !other.vtepMac) continue
    ns.neigh.push({ ip: other.tunnelIp!, dev: dev.name, lladdr: other.vtepMac, state: 'PERMANENT' })
    ns.fdb.push({
      mac: other.vtepMac,
      dev: dev.name,
      master: null,
      dst: other.ip,
      self: true,
      permanent: true,
    })
    ns.routes.push(route({ dst: other.podCIDR, via: other.tunnelIp!, dev: dev.name, onlink: true }))
  }
}

function setupHostGw(ctx: BuildContext, node: BuiltNode): void {
  const ns = nsOf(ctx, node.nsId)
  for (const other of ctx.nodes) {
    if (other === node || !other.podCIDR) continue
    ns.routes.push(route({ dst: other.podCIDR, via: other.ip, dev: 'eth0' }))
  }
}

/**
 * Routing Pod subnets straight to another node's address works only when that address is on the
 * same layer-2 network: the kernel refuses a gateway it cannot reach directly.
 */
export function requireOneL2(ctx: BuildContext, what: string): void {
  const first = ctx.nodes[0]
  if (!first) return
  for (const n of ctx.nodes) {
    if (n.subnet.base === first.subnet.base && n.subnet.prefix === first.subnet.prefix) continue
    report(
      ctx,
      whereOf(ctx, n),
      text(
        `${what} needs every node on one layer-2 network, but ${n.name} (${formatIp(n.ip)}) is not in ${formatCidr(first.subnet)}: a route "via ${formatIp(n.ip)}" could not be installed on ${first.name}. Use an overlay (VXLAN or IP-in-IP) instead.`,
        `${what} 要求所有节点在同一个二层网络中，但 ${n.name}（${formatIp(n.ip)}）不在 ${formatCidr(first.subnet)} 内：${first.name} 上无法安装 “via ${formatIp(n.ip)}” 的路由。请改用 VXLAN 或 IP-in-IP 这类 overlay。`,
      ),
    )
  }
}
