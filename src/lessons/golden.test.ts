import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeGolden, goldenPath, goldenText } from '../cli/golden.ts'
import { LESSONS } from './catalog.ts'

describe('built-in lessons', () => {
  for (const lesson of LESSONS) {
    it(`${lesson.id} matches its golden trace (npm run golden rewrites it)`, () => {
      const path = goldenPath(lesson)
      expect(existsSync(path), `${path} is missing`).toBe(true)
      expect(goldenText(computeGolden(lesson))).toBe(readFileSync(path, 'utf8'))
    })
  }

  it('cover every item of modes 1 and 2, and start mode 3', () => {
    const sections = new Set(LESSONS.map((l) => l.section))
    expect([...sections].sort()).toEqual(['1', '2.1', '2.2', '3', '4'])
    const cnis = LESSONS.map((l) => l.id)
    for (const id of [
      'flannel-vxlan',
      'flannel-host-gw',
      'calico-ipip',
      'calico-vxlan',
      'calico-bgp',
      'aws-vpc-cni',
      'docker0',
      'port-conflict',
      'localhost',
    ]) {
      expect(cnis.some((c) => c.endsWith(id))).toBe(true)
    }
  })

  it('mode 4: the L7 proxies answer 404 and 308 themselves, and the capstone starts with DNS', () => {
    const status = (id: string) =>
      computeGolden(LESSONS.find((l) => l.id === id)!).traces.map((t) => {
        const app = t.steps.at(-1)!.packet.app
        return [t.traffic, t.outcome, app?.protocol === 'http' ? (app.status ?? null) : null]
      })
    expect(status('mode4-ingress-nginx')).toEqual([
      ['api-by-prefix', 'delivered', null],
      ['no-rule-404', 'delivered', 404],
      ['other-host-default-backend', 'delivered', null],
    ])
    expect(status('mode4-ingress-tls')).toEqual([
      ['https-terminated', 'delivered', null],
      ['http-redirected', 'delivered', 308],
    ])
    expect(status('mode4-gateway-httproute')).toEqual([
      ['weighted-route', 'delivered', null],
      ['route-not-attached', 'delivered', 404],
    ])
    const cap = computeGolden(LESSONS.find((l) => l.id === 'mode4-capstone')!).traces[0]!
    const components = cap.steps.map((s) => s.at.component).filter((c) => c !== null)
    expect([...new Set(components)]).toEqual([
      'internet',
      'public-dns',
      'cloud-lb',
      'underlay',
      'kube-proxy',
      'kernel',
      'ingress-nginx',
      'app',
    ])
    expect(cap.steps[0]!.phase).toBe('dns')
    for (const s of cap.steps) {
      expect(s.explain.en.length, `step ${s.index}`).toBeGreaterThan(40)
      expect(s.explain['zh-CN'].length, `step ${s.index}`).toBeGreaterThan(15)
    }
  })

  it('all deliver, except those that teach a failure', () => {
    for (const lesson of LESSONS) {
      const g = computeGolden(lesson)
      if (lesson.id === 'mode1-port-conflict')
        expect(g.diagnostics[0]).toMatch(/both declare port 8080\/TCP/)
      else if (lesson.id === 'mode2-bridge-no-route') expect(g.traces[0]!.outcome).toBe('dropped')
      else if (lesson.id === 'mode2-policy-default-deny')
        expect([g.traces[0]!.outcome, g.traces[0]!.reason?.en]).toEqual([
          'dropped',
          'NetworkPolicy default/default-deny-ingress: no rule allows ingress from 10.244.0.1 for default/web',
        ])
      else if (lesson.id === 'mode2-policy-from-namespace')
        expect(g.traces.map((t) => [t.traffic, t.outcome, t.reason?.en ?? null])).toEqual([
          ['from-frontend', 'delivered', null],
          [
            'from-other',
            'dropped',
            'NetworkPolicy backend/default-deny-ingress, backend/allow-from-frontend: no rule allows ingress from 10.244.0.2 for backend/web',
          ],
        ])
      else if (lesson.id === 'mode2-policy-cilium')
        expect(g.traces.map((t) => [t.traffic, t.outcome, t.reason?.en ?? null])).toEqual([
          ['from-frontend', 'delivered', null],
          [
            'from-other',
            'dropped',
            'NetworkPolicy default/allow-from-frontend: no rule allows ingress from default/other for default/web (Cilium: Policy denied)',
          ],
        ])
      else if (lesson.id === 'mode2-policy-and-or')
        expect(g.traces.map((t) => [t.traffic, t.outcome, t.reason?.en ?? null])).toEqual([
          ['client-to-and-form', 'delivered', null],
          [
            'tool-to-and-form',
            'dropped',
            'NetworkPolicy and-form/alice-clients: no rule allows ingress from 10.244.0.2 for and-form/web',
          ],
          ['tool-to-or-form', 'delivered', null],
        ])
      else if (lesson.id === 'mode3-no-endpoints') expect(g.traces[0]!.outcome).toBe('rejected')
      else if (lesson.id === 'mode4-nodeport-traffic-policy')
        expect(g.traces.map((t) => [t.traffic, t.outcome, t.reason?.en ?? null])).toEqual([
          ['cluster-policy-via-node-1', 'delivered', null],
          ['local-policy-via-node-2', 'delivered', null],
          ['local-policy-via-node-1', 'dropped', 'has no local endpoints'],
        ])
      else if (lesson.id === 'mode3-internal-traffic-policy')
        expect(g.traces.map((t) => [t.traffic, t.outcome, t.reason?.en ?? null])).toEqual([
          ['from-node-with-endpoint', 'delivered', null],
          ['from-node-without-endpoint', 'dropped', 'has no local endpoints'],
        ])
      else if (lesson.id === 'mode3-policy-forgot-dns')
        expect([g.traces[0]!.outcome, g.traces[0]!.reason?.en]).toEqual([
          'dropped',
          'dns: NetworkPolicy default/client-http-only: no rule allows egress to 10.244.0.66:53 for default/client',
        ])
      else if (lesson.id === 'mode3-source-ranges') expect(g.traces[0]!.outcome).toBe('dropped')
      else if (lesson.id === 'mode3-not-ready')
        expect(g.traces.map((t) => t.outcome)).toEqual(['delivered', 'rejected'])
      else
        for (const t of g.traces)
          expect([lesson.id, t.traffic, t.outcome]).toEqual([lesson.id, t.traffic, 'delivered'])
    }
  })

  it('explain every step in English and Chinese', () => {
    for (const lesson of LESSONS) {
      for (const t of computeGolden(lesson).traces) {
        for (const s of t.steps) {
          expect(s.explain.en.length).toBeGreaterThan(20)
          expect(s.explain['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
        }
      }
    }
  })
})
