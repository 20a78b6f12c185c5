/**
 * What a public name (www.example.com) resolves to for a client on the Internet. The cluster's
 * DNS is not involved: the name lives in a public zone that the site's owner (or a tool such as
 * external-dns) points at the address exposing the Ingress controller or the Gateway. PodPath
 * assumes that record exists: a name that an Ingress rule (or a Gateway route) serves resolves
 * to the EXTERNAL-IP of the LoadBalancer Service in front of that controller, or, for a NodePort
 * Service, to the first node's address. A wildcard host is a wildcard record, which answers at
 * any depth below it (RFC 4592); the controller then matches the Host as its own rules say.
 */
import { formatIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import type { Lookup } from '../../model/trace.ts'
import type { BuiltPod, Cluster } from '../cluster.ts'
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

/** A name in the public zone: exact (www.example.com) or a wildcard (*.example.com). */
interface ZoneName {
  owner: string
  svc: BuiltService
  servedBy: Text
}

/** A host an Ingress or a Gateway names that has no address to publish, and why. */
interface Unpublished {
  owner: string
  servedBy: Text
  why: Text
}

/**
 * The public zone PodPath assumes: every host an Ingress rule or TLS entry of a running
 * controller names, and every hostname of a Gateway listener or of an HTTPRoute naming it, at
 * the address of the Service exposing that controller or Gateway. The first to name a host
 * holds it (Ingresses first, then Gateways).
 */
function publicZone(c: Cluster): { names: ZoneName[]; unpublished: Unpublished[] } {
  const names: ZoneName[] = []
  const unpublished: Unpublished[] = []
  const add = (hosts: string[], svc: BuiltService | null, servedBy: Text, why: Text) => {
    for (const h of hosts.map((x) => x.toLowerCase())) {
      if (svc && !names.some((n) => n.owner === h)) names.push({ owner: h, svc, servedBy })
      else if (!svc) unpublished.push({ owner: h, servedBy, why })
    }
  }
  const kinds = [...new Set(c.pods.map((p) => ingressControllerOf(p)?.kind).filter((k) => !!k))]
  for (const kind of kinds) {
    const pods = c.pods.filter((p) => ingressControllerOf(p)?.kind === kind)
    const svc = exposing(c, pods)
    for (const ing of ingressesOf(c, kind!)) {
      const hosts = [
        ...ing.rules.flatMap((r) => (r.host === null ? [] : [r.host])),
        ...ing.tls.flatMap((t) => t.hosts),
      ]
      add(
        hosts,
        svc,
        text(
          `the ${kind} controller that serves Ingress ${ing.namespace}/${ing.name}`,
          `为 Ingress ${ing.namespace}/${ing.name} 服务的 ${kind} 控制器`,
        ),
        text(
          `no LoadBalancer or NodePort Service exposes the ${kind} controller`,
          `没有 LoadBalancer 或 NodePort Service 暴露 ${kind} 控制器`,
        ),
      )
    }
  }
  for (const gw of c.l7.gateways) {
    const hosts = [
      ...gw.listeners.flatMap((l) => (l.hostname === null ? [] : [l.hostname])),
      ...routesNaming(c, gw).flatMap((r) => r.hostnames),
    ]
    const pods = gatewayPodsFor(c, gw)
    const cls = c.l7.gatewayClasses.find((x) => x.name === gw.gatewayClassName)
    const why = pods.length
      ? text(
          'no LoadBalancer or NodePort Service exposes its Envoy proxy',
          '没有 LoadBalancer 或 NodePort Service 暴露它的 Envoy 代理',
        )
      : cls
        ? text(
            `no controller in this scenario runs its GatewayClass "${cls.name}" (controllerName ${cls.controllerName}), which leaves the Gateway without an address`,
            `本场景中没有控制器运行它的 GatewayClass “${cls.name}”（controllerName ${cls.controllerName}），这个 Gateway 因此没有地址`,
          )
        : text(
            `its GatewayClass "${gw.gatewayClassName}" does not exist, which leaves the Gateway without an address`,
            `它的 GatewayClass “${gw.gatewayClassName}” 不存在，这个 Gateway 因此没有地址`,
          )
    add(
      hosts,
      pods.length ? exposing(c, pods) : null,
      text(
        `the Envoy proxy of Gateway ${gw.namespace}/${gw.name}`,
        `Gateway ${gw.namespace}/${gw.name} 的 Envoy 代理`,
      ),
      why,
    )
  }
  return { names, unpublished }
}

/** `a.b.c` -> `b.c`, `c`: the ancestors of a name, nearest first. */
function ancestors(name: string): string[] {
  const labels = name.split('.')
  return labels.slice(1).map((_, i) => labels.slice(i + 1).join('.'))
}

/**
 * Resolves `name` in the public zone as RFC 4592 says a wildcard answers: an exact record wins;
 * otherwise the closest encloser is the nearest ancestor that exists in the zone (it owns a
 * record, or a name below it does), and only `*.<closest encloser>` may answer, at any depth
 * below it (RFC 4592 sections 2.2.1 and 3.3.1). So *.example.com answers api.eu.example.com, but
 * not x.shop.example.com when shop.example.com has a record of its own.
 */
function lookup(
  names: ZoneName[],
  host: string,
): { hit: ZoneName; wildcard: boolean } | { encloser: string | null } {
  const exact = names.find((n) => n.owner === host)
  if (exact) return { hit: exact, wildcard: false }
  const exists = (d: string) => names.some((n) => n.owner === d || n.owner.endsWith(`.${d}`))
  // A name that exists without a record of its own (an empty non-terminal) answers NODATA.
  if (exists(host)) return { encloser: host }
  for (const d of ancestors(host)) {
    if (!exists(d)) continue
    const wild = names.find((n) => n.owner === `*.${d}`)
    return wild ? { hit: wild, wildcard: true } : { encloser: d }
  }
  return { encloser: null }
}

/**
 * The public record for `name`, from the Ingresses and Gateways that serve it, or why none:
 * `found` when the zone holds the name but PodPath cannot give its address (a CNAME).
 */
export function publicName(c: Cluster, name: string): PublicName | { error: Text; found: boolean } {
  const host = name.toLowerCase()
  const zone = publicZone(c)
  const found = lookup(zone.names, host)
  if ('hit' in found) {
    const r = record(c, host, found.hit.svc, found.hit.servedBy)
    if ('error' in r) return { ...r, found: true }
    if (!found.wildcard) return r
    const via = text(
      ` The zone has no record named "${host}", but it has the wildcard ${found.hit.owner}, and no name between them exists, so the server answers from the wildcard, at any depth below it (RFC 4592); the answer carries the name asked for.`,
      `区域中没有名为 “${host}” 的记录，但有通配符记录 ${found.hit.owner}，而两者之间没有别的名字存在，所以服务器用这条通配符记录应答，无论名字在它下面有几层（RFC 4592）；应答中的名字就是所查询的名字。`,
    )
    return { ...r, explain: text(r.explain.en + via.en, r.explain['zh-CN'] + via['zh-CN']) }
  }
  return { error: unresolvable(zone, host, found.encloser), found: false }
}

/** Which public name no Ingress or Gateway serves, what the zone does hold, and why not this one. */
function unresolvable(
  zone: { names: ZoneName[]; unpublished: Unpublished[] },
  host: string,
  encloser: string | null,
): Text {
  const served = zone.names.map((n) => n.owner)
  const list = served.length
    ? text(
        `; the public names served here: ${served.join(', ')}`,
        `；这里提供的公共名字：${served.join('、')}`,
      )
    : text(
        '; no Ingress or Gateway in this scenario serves a public name',
        '；本场景中没有任何 Ingress 或 Gateway 提供公共名字',
      )
  const covering = (owner: string) =>
    owner === host || (owner.startsWith('*.') && host.endsWith(owner.slice(1)))
  const blocked =
    encloser !== null && encloser !== host
      ? zone.names.find((n) => n.owner.startsWith('*.') && covering(n.owner))
      : undefined
  const why = blocked
    ? text(
        ` (the wildcard ${blocked.owner} does not answer it: ${encloser} exists in the zone, and a wildcard answers only below the closest name that exists, RFC 4592; there is no *.${encloser})`,
        `（通配符 ${blocked.owner} 不会应答它：区域中存在 ${encloser}，而通配符只对最近的已存在名字之下的名字应答（RFC 4592）；这里没有 *.${encloser}）`,
      )
    : text('', '')
  const named = zone.unpublished.filter((u) => covering(u.owner))
  if (named.length) {
    // Named, but nothing gives it an address: say what stands in the way.
    const u = named[0]!
    return text(
      `"${u.owner}" is named by ${u.servedBy.en}, but ${u.why.en}, so the public DNS has no record for "${host}" and a client outside the cluster cannot resolve it${list.en}.`,
      `“${u.owner}” 由${u.servedBy['zh-CN']}使用，但${u.why['zh-CN']}，所以公共 DNS 中没有 “${host}” 的记录，集群外部的客户端无法解析它${list['zh-CN']}。`,
    )
  }
  return text(
    `no Ingress or Gateway serves the public name "${host}", so the public DNS has no record for it and a client outside the cluster cannot resolve it${why.en}${list.en}.`,
    `没有任何 Ingress 或 Gateway 提供公共名字 “${host}”，所以公共 DNS 中没有它的记录，集群外部的客户端无法解析它${why['zh-CN']}${list['zh-CN']}。`,
  )
}
