/**
 * Every data plane of a cluster registers at the walk's hooks here, once per built cluster (the
 * first walk asks; the registry is kept beside the cluster, which stays plain data). A new data
 * plane is its own folder and one line here, not a question the walk asks.
 */
import type { Cluster } from '../cluster.ts'
import { gatewayListeners } from '../gateway/gateway-listener.ts'
import { ingressListeners } from '../ingress/controller-listener.ts'
import { registerKubeProxy } from '../proxy/register.ts'
import { registerCilium } from '../cni/cilium/register.ts'
import { kubeProxyReplaced } from '../cni/cilium/service-list.ts'
import { HookRegistry } from '../walk/hooks.ts'

const registries = new WeakMap<Cluster, HookRegistry>()

/** What `cluster`'s data planes registered; listeners answer in the order they registered. */
export function dataPlaneHooks(cluster: Cluster): HookRegistry {
  const known = registries.get(cluster)
  if (known) return known
  const reg = new HookRegistry()
  // kube-proxy: its netfilter hooks, and in userspace mode its own sockets (the first listeners).
  // kube-proxy does not run where Cilium replaces it.
  if (!kubeProxyReplaced(cluster.decl)) registerKubeProxy(reg, cluster.decl.kubeProxy.mode)
  // Cilium's BPF programs: on tc of the devices it set up, and at connect().
  if (cluster.decl.cni.plugin === 'cilium') registerCilium(reg, cluster)
  // The L7 proxies: Ingress controllers and Gateways, as processes listening in their Pods.
  reg.registerListeners(ingressListeners)
  reg.registerListeners(gatewayListeners)
  registries.set(cluster, reg)
  return reg
}
