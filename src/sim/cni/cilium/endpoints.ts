/**
 * What Cilium's BPF programs look up to move a Pod's packet: the local endpoints (the
 * cilium_lxc map, keyed by the endpoint's address: its host-side ifindex and both MACs) and the
 * ipcache (cilium_ipcache: each address or prefix the cluster knows, with the node that holds
 * it as the tunnel endpoint). PodPath reads both off the built cluster and prints a row of each
 * in a form of its own: the security identity both maps also carry (identity.ts computes it) is
 * not in these rows. The real ipcache value prints as RemoteEndpointInfo.String does
 * (pkg/maps/ipcache: "identity=%d encryptkey=%d tunnelendpoint=%s flags=%s"), and since the
 * tunnel map's removal (cilium/cilium#38015, #38839) a remote node's Pod CIDR is an ipcache
 * entry of identity reserved:world with that node as its tunnel endpoint; not yet shown so.
 */
import { formatCidr, formatIp, cidrContains, parseIp } from '../../../model/ipv4.ts'
import type { Lookup } from '../../../model/trace.ts'
import type { BuiltNode, BuiltPod, Cluster } from '../../cluster.ts'
import { findLink, type Link, type NetNs } from '../../net/netns.ts'

export interface LocalEndpoint {
  pod: BuiltPod
  lxc: Link
  podMac: string
}

/** The endpoint on this node with address `ip`, as the cilium_lxc map holds it. */
export function localEndpoint(c: Cluster, ns: NetNs, ip: string): LocalEndpoint | null {
  const n = parseIp(ip)
  const pod = c.pods.find(
    (p) => p.ip === n && !p.hostNetwork && p.node === ns.node && p.hostVeth !== null,
  )
  if (!pod) return null
  const lxc = findLink(ns, pod.hostVeth!)
  const peer = lxc?.peer ? c.netns.get(lxc.peer.ns) : undefined
  const eth0 = peer ? findLink(peer, lxc!.peer!.ifname) : undefined
  if (!lxc || !eth0) return null
  return { pod, lxc, podMac: eth0.mac! }
}

export function endpointLookup(ep: LocalEndpoint): Lookup {
  return {
    table: 'Cilium endpoint map (cilium_lxc)',
    rule: `${formatIp(ep.pod.ip)} ifindex=${ep.lxc.ifindex} (${ep.lxc.name}) mac=${ep.podMac} nodemac=${ep.lxc.mac}`,
    matched: true,
  }
}

/** The node another node's address or Pod CIDR belongs to, as the ipcache's tunnel endpoint. */
export function remoteNode(
  c: Cluster,
  ns: NetNs,
  ip: string,
): { node: BuiltNode; prefix: string } | null {
  const n = parseIp(ip)
  if (n === null) return null
  const pod = c.pods.find((p) => p.ip === n && !p.hostNetwork && p.node !== ns.node)
  if (pod) return { node: c.nodeByName.get(pod.node)!, prefix: `${ip}/32` }
  const node = c.nodes.find((x) => x.name !== ns.node && x.podCIDR && cidrContains(x.podCIDR, n))
  return node ? { node, prefix: formatCidr(node.podCIDR!) } : null
}

export function ipcacheLookup(r: { node: BuiltNode; prefix: string }): Lookup {
  return {
    table: 'Cilium ipcache (cilium_ipcache)',
    rule: `${r.prefix} tunnelendpoint=${formatIp(r.node.ip)}`,
    matched: true,
  }
}

/** The attachment, as `bpftool net` lists a tcx program (its ids left out). */
export function attachedLookup(
  link: Link,
  program: string,
  dir: 'ingress' | 'egress' = 'ingress',
): Lookup {
  return {
    table: `bpftool net show dev ${link.name}`,
    rule: `${link.name}(${link.ifindex}) tcx/${dir} ${program}`,
    matched: true,
  }
}

/**
 * The ipcache's identity of a node's own address: the node manager (pkg/node/manager NodeUpdated)
 * upserts each of a node's addresses (its InternalIP, ExternalIP and CiliumInternalIP, the router
 * address on cilium_host) as a /32 with reserved:host on that node itself and reserved:remote-node
 * on every other. Null for an address that is no node's.
 */
export function nodeAddressIdentity(
  c: Cluster,
  ns: NetNs,
  ip: number,
): { node: BuiltNode; identity: 'host' | 'remote-node' } | null {
  const node = c.nodes.find((n) => n.ip === ip || n.externalIP === ip || n.routerIp === ip)
  if (!node) return null
  return { node, identity: node.name === ns.node ? 'host' : 'remote-node' }
}
