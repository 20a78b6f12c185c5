import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'
import { build } from '../../test/scenario.ts'

const errorsOf = (yaml: string) =>
  loadScenarioSource(yaml, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')
const cluster = (spec: string) =>
  `apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n${spec}\n`

describe('cluster build: filling in what was left out', () => {
  it('gives a scenario without nodes two of them, with node CIDRs in order from the cluster CIDR', () => {
    const { cluster: c } = build(cluster('  cni: {plugin: flannel}'))
    expect(c.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2'])
    expect(c.nodes.map((n) => n.podCIDR)).toEqual([
      { base: 0x0af40000, prefix: 24 },
      { base: 0x0af40100, prefix: 24 },
    ])
  })

  it('names and places controller replicas deterministically', () => {
    const yaml = `${cluster('  nodes: [{name: a}, {name: b}, {name: c}]')}---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: x}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: x}]}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: x}]}}
`
    const a = build(yaml).cluster
    const b = build(yaml).cluster
    expect(a.pods.map((p) => p.name)).toEqual(b.pods.map((p) => p.name))
    expect(
      a.pods.filter((p) => p.owner?.kind === 'StatefulSet').map((p) => `${p.name}@${p.node}`),
    ).toEqual(['db-0@a', 'db-1@b', 'db-2@c'])
    for (const p of a.pods.filter((x) => x.owner?.kind === 'Deployment' && x.owner.name === 'web'))
      expect(p.name).toMatch(
        /^web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
      )
    expect(a.pods.filter((p) => p.owner?.kind === 'DaemonSet').map((p) => p.node)).toEqual([
      'a',
      'b',
      'c',
    ])
  })
})

describe('cluster build: errors', () => {
  it('reports a Pod on a node that does not exist', () => {
    const [e] = errorsOf(
      `${cluster('  nodes: [{name: node-1}]')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: node-9, containers: [{name: c}]}\n`,
    )
    expect(e).toMatchObject({ object: 'Pod/default/p', line: 10 })
    expect(e!.message.en).toMatch(/"node-9" names a node that does not exist \(nodes: node-1\)/)
  })

  it('reports overlapping node Pod CIDRs', () => {
    const [e] = errorsOf(
      cluster('  nodes: [{name: a, podCIDR: 10.244.0.0/24}, {name: b, podCIDR: 10.244.0.0/23}]'),
    )
    expect(e!.message.en).toMatch(/overlaps 10\.244\.0\.0\/24 of node a/)
  })

  it('reports a cluster CIDR that overlaps the service CIDR', () => {
    const [e] = errorsOf(cluster('  clusterCIDR: 10.96.0.0/16'))
    expect(e!.message.en).toMatch(/overlaps the service CIDR 10\.96\.0\.0\/12/)
  })

  it("reports a Pod IP outside the node's range", () => {
    const [e] = errorsOf(
      `${cluster('  nodes: [{name: a}]')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: a, containers: [{name: c}]}\nstatus: {podIP: 10.244.9.9}\n`,
    )
    expect(e!.message.en).toMatch(/status\.podIP 10\.244\.9\.9 is outside 10\.244\.0\.0\/24/)
  })

  it('reports a podCIDR outside the cluster CIDR and a node IP used twice', () => {
    const es = errorsOf(
      cluster(
        '  nodes: [{name: a, ip: 192.168.1.5, podCIDR: 10.1.0.0/24}, {name: b, ip: 192.168.1.5}]',
      ),
    )
    expect(es.map((e) => e.message.en).join('\n')).toMatch(/already used by a/)
  })

  it('accepts a given Pod IP inside the range and hands out the others around it', () => {
    const yaml = `${cluster('  nodes: [{name: a}]')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {nodeName: a, containers: [{name: c}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: a, containers: [{name: c}]}\nstatus: {podIP: 10.244.0.2}\n`
    const c = build(yaml).cluster
    expect(c.pods.find((p) => p.name === 'p')!.ip).toBe(0x0af40002)
    expect(c.pods.find((p) => p.name === 'q')!.ip).toBe(0x0af40003)
  })
})
