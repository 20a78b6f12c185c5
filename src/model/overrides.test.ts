import { describe, expect, it } from 'vitest'
import {
  applyOverrides,
  cniChoiceOf,
  isCniChoice,
  isProxyMode,
  replacesKubeProxy,
} from './overrides.ts'
import { parseScenario } from './parse-scenario.ts'

const CALICO = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: { name: demo }
spec:
  kubeProxy: { mode: iptables }
---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata: { name: default-ipv4-ippool }
spec: { cidr: 10.244.0.0/16, ipipMode: Always, vxlanMode: Never }
`

const scenario = () => parseScenario(CALICO, 'demo.yaml').scenario!

describe('cluster overrides', () => {
  it('name the choice the file makes, after its component configs', () => {
    expect(cniChoiceOf(scenario().cluster)).toBe('calico-ipip')
  })

  it('win over the IPPool and the Cluster document, and leave the parsed scenario alone', () => {
    const s = scenario()
    const r = applyOverrides(s, { cni: 'flannel-host-gw', proxyMode: 'nftables' })
    expect(r.scenario.cluster.cni).toMatchObject({ plugin: 'flannel', backend: 'host-gw' })
    expect(r.scenario.cluster.kubeProxy.mode).toBe('nftables')
    expect(s.cluster.cni).toMatchObject({ plugin: 'calico', backend: 'ipip' })
    expect(s.cluster.kubeProxy.mode).toBe('iptables')
    // Each switch is said, in both languages, where the Cluster document is.
    expect(r.diagnostics.map((d) => [d.severity, d.line, d.message.en])).toEqual([
      ['info', 1, expect.stringContaining('CNI switched from calico-ipip to flannel-host-gw')],
      ['info', 1, expect.stringContaining('kube-proxy mode switched from iptables to nftables')],
    ])
    expect(r.diagnostics[0]!.message['zh-CN']).toContain(
      'CNI 已从 calico-ipip 切换为 flannel-host-gw',
    )
  })

  it('say nothing when they choose what the file already says', () => {
    const s = scenario()
    expect(applyOverrides(s, { cni: 'calico-ipip', proxyMode: 'iptables' }).diagnostics).toEqual([])
    expect(applyOverrides(s, undefined).scenario).toBe(s)
  })

  it('set a plugin without a backend', () => {
    const r = applyOverrides(scenario(), { cni: 'bridge' })
    expect(r.scenario.cluster.cni).toMatchObject({ plugin: 'bridge', backend: null })
    expect(cniChoiceOf(r.scenario.cluster)).toBe('bridge')
  })

  it('switch to kindnet and to canal (flannel vxlan under Calico veths)', () => {
    const k = applyOverrides(scenario(), { cni: 'kindnet' })
    expect(k.scenario.cluster.cni).toMatchObject({ plugin: 'kindnet', backend: null })
    expect(cniChoiceOf(k.scenario.cluster)).toBe('kindnet')
    const c = applyOverrides(scenario(), { cni: 'canal' })
    expect(c.scenario.cluster.cni).toMatchObject({ plugin: 'canal', backend: 'vxlan' })
    expect(cniChoiceOf(c.scenario.cluster)).toBe('canal')
  })

  it('leave the kube-proxy mode alone when the CNI replaces kube-proxy, and say so', () => {
    expect(replacesKubeProxy('cilium')).toBe(true)
    expect(replacesKubeProxy('calico-ipip')).toBe(false)
    const r = applyOverrides(scenario(), { cni: 'cilium', proxyMode: 'nftables' })
    expect(r.scenario.cluster.cni).toMatchObject({
      plugin: 'cilium',
      cilium: { kubeProxyReplacement: true },
    })
    expect(r.scenario.cluster.kubeProxy.mode).toBe('iptables')
    expect(r.diagnostics.map((d) => d.message.en)).toEqual([
      expect.stringContaining('CNI switched from calico-ipip to cilium'),
      'kube-proxy mode nftables not applied: Cilium replaces kube-proxy in this cluster, so no kube-proxy runs',
    ])
    expect(r.diagnostics[1]!.message['zh-CN']).toContain('Cilium 取代了 kube-proxy')
  })

  it('know their names', () => {
    expect(isCniChoice('calico-bgp')).toBe(true)
    expect(isCniChoice('calico')).toBe(false)
    expect(isCniChoice(null)).toBe(false)
    expect(isProxyMode('ipvs')).toBe(true)
    expect(isProxyMode('ebpf')).toBe(false)
  })
})
