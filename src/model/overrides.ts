/**
 * Switches a learner (or the command line) can flip on a scenario without editing it: another
 * CNI data plane, another kube-proxy mode. They are applied to the parsed Cluster, after the
 * scenario's own Cluster document and component configs, so they win over both.
 */
import type { Diagnostic } from './diagnostic.ts'
import type {
  CalicoBackend,
  ClusterDecl,
  FlannelBackend,
  KubeProxyMode,
  Scenario,
} from './scenario.ts'
import { text } from './text.ts'

/** A CNI plugin and its backend, as one name: `flannel-vxlan`, `calico-bgp`, `aws-vpc-cni`. */
export const CNI_CHOICES = [
  'flannel-vxlan',
  'flannel-host-gw',
  'calico-ipip',
  'calico-vxlan',
  'calico-bgp',
  'aws-vpc-cni',
  'bridge',
  'kindnet',
  'canal',
  // Cilium as the issue spells it: VXLAN tunnelling, kube-proxy replaced by its BPF programs.
  'cilium',
] as const
export type CniChoice = (typeof CNI_CHOICES)[number]

export const PROXY_MODES: readonly KubeProxyMode[] = ['iptables', 'ipvs', 'nftables', 'userspace']

export interface ClusterOverrides {
  cni?: CniChoice
  proxyMode?: KubeProxyMode
}

export function isCniChoice(s: string | null | undefined): s is CniChoice {
  return (CNI_CHOICES as readonly string[]).includes(s ?? '')
}

export function isProxyMode(s: string | null | undefined): s is KubeProxyMode {
  return (PROXY_MODES as readonly string[]).includes(s ?? '')
}

/** The choice a Cluster makes: its plugin and backend under one name. */
export function cniChoiceOf(c: ClusterDecl): CniChoice {
  const { plugin, backend } = c.cni
  if (plugin === 'flannel') return backend === 'host-gw' ? 'flannel-host-gw' : 'flannel-vxlan'
  if (plugin === 'calico')
    return backend === 'vxlan' ? 'calico-vxlan' : backend === 'bgp' ? 'calico-bgp' : 'calico-ipip'
  // canal with flannel's host-gw backend has no switch of its own: it reads as canal.
  return plugin
}

function splitChoice(
  choice: CniChoice,
): Pick<ClusterDecl['cni'], 'plugin' | 'backend'> & Partial<Pick<ClusterDecl['cni'], 'cilium'>> {
  switch (choice) {
    case 'flannel-vxlan':
    case 'flannel-host-gw':
      return { plugin: 'flannel', backend: choice.slice('flannel-'.length) as FlannelBackend }
    case 'calico-ipip':
    case 'calico-vxlan':
    case 'calico-bgp':
      return { plugin: 'calico', backend: choice.slice('calico-'.length) as CalicoBackend }
    case 'aws-vpc-cni':
    case 'bridge':
    case 'kindnet':
      return { plugin: choice, backend: null }
    case 'canal':
      return { plugin: 'canal', backend: 'vxlan' }
    case 'cilium':
      return {
        plugin: 'cilium',
        backend: null,
        cilium: {
          routingMode: 'tunnel',
          tunnelProtocol: 'vxlan',
          kubeProxyReplacement: true,
          loadBalancerMode: 'snat',
        },
      }
  }
}

/**
 * Whether a CNI choice replaces kube-proxy (Cilium with kubeProxyReplacement): with it no
 * kube-proxy runs, so no kube-proxy mode applies and a kube-proxy switch has nothing to switch.
 */
export function replacesKubeProxy(choice: CniChoice): boolean {
  return splitChoice(choice).cilium?.kubeProxyReplacement === true
}

/** The same of a Cluster as written: its plugin is Cilium with kube-proxy replaced. */
function kubeProxyReplacedIn(c: ClusterDecl): boolean {
  return c.cni.plugin === 'cilium' && c.cni.cilium.kubeProxyReplacement
}

/**
 * The scenario with the overrides applied (a new object; the original is untouched), and an
 * info diagnostic for each one that changed something, so that every report says so.
 */
export function applyOverrides(
  scenario: Scenario,
  overrides: ClusterOverrides | undefined,
): { scenario: Scenario; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  if (!overrides) return { scenario, diagnostics }
  const cluster: ClusterDecl = structuredClone(scenario.cluster)
  const was = cniChoiceOf(cluster)
  if (overrides.cni && overrides.cni !== was) {
    Object.assign(cluster.cni, splitChoice(overrides.cni))
    diagnostics.push({
      ...cluster.where,
      severity: 'info',
      message: text(
        `CNI switched from ${was} to ${overrides.cni}: the cluster is built with ${overrides.cni}, not as the file says`,
        `CNI 已从 ${was} 切换为 ${overrides.cni}：集群按 ${overrides.cni} 构建，而不是按文件所写`,
      ),
    })
  }
  const mode = cluster.kubeProxy.mode
  if (overrides.proxyMode && overrides.proxyMode !== mode && kubeProxyReplacedIn(cluster)) {
    // No kube-proxy runs: the mode is not applied, and the report says why.
    diagnostics.push({
      ...cluster.where,
      severity: 'info',
      message: text(
        `kube-proxy mode ${overrides.proxyMode} not applied: Cilium replaces kube-proxy in this cluster, so no kube-proxy runs`,
        `kube-proxy 模式 ${overrides.proxyMode} 未生效：这个集群里 Cilium 取代了 kube-proxy，没有 kube-proxy 在运行`,
      ),
    })
  } else if (overrides.proxyMode && overrides.proxyMode !== mode) {
    cluster.kubeProxy.mode = overrides.proxyMode
    diagnostics.push({
      ...cluster.where,
      severity: 'info',
      message: text(
        `kube-proxy mode switched from ${mode} to ${overrides.proxyMode}: the cluster is built with ${overrides.proxyMode}, not as the file says`,
        `kube-proxy 模式已从 ${mode} 切换为 ${overrides.proxyMode}：集群按 ${overrides.proxyMode} 构建，而不是按文件所写`,
      ),
    })
  }
  return { scenario: { ...scenario, cluster }, diagnostics }
}
