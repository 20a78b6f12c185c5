/**
 * The clusters the browser benchmark opens and pans: generated in memory, deterministically, like
 * the engine benchmark's (engine.bench.ts). BIG (50 nodes, 1,000 Pods) and HUGE (100 nodes,
 * 5,000 Pods, the engine benchmark's size).
 *
 *   npx tsx bench/big-cluster.ts > big.yaml          # to open it in the app by hand
 *   npx tsx bench/big-cluster.ts huge > huge.yaml
 */

export interface ClusterSize {
  nodes: number
  pods: number
  controllers: number
}

export const BIG: ClusterSize = { nodes: 50, pods: 1000, controllers: 20 }
export const HUGE: ClusterSize = { nodes: 100, pods: 5000, controllers: 50 }

/**
 * size.nodes nodes, size.pods Pods from size.controllers controllers (a StatefulSet `web` first,
 * then Deployments and StatefulSets in turn, replicas spread over the nodes in order, as in
 * engine.bench.ts), flannel VXLAN, one Traffic from web-0 (first node) to the last web Pod.
 */
export function bigScenarioYaml(size: ClusterSize = BIG): string {
  const nodes = Array.from(
    { length: size.nodes },
    (_, i) => `    - {name: node-${i + 1}, ip: 192.168.1.${i + 11}}`,
  ).join('\n')
  const docs = [
    `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: bench-${size.nodes}-nodes}
spec:
  cni: {plugin: flannel, backend: vxlan}
  nodes:
${nodes}
`,
  ]
  const per = size.pods / size.controllers
  for (let i = 0; i < size.controllers; i++) {
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

if (process.argv[1] === import.meta.filename)
  process.stdout.write(bigScenarioYaml(process.argv[2] === 'huge' ? HUGE : BIG))
