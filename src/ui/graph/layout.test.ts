import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../../cli/load.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import type { Trace } from '../../model/trace.ts'
import type { ClusterSummary, PodSummary } from '../../sim/protocol.ts'
import { summarize } from '../../sim/summary.ts'
import { graphExtras } from './extras.ts'
import { layoutCluster, type GraphBox, type GraphLayout } from './layout.ts'

const LESSONS_DIR = join(import.meta.dirname, '..', '..', 'lessons')

function lessonSummary(id: string): ClusterSummary {
  const lesson = LESSONS.find((l) => l.id === id)!
  const loaded = loadScenarioFile(join(LESSONS_DIR, lesson.file))
  return summarize(loaded.cluster!)
}

function goldenTraces(id: string): Trace[] {
  return (
    JSON.parse(readFileSync(join(LESSONS_DIR, `${id}.golden.json`), 'utf8')) as {
      traces: Trace[]
    }
  ).traces
}

/** A cluster of `nodes` nodes with `pods` Pods dealt round them, bridged as flannel does. */
function syntheticCluster(nodes: number, pods: number): ClusterSummary {
  const podList: PodSummary[] = Array.from({ length: pods }, (_, i) => ({
    namespace: 'default',
    name: `pod-${i}`,
    node: `node-${i % nodes}`,
    ip: `10.244.${i % nodes}.${2 + i}`,
    hostNetwork: false,
    sandbox: 'registry.k8s.io/pause:3.10',
    containers: Array.from({ length: 1 + (i % 3) }, (_, j) => ({
      name: `c${j}`,
      image: 'nginx',
      ports: [],
    })),
    hostVeth: `veth${i}`,
  }))
  return {
    name: 'synthetic',
    cni: 'flannel vxlan',
    mtu: 1500,
    podMtu: 1450,
    nodes: Array.from({ length: nodes }, (_, n) => ({
      name: `node-${n}`,
      ip: `192.168.1.${11 + n}`,
      podCIDR: `10.244.${n}.0/24`,
      devices: [
        {
          name: 'lo',
          kind: 'loopback',
          mtu: 65536,
          mac: null,
          addresses: [],
          master: null,
          peer: null,
        },
        {
          name: 'eth0',
          kind: 'ether',
          mtu: 1500,
          mac: null,
          addresses: [],
          master: null,
          peer: null,
        },
        {
          name: 'flannel.1',
          kind: 'vxlan',
          mtu: 1450,
          mac: null,
          addresses: [],
          master: null,
          peer: null,
        },
        {
          name: 'cni0',
          kind: 'bridge',
          mtu: 1450,
          mac: null,
          addresses: [],
          master: null,
          peer: null,
        },
        ...podList
          .filter((p) => p.node === `node-${n}`)
          .map((p) => ({
            name: p.hostVeth!,
            kind: 'veth',
            mtu: 1450,
            mac: null,
            addresses: [],
            master: 'cni0',
            peer: `${p.namespace}/${p.name}`,
          })),
      ],
    })),
    pods: podList,
    services: [],
  }
}

const byId = (g: GraphLayout) => new Map(g.boxes.map((b) => [b.id, b]))

function overlaps(a: GraphBox, b: GraphBox): boolean {
  return a.ax < b.ax + b.w && b.ax < a.ax + a.w && a.ay < b.ay + b.h && b.ay < a.ay + a.h
}

/** The checks every layout must pass, whatever the cluster. */
function expectWellFormed(g: GraphLayout): void {
  const boxes = byId(g)
  expect(boxes.size, 'ids are unique').toBe(g.boxes.length)
  for (const b of g.boxes) {
    if (!b.parent) continue
    const p = boxes.get(b.parent)!
    // React Flow needs a parent before its children.
    expect(g.boxes.indexOf(p), `${b.parent} comes before ${b.id}`).toBeLessThan(g.boxes.indexOf(b))
    expect(b.x, `${b.id} inside ${p.id}`).toBeGreaterThanOrEqual(0)
    expect(b.y, `${b.id} inside ${p.id}`).toBeGreaterThanOrEqual(0)
    expect(b.x + b.w, `${b.id} inside ${p.id}`).toBeLessThanOrEqual(p.w)
    expect(b.y + b.h, `${b.id} inside ${p.id}`).toBeLessThanOrEqual(p.h)
    expect(b.ax).toBe(p.ax + b.x)
    expect(b.ay).toBe(p.ay + b.y)
  }
  for (let i = 0; i < g.boxes.length; i++)
    for (let j = i + 1; j < g.boxes.length; j++) {
      const [a, b] = [g.boxes[i]!, g.boxes[j]!]
      if (a.parent === b.parent) expect(overlaps(a, b), `${a.id} and ${b.id} overlap`).toBe(false)
    }
  for (const l of g.links) {
    expect(boxes.has(l.source), l.source).toBe(true)
    expect(boxes.has(l.target), l.target).toBe(true)
  }
  for (const b of g.boxes) {
    expect(b.ax + b.w).toBeLessThanOrEqual(g.width)
    expect(b.ay + b.h).toBeLessThanOrEqual(g.height)
  }
}

