import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { build } from '../../../test/scenario.ts'
import { nodeTables } from '../../print/tables.ts'
import {
  ciliumIdentities,
  ciliumIdentityList,
  identityLabels,
  identityRelevant,
  MAX_ALLOCATION_IDENTITY,
  MIN_ALLOCATION_IDENTITY,
  podIdentity,
  RESERVED_IDENTITIES,
  reservedIdentities,
} from './identity.ts'

const lesson = readFileSync(
  new URL('../../../lessons/mode2-policy-cilium.yaml', import.meta.url),
  'utf8',
)
const { cluster } = build(lesson)
const pod = (name: string) => cluster.pods.find((p) => p.name === name)!

describe("Cilium's security identities", () => {
  it('reserves 1 to 10 for host, world, unmanaged, health, init, remote-node, kube-apiserver, ingress, world-ipv4 and world-ipv6 (pkg/identity/numericidentity.go)', () => {
    expect(RESERVED_IDENTITIES).toEqual({
      host: 1,
      world: 2,
      unmanaged: 3,
      health: 4,
      init: 5,
      'remote-node': 6,
      'kube-apiserver': 7,
      ingress: 8,
      'world-ipv4': 9,
      'world-ipv6': 10,
    })
    // MinimalNumericIdentity 256; with cluster ID 0 the last is (1 << ClusterIDShift) - 1.
    expect([MIN_ALLOCATION_IDENTITY, MAX_ALLOCATION_IDENTITY]).toEqual([256, 65535])
  })

  it("labels a Pod with its own labels, its namespace's labels, its namespace, service account and cluster, sorted as Cilium prints them", () => {
    expect(
      identityLabels(pod('web'), { 'kubernetes.io/metadata.name': 'default', team: 'a' }),
    ).toEqual([
      'k8s:app=web',
      'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default',
      'k8s:io.cilium.k8s.namespace.labels.team=a',
      'k8s:io.cilium.k8s.policy.cluster=default',
      'k8s:io.cilium.k8s.policy.serviceaccount=default',
      'k8s:io.kubernetes.pod.namespace=default',
    ])
  })

  it("takes the service account from spec.serviceAccountName: kubeadm's CoreDNS runs as coredns, a Pod naming none as default", () => {
    const dns = cluster.pods.find(
      (p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns',
    )!
    expect(identityLabels(dns, {})).toContain('k8s:io.cilium.k8s.policy.serviceaccount=coredns')
    const other = build(
      lesson.replace(
        'metadata: { name: web, namespace: default, labels: { app: web } }\nspec:\n',
        'metadata: { name: web, namespace: default, labels: { app: web } }\nspec:\n  serviceAccountName: web-sa\n',
      ),
    ).cluster
    const web = other.pods.find((p) => p.name === 'web')!
    expect(web.serviceAccount).toBe('web-sa')
    expect(identityLabels(web, {})).toContain('k8s:io.cilium.k8s.policy.serviceaccount=web-sa')
    // Another label set, so another identity than the same Pod running as default.
    expect(podIdentity(other, web)!.id).not.toBe(podIdentity(cluster, pod('web'))!.id)
  })

  it('leaves out the labels the default filter ignores (pkg/labelsfilter), and keeps the ones it includes past an ignore', () => {
    expect(identityRelevant('pod-template-hash')).toBe(false)
    expect(identityRelevant('controller-revision-hash')).toBe(false)
    expect(identityRelevant('statefulset.kubernetes.io/pod-name')).toBe(false)
    expect(identityRelevant('io.kubernetes.container.name')).toBe(false)
    expect(identityRelevant('kubernetes.io/hostname')).toBe(false)
    // io.kubernetes.pod.namespace is included by a longer prefix than the io.kubernetes ignore.
    expect(identityRelevant('io.kubernetes.pod.namespace')).toBe(true)
    expect(identityRelevant('app.kubernetes.io/name')).toBe(true)
    expect(identityRelevant('app')).toBe(true)
  })

  it('gives Pods with different labels different identities from 256 up, and the same labels the same one', () => {
    const ids = ['frontend', 'other', 'web'].map((n) => podIdentity(cluster, pod(n))!.id)
    expect(new Set(ids).size).toBe(3)
    for (const id of ids) {
      expect(id).toBeGreaterThanOrEqual(256)
      expect(id).toBeLessThanOrEqual(65535)
    }
    const twin = build(
      lesson.replace(
        'name: other, namespace: default, labels: { role: batch }',
        'name: other, namespace: default, labels: { role: frontend }',
      ),
    ).cluster
    const t = (n: string) =>
      podIdentity(
        twin,
        twin.pods.find((p) => p.name === n)!,
      )!.id
    expect(t('other')).toBe(t('frontend'))
  })

  it('prints `cilium-dbg identity list`: the reserved identities first, with their labels, then the allocated ones by ID', () => {
    const list = ciliumIdentityList(cluster)
    expect(list.slice(0, 13)).toEqual([
      'ID      LABELS',
      '1       reserved:host',
      '2       reserved:world',
      '3       reserved:unmanaged',
      '4       reserved:health',
      '5       reserved:init',
      '6       reserved:remote-node',
      // kube-apiserver's identity is a remote node too (NewReservedIdentitySet).
      '7       reserved:kube-apiserver',
      '        reserved:remote-node',
      '8       reserved:ingress',
      '9       reserved:world-ipv4',
      '10      reserved:world-ipv6',
      `${String(ciliumIdentities(cluster).list[0]!.id).padEnd(8)}${ciliumIdentities(cluster).list[0]!.labels[0]}`,
    ])
    expect(reservedIdentities().map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('prints an allocated identity with its first label beside the number and the rest below it', () => {
    const list = ciliumIdentityList(cluster)
    const web = podIdentity(cluster, pod('web'))!
    const at = list.findIndex((l) => l.startsWith(`${web.id} `))
    expect(list[at]).toBe(`${String(web.id).padEnd(8)}k8s:app=web`)
    expect(list[at + 1]).toBe(
      `${''.padEnd(8)}k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default`,
    )
    expect(ciliumIdentities(cluster).list.map((i) => i.id)).toEqual(
      [...ciliumIdentities(cluster).list.map((i) => i.id)].sort((a, b) => a - b),
    )
    const numbers = list.filter((l) => /^\d/.test(l)).map((l) => Number(l.split(' ')[0]))
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
  })

  it("is shown in a node's tables, after `cilium-dbg service list`", () => {
    const lines = nodeTables(cluster, 'node-2')!.split('\n')
    const at = lines.indexOf('$ cilium-dbg identity list')
    expect(at).toBeGreaterThan(lines.indexOf('$ cilium-dbg service list'))
    expect(lines.slice(at + 1, at + 1 + ciliumIdentityList(cluster).length)).toEqual(
      ciliumIdentityList(cluster),
    )
  })
})
