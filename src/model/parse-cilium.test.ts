import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'

const parse = (cni: string) =>
  parseScenario(
    `apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: demo}\nspec:\n  cni: ${cni}\n`,
    'f.yaml',
  )
const errors = (cni: string) => parse(cni).diagnostics.filter((d) => d.severity === 'error')

describe('Cilium in the Cluster document, by its Helm value names', () => {
  it('reads VXLAN tunnelling with kube-proxy replaced', () => {
    const r = parse(
      '{plugin: cilium, routingMode: tunnel, tunnelProtocol: vxlan, kubeProxyReplacement: true, loadBalancer: {mode: snat}}',
    )
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(r.scenario!.cluster.cni.plugin).toBe('cilium')
    expect(r.scenario!.cluster.cni.cilium).toEqual({
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      kubeProxyReplacement: true,
      loadBalancerMode: 'snat',
    })
  })

  it("takes the chart's defaults for routing (tunnel, vxlan) and load balancing (snat)", () => {
    const r = parse('{plugin: cilium, kubeProxyReplacement: true}')
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(r.scenario!.cluster.cni.cilium).toMatchObject({
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      loadBalancerMode: 'snat',
    })
  })

  it('says which values Cilium accepts but PodPath does not model yet, in both languages', () => {
    const e = errors(
      '{plugin: cilium, routingMode: native, kubeProxyReplacement: false, loadBalancer: {mode: dsr}}',
    )
    expect(e.map((d) => d.message.en)).toEqual([
      'Cilium accepts routingMode: native, but PodPath does not model it yet: use routingMode: tunnel',
      'Cilium accepts running beside kube-proxy (kubeProxyReplacement: false, the chart default), but PodPath does not model it yet: set kubeProxyReplacement: true',
      'Cilium accepts loadBalancer.mode: dsr, but PodPath does not model it yet: use loadBalancer.mode: snat (the default)',
    ])
    expect(e[0]!.message['zh-CN']).toBe(
      'Cilium 接受 routingMode: native，但 PodPath 还没有模拟它：请使用 routingMode: tunnel',
    )
    expect(
      errors('{plugin: cilium, kubeProxyReplacement: true, tunnelProtocol: geneve}'),
    ).toHaveLength(1)
  })

  it("refuses DSR over VXLAN for Cilium's own reason, in both languages", () => {
    for (const mode of ['dsr', 'hybrid']) {
      const [e, ...rest] = errors(
        `{plugin: cilium, kubeProxyReplacement: true, loadBalancer: {mode: ${mode}}}`,
      )
      expect(rest).toEqual([])
      expect(e!.message.en).toBe(
        `Cilium's agent refuses loadBalancer.mode: ${mode} with VXLAN tunnelling and does not start ("Node Port "${mode}" mode cannot be used with vxlan tunneling."): direct server return needs routingMode: native, or tunnelProtocol: geneve with loadBalancer.dsrDispatch: geneve, which PodPath does not model yet; use loadBalancer.mode: snat (the default)`,
      )
      expect(e!.message['zh-CN']).toMatch(/拒绝在 VXLAN 隧道下使用 loadBalancer\.mode/)
    }
  })

  it('names the value a misspelt one is closest to', () => {
    const [e] = errors('{plugin: cilium, kubeProxyReplacement: true, tunnelProtocol: vxaln}')
    expect(e!.message.en).toBe(
      '"tunnelProtocol: vxaln" is not one of vxlan, geneve; did you mean vxlan?',
    )
  })

  it('warns that spec.kubeProxy is not used when Cilium replaces kube-proxy', () => {
    const r = parseScenario(
      'apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: demo}\nspec:\n  cni: {plugin: cilium, kubeProxyReplacement: true}\n  kubeProxy: {mode: ipvs}\n',
      'f.yaml',
    )
    expect(r.diagnostics.map((d) => [d.severity, d.message.en])).toEqual([
      [
        'warning',
        'with kubeProxyReplacement: true no kube-proxy runs (Cilium implements the Services), so spec.kubeProxy is not used',
      ],
    ])
  })

  it('refuses a Cilium Helm value on another plugin', () => {
    const [e] = errors('{plugin: flannel, kubeProxyReplacement: true}')
    expect(e!.message.en).toBe(
      'cni.kubeProxyReplacement is a Helm value of Cilium; flannel reads no such setting',
    )
  })
})
