/**
 * Calico (projectcalico/calico), as v3.31-v3.32 program a node: no bridge; each Pod's veth
 * (`cali` + 11 hex of sha1) answers ARP for 169.254.1.1 by proxy ARP with ee:ee:ee:ee:ee:ee;
 * a /32 host route per Pod; IPAM blocks (/26 by default) per node; other nodes' blocks reached
 * through tunl0 (IP-in-IP), vxlan.calico (VXLAN) or plainly (BGP). BIRD installs the IPIP and
 * BGP routes (`proto bird`); Felix installs the VXLAN ones.
 */
import { formatCidr, subnetAt, cidrContains, type Cidr } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { CalicoBackend } from '../../model/scenario.ts'
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import { sha1, sha1Hex, formatMac, stableRandomMac } from '../hash.ts'
import { newLink, route } from '../net/netns.ts'
import { nsOf, report, type BuildContext } from '../build/context.ts'
import { addAddress, nextIfindex } from '../build/host.ts'
import { createVethPair } from '../build/veth.ts'
import type { CniDataplane } from './dataplane.ts'
import { requireOneL2 } from './flannel.ts'
import { whereOf } from './linux-bridge.ts'

// libcalico-go clientv3/ippool.go: blockSize defaults to 26 for IPv4.
export const CALICO_DEFAULT_BLOCK_SIZE = 26
// felix/config/config_params.go: VXLANPort 4789 (the IANA port), VXLANVNI 4096.
export const CALICO_VXLAN_PORT = 4789
export const CALICO_VXLAN_VNI = 4096
// felix int_dataplane.go: ipipMTUOverhead = 20, vxlanMTUOverhead = 50.
export const IPIP_OVERHEAD = 20
export const CALICO_VXLAN_OVERHEAD = 50
// cni-plugin dataplane_linux.go: the host side of every Pod veth has this MAC.
export const CALICO_HOST_VETH_MAC = 'ee:ee:ee:ee:ee:ee'
// The Pod's default gateway: a link-local address nobody owns, answered by proxy ARP.
export const CALICO_GATEWAY = 0xa9fe0101 // 169.254.1.1

/** libcalico-go VethNameForWorkload: "cali" + first 11 hex chars of sha1("<namespace>.<pod>"). */
export function calicoVethName(namespace: string, pod: string): string {
  return `cali${sha1Hex(`${namespace}.${pod}`).slice(0, 11)}`
}

/** felix calc/vxlan_resolver.go vtepMACForHost: "f" (0x66) then the first 5 bytes of sha1(node). */
export function calicoVtepMac(node: string): string {
  const h = sha1(node)
  return formatMac([0x66, ...Array.from(h.subarray(0, 5))])
}

