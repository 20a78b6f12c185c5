/**
 * Cilium registers its BPF programs at the walk's hooks, as its agent loads them: the tc
 * programs by name (the devices it set up name what is attached to them) and, with
 * kubeProxyReplacement, the socket load balancer at every socket's connect().
 */
import type { Cluster } from '../../cluster.ts'
import type { HookRegistry } from '../../walk/hooks.ts'
import { fromContainer, fromHost, fromOverlay } from './bpf-datapath.ts'
import { sock4Xlate } from './bpf-sock.ts'
import { FROM_CONTAINER, FROM_HOST, FROM_OVERLAY } from './names.ts'
import { kubeProxyReplaced } from './service-list.ts'

export function registerCilium(reg: HookRegistry, cluster: Cluster): void {
  reg.registerTc(FROM_CONTAINER, 'cilium (bpf_lxc)', fromContainer)
  reg.registerTc(FROM_OVERLAY, 'cilium (bpf_overlay)', fromOverlay)
  reg.registerTc(FROM_HOST, 'cilium (bpf_host)', fromHost)
  if (kubeProxyReplaced(cluster.decl)) reg.registerConnect('cilium (bpf_sock)', sock4Xlate)
}
