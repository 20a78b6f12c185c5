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
import { buildCluster } from '../src/sim/assemble/build-cluster.ts'
import { nodeIptables, nodeNftablesTable } from '../src/sim/proxy/kube-proxy.ts'
import { nftRulesTested } from '../src/sim/proxy/nft-narration.ts'
import type { Trace } from '../src/model/trace.ts'
import type { Cluster } from '../src/sim/cluster.ts'
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
/** Fresh builds per size: the first trace of each is timed, and their medians reported. */
const COLD = Number(process.env.BENCH_COLD ?? 3)

/** Wall-clock and process CPU time of `f` (on a busy machine the wall clock counts waiting too). */
function timed<T>(f: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const value = f()
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { ms, cpuMs: (c.user + c.system) / 1000, value }
}

/**
 * The rules one packet was tested against on its way to the Service. iptables and userspace:
 * the rules walked to the DNAT or REDIRECT (userspace's portal chain has one rule per Service
 * port too). IPVS: the few ipset-matching iptables rules it still walks, plus one hash lookup of
 * the virtual service. nftables: the rules of table ip kube-proxy walked to the DNAT (map
 * elements not counted).
 */
function rulesTested(mode: string, t: Trace): number {
  const last = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).at(-1)
  const dnat = last(t.steps, (x) => x.action === 'dnat' && x.phase === 'request')
  const lb = last(t.steps, (x) => x.action === 'lb-select' && x.phase === 'request')
  if (mode === 'ipvs')
    return (lb?.lookups.filter((l) => l.table.startsWith('iptables')).length ?? 0) + 1
  if (!dnat) return 0
  return mode === 'nftables'
    ? nftRulesTested(dnat.lookups)
    : dnat.lookups.filter((l) => l.table.startsWith('iptables')).length
}

const load0 = os.loadavg()
const rows = []
for (const mode of (process.env.BENCH_MODES ?? 'iptables,ipvs,nftables,userspace').split(','))
  for (const n of SIZES) {
    const parsed = parseScenario(scenario(n, mode), `scale-${n}.yaml`)
    const traffic = parsed.scenario!.traffic[0]!
    const builds: number[] = []
    const firsts: number[] = []
    const firstsCpu: number[] = []
    let cluster: Cluster | null = null
    for (let i = 0; i < COLD; i++) {
      const b = timed(() => buildCluster(parsed.scenario!).cluster!)
      builds.push(b.ms)
      cluster = b.value
      // The first trace of a built cluster pays for kube-proxy's rules on the nodes it crosses
      // (written, hashed and indexed once per cluster); later traces reuse them.
      const f = timed(() => trace(cluster!, traffic, { seed: 0 }))
      firsts.push(f.ms)
      firstsCpu.push(f.cpuMs)
    }
    const times: number[] = []
    let tested = 0
    for (let seed = 1; seed < TRACES; seed++) {
      const r = timed(() => trace(cluster!, traffic, { seed }))
      times.push(r.ms)
      tested = rulesTested(mode, r.value)
    }
    // Counted after the traces, so that counting does not warm what the first trace measures.
    let rules: number
    let elements = 0
    if (mode === 'nftables') {
      const table = nodeNftablesTable(cluster!, 'node-1')
      rules = table.chains.reduce((n, c) => n + c.rules.length, 0)
      elements = table.sets.reduce((n, s) => n + s.elements.length, 0)
    } else rules = nodeIptables(cluster!, 'node-1').rules.filter((r) => r.table === 'nat').length
    rows.push({
      mode,
      services: n,
      natRules: rules,
      elements,
      rulesTested: tested,
      buildMs: median(builds),
      firstTraceMs: median(firsts),
      firstTraceCpuMs: median(firstsCpu),
      traceMedianMs: median(times),
    })
  }
const load1 = os.loadavg()

const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ')
console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, node ${process.version}`)
console.log(`load average before ${loads(load0)}, after ${loads(load1)}`)
console.log(
  'mode      services      rules  elements  rules tested  build ms  first trace ms  (cpu ms)  trace median ms',
)
for (const r of rows) {
  console.log(
    `${r.mode.padEnd(8)}  ${String(r.services).padStart(8)}  ${String(r.natRules).padStart(9)}  ${String(r.elements).padStart(8)}  ${String(r.rulesTested).padStart(12)}  ${r.buildMs.toFixed(1).padStart(8)}  ${r.firstTraceMs.toFixed(1).padStart(14)}  ${r.firstTraceCpuMs.toFixed(0).padStart(8)}  ${r.traceMedianMs.toFixed(2).padStart(15)}`,
  )
}
console.log(
  `build and first trace: medians of ${COLD} fresh builds (the first trace of each); trace median: ${TRACES - 1} more traces of the last.`,
)
console.log(
  'rules: iptables/IPVS/userspace, rules in the nat table; nftables, rules in table ip kube-proxy (elements: its map and set elements).\nIPVS: "rules tested" is the ipset-matching iptables rules walked plus the one hash-table lookup of the virtual service.',
)
mkdirSync('bench/results', { recursive: true })
writeFileSync(
  'bench/results/services.json',
  `${JSON.stringify({ date: new Date().toISOString(), load: { before: load0, after: load1 }, rows }, null, 2)}\n`,
)
