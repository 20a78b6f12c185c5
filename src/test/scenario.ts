/** Test helpers: build a cluster from YAML text and trace it, failing loudly on any error. */
import { loadScenarioSource } from '../cli/load.ts'
import { formatDiagnostic } from '../model/diagnostic.ts'
import type { Trace } from '../model/trace.ts'
import type { Cluster } from '../sim/cluster.ts'
import { trace } from '../sim/trace.ts'
import type { Scenario } from '../model/scenario.ts'

export function build(yaml: string): { cluster: Cluster; scenario: Scenario } {
  const l = loadScenarioSource(yaml, 'test.yaml')
  const errors = l.diagnostics.filter((d) => d.severity === 'error')
  if (!l.cluster || errors.length)
    throw new Error(errors.map((d) => formatDiagnostic(d)).join('\n'))
  return { cluster: l.cluster, scenario: l.scenario! }
}

export function traceOf(yaml: string, traffic?: string, seed = 1): Trace {
  const { cluster, scenario } = build(yaml)
  const t = traffic ? scenario.traffic.find((x) => x.name === traffic) : scenario.traffic[0]
  if (!t) throw new Error(`no traffic ${traffic}`)
  return trace(cluster, t, { seed })
}

/** Two nodes, a client Pod on node-1 and a web Pod (port 80) on node-2, with the given CNI. */
export function twoNodes(cni: string, extra = ''): string {
  return `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cni: ${cni}
  nodes:
    - {name: node-1, ip: 192.168.1.11}
    - {name: node-2, ip: 192.168.1.12}
${extra}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers: [{name: curl, image: curl}]
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-2
  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: web2}
spec:
  nodeName: node-1
  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: cross}
spec:
  from: {pod: client}
  to: http://web/
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: same}
spec:
  from: {pod: client}
  to: http://web2/
`
}
