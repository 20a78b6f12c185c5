/**
 * Cilium in the Cluster document, by its Helm value names (install/kubernetes/cilium/values.yaml,
 * cilium/cilium): `routingMode`, `tunnelProtocol`, `kubeProxyReplacement`, `loadBalancer.mode`.
 * PodPath models one configuration so far: VXLAN tunnelling with kube-proxy replaced. Every other
 * value Cilium accepts is named as such and reported as not modelled; a value Cilium rejects is
 * reported as unknown.
 */
import type { ObjReader } from './yaml-reader.ts'
import type { CiliumValues, ClusterDecl } from './scenario.ts'
import { text } from './text.ts'
import { oneOf } from './parse-cluster.ts'

/** The chart's defaults (values.yaml: routingMode "" and tunnelProtocol "" read as tunnel, vxlan). */
export function defaultCiliumValues(): CiliumValues {
  return {
    routingMode: 'tunnel',
    tunnelProtocol: 'vxlan',
    kubeProxyReplacement: false,
    loadBalancerMode: 'snat',
  }
}

// What Cilium accepts (pkg/option: RoutingModeTunnel / RoutingModeNative; pkg/datapath/tunnel:
// vxlan, geneve; pkg/option NodePortMode snat, dsr, hybrid).
const ROUTING_MODES = ['tunnel', 'native'] as const
const TUNNEL_PROTOCOLS = ['vxlan', 'geneve'] as const
const LB_MODES = ['snat', 'dsr', 'hybrid'] as const

/** The Helm keys, for a plugin that is not Cilium. */
export const CILIUM_KEYS = ['routingMode', 'tunnelProtocol', 'kubeProxyReplacement', 'loadBalancer']

export function readCiliumValues(cni: ObjReader, c: ClusterDecl): void {
  if (c.cni.plugin !== 'cilium') {
    for (const key of CILIUM_KEYS)
      if (cni.has(key))
        cni.report(
          [key],
          text(
            `cni.${key} is a Helm value of Cilium; ${c.cni.plugin} reads no such setting`,
            `cni.${key} 是 Cilium 的 Helm 参数；${c.cni.plugin} 不读取这个设置`,
          ),
          'error',
          'file',
        )
    return
  }
  const v = c.cni.cilium
  v.routingMode = oneOf(cni, 'routingMode', ROUTING_MODES) ?? v.routingMode
  v.tunnelProtocol = oneOf(cni, 'tunnelProtocol', TUNNEL_PROTOCOLS) ?? v.tunnelProtocol
  v.kubeProxyReplacement = cni.bool('kubeProxyReplacement') ?? v.kubeProxyReplacement
  const lb = cni.obj('loadBalancer')
  if (lb) v.loadBalancerMode = oneOf(lb, 'mode', LB_MODES) ?? v.loadBalancerMode

  const notYet = (r: ObjReader, key: string, what: string, en: string, zh: string): void =>
    r.report(
      [key],
      text(
        `Cilium accepts ${what}, but PodPath does not model it yet: ${en}`,
        `Cilium 接受 ${what}，但 PodPath 还没有模拟它：${zh}`,
      ),
      'error',
      'file',
    )
  if (v.routingMode === 'native')
    notYet(
      cni,
      'routingMode',
      'routingMode: native',
      'use routingMode: tunnel',
      '请使用 routingMode: tunnel',
    )
  if (v.routingMode === 'tunnel' && v.tunnelProtocol === 'geneve')
    notYet(
      cni,
      'tunnelProtocol',
      'tunnelProtocol: geneve',
      'use tunnelProtocol: vxlan',
      '请使用 tunnelProtocol: vxlan',
    )
  if (!v.kubeProxyReplacement)
    notYet(
      cni,
      'kubeProxyReplacement',
      'running beside kube-proxy (kubeProxyReplacement: false, the chart default)',
      'set kubeProxyReplacement: true',
      '请设置 kubeProxyReplacement: true',
    )
  // daemon/cmd/kube_proxy_replacement.go initKubeProxyReplacementOptions (cilium/cilium):
  // with VXLAN tunnelling and any DSR mode (dsr, hybrid) the agent fails to start with
  // `Node Port "dsr" mode cannot be used with vxlan tunneling.`; tunnel routing needs Geneve
  // dispatch on a Geneve tunnel, and native routing takes DSR with the IP option dispatch.
  const vxlan = v.routingMode === 'tunnel' && v.tunnelProtocol === 'vxlan'
  if (lb && v.loadBalancerMode !== 'snat' && vxlan)
    lb.report(
      ['mode'],
      text(
        `Cilium's agent refuses loadBalancer.mode: ${v.loadBalancerMode} with VXLAN tunnelling and does not start ("Node Port "${v.loadBalancerMode}" mode cannot be used with vxlan tunneling."): direct server return needs routingMode: native, or tunnelProtocol: geneve with loadBalancer.dsrDispatch: geneve, which PodPath does not model yet; use loadBalancer.mode: snat (the default)`,
        `Cilium 的 agent 拒绝在 VXLAN 隧道下使用 loadBalancer.mode: ${v.loadBalancerMode}，无法启动（“Node Port "${v.loadBalancerMode}" mode cannot be used with vxlan tunneling.”）：直接服务器返回（DSR）需要 routingMode: native，或者 tunnelProtocol: geneve 加 loadBalancer.dsrDispatch: geneve，PodPath 还没有模拟它们；请使用 loadBalancer.mode: snat（默认值）`,
      ),
      'error',
      'file',
    )
  else if (lb && v.loadBalancerMode !== 'snat')
    notYet(
      lb,
      'mode',
      `loadBalancer.mode: ${v.loadBalancerMode}`,
      'use loadBalancer.mode: snat (the default)',
      '请使用 loadBalancer.mode: snat（默认值）',
    )
}
