/** A veth pair: `eth0` in the Pod's namespace, the other end on the host. */
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import { newLink, type Link, type NetNs } from '../net/netns.ts'
import { nsOf, type BuildContext } from './context.ts'
import { addAddress, newNamespace, nextIfindex } from './host.ts'

export interface VethPair {
  podNs: NetNs
  podEth0: Link
  hostNs: NetNs
  hostVeth: Link
}

export interface VethOptions {
  hostName: string
  hostMac: string
  podMac: string
  mtu: number
  /** Prefix length of the Pod's address on eth0: the node subnet (bridge) or /32 (Calico, AWS). */
  prefix: number
}

export function createVethPair(
  ctx: BuildContext,
  node: BuiltNode,
  pod: BuiltPod,
  o: VethOptions,
): VethPair {
  const hostNs = nsOf(ctx, node.nsId)
  const podNs = newNamespace(pod.nsId, 'pod', node.name, `${pod.namespace}/${pod.name}`)
  const podEth0 = newLink(2, 'eth0', 'veth', o.mtu, o.podMac)
  const hostVeth = newLink(nextIfindex(hostNs), o.hostName, 'veth', o.mtu, o.hostMac)
  podEth0.peer = { ns: hostNs.id, ifname: hostVeth.name, ifindex: hostVeth.ifindex }
  hostVeth.peer = { ns: podNs.id, ifname: 'eth0', ifindex: podEth0.ifindex }
  podNs.links.push(podEth0)
  hostNs.links.push(hostVeth)
  addAddress(podNs, podEth0, pod.ip, o.prefix)
  ctx.netns.set(podNs.id, podNs)
  pod.hostVeth = hostVeth.name
  return { podNs, podEth0, hostNs, hostVeth }
}
