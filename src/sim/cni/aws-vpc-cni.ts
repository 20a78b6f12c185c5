/**
 * The Amazon VPC CNI (aws/amazon-vpc-cni-k8s): Pods get real VPC addresses, secondary IPs of
 * the node's ENIs. No bridge and no overlay: a veth per Pod (`eni` + 11 hex of sha1), a /32
 * host route, policy rules, and the VPC itself delivering each address to the ENI that owns it.
 */
import { cidrContains, formatIp } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import { sha1Hex, stableRandomMac } from '../hash.ts'
import { newLink, route, type Link, type Route } from '../net/netns.ts'
import { nsOf, report, type BuildContext } from '../assemble/context.ts'
import { addAddress, nextIfindex } from '../assemble/host.ts'
import { createVethPair } from '../assemble/veth.ts'
import type { CniDataplane } from './dataplane.ts'
import { POLICY_NOT_ENFORCED } from './policy-support.ts'
import { awsSnatRules } from './aws-snat.ts'
import { whereOf } from './linux-bridge.ts'

/** ENIs and IPv4 addresses per ENI (amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go). */
export const INSTANCE_LIMITS: Record<string, { enis: number; ipsPerEni: number }> = {
  't3.small': { enis: 3, ipsPerEni: 4 },
  't3.medium': { enis: 3, ipsPerEni: 6 },
  'm5.large': { enis: 3, ipsPerEni: 10 },
  'm5.xlarge': { enis: 4, ipsPerEni: 15 },
  'c5.large': { enis: 3, ipsPerEni: 10 },
}
export const DEFAULT_INSTANCE_TYPE = 'm5.large'

/** The limits of a known instance type (own properties only: "toString" is not an instance type). */
export function limitsOf(instanceType: string): { enis: number; ipsPerEni: number } | null {
  return Object.hasOwn(INSTANCE_LIMITS, instanceType) ? INSTANCE_LIMITS[instanceType]! : null
}
// pkg/networkutils/network.go: AWS_VPC_ENI_MTU defaults to 9001 (jumbo frames inside a VPC).
export const AWS_ENI_MTU = 9001
// CalculatePodIPv4GatewayIP(0): the Pod's gateway for eth0, answered by a static ARP entry.
export const AWS_POD_GATEWAY = 0xa9fe0101 // 169.254.1.1
// pkg/networkutils/network.go: ToContainerRulePriority 512, FromPodRulePriority 1536.
export const TO_CONTAINER_RULE_PRIORITY = 512
export const FROM_POD_RULE_PRIORITY = 1536

/**
 * misc/eni-max-pods.txt: "# of ENI * (# of IPv4 per ENI - 1) + 2": the first IP of each ENI is
 * not used for Pods; +2 for the host-network Pods (aws-node and kube-proxy).
 */
export function maxPods(instanceType: string): number | null {
  const l = limitsOf(instanceType)
  return l ? l.enis * (l.ipsPerEni - 1) + 2 : null
}

// The Pod's two routes (driver.go: the default via the gateway, and the gateway as a link
// route), the same in each Pod: shared, as routes are values (see defaultRules in ../net/netns.ts).
const AWS_POD_ROUTES: readonly Route[] = [
  Object.freeze(route({ dst: 'default', via: AWS_POD_GATEWAY, dev: 'eth0' })),
  Object.freeze(route({ dst: { base: AWS_POD_GATEWAY, prefix: 32 }, dev: 'eth0', scope: 'link' })),
]

/** GeneratePodHostVethName: "eni" + first 11 hex chars of sha1("<namespace>.<pod>"). */
export function awsVethName(namespace: string, pod: string): string {
  return `eni${sha1Hex(`${namespace}.${pod}`).slice(0, 11)}`
}

interface Eni {
  /** Device number: eth0 is 0; a Pod on device N > 0 uses route table N + 1 (CalculateRouteTableId). */
  device: number
  primary: number
  mac: string
  secondaries: number[]
}

