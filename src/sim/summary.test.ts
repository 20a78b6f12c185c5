import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../cli/load.ts'
import { summarize } from './summary.ts'
import { build } from '../test/scenario.ts'
import { realCluster } from '../test/real-clusters.ts'

const lesson = (file: string) => {
  const loaded = loadScenarioFile(join(import.meta.dirname, '..', 'lessons', file))
  return summarize(loaded.cluster!)
}

describe('the cluster summary the app draws', () => {
  it('lists Services as kubectl get svc shows them: type, cluster IP, ports, external address', () => {
    const s = lesson('mode3-loadbalancer.yaml')
    const web = s.services.find((x) => x.namespace === 'default' && x.name === 'web')!
    expect(web.type).toBe('LoadBalancer')
    // PodPath allocates the cluster IP and node port deterministically; the stand-in cloud
    // controller hands out 198.51.100.1 (src/sim/services/cloud-lb.ts).
    expect(web.clusterIP).toBe('10.106.171.216')
    expect(web.ports).toEqual(['80:30981/TCP'])
    expect(web.loadBalancer).toEqual(['198.51.100.1'])
    const dns = s.services.find((x) => x.name === 'kube-dns')!
    expect(dns).toMatchObject({ namespace: 'kube-system', type: 'ClusterIP', loadBalancer: [] })
    expect(dns.ports).toEqual(expect.arrayContaining(['53/UDP', '53/TCP']))
  })

  it('gives a headless Service the cluster IP None and an ExternalName Service its name', () => {
    const headless = lesson('mode3-headless.yaml').services.find((x) => x.clusterIP === 'None')
    expect(headless).toBeDefined()
    const ext = lesson('mode3-externalname.yaml').services.find((x) => x.type === 'ExternalName')!
    expect(ext.clusterIP).toBe(null)
    expect(ext.externalName).toMatch(/\./)
  })
})

describe('the node summary of a cluster read from its own output', () => {
  it('names every Calico block a node owns as its Pod range, and one podCIDR otherwise', () => {
    const s = summarize(build(realCluster('minikube-calico-ipip')).cluster)
    expect(s.nodes.map((n) => [n.name, n.podCIDR])).toEqual([
      ['minikube', '10.244.120.64/26'],
      ['minikube-m02', '10.244.205.192/26'],
      ['minikube-m03', '10.244.151.0/26, 10.244.151.64/26'],
    ])
  })
})
