/**
 * The cloud load balancer in front of a LoadBalancer Service, as a client outside the cluster
 * meets it. PodPath assumes a pass-through layer 4 balancer with node targets: it picks a healthy
 * node and rewrites the packet's destination to that node's address and the Service's nodePort,
 * keeping the client's source address, and it rewrites the reply's source back to its own
 * address. That is how an AWS Network Load Balancer with instance targets behaves (AWS docs,
 * "Edit target group attributes for your Network Load Balancer": client IP preservation is on by
 * default for instance targets); other clouds differ, and the Kubernetes docs leave the details
 * to them ("Create an External Load Balancer", "Preserving the client source IP").
 *
 * Health: with externalTrafficPolicy Local the balancer probes each node's healthCheckNodePort;
 * kube-proxy's health server answers 200 when the node has local endpoints and 503 when it has
 * none (pkg/proxy/healthcheck/service_health.go), so only nodes with an endpoint get traffic.
 * With Cluster every node is a target, and PodPath takes them all as healthy.
 */
import { cidrContains, formatCidr, formatIp, parseIp } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import type { BuiltLoadBalancer } from '../services/load-balancer.ts'
import type { LbFlow, Walk, WalkResult } from './api.ts'

export const AT_CLOUD_LB = {
  node: null,
  pod: null,
  container: null,
  device: null,
  component: 'cloud-lb',
  hook: null,
} as const

/** The load balancer answering on `ip`, if any. */
export function loadBalancerAt(w: Walk, ip: string): BuiltLoadBalancer | null {
  const n = parseIp(ip)
  return w.state.cluster.loadBalancers.find((lb) => lb.ip !== null && lb.ip === n) ?? null
}

function localEndpoints(w: Walk, lb: BuiltLoadBalancer, node: string): number {
  const svc = w.state.cluster.services.find((s) => `${s.namespace}/${s.name}` === lb.service)
  const ips = new Set<number>()
  for (const p of svc?.ports ?? [])
    for (const e of p.endpoints) if (e.node === node && e.ready) ips.add(e.ip)
  return ips.size
}

/**
 * The balancer takes the client's packet: picks a node, rewrites the destination to
 * node:nodePort. Returns null when `pkt` is not for a load balancer; a drop when it cannot forward.
 */
