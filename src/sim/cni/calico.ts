/**
 * Calico (projectcalico/calico), as v3.31-v3.32 program a node: no bridge; each Pod's veth
 * (`cali` + 11 hex of sha1) answers ARP for 169.254.1.1 by proxy ARP with ee:ee:ee:ee:ee:ee;
 * a /32 host route per Pod; IPAM blocks (/26 by default) per node, read off the addresses when
 * the cluster gives them (a node may own several); other nodes' blocks reached
 * through tunl0 (IP-in-IP), vxlan.calico (VXLAN) or plainly (BGP). BIRD installs the IPIP and
 * BGP routes (`proto bird`); Felix installs the VXLAN ones.
 */
import { cidrContains, enclosing, formatCidr, formatIp, subnetAt } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { CalicoBackend } from '../../model/scenario.ts'
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import { sha1, sha1Hex, formatMac, stableRandomMac } from '../hash.ts'
import { newLink, route, type Route } from '../net/netns.ts'
import { nsOf, report, type BuildContext } from '../assemble/context.ts'
import { addAddress, nextIfindex } from '../assemble/host.ts'
import { createVethPair } from '../assemble/veth.ts'
import type { CniDataplane, GivenAddress } from './dataplane.ts'
import { joinCniIptables } from './cni-iptables.ts'
import { felixNatTable } from './felix/nat.ts'
import { felixIptables } from './felix/felix-iptables.ts'
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
  return {
    overhead,
    prepareNodes(ctx, given) {
      const size = blockSize(ctx)
      const pool = ctx.decl.clusterCIDR
      const blockLen = Math.max(size, pool.prefix)
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
          n.podCIDR = null
        }
      }
      const read = readBlockAffinity(ctx, backend, blockLen, given)
      // A node the addresses say nothing about claims the first free block, in node order: with
      // no addresses given at all, node i gets the i-th block of the pool. (Real IPAM starts
      // from a block picked by a hash of the host name, randomBlockGenerator; PodPath keeps
      // node order so that the lessons' addresses are easy to follow.)
      let next = 0
      for (const n of ctx.nodes) {
        if (n.blocks.length === 0) {
          let block = subnetAt(pool, blockLen, next++)
          while (block && read.owner.has(block.base)) block = subnetAt(pool, blockLen, next++)
          if (!block) {
            report(
              ctx,
              whereOf(ctx, n),
              text(
                `the IPPool ${formatCidr(pool)} has no free /${size} block for node ${n.name}`,
                `IPPool ${formatCidr(pool)} 已没有空闲的 /${size} 地址块可分给节点 ${n.name}`,
              ),
            )
            continue
          }
          n.blocks.push(block)
        }
        n.podCIDR = n.blocks[0]!
        if (backend !== 'bgp') n.tunnelIp = tunnelAddress(ctx, n, backend, read.used)
        if (backend === 'vxlan') n.vtepMac = vtepMacOf(ctx, n)
      }
      if (backend === 'bgp') requireOneL2(ctx, 'Calico BGP without encapsulation')
    },
    *podAddresses(_ctx, node) {
      // The tunnel device takes the first address IPAM hands out on the node; Pods the rest.
      for (const b of node.blocks)
        for (let i = 0; i < 2 ** (32 - b.prefix); i++) {
          const ip = (b.base + i) >>> 0
          if (ip !== node.tunnelIp) yield ip
        }
    },
    ownsAddress: (_ctx, node, ip) =>
      node.blocks.some((b) => cidrContains(b, ip)) && ip !== node.tunnelIp,
    foreignAddress(ctx, node, ip) {
      const blockLen = Math.max(blockSize(ctx), ctx.decl.clusterCIDR.prefix)
      const block = enclosing(ip, blockLen)
      const other = ctx.nodes.find((n) => n !== node && n.blocks.some((b) => b.base === block.base))
      if (other)
        return text(
          `status.podIP ${formatIp(ip)} on ${node.name} is in Calico block ${formatCidr(block)}, which ${other.name}'s addresses say is affine to ${other.name}. Calico lends an address of another node's block only when the IPPool has no free block left (strictAffinity false); PodPath does not model borrowed addresses.`,
          `${node.name} 上的 status.podIP ${formatIp(ip)} 位于 Calico 地址块 ${formatCidr(block)}，而根据 ${other.name} 的地址，这个块归属 ${other.name}。只有 IPPool 已无空闲地址块（strictAffinity 为 false）时 Calico 才会借用其他节点块中的地址；PodPath 不模拟借用的地址。`,
        )
      const pool = formatCidr(ctx.decl.clusterCIDR)
      return cidrContains(ctx.decl.clusterCIDR, ip)
        ? text(
            `status.podIP ${formatIp(ip)} is ${node.name}'s tunnel address or outside its Calico blocks (${node.blocks.map(formatCidr).join(', ')})`,
            `status.podIP ${formatIp(ip)} 是 ${node.name} 的隧道地址，或不在其 Calico 地址块（${node.blocks.map(formatCidr).join('、')}）之内`,
          )
        : text(
            `status.podIP ${formatIp(ip)} is outside the IPPool ${pool} that Calico hands Pod addresses out of`,
            `status.podIP ${formatIp(ip)} 不在 Calico 分配 Pod 地址所用的 IPPool ${pool} 之内`,
          )
    },
    setupNode(ctx, node) {
      if (node.blocks.length === 0) return
      const ns = nsOf(ctx, node.nsId)
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
      // BIRD aggregates each block affine to the node as a blackhole, one static route per block
      // (bird_aggr.cfg.template: "route <block> blackhole"); Felix does so in VXLAN mode.
      for (const block of node.blocks)
        ns.routes.push(
          route({ type: 'blackhole', dst: block, proto: backend === 'vxlan' ? '80' : 'bird' }),
        )
      for (const other of ctx.nodes) {
        if (other === node || other.blocks.length === 0) continue
        if (backend === 'vxlan') {
          // felix vxlanfdb: a permanent ARP entry and an FDB entry per remote VTEP, then the routes.
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
        }
        // A remote node advertises each of its blocks; BIRD (or Felix) installs one route per block.
        for (const block of other.blocks) {
          if (backend === 'ipip') {
            ns.routes.push(
              route({ dst: block, via: other.ip, dev: 'tunl0', proto: 'bird', onlink: true }),
            )
          } else if (backend === 'bgp') {
            ns.routes.push(route({ dst: block, via: other.ip, dev: 'eth0', proto: 'bird' }))
          } else {
            ns.routes.push(
              route({
                dst: block,
                via: other.tunnelIp!,
                dev: 'vxlan.calico',
                onlink: true,
                mtu: ctx.mtu - CALICO_VXLAN_OVERHEAD,
              }),
            )
          }
        }
      }
    },
    setupPod: (ctx, node, pod) => attachCalicoVeth(ctx, node, pod, ctx.mtu - overhead),
    // felix's nat table (cali-nat-outgoing and the pool ipsets, ./felix/nat.ts) and its filter
    // chains (NetworkPolicy on the Pods' veths, ./felix/).
    iptables: (ctx, node) =>
      joinCniIptables(
        felixNatTable(
          [{ cidr: ctx.decl.clusterCIDR, natOutgoing: ctx.decl.cni.natOutgoing }],
          node.tunnelIp === null ? null : backend === 'ipip' ? 'tunl0' : 'vxlan.calico',
        ),
        felixIptables(ctx, node),
      ),
  }
}

