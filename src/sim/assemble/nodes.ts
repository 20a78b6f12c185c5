/** Nodes: names, underlay addresses and subnets, filled in when left out. */
import type { NodeDecl, Scenario } from '../../model/scenario.ts'
import {
  cidrContains,
  enclosing,
  formatCidr,
  formatIp,
  parseCidr,
  type Cidr,
} from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import { stableRandomMac } from '../hash.ts'
import type { BuiltNode } from '../cluster.ts'
import { hostNsId } from '../net/netns.ts'
import { noCniAnnotations } from '../../model/parse-node-annotations.ts'
import { report, type BuildContext } from './context.ts'

/** A scenario that names no node gets two (one for the single-host bridge plugin). */
function defaultNodes(s: Scenario): NodeDecl[] {
  const count = s.cluster.cni.plugin === 'bridge' ? 1 : 2
  return Array.from({ length: count }, (_, i) => ({
    name: `node-${i + 1}`,
    ip: null,
    podCIDR: null,
    labels: {},
    real: false,
    providerID: null,
    externalIP: null,
    annotations: noCniAnnotations(),
    where: s.cluster.where,
  }))
}

/** The underlay subnet: declared, or 192.168.1.0/24 (10.0.0.0/16 as a VPC subnet on AWS). */
function defaultSubnet(s: Scenario): Cidr {
  if (s.cluster.nodeCIDR) return s.cluster.nodeCIDR
  return parseCidr(s.cluster.cni.plugin === 'aws-vpc-cni' ? '10.0.0.0/16' : '192.168.1.0/24')!
}

export function buildNodes(ctx: BuildContext, s: Scenario): void {
  const decls = s.nodes.length > 0 ? s.nodes : defaultNodes(s)
  const base = defaultSubnet(s)
  const names = new Set<string>()
  const ips = new Map<number, string>()
  decls.forEach((d, i) => {
    if (names.has(d.name)) {
      report(
        ctx,
        d.where,
        text(`node "${d.name}" is declared twice`, `节点 “${d.name}” 被声明了两次`),
      )
      return
    }
    names.add(d.name)
    // flanneld's VTEP is its public-ip (vxlan.go createVXLANDevice takes extIface.ExtAddr, and
    // peers send to the lease's PublicIP); PodPath's node has one address, so that is it.
    const plugin = s.cluster.cni.plugin
    const publicIp =
      plugin === 'flannel' || plugin === 'canal' ? (d.annotations.flannel?.publicIp ?? null) : null
    if (publicIp !== null && d.ip !== null && publicIp !== d.ip)
      report(
        ctx,
        d.where,
        text(
          `flannel on ${d.name} publishes public-ip ${formatIp(publicIp)}, not its InternalIP ${formatIp(d.ip)}: flanneld builds its VXLAN tunnel on that address, and PodPath gives the node that address`,
          `${d.name} 上的 flannel 公布的 public-ip 是 ${formatIp(publicIp)}，而不是其 InternalIP ${formatIp(d.ip)}：flanneld 在该地址上建立 VXLAN 隧道，PodPath 也让节点使用这个地址`,
        ),
        'info',
      )
    // Addresses .11, .12, ... leave the low ones to routers and (on AWS) the VPC's reserved four.
    const ip = publicIp ?? d.ip ?? (base.base + 11 + i) >>> 0
    const subnet =
      s.cluster.nodeCIDR ?? (s.cluster.cni.plugin === 'aws-vpc-cni' ? base : enclosing(ip, 24))
    if (!cidrContains(subnet, ip)) {
      report(
        ctx,
        d.where,
        text(
          `node IP ${formatIp(ip)} is outside the node network ${formatCidr(subnet)}`,
          `节点 IP ${formatIp(ip)} 不在节点网络 ${formatCidr(subnet)} 之内`,
        ),
      )
      return
    }
    const other = ips.get(ip)
    if (other !== undefined) {
      report(
        ctx,
        d.where,
        text(
          `node IP ${formatIp(ip)} is already used by ${other}`,
          `节点 IP ${formatIp(ip)} 已被 ${other} 使用`,
        ),
      )
      return
    }
    ips.set(ip, d.name)
    const cluster = s.cluster
    const ext = d.externalIP
    if (
      ext !== null &&
      (cidrContains(subnet, ext) ||
        cidrContains(cluster.clusterCIDR, ext) ||
        cidrContains(cluster.serviceCIDR, ext))
    )
      report(
        ctx,
        d.where,
        text(
          `externalIP ${formatIp(ext)} of ${d.name} is inside the node, Pod or Service range: a public address lies outside the cluster's networks`,
          `${d.name} 的 externalIP ${formatIp(ext)} 位于节点、Pod 或 Service 地址段之内：公网地址应在集群的网络之外`,
        ),
      )
    const node: BuiltNode = {
      name: d.name,
      index: ctx.nodes.length,
      ip,
      externalIP: ext,
      subnet,
      // The first usable address is the router: the VPC router on AWS ("base of the subnet plus one").
      gateway: (subnet.base + 1) >>> 0,
      eth0Mac: stableRandomMac(`node:${d.name}:eth0`),
      podCIDR: d.podCIDR,
      blocks: [],
      annotations: d.annotations,
      tunnelIp: null,
      routerIp: null,
      vtepMac: null,
      maxPods: null,
      labels: { 'kubernetes.io/hostname': d.name, ...d.labels },
      nsId: hostNsId(d.name),
    }
    ctx.nodes.push(node)
  })
}

export function nodeWhere(s: Scenario, name: string) {
  return s.nodes.find((n) => n.name === name)?.where ?? s.cluster.where
}
