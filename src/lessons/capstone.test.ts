/**
 * Issue 4's promise for the capstone: every step names the component that acts, carries the
 * packet's headers, shows the rule that decided the hop (or is a step no table decides, for a
 * reason stated here), and explains itself in both languages.
 */
import { describe, expect, it } from 'vitest'
import { computeGolden } from '../cli/golden.ts'
import type { Step } from '../model/trace.ts'
import { LESSONS } from './catalog.ts'

/** Steps that no table decides, by `action/component`, and why. */
const NO_TABLE: Record<string, string> = {
  'send/app': 'a process decides to send: the socket call is the cause, not a rule',
  'send/ingress-nginx': 'the controller process opens its own connection to the upstream',
  'send/internet': 'the client process outside the cluster sends',
  'dns-query/internet': 'the client process asks its resolver',
  'deliver/internet': 'the client process outside the cluster receives the answer',
  'route/underlay': 'the site network outside the nodes: PodPath prints no tables for it',
  'bridge/underlay': 'the site network outside the nodes: PodPath prints no tables for it',
  'unnat/cloud-lb': 'the cloud load balancer undoes its own translation from its connection state',
}

const key = (s: Step) => `${s.action}/${s.at.component}`

describe('the capstone explains every step', () => {
  const lesson = LESSONS.find((l) => l.id === 'mode4-capstone')!
  const traces = computeGolden(lesson).traces
  it('has traces to check', () => {
    expect(traces.length).toBeGreaterThan(0)
    expect(traces[0]!.steps.length).toBeGreaterThan(40)
  })
  for (const t of traces) {
    it(`${t.traffic}: component, headers, deciding rule and both languages at every step`, () => {
      for (const s of t.steps) {
        const where = `step ${s.index} ${s.action} ${JSON.stringify(s.at)}`
        expect(s.at.component, where).not.toBeNull()
        expect(s.at.component, where).not.toBe('')
        // Headers: the IP header, with ports for TCP and UDP (the public DNS lookup too, between
        // the client and a stand-in address for its resolver).
        if (s.phase === 'dns') expect(s.packet.app?.protocol, where).toBe('dns')
        if (s.action === 'arp') {
          // An ARP request is an Ethernet frame with the ARP header, no IP header.
          expect(s.packet.l2, where).toBeTruthy()
          expect(s.packet.app?.protocol, where).toBe('arp')
        } else {
          expect(s.packet.l3, where).toBeTruthy()
          expect(s.packet.l3!.src && s.packet.l3!.dst, where).toBeTruthy()
          if (s.packet.l3!.proto === 'tcp' || s.packet.l3!.proto === 'udp')
            expect(s.packet.l4, where).toBeTruthy()
        }
        if (s.lookups.length > 0) {
          expect(
            s.lookups.some((l) => l.matched),
            `${where}: one lookup decided`,
          ).toBe(true)
        } else {
          expect(NO_TABLE[key(s)], `${where}: no lookup and no stated reason`).toBeDefined()
        }
        expect(s.explain.en.trim().length, where).toBeGreaterThan(20)
        expect(s.explain['zh-CN'].trim().length, where).toBeGreaterThan(10)
        // Chinese text is Chinese, not a copy of the English.
        expect(s.explain['zh-CN'], where).toMatch(/[\u4e00-\u9fff]/)
      }
    })
  }
  it('names the kernel for routing, neighbours, veth, tunnels and conntrack, and the app', () => {
    const steps = traces.flatMap((t) => t.steps)
    const by = (a: string) =>
      new Set(steps.filter((s) => s.action === a && s.at.node).map((s) => s.at.component))
    for (const a of ['route', 'arp', 'veth', 'encapsulate', 'decapsulate', 'unnat'])
      expect([a, by(a).has('kernel')]).toEqual([a, true])
    expect(by('dnat')).toEqual(new Set(['kube-proxy']))
    expect(
      steps.some(
        (s) => s.action === 'deliver' && s.at.pod === 'default/api' && s.at.component === 'app',
      ),
    ).toBe(true)
  })
})
