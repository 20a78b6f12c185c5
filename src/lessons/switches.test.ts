import { describe, expect, it } from 'vitest'
import { lessonSource } from '../cli/golden.ts'
import { loadScenarioSource } from '../cli/load.ts'
import { cniChoiceOf, replacesKubeProxy, type ClusterOverrides } from '../model/overrides.ts'
import type { Trace } from '../model/trace.ts'
import { trace } from '../sim/trace.ts'
import { LESSONS, type LessonMeta } from './catalog.ts'

/**
 * Every CNI and kube-proxy alternative a lesson's header offers, alone and combined: the cluster
 * builds without an error, and every request of the lesson is delivered or ends as it does in
 * the lesson as written.
 */
const SWITCHED = LESSONS.filter((l) => l.switches?.cni || l.switches?.proxy)

function load(lesson: LessonMeta, overrides?: ClusterOverrides) {
  const loaded = loadScenarioSource(lessonSource(lesson), `lessons/${lesson.file}`, overrides)
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error')
  expect(errors.map((d) => d.message.en)).toEqual([])
  const traces = loaded.scenario!.traffic.map((t) => trace(loaded.cluster!, t, { seed: 1 }))
  return { cluster: loaded.cluster!, traces }
}

// An iptables rule is kube-proxy's when it names one of its KUBE- chains: a CNI agent (felix,
// flanneld) keeps its own rules in iptables beside kube-proxy's nftables table.
const kubeProxyTables = (t: Trace) =>
  new Set(
    t.steps.flatMap((s) =>
      s.lookups
        .filter((l) => !l.table.startsWith('iptables') || l.rule.includes('KUBE-'))
        .map((l) => /^(iptables|ipvsadm|nft ip kube-proxy)/.exec(l.table)?.[1])
        .filter((x): x is string => x !== undefined),
    ),
  )

describe('lesson switches', () => {
  it('are offered by the cross-node, Service and outside-in lessons', () => {
    expect(SWITCHED.map((l) => l.id)).toEqual(
      expect.arrayContaining(['mode2-flannel-vxlan', 'mode3-loadbalancer', 'mode4-ingress-nginx']),
    )
  })

  for (const lesson of SWITCHED) {
    const cnis = lesson.switches?.cni ?? [undefined]
    const modes = lesson.switches?.proxy ?? [undefined]

    it(`${lesson.id}: offers its own CNI and kube-proxy mode among the alternatives`, () => {
      const { cluster } = load(lesson)
      if (lesson.switches?.cni) expect(lesson.switches.cni).toContain(cniChoiceOf(cluster.decl))
      if (lesson.switches?.proxy)
        expect(lesson.switches.proxy).toContain(cluster.decl.kubeProxy.mode)
      for (const list of [lesson.switches?.cni, lesson.switches?.proxy])
        if (list) expect(new Set(list).size).toBe(list.length)
    })

    for (const cni of cnis)
      // A CNI that replaces kube-proxy (Cilium) has no kube-proxy mode to combine with.
      for (const proxyMode of cni && replacesKubeProxy(cni) ? [undefined] : modes) {
        it(`${lesson.id} with ${cni ?? 'its CNI'} and ${proxyMode ?? 'its kube-proxy mode'}: builds, and each request ends delivered or as written`, () => {
          const base = load(lesson)
          const switched = load(lesson, { cni, proxyMode })
          if (cni) expect(cniChoiceOf(switched.cluster.decl)).toBe(cni)
          if (proxyMode) expect(switched.cluster.decl.kubeProxy.mode).toBe(proxyMode)
          expect(switched.traces.map((t) => t.traffic)).toEqual(base.traces.map((t) => t.traffic))
          switched.traces.forEach((t, i) => {
            const was = base.traces[i]!
            // The reason is each mode's own words (a rule's comment, IPVS's "no real server").
            if (t.outcome !== 'delivered') expect(t.outcome).toBe(was.outcome)
            // kube-proxy's tables are those of the mode in force, and none without kube-proxy.
            const tables = kubeProxyTables(t)
            if (cni && replacesKubeProxy(cni)) expect([...tables]).toEqual([])
            if (proxyMode && kubeProxyTables(was).size > 0) {
              const own = { iptables: 'iptables', ipvs: 'ipvsadm', nftables: 'nft ip kube-proxy' }[
                proxyMode as 'iptables' | 'ipvs' | 'nftables'
              ]
              expect(tables).toContain(own)
              if (proxyMode === 'nftables') expect(tables).not.toContain('iptables')
            }
          })
        })
      }
  }
})
