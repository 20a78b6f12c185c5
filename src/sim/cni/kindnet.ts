/**
 * kindnet (kubernetes-sigs/kind images/kindnetd), the CNI every kind cluster runs unless told
 * not to. kindnetd writes /etc/cni/net.d/10-kindnet.conflist: the `ptp` plugin with host-local
 * IPAM over the node's podCIDR, a default route and the MTU of eth0 (cni.go cniConfigTemplate,
 * computeBridgeMTU); it adds a route to every other node's podCIDR via that node's InternalIP
 * (routes.go syncRoute) and masquerades what leaves the Pod network (masq.go). No bridge, no
 * overlay: a veth per Pod, the host end holding the gateway address.
 */
import { formatCidr } from '../../model/ipv4.ts'
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import { stableRandomHex8, stableRandomMac } from '../hash.ts'
import { route } from '../net/netns.ts'
import { nsOf, type BuildContext } from '../assemble/context.ts'
import { addAddress } from '../assemble/host.ts'
import { createVethPair } from '../assemble/veth.ts'
import type { CniDataplane } from './dataplane.ts'
import { POLICY_NOT_ENFORCED } from './policy-support.ts'
import type { CniIptables } from './cni-iptables.ts'
import { requireOneL2 } from './flannel.ts'
import { assignNodePodCIDRs, gatewayOf, hostLocalAddresses, hostLocalOwns } from './linux-bridge.ts'

// masq.go masqChainName.
export const KIND_MASQ_CHAIN = 'KIND-MASQ-AGENT'

export function kindnetDataplane(): CniDataplane {
  return {
    overhead: 0,
    policyNotEnforced: POLICY_NOT_ENFORCED.kindnet,
    prepareNodes(ctx) {
      assignNodePodCIDRs(ctx)
      // A route "via <node IP>" without a device needs the node IP on a connected network.
      requireOneL2(ctx, 'kindnet')
    },
    // host-local over ranges [[{subnet: podCIDR}]]: the gateway is .1, Pods from .2.
    podAddresses: (_ctx, node) => (node.podCIDR ? hostLocalAddresses(node.podCIDR) : []),
    ownsAddress: (_ctx, node, ip) => hostLocalOwns(node.podCIDR, ip),
    setupNode(ctx, node) {
      const ns = nsOf(ctx, node.nsId)
      // netlink.Route{Dst: podCIDR, Gw: nodeIP}: no protocol given, so RTPROT_BOOT, which
      // `ip route` does not print; the kernel finds eth0 as the way to the gateway.
      for (const other of ctx.nodes) {
        if (other === node || !other.podCIDR) continue
        ns.routes.push(route({ dst: other.podCIDR, via: other.ip, dev: 'eth0' }))
      }
    },
    setupPod(ctx, node, pod) {
      if (node.podCIDR) attachPtpVeth(ctx, node, pod, ctx.mtu)
    },
    iptables: (ctx) => kindMasqRules(ctx.decl.clusterCIDR),
  }
}

/**
 * The ptp plugin (containernetworking/plugins plugins/main/ptp/ptp.go): the Pod's address with
 * the subnet's prefix, the kernel's connected route replaced by "<gw> dev eth0 scope link src
 * <ip>" and "<subnet> via <gw> src <ip>" so every packet goes through the gateway; IPAM's
 * default route via the gateway (ipam.ConfigureIface). On the host the veth ("veth" + 8 hex,
 * ip.SetupVeth) holds the gateway as /32 and a host-scoped route leads to the Pod.
 */
export function attachPtpVeth(ctx: BuildContext, node: BuiltNode, pod: BuiltPod, mtu: number) {
  const key = `${pod.namespace}/${pod.name}`
  const subnet = node.podCIDR!
  const gw = gatewayOf(subnet)
  const { podNs, hostVeth, hostNs } = createVethPair(ctx, node, pod, {
    hostName: `veth${stableRandomHex8(key)}`,
    hostMac: stableRandomMac(`pod:${key}:host`),
    podMac: stableRandomMac(`pod:${key}:eth0`),
    mtu,
    prefix: subnet.prefix,
  })
  podNs.routes = podNs.routes.filter(
    (r) => !(r.table === 'main' && r.proto === 'kernel' && r.dev === 'eth0'),
  )
  podNs.routes.push(
    route({ dst: 'default', via: gw, dev: 'eth0' }),
    route({ dst: subnet, via: gw, dev: 'eth0', src: pod.ip }),
    route({ dst: { base: gw, prefix: 32 }, dev: 'eth0', scope: 'link', src: pod.ip }),
  )
  addAddress(hostNs, hostVeth, gw, 32)
  hostNs.routes.push(
    route({ dst: { base: pod.ip, prefix: 32 }, dev: hostVeth.name, scope: 'host' }),
  )
}

/**
 * masq.go SyncRules: a nat chain that returns for the Pod subnet (POD_SUBNET, the cluster CIDR)
 * and masquerades the rest, reached from POSTROUTING for every destination that is not local.
 * The arguments are in the order iptables-save prints them back.
 */
export function kindMasqRules(podSubnet: { base: number; prefix: number }): CniIptables {
  const nat = (chain: string, ...args: string[]) => ({ table: 'nat' as const, chain, args })
  return {
    natChains: [KIND_MASQ_CHAIN],
    rules: [
      nat(
        KIND_MASQ_CHAIN,
        '-d',
        formatCidr(podSubnet),
        '-m',
        'comment',
        '--comment',
        '"kind-masq-agent: local traffic is not subject to MASQUERADE"',
        '-j',
        'RETURN',
      ),
      nat(
        KIND_MASQ_CHAIN,
        '-m',
        'comment',
        '--comment',
        '"kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)"',
        '-j',
        'MASQUERADE',
      ),
    ],
    jumps: [
      nat(
        'POSTROUTING',
        '-m',
        'addrtype',
        '!',
        '--dst-type',
        'LOCAL',
        '-m',
        'comment',
        '--comment',
        '"kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain"',
        '-j',
        KIND_MASQ_CHAIN,
      ),
    ],
  }
}
