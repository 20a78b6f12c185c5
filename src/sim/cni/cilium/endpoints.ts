/**
 * What Cilium's BPF programs look up to move a Pod's packet: the local endpoints (the
 * cilium_lxc map, keyed by the endpoint's address: its host-side ifindex and both MACs) and the
 * ipcache (cilium_ipcache: each address or prefix the cluster knows, with the node that holds
 * it as the tunnel endpoint). PodPath reads both off the built cluster. An ipcache row is its key
 * and its value exactly as the agent prints the value (ipcacheValue); the lxc row is a form of
 * PodPath's own (it leaves out the identity the map also carries).
 */
import { formatCidr, formatIp, cidrContains, parseIp } from '../../../model/ipv4.ts'
import type { Lookup } from '../../../model/trace.ts'
import type { BuiltNode, BuiltPod, Cluster } from '../../cluster.ts'
import { findLink, type Link, type NetNs } from '../../net/netns.ts'
import { podIdentity, RESERVED_IDENTITIES } from './identity.ts'

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

/**
 * What the ipcache holds for an address behind another node, as the node manager and the Pod
 * watcher write it: a remote Pod's /32 with its security identity; the node's router address
 * (CiliumInternalIP) as remote-node, with the node as tunnel endpoint (pkg/node/manager
 * nodeAddressHasTunnelIP); else the node's Pod CIDR, identity reserved:world, with the node as
 * tunnel endpoint (cilium/cilium#38015, which moved the tunnel map's Pod CIDRs into the ipcache).
 */
export function remoteNode(
  c: Cluster,
  ns: NetNs,
  ip: string,
): { node: BuiltNode; prefix: string; identity: number } | null {
  const n = parseIp(ip)
  if (n === null) return null
  const pod = c.pods.find((p) => p.ip === n && !p.hostNetwork && p.node !== ns.node)
  if (pod) {
    const identity = podIdentity(c, pod)?.id ?? RESERVED_IDENTITIES.world
    return { node: c.nodeByName.get(pod.node)!, prefix: `${ip}/32`, identity }
  }
  // A node address behind the tunnel: only a remote node's router address has one.
  const addr = nodeAddressIdentity(c, ns, n)
  if (addr?.tunnel != null)
    return { node: addr.node, prefix: `${ip}/32`, identity: RESERVED_IDENTITIES[addr.identity] }
  const node = c.nodes.find((x) => x.name !== ns.node && x.podCIDR && cidrContains(x.podCIDR, n))
  return node
    ? { node, prefix: formatCidr(node.podCIDR!), identity: RESERVED_IDENTITIES.world }
    : null
}

/**
 * An ipcache value as the agent prints it (pkg/maps/ipcache RemoteEndpointInfo.String:
 * "identity=%d encryptkey=%d tunnelendpoint=%s flags=%s"; NewValue sets hastunnel with a tunnel
 * endpoint, and the flags print "<none>" when none is set). No encryption: key 0.
 */
export function ipcacheValue(identity: number, tunnel: number | null): string {
  return `identity=${identity} encryptkey=0 tunnelendpoint=${tunnel === null ? '0.0.0.0' : formatIp(tunnel)} flags=${tunnel === null ? '<none>' : 'hastunnel'}`
}

export function ipcacheLookup(r: { node: BuiltNode; prefix: string; identity: number }): Lookup {
  return {
    table: IPCACHE_TABLE,
    rule: `${r.prefix} ${ipcacheValue(r.identity, r.node.ip)}`,
    matched: true,
  }
}

export const IPCACHE_TABLE = 'Cilium ipcache (cilium_ipcache)'

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
): { node: BuiltNode; identity: 'host' | 'remote-node'; tunnel: number | null } | null {
  const node = c.nodes.find((n) => n.ip === ip || n.externalIP === ip || n.routerIp === ip)
  if (!node) return null
  const remote = node.name !== ns.node
  // Only a remote node's router address (CiliumInternalIP) is reached through the tunnel
  // (pkg/node/manager nodeAddressHasTunnelIP, with no encryption and no host firewall).
  const tunnel = remote && node.routerIp === ip ? node.ip : null
  return { node, identity: remote ? 'remote-node' : 'host', tunnel }
}
