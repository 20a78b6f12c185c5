/**
 * Cilium registers its BPF programs at the walk's hooks, as its agent loads them: the tc
 * programs by name (the devices it set up name what is attached to them) and, with
 * kubeProxyReplacement, the socket load balancer at every socket's connect().
 */
import type { Cluster } from '../../cluster.ts'
import type { HookRegistry } from '../../walk/hooks.ts'
import { fromHost } from './bpf-datapath.ts'
import {
  FROM_NETDEV,
  fromContainerNodePort,
  fromNetdev,
  fromOverlayNodePort,
} from './bpf-nodeport.ts'
import { sock4Xlate } from './bpf-sock.ts'
import { FROM_CONTAINER, FROM_HOST, FROM_OVERLAY } from './names.ts'
import { kubeProxyReplaced } from './service-list.ts'

export function registerCilium(reg: HookRegistry, cluster: Cluster): void {
  // The lxc and overlay programs first reverse a NodePort connection's NAT (./bpf-nodeport.ts).
  reg.registerTc(FROM_CONTAINER, 'cilium (bpf_lxc)', fromContainerNodePort)
  reg.registerTc(FROM_OVERLAY, 'cilium (bpf_overlay)', fromOverlayNodePort)
  reg.registerTc(FROM_NETDEV, 'cilium (bpf_host)', fromNetdev)
  reg.registerTc(FROM_HOST, 'cilium (bpf_host)', fromHost)
  if (kubeProxyReplaced(cluster.decl)) reg.registerConnect('cilium (bpf_sock)', sock4Xlate)
}
