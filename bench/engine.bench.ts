/**
 * Engine benchmark: a 100-node / 5,000-Pod cluster for every CNI the engine simulates.
 * For each: parse time, cluster build time (buildCluster) and the time of one cross-node trace
 * (median and p95 over many seeds), against the targets build < 200 ms and trace < 2 ms.
 *
 *   npx tsx bench/engine.bench.ts                 # every CNI (npm run bench runs this too)
 *   npx tsx bench/engine.bench.ts calico aws      # only the cases whose id contains an argument
 *   npx tsx bench/engine.bench.ts --yaml          # also write bench/results/<id>.yaml
 *
 * The scenarios are generated in memory, deterministically; results go to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import v8 from 'node:v8'
import vm from 'node:vm'
import { parseScenario } from '../src/model/parse-scenario.ts'
import type { Scenario, TrafficDecl } from '../src/model/scenario.ts'
import { formatDiagnostic } from '../src/model/diagnostic.ts'
import { buildCluster } from '../src/sim/assemble/build-cluster.ts'
import type { Cluster } from '../src/sim/cluster.ts'
import { maxPods } from '../src/sim/cni/aws-vpc-cni.ts'
import { trace } from '../src/sim/trace.ts'

const NODES = 100
const PODS = 5000
/** Controllers the Pods come from; replicas are spread over the nodes in order. */
const CONTROLLERS = 50
const PARSE_RUNS = 7
const BUILD_RUNS = 7
const TRACES = 200
const TARGET_BUILD_MS = 200
const TARGET_TRACE_MS = 2

interface Case {
  id: string
  cni: string
  /** Extra Cluster.spec lines. */
  spec: string
  note: string
}

// m5.large holds 3 x (10 - 1) + 2 = 29 Pods; 5,000 Pods on 100 nodes need 50 per node, so the
// AWS case uses m5.xlarge: 4 ENIs x (15 - 1) + 2 = 58 (INSTANCE_LIMITS in src/sim/cni/aws-vpc-cni.ts).
const AWS_INSTANCE = 'm5.xlarge'

const CASES: Case[] = [
  { id: 'flannel-vxlan', cni: '{plugin: flannel, backend: vxlan}', spec: '', note: '' },
  { id: 'flannel-host-gw', cni: '{plugin: flannel, backend: host-gw}', spec: '', note: '' },
  { id: 'calico-ipip', cni: '{plugin: calico, backend: ipip}', spec: '', note: '' },
  { id: 'calico-vxlan', cni: '{plugin: calico, backend: vxlan}', spec: '', note: '' },
  { id: 'calico-bgp', cni: '{plugin: calico, backend: bgp}', spec: '', note: '' },
  {
    id: 'aws-vpc-cni',
    cni: `{plugin: aws-vpc-cni, instanceType: ${AWS_INSTANCE}}`,
    spec: '  cloud: aws\n  nodeCIDR: 10.0.0.0/16\n',
    note: `${AWS_INSTANCE}: at most ${maxPods(AWS_INSTANCE)} Pods per node`,
  },
  {
    id: 'bridge',
    cni: '{plugin: bridge}',
    spec: '',
    note: 'no cross-node routes by design: the trace ends in a drop at the router',
  },
]

/**
 * The scenario: a Cluster with NODES nodes, CONTROLLERS controllers (one StatefulSet `web`, the
 * rest alternating Deployments and StatefulSets) with PODS replicas in all, and one Traffic from
 * `web-0` (on the first node) to `web-<NODES - 1>` (on the last node).
 */