export function calicoDataplane(backend: CalicoBackend): CniDataplane {
  const overhead =
    backend === 'ipip' ? IPIP_OVERHEAD : backend === 'vxlan' ? CALICO_VXLAN_OVERHEAD : 0
  const blockSize = (ctx: BuildContext) => ctx.decl.cni.blockSize ?? CALICO_DEFAULT_BLOCK_SIZE
  const firstPodOffset = backend === 'bgp' ? 0 : 1
  return {
    overhead,
    prepareNodes(ctx) {
      const size = blockSize(ctx)
      for (const n of ctx.nodes) {
        if (n.podCIDR) {
          report(
            ctx,
            whereOf(ctx, n),
            text(
              `Calico IPAM does not use the node's podCIDR (${formatCidr(n.podCIDR)}); it takes /${size} blocks from the IPPool`,
              `Calico IPAM 不使用节点的 podCIDR（${formatCidr(n.podCIDR)}），而是从 IPPool 中分配 /${size} 地址块`,
            ),
            'info',
          )
        }
        // Each node claims a block with affinity to it; PodPath takes them in node order.
        const block = subnetAt(
          ctx.decl.clusterCIDR,
          Math.max(size, ctx.decl.clusterCIDR.prefix),
          n.index,
        )
        if (!block) {
          report(
            ctx,
            whereOf(ctx, n),
            text(
              `the IPPool ${formatCidr(ctx.decl.clusterCIDR)} has no free /${size} block for node ${n.name}`,
              `IPPool ${formatCidr(ctx.decl.clusterCIDR)} 已没有空闲的 /${size} 地址块可分给节点 ${n.name}`,
            ),
          )
          n.podCIDR = null
          continue
        }
        n.podCIDR = block
        // The tunnel address is the first one IPAM assigns from the node's own block.
        if (backend !== 'bgp') n.tunnelIp = block.base
        if (backend === 'vxlan') n.vtepMac = calicoVtepMac(n.name)
      }
      if (backend === 'bgp') requireOneL2(ctx, 'Calico BGP without encapsulation')
    },
    *podAddresses(_ctx, node) {
      const b = node.podCIDR
      if (!b) return
      for (let i = firstPodOffset; i < 2 ** (32 - b.prefix); i++) yield (b.base + i) >>> 0
    },
    ownsAddress: (_ctx, node, ip) =>
      !!node.podCIDR && cidrContains(node.podCIDR, ip) && ip !== node.tunnelIp,
    setupNode(ctx, node) {
      if (!node.podCIDR) return
      const ns = nsOf(ctx, node.nsId)
      const block: Cidr = node.podCIDR
      if (backend === 'ipip') {
        // tunl0 is the kernel's fallback IP-in-IP device: "ipip any remote any local any ttl inherit".
        const tunl0 = newLink(nextIfindex(ns), 'tunl0', 'ipip', ctx.mtu - IPIP_OVERHEAD, null)
        ns.links.push(tunl0)
        addAddress(ns, tunl0, node.tunnelIp!, 32)
      }
      if (backend === 'vxlan') {
        const dev = newLink(
          nextIfindex(ns),
          'vxlan.calico',
          'vxlan',
          ctx.mtu - CALICO_VXLAN_OVERHEAD,
          node.vtepMac,
        )
        dev.vxlan = {
          vni: CALICO_VXLAN_VNI,
          port: CALICO_VXLAN_PORT,
          local: node.ip,
          dev: 'eth0',
          learning: false,
        }
        ns.links.push(dev)
        addAddress(ns, dev, node.tunnelIp!, 32)
      }
      // BIRD aggregates the local block as a blackhole (bird_aggr.cfg.template); Felix does so in VXLAN mode.
      ns.routes.push(
        route({ type: 'blackhole', dst: block, proto: backend === 'vxlan' ? '80' : 'bird' }),
      )
      for (const other of ctx.nodes) {
        if (other === node || !other.podCIDR) continue
        if (backend === 'ipip') {
          ns.routes.push(
            route({ dst: other.podCIDR, via: other.ip, dev: 'tunl0', proto: 'bird', onlink: true }),
          )
        } else if (backend === 'bgp') {
          ns.routes.push(route({ dst: other.podCIDR, via: other.ip, dev: 'eth0', proto: 'bird' }))
        } else {
          // felix vxlanfdb: a permanent ARP entry and an FDB entry per remote VTEP, then the route.
          ns.neigh.push({
            ip: other.tunnelIp!,
            dev: 'vxlan.calico',
            lladdr: other.vtepMac!,
            state: 'PERMANENT',
          })
          ns.fdb.push({
            mac: other.vtepMac!,
            dev: 'vxlan.calico',
            master: null,
            dst: other.ip,
            self: true,
            permanent: true,
          })
          ns.routes.push(
            route({
              dst: other.podCIDR,
              via: other.tunnelIp!,
              dev: 'vxlan.calico',
              onlink: true,
              mtu: ctx.mtu - CALICO_VXLAN_OVERHEAD,
            }),
          )
        }
      }
    },
    setupPod(ctx, node: BuiltNode, pod: BuiltPod) {
      const { podNs, hostVeth, hostNs } = createVethPair(ctx, node, pod, {
        hostName: calicoVethName(pod.namespace, pod.name),
        hostMac: CALICO_HOST_VETH_MAC,
        podMac: stableRandomMac(`pod:${pod.namespace}/${pod.name}:eth0`),
        mtu: ctx.mtu - overhead,
        prefix: 32,
      })
      hostVeth.proxyArp = true
      podNs.routes.push(
        route({ dst: 'default', via: CALICO_GATEWAY, dev: 'eth0' }),
        route({ dst: { base: CALICO_GATEWAY, prefix: 32 }, dev: 'eth0', scope: 'link' }),
      )
      hostNs.routes.push(
        route({ dst: { base: pod.ip, prefix: 32 }, dev: hostVeth.name, scope: 'link' }),
      )
    },
  }
}
