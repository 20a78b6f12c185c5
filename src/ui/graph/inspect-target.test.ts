import { describe, expect, it } from 'vitest'
import { inspectTarget } from './inspect-target.ts'
import {
  containerId,
  deviceId,
  l7Id,
  netnsId,
  nodeComponentId,
  nodeId,
  outsideId,
  podId,
  serviceId,
  UNDERLAY_ID,
} from './layout.ts'

describe('the namespace a box of the graph opens', () => {
  it('opens the node for the node and what runs on it', () => {
    expect(inspectTarget(nodeId('node-1'))).toEqual({ node: 'node-1' })
    expect(inspectTarget(deviceId('node-1', 'cni0'))).toEqual({ node: 'node-1' })
    expect(inspectTarget(deviceId('node-2', 'flannel.1'))).toEqual({ node: 'node-2' })
    expect(inspectTarget(nodeComponentId('node-1', 'kube-proxy'))).toEqual({ node: 'node-1' })
  })

  it('opens the Pod for the Pod, its netns, its containers and its devices', () => {
    const pod = 'default/web-868dbf95d4-k2czz'
    for (const id of [podId(pod), netnsId(pod), containerId(pod, 'nginx'), deviceId(pod, 'eth0')])
      expect(inspectTarget(id), id).toEqual({ pod })
  })

  it('opens nothing for what has no namespace of its own', () => {
    for (const id of [
      serviceId('default/web'),
      l7Id({ kind: 'Ingress', namespace: 'default', name: 'shop' }),
      UNDERLAY_ID,
      outsideId('internet'),
    ])
      expect(inspectTarget(id), id).toBeNull()
  })
})
