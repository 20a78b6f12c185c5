/** The statements of kubernetes.io/docs/concepts/services-networking/network-policies/, as tests. */
import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../model/parse-scenario.ts'
import { parseIp } from '../../model/ipv4.ts'
import { policyVerdict, type PolicyEnd, type PolicyPod, type PolicyWorld } from './verdict.ts'

function world(yaml: string): PolicyWorld {
  const r = parseScenario(yaml, 'p.yaml')
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return {
    policies: r.scenario!.networkPolicies ?? [],
    namespaceLabels: r.scenario!.namespaceLabels,
  }
}
const policy = (ns: string, name: string, spec: string) =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}\n`
const nsDoc = (name: string, labels: string) =>
  `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${labels}}\n`

let n = 10
const pod = (
  ns: string,
  name: string,
  labels: Record<string, string>,
  extra: Partial<PolicyPod> = {},
): PolicyEnd => ({
  kind: 'pod',
  pod: {
    namespace: ns,
    name,
    labels,
    ip: parseIp(`10.244.1.${n++}`)!,
    hostNetwork: false,
    node: 'node-1',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    ...extra,
  },
})
const web = pod('shop', 'web', { app: 'web' })
const client = pod('shop', 'client', { app: 'client' })
const other = pod('other', 'client', { app: 'client' })
const tcp = (src: PolicyEnd, dst: PolicyEnd, port = 8080) => ({
  src,
  dst,
  protocol: 'TCP' as const,
  port,
})

describe('isolation', () => {
  it('a Pod no policy selects is not isolated: everything is allowed', () => {
    const v = policyVerdict(world(policy('other', 'deny', '  podSelector: {}')), tcp(client, web))
    expect(v).toMatchObject({ allowed: true, ingress: { why: 'not-isolated' } })
  })
  it('a default-deny ingress policy (podSelector {}, no rules) isolates every Pod of its namespace', () => {
    const v = policyVerdict(world(policy('shop', 'deny', '  podSelector: {}')), tcp(client, web))
    expect(v.allowed).toBe(false)
    expect(v.ingress).toEqual({
      allowed: false,
      why: 'no-rule',
      isolatedBy: [{ namespace: 'shop', name: 'deny' }],
    })
    // Isolation for ingress says nothing of egress.
    expect(v.egress).toMatchObject({ allowed: true, why: 'not-isolated' })
  })
  it('policies are additive: a second policy that allows is enough', () => {
    const w = world(
      policy('shop', 'deny', '  podSelector: {}') +
        policy(
          'shop',
          'allow',
          '  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]',
        ),
    )
    expect(policyVerdict(w, tcp(client, web)).ingress).toEqual({
      allowed: true,
      why: 'rule',
      policy: { namespace: 'shop', name: 'allow' },
      rule: 0,
    })
  })
  it('both the source egress and the destination ingress must allow', () => {
    const w = world(
      policy(
        'shop',
        'no-egress',
        '  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Egress]',
      ),
    )
    const v = policyVerdict(w, tcp(client, web))
    expect(v).toMatchObject({
      allowed: false,
      egress: { allowed: false },
      ingress: { allowed: true },
    })
  })
  it('hostNetwork Pods are not selected, and the resident node is always allowed in', () => {
    const w = world(policy('shop', 'deny', '  podSelector: {}'))
    const hostPod = pod('shop', 'h', {}, { hostNetwork: true })
    expect(policyVerdict(w, tcp(client, hostPod)).ingress.why).toBe('host-network')
    const node: PolicyEnd = { kind: 'node', node: 'node-1', ip: parseIp('192.168.1.11')! }
    expect(policyVerdict(w, tcp(node, web)).ingress.why).toBe('resident-node')
    const far: PolicyEnd = { kind: 'node', node: 'node-2', ip: parseIp('192.168.1.12')! }
    expect(policyVerdict(w, tcp(far, web)).allowed).toBe(false)
  })
})

describe('peers: the AND/OR trap', () => {
  const base = nsDoc('other', '{team: blue}')
  it('namespaceSelector and podSelector in ONE element: Pods that match both', () => {
    const w = world(
      base +
        policy(
          'shop',
          'and',
          '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: blue}}\n      podSelector: {matchLabels: {app: client}}',
        ),
    )
    expect(policyVerdict(w, tcp(other, web)).allowed).toBe(true)
    // A client of the policy's own namespace is not in a team: blue namespace.
    expect(policyVerdict(w, tcp(client, web)).allowed).toBe(false)
    expect(policyVerdict(w, tcp(pod('other', 'x', { app: 'x' }), web)).allowed).toBe(false)
  })
  it('in TWO elements: any Pod of the namespace OR the matching Pods of the policy namespace', () => {
    const w = world(
      base +
        policy(
          'shop',
          'or',
          '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: blue}}\n    - podSelector: {matchLabels: {app: client}}',
        ),
    )
    expect(policyVerdict(w, tcp(other, web)).allowed).toBe(true)
    expect(policyVerdict(w, tcp(client, web)).allowed).toBe(true)
    expect(policyVerdict(w, tcp(pod('other', 'x', { app: 'x' }), web)).allowed).toBe(true)
    expect(policyVerdict(w, tcp(pod('shop', 'x', { app: 'x' }), web)).allowed).toBe(false)
  })
  it('podSelector alone selects Pods in the policy namespace only', () => {
    const w = world(
      policy('shop', 'p', '  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]'),
    )
    expect(policyVerdict(w, tcp(client, web)).allowed).toBe(true)
    expect(policyVerdict(w, tcp(other, web)).allowed).toBe(false)
  })
  it('kubernetes.io/metadata.name selects a namespace no Namespace document declares', () => {
    const w = world(
      policy(
        'shop',
        'p',
        '  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]}]',
      ),
    )
    expect(policyVerdict(w, tcp(pod('kube-system', 'dns', {}), web)).allowed).toBe(true)
    expect(policyVerdict(w, tcp(other, web)).allowed).toBe(false)
  })
})

describe('ipBlock and ports', () => {
  const w = world(
    policy(
      'shop',
      'p',
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]\n    ports: [{protocol: TCP, port: 5978}]',
    ),
  )
  const to = (ip: string): PolicyEnd => ({ kind: 'ip', ip: parseIp(ip)! })
  it('allows the cidr but not its except', () => {
    expect(policyVerdict(w, tcp(client, to('172.17.2.1'), 5978)).allowed).toBe(true)
    expect(policyVerdict(w, tcp(client, to('172.17.1.1'), 5978)).allowed).toBe(false)
    expect(policyVerdict(w, tcp(client, to('10.0.0.1'), 5978)).allowed).toBe(false)
  })
  it('allows the listed port and protocol only', () => {
    expect(policyVerdict(w, tcp(client, to('172.17.2.1'), 5979)).allowed).toBe(false)
    expect(
      policyVerdict(w, { ...tcp(client, to('172.17.2.1'), 5978), protocol: 'UDP' }).allowed,
    ).toBe(false)
  })
  it('endPort opens the range port..endPort inclusive', () => {
    const r = world(
      policy(
        'shop',
        'p',
        '  podSelector: {}\n  ingress: [{ports: [{port: 32000, endPort: 32768}]}]',
      ),
    )
    expect(policyVerdict(r, tcp(client, web, 32000)).allowed).toBe(true)
    expect(policyVerdict(r, tcp(client, web, 32768)).allowed).toBe(true)
    expect(policyVerdict(r, tcp(client, web, 32769)).allowed).toBe(false)
  })
  it('a named port resolves against the destination Pod container ports', () => {
    const r = world(policy('shop', 'p', '  podSelector: {}\n  ingress: [{ports: [{port: http}]}]'))
    expect(policyVerdict(r, tcp(client, web, 8080)).allowed).toBe(true)
    expect(policyVerdict(r, tcp(client, web, 80)).allowed).toBe(false)
    expect(policyVerdict(r, tcp(client, pod('shop', 'n', {}, { ports: [] }), 8080)).allowed).toBe(
      false,
    )
  })
})
