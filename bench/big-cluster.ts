/**
 * The cluster the browser benchmark pans: generated in memory, deterministically, like the
 * engine benchmark's (engine.bench.ts), small enough to draw whole (every Pod is a box).
 *
 *   npx tsx bench/big-cluster.ts > big.yaml   # to open it in the app by hand
 */

export const BIG = { nodes: 50, pods: 1000, controllers: 20 }

/**
 * BIG.nodes nodes, BIG.pods Pods from BIG.controllers controllers (a StatefulSet `web` first, then
 * Deployments and StatefulSets in turn, replicas spread over the nodes in order, as in
 * engine.bench.ts), flannel VXLAN, one Traffic from web-0 (first node) to the last web Pod.
 */
export function bigScenarioYaml(): string {
  const nodes = Array.from(
    { length: BIG.nodes },
    (_, i) => `    - {name: node-${i + 1}, ip: 192.168.1.${i + 11}}`,
  ).join('\n')
  const docs = [
    `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: bench-${BIG.nodes}-nodes}
spec:
  cni: {plugin: flannel, backend: vxlan}
  nodes:
${nodes}
`,
  ]
  const per = BIG.pods / BIG.controllers
  for (let i = 0; i < BIG.controllers; i++) {
    const name = i === 0 ? 'web' : `app-${i}`
    const kind = i % 2 === 0 ? 'StatefulSet' : 'Deployment'
    docs.push(`apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, namespace: default}
spec:
  replicas: ${per}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: nginx:1.27, ports: [{containerPort: 8080}]}]}
`)
  }
  docs.push(`apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: cross-node}
spec: {from: {pod: default/web-0}, to: "http://web-${per - 1}:8080/"}
`)
  return docs.join('---\n')
}

if (process.argv[1] === import.meta.filename) process.stdout.write(bigScenarioYaml())
