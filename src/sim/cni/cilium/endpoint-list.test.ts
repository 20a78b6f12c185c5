import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatIp } from '../../../model/ipv4.ts'
import { build } from '../../../test/scenario.ts'
import { inspectAt } from '../../inspect.ts'
import { trace } from '../../trace.ts'
import { nodeTables } from '../../print/tables.ts'
import {
  ciliumEndpointList,
  ciliumEndpoints,
  endpointLine,
  hostEndpointLabels,
  MAX_ENDPOINT_ID,
  MIN_ENDPOINT_ID,
} from './endpoint-list.ts'
import { podIdentity } from './identity.ts'

const lesson = readFileSync(
  new URL('../../../lessons/mode2-policy-cilium.yaml', import.meta.url),
  'utf8',
)
const { cluster } = build(lesson)
const pod = (name: string) => cluster.pods.find((p) => p.name === name)!

/** A Cilium cluster: node-1 with Pods a (app: a) and b (app: b), node-2 with c, plus `extra`. */
function withPolicies(extra: string) {
  const pods = ['a', 'b', 'c']
    .map(
      (n) => `---
apiVersion: v1
kind: Pod
metadata: { name: ${n}, namespace: default, labels: { app: ${n} } }
spec:
  nodeName: ${n === 'c' ? 'node-2' : 'node-1'}
  containers: [{ name: x, image: nginx:1.27, ports: [{ containerPort: 80 }] }]
`,
    )
    .join('')
  return build(`apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: { name: t }
spec:
  cni: { plugin: cilium, routingMode: tunnel, tunnelProtocol: vxlan, kubeProxyReplacement: true }
  nodes:
    - { name: node-1, ip: 192.168.1.11 }
    - { name: node-2, ip: 192.168.1.12 }
${pods}${extra}`).cluster
}

const policy = (name: string, app: string, spec: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: default }
spec:
  podSelector: { matchLabels: { app: ${app} } }
