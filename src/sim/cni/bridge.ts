/**
 * The plain CNI `bridge` plugin with host-local IPAM and isDefaultGateway: Pods on one host
 * share a bridge (`cni0`, or `docker0` as Docker names its own). It installs no route to other
 * nodes' Pods: that is the job of a cluster network plugin such as flannel or Calico.
 */
import type { CniDataplane } from './dataplane.ts'
import { POLICY_NOT_ENFORCED } from './policy-support.ts'
import {
  assignNodePodCIDRs,
  attachPodToBridge,
  hostLocalAddresses,
  hostLocalOwns,
} from './linux-bridge.ts'

export function bridgeDataplane(): CniDataplane {
  return {
    overhead: 0,
    policyNotEnforced: POLICY_NOT_ENFORCED.bridge,
    prepareNodes: (ctx) => assignNodePodCIDRs(ctx),
    podAddresses: (_ctx, node) => (node.podCIDR ? hostLocalAddresses(node.podCIDR) : []),
    ownsAddress: (_ctx, node, ip) => hostLocalOwns(node.podCIDR, ip),
    setupNode: () => {},
    setupPod(ctx, node, pod) {
      if (!node.podCIDR) return
      // hairpinMode defaults to false in the bridge plugin's configuration.
      attachPodToBridge(ctx, node, pod, { mtu: ctx.mtu, hairpin: false, extraRoutes: [] })
    },
  }
}
