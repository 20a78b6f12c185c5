import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'
import { formatCidr } from './ipv4.ts'

const errors = (src: string) =>
  parseScenario(src, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')

describe('scenario parsing', () => {
  it('reads our Cluster document and fills the kubeadm/flannel defaults', () => {
    const r = parseScenario(
      'apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: x}\nspec: {}\n',
    )
    expect(r.diagnostics).toEqual([])
    const c = r.scenario!.cluster
    expect(formatCidr(c.clusterCIDR)).toBe('10.244.0.0/16')
    expect(formatCidr(c.serviceCIDR)).toBe('10.96.0.0/12')
    expect(c.dnsDomain).toBe('cluster.local')
    expect(c.cni).toMatchObject({ plugin: 'flannel', backend: 'vxlan', bridgeName: 'cni0' })
  })

  it('reports malformed YAML with file, line and column', () => {
    const [e] = errors('apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n')
    expect(e).toMatchObject({ file: 'f.yaml', severity: 'error' })
    expect(e!.line).toBeGreaterThanOrEqual(3)
    expect(e!.message.en).toMatch(/YAML syntax/)
    expect(e!.message['zh-CN']).toMatch(/YAML 语法错误/)
  })

  it('keeps unknown kinds, reports them as ignored, and still loads', () => {
    const r = parseScenario(
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
      'f.yaml',
    )
    expect(r.scenario).not.toBeNull()
    expect(r.scenario!.ignored).toEqual([expect.objectContaining({ kind: 'Widget', name: 'w' })])
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'warning',
      line: 2,
      col: 7,
      object: 'Widget/w',
    })
  })

  it('reads a v1 Endpoints object without using it, because kube-proxy follows EndpointSlices', () => {
    const r = parseScenario(
      'apiVersion: v1\nkind: Endpoints\nmetadata: {name: web}\nsubsets: []\n',
      'f.yaml',
    )
    expect(r.scenario!.ignored).toEqual([
      expect.objectContaining({ kind: 'Endpoints', name: 'web' }),
    ])
    const [d] = r.diagnostics
    expect(d).toMatchObject({ severity: 'info', object: 'Endpoints/web' })
    expect(d!.message.en).toMatch(/kube-proxy follows EndpointSlices/)
    expect(d!.message.en).not.toMatch(/Pod-to-Pod traffic only/)
    expect(d!.message['zh-CN']).toMatch(/EndpointSlice/)
  })

  it('names the object and position of a wrong type', () => {
    const src =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: three\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: a}]}\n'
    const [e] = errors(src)
    expect(e).toMatchObject({ line: 5, col: 13, object: 'Deployment/default/web' })
    expect(e!.message.en).toBe('field "replicas" must be an integer, not a string')
  })

  it('rejects two containers of one Pod on the same port, explaining the shared namespace', () => {
    const src =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, ports: [{containerPort: 8080}]}\n  - {name: b, ports: [{containerPort: 8080}]}\n'
    const [e] = errors(src)
    expect(e).toMatchObject({ object: 'Pod/default/p', line: 7 })
    expect(e!.message.en).toMatch(/share one network namespace/)
    expect(e!.message.en).toMatch(/EADDRINUSE/)
  })

  it('allows the same port number over TCP and UDP in one Pod', () => {
    const src =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: dns}\nspec:\n  containers:\n  - {name: a, ports: [{containerPort: 53, protocol: UDP}]}\n  - {name: b, ports: [{containerPort: 53, protocol: TCP}]}\n'
    expect(errors(src)).toEqual([])
  })

  it('reads kubectl List output', () => {
    const src =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n  spec: {podCIDR: 10.244.7.0/24}\n  status: {addresses: [{type: InternalIP, address: 10.0.0.5}]}\n'
    const r = parseScenario(src)
    expect(r.scenario!.nodes).toEqual([expect.objectContaining({ name: 'n1', ip: 0x0a000005 })])
    expect(formatCidr(r.scenario!.nodes[0]!.podCIDR!)).toBe('10.244.7.0/24')
  })

  it("takes the CNI from flannel's real ConfigMap", () => {
    const src =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-flannel-cfg, namespace: kube-flannel}\ndata:\n  net-conf.json: |\n    {"Network": "10.42.0.0/16", "Backend": {"Type": "host-gw"}}\n'
    const c = parseScenario(src).scenario!.cluster
    expect(c.cni).toMatchObject({ plugin: 'flannel', backend: 'host-gw' })
    expect(formatCidr(c.clusterCIDR)).toBe('10.42.0.0/16')
  })

  it('reads a Calico IPPool: ipipMode, vxlanMode, blockSize', () => {
    const pool = (ipip: string, vx: string) =>
      parseScenario(
        `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.10.0.0/16, blockSize: 24, ipipMode: ${ipip}, vxlanMode: ${vx}}\n`,
      ).scenario!.cluster.cni
    expect(pool('Always', 'Never')).toMatchObject({
      plugin: 'calico',
      backend: 'ipip',
      blockSize: 24,
    })
    expect(pool('Never', 'CrossSubnet')).toMatchObject({ backend: 'vxlan' })
    expect(pool('Never', 'Never')).toMatchObject({ backend: 'bgp' })
  })

  it('reads a KubeProxyConfiguration', () => {
    const src =
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs: {scheduler: lc}\n'
    expect(parseScenario(src).scenario!.cluster.kubeProxy).toMatchObject({
      mode: 'ipvs',
      scheduler: 'lc',
    })
  })

  it('reads nftables mode, and masqueradeAll from the section of that mode', () => {
    const kpc = (mode: string) =>
      `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${mode}\niptables: {masqueradeAll: false}\nnftables: {masqueradeAll: true}\n`
    expect(parseScenario(kpc('nftables')).scenario!.cluster.kubeProxy).toMatchObject({
      mode: 'nftables',
      masqueradeAll: true,
    })
    expect(parseScenario(kpc('iptables')).scenario!.cluster.kubeProxy).toMatchObject({
      mode: 'iptables',
      masqueradeAll: false,
    })
    const shorthand =
      'apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  kubeProxy: {mode: nftables}\n'
    expect(parseScenario(shorthand).scenario!.cluster.kubeProxy.mode).toBe('nftables')
  })

  it('reports an invalid CIDR and an unknown CNI backend, each at its own line', () => {
    const src =
      'apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  clusterCIDR: 10.244.1.0/16\n  cni: {plugin: calico, backend: geneve}\n'
    const es = errors(src)
    expect(es.map((e) => e.line)).toEqual([5, 6])
    expect(es[0]!.message.en).toMatch(/host bits must be zero/)
    expect(es[1]!.message.en).toMatch(/calico has no backend "geneve"/)
  })

  it('stamps out controller replicas with the names controllers give them', () => {
    const src =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: a}]}\n'
    const pods = parseScenario(src).scenario!.pods
    expect(pods).toHaveLength(2)
    // pod-template-hash: SafeEncodeString of a decimal FNV-32a, so only the vowel-free alphabet.
    expect(pods[0]!.templateHash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/)
    expect(pods[0]!.labels['pod-template-hash']).toBe(pods[0]!.templateHash)
  })

  it('rejects a selector that does not match the template labels', () => {
    const src =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: other}}\n    spec: {containers: [{name: a}]}\n'
    expect(errors(src)[0]!.message.en).toMatch(/does not match the template/)
  })

  it('reports a Traffic that names neither pod, node nor external', () => {
    const src =
      'apiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: t}\nspec: {from: {}, to: "10.0.0.1:80"}\n'
    expect(errors(src)[0]).toMatchObject({ object: 'Traffic/t', line: 4 })
  })

  it('never throws on a document that is not a map', () => {
    expect(errors('- a\n- b\n')[0]!.message.en).toMatch(/must be a map/)
    expect(errors('just text')[0]!.message.en).toMatch(/must be a map/)
  })

  it('stops a billion-laughs alias bomb with an error instead of hanging', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      )
    expect(errors(lines.join('\n'))[0]!.message.en).toMatch(/^alias \*e .*"alias bomb"/)
  })
})
