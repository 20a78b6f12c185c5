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
import { joinCniIptables, type CniIptables } from './cni-iptables.ts'
import { felixIptables } from './felix/felix-iptables.ts'
import { felixNatTable } from './felix/nat.ts'
import { flannelForwardRules } from './flannel-forward.ts'
import { flannelMasqRules } from './flannel-masq.ts'
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
    // Two agents write iptables here. The kube-flannel container runs flanneld with --ip-masq
    // (canal.yaml: the command line, and FLANNELD_IP_MASQ from canal-config's masquerade: "true")
    // and its default --iptables-forward-rules: FLANNEL-POSTRTG and FLANNEL-FWD, both jumps
    // appended. Felix polices the Pods (./felix/) and keeps its nat table: on a kubeadm cluster
    // calico-node's startup (node/pkg/lifecycle/startup configureIPPools) takes the default pool
    // from kubeadm-config's podSubnet, the cluster CIDR, with natOutgoing (its
    // CALICO_IPV4POOL_NAT_OUTGOING default), and canal has no Calico tunnel device. Felix's own
    // appended jumps must be last in their chains (iptables/table.go
    // expectedHashesForInsertAppendChain puts them after every other rule and rewrites a chain
    // where they are not), so flanneld's come before felix's in POSTROUTING and FORWARD.
    iptables: (ctx, node) => {
      const pools = [{ cidr: ctx.decl.clusterCIDR, natOutgoing: ctx.decl.cni.natOutgoing }]
      const none = { natChains: [], rules: [], jumps: [] }
      const masq =
        ctx.decl.cni.ipMasq && node.podCIDR
          ? canalMasq(flannelMasqRules(ctx.decl.clusterCIDR, node.podCIDR, 'canal.yaml'))
          : none
      return joinCniIptables(
        joinCniIptables(masq, felixNatTable(pools, null)),
        joinCniIptables(flannelForwardRules(ctx.decl.clusterCIDR), felixIptables(ctx, node)),
      )
    },
  }
}

/** flanneld's masquerade as canal runs it: felix's nat chain, after it, is never reached. */
function canalMasq(flannel: CniIptables): CniIptables {
  const told = flannel.masqueradeText!
  return {
    ...flannel,
    masqueradeText: (m) => {
      const t = told(m)
      return {
        en: `${t.en} In canal, felix's cali-POSTROUTING comes after FLANNEL-POSTRTG in POSTROUTING (felix keeps its jump last): a MASQUERADE ends the nat table's walk, so felix's cali-nat-outgoing is not reached.`,
        'zh-CN': `${t['zh-CN']}在 canal 中，felix 的 cali-POSTROUTING 在 POSTROUTING 里排在 FLANNEL-POSTRTG 之后（felix 让自己的跳转保持在最后）：MASQUERADE 结束了 nat 表的遍历，所以不会走到 felix 的 cali-nat-outgoing。`,
      }
    },
  }
}
