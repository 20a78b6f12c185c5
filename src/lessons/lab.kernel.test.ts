/**
 * The kernel against PodPath: every built-in lesson this machine can run is built for real in
 * network namespaces (`podpath lab`), its traffic sent from the golden trace's own ports, and
 * the kernel must agree with the golden trace on every check: who answered, the address the
 * server saw, conntrack, the rules each followed packet matched and the rules' counters per node
 * and table, what crossed the node network, and the tables as the tools list them. Runs as root
 * where `ip netns` works; otherwise it is skipped with the reason. Lessons the kernel cannot run
 * (no ipip, no ip_vs here: `-t ipvs` runs the IPVS lessons alone) and traffic no lab can run (the userspace proxy, Envoy) are listed
 * with the reason. Then the lab's own safety: it refuses a prefix in use, a dry run builds
 * nothing, and an error or Ctrl-C tears everything down. The namespace the test runs in must be
 * the same after as before.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../cli/load.ts'
import { GOLDEN_SEED, goldenPath, lessonSource } from '../cli/golden.ts'
import { LESSONS } from './catalog.ts'
import type { ClusterOverrides } from '../model/overrides.ts'
import type { TrafficDecl } from '../model/scenario.ts'
import type { Trace } from '../model/trace.ts'
import type { Cluster } from '../sim/cluster.ts'
import { traceSession } from '../sim/trace.ts'
import { labExpectation, type LabRun } from '../sim/lab/expect.ts'
import { labScript, trafficNeeds } from '../sim/lab/lab-script.ts'
import { acquireKernelLock, releaseKernelLock } from '../test/kernel-lock.ts'
import { HAPROXY_CONTROLLER } from '../test/haproxy-controller.ts'

/** Why this machine cannot run labs, or null. */
function whyNot(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`
  if (process.getuid?.() !== 0) return 'not root: labs make network namespaces'
  for (const p of ['ip', 'nft', 'iptables-restore', 'conntrack', 'nfacct', 'tcpdump', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0) return `${p} is not installed`
  }
  const probe = `pp-lab-probe-${process.pid}`
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return '`ip netns add` fails here'
  spawnSync('ip', ['netns', 'del', probe])
  return null
}

const SKIP = whyNot()
if (SKIP) console.log(`lab.kernel.test: skipped: ${SKIP}`)

/** The prefix of every namespace this test makes: the helper's own, then this process. */
const PREFIX = `pp-lab-${process.pid % 100000}-`

/** This test's namespaces that exist now. */
function ours(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(PREFIX))
}

/**
 * Everything of the namespace the test runs in that a lab could change, as the tools list it:
 * links, addresses, routes of every table, rules, neighbours it may not have made, netfilter in
 * both its front ends, nfacct objects, the sysctls a lab sets in its own namespaces, and which
 * namespaces of this test's prefix exist. Counters move with the machine's own traffic and are
 * left out; the rules themselves must not move.
 */
function hostState(): string {
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' })
    return `$ ${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`
  }
  const sysctls = spawnSync('sysctl', ['-a'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) =>
      /^net\.(ipv4\.ip_forward|ipv4\.conf\.\S+\.(rp_filter|forwarding|proxy_arp|route_localnet|send_redirects)|bridge\.|ipv6\.conf\.(all|default)\.(disable_ipv6|forwarding)) /.test(
        l,
      ),
    )
  return [
    run('ip', ['-d', 'link']),
    run('ip', ['addr']),
    run('ip', ['route', 'show', 'table', 'all']),
    run('ip', ['rule']),
    run('ip', ['neigh', 'show', 'nud', 'permanent']),
    run('iptables-save', [])
      .replace(/^#.*\n/gm, '')
      .replace(/\[\d+:\d+\]/g, '[-]'),
    run('nft', ['list', 'ruleset']).replace(/packets \d+ bytes \d+/g, 'packets - bytes -'),
    run('nfacct', ['list']).replace(/pkts = \d+,\s+bytes = \d+/g, 'pkts = -, bytes = -'),
    `$ sysctl -a (what a lab sets)\n${sysctls.join('\n')}`,
    `$ ip netns list (${PREFIX}*)\n${ours().join('\n')}`,
  ].join('\n')
}

interface Check {
  kind: string
  what: string
  podpath: unknown
  kernel: unknown
  ok: boolean
}

interface Ran {
  code: number | null
  out: string
  runs: LabRun[]
  results: { traffic: string; agree: number; disagree: number; checks: Check[] }[]
  tables: { agree: number; disagree: number; checks: Check[] } | null
}

let serial = 0
const labPrefix = () => `${PREFIX}${serial++}-`

/** A lab's script on disk, in a directory of its own; `edit` may change it first. */
function writeLab(cluster: Cluster, runs: LabRun[], source: string, prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), 'podpath-lab-test-'))
  const file = join(dir, 'lab.sh')
  writeFileSync(file, labScript(cluster, runs, { prefix, source }))
  return { dir, file }
}

/** Each traffic's run as the engine gives it: the trace and the conntrack entries it leaves. */
function labRuns(cluster: Cluster, traces: Trace[]): LabRun[] {
  return traces.map((t) => ({
    trace: t,
    conntrack: traceSession(cluster, trafficOf(cluster, t.traffic), { seed: t.seed }).state
      .conntrack,
  }))
}

/** Builds the lab of `traces` on `cluster`, runs it to the end and reads its results. */
function runLab(cluster: Cluster, traces: Trace[], source: string): Ran {
  const runs = labRuns(cluster, traces)
  const { dir, file } = writeLab(cluster, runs, source, labPrefix())
  try {
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
      runs,
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

const declared = new WeakMap<Cluster, Map<string, TrafficDecl>>()
function trafficOf(c: Cluster, name: string): TrafficDecl {
  return declared.get(c)!.get(name)!
}

function built(source: string, file: string, overrides?: ClusterOverrides): Cluster {
  const l = loadScenarioSource(source, file, overrides)
  if (!l.cluster || !l.scenario) throw new Error(`${file} does not build`)
  declared.set(l.cluster, new Map(l.scenario.traffic.map((t) => [t.name, t])))
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

/** The kinds of check a run must contain for a traffic it ran, from what its trace shows. */
function requiredKinds(c: Cluster, run: LabRun): string[] {
  const e = labExpectation(c, run)
  const kinds = ['outcome']
  if (e.hops.length) kinds.push('endpoint', 'source')
  if (e.client.dns.length) kinds.push('dns')
  if (e.packets.length) kinds.push('rules')
  // iptables-save -c: kube-proxy's iptables rules, in IPVS mode too (they match its ipsets).
  if (c.decl.kubeProxy.mode === 'iptables' || c.decl.kubeProxy.mode === 'ipvs')
    kinds.push('counters')
  if (e.conntrack.length) kinds.push('conntrack')
  // ipvsadm -Ln --stats on every node, and -Lnc for each connection IPVS scheduled.
  if (c.decl.kubeProxy.mode === 'ipvs') kinds.push('ipvs')
  if (e.frames.length) kinds.push('underlay')
  return kinds
}

/** Runs a lab and asserts that it agrees, that it checked everything its traces call for. */
function expectAgrees(label: string, cluster: Cluster, traces: Trace[], source: string): Ran {
  const r = runLab(cluster, traces, source)
  for (const line of r.out.split('\n'))
    if (line.startsWith('lab: not running ')) notRun.push(`${label}: ${line.slice(17)}`)
  if (r.code === 3) {
    const why = /lab: cannot run here: (.*)/.exec(r.out)?.[1] ?? r.out.slice(-300)
    // Only what this kernel lacks or no lab can run: never a program missing here.
    expect(why).toMatch(/no traffic of this lab can run on this machine/)
    return r
  }
  expect(disagreements(r), r.out.slice(-4000)).toEqual([])
  expect(r.code, r.out.slice(-2000)).toBe(0)
  expect(r.tables?.checks.length).toBeGreaterThan(0)
  expect(r.results.length).toBeGreaterThan(0)
  for (const res of r.results) {
    const run = r.runs.find((x) => x.trace.traffic === res.traffic)!
    const kinds = new Set(res.checks.map((c) => c.kind))
    expect([...kinds].sort(), `${label} ${res.traffic}`).toEqual(
      expect.arrayContaining(requiredKinds(cluster, run)),
    )
    ran.push(`${label} ${res.traffic}: ${res.agree} checks agree (${[...kinds].sort().join(', ')})`)
  }
  return r
}

const notRun: string[] = []
const ran: string[] = []
const started = performance.now()

// One kernel test at a time: see src/test/kernel-lock.ts.
beforeAll(() => acquireKernelLock(), 20 * 60_000)
afterAll(() => releaseKernelLock())

describe.skipIf(SKIP !== null)('the kernel agrees with the golden traces', () => {
  let before = ''
  beforeAll(() => {
    expect(ours(), `namespaces of ${PREFIX} before the test`).toEqual([])
    before = hostState()
  })
  afterAll(() => {
    console.log(
      [
        `lab.kernel.test: ${ran.length} traffic run in ${((performance.now() - started) / 1000).toFixed(0)} s:`,
        ...ran.map((x) => `  ${x}`),
        'not run here:',
        ...notRun.map((x) => `  ${x}`),
      ].join('\n'),
    )
    expect(ours(), 'namespaces a lab left behind').toEqual([])
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
      expectAgrees(lesson.id, cluster, golden.traces, `lessons/${lesson.file}`)
    }, 600_000)
  }

  // What crosses Calico's IP-in-IP cannot run on a kernel without ipip. Those lessons teach
  // Services, Ingress and the way in from the Internet on top of it; with the lesson's CNI
  // switched to Calico VXLAN (as the app's switch does) the kernel checks the rest of them
  // against the engine's trace of the switched cluster.
  const ipipOnly = LESSONS.filter((l) => /backend: ipip/.test(lessonSource(l)))
  for (const lesson of ipipOnly) {
    it(`${lesson.id} with Calico VXLAN in place of IP-in-IP: every check agrees`, () => {
      const golden = JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as { traces: Trace[] }
      const original = built(lessonSource(lesson), `lessons/${lesson.file}`)
      const crossing = labRuns(original, golden.traces)
        .filter((r) => trafficNeeds(original, labExpectation(original, r)).includes('ipip'))
        .map((r) => r.trace.traffic)
      if (crossing.length === 0) {
        // None of its traffic reaches the tunnel (mode3-policy-forgot-dns drops it before):
        // the loop above ran it, or listed it with why.
        const seen = [...ran, ...notRun].some((x) => new RegExp(`^${lesson.id}[ :]`).test(x))
        expect(seen, `${lesson.id} run or listed above`).toBe(true)
        return
      }
      const cluster = built(lessonSource(lesson), `lessons/${lesson.file}`, {
        cni: 'calico-vxlan',
      })
      const traces = crossing.map(
        (name) => traceSession(cluster, trafficOf(cluster, name), { seed: GOLDEN_SEED }).trace,
      )
      expectAgrees(`${lesson.id} (calico-vxlan)`, cluster, traces, `lessons/${lesson.file}`)
    }, 600_000)
  }

  // HAProxy: no lesson runs it, so this is the Ingress lesson with HAProxy's controller in place
  // of ingress-nginx, on a VXLAN overlay: haproxy -c accepts the haproxy.cfg PodPath shows, and
  // run, it routes each request where PodPath says.
  it('HAProxy: haproxy -c accepts the generated haproxy.cfg and it routes where PodPath says', () => {
    const lesson = LESSONS.find((l) => l.id === 'mode4-ingress-nginx')!
    const source = `${lessonSource(lesson).replace('controller: k8s.io/ingress-nginx', 'controller: haproxy.org/ingress-controller')}
${HAPROXY_CONTROLLER}`
    const cluster = built(source, 'haproxy.yaml', { cni: 'flannel-vxlan' })
    const traffic = [...declared.get(cluster)!.values()]
    const traces = traffic.map((t) => traceSession(cluster, t, { seed: GOLDEN_SEED }).trace)
    expect(traces.some((t) => t.steps.some((s) => s.at.component === 'haproxy'))).toBe(true)
    const r = expectAgrees('HAProxy', cluster, traces, 'haproxy.yaml')
    expect(r.out).not.toMatch(/haproxy -c rejects/)
    expect(r.out).toMatch(/== api-by-prefix/)
  }, 600_000)

  describe('the lab is safe to run as root', () => {
    const lesson = LESSONS.find((l) => l.id === 'mode2-flannel-vxlan')!
    const lab = () => {
      const cluster = built(lessonSource(lesson), `lessons/${lesson.file}`)
      const golden = JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as { traces: Trace[] }
      const prefix = labPrefix()
      return { ...writeLab(cluster, labRuns(cluster, golden.traces), lesson.file, prefix), prefix }
    }

    it('refuses to start when a namespace with its prefix exists, and leaves that one alone', () => {
      const { dir, file, prefix } = lab()
      const theirs = `${prefix}node-1`
      execFileSync('ip', ['netns', 'add', theirs])
      try {
        execFileSync('ip', ['-n', theirs, 'addr', 'add', '10.255.0.1/32', 'dev', 'lo'])
        const r = spawnSync('bash', [file], { encoding: 'utf8' })
        expect(r.status).toBe(3)
        expect(r.stderr).toContain(`namespaces with the prefix ${prefix} already exist (${theirs}`)
        expect(ours()).toEqual([theirs])
        expect(
          execFileSync('ip', ['-n', theirs, 'addr', 'show', 'lo'], { encoding: 'utf8' }),
        ).toContain('inet 10.255.0.1/32 scope global lo')
      } finally {
        spawnSync('ip', ['netns', 'del', theirs])
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('prints the commands with --dry-run and builds nothing', () => {
      const { dir, file, prefix } = lab()
      try {
        const r = spawnSync('bash', [file, '--dry-run'], { encoding: 'utf8' })
        expect(r.status, r.stderr).toBe(0)
        expect(r.stdout).toContain(`+ ip netns add ${prefix}node-1\n`)
        expect(r.stdout).toContain(`+ ip netns exec ${prefix}node-1 iptables-restore `)
        expect(r.stdout).toMatch(/lab: dry run, nothing built\n$/)
        expect(ours()).toEqual([])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('tears everything down when a command fails while it builds', () => {
      const { dir, file } = lab()
      try {
        // A command that fails after the namespaces are made: as a missing kernel module would.
        const script = readFileSync(file, 'utf8')
        const at = script.indexOf('\ntrap - ERR\n')
        expect(at).toBeGreaterThan(0)
        writeFileSync(
          file,
          `${script.slice(0, at)}\nipn "$LAB_UNDERLAY" link add pp0 type no-such-kind${script.slice(at)}`,
        )
        const r = spawnSync('bash', [file], { encoding: 'utf8' })
        expect(r.status).toBe(2)
        expect(r.stderr).toContain('lab: could not build the lab')
        expect(r.stdout).toMatch(/lab: 0 checks agree, 0 disagree\n$/)
        expect(ours()).toEqual([])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('tears everything down on Ctrl-C while its traffic runs', async () => {
      const { dir, file } = lab()
      try {
        // Ctrl-C in a terminal signals the whole foreground process group: the script, its
        // servers, monitors and captures.
        const p = spawn('bash', [file], { detached: true })
        let out = ''
        let sent = false
        const code = await new Promise<number | null>((resolve) => {
          const seen = (d: Buffer) => {
            out += d.toString()
            if (!sent && /\n== client-to-web/.test(out)) {
              sent = true
              process.kill(-p.pid!, 'SIGINT')
            }
          }
          p.stdout.on('data', seen)
          p.stderr.on('data', seen)
          p.on('exit', (c) => resolve(c))
        })
        expect(sent, out.slice(-1000)).toBe(true)
        expect(code).toBe(130)
        expect(out).toContain('lab: interrupted, tearing down')
        expect(ours()).toEqual([])
        // Every process the lab started is of its process group, and none is left.
        expect(spawnSync('pgrep', ['-g', String(p.pid)]).status, 'a lab process runs').toBe(1)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }, 120_000)
  })
})

// Where it cannot run, the reason shows in the test list too.
if (SKIP !== null)
  describe('the kernel agrees with the golden traces', () => {
    it.skip(`skipped: ${SKIP}`, () => {})
  })
