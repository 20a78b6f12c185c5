/**
 * Services at scale, kube-proxy iptables, IPVS and nftables modes: N Services (10 to 10,000)
 * with two endpoints each. For each N: the size of one node's rule set (iptables: nat rules;
 * nftables: rules plus map and set elements in table ip kube-proxy), the rules one packet is
 * tested against on its way to the last Service, and the engine's time per trace. iptables walks
 * KUBE-SERVICES rule by rule, so the rules tested grow with N; nftables finds the Service with
 * one verdict-map lookup.
 *
 *   npm run bench:services
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { parseScenario } from '../src/model/parse-scenario.ts'
import { buildCluster } from '../src/sim/build/build-cluster.ts'
import { nodeIptables, nodeNftablesTable } from '../src/sim/proxy/kube-proxy.ts'
import { nftRulesTested } from '../src/sim/walk/nft-narration.ts'
import { trace } from '../src/sim/trace.ts'

const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000,10000').split(',').map(Number)
const TRACES = 30

function scenario(n: number, mode: string): string {
  const docs = [
    `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: scale}
spec:
  cni: {plugin: flannel, backend: vxlan}
  kubeProxy: {mode: ${mode}}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]`,
    `apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: c}]}`,
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, ports: [{containerPort: 80}]}]}}`,
  ]
  // N Services over the same two Pods: N Services' rules, without N * 2 Pods to build.
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: svc-${i}}
spec: {selector: {app: web}, ports: [{port: 80}]}`)
  }
  docs.push(`apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-last}
spec: {from: {node: node-1}, to: "svc-${n - 1}:80"}`)
  return docs.join('\n---\n')
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const rows = []
for (const mode of (process.env.BENCH_MODES ?? 'iptables,ipvs,nftables,userspace').split(','))
  for (const n of SIZES) {
    const parsed = parseScenario(scenario(n, mode), `scale-${n}.yaml`)
    const t0 = performance.now()
    const built = buildCluster(parsed.scenario!)
    const buildMs = performance.now() - t0
    const cluster = built.cluster!
    const t1 = performance.now()
    let rules: number
    let elements = 0
    if (mode === 'nftables') {
      const table = nodeNftablesTable(cluster, 'node-1')
      rules = table.chains.reduce((n, c) => n + c.rules.length, 0)
      elements = table.sets.reduce((n, s) => n + s.elements.length, 0)
    } else rules = nodeIptables(cluster, 'node-1').rules.filter((r) => r.table === 'nat').length
    const rulesMs = performance.now() - t1
    const times: number[] = []
    let tested = 0
    for (let seed = 0; seed < TRACES; seed++) {
      const s = performance.now()
      const t = trace(cluster, parsed.scenario!.traffic[0]!, { seed })
      times.push(performance.now() - s)
      // iptables and userspace: the rules walked to the DNAT or REDIRECT (userspace's portal
      // chain has one rule per Service port too). IPVS: the few ipset-matching iptables rules it
      // still walks, plus one hash lookup of the virtual service.
      // nftables: the rules of table ip kube-proxy walked to the DNAT (map elements not counted).
      const last = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).at(-1)
      const dnat = last(t.steps, (x) => x.action === 'dnat' && x.phase === 'request')
      const lb = last(t.steps, (x) => x.action === 'lb-select' && x.phase === 'request')
      tested =
        mode === 'ipvs'
          ? (lb?.lookups.filter((l) => l.table.startsWith('iptables')).length ?? 0) + 1
          : !dnat
            ? 0
            : mode === 'nftables'
              ? nftRulesTested(dnat.lookups)
              : dnat.lookups.filter((l) => l.table.startsWith('iptables')).length
    }
    rows.push({
      mode,
      services: n,
      natRules: rules,
      elements,
      rulesTested: tested,
      buildMs,
      rulesMs,
      traceMedianMs: median(times.slice(1)),
      firstTraceMs: times[0]!,
    })
  }

console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, node ${process.version}`)
console.log(
  'mode      services      rules  elements  rules tested  build ms  first trace ms  trace median ms',
)
for (const r of rows) {
  console.log(
    `${r.mode.padEnd(8)}  ${String(r.services).padStart(8)}  ${String(r.natRules).padStart(9)}  ${String(r.elements).padStart(8)}  ${String(r.rulesTested).padStart(12)}  ${r.buildMs.toFixed(1).padStart(8)}  ${r.firstTraceMs.toFixed(1).padStart(14)}  ${r.traceMedianMs.toFixed(2).padStart(15)}`,
  )
}
console.log(
  'rules: iptables/IPVS/userspace, rules in the nat table; nftables, rules in table ip kube-proxy (elements: its map and set elements).\nIPVS: "rules tested" is the ipset-matching iptables rules walked plus the one hash-table lookup of the virtual service.',
)
mkdirSync('bench/results', { recursive: true })
writeFileSync(
  'bench/results/services.json',
  `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
)
