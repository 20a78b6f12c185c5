/**
 * What a public name (www.example.com) resolves to for a client on the Internet. The cluster's
 * DNS is not involved: the name lives in a public zone that the site's owner (or a tool such as
 * external-dns) points at the address exposing the Ingress controller or the Gateway. PodPath
 * assumes that record exists: a name that an Ingress rule (or a Gateway route) serves resolves
 * to the EXTERNAL-IP of the LoadBalancer Service in front of that controller, or, for a NodePort
 * Service, to the first node's address.
 */
import { formatIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Lookup } from '../../model/trace.ts'
import type { BuiltPod, Cluster } from '../cluster.ts'
import { gatewayHostMatches, ingressHostMatches } from '../l7/request.ts'
import { gatewayPodsFor, routesNaming } from '../gateway/gateway-listener.ts'
import type { BuiltService } from '../services/service.ts'
import { ingressControllerOf, ingressesOf } from './controller-listener.ts'

export interface PublicName {
  name: string
  ip: string
  /** The Service whose address the record points at. */
  service: string
  /** What serves the name there: "the ingress-nginx controller of Ingress web/shop". */
  servedBy: Text
  lookups: Lookup[]
  explain: Text
}

/** TTL PodPath shows on the public record (a common default of DNS hosting). */
const TTL = 300

function exposing(c: Cluster, pods: BuiltPod[]): BuiltService | null {
  const keys = new Set(pods.map((p) => `${p.namespace}/${p.name}`))
  const svcs = c.services.filter(
    (s) =>
      (s.decl.type === 'LoadBalancer' || s.decl.type === 'NodePort') &&
      s.ports.some((p) => p.endpoints.some((e) => e.pod !== null && keys.has(e.pod))),
  )
  return (
    svcs.find((s) => s.decl.type === 'LoadBalancer' && s.ingress.some((i) => i.ip !== null)) ??
    svcs[0] ??
    null
  )
}

function record(
  c: Cluster,
  name: string,
  svc: BuiltService,
  servedBy: Text,
): PublicName | { error: Text } {
  const lb = svc.ingress.find((i) => i.ip !== null)
  const key = `${svc.namespace}/${svc.name}`
  if (svc.decl.type === 'LoadBalancer' && !lb && svc.ingress.some((i) => i.hostname)) {
    const host = svc.ingress.find((i) => i.hostname)!.hostname!
    return {
      error: text(
        `"${name}" would be a CNAME to ${host}, the load balancer name of Service ${key}; PodPath does not resolve cloud load balancer names`,
        `“${name}” 会是指向 ${host}（Service ${key} 的负载均衡器名字）的 CNAME；PodPath 不解析云负载均衡器的名字`,
      ),
    }
  }
  const ip = lb ? formatIp(lb.ip!) : formatIp(c.nodes[0]!.ip)
  const how = lb
    ? text(
        `the EXTERNAL-IP of LoadBalancer Service ${key}`,
        `LoadBalancer Service ${key} 的 EXTERNAL-IP`,
      )
    : text(
        `the address of ${c.nodes[0]!.name}, where NodePort Service ${key} listens (the client must use its node port)`,
        `${c.nodes[0]!.name} 的地址，NodePort Service ${key} 在那里监听（客户端必须使用它的节点端口）`,
      )
  return {
    name,
    ip,
    service: key,
    servedBy,
    lookups: [
      { table: 'public DNS (dig A)', rule: `${name}.\t${TTL}\tIN\tA\t${ip}`, matched: true },
    ],
    explain: text(
      `Before it can connect, the client resolves "${name}" through the public DNS, not the cluster's CoreDNS. The answer is ${ip}, ${how.en}, which exposes ${servedBy.en}. PodPath assumes the site's owner (or external-dns) created this A record; Kubernetes itself does not publish public names.`,
      `连接之前，客户端通过公共 DNS（而不是集群的 CoreDNS）解析 “${name}”。答案是 ${ip}，即 ${how['zh-CN']}，它暴露了${servedBy['zh-CN']}。PodPath 假定站点所有者（或 external-dns）已经创建了这条 A 记录；Kubernetes 本身不会发布公共名字。`,
    ),
  }
}

/** The public record for `name`, from the Ingresses and Gateways that serve it; null if none. */
export function publicName(c: Cluster, name: string): PublicName | { error: Text } | null {
  const host = name.toLowerCase()
  for (const pod of c.pods) {
    const ctrl = ingressControllerOf(pod)
    if (!ctrl) continue
    const ing = ingressesOf(c, ctrl.kind).find(
      (i) =>
        i.rules.some((r) => r.host !== null && ingressHostMatches(r.host, host)) ||
        i.tls.some((t) => t.hosts.some((h) => ingressHostMatches(h, host))),
    )
    if (!ing) continue
    const pods = c.pods.filter((p) => ingressControllerOf(p)?.kind === ctrl.kind)
    const svc = exposing(c, pods)
    if (svc)
      return record(
        c,
        host,
        svc,
        text(
          `the ${ctrl.kind} controller that serves Ingress ${ing.namespace}/${ing.name}`,
          `为 Ingress ${ing.namespace}/${ing.name} 服务的 ${ctrl.kind} 控制器`,
        ),
      )
  }
  for (const gw of c.l7.gateways) {
    const served =
      gw.listeners.some((l) => l.hostname !== null && gatewayHostMatches(l.hostname, host)) ||
      routesNaming(c, gw).some((r) => r.hostnames.some((h) => gatewayHostMatches(h, host)))
    if (!served) continue
    const svc = exposing(c, gatewayPodsFor(c, gw))
    if (svc)
      return record(
        c,
        host,
        svc,
        text(
          `the Envoy proxy of Gateway ${gw.namespace}/${gw.name}`,
          `Gateway ${gw.namespace}/${gw.name} 的 Envoy 代理`,
        ),
      )
  }
  return null
}