export function awsVpcDataplane(): CniDataplane {
  const enisByNode = new Map<string, Eni[]>()
  const eniOfIp = new Map<number, Eni>()
  let used = new Set<number>()
  let cursor = 0
  const nextFree = (ctx: BuildContext, node: BuiltNode): number | null => {
    const s = node.subnet
    // AWS reserves the first four addresses and the last one of every subnet.
    const last = s.base + 2 ** (32 - s.prefix) - 2
    while (s.base + cursor <= last) {
      const ip = (s.base + cursor++) >>> 0
      if (cursor <= 4 || used.has(ip)) continue
      used.add(ip)
      return ip
    }
    report(
      ctx,
      whereOf(ctx, node),
      text('the VPC subnet has no free address left', 'VPC 子网已没有空闲地址'),
    )
    return null
  }
  const limits = (ctx: BuildContext) => {
    const type = ctx.decl.cni.instanceType ?? DEFAULT_INSTANCE_TYPE
    return limitsOf(type) ?? INSTANCE_LIMITS[DEFAULT_INSTANCE_TYPE]!
  }
  return {
    underlay: 'vpc',
    overhead: 0,
    policyNotEnforced: POLICY_NOT_ENFORCED.awsVpcCni,
    prepareNodes(ctx) {
      const type = ctx.decl.cni.instanceType ?? DEFAULT_INSTANCE_TYPE
      if (!limitsOf(type)) {
        report(
          ctx,
          ctx.decl.where,
          text(
            `PodPath does not know the ENI limits of instance type "${type}"; known: ${Object.keys(INSTANCE_LIMITS).join(', ')}`,
            `PodPath 不知道实例类型 “${type}” 的 ENI 限制；已知类型：${Object.keys(INSTANCE_LIMITS).join('、')}`,
          ),
        )
      }
      used = new Set(ctx.nodes.map((n) => n.ip))
      // Pods take addresses after the nodes' own.
      cursor = Math.max(0, ...ctx.nodes.map((n) => n.ip - n.subnet.base + 1))
      for (const n of ctx.nodes) {
        n.maxPods = maxPods(type)
        enisByNode.set(n.name, [{ device: 0, primary: n.ip, mac: n.eth0Mac, secondaries: [] }])
      }
    },
    *podAddresses(ctx, node) {
      const { enis: maxEnis, ipsPerEni } = limits(ctx)
      const enis = enisByNode.get(node.name)!
      for (let d = 0; d < maxEnis; d++) {
        let eni = enis[d]
        if (!eni) {
          // ipamd attaches another ENI when the warm pool runs dry; its first IP is its own.
          const primary = nextFree(ctx, node)
          if (primary === null) return
          eni = {
            device: d,
            primary,
            mac: stableRandomMac(`node:${node.name}:eth${d}`),
            secondaries: [],
          }
          enis.push(eni)
        }
        // WARM_ENI_TARGET=1 (the default): ipamd fills a whole ENI with secondary IPs at once.
        const warm = eni.secondaries.length
        while (eni.secondaries.length < ipsPerEni - 1) {
          const ip = nextFree(ctx, node)
          if (ip === null) break
          eni.secondaries.push(ip)
          eniOfIp.set(ip, eni)
        }
        for (const ip of eni.secondaries.slice(warm)) yield ip
      }
    },
    // aws-node's SNAT for traffic leaving the VPC. PodPath's VPC has one block, the node
    // network (ipamd reads the VPC's blocks from the instance metadata, vpc-ipv4-cidr-blocks).
    iptables: (ctx, node) => awsSnatRules([node.subnet], ctx.decl.cni.awsSnat, node.ip),
    ownsAddress(_ctx, node, ip) {
      if (!cidrContains(node.subnet, ip) || used.has(ip)) return false
      const eth0 = enisByNode.get(node.name)![0]!
      used.add(ip)
      eth0.secondaries.push(ip)
      eniOfIp.set(ip, eth0)
      return true
    },
    setupNode(ctx, node) {
      const ns = nsOf(ctx, node.nsId)
      for (const eni of enisByNode.get(node.name)!) {
        let link: Link | undefined = ns.links.find((l) => l.name === `eth${eni.device}`)
        if (!link) {
          link = newLink(nextIfindex(ns), `eth${eni.device}`, 'ether', ctx.mtu, eni.mac)
          ns.links.push(link)
          addAddress(ns, link, eni.primary, node.subnet.prefix)
          // SetupENINetwork deletes the kernel's connected route for a secondary ENI from main.
          ns.routes = ns.routes.filter(
            (r) => !(r.table === 'main' && r.dev === link!.name && r.proto === 'kernel'),
          )
          // SetupENINetwork: table N+1 reaches the VPC router through this ENI.
          const table = eni.device + 1
          ns.routes.push(
            route({ table, dst: 'default', via: node.gateway, dev: link.name }),
            route({
              table,
              dst: { base: node.gateway, prefix: 32 },
              dev: link.name,
              scope: 'link',
            }),
          )
        }
        link.secondaryIps = [...eni.secondaries]
      }
    },
    setupPod(ctx, node: BuiltNode, pod: BuiltPod) {
      const hostMac = stableRandomMac(`pod:${pod.namespace}/${pod.name}:host`)
      const { podNs, hostVeth, hostNs } = createVethPair(ctx, node, pod, {
        hostName: awsVethName(pod.namespace, pod.name),
        hostMac,
        podMac: stableRandomMac(`pod:${pod.namespace}/${pod.name}:eth0`),
        mtu: ctx.mtu,
        prefix: 32,
      })
      podNs.routes.push(...AWS_POD_ROUTES)
      // driver.go: a static ARP entry for the gateway, pointing at the host veth's MAC.
      podNs.neigh.push({ ip: AWS_POD_GATEWAY, dev: 'eth0', lladdr: hostMac, state: 'PERMANENT' })
      hostNs.routes.push(
        route({ dst: { base: pod.ip, prefix: 32 }, dev: hostVeth.name, scope: 'link' }),
      )
      const host = { base: pod.ip, prefix: 32 }
      hostNs.rules.push({
        priority: TO_CONTAINER_RULE_PRIORITY,
        from: null,
        to: host,
        table: 'main',
      })
      const eni = eniOfIp.get(pod.ip)
      if (eni && eni.device > 0) {
        hostNs.rules.push({
          priority: FROM_POD_RULE_PRIORITY,
          from: host,
          to: null,
          table: eni.device + 1,
        })
      }
      if (!eni)
        report(
          ctx,
          whereOf(ctx, node),
          text(
            `internal: ${formatIp(pod.ip)} has no ENI`,
            `内部错误：${formatIp(pod.ip)} 没有 ENI`,
          ),
        )
    },
  }
}
