/**
 * Why a CNI data plane PodPath models enforces no NetworkPolicy in its traces: the plugin itself
 * enforces none, or enforces it with a component PodPath does not run. Calico and canal (felix)
 * and Cilium (its BPF policy maps, cni/cilium/policy.ts) enforce it and have no entry here.
 */
import { text, type Text } from '../../model/text.ts'

export const POLICY_NOT_ENFORCED = {
  // flannel-io/flannel Documentation/netpol.md: policy only with the kube-network-policies
  // controller that the Helm chart adds with netpol.enabled (v0.25.5+); kube-flannel.yml runs none.
  flannel: text(
    'flannel enforces no NetworkPolicy (only the kube-network-policies controller its Helm chart adds with netpol.enabled does, and PodPath runs kube-flannel.yml without it)',
    'flannel 不执行 NetworkPolicy（只有其 Helm chart 在 netpol.enabled 时添加的 kube-network-policies 控制器才执行，而 PodPath 按不带它的 kube-flannel.yml 运行）',
  ),
  // containernetworking/plugins bridge: an L2 bridge and IPAM, no policy.
  bridge: text(
    'the bridge CNI plugin enforces no NetworkPolicy',
    'bridge CNI 插件不执行 NetworkPolicy',
  ),
  // kubernetes-sigs/kind v0.24.0 release notes: network policy via sigs.k8s.io/kube-network-policies.
  kindnet: text(
    'kindnet enforces NetworkPolicy since kind v0.24.0 (with sigs.k8s.io/kube-network-policies), but PodPath does not model that controller yet',
    'kindnet 自 kind v0.24.0 起执行 NetworkPolicy（借助 sigs.k8s.io/kube-network-policies），但 PodPath 还没有模拟这个控制器',
  ),
  // aws/aws-network-policy-agent README and the VPC CNI network policy FAQ: opt-in, eBPF probes
  // on the Pod's host veth.
  awsVpcCni: text(
    "the AWS VPC CNI enforces NetworkPolicy only with its network policy agent turned on (off by default; eBPF programs on the Pod's host veth), which PodPath does not model",
    'AWS VPC CNI 只有在开启其网络策略代理（默认关闭；在 Pod 的宿主机端 veth 上挂 eBPF 程序）时才执行 NetworkPolicy，而 PodPath 不模拟这个代理',
  ),
} satisfies Record<string, Text>
