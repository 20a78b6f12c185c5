/**
 * Cilium (cilium/cilium) in tunnel mode with VXLAN, as its agent and CNI plugin set a node up:
 * no bridge; each Pod's veth is `lxc` + a hash with cil_from_container on its tc ingress; the
 * cilium_host / cilium_net pair holds the node's router address, the Pods' gateway; the
 * flow-based cilium_vxlan (UDP 8472) with cil_from_overlay on its tc ingress carries Pod traffic
 * to other nodes. The BPF programs, not the routing table, move Pod traffic (./bpf-lxc.ts).
 */
import type { BuiltNode, BuiltPod } from '../../cluster.ts'
import { stableRandomMac } from '../../hash.ts'
import { newLink, route } from '../../net/netns.ts'
import { nsOf, type BuildContext } from '../../assemble/context.ts'
import { addAddress, nextIfindex } from '../../assemble/host.ts'
import { createVethPair } from '../../assemble/veth.ts'
import type { CniDataplane } from '../dataplane.ts'
import { assignNodePodCIDRs } from '../linux-bridge.ts'
import { VXLAN_OVERHEAD } from '../flannel.ts'
import { ciliumAllocations, ciliumRangeOwns } from './ipam.ts'
import { FROM_NETDEV } from './bpf-nodeport.ts'
import {
  CILIUM_HOST,
  CILIUM_NET,
  CILIUM_VXLAN,
  CILIUM_VXLAN_PORT,
  FROM_CONTAINER,
  FROM_HOST,
  FROM_OVERLAY,
  lxcName,
  sandboxContainerId,
} from './names.ts'

export function ciliumDataplane(): CniDataplane {
  return {
    overhead: VXLAN_OVERHEAD,
    prepareNodes(ctx) {
      // The operator's cluster-pool hands out node CIDRs (clusterPoolIPv4MaskSize 24 by default).
      assignNodePodCIDRs(ctx)
      for (const n of ctx.nodes)
        if (n.podCIDR) n.routerIp = ciliumAllocations(n.name, n.podCIDR).next().value!
    },
    *podAddresses(_ctx, node) {
      if (!node.podCIDR) return
      const all = ciliumAllocations(node.name, node.podCIDR)
      all.next() // the router's, taken when the agent started
      yield* all
    },
    ownsAddress: (_ctx, node, ip) => ciliumRangeOwns(node.podCIDR, ip) && ip !== node.routerIp,
    // pkg/mtu: the devices keep the underlay's MTU (DeviceMTU); the tunnel's 50 bytes come off
    // the routes instead (RouteMTU), as the Pod's default route shows.
    podMtu: (ctx) => ctx.mtu,
    setupNode,
    setupPod,
  }
}

function setupNode(ctx: BuildContext, node: BuiltNode): void {
  if (!node.podCIDR || node.routerIp === null) return
  const ns = nsOf(ctx, node.nsId)
  const device = (name: string, kind: 'veth' | 'vxlan') => {
    const l = newLink(
      nextIfindex(ns),
      name,
      kind,
      ctx.mtu,
      stableRandomMac(`node:${node.name}:${name}`),
    )
    ns.links.push(l)
    return l
  }
  // cilium_host and cilium_net: a veth pair with both ends on the host (pkg/datapath/loader).
  // bpf/bpf_host.c: cil_from_netdev on the native device's tc ingress (BPF NodePort).
  const eth0 = ns.links.find((l) => l.kind === 'ether')
  if (eth0) eth0.tc = { ...eth0.tc, ingress: FROM_NETDEV }
  const host = device(CILIUM_HOST, 'veth')
  const net = device(CILIUM_NET, 'veth')
  host.peer = { ns: ns.id, ifname: net.name, ifindex: net.ifindex }
  net.peer = { ns: ns.id, ifname: host.name, ifindex: host.ifindex }
  addAddress(ns, host, node.routerIp, 32)
  // bpf/bpf_host.c: cil_from_host runs on cilium_host's tc egress, for what the host routes there.
  host.tc = { egress: FROM_HOST }
  // The tunnel device is flow-based (netlink.Vxlan FlowBased, "external"): the BPF programs set
  // each packet's remote in its tunnel key (pkg/datapath/linux/tunnel setupTunnelDevice).
  const vx = device(CILIUM_VXLAN, 'vxlan')
  vx.vxlan = { vni: 0, port: CILIUM_VXLAN_PORT, local: 0, dev: '', learning: false, external: true }
  vx.tc = { ingress: FROM_OVERLAY }
  // createNodeRouteSpec (pkg/datapath/linux/node.go): each node's Pod CIDR "via <router> dev
  // cilium_host src <router>", with the route MTU for the other nodes' (the host's own traffic).
  for (const other of ctx.nodes) {
    if (!other.podCIDR) continue
    ns.routes.push(
      route({
        dst: other.podCIDR,
        via: node.routerIp,
        dev: CILIUM_HOST,
        src: node.routerIp,
        mtu: other === node ? null : ctx.mtu - VXLAN_OVERHEAD,
      }),
    )
  }
}

function setupPod(ctx: BuildContext, node: BuiltNode, pod: BuiltPod): void {
  if (node.routerIp === null) return
  const { podNs, hostVeth } = createVethPair(ctx, node, pod, {
    hostName: lxcName(sandboxContainerId(pod.namespace, pod.name)),
    // connector.SetupVethWithNames sets random MACs on both ends (mac.GenerateRandMAC).
    hostMac: stableRandomMac(`pod:${pod.namespace}/${pod.name}:lxc`),
    podMac: stableRandomMac(`pod:${pod.namespace}/${pod.name}:eth0`),
    mtu: ctx.mtu,
    prefix: 32,
  })
  hostVeth.tc = { ingress: FROM_CONTAINER }
  // connector.IPv4Routes: the router as a link route, and the default route via it with the
  // route MTU (the CNI plugin adds the more specific first, and a route without a gateway is
  // scope link: plugins/cilium-cni/cmd/cmd.go addIPConfigToLink).
  podNs.routes.push(
    route({ dst: { base: node.routerIp, prefix: 32 }, dev: 'eth0', scope: 'link' }),
    route({ dst: 'default', via: node.routerIp, dev: 'eth0', mtu: ctx.mtu - VXLAN_OVERHEAD }),
  )
}
