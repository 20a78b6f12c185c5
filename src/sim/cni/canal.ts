/**
 * canal (projectcalico/calico manifests/canal.yaml): Calico's CNI plugin and Felix for the Pods'
 * side, flannel for the network between nodes. The CNI config is `"type": "calico"` with
 * `"ipam": {"type": "host-local", "subnet": "usePodCidr"}`, so each Pod gets a Calico veth
 * (cali + hash, proxy ARP, /32 behind 169.254.1.1) and an address from its node's podCIDR (.2
 * onward; host-local keeps .1 as the range's gateway); calico-node runs with
 * CALICO_NETWORKING_BACKEND=none (no BIRD, so no blackhole routes), and the kube-flannel
 * container of the same DaemonSet builds flannel.1 and its routes from net-conf.json.
 */
import type { FlannelBackend } from '../../model/scenario.ts'
import type { CniDataplane } from './dataplane.ts'
import { attachCalicoVeth } from './calico.ts'
import { felixIptables } from './felix/felix-iptables.ts'
import { prepareFlannelNodes, setupFlannelNode, VXLAN_OVERHEAD } from './flannel.ts'
import { assignNodePodCIDRs, hostLocalAddresses, hostLocalOwns } from './linux-bridge.ts'

export function canalDataplane(backend: FlannelBackend): CniDataplane {
  return {
    overhead: backend === 'vxlan' ? VXLAN_OVERHEAD : 0,
    prepareNodes(ctx) {
      assignNodePodCIDRs(ctx)
      prepareFlannelNodes(ctx, backend)
    },
    podAddresses: (_ctx, node) => (node.podCIDR ? hostLocalAddresses(node.podCIDR) : []),
    ownsAddress: (_ctx, node, ip) => hostLocalOwns(node.podCIDR, ip),
    setupNode: (ctx, node) => setupFlannelNode(ctx, node, backend),
    setupPod(ctx, node, pod) {
      if (node.podCIDR) attachCalicoVeth(ctx, node, pod, ctx.mtu)
    },
    // The manifest leaves veth_mtu at "0": the Calico CNI plugin then takes the MTU Felix wrote
    // to /var/lib/calico/mtu (plugin.go MTUFromFile), and Felix, with none of its own
    // encapsulations enabled, writes the host interface's (int_dataplane.go determinePodMTU).
    // flannel.1 is 50 bytes smaller, so a full-size Pod packet does not fit the tunnel.
    podMtu: (ctx) => ctx.mtu,
    // canal runs felix for policy: the same filter chains as Calico (./felix/).
    iptables: felixIptables,
  }
}
