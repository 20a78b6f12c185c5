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
      en: '"plugin: calicoo" is not one of flannel, calico, aws-vpc-cni, bridge, kindnet, canal; did you mean calico?',
      'zh-CN':
        '“plugin: calicoo” 不是可选值之一：flannel、calico、aws-vpc-cni、bridge、kindnet、canal；是不是想写 calico？',
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