function scenarioYaml(c: Case): string {
  const aws = c.cni.includes('aws-vpc-cni')
  const nodes = Array.from({ length: NODES }, (_, i) => {
    const ip = aws ? `10.0.${Math.floor((i + 11) / 256)}.${(i + 11) % 256}` : `192.168.1.${i + 11}`
    return `    - {name: node-${i + 1}, ip: ${ip}}`
  }).join('\n')
  const out = [
    `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: bench-${c.id}}
spec:
  cni: ${c.cni}
${c.spec}  nodes:
${nodes}
`,
  ]
  const per = PODS / CONTROLLERS
  for (let i = 0; i < CONTROLLERS; i++) {
    const name = i === 0 ? 'web' : `app-${i}`
    const kind = i === 0 || i % 2 === 0 ? 'StatefulSet' : 'Deployment'
    out.push(`apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, namespace: default}
spec:
  replicas: ${per}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: main
          image: nginx:1.27
          ports: [{containerPort: 8080}]
`)
  }
  out.push(`apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: cross-node}
spec:
  from: {pod: default/web-0}
  to: http://web-${NODES - 1}:8080/
`)
  return out.join('---\n')
}

// A full collection before each timed phase, so that no phase pays for the garbage of the one
// before it (gc is exposed at run time: `npm run bench` passes no flags to node).
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}

/**
 * Wall-clock time of `f`, and the CPU time the process spent meanwhile: on a busy machine the
 * wall clock also counts waiting for a core, the CPU time does not.
 */
function time<T>(f: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const value = f()
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { ms, cpuMs: (c.user + c.system) / 1000, value }
}

function mustParse(yaml: string, id: string): Scenario {
  const p = parseScenario(yaml, `${id}.yaml`)
  if (!p.scenario) throw new Error(p.diagnostics.map((d) => formatDiagnostic(d)).join('\n'))
  return p.scenario
}

function mustBuild(s: Scenario): Cluster {
  const b = buildCluster(s)
  if (!b.cluster) {
    const errors = b.diagnostics.filter((d) => d.severity === 'error')
    throw new Error(errors.map((d) => formatDiagnostic(d)).join('\n'))
  }
  return b.cluster
}

interface Result {
  id: string
  note: string
  nodes: number
  pods: number
  yamlBytes: number
  parseMs: { median: number; min: number }
  /** cpuMedian: process CPU time during the build, GC helper threads included. */
  buildMs: { median: number; min: number; cpuMedian: number }
  trace: {
    medianMs: number
    p95Ms: number
    steps: number
    outcome: string
    from: string
    to: string
  }
  targets: { build: boolean; trace: boolean }
}

