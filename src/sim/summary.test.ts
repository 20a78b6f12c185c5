import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../cli/load.ts'
import { summarize } from './summary.ts'

const lesson = (file: string) => {
  const loaded = loadScenarioFile(join(import.meta.dirname, '..', 'lessons', file))
  return summarize(loaded.cluster!)
}

describe('the cluster summary the app draws', () => {
  it('lists Services as kubectl get svc shows them: type, cluster IP, ports, external address', () => {
    const s = lesson('mode3-loadbalancer.yaml')
    const web = s.services.find((x) => x.namespace === 'default' && x.name === 'web')!
    expect(web.type).toBe('LoadBalancer')
    expect(web.clusterIP).toMatch(/^10\.96\.|^10\.\d+\.\d+\.\d+$/)
    // A LoadBalancer port also has a node port: PORT(S) reads port:nodePort/protocol.
    expect(web.ports).toHaveLength(1)
    expect(web.ports[0]).toMatch(/^80:3\d{4}\/TCP$/)
    expect(web.loadBalancer.length).toBeGreaterThan(0)
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
