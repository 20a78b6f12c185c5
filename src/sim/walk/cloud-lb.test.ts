import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { traceOf } from '../../test/scenario.ts'

const lesson = readFileSync(
  new URL('../../lessons/mode4-loadbalancer-traffic-policy.yaml', import.meta.url),
  'utf8',
)

describe('an external client through the cloud load balancer', () => {
  it('Cluster: any node is a target; a node without the endpoint masquerades (client IP lost)', () => {
    // Seeds that make the balancer pick node-1 (no endpoint) and node-2 (the endpoint).
    const picks = [1, 2, 3, 4, 5, 6].map((seed) => traceOf(lesson, 'cluster-policy', seed))
    const viaNode1 = picks.find((t) => t.steps[1]!.packet.l3!.dst === '192.168.1.11')!
    expect(viaNode1).toBeDefined()
    expect(viaNode1.outcome).toBe('delivered')
    const lb = viaNode1.steps[1]!
    expect(lb.action).toBe('lb-select')
    expect(lb.at.component).toBe('cloud-lb')
    expect(lb.packet.l4!.dstPort).toBe(30080)
    expect(lb.packet.l3!.src).toBe('203.0.113.9')
    expect(viaNode1.steps.some((s) => s.action === 'masquerade')).toBe(true)
    const atPod = viaNode1.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/web')!
    expect(atPod.packet.l3!.src).not.toBe('203.0.113.9')
    expect(picks.some((t) => t.steps[1]!.packet.l3!.dst === '192.168.1.12')).toBe(true)
  })

  it('Local: only the node with an endpoint passes the health check; client IP kept, one hop', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const t = traceOf(lesson, 'local-policy', seed)
      expect(t.outcome).toBe('delivered')
      const lb = t.steps[1]!
      expect(lb.packet.l3!.dst).toBe('192.168.1.12')
      expect(lb.lookups.map((l) => [l.rule.split(' ')[0], l.matched])).toEqual([
        ['node-1', false],
        ['node-2', true],
      ])
      expect(lb.lookups[0]!.rule).toMatch(/503/)
      expect(t.steps.some((s) => s.action === 'masquerade' || s.action === 'encapsulate')).toBe(
        false,
      )
      const atPod = t.steps.find((s) => s.action === 'deliver' && s.at.pod === 'default/web')!
      expect(atPod.packet.l3!.src).toBe('203.0.113.9')
    }
  })

  it('the reply leaves the balancer from its own address and port', () => {
    const t = traceOf(lesson, 'local-policy', 1)
    const reply = t.steps.filter((s) => s.phase === 'reply')
    const un = reply.find((s) => s.at.component === 'cloud-lb')!
    expect(un.action).toBe('unnat')
    expect([un.packet.l3!.src, un.packet.l4!.srcPort]).toEqual(['198.51.100.2', 80])
    const last = reply.at(-1)!
    expect([last.action, last.packet.l3!.src, last.packet.l3!.dst]).toEqual([
      'deliver',
      '198.51.100.2',
      '203.0.113.9',
    ])
  })

  it('drops when no node passes the health check', () => {
    const noPod = lesson.replace(/---\napiVersion: v1\nkind: Pod[\s\S]*?---\n/, '---\n')
    expect(noPod).not.toBe(lesson)
    const t = traceOf(noPod, 'local-policy', 1)
    expect(t.outcome).toBe('dropped')
    expect(t.reason?.en).toBe('the load balancer has no healthy target')
    expect(t.steps.at(-1)!.at.component).toBe('cloud-lb')
  })

  it('applies loadBalancerSourceRanges at the balancer', () => {
    const ranged = lesson.replace(
      '  healthCheckNodePort: 32000\n',
      '  healthCheckNodePort: 32000\n  loadBalancerSourceRanges: [198.18.0.0/15]\n',
    )
    expect(ranged).not.toBe(lesson)
    const t = traceOf(ranged, 'local-policy', 1)
    expect([t.outcome, t.reason?.en]).toEqual(['dropped', 'source not in loadBalancerSourceRanges'])
    expect(t.steps.at(-1)!.at.component).toBe('cloud-lb')
    const ok = traceOf(ranged.replace('198.18.0.0/15', '203.0.113.0/24'), 'local-policy', 1)
    expect(ok.outcome).toBe('delivered')
  })
})