// Every workload's two routes (dataplane_linux.go: the default via the gateway, and the gateway
// as a link route), the same in each Pod: shared, as routes are values (see defaultRules in ../net/netns.ts).
const CALICO_POD_ROUTES: readonly Route[] = [
  Object.freeze(route({ dst: 'default', via: CALICO_GATEWAY, dev: 'eth0' })),
  Object.freeze(route({ dst: { base: CALICO_GATEWAY, prefix: 32 }, dev: 'eth0', scope: 'link' })),
]

/**
 * What the CNI plugin does for every Calico workload (cni-plugin dataplane_linux.go): a veth
 * named cali + hash, the host end at ee:ee:ee:ee:ee:ee with proxy ARP, the Pod address as /32
 * behind 169.254.1.1, and a /32 host route to it. canal wires its Pods the same way.
 */
export function attachCalicoVeth(ctx: BuildContext, node: BuiltNode, pod: BuiltPod, mtu: number) {
  const { podNs, hostVeth, hostNs } = createVethPair(ctx, node, pod, {
    hostName: calicoVethName(pod.namespace, pod.name),
    hostMac: CALICO_HOST_VETH_MAC,
    podMac: stableRandomMac(`pod:${pod.namespace}/${pod.name}:eth0`),
    mtu,
    prefix: 32,
  })
  hostVeth.proxyArp = true
  podNs.routes.push(...CALICO_POD_ROUTES)
  hostNs.routes.push(
    route({ dst: { base: pod.ip, prefix: 32 }, dev: hostVeth.name, scope: 'link' }),
  )
}

/**
 * Block affinity as a real cluster shows it. libcalico-go IPAM (ipam_block_reader_writer.go
 * randomBlockGenerator) starts each host at a block picked by a hash of its name and claims
 * another when one fills up, so a node's blocks are anywhere in the pool and may be several.
 * A block is affine to the node whose tunnel address (projectcalico.org/IPv4IPIPTunnelAddr or
 * IPv4VXLANTunnelAddr) or Pods' addresses lie in it.
 */
