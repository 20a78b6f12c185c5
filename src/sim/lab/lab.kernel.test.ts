/**
 * The kernel against PodPath: every built-in lesson this machine can run is built for real in
 * network namespaces (`podpath lab`), its traffic sent from the golden trace's own ports, and
 * the kernel must agree with the golden trace on every check: who answered, the address the
 * server saw, conntrack, the rules each followed packet matched per node and table, what crossed
 * the node network, and the tables as the tools list them. Runs as root where `ip netns` works;
 * otherwise it is skipped with the reason. Lessons the kernel cannot run (no ipip, no IPVS) and
 * traffic no lab can run (the userspace proxy, Envoy) are listed with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'
import { GOLDEN_SEED, goldenPath, lessonSource } from '../../cli/golden.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import type { ClusterOverrides } from '../../model/overrides.ts'
import type { Trace } from '../../model/trace.ts'
import type { Cluster } from '../cluster.ts'
import { traceSession } from '../trace.ts'
import { labExpectation, type LabRun } from './expect.ts'
import { labScript } from './lab-script.ts'

/** Why this machine cannot run labs, or null. */
function whyNot(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`
  if (process.getuid?.() !== 0) return 'not root: labs make network namespaces'
  for (const p of ['ip', 'nft', 'iptables-restore', 'conntrack', 'tcpdump', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0) return `${p} is not installed`
  }
  const probe = `pp-lab-probe-${process.pid}`
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return '`ip netns add` fails here'
  spawnSync('ip', ['netns', 'del', probe])
  return null
}

const SKIP = whyNot()
if (SKIP) console.log(`lab.kernel.test: skipped: ${SKIP}`)

/** Everything of the namespace the test runs in that a lab could touch, as the tools list it. */
function hostState(): string {
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' })
    return `$ ${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`
  }
  return [
    run('ip', ['-d', 'link']),
    run('ip', ['addr']),
    run('ip', ['route', 'show', 'table', 'all']),
    run('ip', ['rule']),
    // Counters move with the machine's own traffic; the rules must not.
    run('iptables-save', [])
      .replace(/^#.*\n/gm, '')
      .replace(/\[\d+:\d+\]/g, '[-]'),
    run('nft', ['list', 'ruleset']).replace(/packets \d+ bytes \d+/g, 'packets - bytes -'),
  ].join('\n')
}

interface Ran {
  code: number | null
  out: string
  results: { traffic: string; agree: number; disagree: number; checks: Check[] }[]
  tables: { agree: number; disagree: number; checks: Check[] } | null
}

interface Check {
  kind: string
  what: string
  podpath: unknown
  kernel: unknown
  ok: boolean
}

let serial = 0
const PREFIX = `pp-lab-${process.pid % 100000}-`

/** Builds the lab of `traces` on `cluster` and runs it. */
function runLab(cluster: Cluster, traces: Trace[], source: string): Ran {
  const runs: LabRun[] = traces.map((t) => {
    const traffic = loadTraffic(cluster, t.traffic)
    return { trace: t, conntrack: traceSession(cluster, traffic, { seed: t.seed }).state.conntrack }
  })
  const dir = mkdtempSync(join(tmpdir(), 'podpath-lab-test-'))
  try {
    const prefix = `${PREFIX}${serial++}-`
    const file = join(dir, 'lab.sh')
    writeFileSync(file, labScript(cluster, runs, { prefix, source }))
    const results = join(dir, 'results')
    execFileSync('mkdir', [results])
    const r = spawnSync('bash', [file], {
      encoding: 'utf8',
      env: { ...process.env, PODPATH_LAB_RESULTS: results },
      timeout: 600_000,
    })
    const files = readdirSync(results)
    return {
      code: r.status,
      out: `${r.stdout}${r.stderr}`,
      results: files
        .filter((f) => f.startsWith('traffic-'))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8'))),
      tables: files.includes('tables.json')
        ? JSON.parse(readFileSync(join(results, 'tables.json'), 'utf8'))
        : null,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const scenarios = new WeakMap<Cluster, Map<string, import('../../model/scenario.ts').TrafficDecl>>()
function loadTraffic(c: Cluster, name: string) {
  return scenarios.get(c)!.get(name)!
}

function built(source: string, file: string, overrides?: ClusterOverrides): Cluster {
  const l = loadScenarioSource(source, file, overrides)
  if (!l.cluster || !l.scenario) throw new Error(`${file} does not build`)
  scenarios.set(l.cluster, new Map(l.scenario.traffic.map((t) => [t.name, t])))
  return l.cluster
}

/** The disagreeing checks, as lines a failure message can show. */
function disagreements(r: Ran): string[] {
  const out: string[] = []
  for (const c of [...(r.tables?.checks ?? []), ...r.results.flatMap((x) => x.checks)])
    if (!c.ok)
      out.push(
        `${c.kind} ${c.what}\n  PodPath: ${JSON.stringify(c.podpath)}\n  kernel:  ${JSON.stringify(c.kernel)}`,
      )
  return out
}

/** The checks a run must contain for each traffic it ran, from what its trace shows. */
function requiredKinds(c: Cluster, t: Trace): string[] {
  const e = labExpectation(c, { trace: t, conntrack: new Map() })
  const kinds = ['outcome']
  if (e.hops.length) kinds.push('endpoint', 'source')
  if (e.client.dns.length) kinds.push('dns')
  if (e.packets.length && c.decl.kubeProxy.mode !== 'ipvs') kinds.push('rules')
  if (c.decl.kubeProxy.mode === 'iptables') kinds.push('counters')
  if (e.conntrack.length) kinds.push('conntrack')
  if (e.frames.length) kinds.push('underlay')
  return kinds
}

const notRun: string[] = []
const ran: string[] = []

describe.skipIf(SKIP !== null)('the kernel agrees with the golden traces', () => {
  let before = ''
  const started = Date.now()
  beforeAll(() => {
    before = hostState()
  })
  afterAll(() => {
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith(PREFIX))
    console.log(
      [
        `labs run (${((Date.now() - started) / 1000).toFixed(0)} s):`,
        ...ran.map((x) => `  ${x}`),
        'not run:',
        ...notRun.map((x) => `  ${x}`),
      ].join('\n'),
    )
    expect(left, 'namespaces a lab left behind').toEqual([])
    expect(hostState(), "the test's own namespace changed").toBe(before)
  })

  for (const lesson of LESSONS) {
    it(`${lesson.id}: every check agrees, or the lesson is listed with why it cannot run`, () => {
      const golden = JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as { traces: Trace[] }
      if (golden.traces.length === 0) {
        notRun.push(`${lesson.id}: a scenario with an error, which the lesson is about`)
        return
      }
      const cluster = built(lessonSource(lesson), `lessons/${lesson.file}`)
      expect(golden.traces.every((t) => t.seed === GOLDEN_SEED)).toBe(true)
      const r = runLab(cluster, golden.traces, `lessons/${lesson.file}`)
      for (const line of r.out.split('\n'))
        if (line.startsWith('lab: not running ')) notRun.push(`${lesson.id}: ${line.slice(17)}`)
      if (r.code === 3) {
        const why = /lab: cannot run here: (.*)/.exec(r.out)?.[1] ?? r.out.slice(-300)
        // Only what this kernel lacks or no lab can run: never a program missing here.
        expect(why).toMatch(/no traffic of this lab can run on this machine/)
        return
      }
      expect(disagreements(r), r.out.slice(-4000)).toEqual([])
      expect(r.code, r.out.slice(-2000)).toBe(0)
      expect(r.tables?.checks.length).toBeGreaterThan(0)
      // Each traffic that ran has every kind of check its trace calls for.
      for (const res of r.results) {
        const t = golden.traces.find((x) => x.traffic === res.traffic)!
        const kinds = new Set(res.checks.map((c) => c.kind))
        expect([...kinds].sort(), `${lesson.id} ${res.traffic}`).toEqual(
          expect.arrayContaining(requiredKinds(cluster, t)),
        )
        ran.push(`${lesson.id} ${res.traffic}: ${res.agree} checks agree`)
      }
    }, 900_000)
  }

  // HAProxy: no lesson runs it, so this is the Ingress lesson with HAProxy's controller in place
  // of ingress-nginx, on a VXLAN overlay: haproxy -c accepts the haproxy.cfg PodPath shows, and
  // run, it routes each request where PodPath says.
  it('HAProxy: haproxy -c accepts the generated haproxy.cfg and it routes where PodPath says', () => {
    const lesson = LESSONS.find((l) => l.id === 'mode4-ingress-nginx')!
    const source = `${lessonSource(lesson).replace('controller: k8s.io/ingress-nginx', 'controller: haproxy.org/ingress-controller')}
---
apiVersion: v1
kind: Pod
metadata:
  name: haproxy
  namespace: haproxy-controller
  labels: { app.kubernetes.io/name: kubernetes-ingress }
spec:
  nodeName: node-1
  containers:
    - name: kubernetes-ingress-controller
      image: haproxytech/kubernetes-ingress:1.10.6
      ports: [{ name: http, containerPort: 8080 }, { name: https, containerPort: 8443 }]
---
apiVersion: v1
kind: Service
metadata: { name: haproxy, namespace: haproxy-controller }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: { app.kubernetes.io/name: kubernetes-ingress }
  ports:
    - { name: http, port: 80, targetPort: http }
    - { name: https, port: 443, targetPort: https }
`
    const cluster = built(source, 'haproxy.yaml', { cni: 'flannel-vxlan' })
    const traffic = [...scenarios.get(cluster)!.values()]
    const traces = traffic.map((t) => traceSession(cluster, t, { seed: GOLDEN_SEED }).trace)
    expect(traces.some((t) => t.steps.some((s) => s.at.component === 'haproxy'))).toBe(true)
    const r = runLab(cluster, traces, 'haproxy.yaml')
    expect(r.out).not.toMatch(/haproxy -c rejects/)
    expect(disagreements(r), r.out.slice(-4000)).toEqual([])
    expect(r.code, r.out.slice(-2000)).toBe(0)
    for (const res of r.results) ran.push(`HAProxy ${res.traffic}: ${res.agree} checks agree`)
  }, 900_000)
})

describe.skipIf(SKIP === null)('the kernel agrees with the golden traces', () => {
  it.skip(`skipped: ${SKIP}`, () => {})
})