describe('the cluster graph layout', () => {
  it('gives the same boxes for the same cluster', () => {
    const c = lessonSummary('mode2-flannel-vxlan')
    expect(layoutCluster(c)).toEqual(layoutCluster(structuredClone(c)))
  })

  it('puts each Pod inside its node, with its containers and eth0 in the sandbox namespace', () => {
    const c = lessonSummary('mode2-flannel-vxlan')
    const g = byId(layoutCluster(c))
    for (const p of c.pods) {
      const key = `${p.namespace}/${p.name}`
      expect(g.get(`pod:${key}`)!.parent).toBe(`node:${p.node}`)
      expect(g.get(`netns:${key}`)!.parent).toBe(`pod:${key}`)
      expect(g.get(`netns:${key}`)!.label).toBe(p.sandbox)
      for (const k of p.containers)
        expect(g.get(`ctr:${key}:${k.name}`)!.parent).toBe(`netns:${key}`)
      expect(g.get(`dev:${key}:eth0`)!.parent).toBe(`netns:${key}`)
    }
  })

  it('draws every host device of every node, and eth0 below the Pods', () => {
    const c = lessonSummary('mode3-clusterip-ipvs')
    const g = byId(layoutCluster(c))
    for (const n of c.nodes) {
      for (const d of n.devices)
        expect(g.get(`dev:${n.name}:${d.name}`)?.parent).toBe(`node:${n.name}`)
      const eth0 = g.get(`dev:${n.name}:eth0`)!
      for (const p of c.pods.filter((x) => x.node === n.name))
        expect(eth0.ay).toBeGreaterThan(g.get(`pod:${p.namespace}/${p.name}`)!.ay)
    }
  })

  it('links each Pod’s eth0 to its host veth, the veth to its bridge and eth0 to the underlay', () => {
    const g = layoutCluster(lessonSummary('mode2-flannel-vxlan'))
    const has = (kind: string, s: string, t: string) =>
      g.links.some((l) => l.kind === kind && l.source === s && l.target === t)
    expect(has('veth', 'dev:default/client:eth0', 'dev:node-1:veth7d6000b0')).toBe(true)
    expect(has('port', 'dev:node-1:veth7d6000b0', 'dev:node-1:cni0')).toBe(true)
    expect(has('tunnel', 'dev:node-2:flannel.1', 'dev:node-2:eth0')).toBe(true)
    expect(has('wire', 'dev:node-2:eth0', 'underlay')).toBe(true)
  })

  it('sets up to three nodes in a row, four as a 2 by 2 grid, the underlay below them all', () => {
    for (const [n, rows] of [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 2],
    ] as const) {
      const g = layoutCluster(syntheticCluster(n, 12))
      const nodes = g.boxes.filter((b) => b.kind === 'node')
      expect(nodes).toHaveLength(n)
      expect(new Set(nodes.map((b) => b.ay)).size).toBe(rows)
      const underlay = g.boxes.find((b) => b.kind === 'underlay')!
      for (const b of nodes) expect(underlay.ay).toBeGreaterThan(b.ay + b.h)
    }
  })

  it('groups a node’s Pods by namespace, in the order the namespaces first appear', () => {
    const c = syntheticCluster(1, 6)
    c.pods.forEach((p, i) => (p.namespace = i % 2 === 0 ? 'shop' : 'kube-system'))
    const pods = layoutCluster(c)
      .boxes.filter((b) => b.kind === 'pod')
      .sort((a, b) => a.ay - b.ay || a.ax - b.ax)
      .map((b) => b.id)
    expect(pods).toEqual([
      'pod:shop/pod-0',
      'pod:shop/pod-2',
      'pod:shop/pod-4',
      'pod:kube-system/pod-1',
      'pod:kube-system/pod-3',
      'pod:kube-system/pod-5',
    ])
  })

  it('is well formed for lesson-sized clusters', () => {
    for (const n of [1, 2, 3, 4])
      for (const pods of [0, 1, 5, 12]) expectWellFormed(layoutCluster(syntheticCluster(n, pods)))
  })

  it('puts Services above the nodes and outside components below the underlay', () => {
    const c = lessonSummary('mode3-loadbalancer')
    const trace = goldenTraces('mode3-loadbalancer')[0]!
    const extras = graphExtras(c, trace)
    const g = layoutCluster(c, extras)
    expectWellFormed(g)
    const svc = g.boxes.filter((b) => b.kind === 'service')
    expect(svc.length).toBe(extras.services.length)
    expect(svc.length).toBeGreaterThan(0)
    const firstNode = g.boxes.find((b) => b.kind === 'node')!
    for (const s of svc) expect(s.ay + s.h).toBeLessThan(firstNode.ay)
    const underlay = g.boxes.find((b) => b.kind === 'underlay')!
    for (const name of extras.outside)
      expect(byId(g).get(`comp:${name}`)!.ay).toBeGreaterThan(underlay.ay)
  })

  it('sets Services side by side, and a single node under their middle', () => {
    const c = lessonSummary('mode1-localhost')
    const g = layoutCluster(c, { nodeComponents: [], outside: [], services: c.services })
    const svc = g.boxes.filter((b) => b.kind === 'service')
    expect(svc.length).toBe(c.services.length)
    expect(new Set(svc.map((b) => b.ay)).size).toBe(1)
    const node = g.boxes.find((b) => b.kind === 'node')!
    expect(node.ax + node.w / 2).toBe(g.width / 2)
  })

  it('draws each Ingress in a row under the Services, tied to its controller Pod', () => {
    const c = lessonSummary('mode4-ingress-nginx')
    const g = layoutCluster(c, graphExtras(c, goldenTraces('mode4-ingress-nginx')[0]!))
    expectWellFormed(g)
    const l7 = g.boxes.filter((b) => b.kind === 'l7')
    expect(l7.map((b) => b.id)).toEqual(['l7:Ingress:default/shop', 'l7:Ingress:default/fallback'])
    expect(new Set(l7.map((b) => b.ay)).size).toBe(1)
    const firstNode = g.boxes.find((b) => b.kind === 'node')!
    for (const b of l7) expect(b.ay + b.h).toBeLessThan(firstNode.ay)
    for (const s of g.boxes.filter((b) => b.kind === 'service'))
      expect(s.ay + s.h).toBeLessThan(l7[0]!.ay)
    const shop = l7[0]!
    expect(shop.l7).toEqual({ kind: 'Ingress', owner: 'nginx', accepted: null, reason: null })
    expect(shop.detail).toEqual(['www.example.com /api /web'])
    const config = g.links.filter((l) => l.kind === 'config')
    expect(config.map((l) => [l.source, l.target])).toEqual([
      [shop.id, 'pod:ingress-nginx/ingress-nginx-controller-6c888d4b78-jf92l'],
      [
        'l7:Ingress:default/fallback',
        'pod:ingress-nginx/ingress-nginx-controller-6c888d4b78-jf92l',
      ],
    ])
  })

  it('marks an HTTPRoute that no Gateway accepted, and ties it to no Pod', () => {
    const c = lessonSummary('mode4-gateway-httproute')
    const g = layoutCluster(c, graphExtras(c, goldenTraces('mode4-gateway-httproute')[0]!))
    expectWellFormed(g)
    const boxes = byId(g)
    const blog = boxes.get('l7:HTTPRoute:blog/blog')!
    expect(blog.l7).toMatchObject({ accepted: false, reason: 'NotAllowedByListeners' })
    expect(boxes.get('l7:HTTPRoute:shop/store')!.l7).toMatchObject({ accepted: true })
    expect(boxes.get('l7:Gateway:shop/eg')!.detail).toEqual(['http HTTP/80'])
    const config = g.links.filter((l) => l.kind === 'config')
    expect(config.some((l) => l.source === blog.id)).toBe(false)
    expect(config.filter((l) => l.source === 'l7:HTTPRoute:shop/store')).toHaveLength(1)
    expect(config.filter((l) => l.source === 'l7:Gateway:shop/eg')).toHaveLength(1)
  })

  it('draws no L7 box for a cluster without Ingress or Gateway objects', () => {
    const g = layoutCluster(lessonSummary('mode1-localhost'))
    expect(g.boxes.some((b) => b.kind === 'l7')).toBe(false)
    expect(g.links.some((l) => l.kind === 'config')).toBe(false)
  })

  for (const lesson of LESSONS.filter((l) => l.id !== 'mode1-port-conflict')) {
    it(`${lesson.id}: well formed, with every trace’s components`, () => {
      const c = lessonSummary(lesson.id)
      for (const t of goldenTraces(lesson.id)) expectWellFormed(layoutCluster(c, graphExtras(c, t)))
    })
  }
})
