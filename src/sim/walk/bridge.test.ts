import { describe, expect, it } from 'vitest'
import { formatIp } from '../../model/ipv4.ts'
import type { Packet } from '../../model/trace.ts'
import { build } from '../../test/scenario.ts'
import { findLink } from '../net/netns.ts'
import { createRng } from '../rng.ts'
import { bridgeInput } from './bridge.ts'
import { WalkState } from './state.ts'
import { Walker } from './walker.ts'
import { dataPlaneHooks } from '../assemble/data-planes.ts'

// A frame that must leave the bridge by the port it came in on: what happens when a Service
// sends a Pod's packet back to that same Pod (the DNAT itself is taught with Services).
function hairpin(cni: string) {
  const { cluster } = build(`
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cni: ${cni}
  nodes: [{name: n, ip: 192.168.1.11}]
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: n, containers: [{name: c, ports: [{containerPort: 80}]}]}
`)
  const pod = cluster.pods[0]!
  const host = cluster.netns.get('host:n')!
  const port = findLink(host, pod.hostVeth!)!
  const br = findLink(host, port.master!)!
  const eth0 = findLink(cluster.netns.get(pod.nsId)!, 'eth0')!
  const state = new WalkState(cluster)
  state.learnFdb(host.id, {
    mac: eth0.mac!,
    dev: port.name,
    master: br.name,
    dst: null,
    self: false,
    permanent: false,
  })
  const w = new Walker(state, createRng(1), 'request', dataPlaneHooks(cluster))
  const pkt: Packet = {
    l2: { src: br.mac!, dst: eth0.mac! },
    l3: { src: formatIp(pod.ip), dst: formatIp(pod.ip), proto: 'tcp', ttl: 63 },
    l4: { srcPort: 40000, dstPort: 80 },
    app: null,
    outer: null,
  }
  return { result: bridgeInput(w, host, br, port, pkt), steps: w.steps }
}

describe('bridge hairpin mode', () => {
  it('sends a frame back out its own port when hairpin is on (flannel sets hairpinMode)', () => {
    const { result, steps } = hairpin('{plugin: flannel}')
    expect(result.kind).toBe('delivered')
    expect(steps[0]!.explain.en).toMatch(/hairpin mode/)
  })

  it('drops it when hairpin is off (the bridge plugin default)', () => {
    const { result, steps } = hairpin('{plugin: bridge}')
    expect(result).toMatchObject({ kind: 'dropped', reason: { en: 'hairpin mode off' } })
    expect(steps.at(-1)!.action).toBe('drop')
  })
})
