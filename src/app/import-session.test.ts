import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { openLesson, openScenario } from './session.ts'
import { useAppStore } from './store.ts'
import { decodeScenario, shareValue } from './share/share-link.ts'
import { formatHash, formatUrl } from './url.ts'

const VALID = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: mine}
spec:
  cni: {plugin: flannel, backend: vxlan}
  nodes: [{name: node-1, ip: 192.168.1.11}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: node-1, containers: [{name: w, ports: [{containerPort: 80}]}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-web}
spec: {from: {pod: default/client}, to: "http://web/"}
`

// The same Pod listens twice on one port: an error on line 7 (the second container).
const BROKEN = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: broken}
spec: {nodes: [{name: node-1, ip: 192.168.1.11}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-1
  containers:
    - {name: a, ports: [{containerPort: 80}]}
    - {name: b, ports: [{containerPort: 80}]}
`

describe("opening the learner's own scenario", () => {
  it('traces its first request and shows it under its file name, not a lesson', async () => {
    await openScenario('mine.yaml', VALID)
    const s = useAppStore.getState()
    expect(s.status).toBe('ready')
    expect(s.imported).toBe(true)
    expect(s.lessonId).toBeNull()
    expect(s.file).toBe('mine.yaml')
    expect(s.trafficNames).toEqual(['to-web'])
    expect(s.trace?.outcome).toBe('delivered')
    expect(s.trace?.steps.length).toBeGreaterThan(2)
  })

  it('opens a cluster as it prints itself (docs/examples/kind-cluster.yaml) and traces it', async () => {
    const file = new URL('../../docs/examples/kind-cluster.yaml', import.meta.url)
    await openScenario('kind-cluster.yaml', readFileSync(file, 'utf8'))
    const s = useAppStore.getState()
    expect(s.status).toBe('ready')
    expect(s.trace?.outcome).toBe('delivered')
    expect(s.cluster?.cni).toBe('kindnet')
    expect(s.cluster?.nodes.map((n) => n.name)).toEqual([
      'kind-control-plane',
      'kind-worker',
      'kind-worker2',
    ])
  })

  it('shows its errors with their file and line, as a lesson with errors', async () => {
    await openScenario('broken.yaml', BROKEN)
    const s = useAppStore.getState()
    expect(s.status).toBe('invalid')
    expect(s.trace).toBeNull()
    const errors = s.diagnostics.filter((d) => d.severity === 'error')
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0]!.file).toBe('broken.yaml')
    expect(errors[0]!.line).toBe(13)
  })

  it('keeps the file out of the query: the step in the query, the file in the fragment', async () => {
    await openScenario('mine.yaml', VALID)
    useAppStore.setState({ step: 2 })
    const s = useAppStore.getState()
    expect(formatUrl(s)).toBe('?step=2&lang=en')
    await vi.waitFor(() => expect(useAppStore.getState().shareValue).not.toBeNull())
    const hash = formatHash(useAppStore.getState(), '')
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/)
    expect(await decodeScenario(shareValue(hash)!)).toEqual({
      ok: true,
      scenario: { file: 'mine.yaml', source: VALID },
    })
  })

  it('reopens from a share link at the step, and notes what it could not take', async () => {
    await openScenario('mine.yaml', VALID, {
      traffic: 'nosuch',
      step: 999,
      url: { given: { traffic: 'nosuch', step: '999', cni: 'calico-bgp' }, corrections: [] },
    })
    const s = useAppStore.getState()
    expect(s.selectedTraffic).toBe('to-web')
    expect(s.step).toBe(s.trace!.steps.length - 1)
    expect(s.urlNotices.map((n) => [n.param, n.reason])).toEqual([
      ['cni', 'noLesson'],
      ['traffic', 'notInLesson'],
      ['step', 'range'],
    ])
  })

  it('is closed by opening a lesson', async () => {
    await openScenario('mine.yaml', VALID)
    await openLesson('mode2-same-node')
    const s = useAppStore.getState()
    expect(s.imported).toBe(false)
    expect(s.lessonId).toBe('mode2-same-node')
  })
})