${spec}
`

const enforcement = (c: ReturnType<typeof withPolicies>, node: string, name: string) => {
  const e = ciliumEndpoints(c, node).find((x) => x.pod === `default/${name}`)!
  return [e.ingress, e.egress]
}

describe('`cilium-dbg endpoint list`: the endpoints one agent manages', () => {
  it("lists the host endpoint and each of the node's own Pods, no Pod of another node, no health endpoint", () => {
    const eps = ciliumEndpoints(cluster, 'node-1')
    const names = eps.map((e) => e.pod ?? 'host').sort()
    const onNode1 = cluster.pods
      .filter((p) => p.node === 'node-1' && !p.hostNetwork)
      .map((p) => `${p.namespace}/${p.name}`)
    expect(names).toEqual(['host', ...onNode1].sort())
    expect(names).not.toContain('default/web')
    expect(eps.some((e) => e.identity === 4)).toBe(false)
  })

  it('gives a Pod endpoint the identity, labels and address identity.ts and the Pod have', () => {
    const web = ciliumEndpoints(cluster, 'node-2').find((e) => e.pod === 'default/web')!
    const id = podIdentity(cluster, pod('web'))!
    expect(web.identity).toBe(id.id)
    expect(web.labels).toEqual([...id.labels].sort())
    expect(web.ipv4).toBe(formatIp(pod('web').ip))
    expect(web.status).toBe('ready')
  })

  it("gives the host endpoint identity 1, no address, and reserved:host after the Node's identity-relevant labels", () => {
    const host = ciliumEndpoints(cluster, 'node-1').find((e) => e.pod === null)!
    expect([host.identity, host.ipv4, host.ingress, host.egress]).toEqual([
      1,
      '',
      'Disabled',
      'Disabled',
    ])
    expect(host.labels).toEqual(['reserved:host'])
    // kubeadm's control-plane labels survive the filter (they do not start with kubernetes.io);
    // kubelet's kubernetes.io/* and beta.kubernetes.io/* do not; an empty value prints no "=".
    expect(
      hostEndpointLabels({
        'kubernetes.io/hostname': 'cp',
        'kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/control-plane': '',
        'node.kubernetes.io/exclude-from-external-load-balancers': '',
        dedicated: 'worker',
      }),
    ).toEqual([
      'k8s:dedicated=worker',
      'k8s:node-role.kubernetes.io/control-plane',
      'k8s:node.kubernetes.io/exclude-from-external-load-balancers',
      'reserved:host',
    ])
  })

  it('numbers the endpoints from 1 to 4095, distinct on one node, the same for the same cluster, and lists them by ID', () => {
    for (const node of ['node-1', 'node-2']) {
      const ids = ciliumEndpoints(cluster, node).map((e) => e.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const id of ids) {
        expect(id).toBeGreaterThanOrEqual(MIN_ENDPOINT_ID)
        expect(id).toBeLessThanOrEqual(MAX_ENDPOINT_ID)
      }
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(ciliumEndpoints(build(lesson).cluster, node).map((e) => e.id)).toEqual(ids)
    }
  })
})

describe('the POLICY ENFORCEMENT columns, under the default enforcement mode', () => {
  it('are Disabled both ways on every endpoint when no NetworkPolicy selects it', () => {
    const c = withPolicies('')
    for (const n of ['a', 'b'])
      expect(enforcement(c, 'node-1', n)).toEqual(['Disabled', 'Disabled'])
  })

  it('Enabled for ingress only when a policy selects the endpoint for ingress only', () => {
    const c = withPolicies(
      policy('ing', 'a', '  policyTypes: [Ingress]\n  ingress: [{ from: [{ podSelector: {} }] }]'),
    )
    expect(enforcement(c, 'node-1', 'a')).toEqual(['Enabled', 'Disabled'])
    expect(enforcement(c, 'node-1', 'b')).toEqual(['Disabled', 'Disabled'])
  })

  it('Enabled for egress only when a policy selects it for egress only, even with no rule (a default deny)', () => {
    const c = withPolicies(policy('egr', 'a', '  policyTypes: [Egress]'))
    expect(enforcement(c, 'node-1', 'a')).toEqual(['Disabled', 'Enabled'])
  })

  it('Enabled both ways for a policy with both policyTypes, and an ingress default deny counts too', () => {
    const c = withPolicies(
      policy(
        'both',
        'a',
        '  policyTypes: [Ingress, Egress]\n  egress: [{ to: [{ podSelector: {} }] }]',
      ) + policy('deny-b', 'b', '  policyTypes: [Ingress]'),
    )
    expect(enforcement(c, 'node-1', 'a')).toEqual(['Enabled', 'Enabled'])
    expect(enforcement(c, 'node-1', 'b')).toEqual(['Enabled', 'Disabled'])
  })

  it('adds the directions of every policy that selects the endpoint', () => {
    const c = withPolicies(
      policy('i', 'c', '  policyTypes: [Ingress]') + policy('e', 'c', '  policyTypes: [Egress]'),
    )
    expect(enforcement(c, 'node-2', 'c')).toEqual(['Enabled', 'Enabled'])
  })

  it('ignores a policy of another namespace, whatever its selector', () => {
    const c = withPolicies(
      policy('i', 'a', '  policyTypes: [Ingress]').replace(
        'namespace: default',
        'namespace: other',
      ),
    )
    expect(enforcement(c, 'node-1', 'a')).toEqual(['Disabled', 'Disabled'])
  })

  it("shows the lesson's policy on the web endpoint only: Enabled for ingress", () => {
    const rows = ciliumEndpoints(cluster, 'node-2')
    expect(rows.find((e) => e.pod === 'default/web')).toMatchObject({
      ingress: 'Enabled',
      egress: 'Disabled',
    })
    for (const e of [...rows, ...ciliumEndpoints(cluster, 'node-1')].filter(
      (x) => x.pod !== 'default/web',
    ))
      expect([e.ingress, e.egress]).toEqual(['Disabled', 'Disabled'])
  })
})

describe('printed as printEndpointList prints it (tabwriter minwidth 5, padding 3)', () => {
  const lines = ciliumEndpointList(cluster, 'node-2')
  const web = ciliumEndpoints(cluster, 'node-2').find((e) => e.pod === 'default/web')!
  const longest = Math.max(
    ...ciliumEndpoints(cluster, 'node-2').flatMap((e) => e.labels.map((l) => l.length)),
  )
  const labelsWidth = longest + 3
  const ipv4Width = Math.max(
    ...ciliumEndpoints(cluster, 'node-2').map((e) => e.ipv4.length + 3),
    'IPv4'.length + 3,
  )

  it('heads the columns on two lines, ENFORCEMENT under both policy columns, each cell padded', () => {
    expect(lines[0]).toBe(
      'ENDPOINT   POLICY (ingress)   POLICY (egress)   IDENTITY   ' +
        'LABELS (source:key[=value])'.padEnd(labelsWidth) +
        'IPv6   ' +
        'IPv4'.padEnd(ipv4Width) +
        'STATUS   ',
    )
    // One cell fewer than the header: no STATUS cell, its padding ends after IPv4.
    expect(lines[1]).toBe(
      '           ENFORCEMENT        ENFORCEMENT       ' +
        ''.padEnd(11 + labelsWidth + 7 + ipv4Width),
    )
  })

  it("puts the first label on the endpoint's line and each further one below it, in the LABELS column", () => {
    const at = lines.findIndex((l) => l.startsWith(`${web.id} `))
    expect(lines[at]).toBe(
      String(web.id).padEnd(11) +
        'Enabled'.padEnd(19) +
        'Disabled'.padEnd(18) +
        String(web.identity).padEnd(11) +
        web.labels[0]!.padEnd(labelsWidth) +
        '       ' +
        web.ipv4.padEnd(ipv4Width) +
        'ready   ',
    )
    expect(web.labels[0]).toBe('k8s:app=web')
    web.labels.slice(1).forEach((l, i) => {
      expect(lines[at + 1 + i]).toBe(
        ''.padEnd(11 + 19 + 18 + 11) + l.padEnd(labelsWidth) + ''.padEnd(7 + ipv4Width + 8),
      )
    })
  })

  it('sorts the endpoints by ID, each taking one line per label', () => {
    const eps = ciliumEndpoints(cluster, 'node-2')
    expect(lines).toHaveLength(2 + eps.reduce((n, e) => n + e.labels.length, 0))
    const starts = lines
      .slice(2)
      .filter((l) => !l.startsWith(' '))
      .map((l) => Number(l.split(' ')[0]))
    expect(starts).toEqual(eps.map((e) => e.id))
  })

  it("is shown in a node's Cilium tables, before the identity list", () => {
    const t = nodeTables(cluster, 'node-2')!.split('\n')
    const at = t.indexOf('$ cilium-dbg endpoint list')
    expect(at).toBeGreaterThan(t.indexOf('$ cilium-dbg bpf lb list'))
    expect(at).toBeLessThan(t.indexOf('$ cilium-dbg identity list'))
    expect(t.slice(at + 1, at + 1 + lines.length)).toEqual(lines)
  })
})

describe('the endpoint list at the step its enforcement decides', () => {
  const { cluster: c, scenario } = build(lesson)
  const endpointLookups = (t: ReturnType<typeof trace>) =>
    t.steps.flatMap((s, i) =>
      s.lookups.filter((l) => l.table === 'cilium-dbg endpoint list').map((l) => ({ i, l })),
    )

  it("names the isolated endpoint's line before its policy map lookup, allowed or dropped", () => {
    const line = endpointLine(c, 'node-2', 'default/web')!
    expect(
      line.startsWith(
        String(ciliumEndpoints(c, 'node-2').find((e) => e.pod === 'default/web')!.id),
      ),
    ).toBe(true)
    for (const traffic of scenario.traffic) {
      const t = trace(c, traffic, { seed: 1 })
      const hits = endpointLookups(t)
      expect(hits.length).toBeGreaterThan(0)
      for (const { i, l } of hits) {
        expect(l.rule).toBe(line)
        const step = t.steps[i]!
        const at = step.lookups.indexOf(l)
        expect(step.lookups[at + 1]!.table).toMatch(/^Cilium policy map of default\/web/)
      }
    }
  })

  it('marks that line in the inspector of node-2 as used at that step', () => {
    const traffic = scenario.traffic[0]!
    const t = trace(c, traffic, { seed: 1 })
    const { i } = endpointLookups(t)[0]!
    const inspected = inspectAt(c, traffic, { seed: 1 }, i, { node: 'node-2' })!
    const sec = inspected.sections.find((s) => s.command === 'cilium-dbg endpoint list')!
    const used = sec.lines.filter((l) => l.used === 'now').map((l) => l.text)
    expect(used).toEqual([endpointLine(c, 'node-2', 'default/web')])
  })

  it('is not looked up where no policy selects the endpoint (a Disabled direction has no policy lookup)', () => {
    const plain = build(
      readFileSync(
        new URL('../../../lessons/mode3-clusterip-cilium.yaml', import.meta.url),
        'utf8',
      ),
    )
    const t = trace(plain.cluster, plain.scenario.traffic[0]!, { seed: 1 })
    expect(endpointLookups(t)).toEqual([])
  })
})
