import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'
import { labelSelectorMatches, namespaceLabelsOf } from './network-policy.ts'

const np = (spec: string, name = 'p') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: web}\nspec:\n${spec}`
const read = (src: string) => parseScenario(src, 'f.yaml')
const errors = (src: string) => read(src).diagnostics.filter((d) => d.severity === 'error')

describe('NetworkPolicy policyTypes default (SetDefaults_NetworkPolicySpec)', () => {
  it('is Ingress when only ingress rules (or none) are written', () => {
    const s = read(np('  podSelector: {}\n')).scenario!
    expect(s.networkPolicies![0]).toMatchObject({ namespace: 'web', policyTypes: ['Ingress'] })
    expect(s.networkPolicies![0]!.podSelector).toEqual({ matchLabels: {}, matchExpressions: [] })
  })
  it('adds Egress when egress rules are given, not for an empty egress list', () => {
    const both = read(np('  podSelector: {}\n  egress: [{}]\n')).scenario!
    expect(both.networkPolicies![0]!.policyTypes).toEqual(['Ingress', 'Egress'])
    const none = read(np('  podSelector: {}\n  egress: []\n')).scenario!
    expect(none.networkPolicies![0]!.policyTypes).toEqual(['Ingress'])
  })
  it('keeps policyTypes as written, and refuses another value', () => {
    const s = read(np('  podSelector: {}\n  policyTypes: [Egress]\n')).scenario!
    expect(s.networkPolicies![0]!.policyTypes).toEqual(['Egress'])
    const [e] = errors(np('  podSelector: {}\n  policyTypes: [Ingres]\n'))
    expect(e).toMatchObject({ line: 6, col: 17, object: 'NetworkPolicy/web/p' })
  })
})

describe('a NetworkPolicy PodPath reads', () => {
  it("is read without a warning: whether a trace enforces it is the data plane's to say", () => {
    const w = read(np('  podSelector: {}\n')).diagnostics.filter((d) => d.severity === 'warning')
    expect(w).toHaveLength(0)
  })
})

describe('NetworkPolicy peers and ports', () => {
  it('reads both selectors in one peer as one AND peer, and two peers as two', () => {
    const and = read(
      np(
        '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n      podSelector: {matchLabels: {app: x}}\n',
      ),
    ).scenario!
    expect(and.networkPolicies![0]!.ingress[0]!.peers).toHaveLength(1)
    const or = read(
      np(
        '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n    - podSelector: {matchLabels: {app: x}}\n',
      ),
    ).scenario!
    expect(or.networkPolicies![0]!.ingress[0]!.peers).toEqual([
      { kind: 'selector', podSelector: null, namespaceSelector: expect.anything() },
      { kind: 'selector', podSelector: expect.anything(), namespaceSelector: null },
    ])
  })
  it('reads ipBlock with except, and refuses an except outside the cidr at its line', () => {
    const s = read(
      np(
        '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n',
      ),
    ).scenario!
    expect(s.networkPolicies![0]!.egress[0]!.peers[0]).toEqual({
      kind: 'ipBlock',
      cidr: { base: 0x0a000000, prefix: 8 },
      except: [{ base: 0x0a010000, prefix: 16 }],
    })
    const [e] = errors(
      np(
        '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [192.168.0.0/16]\n',
      ),
    )
    expect(e).toMatchObject({ line: 10, col: 18 })
    expect(e!.message.en).toBe('except "192.168.0.0/16" must be a CIDR strictly inside 10.0.0.0/8')
  })
  it('refuses an empty peer and ipBlock beside a selector', () => {
    expect(errors(np('  podSelector: {}\n  ingress:\n  - from: [{}]\n'))[0]).toMatchObject({
      line: 7,
      cause: 'kubernetes',
    })
    expect(
      errors(
        np(
          '  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]\n',
        ),
      ),
    ).toHaveLength(1)
  })
  it('defaults the protocol to TCP, reads named ports and endPort', () => {
    const s = read(
      np(
        '  podSelector: {}\n  ingress:\n  - ports:\n    - port: http\n    - {protocol: UDP, port: 32000, endPort: 32768}\n',
      ),
    ).scenario!
    expect(s.networkPolicies![0]!.ingress[0]!.ports).toEqual([
      { protocol: 'TCP', port: 'http', endPort: null },
      { protocol: 'UDP', port: 32000, endPort: 32768 },
    ])
    expect(
      errors(np('  podSelector: {}\n  ingress:\n  - ports: [{port: 80, endPort: 79}]\n')),
    ).toHaveLength(1)
    expect(
      errors(np('  podSelector: {}\n  ingress:\n  - ports: [{port: http, endPort: 90}]\n')),
    ).toHaveLength(1)
    expect(errors(np('  podSelector: {}\n  ingress:\n  - ports: [{port: HTTP}]\n'))).toHaveLength(1)
  })
  it('refuses In without values and Exists with values', () => {
    const sel = (e: string) => np(`  podSelector:\n    matchExpressions: [${e}]\n`)
    expect(errors(sel('{key: a, operator: In}'))).toHaveLength(1)
    expect(errors(sel('{key: a, operator: Exists, values: [x]}'))).toHaveLength(1)
    expect(errors(sel('{key: a, operator: NotIn, values: [x]}'))).toEqual([])
  })
})

describe('label selectors and namespace labels', () => {
  it('matches matchLabels and every matchExpressions operator', () => {
    const l = { app: 'web', tier: 'front' }
    const m = (matchExpressions: Parameters<typeof labelSelectorMatches>[0]['matchExpressions']) =>
      labelSelectorMatches({ matchLabels: {}, matchExpressions }, l)
    expect(labelSelectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [] }, l)).toBe(
      true,
    )
    expect(labelSelectorMatches({ matchLabels: { app: 'db' }, matchExpressions: [] }, l)).toBe(
      false,
    )
    expect(m([{ key: 'tier', operator: 'In', values: ['front', 'back'] }])).toBe(true)
    expect(m([{ key: 'tier', operator: 'NotIn', values: ['front'] }])).toBe(false)
    expect(m([{ key: 'zone', operator: 'NotIn', values: ['a'] }])).toBe(true)
    expect(m([{ key: 'app', operator: 'Exists', values: [] }])).toBe(true)
    expect(m([{ key: 'app', operator: 'DoesNotExist', values: [] }])).toBe(false)
  })
  it('gives every namespace kubernetes.io/metadata.name, declared or only implied', () => {
    const s = read(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n',
    ).scenario!
    expect(namespaceLabelsOf(s.namespaceLabels, 'shop')).toEqual({
      team: 'a',
      'kubernetes.io/metadata.name': 'shop',
    })
    expect(namespaceLabelsOf(s.namespaceLabels, 'kube-system')).toEqual({
      'kubernetes.io/metadata.name': 'kube-system',
    })
  })
})
