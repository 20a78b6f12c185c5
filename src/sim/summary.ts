/** A plain-data view of a built cluster, for drawing it. */
import { formatCidr, formatIp } from '../model/ipv4.ts'
import type { Cluster } from './cluster.ts'
import type { ClusterSummary } from './protocol.ts'
import { SANDBOX_IMAGE } from './sandbox.ts'
import { summarizeL7 } from './summary-l7.ts'

export function summarize(c: Cluster): ClusterSummary {
  const cni = c.decl.cni
  return {
    name: c.decl.name,
    cni: cni.backend ? `${cni.plugin} ${cni.backend}` : cni.plugin,
    mtu: c.mtu,
    podMtu: c.podMtu,
    nodes: c.nodes.map((n) => ({
      name: n.name,
      ip: formatIp(n.ip),
      // A Calico node may own several IPAM blocks: all of them are its Pod range.
      podCIDR:
        n.blocks.length > 1
          ? n.blocks.map(formatCidr).join(', ')
          : n.podCIDR
            ? formatCidr(n.podCIDR)
            : null,
      devices: c.netns.get(n.nsId)!.links.map((l) => ({
        name: l.name,
        kind: l.kind,
        mtu: l.mtu,
        mac: l.mac,
        addresses: l.addrs.map((a) => `${formatIp(a.ip)}/${a.prefix}`),
        master: l.master,
        peer: l.peer ? (c.netns.get(l.peer.ns)?.pod ?? null) : null,
      })),
    })),
    pods: c.pods.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      node: p.node,
      ip: formatIp(p.ip),
      hostNetwork: p.hostNetwork,
      sandbox: SANDBOX_IMAGE,
      containers: p.containers.map((k) => ({
        name: k.name,
        image: k.image,
        ports: k.ports.map((x) => `${x.containerPort}/${x.protocol}`),
      })),
      hostVeth: p.hostVeth,
    })),
    services: c.services.map((svc) => ({
      namespace: svc.namespace,
      name: svc.name,
      type: svc.decl.type,
      clusterIP:
        svc.clusterIP !== null
          ? formatIp(svc.clusterIP)
          : svc.decl.clusterIP === 'None'
            ? 'None'
            : null,
      ports: svc.ports.map(
        (p) => `${p.port}${p.nodePort !== null ? `:${p.nodePort}` : ''}/${p.protocol}`,
      ),
      loadBalancer: svc.ingress.flatMap((i) =>
        i.ip !== null ? [formatIp(i.ip)] : i.hostname !== null ? [i.hostname] : [],
      ),
      externalIPs: svc.externalIPs.map(formatIp),
      externalName: svc.decl.externalName,
    })),
    ...(c.l7.ingresses.length + c.l7.gateways.length + c.l7.httpRoutes.length
      ? { l7: summarizeL7(c) }
      : {}),
  }
}