export function cloudLbForward(w: Walk, pkt: Packet): WalkResult | 'forwarded' | null {
  const l3 = pkt.l3!
  const lb = loadBalancerAt(w, l3.dst)
  if (!lb) return null
  const proto = l3.proto.toUpperCase()
  const dport = pkt.l4?.dstPort ?? 0
  const port = lb.ports.find((p) => p.port === dport && p.protocol === proto)
  if (!port || port.nodePort === null) {
    return w.drop(
      null,
      AT_CLOUD_LB,
      pkt,
      text('the load balancer has no listener on this port', '负载均衡器在这个端口上没有监听器'),
      text(
        `The cloud load balancer ${l3.dst} of Service ${lb.service} listens only on the Service's ports (${lb.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')}), so nothing takes ${dport}/${proto} and the packet is dropped.`,
        `Service ${lb.service} 的云负载均衡器 ${l3.dst} 只在该 Service 的端口（${lb.ports.map((p) => `${p.port}/${p.protocol}`).join('、')}）上监听，没有谁接收 ${dport}/${proto}，包被丢弃。`,
      ),
    )
  }
  // Kubernetes docs, "Configure Your Cloud Provider's Firewalls": the cloud provider applies
  // spec.loadBalancerSourceRanges at its load balancer (security groups, firewall rules).
  const svc = w.state.cluster.services.find((x) => `${x.namespace}/${x.name}` === lb.service)
  const ranges = svc?.decl.loadBalancerSourceRanges ?? []
  const client = parseIp(l3.src)
  if (ranges.length > 0 && client !== null && !ranges.some((r) => cidrContains(r, client))) {
    return w.drop(
      null,
      AT_CLOUD_LB,
      pkt,
      text('source not in loadBalancerSourceRanges', '源地址不在 loadBalancerSourceRanges 内'),
      text(
        `Service ${lb.service} allows only ${ranges.map(formatCidr).join(', ')} (spec.loadBalancerSourceRanges), and the cloud provider turns that into the load balancer's own firewall rules, so the connection from ${l3.src} is dropped before it reaches any node.`,
        `Service ${lb.service} 只允许 ${ranges.map(formatCidr).join('、')}（spec.loadBalancerSourceRanges），云提供商把它变成负载均衡器自己的防火墙规则，所以来自 ${l3.src} 的连接在到达任何节点之前就被丢弃。`,
      ),
      ranges.map((r) => ({
        table: 'load balancer firewall (loadBalancerSourceRanges)',
        rule: `allow ${formatCidr(r)}`,
        matched: false,
      })),
    )
  }
  const nodes = w.state.cluster.nodes
  const local = lb.healthCheckNodePort !== null
  const lookups: Lookup[] = nodes.map((n) => {
    const count = localEndpoints(w, lb, n.name)
    const healthy = lb.healthyNodes.includes(n.name)
    return {
      table: local ? `health check :${lb.healthCheckNodePort}/healthz` : 'target group',
      rule: local
        ? `${n.name} ${formatIp(n.ip)}:${lb.healthCheckNodePort}  ${count > 0 ? '200 OK' : '503 Service Unavailable'}  localEndpoints: ${count}`
        : `${n.name} ${formatIp(n.ip)}:${port.nodePort}  healthy`,
      matched: healthy,
    }
  })
  const healthy = nodes.filter((n) => lb.healthyNodes.includes(n.name))
  if (healthy.length === 0) {
    return w.drop(
      null,
      AT_CLOUD_LB,
      pkt,
      text('the load balancer has no healthy target', '负载均衡器没有健康的目标'),
      text(
        `Every node fails the health check on port ${lb.healthCheckNodePort}: kube-proxy answers 503 where a node has no ready endpoint of ${lb.service}, and no node has one. The cloud load balancer has nowhere to send the connection.`,
        `所有节点都没有通过端口 ${lb.healthCheckNodePort} 上的健康检查：节点上没有 ${lb.service} 的就绪端点时，kube-proxy 返回 503，而现在没有一个节点有端点。云负载均衡器无处转发这个连接。`,
      ),
      lookups,
    )
  }
  const chosen = healthy[w.rng.int(0, healthy.length - 1)]!
  const nodeIp = formatIp(chosen.ip)
  const flow: LbFlow = { lb, lbIp: l3.dst, lbPort: dport, nodeIp, nodePort: port.nodePort }
  w.lbFlow = flow
  l3.dst = nodeIp
  pkt.l4!.dstPort = port.nodePort
  for (const l of lookups) l.matched = l.matched && l.rule.startsWith(`${chosen.name} `)
  const why = local
    ? text(
        `Service ${lb.service} has externalTrafficPolicy: Local, so the balancer probes every node at http://<node>:${lb.healthCheckNodePort}/healthz (its healthCheckNodePort). kube-proxy answers 200 only on a node that runs a ready endpoint and 503 elsewhere, so only ${healthy.map((n) => n.name).join(', ')} ${healthy.length > 1 ? 'are' : 'is'} in service.`,
        `Service ${lb.service} 设置了 externalTrafficPolicy: Local，所以负载均衡器探测每个节点的 http://<节点>:${lb.healthCheckNodePort}/healthz（它的 healthCheckNodePort）。只有运行着就绪端点的节点上 kube-proxy 才返回 200，其他节点返回 503，所以只有 ${healthy.map((n) => n.name).join('、')} 在服务中。`,
      )
    : text(
        `Service ${lb.service} has externalTrafficPolicy: Cluster, so every node is a target: any node can forward to any endpoint.`,
        `Service ${lb.service} 的 externalTrafficPolicy 是 Cluster，所以每个节点都是目标：任何节点都能转发到任意端点。`,
      )
  w.emit(
    'lb-select',
    AT_CLOUD_LB,
    pkt,
    lookups,
    text(
      `The cloud load balancer for ${lb.service} receives the connection on ${flow.lbIp}:${dport}. ${why.en} It picks ${chosen.name} and forwards to ${nodeIp}:${port.nodePort}, the Service's nodePort; the client address ${l3.src} stays the source. PodPath models a pass-through layer 4 balancer that rewrites only the destination, as an AWS Network Load Balancer with instance targets does (client IP preservation is on by default for them); other clouds may proxy instead.`,
      `${lb.service} 的云负载均衡器在 ${flow.lbIp}:${dport} 上收到连接。${why['zh-CN']}它选中 ${chosen.name}，转发到 ${nodeIp}:${port.nodePort}，即该 Service 的 nodePort；源地址仍是客户端 ${l3.src}。PodPath 把它建模为只改写目的地址的四层直通负载均衡器，就像使用实例目标的 AWS Network Load Balancer（对实例目标默认保留客户端 IP）；其他云也可能以代理方式实现。`,
    ),
  )
  return 'forwarded'
}

/** On the way back: the reply from node:nodePort leaves the balancer from its own address. */
export function cloudLbReply(w: Walk, pkt: Packet): void {
  const f = w.lbFlow
  const l3 = pkt.l3!
  if (!f || l3.src !== f.nodeIp || pkt.l4?.srcPort !== f.nodePort) return
  l3.src = f.lbIp
  pkt.l4.srcPort = f.lbPort
  w.emit(
    'unnat',
    AT_CLOUD_LB,
    pkt,
    [],
    text(
      `The reply comes back through the cloud load balancer, which remembers the connection: it rewrites the source from ${f.nodeIp}:${f.nodePort} back to its own ${f.lbIp}:${f.lbPort}, the address the client called.`,
      `应答经过云负载均衡器返回，它记得这个连接：把源从 ${f.nodeIp}:${f.nodePort} 改回它自己的 ${f.lbIp}:${f.lbPort}，也就是客户端访问的地址。`,
    ),
  )
}
