/** What every CNI implementation provides to the cluster build. */
import type { Where } from '../../model/diagnostic.ts'
import type { Text } from '../../model/text.ts'
import type { BuiltNode, BuiltPod, Underlay } from '../cluster.ts'
import type { BuildContext } from '../assemble/context.ts'
import type { CniIptables } from './cni-iptables.ts'

/** A Pod address the scenario already gives (status.podIP, or a CNI's annotation), by node. */
export interface GivenAddress {
  node: string
  ip: number
  /** `namespace/name` of the Pod. */
  pod: string
  where: Where
}

export interface CniDataplane {
  /** The node network the plugin needs (default 'lan'). */
  readonly underlay?: Underlay
  /** Bytes of encapsulation each packet pays: 50 for VXLAN, 20 for IP-in-IP, 0 otherwise. */
  readonly overhead: number
  /**
   * Decides each node's Pod range (and tunnel address); reports what cannot work. `given` are
   * the Pod addresses the scenario states, for a plugin whose ranges are read off them (Calico).
   */
  prepareNodes(ctx: BuildContext, given: readonly GivenAddress[]): void
  /** The addresses a Pod on `node` may have, in the order the plugin's IPAM hands them out. */
  podAddresses(ctx: BuildContext, node: BuiltNode): Iterable<number>
  /** True when `ip`, given in a Pod's status, is one this node's IPAM could have handed out. */
  ownsAddress(ctx: BuildContext, node: BuiltNode, ip: number): boolean
  /** Why `ip` given for a Pod on `node` cannot be (when ownsAddress says no; a default otherwise). */
  foreignAddress?(ctx: BuildContext, node: BuiltNode, ip: number): Text
  /** Host devices and the routes, neighbours and FDB entries that reach the other nodes. */
  setupNode(ctx: BuildContext, node: BuiltNode): void
  /** The Pod's namespace, its eth0, the host-side veth and the host route to it. */
  setupPod(ctx: BuildContext, node: BuiltNode, pod: BuiltPod): void
  /** MTU of the Pods' eth0 (default: the underlay MTU less `overhead`). */
  podMtu?(ctx: BuildContext): number
  /** Why NetworkPolicy is not enforced in the traces (absent: the plugin's agent enforces it). */
  readonly policyNotEnforced?: Text
  /** iptables rules the plugin's agent writes on `node`, if any. */
  iptables?(ctx: BuildContext, node: BuiltNode): CniIptables
}
