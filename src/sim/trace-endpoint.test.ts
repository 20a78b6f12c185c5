import { describe, expect, it } from 'vitest'
import { lessonSource } from '../cli/golden.ts'
import { loadScenarioSource } from '../cli/load.ts'
import type { ClusterOverrides } from '../model/overrides.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { trace } from './trace.ts'

function lessonTrace(id: string, traffic: string, overrides?: ClusterOverrides) {
  const lesson = LESSONS.find((l) => l.id === id)!
  const loaded = loadScenarioSource(lessonSource(lesson), lesson.file, overrides)
  const t = loaded.scenario!.traffic.find((x) => x.name === traffic)!
  return trace(loaded.cluster!, t, { seed: 1 })
}

describe("a trace's dialled address and its endpoint", () => {
  it('ClusterIP: dialled is the ClusterIP and port; endpoint is the Pod kube-proxy chose, on its targetPort', () => {
    const t = lessonTrace('mode3-clusterip-iptables', 'client-to-service')
    expect(t.dialled).toEqual({ ip: '10.106.171.216', port: 80 })
    const dnat = t.steps.find((s) => s.phase === 'request' && s.action === 'dnat')!
    expect(t.endpoint).toEqual({
      pod: expect.stringMatching(/^default\/web-/),
      container: 'nginx',
      node: expect.any(String),
      ip: dnat.packet.l3!.dst,
      port: 8080,
    })
  })

  it('userspace mode: the endpoint is the Pod behind kube-proxy’s second connection, not kube-proxy', () => {
    const t = lessonTrace('mode3-userspace', 'client-to-service')
    expect(t.dialled).toEqual({ ip: '10.106.171.216', port: 80 })
    expect(t.endpoint).toMatchObject({ pod: expect.stringMatching(/^default\/web-/), port: 8080 })
  })

  it('NodePort: dialled is the node address and node port; the endpoint may be on a third node', () => {
    const t = lessonTrace('mode3-nodeport', 'node-1-calls-node-2')
    expect(t.dialled).toEqual({ ip: '192.168.1.12', port: 30080 })
    expect(t.endpoint).toMatchObject({ pod: 'default/web', node: 'node-3', port: 80 })
  })

  it('Ingress: the endpoint is the backend Pod; when the controller answers itself (404), the controller', () => {
    const api = lessonTrace('mode4-ingress-nginx', 'api-by-prefix')
    expect(api.dialled).toEqual({ ip: '198.51.100.1', port: 80 })
    expect(api.endpoint).toMatchObject({ pod: 'default/api', container: 'api', port: 8080 })
    const notFound = lessonTrace('mode4-ingress-nginx', 'no-rule-404')
    expect(notFound.endpoint).toMatchObject({
      pod: expect.stringMatching(/^ingress-nginx\/ingress-nginx-controller-/),
      container: 'controller',
      port: 80,
    })
  })

  it('a request dropped on the way reached no socket: endpoint null, dialled kept', () => {
    const t = lessonTrace('mode3-internal-traffic-policy', 'from-node-without-endpoint')
    expect(t.outcome).toBe('dropped')
    expect(t.dialled).toEqual({ ip: '10.110.139.101', port: 80 })
    expect(t.endpoint).toBeNull()
  })

  it('ExternalName: dialled and endpoint are the outside address CoreDNS appended to the CNAME', () => {
    const t = lessonTrace('mode3-externalname', 'checkout-to-payments')
    expect(t.outcome).toBe('delivered')
    expect(t.dialled).toEqual({ ip: '192.0.2.10', port: 443 })
    expect(t.endpoint).toMatchObject({ pod: null, ip: '192.0.2.10', port: 443 })
    const answer = t.steps.filter((s) => s.action === 'dns-answer').at(-1)!
    expect(answer.lookups.map((l) => l.rule)).toEqual([
      'payments.shop.svc.cluster.local.\t30\tIN\tCNAME\tapi.payments.example.com.',
      'api.payments.example.com.\t30\tIN\tA\t192.0.2.10',
    ])
  })

  it('a CNAME whose outside name CoreDNS cannot resolve opens no connection: both null', () => {
    const lesson = LESSONS.find((l) => l.id === 'mode3-externalname')!
    // No external host: the upstream knows no address for the name, so the answer is the CNAME.
    const source = lessonSource(lesson).replace(/^ {2}externalHosts:\n.*\n/m, '')
    const loaded = loadScenarioSource(source, lesson.file)
    const t = trace(loaded.cluster!, loaded.scenario!.traffic[0]!, { seed: 1 })
    expect([t.outcome, t.dialled, t.endpoint]).toEqual(['dns-only', null, null])
  })
})
