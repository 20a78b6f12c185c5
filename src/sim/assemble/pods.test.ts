import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'

const errorsOf = (yaml: string) =>
  loadScenarioSource(yaml, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')

const CLUSTER = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: c}
spec: {nodes: [{name: node-1}, {name: node-2}]}
`

describe('a Pod placed on a node that does not exist', () => {
  it('is reported at its spec.nodeName, not at the start of its document', () => {
    const [e] = errorsOf(`${CLUSTER}---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-9
  containers: [{name: nginx}]
`)
    expect(e).toMatchObject({ line: 10, col: 13, object: 'Pod/default/web' })
    expect(e!.message.en).toBe(
      'spec.nodeName "node-9" names a node that does not exist (nodes: node-1, node-2)',
    )
  })

  it('is reported at the nodeName in a Deployment’s Pod template too', () => {
    const [e] = errorsOf(`${CLUSTER}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: elsewhere
      containers: [{name: nginx}]
`)
    expect(e).toMatchObject({ line: 14, col: 17 })
  })
})
