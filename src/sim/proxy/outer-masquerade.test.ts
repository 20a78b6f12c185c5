import { describe, expect, it } from 'vitest'
import { lessonSource } from '../../cli/golden.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { trace } from '../trace.ts'

/**
 * A node's own request to a ClusterIP over Calico IP-in-IP, kube-proxy in nftables mode. felix's
 * tunnel MASQUERADE translates the inner packet before kube-proxy's nftables chain runs, and
 * one nat chain's translation ends the hook, so kube-proxy's mark 0x4000 is never cleared and
 * the outer packet (same namespace: ip_tunnel_xmit keeps the mark) meets `masquerade` too. With
 * no ports and already eth0's address, its tuple does not change: no translation, no step.
 */
describe("an IP-in-IP outer packet that kube-proxy's masquerade rule matches", () => {
  const lesson = LESSONS.find((l) => l.id === 'mode3-clusterip-nftables')!
  const loaded = loadScenarioSource(lessonSource(lesson), `lessons/${lesson.file}`, {
    cni: 'calico-ipip',
  })
  const traffic = loaded.scenario!.traffic.find((t) => t.name === 'node-to-service')!

  it('keeps its address, and its rules go on the step that chose the way out', () => {
    const t = trace(loaded.cluster!, traffic, { seed: 1 })
    expect(t.outcome).toBe('delivered')
    const request = t.steps.filter((s) => s.phase === 'request')
    // One masquerade: the inner packet's, to tunl0's address.
    const masq = request.filter((s) => s.action === 'masquerade')
    expect(masq.map((s) => s.at.device)).toEqual(['tunl0'])
    const out = request.find((s) => s.action === 'route' && s.at.device === 'eth0')!
    const outer = out.lookups.filter((l) => l.outer).map((l) => l.rule)
    expect(outer).toContain('masquerade fully-random')
  })
})