function benchCase(c: Case): Result {
  const yaml = scenarioYaml(c)
  // Warm up: let the JIT see every path before anything is timed.
  for (let i = 0; i < 2; i++) {
    const cl = mustBuild(mustParse(yaml, c.id))
    const t = mustParse(yaml, c.id).traffic[0]!
    for (let s = 0; s < 30; s++) trace(cl, t, { seed: s })
  }

  const parseTimes: number[] = []
  let scenario: Scenario | null = null
  for (let i = 0; i < PARSE_RUNS; i++) {
    gc()
    const r = time(() => mustParse(yaml, c.id))
    parseTimes.push(r.ms)
    scenario = r.value
  }
  const buildTimes: number[] = []
  const buildCpu: number[] = []
  let cluster: Cluster | null = null
  for (let i = 0; i < BUILD_RUNS; i++) {
    gc()
    const r = time(() => mustBuild(scenario!))
    buildTimes.push(r.ms)
    buildCpu.push(r.cpuMs)
    cluster = r.value
  }
  const traffic: TrafficDecl = scenario!.traffic[0]!
  const from = cluster!.podByKey.get('default/web-0')!
  const to = cluster!.podByKey.get(`default/web-${NODES - 1}`)!
  if (from.node === to.node) throw new Error(`${c.id}: the traced Pods share node ${from.node}`)

  const traceTimes: number[] = []
  let steps = 0
  let outcome = ''
  gc()
  for (let seed = 1; seed <= TRACES; seed++) {
    const r = time(() => trace(cluster!, traffic, { seed }))
    traceTimes.push(r.ms)
    steps = r.value.steps.length
    outcome = r.value.outcome
  }
  const buildMedian = median(buildTimes)
  const traceMedian = median(traceTimes)
  return {
    id: c.id,
    note: c.note,
    nodes: cluster!.nodes.length,
    pods: cluster!.pods.length,
    yamlBytes: Buffer.byteLength(yaml),
    parseMs: { median: median(parseTimes), min: Math.min(...parseTimes) },
    buildMs: { median: buildMedian, min: Math.min(...buildTimes), cpuMedian: median(buildCpu) },
    trace: {
      medianMs: traceMedian,
      p95Ms: percentile(traceTimes, 95),
      steps,
      outcome,
      from: `${from.namespace}/${from.name} on ${from.node}`,
      to: `${to.namespace}/${to.name} on ${to.node}`,
    },
    targets: { build: buildMedian < TARGET_BUILD_MS, trace: traceMedian < TARGET_TRACE_MS },
  }
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  return [
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n')
}

function main(): void {
  const args = process.argv.slice(2)
  const writeYaml = args.includes('--yaml')
  const filters = args.filter((a) => !a.startsWith('--'))
  const cases = filters.length ? CASES.filter((c) => filters.some((f) => c.id.includes(f))) : CASES
  const dir = new URL('./results/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  }
  console.log(
    `PodPath engine benchmark: ${NODES} nodes, ${PODS} Pods (${CONTROLLERS} controllers), ${TRACES} traces per CNI`,
  )
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; ${machine.platform}\n`,
  )
  const results: Result[] = []
  for (const c of cases) {
    if (writeYaml) writeFileSync(new URL(`${c.id}.yaml`, dir), scenarioYaml(c))
    process.stdout.write(`  ${c.id} ...`)
    const r = benchCase(c)
    results.push(r)
    process.stdout.write(` build ${fmt(r.buildMs.median)} ms, trace ${fmt(r.trace.medianMs)} ms\n`)
  }
  const ok = (b: boolean) => (b ? 'yes' : 'NO')
  console.log(
    `\n${table([
      [
        'CNI',
        'nodes',
        'pods',
        'parse ms',
        'build ms',
        'build min',
        'trace med ms',
        'trace p95 ms',
        'steps',
        'outcome',
        `build<${TARGET_BUILD_MS}`,
        `trace<${TARGET_TRACE_MS}`,
      ],
      ...results.map((r) => [
        r.id,
        String(r.nodes),
        String(r.pods),
        fmt(r.parseMs.median),
        fmt(r.buildMs.median),
        fmt(r.buildMs.min),
        fmt(r.trace.medianMs),
        fmt(r.trace.p95Ms),
        String(r.trace.steps),
        r.trace.outcome,
        ok(r.targets.build),
        ok(r.targets.trace),
      ]),
    ])}`,
  )
  console.log(
    `\nTimes are medians after a warm-up: parse and build over ${PARSE_RUNS} runs, one cross-node trace over ${TRACES} seeds.`,
  )
  console.log('  pods: as built, including any the engine adds by itself (e.g. CoreDNS).')
  for (const r of results) if (r.note) console.log(`  ${r.id}: ${r.note}`)
  const missed = results.filter((r) => !r.targets.build || !r.targets.trace)
  console.log(
    missed.length
      ? `\nTargets missed: ${missed
          .map(
            (r) =>
              `${r.id} (${[!r.targets.build && 'build', !r.targets.trace && 'trace'].filter(Boolean).join(', ')})`,
          )
          .join('; ')}`
      : `\nAll targets met: build < ${TARGET_BUILD_MS} ms and trace < ${TARGET_TRACE_MS} ms for every CNI.`,
  )

  const file = new URL('engine.json', dir)
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        config: {
          nodes: NODES,
          pods: PODS,
          controllers: CONTROLLERS,
          parseRuns: PARSE_RUNS,
          buildRuns: BUILD_RUNS,
          traces: TRACES,
        },
        targets: { buildMs: TARGET_BUILD_MS, traceMs: TARGET_TRACE_MS },
        results,
      },
      null,
      2,
    )}\n`,
  )
  console.log(`\nwrote ${file.pathname}`)
}

main()
