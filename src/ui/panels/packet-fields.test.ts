import { describe, expect, it } from 'vitest'
import type { Packet, Step } from '../../model/trace.ts'
import { compareLayers, isChanged, packetLayers, rewrites } from './packet-fields.ts'

const inner: Packet = {
  l2: { src: '0a:58:0a:f4:00:01', dst: '0a:58:0a:f4:00:02' },
  l3: { src: '10.244.0.2', dst: '10.96.0.10', proto: 'tcp', ttl: 64 },
  l4: { srcPort: 40000, dstPort: 80 },
  app: {
    protocol: 'http',
    kind: 'request',
    method: 'GET',
    host: 'web',
    path: '/',
    headers: { Host: 'web' },
  },
  outer: null,
}

const dnatted: Packet = {
  ...inner,
  l3: { ...inner.l3!, dst: '10.244.1.2' },
  l4: { srcPort: 40000, dstPort: 8080 },
}

const wrapped: Packet = {
  ...inner,
  outer: {
    encap: 'vxlan',
    vni: 1,
    l2: { src: 'aa:aa:aa:aa:aa:01', dst: 'aa:aa:aa:aa:aa:02' },
    l3: { src: '192.168.1.11', dst: '192.168.1.12', proto: 'udp', ttl: 64 },
    l4: { proto: 'udp', srcPort: 51000, dstPort: 8472 },
  },
}

function step(action: Step['action'], changed: string[]): Step {
  return {
    index: 1,
    phase: 'request',
    at: { node: null, pod: null, container: null, device: null, component: null, hook: null },
    action,
    packet: inner,
    changed,
    lookups: [],
    explain: { en: '', 'zh-CN': '' },
  }
}

describe('the packet inspector’s fields', () => {
  it('lists the layers outermost first, with the trace’s dotted paths', () => {
    const layers = packetLayers(wrapped)
    expect(layers.map((l) => l.id)).toEqual(['outer', 'l2', 'l3', 'l4', 'app'])
    expect(layers[0]!.fields.map((f) => f.path)).toContain('outer.vni')
    expect(layers[2]!.fields).toEqual([
      { path: 'l3.src', value: '10.244.0.2' },
      { path: 'l3.dst', value: '10.96.0.10' },
      { path: 'l3.proto', value: 'tcp' },
      { path: 'l3.ttl', value: '64' },
    ])
    expect(layers[4]!.fields).toContainEqual({ path: 'app.headers.Host', value: 'web' })
  })

  it('lists DNS answers one by one and the ARP message’s fields', () => {
    const dns: Packet = {
      ...inner,
      app: {
        protocol: 'dns',
        kind: 'answer',
        id: 7,
        question: 'web.',
        type: 'A',
        status: 'NOERROR',
        answers: ['web. 30 IN A 10.96.0.20'],
      },
    }
    expect(
      packetLayers(dns)
        .at(-1)!
        .fields.map((f) => f.path),
    ).toEqual(['app.kind', 'app.id', 'app.question', 'app.type', 'app.status', 'app.answers.0'])
    const arp: Packet = {
      l2: null,
      l3: null,
      l4: null,
      outer: null,
      app: {
        protocol: 'arp',
        operation: 'request',
        senderIp: '10.0.0.1',
        senderMac: 'aa',
        targetIp: '10.0.0.2',
        targetMac: '00:00:00:00:00:00',
        answer: null,
      },
    }
    expect(packetLayers(arp).map((l) => l.id)).toEqual(['app'])
    expect(packetLayers(arp)[0]!.fields.map((f) => f.path)).not.toContain('app.answer')
  })

  it('marks a field changed by its own path or by a layer that changed as a whole', () => {
    expect(isChanged('l3.dst', ['l3.dst'])).toBe(true)
    expect(isChanged('l3.src', ['l3.dst'])).toBe(false)
    expect(isChanged('outer.l2.src', ['outer.l2'])).toBe(true)
    expect(isChanged('l3.src', ['l3'])).toBe(true)
    expect(isChanged('l3.srcPort', ['l3.src'])).toBe(false)
  })

  it('shows in and out at rewrites, and wherever the trace lists a change', () => {
    expect(rewrites(step('dnat', []))).toBe(true)
    expect(rewrites(step('decapsulate', []))).toBe(true)
    expect(rewrites(step('route', ['l3.ttl']))).toBe(true)
    expect(rewrites(step('veth', []))).toBe(false)
  })
})

describe('a rewrite, in beside out', () => {
  it('gives each field both values, and marks the ones DNAT changed', () => {
    const layers = compareLayers(inner, dnatted, ['l3.dst', 'l4.dstPort'])
    const l3 = layers.find((l) => l.id === 'l3')!.rows
    expect(l3.find((r) => r.path === 'l3.dst')).toEqual({
      path: 'l3.dst',
      before: '10.96.0.10',
      after: '10.244.1.2',
      changed: true,
    })
    expect(l3.find((r) => r.path === 'l3.src')).toEqual({
      path: 'l3.src',
      before: '10.244.0.2',
      after: '10.244.0.2',
      changed: false,
    })
    expect(
      layers
        .find((l) => l.id === 'l4')!
        .rows.filter((r) => r.changed)
        .map((r) => r.path),
    ).toEqual(['l4.dstPort'])
  })

  it('keeps the outer headers that decapsulation took off, with nothing after them', () => {
    const layers = compareLayers(wrapped, inner, ['outer'])
    const outer = layers[0]!
    expect(outer.id).toBe('outer')
    expect(
      outer.rows.every((r) => r.changed && r.before !== undefined && r.after === undefined),
    ).toBe(true)
    expect(layers.find((l) => l.id === 'l3')!.rows.every((r) => !r.changed)).toBe(true)
  })

  it('counts a field that appears as changed even if the trace lists only its layer', () => {
    const layers = compareLayers(inner, wrapped, [])
    expect(layers[0]!.rows.every((r) => r.changed && r.before === undefined)).toBe(true)
  })

  it('has no values before the first step', () => {
    const rows = compareLayers(null, inner, []).flatMap((l) => l.rows)
    expect(rows.every((r) => r.before === undefined && !r.changed)).toBe(true)
  })
})
