import { describe, expect, it } from 'vitest'
import { traceJson } from '../model/trace.ts'
import { build, traceOf, twoNodes } from '../test/scenario.ts'
import { trace } from './trace.ts'
import { loadScenarioSource } from '../cli/load.ts'

const pod = (name: string, node: string, containers: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  nodeName: ${node}\n  containers: ${containers}\n`
const traffic = (name: string, from: string, to: string) =>
  `---\napiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: ${name}}\nspec: {from: ${from}, to: "${to}"}\n`
const oneNode = (cni = '{plugin: flannel}') =>
  `apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  cni: ${cni}\n  nodes: [{name: node-1, ip: 192.168.1.11}]\n`

describe('mode 1: container to container inside one Pod', () => {
  const yaml =
    oneNode() +
    pod('web', 'node-1', '[{name: app, ports: [{containerPort: 8080}]}, {name: sidecar}]') +
    traffic('t', '{pod: web, container: sidecar}', 'http://localhost:8080/metrics')

  it('loops through lo inside the Pod namespace and never reaches a veth or the node', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    expect(t.steps.map((s) => s.action)).toEqual([
      'send',
      'route',
      'loopback',
      'deliver',
      'send',
      'route',
      'loopback',
      'deliver',
    ])
    expect(t.steps.every((s) => s.at.pod === 'default/web')).toBe(true)
    expect(t.steps[1]!.lookups[0]).toEqual({
      table: 'ip route show table local',
      rule: 'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1',
      matched: true,
    })
    expect(t.steps[3]!.at.container).toBe('app')
    expect(t.steps[0]!.packet.l3).toEqual({
      src: '127.0.0.1',
      dst: '127.0.0.1',
      proto: 'tcp',
      ttl: 64,
    })
    expect(t.steps[7]!.at.container).toBe('sidecar')
  })

  it('answers a port nobody listens on with a TCP RST', () => {
    const t = traceOf(
      oneNode() +
        pod('web', 'node-1', '[{name: app}]') +
        traffic('t', '{pod: web}', 'localhost:9090'),
    )
    expect(t.outcome).toBe('rejected')
    expect(t.steps.at(-1)!.action).toBe('reject')
    expect(t.steps.at(-1)!.explain.en).toMatch(/TCP RST/)
  })
})

describe('mode 2.1: two Pods on one node through the bridge', () => {
  const yaml =
    oneNode() +
    pod('a', 'node-1', '[{name: c}]') +
    pod('b', 'node-1', '[{name: s, ports: [{containerPort: 80}]}]') +
    traffic('t', '{pod: a}', 'http://b/') +
    traffic('self', '{pod: b}', 'http://b/')

  it('ARPs for the peer directly (same subnet), then the bridge switches by its learned FDB entry', () => {
    const t = traceOf(yaml, 't')
    const actions = t.steps.filter((s) => s.phase === 'request').map((s) => s.action)
    expect(actions).toEqual(['send', 'route', 'arp', 'veth', 'bridge', 'veth', 'deliver'])
    const route = t.steps[1]!
    expect(route.lookups[0]!.rule).toBe(
      '10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.2',
    )
    const arp = t.steps[2]!
    expect(arp.lookups[0]!.rule).toMatch(
      /ff:ff:ff:ff:ff:ff, ARP, Request who-has 10\.244\.0\.3 tell 10\.244\.0\.2, length 28$/,
    )
    const bridge = t.steps[4]!
    expect(bridge.at.device).toBe('cni0')
    expect(bridge.lookups[0]!.rule).toMatch(
      /^([0-9a-f]{2}:){5}[0-9a-f]{2} dev veth[0-9a-f]{8} master cni0$/,
    )
    // Switching is layer 2: the TTL is untouched.
    expect(t.steps.find((s) => s.action === 'deliver')!.packet.l3!.ttl).toBe(64)
  })

  it('needs no ARP on the reply: the server learned the client from its request', () => {
    const t = traceOf(yaml, 't')
    const reply = t.steps.filter((s) => s.phase === 'reply')
    expect(reply.some((s) => s.action === 'arp')).toBe(false)
    expect(reply[1]!.lookups[1]!.rule).toMatch(/^10\.244\.0\.2 dev eth0 lladdr .* STALE$/)
  })

  it('keeps a Pod talking to its own IP inside its namespace', () => {
    const t = traceOf(yaml, 'self')
    expect(t.steps.map((s) => s.action).slice(0, 4)).toEqual([
      'send',
      'route',
      'loopback',
      'deliver',
    ])
    expect(t.steps[1]!.lookups[0]!.rule).toBe(
      'local 10.244.0.3 dev eth0 proto kernel scope host src 10.244.0.3',
    )
  })

  it('uses docker0 when the bridge is named so', () => {
    const t = traceOf(
      oneNode('{plugin: bridge, bridgeName: docker0}') +
        pod('a', 'node-1', '[{name: c}]') +
        pod('b', 'node-1', '[{name: s, ports: [{containerPort: 80}]}]') +
        traffic('t', '{pod: a}', 'b:80'),
    )
    expect(t.steps.find((s) => s.action === 'bridge')!.at.device).toBe('docker0')
  })
})

describe('bridge only, two nodes', () => {
  it('drops the packet at the underlay router, which has no route to Pod addresses', () => {
    const t = traceOf(twoNodes('{plugin: bridge}'), 'cross')
    expect(t.outcome).toBe('dropped')
    expect(t.reason?.en).toBe('underlay has no route')
    expect(t.steps.at(-1)).toMatchObject({ action: 'drop', at: { component: 'underlay' } })
    const out = t.steps.find(
      (s) => s.action === 'route' && s.at.device === 'eth0' && s.at.pod === null,
    )!
    expect(out.lookups[0]!.rule).toBe('default via 192.168.1.1 dev eth0')
  })
})

describe('determinism', () => {
  const yaml = twoNodes('{plugin: flannel, backend: vxlan}')

  it('gives byte-identical JSON for the same scenario and seed', () => {
    expect(traceJson(traceOf(yaml, 'cross', 7))).toBe(traceJson(traceOf(yaml, 'cross', 7)))
  })

  it('draws the ephemeral source port from 32768-60999, varying with the seed', () => {
    const ports = new Set<number>()
    for (let seed = 0; seed < 200; seed++) {
      const p = traceOf(yaml, 'cross', seed).steps[0]!.packet.l4!.srcPort
      expect(p).toBeGreaterThanOrEqual(32768)
      expect(p).toBeLessThanOrEqual(60999)
      ports.add(p)
    }
    expect(ports.size).toBeGreaterThan(150)
  })

  it('does not change the cluster: a second trace starts from the same tables (ARP again)', () => {
    const { cluster, scenario } = build(yaml)
    const a = trace(cluster, scenario.traffic[0]!, { seed: 1 })
    const b = trace(cluster, scenario.traffic[0]!, { seed: 1 })
    expect(traceJson(a)).toBe(traceJson(b))
    expect(a.steps.filter((s) => s.action === 'arp')).toHaveLength(2)
  })
})

describe('traffic that cannot start', () => {
  const errorsOf = (yaml: string) =>
    loadScenarioSource(yaml, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')

  it('reports a Traffic naming a missing Pod as a scenario error at its from line', () => {
    const yaml = twoNodes('{plugin: flannel}') + traffic('ghost', '{pod: nobody}', 'http://web/')
    const [e] = errorsOf(yaml)
    expect(e).toMatchObject({ object: 'Traffic/ghost', line: yaml.split('\n').length - 1 })
    expect(e!.message.en).toBe('Pod default/nobody does not exist')
    expect(e!.message['zh-CN']).toBe('Pod default/nobody 不存在')
  })

  it('reports a destination that is neither an IP nor a Pod', () => {
    const [e] = errorsOf(
      twoNodes('{plugin: flannel}') +
        traffic('svc', '{pod: client}', 'http://web.default.svc.cluster.local/'),
    )
    expect(e!.message.en).toMatch(/Service names and DNS/)
  })

  it('reports a container the Pod does not have', () => {
    const [e] = errorsOf(
      twoNodes('{plugin: flannel}') +
        traffic('c', '{pod: client, container: sidecar}', 'http://web/'),
    )
    expect(e!.message.en).toBe('Pod default/client has no container "sidecar" (containers: curl)')
  })

  it('answers a trace of an unresolvable Traffic with an error outcome, not an exception', () => {
    const { cluster, scenario } = build(twoNodes('{plugin: flannel}'))
    const t = trace(cluster, { ...scenario.traffic[0]!, to: 'nowhere:80' }, { seed: 1 })
    expect(t).toMatchObject({ outcome: 'error', steps: [] })
  })
})
