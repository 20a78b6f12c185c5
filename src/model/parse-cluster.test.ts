import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'

const errors = (src: string) =>
  parseScenario(src, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')
const cluster = (spec: string, name = 'demo') =>
  `apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: ${name}}\nspec:\n${spec}\n`

describe('the Cluster document, written wrong', () => {
  it('reports a misspelt plugin once, with the plugin it is closest to, and no error about its backend', () => {
    const e = errors(cluster('  cni: {plugin: calicoo, backend: ipip}'))
    expect(e).toHaveLength(1)
    expect(e[0]).toMatchObject({ line: 5, col: 17, cause: 'file' })
    expect(e[0]!.message).toEqual({
      en: '"plugin: calicoo" is not one of flannel, calico, aws-vpc-cni, bridge, kindnet, canal, cilium; did you mean calico?',
      'zh-CN':
        '“plugin: calicoo” 不是可选值之一：flannel、calico、aws-vpc-cni、bridge、kindnet、canal、cilium；是不是想写 calico？',
    })
  })

  it('names the backend a misspelt one is closest to', () => {
    const [e] = errors(cluster('  cni: {plugin: calico, backend: ipipp}'))
    expect(e!.message.en).toBe(
      'calico has no backend "ipipp"; choose one of ipip, vxlan, bgp (did you mean ipip?)',
    )
    expect(e!.cause).toBe('file')
  })

  it('still says a plugin takes no backend when the plugin is right', () => {
    const [e] = errors(cluster('  cni: {plugin: bridge, backend: vxlan}'))
    expect(e!.message.en).toBe('bridge takes no backend')
  })

  it('checks its name as Kubernetes checks a custom resource name (a DNS subdomain)', () => {
    const [e] = errors(cluster('  cni: {plugin: calico}', 'My_Cluster'))
    expect(e).toMatchObject({ line: 3, col: 18, cause: 'kubernetes', object: 'Cluster/My_Cluster' })
    expect(e!.message.en).toMatch(/^"My_Cluster" is not a valid Cluster name: .*DNS subdomain/)
    expect(errors(cluster('  cni: {plugin: calico}', 'lab.example-1'))).toEqual([])
  })
})

describe('the Cluster document, what lies outside the cluster', () => {
  const read = (src: string) => parseScenario(src, 'f.yaml')
  const egress = `  upstreamDNS: 192.168.1.1
  externalHosts:
    - { name: API.GitHub.com., ip: 140.82.112.6 }
    - { name: example.com, ip: 93.184.215.14 }`

  it('reads the upstream nameserver and the Internet hosts, names in lower case without the root dot', () => {
    const s = read(cluster(egress))
    expect(errors(cluster(egress))).toEqual([])
    expect(s.scenario!.cluster.upstreamDNS).toBe(0xc0a80101)
    expect(s.scenario!.cluster.externalHosts.map((h) => [h.name, h.ip])).toEqual([
      ['api.github.com', 0x8c527006],
      ['example.com', 0x5db8d70e],
    ])
  })

  it('takes flanneld --ip-masq as on unless cni.ipMasq says false (kube-flannel.yml passes it)', () => {
    expect(read(cluster('  cni: {plugin: flannel}')).scenario!.cluster.cni.ipMasq).toBe(true)
    expect(
      read(cluster('  cni: {plugin: flannel, ipMasq: false}')).scenario!.cluster.cni.ipMasq,
    ).toBe(false)
  })

  it('refuses a host inside the Pod or Service range, and hosts with no upstream nameserver', () => {
    const e = errors(
      cluster(`  externalHosts:
    - { name: a.example, ip: 10.244.3.4 }
    - { name: b.example, ip: 10.96.0.20 }
    - { name: c.example, ip: 203.0.113.7 }`),
    )
    expect(e.map((d) => d.message.en)).toEqual([
      '10.244.3.4 is inside the Pod range (clusterCIDR): a host on the Internet needs an address outside the cluster',
      '10.96.0.20 is inside the Service range (serviceCIDR): a host on the Internet needs an address outside the cluster',
      "externalHosts need spec.upstreamDNS: CoreDNS forwards names outside the cluster to the nameserver of the node's /etc/resolv.conf, and that address is what upstreamDNS says",
    ])
  })

  it('refuses a name that is not a DNS name, a host given twice and a host with no address', () => {
    const e = errors(
      cluster(`  upstreamDNS: 192.168.1.1
  externalHosts:
    - { name: "bad_name", ip: 203.0.113.7 }
    - { name: a.example, ip: 203.0.113.8 }
    - { name: a.example, ip: 203.0.113.9 }
    - { name: b.example }`),
    )
    expect(e.map((d) => d.message.en)).toEqual([
      '"bad_name" is not a DNS name (labels of letters, digits and "-", separated by dots)',
      'external host "a.example" is given twice',
      'required field "ip" is missing',
    ])
  })
})
