import { describe, expect, it } from 'vitest'
import { lessonSource } from '../cli/golden.ts'
import { loadScenarioSource } from '../cli/load.ts'
import { formatIp } from '../model/ipv4.ts'
import { trace } from '../sim/trace.ts'
import { LESSONS } from './catalog.ts'

/**
 * Every iptables- and IPVS-mode lesson, run again with `mode: nftables`: kube-proxy's nftables proxier
 * implements the same Service semantics with other data structures, so each Traffic must end
 * the same way, and a delivered request must reach a real endpoint of the Service.
 */
const MODE = /(kubeProxy: \{ mode: )(iptables|ipvs)\b/
const SWAPPED = LESSONS.filter((l) => MODE.test(lessonSource(l)))

const run = (source: string, file: string) => {
  const loaded = loadScenarioSource(source, file)
  expect(loaded.cluster, loaded.diagnostics.map((d) => d.message.en).join('\n')).toBeTruthy()
  return {
    cluster: loaded.cluster!,
    traces: loaded.scenario!.traffic.map((t) => trace(loaded.cluster!, t, { seed: 1 })),
  }
}

describe('iptables and IPVS lessons switched to nftables mode', () => {
  it('finds the iptables and IPVS lessons', () => {
    expect(SWAPPED.map((l) => l.id)).toEqual(
      expect.arrayContaining([
        'mode3-loadbalancer',
        'mode3-source-ranges',
        'mode3-not-ready',
        'mode3-clusterip-ipvs',
      ]),
    )
  })

  for (const lesson of SWAPPED) {
    it(`${lesson.id}: same outcome, and a real endpoint`, () => {
      const source = lessonSource(lesson)
      const orig = run(source, lesson.file)
      const nftSource = source.replace(MODE, '$1nftables')
      expect(nftSource).not.toBe(source)
      const nft = run(nftSource, lesson.file)
      expect(nft.cluster.decl.kubeProxy.mode).toBe('nftables')
      // Endpoints kube-proxy may use: ready, or serving-and-terminating (the fallback).
      const usable = new Set(
        nft.cluster.services.flatMap((s) =>
          s.ports.flatMap((p) =>
            p.endpoints
              .filter((e) => e.ready || (e.serving && e.terminating))
              .map((e) => `${formatIp(e.ip)}:${e.port}`),
          ),
        ),
      )
      orig.traces.forEach((a, i) => {
        const b = nft.traces[i]!
        expect([b.traffic, b.outcome, b.reason]).toEqual([a.traffic, a.outcome, a.reason])
        expect(
          b.steps.some((s) => s.lookups.some((l) => l.table.startsWith('nft ip kube-proxy'))),
        ).toBe(
          a.steps.some((s) =>
            s.lookups.some((l) => l.table.startsWith('iptables') || l.table.startsWith('ipvsadm')),
          ),
        )
        // Where kube-proxy sent the request: the destination its DNAT wrote (the cloud load
        // balancer's rewrite to a node port comes before kube-proxy and is not an endpoint).
        const picked = (t: typeof a) =>
          t.steps
            .filter(
              (s) =>
                s.phase === 'request' &&
                s.at.component !== 'cloud-lb' &&
                (s.action === 'dnat' || s.action === 'lb-select'),
            )
            .map((s) => `${s.packet.l3!.dst}:${s.packet.l4!.dstPort}`)
        const [x, y] = [picked(a), picked(b)]
        expect(y.length).toBe(x.length)
        for (const ep of [...x, ...y]) expect(usable).toContain(ep)
      })
    })
  }
})
