/** What every CNI implementation provides to the cluster build. */
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import type { BuildContext } from '../build/context.ts'

export interface CniDataplane {
  /** Bytes of encapsulation each packet pays: 50 for VXLAN, 20 for IP-in-IP, 0 otherwise. */
  readonly overhead: number
  /** Decides each node's Pod range (and tunnel address); reports what cannot work. */
  prepareNodes(ctx: BuildContext): void
  /** The addresses a Pod on `node` may have, in the order the plugin's IPAM hands them out. */
  podAddresses(ctx: BuildContext, node: BuiltNode): Iterable<number>
  /** True when `ip`, given in a Pod's status, is one this node's IPAM could have handed out. */
  ownsAddress(ctx: BuildContext, node: BuiltNode, ip: number): boolean
  /** Host devices and the routes, neighbours and FDB entries that reach the other nodes. */
  setupNode(ctx: BuildContext, node: BuiltNode): void
  /** The Pod's namespace, its eth0, the host-side veth and the host route to it. */
  setupPod(ctx: BuildContext, node: BuiltNode, pod: BuiltPod): void
}
