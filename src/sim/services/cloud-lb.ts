/**
 * The cloud controller's part of a LoadBalancer Service: it creates a load balancer in the cloud
 * and writes its address to status.loadBalancer.ingress. PodPath plays it as Cluster.spec.cloud
 * says, unless the scenario already gives the status:
 *   none    no controller: the Service stays pending (`kubectl get svc` shows EXTERNAL-IP
 *           <pending>) and kube-proxy has no load-balancer address to capture;
 *   generic an IP from 198.51.100.0/24 (RFC 5737 TEST-NET-2, kept for documentation and never
 *           routed on the Internet; PodPath's examples use 203.0.113.0/24, TEST-NET-3, for
 *           clients outside the cluster, so the two never meet);
 *   aws     what the AWS cloud provider reports for its Classic ELB: a DNS name and no IP
 *           (cloud-provider-aws getLoadBalancerStatus sets only Hostname), so kube-proxy, which
 *           only captures ingress IPs, writes no load-balancer rule at all.
 */
import type { CloudProvider, LoadBalancerIngressDecl } from '../../model/scenario.ts'
import { hex, sha256 } from '../hash.ts'
import type { BuiltService } from './service.ts'
import type { BuiltLoadBalancer } from './load-balancer.ts'
import { text } from '../../model/text.ts'
import { report, type BuildContext } from '../assemble/context.ts'

/** 198.51.100.0/24: the first usable address is .1. */
const GENERIC_BASE = ((198 << 24) | (51 << 16) | (100 << 8)) >>> 0
const GENERIC_COUNT = 254
// The region PodPath's AWS clusters live in (the legacy provider puts it in the ELB's name).
export const AWS_REGION = 'us-east-1'

/**
 * cloud-provider DefaultLoadBalancerName: "a" + the Service's UID without dashes, cut to 32
 * characters. A real UID is random; PodPath derives a stand-in from the Service's name.
 */
export function awsLoadBalancerName(namespace: string, name: string): string {
  return `a${hex(sha256(`uid:${namespace}/${name}`)).slice(0, 31)}`
}

/**
 * The ELB's DNS name as AWS assigns it, "<name>-<number>.<region>.elb.amazonaws.com"; the number
 * is AWS's own, so PodPath derives a stand-in.
 */
export function awsElbHostname(namespace: string, name: string): string {
  const h = sha256(`elb:${namespace}/${name}`)
  const n = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0
  return `${awsLoadBalancerName(namespace, name)}-${1000000000 + (n % 999999999)}.${AWS_REGION}.elb.amazonaws.com`
}

/**
 * Fills in status.loadBalancer.ingress of every LoadBalancer Service the scenario left empty, and
 * says (as info) what the learner would see where no cloud does it.
 */
export function provisionLoadBalancers(
  services: BuiltService[],
  cloud: CloudProvider,
  ctx?: BuildContext,
): void {
  const taken = new Set<number>()
  for (const s of services) for (const i of s.ingress) if (i.ip !== null) taken.add(i.ip)
  const pending = services
    .filter((s) => s.decl.type === 'LoadBalancer' && s.ingressSource === 'pending')
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
  let next = 0
  for (const s of pending) {
    let ingress: LoadBalancerIngressDecl | null = null
    if (cloud === 'aws') {
      ingress = { ip: null, hostname: awsElbHostname(s.namespace, s.name), ipMode: 'VIP' }
    } else if (cloud === 'generic') {
      // PodPath hands out the lowest free address, Services in name order.
      while (next < GENERIC_COUNT && taken.has(GENERIC_BASE + 1 + next)) next++
      if (next < GENERIC_COUNT) {
        const ip = GENERIC_BASE + 1 + next++
        taken.add(ip)
        ingress = { ip, hostname: null, ipMode: 'VIP' }
      }
    }
    if (ingress) {
      s.ingress = [ingress]
      s.ingressSource = 'cloud'
    } else if (ctx)
      report(
        ctx,
        s.decl.where,
        text(
          `Service ${s.namespace}/${s.name} is a LoadBalancer, but no cloud controller gives it an address (Cluster.spec.cloud: ${cloud}${cloud === 'generic' ? ', and 198.51.100.0/24 is used up' : ''}): "kubectl get svc" shows EXTERNAL-IP <pending>. It still works as a NodePort Service.`,
          `Service ${s.namespace}/${s.name} 是 LoadBalancer 类型，但没有云控制器为它分配地址（Cluster.spec.cloud: ${cloud}${cloud === 'generic' ? '，且 198.51.100.0/24 已用完' : ''}）：“kubectl get svc” 显示 EXTERNAL-IP 为 <pending>。它仍然可以作为 NodePort Service 使用。`,
        ),
        'info',
      )
  }
}

export function describeLoadBalancers(
  services: readonly BuiltService[],
  nodes: readonly { name: string }[],
): BuiltLoadBalancer[] {
  return services
    .filter((s) => s.decl.type === 'LoadBalancer' && s.ingress.length > 0)
    .flatMap((s) =>
      s.ingress.map((ing) => ({
        service: `${s.namespace}/${s.name}`,
        ip: ing.ip,
        hostname: ing.hostname,
        ports: s.ports.map((p) => ({ port: p.port, protocol: p.protocol, nodePort: p.nodePort })),
        healthCheckNodePort: s.healthCheckNodePort,
        healthyNodes: nodes
          .filter(
            (n) =>
              s.healthCheckNodePort === null ||
              s.ports.some((p) => p.endpoints.some((e) => e.node === n.name && e.ready)),
          )
          .map((n) => n.name),
      })),
    )
}