function readBlockAffinity(
  ctx: BuildContext,
  backend: CalicoBackend,
  blockLen: number,
  given: readonly GivenAddress[],
): { owner: Map<number, BuiltNode>; used: Set<number> } {
  const pool = ctx.decl.clusterCIDR
  const owner = new Map<number, BuiltNode>()
  const used = new Set<number>()
  const pods = new Map<BuiltNode, number>()
  const claim = (n: BuiltNode, ip: number): BuiltNode => {
    const block = enclosing(ip, blockLen)
    const o = owner.get(block.base)
    if (o) return o
    owner.set(block.base, n)
    n.blocks.push(block)
    return n
  }
  for (const n of ctx.nodes) {
    const t = tunnelAnnotation(n, backend)
    if (t !== null && cidrContains(pool, t)) claim(n, t)
  }
  // A block no tunnel address decides belongs to the node with most addresses in it (the first
  // such node in order on a tie); the others' addresses there are borrowed (foreignAddress).
  const tally = new Map<number, Map<BuiltNode, number>>()
  for (const g of given) {
    const n = ctx.nodes.find((x) => x.name === g.node)
    if (!n || !cidrContains(pool, g.ip)) continue
    used.add(g.ip)
    const base = enclosing(g.ip, blockLen).base
    const counts = tally.get(base) ?? new Map<BuiltNode, number>()
    counts.set(n, (counts.get(n) ?? 0) + 1)
    tally.set(base, counts)
  }
  for (const [base, counts] of tally) {
    let best: BuiltNode | null = null
    for (const n of ctx.nodes) {
      const k = counts.get(n) ?? 0
      if (k > 0 && (best === null || k > counts.get(best)!)) best = n
    }
    const o = claim(best!, base)
    pods.set(o, (pods.get(o) ?? 0) + (counts.get(o) ?? 0))
  }
  for (const n of ctx.nodes) {
    if (n.blocks.length === 0) continue
    n.blocks.sort((a, b) => a.base - b.base)
    // The block holding the tunnel address comes first: it is the one the node claimed first.
    const t = tunnelAnnotation(n, backend)
    const first = t === null ? -1 : n.blocks.findIndex((b) => cidrContains(b, t))
    if (first > 0) n.blocks.unshift(...n.blocks.splice(first, 1))
    const list = n.blocks.map(formatCidr).join(', ')
    const from = [
      ...(t !== null && first >= 0 ? [`its tunnel address ${formatIp(t)}`] : []),
      ...(pods.get(n) === 1
        ? ["its Pod's address"]
        : pods.get(n)
          ? [`its ${pods.get(n)} Pods' addresses`]
          : []),
    ].join(' and ')
    const fromZh = [
      ...(t !== null && first >= 0 ? [`隧道地址 ${formatIp(t)}`] : []),
      ...(pods.get(n) ? [`${pods.get(n)} 个 Pod 的地址`] : []),
    ].join('和')
    report(
      ctx,
      whereOf(ctx, n),
      text(
        `Calico block affinity read from ${from}: ${n.name} owns ${list}. Calico IPAM picks a node's first block by a hash of its name (randomBlockGenerator) and claims another when one is full, so blocks are not in node order.`,
        `从${fromZh}读出 Calico 地址块归属：${n.name} 拥有 ${list}。Calico IPAM 按节点名的哈希挑选节点的第一个块（randomBlockGenerator），块用满时再申请一个，因此地址块不按节点顺序排列。`,
      ),
      'info',
    )
  }
  return { owner, used }
}

function tunnelAnnotation(n: BuiltNode, backend: CalicoBackend): number | null {
  const c = n.annotations.calico
  if (!c) return null
  return backend === 'ipip' ? c.ipipTunnelAddr : backend === 'vxlan' ? c.vxlanTunnelAddr : null
}

/** The tunnel address: as the node's annotation says, else the first free one of its first block. */
function tunnelAddress(
  ctx: BuildContext,
  n: BuiltNode,
  backend: CalicoBackend,
  used: Set<number>,
): number {
  const t = tunnelAnnotation(n, backend)
  if (t !== null && n.blocks.some((b) => cidrContains(b, t))) return t
  const b = n.blocks[0]!
  let ip = b.base
  while (used.has(ip) && cidrContains(b, ip + 1)) ip = (ip + 1) >>> 0
  if (t !== null)
    report(
      ctx,
      whereOf(ctx, n),
      text(
        `the tunnel address ${formatIp(t)} in ${n.name}'s annotations is outside the IPPool ${formatCidr(ctx.decl.clusterCIDR)}; PodPath gives its tunnel ${formatIp(ip)}`,
        `${n.name} 注解中的隧道地址 ${formatIp(t)} 不在 IPPool ${formatCidr(ctx.decl.clusterCIDR)} 之内；PodPath 把隧道地址设为 ${formatIp(ip)}`,
      ),
      'warning',
    )
  return ip
}

/** projectcalico.org/VXLANTunnelMACAddr when the node publishes it, else Felix's own derivation. */
function vtepMacOf(ctx: BuildContext, n: BuiltNode): string {
  const computed = calicoVtepMac(n.name)
  const real = n.annotations.calico?.vxlanTunnelMac ?? null
  if (real === null) return computed
  if (real !== computed)
    report(
      ctx,
      whereOf(ctx, n),
      text(
        `vxlan.calico on ${n.name} has the MAC its Node publishes (projectcalico.org/VXLANTunnelMACAddr ${real}), not the one Felix derives from the name (${computed})`,
        `${n.name} 的 vxlan.calico 使用其 Node 公布的 MAC（projectcalico.org/VXLANTunnelMACAddr ${real}），而不是 Felix 由节点名推导的 ${computed}`,
      ),
      'info',
    )
  return real
}
