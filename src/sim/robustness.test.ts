/**
 * Robustness properties (fast-check): no input makes the engine throw, and whatever it returns
 * is well-formed and deterministic. parseScenario, buildCluster and trace promise to turn every
 * problem into a diagnostic or a trace outcome, never into an exception; four properties feed
 * them arbitrary text, real lessons with random edits, structured-but-wrong scenarios (every
 * kind the format reads, serialized with `yaml`) and well-typed scenarios full of corner cases,
 * then check diagnostics, clusters and traces (see runEngine). Three more feed the reader what
 * would exhaust it (towers of aliases, deep nesting, long text) and check that each is refused
 * exactly past its stated bound, in bounded time. Bugs they found are kept as minimal
 * regression tests at the end of the file.
 *
 * Runs are sized to keep the file near 10 s on a 2-core machine. For a longer hunt, multiply
 * them: PODPATH_FUZZ_SCALE=20 npx vitest run src/sim/robustness.test.ts
 * (PODPATH_FUZZ_KNOWN=0 leaves out the inputs of the bugs already fixed). A failure prints
 * fast-check's seed and shrunk counterexample; replay it with fc.assert's { seed, path }.
 */
import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { Diagnostic } from '../model/diagnostic.ts'
import { parseScenario } from '../model/parse-scenario.ts'
import { MAX_DEPTH, MAX_NODES, MAX_SCALAR_CHARS, MAX_SOURCE_CHARS } from '../model/yaml-bounds.ts'
import type { TrafficDecl } from '../model/scenario.ts'
import { formatIp } from '../model/ipv4.ts'
import { TRACE_FORMAT, traceJson, type Trace } from '../model/trace.ts'
import { buildCluster } from './assemble/build-cluster.ts'
import type { BuiltNode, BuiltPod, Cluster } from './cluster.ts'
import { INSTANCE_LIMITS } from './cni/aws-vpc-cni.ts'
import { nodeTables, podTables } from './print/tables.ts'
import { summarize } from './summary.ts'
import { trace } from './trace.ts'

const FILE = 'fuzz.yaml'
const API = 'podpath.dev/v1alpha1'
/** Multiplies every property's run count (default 1). */
const SCALE = Math.max(1, Number(process.env.PODPATH_FUZZ_SCALE) || 1)
const runs = (n: number) => Math.round(n * SCALE)
const TIMEOUT = 60_000 * SCALE

// ---------------------------------------------------------------------------------------------
// Checking what the engine returns
// ---------------------------------------------------------------------------------------------

const OUTCOMES = new Set(['delivered', 'dropped', 'rejected', 'dns-only', 'error'])
const PHASES = new Set(['dns', 'request', 'reply'])
const ACTIONS = new Set([
  'send',
  'loopback',
  'veth',
  'bridge',
  'arp',
  'route',
  'encapsulate',
  'decapsulate',
  'dnat',
  'snat',
  'masquerade',
  'unnat',
  'lb-select',
  'dns-query',
  'dns-answer',
  'proxy',
  'tls-terminate',
  'l7-route',
  'deliver',
  'drop',
  'reject',
])
const SEVERITIES = new Set(['error', 'warning', 'info'])
const PHASE_ORDER = ['dns', 'request', 'reply']
/** The action of the last step, by outcome. */
const ENDING: Record<string, string> = {
  delivered: 'deliver',
  dropped: 'drop',
  rejected: 'reject',
  'dns-only': 'dns-answer',
}
/** What a value that went wrong on the way looks like in a message. */
const GARBAGE = /\bNaN\b|\bundefined\b|\[object Object\]/
/** Messages quote what the learner wrote ("..."), which may be anything: leave that out. */
const unquoted = (s: string) => s.replace(/"[^"]*"/g, '""')

function checkDiagnostics(ds: Diagnostic[]): void {
  for (const d of ds) {
    const where = `${JSON.stringify(d)}`
    expect(d.file, where).toBe(FILE)
    expect(Number.isInteger(d.line) && d.line >= 1, `line >= 1: ${where}`).toBe(true)
    expect(Number.isInteger(d.col) && d.col >= 1, `col >= 1: ${where}`).toBe(true)
    expect(typeof d.object, where).toBe('string')
    expect(SEVERITIES.has(d.severity), where).toBe(true)
    expect(typeof d.message.en === 'string' && d.message.en.length > 0, where).toBe(true)
    expect(typeof d.message['zh-CN'] === 'string' && d.message['zh-CN'].length > 0, where).toBe(
      true,
    )
    expect(unquoted(d.message.en + d.message['zh-CN']), where).not.toMatch(GARBAGE)
  }
}

function checkTrace(t: Trace, traffic: TrafficDecl, seed: number): void {
  expect(t.format).toBe(TRACE_FORMAT)
  expect(t.traffic).toBe(traffic.name)
  expect(t.seed).toBe(seed >>> 0)
  expect(OUTCOMES.has(t.outcome), t.outcome).toBe(true)
  if (t.outcome === 'delivered') expect(t.reason).toBeNull()
  else {
    // Said in both languages, as the steps are: the UI translates nothing the engine writes.
    expect(t.reason!.en.length > 0 && t.reason!['zh-CN'].length > 0).toBe(true)
    expect(t.reason!['zh-CN'], t.reason!.en).toMatch(/[\u4e00-\u9fff]/)
    expect(unquoted(t.reason!.en + t.reason!['zh-CN'])).not.toMatch(GARBAGE)
  }
  t.steps.forEach((s, i) => {
    expect(s.index).toBe(i)
    expect(PHASES.has(s.phase), s.phase).toBe(true)
    expect(ACTIONS.has(s.action), s.action).toBe(true)
    expect(typeof s.explain.en === 'string' && typeof s.explain['zh-CN'] === 'string').toBe(true)
    expect(unquoted(s.explain.en + s.explain['zh-CN'])).not.toMatch(GARBAGE)
  })
  // The last step says how it ended; phases only move forward (dns, request, reply).
  const last = t.steps[t.steps.length - 1]
  if (t.outcome === 'error') expect(t.steps).toHaveLength(0)
  else expect(last?.action).toBe(ENDING[t.outcome])
  if (t.outcome === 'delivered') expect(t.endpoint).not.toBeNull()
  // The endpoint is where a socket accepted the request: none when it stopped on the way.
  if (t.outcome !== 'delivered' && !t.reason?.en.startsWith('reply:')) expect(t.endpoint).toBeNull()
  if (t.endpoint) expect(t.dialled).not.toBeNull()
  // What the client dialled is the destination of its first request packet.
  const first = t.steps.find((s) => s.phase === 'request' && s.packet.l3)
  if (first && t.dialled)
    expect([first.packet.l3!.dst, first.packet.l4?.dstPort]).toEqual([t.dialled.ip, t.dialled.port])
  const order = t.steps.map((s) => PHASE_ORDER.indexOf(s.phase))
  expect(order).toStrictEqual([...order].sort((a, b) => a - b))
  // Traces travel as JSON (worker, golden files, command line): nothing may be lost on the way,
  // e.g. NaN becoming null or a field being undefined.
  expect(JSON.parse(traceJson(t))).toStrictEqual(t)
}

/** The whole built cluster as text (Maps as their entries), to compare two of them. */
function fingerprint(c: Cluster): string {
  return JSON.stringify(c, (_key, v: unknown) => (v instanceof Map ? [...v.entries()] : v))
}

interface Stats {
  runs: number
  parsed: number
  built: number
  traces: number
  delivered: number
}
/** How far the runs of a property got: checked at the end so that no property is vacuous. */
const newStats = (): Stats => ({ runs: 0, parsed: 0, built: 0, traces: 0, delivered: 0 })

/**
 * parse -> build -> trace every Traffic (and `extra` traffic aimed at what was built), checking
 * each result; every trace is run twice with the same seed and must not change.
 */
function runEngine(
  source: string,
  seed: number,
  stats: Stats,
  extra: (c: Cluster) => TrafficDecl[] = () => [],
): void {
  engineDiagnostics(source, seed, stats, extra)
}

/** runEngine, returning what parsing the source said. */
function engineDiagnostics(
  source: string,
  seed: number,
  stats: Stats,
  extra: (c: Cluster) => TrafficDecl[] = () => [],
): Diagnostic[] {
  stats.runs++
  const parsed = parseScenario(source, FILE)
  checkDiagnostics(parsed.diagnostics)
  const parseErrors = parsed.diagnostics.some((d) => d.severity === 'error')
  // A file with errors never yields a scenario; a file without errors always does.
  expect(parsed.scenario === null).toBe(parseErrors)
  if (!parsed.scenario) return parsed.diagnostics
  stats.parsed++
  const built = buildCluster(parsed.scenario)
  checkDiagnostics(built.diagnostics)
  expect(built.cluster === null).toBe(built.diagnostics.some((d) => d.severity === 'error'))
  const cluster = built.cluster
  if (!cluster) return parsed.diagnostics
  stats.built++
  // Every Pod that was declared is in the cluster: a built cluster loses nothing silently (the
  // cluster may add its own, such as CoreDNS). Bare Pods by name, replicas by count per owner.
  const owned = (ns: string, o: { kind: string; name: string }) => `${ns}/${o.kind}/${o.name}`
  const declared = new Map<string, number>()
  for (const p of parsed.scenario.pods) {
    if (!p.owner) {
      expect(cluster.podByKey.has(`${p.namespace}/${p.name}`), `Pod ${p.namespace}/${p.name}`).toBe(
        true,
      )
      continue
    }
    const k = owned(p.namespace, p.owner)
    const n = p.owner.kind === 'DaemonSet' ? cluster.nodes.length : 1
    declared.set(k, (declared.get(k) ?? 0) + n)
  }
  for (const [k, n] of declared) {
    const built = cluster.pods.filter((p) => p.owner && owned(p.namespace, p.owner) === k).length
    expect(built, `Pods of ${k}`).toBeGreaterThanOrEqual(n)
  }
  // Pod addresses are unique (hostNetwork Pods share their node's).
  const ips = cluster.pods.filter((p) => !p.hostNetwork).map((p) => p.ip)
  expect(new Set(ips).size, 'distinct Pod IPs').toBe(ips.length)
  // What the UI and the command line show of a built cluster never throws either.
  expect(summarize(cluster).nodes).toHaveLength(cluster.nodes.length)
  for (const n of cluster.nodes) expect(typeof nodeTables(cluster, n.name)).toBe('string')
  for (const p of cluster.pods)
    expect(typeof podTables(cluster, `${p.namespace}/${p.name}`)).toBe('string')
  const before = fingerprint(cluster)
  // Deterministic: the same file always gives the same cluster.
  expect(fingerprint(buildCluster(parsed.scenario).cluster!), 'a second build').toBe(before)
  for (const traffic of [...parsed.scenario.traffic, ...extra(cluster)]) {
    const first = trace(cluster, traffic, { seed })
    checkTrace(first, traffic, seed)
    // Deterministic: the same cluster, traffic and seed give the same trace, byte for byte.
    expect(traceJson(trace(cluster, traffic, { seed }))).toBe(traceJson(first))
    stats.traces++
    if (first.outcome === 'delivered') stats.delivered++
  }
  expect(fingerprint(cluster), 'trace must not modify the cluster').toBe(before)
  return parsed.diagnostics
}

const seedArb = fc.oneof(
  fc.nat(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(0, 1, -1, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 1.5, Number.NaN),
)

// ---------------------------------------------------------------------------------------------
// Structured scenarios. Every field is drawn from a pool of good values, a pool of edge cases
// (out of range, overlapping, reserved, names that collide) or anything at all. `Mix` sets the
// odds: the careful mix builds a cluster often enough to fuzz the packet walk, the wild mix
// mostly exercises the parser's and the builder's error paths. Names come from shared pools, so
// references between documents (nodeName, Traffic from/to) often hit.
// ---------------------------------------------------------------------------------------------

const WEIRD_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']
/**
 * Inputs that hit engine bugs already reported (see 'known engine bugs' at the end of this file):
 * left out of the generators unless PODPATH_FUZZ_KNOWN=1, so that the properties stay green and
 * keep looking for new problems.
 */
// The bugs these inputs found are fixed, so the generators use them again (PODPATH_FUZZ_KNOWN=0 leaves them out).
// A fixed seed keeps CI repeatable; PODPATH_FUZZ_SEED=random (or a number) explores further.
const FUZZ_SEED = process.env.PODPATH_FUZZ_SEED
fc.configureGlobal({
  seed:
    FUZZ_SEED === 'random'
      ? Number(process.hrtime.bigint() % 2147483647n)
      : Number(FUZZ_SEED ?? 20261125),
})

const KNOWN = process.env.PODPATH_FUZZ_KNOWN !== '0'
const KNOWN_BAD_INSTANCE_TYPES = KNOWN ? WEIRD_KEYS : []
const KNOWN_BAD_IPS = KNOWN ? ['0.0.0.0'] : []
const KNOWN_BAD_CIDRS = KNOWN ? ['0.0.0.0/16', '0.0.0.0/1'] : []
const KNOWN_BAD_DOMAINS = KNOWN ? ['cluster(local', 'a[b', 'x|*'] : []
/** dnsDomain goes into a RegExp unescaped (known bug): keep such characters out of it for now. */
const domainOk = (v: unknown) => KNOWN || typeof v !== 'string' || !/[()[\]{}|*+?^$\\]/.test(v)
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...WEIRD_KEYS),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
)

const octet = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(0, 1, 2, 10, 11, 12, 127, 169, 192, 244, 254, 255, 256, 999),
)
const randomIp = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'))
const randomCidr = fc
  .tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 40 }))
  .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`)
const portNum = fc.oneof(
  fc.constantFrom(80, 443, 8080, 53, 1, 65535),
  fc.integer({ min: -5, max: 70000 }),
)

const NODE_NAMES = ['node-1', 'node-2', 'node-3']
const EDGE_NODE_NAMES = ['ip-10-0-0-11', 'Node_1', '', 'a.b', 'x'.repeat(300), 'node-1 ']
const POD_NAMES = ['client', 'web', 'db']
const EDGE_POD_NAMES = ['web-0', 'web-1', 'db-0', 'node-1', 'Web', 'a.b', '', 'x'.repeat(254)]
const NAMESPACES = ['default', 'prod']
const EDGE_NAMESPACES = ['kube-system', 'Bad_NS', '', 'a.b']
const NODE_IPS = ['192.168.1.11', '192.168.1.12', '192.168.1.13', '10.0.0.11', '10.0.0.12']
const EDGE_IPS = [
  '192.168.1.1',
  '192.168.1.0',
  '192.168.1.255',
  '192.168.2.11',
  '10.0.0.5',
  '10.244.0.1',
  '10.244.0.2',
  '10.244.0.3',
  '10.244.1.2',
  '10.244.0.0',
  '10.244.0.64',
  '10.244.0.65',
  '10.244.0.255',
  '10.96.0.10',
  '169.254.1.1',
  '127.0.0.1',
  ...KNOWN_BAD_IPS,
  '255.255.255.255',
  '203.0.113.9',
  '1.2.3',
  '1.2.3.4.5',
  ' 10.0.0.1 ',
  '::1',
  '10.0.0.01',
  'localhost',
]
const CLUSTER_CIDRS = ['10.244.0.0/16', '172.16.0.0/16', '10.244.0.0/20']
const SERVICE_CIDRS = ['10.96.0.0/12', '10.100.0.0/16']
const NODE_CIDRS = ['192.168.1.0/24', '10.0.0.0/16', '192.168.0.0/16']
const POD_CIDRS = ['10.244.1.0/24', '10.244.2.0/24', '10.244.0.0/24']
const EDGE_CIDRS = [
  '10.244.0.0/26',
  '10.244.0.0/30',
  '10.244.0.0/31',
  '10.244.0.0/32',
  '10.0.0.0/8',
  '10.0.0.0/28',
  '10.96.0.0/12',
  '192.168.1.0/24',
  '0.0.0.0/0',
  ...KNOWN_BAD_CIDRS,
  '255.255.255.255/32',
  '127.0.0.0/8',
  '10.244.0.1/16',
  '10.244.0.0',
  '10.244.0.0/',
  '/16',
  '10.244.0.0/16/1',
  '10.244.0.0/33',
]
const LABELS = [{ app: 'web' }, { app: 'db' }, {}]
const EDGE_LABELS = [{ 'kubernetes.io/hostname': 'node-1' }, { a: 1, b: true }, { a: { b: 1 } }, []]

/** How often a field takes a good value, an edge case, anything, or is left out. */
interface Mix {
  good: number
  edge: number
  junk: number
  /** Chance that an optional field is present, 0-1. */
  present: number
  /** Whether lists may repeat names and ports (containers, ports) and Cluster documents. */
  repeats: boolean
}
const CAREFUL: Mix = { good: 400, edge: 8, junk: 1, present: 0.4, repeats: false }
const EDGY: Mix = { good: 150, edge: 10, junk: 1, present: 0.6, repeats: false }
const WILD: Mix = { good: 6, edge: 3, junk: 2, present: 0.8, repeats: true }

function scenarioArbitrary(mix: Mix): fc.Arbitrary<unknown[]> {
  /** A value from the good pool, the edge pool, or junk (with `more` as extra junk). */
  const pick = (
    good: readonly unknown[],
    edge: readonly unknown[] = [],
    more?: fc.Arbitrary<unknown>,
  ): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: mix.good, arbitrary: fc.constantFrom(...good) },
      ...(edge.length ? [{ weight: mix.edge, arbitrary: fc.constantFrom(...edge) }] : []),
      {
        weight: mix.junk,
        arbitrary: more ? fc.oneof(more, junk) : junk,
      },
    )
  const goodOrEdge = (good: readonly string[], edge: readonly string[]) =>
    fc.oneof(
      { weight: mix.good, arbitrary: fc.constantFrom(...good) },
      { weight: mix.edge, arbitrary: fc.constantFrom(...edge) },
    )
  /** An arbitrary that is right most of the time and junk otherwise. */
  const mostly = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: mix.good, arbitrary: a }, { weight: mix.junk, arbitrary: junk })
  /** A list; without repeats, items that are maps have distinct `key` values. */
  const list = (
    item: fc.Arbitrary<unknown>,
    key: string | ((v: unknown) => unknown),
    minLength = 0,
    maxLength = 3,
  ) =>
    mix.repeats
      ? fc.array(item, { minLength, maxLength })
      : fc.uniqueArray(item, {
          minLength,
          maxLength,
          selector: (v) =>
            JSON.stringify(
              typeof key === 'function'
                ? key(v)
                : v && typeof v === 'object'
                  ? (v as Record<string, unknown>)[key]
                  : v,
            ),
        })
  /** A map whose optional keys are each present with probability `mix.present`. */
  const rec = (
    model: Record<string, fc.Arbitrary<unknown>>,
    required: string[] = [],
  ): fc.Arbitrary<Record<string, unknown>> => {
    const keys = Object.keys(model)
    return fc
      .tuple(
        ...keys.map((k) =>
          required.includes(k)
            ? model[k]!.map((v) => ({ v }))
            : fc.oneof(
                { weight: Math.round(mix.present * 100), arbitrary: model[k]!.map((v) => ({ v })) },
                { weight: Math.round((1 - mix.present) * 100), arbitrary: fc.constant(undefined) },
              ),
        ),
      )
      .map((vals) => {
        const o: Record<string, unknown> = {}
        vals.forEach((x, i) => {
          if (x !== undefined) o[keys[i]!] = x.v
        })
        return o
      })
  }
  const ip = pick(NODE_IPS, EDGE_IPS, randomIp)
  const cidr = (good: readonly string[]) => pick(good, EDGE_CIDRS, randomCidr)
  const port = pick([80, 8080, 443], [0, 65536, -1, 53, '80', 'http', 80.5], portNum)
  const labels = pick(LABELS, EDGE_LABELS, fc.dictionary(fc.string(), junk, { maxKeys: 3 }))
  const nodeName = pick(NODE_NAMES, EDGE_NODE_NAMES)
  const podName = pick(POD_NAMES, EDGE_POD_NAMES)
  const namespace = pick(NAMESPACES, EDGE_NAMESPACES)
  const ourApi = pick([API], ['v1', 'podpath.dev/v1'])
  const meta = (name: fc.Arbitrary<unknown>) => mostly(rec({ name, namespace, labels }, ['name']))

  const cni = rec({
    plugin: pick(['flannel', 'calico', 'aws-vpc-cni', 'bridge'], ['Flannel', 'cilium', '']),
    backend: pick(['vxlan', 'host-gw', 'ipip', 'bgp'], ['udp', 'wireguard', '']),
    bridgeName: pick(
      ['cni0', 'docker0'],
      ['eth0', 'lo', 'flannel.1', 'tunl0', 'vxlan.calico', 'br-0123456789abcdef', 'a b'],
    ),
    vni: pick([1, 4096], [0, 16777215, 16777216, -1]),
    port: pick([4789, 8472], [0, 65536]),
    blockSize: pick([26, 24], [20, 19, 31, 32, 33]),
    instanceType: pick(Object.keys(INSTANCE_LIMITS), ['m5.24xlarge', ...KNOWN_BAD_INSTANCE_TYPES]),
  })
  const kubeProxy = rec({
    mode: pick(['iptables', 'ipvs', 'nftables', 'userspace'], ['', 'kernelspace']),
    ipvs: mostly(rec({ scheduler: pick(['rr', 'wrr', 'mh'], ['fifo', '']) })),
    scheduler: pick(['rr', 'sh'], ['random']),
    masqueradeAll: pick([true, false], ['true']),
  })
  const nodeEntry = rec({ name: nodeName, ip, podCIDR: cidr(POD_CIDRS), labels }, ['name'])
  const clusterDoc = rec(
    {
      apiVersion: ourApi,
      kind: pick(['Cluster'], ['cluster']),
      metadata: pick([{ name: 'demo' }], [{ name: 7 }, {}]),
      spec: mostly(
        rec({
          clusterCIDR: cidr(CLUSTER_CIDRS),
          serviceCIDR: cidr(SERVICE_CIDRS),
          nodeCIDR: cidr(NODE_CIDRS),
          dnsDomain: pick(
            ['cluster.local'],
            ['', 'a..b', 'example.com', 'local', 'c.', ...KNOWN_BAD_DOMAINS],
          ).filter(domainOk),
          mtu: pick([1500, 9001], [576, 575, 9216, 9217, '1500', null, 1450.5]),
          cloud: pick(['none', 'aws', 'generic'], ['gcp']),
          cni: mostly(cni),
          kubeProxy: mostly(kubeProxy),
          nodes: mostly(list(mostly(nodeEntry), 'name', 0, 4)),
        }),
      ),
    },
    ['apiVersion', 'kind'],
  )

  const portEntry = rec(
    {
      containerPort: port,
      protocol: pick(['TCP', 'UDP'], ['tcp', 'SCTP', 'ICMP']),
      name: pick(['http', 'dns'], ['', 'x'.repeat(20)]),
    },
    ['containerPort'],
  )
  const container = rec(
    {
      name: pick(['app', 'web', 'sidecar'], ['', 'App']),
      image: pick(['nginx:1.27']),
      ports: mostly(list(mostly(portEntry), 'containerPort')),
    },
    ['name'],
  )
  /** `nodeName` is one of the nodes the Cluster document declares, mostly. */
  const podSpec = (nodeName: fc.Arbitrary<unknown>) =>
    mostly(
      rec(
        {
          nodeName,
          hostNetwork: pick([false, true], ['yes']),
          containers: mostly(list(mostly(container), 'name', 1, mix.repeats ? 3 : 2)),
        },
        ['containers'],
      ),
    )
  const nodeDoc = rec(
    {
      apiVersion: pick(['v1']),
      kind: fc.constant('Node'),
      metadata: meta(nodeName),
      spec: mostly(rec({ podCIDR: cidr(POD_CIDRS) })),
      status: mostly(
        rec({
          addresses: mostly(
            fc.array(
              mostly(
                rec({
                  type: pick(['InternalIP'], ['ExternalIP', 'Hostname']),
                  address: ip,
                }),
              ),
              { maxLength: 3 },
            ),
          ),
        }),
      ),
    },
    ['apiVersion', 'kind', 'metadata'],
  )
  const podDoc = (nodeName: fc.Arbitrary<unknown>) =>
    rec(
      {
        apiVersion: pick(['v1']),
        kind: fc.constant('Pod'),
        metadata: meta(podName),
        spec: podSpec(nodeName),
        // status.podIP is rare and mostly wrong: it has to fit the node's range and be free.
        status: fc.oneof(
          { weight: mix.good, arbitrary: fc.constant(undefined) },
          {
            weight: mix.edge,
            arbitrary: rec({ podIP: pick(['10.244.0.5', '10.244.1.5'], EDGE_IPS) }),
          },
          { weight: mix.junk, arbitrary: junk },
        ),
      },
      ['apiVersion', 'kind', 'metadata', 'spec'],
    )
  const controllerDoc = (nodeName: fc.Arbitrary<unknown>) =>
    fc
      .record({
        kind: fc.constantFrom('Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'),
        name: pick(['web', 'db'], ['client', 'node-1', 'Web']),
        namespace,
        // Up to 12 replicas; out of range (rejected by the parser, never expanded), wrong types.
        replicas: fc.option(
          pick([1, 2, 3], [0, 12, -1, 10001, 1e9, 2.5, '3', 'three', null], fc.nat(12)),
          { nil: undefined },
        ),
        labels,
        selector: fc.oneof(
          { weight: mix.good, arbitrary: fc.constant('match') },
          { weight: mix.edge, arbitrary: rec({ matchLabels: labels }) },
          { weight: mix.junk, arbitrary: junk },
        ),
        spec: podSpec(nodeName),
      })
      .map(({ kind, name, namespace, replicas, labels, selector, spec }) => ({
        apiVersion: 'apps/v1',
        kind,
        metadata: { name, namespace },
        spec: {
          ...(replicas === undefined ? {} : { replicas }),
          selector: selector === 'match' ? { matchLabels: labels } : selector,
          template: { metadata: { labels }, spec },
        },
      }))
  const ipPoolDoc = rec(
    {
      apiVersion: pick(['crd.projectcalico.org/v1', 'projectcalico.org/v3']),
      kind: fc.constant('IPPool'),
      metadata: pick([{ name: 'default-ipv4-ippool' }]),
      spec: mostly(
        rec({
          cidr: cidr(CLUSTER_CIDRS),
          blockSize: pick([26, 24], [32, 31, 19]),
          ipipMode: pick(['Always', 'CrossSubnet', 'Never'], ['always']),
          vxlanMode: pick(['Never', 'Always', 'CrossSubnet'], ['never']),
          natOutgoing: pick([true]),
        }),
      ),
    },
    ['apiVersion', 'kind', 'spec'],
  )
  const netConf = fc.oneof(
    {
      weight: mix.good,
      arbitrary: rec({
        Network: cidr(CLUSTER_CIDRS),
        Backend: mostly(
          rec({
            Type: pick(['vxlan', 'host-gw'], ['udp', 'wireguard', '']),
            VNI: pick([1, 4096], [0, -1, 2 ** 24]),
            Port: pick([8472, 4789], [0, 65536]),
          }),
        ),
      }).map((o) => JSON.stringify(o)),
    },
    {
      weight: mix.junk,
      arbitrary: fc.oneof(
        fc.json(),
        fc.string(),
        fc.constantFrom('{', '[]', 'null', '"x"', '{"Network": 10}', '{"Backend": []}'),
      ),
    },
  )
  const flannelDoc = rec(
    {
      apiVersion: fc.constant('v1'),
      kind: fc.constant('ConfigMap'),
      metadata: fc.record({
        name: pick(['kube-flannel-cfg']),
        namespace: fc.constant('kube-flannel'),
      }),
      data: mostly(rec({ 'net-conf.json': netConf }, ['net-conf.json'])),
    },
    ['apiVersion', 'kind', 'metadata', 'data'],
  )
  const servicePort = rec(
    {
      name: pick(['http', 'dns'], ['', 'HTTP', 'x'.repeat(20)]),
      port: port,
      targetPort: pick([80, 8080, 'http'], ['dns', 0, 65536, '8080', 'no-such-port']),
      nodePort: pick([30080, 32767], [29999, 0, 80]),
      protocol: pick(['TCP', 'UDP'], ['tcp', 'SCTP', 'ICMP']),
    },
    ['port'],
  )
  const serviceDoc = rec(
    {
      apiVersion: pick(['v1']),
      kind: fc.constant('Service'),
      metadata: meta(pick(['web', 'db', 'kubernetes'], ['Web', '1web', 'a.b', 'x'.repeat(64)])),
      spec: mostly(
        rec({
          type: pick(['ClusterIP', 'NodePort', 'LoadBalancer'], ['ExternalName', 'Headless']),
          clusterIP: pick(
            ['', 'None'],
            ['10.96.0.1', '10.96.0.10', '10.96.0.0', '10.111.255.255', '10.244.0.5', '10.96.0.300'],
          ),
          selector: pick([{ app: 'web' }, { app: 'db' }], [{}, { app: 'none' }]),
          ports: mostly(list(mostly(servicePort), 'name', 0, 3)),
          externalName: pick(['example.com'], ['', 'a..b']),
          externalTrafficPolicy: pick(['Cluster', 'Local'], ['local']),
          internalTrafficPolicy: pick(['Cluster', 'Local'], ['']),
          sessionAffinity: pick(['None', 'ClientIP'], ['Cookie']),
          sessionAffinityConfig: mostly(
            rec({ clientIP: mostly(rec({ timeoutSeconds: pick([10800, 1], [0, 86401]) })) }),
          ),
          loadBalancerSourceRanges: mostly(list(cidr(['10.0.0.0/8', '0.0.0.0/0']), 'x', 0, 2)),
        }),
      ),
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  )
  const endpointSliceDoc = rec(
    {
      apiVersion: pick(['discovery.k8s.io/v1']),
      kind: fc.constant('EndpointSlice'),
      metadata: mostly(
        rec(
          {
            name: pick(['web-abc12', 'db-1']),
            namespace,
            labels: pick(
              [{ 'kubernetes.io/service-name': 'web' }, { 'kubernetes.io/service-name': 'db' }],
              [{}, { 'kubernetes.io/service-name': '' }],
            ),
          },
          ['name', 'labels'],
        ),
      ),
      addressType: pick(['IPv4'], ['IPv6', 'FQDN']),
      ports: mostly(
        list(
          mostly(
            rec({ name: pick(['http', 'dns'], ['']), port, protocol: pick(['TCP', 'UDP']) }, [
              'port',
            ]),
          ),
          'name',
        ),
      ),
      endpoints: mostly(
        list(
          mostly(
            rec(
              {
                addresses: mostly(list(ip, 'x', 0, 2)),
                conditions: mostly(rec({ ready: pick([true, false], ['yes']) })),
                nodeName,
              },
              ['addresses'],
            ),
          ),
          'x',
        ),
      ),
    },
    ['apiVersion', 'kind', 'metadata'],
  )
  const kubeProxyDoc = kubeProxy.map((kp) => ({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    ...kp,
  }))
  const otherDoc = fc.oneof(
    {
      weight: mix.good,
      arbitrary: rec(
        {
          apiVersion: pick(['v1', 'networking.k8s.io/v1', 'example.com/v1'], [API]),
          kind: pick(['Service', 'Ingress', 'Namespace', 'Secret', 'Widget'], ['List', 'Node']),
          metadata: meta(pick(['web', 'x'])),
        },
        ['apiVersion', 'kind'],
      ),
    },
    { weight: mix.junk, arbitrary: fc.object({ maxDepth: 2, maxKeys: 4 }) },
    { weight: mix.junk, arbitrary: junk },
  )

  /** What the other documents declare, so that Traffic can name Pods and nodes that exist. */
  interface Refs {
    /** `namespace/name` of bare Pods and StatefulSet replicas. */
    pods: string[]
    ports: number[]
    nodes: string[]
  }
  const trafficDoc = (refs: Refs) => {
    const knownPod = refs.pods.length
      ? fc.constantFrom(...refs.pods)
      : fc.constantFrom(...POD_NAMES)
    const knownHost = knownPod.chain((key) => {
      const [ns, name] = key.split('/')
      return fc.constantFrom(...(name ? [name, `${name}.${ns}`] : [key]))
    })
    const host = fc.oneof(
      { weight: mix.good, arbitrary: knownHost },
      {
        weight: mix.edge,
        arbitrary: fc.constantFrom(
          ...EDGE_POD_NAMES,
          'web.prod',
          'localhost',
          ...NODE_IPS,
          ...EDGE_IPS,
          'node-1',
          'a..b',
          '[::1]',
        ),
      },
      { weight: mix.junk, arbitrary: fc.domain() },
    )
    const port = fc.oneof(
      { weight: mix.good, arbitrary: fc.constantFrom(...refs.ports, 80) },
      { weight: mix.edge, arbitrary: portNum },
      { weight: mix.junk, arbitrary: fc.constantFrom('0', '65536', '', 'http') },
    )
    const to = fc
      .tuple(
        goodOrEdge(['', 'http://'], ['https://', 'ftp://']),
        host,
        fc.option(port, { nil: undefined, freq: 4 }),
        goodOrEdge(['', '/', '/api'], ['/a b', '?x=1']),
      )
      .map(([s, h, p, path]) => `${s}${h}${p === undefined ? '' : `:${p}`}${path}`)
    const from = fc.oneof(
      {
        weight: mix.good,
        arbitrary: rec(
          {
            pod: fc.oneof(
              { weight: mix.good, arbitrary: knownPod },
              {
                weight: mix.edge,
                arbitrary: fc.constantFrom('prod/web', 'a/b/c', '/x', 'x/', ...EDGE_POD_NAMES),
              },
              { weight: mix.junk, arbitrary: junk },
            ),
            container: pick(['app', 'web'], ['sidecar', 'nope']),
          },
          ['pod'],
        ),
      },
      {
        weight: mix.edge,
        arbitrary: fc.record({
          node: refs.nodes.length ? pick(refs.nodes, EDGE_NODE_NAMES) : nodeName,
        }),
      },
      { weight: mix.edge, arbitrary: fc.record({ external: ip }) },
      { weight: mix.junk, arbitrary: rec({ pod: podName, node: nodeName, external: ip }) },
      { weight: mix.junk, arbitrary: junk },
    )
    return rec(
      {
        apiVersion: ourApi,
        kind: pick(['Traffic']),
        // Several names: two Traffic of one name are refused (AlreadyExists), and should be rare.
        metadata: pick(
          ['t1', 't2', 't3', 't4', 't5', 't6'].map((name) => ({ name })),
          [{ name: '' }, {}, { name: 'T_1' }],
        ),
        spec: mostly(
          rec(
            {
              from,
              to: mostly(to),
              protocol: pick(['tcp', 'udp'], ['TCP', 'sctp', '']),
              headers: pick(
                [{ Host: 'www.example.com' }],
                [JSON.parse('{"__proto__": "x"}'), { Host: 1 }, { toString: 'x' }],
              ),
            },
            ['from', 'to'],
          ),
        ),
      },
      ['apiVersion', 'kind', 'metadata', 'spec'],
    )
  }

  const k8sDoc = (nodeName: fc.Arbitrary<unknown>) =>
    fc.oneof(
      // Careful scenarios declare their bare Pods apart, with distinct names.
      ...(mix.repeats ? [{ weight: 8, arbitrary: podDoc(nodeName) }] : []),
      { weight: 8, arbitrary: controllerDoc(nodeName) },
      { weight: 2, arbitrary: nodeDoc },
      { weight: 2, arbitrary: ipPoolDoc },
      { weight: 2, arbitrary: flannelDoc },
      { weight: 2, arbitrary: kubeProxyDoc },
      { weight: 4, arbitrary: serviceDoc },
      { weight: 2, arbitrary: endpointSliceDoc },
      { weight: 2, arbitrary: otherDoc },
    )
  const listDoc = (nodeName: fc.Arbitrary<unknown>) =>
    fc
      .array(mostly(k8sDoc(nodeName)), { maxLength: 3 })
      .map((items) => ({ apiVersion: 'v1', kind: 'List', items }))

  // Built in order, each part drawing names from the parts before it: the Cluster document
  // (nodes), then Pods and the rest (nodeName), then Traffic (Pods, ports and nodes).
  return fc.array(clusterDoc, { maxLength: mix.repeats ? 2 : 1 }).chain((clusters) => {
    const declared = refsOf(clusters, []).nodes
    const nodeName = pick(declared.length ? declared : ['node-1', 'node-2'], [
      ...NODE_NAMES,
      ...EDGE_NODE_NAMES,
    ])
    return fc
      .tuple(
        list(podDoc(nodeName), (p) => get(p, 'metadata', 'name'), mix.repeats ? 0 : 1, 3),
        fc.array(
          fc.oneof(
            { weight: 6, arbitrary: k8sDoc(nodeName) },
            { weight: 1, arbitrary: listDoc(nodeName) },
          ),
          { maxLength: 4 },
        ),
      )
      .chain(([pods, objects]) =>
        fc
          .array(trafficDoc(refsOf(clusters, [...pods, ...objects])), {
            minLength: 1,
            maxLength: 3,
          })
          .chain((traffic) => {
            const all = [...clusters, ...pods, ...objects, ...traffic]
            // Documents in any order: our Cluster need not come first.
            return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
          }),
      )
  })
}

/** `v.a.b.c`, or undefined where the path leads nowhere. */
function get(v: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
    v,
  )
}

/** Pods, ports and nodes the generated documents declare (loosely: junk is skipped). */
function refsOf(clusters: unknown[], objects: unknown[]) {
  const pods: string[] = []
  const ports: number[] = []
  const nodes: string[] = []
  const str = (v: unknown) => (typeof v === 'string' ? v : null)
  for (const c of clusters) {
    const list = get(c, 'spec', 'nodes')
    if (Array.isArray(list))
      for (const n of list) if (str(get(n, 'name'))) nodes.push(str(get(n, 'name'))!)
  }
  const visit = (o: unknown): void => {
    const kind = get(o, 'kind')
    if (kind === 'List') {
      const items = get(o, 'items')
      if (Array.isArray(items)) items.forEach(visit)
      return
    }
    const name = str(get(o, 'metadata', 'name'))
    const ns = str(get(o, 'metadata', 'namespace')) ?? 'default'
    const spec = kind === 'Pod' ? get(o, 'spec') : get(o, 'spec', 'template', 'spec')
    const containers = get(spec, 'containers')
    if (Array.isArray(containers))
      for (const c of containers) {
        const ps = get(c, 'ports')
        if (Array.isArray(ps))
          for (const p of ps) {
            const n = get(p, 'containerPort')
            if (typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 65536) ports.push(n)
          }
      }
    if (!name) return
    if (kind === 'Pod') pods.push(`${ns}/${name}`)
    if (kind === 'StatefulSet') pods.push(`${ns}/${name}-0`, `${ns}/${name}-1`)
    if (kind === 'Node') nodes.push(name)
  }
  objects.forEach(visit)
  return { pods, ports, nodes }
}

// ---------------------------------------------------------------------------------------------
// Odd but well-typed scenarios: every field has the right type, so the parser accepts them, and
// each field is usually ordinary but sometimes a corner case of the network (overlapping and
// tiny ranges, addresses at range edges, reserved names and addresses, every CNI setting).
// These reach buildCluster and the packet walk with combinations the structured generator
// rarely puts together. Two Pods, client and web, are always there for the Traffic to use.
// ---------------------------------------------------------------------------------------------

const CNI_CHOICES = [
  { plugin: 'flannel', backend: 'vxlan' },
  { plugin: 'flannel', backend: 'host-gw' },
  { plugin: 'calico', backend: 'ipip' },
  { plugin: 'calico', backend: 'vxlan' },
  { plugin: 'calico', backend: 'bgp' },
  { plugin: 'aws-vpc-cni' },
  { plugin: 'bridge' },
]
/** Mostly left out or `usual`, sometimes one of `odd`. */
const usually = <T>(usual: T | undefined, ...odd: T[]): fc.Arbitrary<T | undefined> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant(usual) },
    { weight: 1, arbitrary: fc.constantFrom(...odd) },
  )

const oddCluster = fc.record({
  cni: fc.record({
    choice: fc.constantFrom(...CNI_CHOICES),
    bridgeName: usually('cni0', 'docker0', 'eth0', 'lo', 'flannel.1', 'tunl0', 'vxlan.calico'),
    vni: usually(1, 0, 4096, 16777215),
    port: usually(8472, 1, 4789, 65535),
    blockSize: usually(26, 20, 24, 29, 30, 31, 32),
    instanceType: usually('m5.large', ...Object.keys(INSTANCE_LIMITS), ...KNOWN_BAD_INSTANCE_TYPES),
  }),
  clusterCIDR: usually(
    '10.244.0.0/16',
    '10.244.0.0/24',
    '10.244.0.0/28',
    '10.244.0.0/30',
    '10.244.0.0/32',
    ...KNOWN_BAD_CIDRS,

    '127.0.0.0/8',
    '224.0.0.0/4',
    '169.254.0.0/16',
  ),
  serviceCIDR: usually('10.96.0.0/12', '10.96.0.0/30', '10.244.0.0/16', '255.255.255.0/24'),
  nodeCIDR: usually('192.168.1.0/24', '192.168.1.0/30', '10.0.0.0/16', '10.0.0.0/28', '0.0.0.0/0'),
  mtu: usually(1500, 576, 1280, 9001, 9216),
  dnsDomain: usually('cluster.local', 'example.com', 'local', 'a..b', '', ...KNOWN_BAD_DOMAINS),
  cloud: usually('none', 'aws', 'generic'),
  nodes: fc.option(
    fc.uniqueArray(
      fc.record({
        name: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('node-1', 'node-2', 'node-3') },
          { weight: 1, arbitrary: fc.constantFrom('n.4', 'N5', '-', 'node-1.x') },
        ),
        ip: usually(
          undefined,
          '192.168.1.12',
          '192.168.1.1',
          '192.168.1.0',
          '192.168.1.255',
          '192.168.2.11',
          '10.0.0.11',
          '10.0.0.3',
          '10.244.0.7',
          '127.0.0.11',
          ...KNOWN_BAD_IPS,
          '255.255.255.255',
          '169.254.1.1',
        ),
        podCIDR: usually(
          undefined,
          '10.244.1.0/24',
          '10.244.1.0/30',
          '10.244.0.0/16',
          '10.1.0.0/24',
        ),
      }),
      { minLength: 1, maxLength: 4, selector: (n) => n.name },
    ),
    { nil: undefined },
  ),
})

const oddPod = (name: fc.Arbitrary<string>, kind: fc.Arbitrary<string>) =>
  fc.record({
    kind,
    name,
    namespace: usually('default', 'prod'),
    replicas: usually(1, 0, 2, 5),
    nodeName: usually(undefined, 'node-1', 'node-2', 'node-3', 'n.4'),
    hostNetwork: usually(false, true),
    podIP: usually(
      undefined,
      '10.244.0.2',
      '10.244.1.2',
      '10.244.0.1',
      '10.244.0.0',
      '10.0.0.20',
      '192.168.1.11',
      '0.0.0.0',
      '127.0.0.1',
    ),
    ports: fc.uniqueArray(
      fc.record({
        containerPort: fc.constantFrom(80, 8080, 22, 53, 443, 10250, 65535),
        protocol: usually('TCP', 'UDP', 'SCTP'),
      }),
      { maxLength: 3, selector: (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}` },
    ),
    sidecar: fc.boolean(),
  })

const oddService = fc.record({
  name: fc.constantFrom('web', 'db', 'kubernetes'),
  namespace: usually('default', 'prod'),
  type: usually('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
  clusterIP: usually(undefined, 'None', '10.96.0.1', '10.96.0.10', '10.96.0.0', '10.97.0.1'),
  selector: usually({ app: 'web' }, { app: 'db' }, { app: 'client' }, {}),
  ports: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom('http', 'https', 'dns'),
      port: fc.constantFrom(80, 443, 53, 8080),
      targetPort: usually<number | string>(undefined, 80, 8080, 'http', 9090, 'missing'),
      nodePort: usually(undefined, 30000, 30080, 32767),
      protocol: usually('TCP', 'UDP'),
    }),
    { minLength: 1, maxLength: 2, selector: (p) => p.name },
  ),
  externalName: usually(undefined, 'example.com'),
  externalTrafficPolicy: usually('Cluster', 'Local'),
  internalTrafficPolicy: usually('Cluster', 'Local'),
  sessionAffinity: usually('None', 'ClientIP'),
  slice: fc.option(
    fc.record({
      addresses: fc.array(fc.constantFrom('10.244.0.2', '10.244.1.2', '192.168.1.11', '10.0.0.9'), {
        minLength: 1,
        maxLength: 2,
      }),
      ready: usually(true, false),
      port: fc.constantFrom(80, 8080),
    }),
    { nil: undefined },
  ),
})

const oddTraffic = fc.record({
  from: fc.oneof(
    { weight: 4, arbitrary: fc.constant({ pod: 'client' }) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.record({ pod: fc.constantFrom('web', 'web-0', 'prod/web', 'a.b', 'node-1') }),
        fc.record({ node: fc.constantFrom('node-1', 'node-2', 'n.4') }),
        fc.record({ external: fc.constantFrom('203.0.113.9', '192.168.1.12') }),
      ),
    },
  ),
  to: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('http://web/', 'web:8080', 'web.default:80') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'web-0:80',
        'db.prod:53',
        'localhost:80',
        'http://a.b/',
        'http://node-1:80/',
        '10.244.1.2:80',
        '10.244.0.1:80',
        '192.168.1.12:10250',
        '169.254.1.1:80',
        '127.0.0.1:22',
        '10.96.0.1:443',
        '10.96.0.10:80',
      ),
    },
  ),
  protocol: usually('tcp', 'udp'),
})

const oddScenario = fc
  .record({
    cluster: oddCluster,
    client: oddPod(fc.constant('client'), fc.constant('Pod')),
    web: oddPod(fc.constant('web'), fc.constant('Pod')),
    more: fc.array(
      oddPod(
        fc.constantFrom('db', 'web', 'node-1', 'a.b'),
        fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'),
      ),
      { maxLength: 3 },
    ),
    services: fc.uniqueArray(oddService, { maxLength: 2, selector: (s) => s.name }),
    traffic: fc.array(oddTraffic, { minLength: 1, maxLength: 3 }),
  })
  .map(({ cluster, client, web, more, services, traffic }) => {
    const { choice, ...cni } = cluster.cni
    const docs: unknown[] = [
      {
        apiVersion: API,
        kind: 'Cluster',
        metadata: { name: 'odd' },
        spec: { ...cluster, cni: { ...choice, ...cni } },
      },
    ]
    const web0 = web.ports.length ? web : { ...web, ports: [{ containerPort: 80 }] }
    for (const p of [client, web0, ...more]) {
      const labels = { app: p.name }
      const spec = {
        nodeName: p.nodeName,
        hostNetwork: p.hostNetwork,
        containers: [
          { name: 'main', ports: p.ports },
          ...(p.sidecar ? [{ name: 'sidecar', ports: [{ containerPort: 9090 }] }] : []),
        ],
      }
      const metadata = { name: p.name, namespace: p.namespace, labels }
      docs.push(
        p.kind === 'Pod'
          ? { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { podIP: p.podIP } }
          : {
              apiVersion: 'apps/v1',
              kind: p.kind,
              metadata,
              spec: {
                replicas: p.replicas,
                selector: { matchLabels: labels },
                template: { metadata: { labels }, spec },
              },
            },
      )
    }
    for (const { name, namespace, slice, ...spec } of services) {
      const selector = slice ? undefined : spec.selector
      docs.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace },
        spec: { ...spec, selector },
      })
      if (slice)
        docs.push({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            name: `${name}-abcde`,
            namespace,
            labels: { 'kubernetes.io/service-name': name },
          },
          addressType: 'IPv4',
          ports: [{ name: spec.ports[0]!.name, port: slice.port }],
          endpoints: [{ addresses: slice.addresses, conditions: { ready: slice.ready } }],
        })
    }
    traffic.forEach((t, i) =>
      docs.push({ apiVersion: API, kind: 'Traffic', metadata: { name: `t${i}` }, spec: t }),
    )
    return docs
  })

/** Multi-document YAML, as a learner's file or `kubectl get -o yaml` output would look. */
function toYaml(docs: unknown[]): string {
  return docs.map((d) => stringify(d)).join('---\n')
}

/**
 * Traffic aimed at what the built cluster contains, so that traces get past "no such Pod" and
 * walk real paths: from a Pod or a node to a Pod IP, a Pod name, a node IP or localhost, on a
 * declared port or another.
 */
const aimOne = fc.record({
  from: fc.nat(),
  fromNode: fc.boolean(),
  to: fc.nat(),
  toKind: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('pod-ip', 'pod-name', 'node-ip', 'localhost') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('tunnel-ip', 'range-edge', 'special', 'in-cluster', 'in-subnet'),
    },
  ),
  /** Picks among edge addresses, or the offset of an address in the cluster CIDR. */
  nth: fc.nat(),
  port: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 65535 })),
  protocol: fc.constantFrom('tcp', 'udp') as fc.Arbitrary<'tcp' | 'udp'>,
  http: fc.boolean(),
})
const aimArb = fc.array(aimOne, { maxLength: 4 })
type Aim = typeof aimOne extends fc.Arbitrary<infer A> ? A : never

/** Where aimed traffic goes: a Pod or node, or an address at the edge of what a node owns. */
function aimedHost(c: Cluster, a: Aim, dst: BuiltPod | undefined, node: BuiltNode): string {
  const of = (xs: (number | null | undefined)[]) => {
    const ok = xs.filter((x): x is number => typeof x === 'number')
    return ok.length ? formatIp(ok[a.nth % ok.length]!) : formatIp(node.ip)
  }
  const r = node.podCIDR
  switch (a.toKind) {
    case 'localhost':
      return 'localhost'
    case 'pod-ip':
      return dst ? formatIp(dst.ip) : formatIp(node.ip)
    case 'pod-name':
      return dst ? `${dst.name}.${dst.namespace}` : formatIp(node.ip)
    case 'tunnel-ip':
      return of([node.tunnelIp])
    case 'range-edge':
      // The network address, the gateway (.1) and the broadcast address of the node's range.
      return of(r ? [r.base, r.base + 1, r.base + 2 ** (32 - r.prefix) - 1] : [])
    case 'special':
      return of([0xa9fe0101, 0, 0xffffffff, node.gateway, node.subnet.base, 0x7f000001])
    case 'in-cluster': {
      const cc = c.decl.clusterCIDR
      return formatIp((cc.base + (a.nth % 2 ** (32 - cc.prefix))) >>> 0)
    }
    case 'in-subnet':
      // On AWS, Pod addresses come from here: some are handed out, some wait in the warm pool.
      return formatIp((node.subnet.base + (a.nth % 2 ** (32 - node.subnet.prefix))) >>> 0)
    default:
      return formatIp(node.ip)
  }
}

function aimedTraffic(c: Cluster, aims: Aim[]): TrafficDecl[] {
  const out: TrafficDecl[] = []
  aims.forEach((a, i) => {
    if (c.nodes.length === 0) return
    const src = c.pods[a.from % Math.max(1, c.pods.length)]
    const node = c.nodes[a.from % c.nodes.length]!
    const dst = c.pods[a.to % Math.max(1, c.pods.length)]
    const dstNode = c.nodes[a.to % c.nodes.length]!
    const declared = dst?.containers.flatMap((x) => x.ports)[0]?.containerPort
    const port = a.port ?? declared ?? 80
    const host = aimedHost(c, a, dst, dstNode)
    const where = { file: FILE, line: 1, col: 1, object: `Traffic/aimed-${i}` }
    out.push({
      name: `aimed-${i}`,
      from:
        a.fromNode || !src
          ? { kind: 'node', node: node.name }
          : { kind: 'pod', namespace: src.namespace, name: src.name, container: null },
      to: a.http ? `http://${host}:${port}/` : `${host}:${port}`,
      protocol: a.protocol,
      headers: {},
      where,
      fromWhere: where,
      toWhere: where,
    })
  })
  return out
}

// ---------------------------------------------------------------------------------------------
// Texts: arbitrary strings, YAML-looking token soup, and mangled lessons
// ---------------------------------------------------------------------------------------------

const YAML_TOKENS = [
  '---',
  '...',
  '\n',
  '\n',
  '\n  ',
  '\t',
  ' ',
  ':',
  ': ',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&a ',
  '*a',
  '<<: *a',
  '? ',
  '|',
  '>-',
  '"',
  "'",
  '# c',
  '!!str ',
  '!!binary ',
  '!!map',
  '!foo ',
  '%YAML 1.2\n',
  '%TAG ! tag:x,2000:\n',
  '\ufeff',
  '\u0000',
  'apiVersion: ',
  'podpath.dev/v1alpha1',
  'v1',
  'kind: ',
  'Cluster',
  'Traffic',
  'Pod',
  'List',
  'items',
  'metadata',
  'name: ',
  'spec',
  'nodes',
  'containers',
  'from',
  'to',
  'web',
  '10.244.0.0/16',
  '192.168.1.11',
  '80',
  '1e400',
  '.nan',
  'null',
  '~',
]
const yamlSoup = fc
  .array(fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 3 })), {
    maxLength: 60,
  })
  .map((t) => t.join(''))

const LESSONS_DIR = new URL('../lessons/', import.meta.url)
// The scale lessons (1,000 Services) are left out: each run would cost seconds, not milliseconds.
const LESSONS = readdirSync(LESSONS_DIR)
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('mode3-scale-'))
  .sort()
  .map((f) => readFileSync(new URL(f, LESSONS_DIR), 'utf8'))

/** A real lesson with a few edits at random places: inserts, deletions, swapped lines. */
const mangledLesson = fc
  .record({
    lesson: fc.nat(),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        len: fc.integer({ min: 0, max: 20 }),
        insert: fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 4 })),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ lesson, edits }) => {
    let s = LESSONS[lesson % LESSONS.length]!
    for (const e of edits) {
      const at = e.at % (s.length + 1)
      s = s.slice(0, at) + e.insert + s.slice(at + e.len)
    }
    return s
  })

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('the engine never throws and always answers well-formed', () => {
  it(
    'on arbitrary strings',
    () => {
      const stats = newStats()
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.string({ unit: 'grapheme', maxLength: 200 }),
            yamlSoup,
          ),
          seedArb,
          (s, seed) => runEngine(s, seed, stats),
        ),
        { numRuns: runs(400) },
      )
    },
    TIMEOUT,
  )

  it(
    'on real lessons with random edits',
    () => {
      const stats = newStats()
      fc.assert(
        fc.property(mangledLesson, seedArb, aimArb, (s, seed, aims) =>
          runEngine(s, seed, stats, (c) => aimedTraffic(c, aims)),
        ),
        { numRuns: runs(250) },
      )
      // The edits are small, so many lessons still load and get traced: the walk itself is fuzzed.
      expect(stats.traces).toBeGreaterThan(stats.runs / 10)
    },
    TIMEOUT,
  )

  it(
    'on structured but wrong scenarios (Cluster, Node, Pod, controllers, IPPool, flannel, List, Traffic)',
    () => {
      const stats = newStats()
      fc.assert(
        fc.property(
          fc.oneof(scenarioArbitrary(CAREFUL), scenarioArbitrary(EDGY), scenarioArbitrary(WILD)),
          seedArb,
          aimArb,
          (docs, seed, aims) => runEngine(toYaml(docs), seed, stats, (c) => aimedTraffic(c, aims)),
        ),
        { numRuns: runs(600) },
      )
      // Not vacuous: a fair share of generated files get through to a built cluster and traces.
      expect(stats.built).toBeGreaterThan(stats.runs / 20)
      expect(stats.delivered).toBeGreaterThan(0)
    },
    TIMEOUT,
  )

  it(
    'on well-typed scenarios with odd values (ranges, addresses, names, CNI settings)',
    () => {
      const stats = newStats()
      fc.assert(
        fc.property(oddScenario, seedArb, aimArb, (docs, seed, aims) =>
          runEngine(toYaml(docs), seed, stats, (c) => aimedTraffic(c, aims)),
        ),
        { numRuns: runs(400) },
      )
      expect(stats.built).toBeGreaterThan(stats.runs / 20)
    },
    TIMEOUT,
  )
})

// ---------------------------------------------------------------------------------------------
// Inputs built to exhaust the reader: aliases, nesting, size (src/model/yaml-bounds.ts)
// ---------------------------------------------------------------------------------------------

/**
 * What one such input may take, parse to trace, whatever it is: loose, so that a loaded machine
 * passes, since the point is that nothing hangs or explodes (refusals take milliseconds, the
 * largest accepted inputs about a second on an idle machine).
 */
const BOUNDED_MS = 15_000

/** Runs the engine on `source` and returns its YAML-cause errors, checking the time it took. */
function runBounded(source: string, seed: number, stats: Stats): Diagnostic[] {
  const t0 = performance.now()
  const diagnostics = engineDiagnostics(source, seed, stats)
  const ms = performance.now() - t0
  expect(ms, `${Math.round(ms)} ms for ${source.length} characters`).toBeLessThan(BOUNDED_MS)
  const errors = diagnostics.filter((d) => d.cause === 'yaml')
  const lines = source.split('\n').length
  for (const e of errors) expect(e.line, JSON.stringify(e)).toBeLessThanOrEqual(lines)
  return errors
}

/**
 * A tower of aliases: level 0 anchors `width` ports, each level above a list aliasing the one
 * below `fan` times, and `services` Services alias a level as their ports. Its size once
 * expanded is known in closed form, so the property knows which towers must be refused.
 */
const aliasTower = fc
  .record({
    width: fc.integer({ min: 1, max: 200 }),
    levels: fc.integer({ min: 0, max: 6 }),
    fan: fc.integer({ min: 1, max: 30 }),
    services: fc.integer({ min: 0, max: 120 }),
    // Which level the Services alias (clamped to the top one).
    use: fc.nat({ max: 6 }),
  })
  .map(({ width, levels, fan, services, use }) => {
    const lines = ['apiVersion: v1', 'kind: List', 'tower:']
    const ports = Array.from({ length: width }, (_, i) => `{port: ${i + 1}, name: p${i + 1}}`)
    lines.push(`  l0: &a0 [${ports.join(', ')}]`)
    // A port is 5 nodes (its map, two keys, two values); a list is one more than its items.
    const size = [1 + 5 * width]
    for (let l = 1; l <= levels; l++) {
      lines.push(
        `  l${l}: &a${l} [${Array(fan)
          .fill(`*a${l - 1}`)
          .join(', ')}]`,
      )
      size.push(1 + fan * size[l - 1]!)
    }
    const level = Math.min(use, levels)
    // The engine reads the ports of a few Services; a field it does not read takes the rest, so
    // what it then builds stays small while the reader still counts every alias.
    const asPorts = level === 0 && width * services <= 2000
    lines.push('items:')
    for (let i = 0; i < services; i++)
      lines.push(
        `  - {apiVersion: v1, kind: Service, metadata: {name: s${i}}, spec: {selector: {app: x}, ${asPorts ? `ports: *a${level}` : `ports: [{port: 80}], unread: *a${level}`}}}`,
      )
    const expanded = size.reduce((a, b) => a + b, 0) + services * size[level]!
    return { source: lines.join('\n') + '\n', expanded }
  })

/** Collections nested `maps` deep by indentation, then `seqs` deep as "- - -", then `flows` deep as [ and {k: . */
const deepNesting = fc
  .record({
    maps: fc.integer({ min: 0, max: 160 }),
    seqs: fc.integer({ min: 0, max: 160 }),
    flows: fc.array(fc.boolean(), { maxLength: 3000 }),
  })
  .map(({ maps, seqs, flows }) => {
    const lines = Array.from({ length: maps }, (_, i) => `${' '.repeat(i)}k${i}:`)
    const open = flows.map((map) => (map ? '{k: ' : '[')).join('')
    const close = [...flows]
      .reverse()
      .map((map) => (map ? '}' : ']'))
      .join('')
    lines.push(`${' '.repeat(maps)}${'- '.repeat(seqs)}${open}1${close}`)
    return { source: lines.join('\n') + '\n', depth: maps + seqs + flows.length }
  })

describe('the reader stays within its bounds, in bounded time', () => {
  it(
    'on towers of aliases: refused at an alias exactly when they expand past the bound',
    () => {
      const stats = newStats()
      let refused = 0
      fc.assert(
        fc.property(aliasTower, seedArb, ({ source, expanded }, seed) => {
          const errors = runBounded(source, seed, stats)
          const past = errors.find((e) => /^alias \*a\d+ .*takes the file past/.test(e.message.en))
          // A few nodes (apiVersion, kind, the keys) are not in the closed form: leave them slack.
          if (expanded > MAX_NODES) expect(past, `${expanded} nodes`).toBeDefined()
          if (expanded < MAX_NODES - 10_000) expect(past, `${expanded} nodes`).toBeUndefined()
          if (past) refused++
        }),
        { numRuns: runs(25) },
      )
      // Not vacuous: some towers pass the bound and some stay under it.
      expect(refused).toBeGreaterThan(0)
      expect(refused).toBeLessThan(stats.runs)
    },
    TIMEOUT,
  )

  it(
    'on nesting of maps, lists and flows: refused before parsing exactly past the stated depth',
    () => {
      const stats = newStats()
      let refused = 0
      fc.assert(
        fc.property(deepNesting, seedArb, ({ source, depth }, seed) => {
          const errors = runBounded(source, seed, stats)
          const deep = errors.find((e) => /^YAML nested more than 128 levels/.test(e.message.en))
          expect(deep !== undefined, `${depth} levels`).toBe(depth > MAX_DEPTH)
          if (deep) refused++
        }),
        { numRuns: runs(40) },
      )
      expect(refused).toBeGreaterThan(0)
      expect(refused).toBeLessThan(stats.runs)
    },
    TIMEOUT,
  )

  it(
    'on long text, written or multiplied by aliases: refused exactly past 5 MB',
    () => {
      const stats = newStats()
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 2 ** 20 }),
          fc.integer({ min: 0, max: 12 }),
          fc.integer({ min: -64, max: 64 }),
          seedArb,
          (len, aliases, off, seed) => {
            // Scalar text: one string of `len` characters and `aliases` aliases of it.
            const big = 'x'.repeat(len)
            const src = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: &a ${big}, b: [${Array(aliases).fill('*a').join(', ')}]}\n`
            const chars = len * (1 + aliases)
            const errors = runBounded(src, seed, stats)
            const past = errors.some((e) => /past 5 MB of text/.test(e.message.en))
            // The keys add about 40 characters: leave them slack.
            if (chars > MAX_SCALAR_CHARS) expect(past, `${chars} characters`).toBe(true)
            if (chars < MAX_SCALAR_CHARS - 100) expect(past, `${chars} characters`).toBe(false)
            // The text itself, a few characters either side of the bound.
            const written = `# ${'y'.repeat(MAX_SOURCE_CHARS - 3 + off)}\n`
            const tooLong = parseScenario(written, FILE).diagnostics.some((d) =>
              /more than the 5,242,880 \(5 MB\) PodPath reads/.test(d.message.en),
            )
            expect(tooLong, `${written.length} characters`).toBe(written.length > MAX_SOURCE_CHARS)
          },
        ),
        { numRuns: runs(8) },
      )
    },
    TIMEOUT,
  )
})

// ---------------------------------------------------------------------------------------------
// Engine bugs found by the properties above, as minimal reproductions, now fixed: each must stay
// fixed, and the KNOWN_BAD_* inputs at the top of the file are generated again.
// ---------------------------------------------------------------------------------------------

const TWO_PODS = `---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: node-2, containers: [{name: web, ports: [{containerPort: 80}]}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: {pod: client}, to: 'http://web/'}
`

describe('engine bugs the properties found, kept as regression tests', () => {
  // src/sim/cni/aws-vpc-cni.ts looks instance types up with INSTANCE_LIMITS[type], which finds
  // Object.prototype members: "toString" is not reported as unknown, and every Pod is then
  // rejected with "its instance type allows NaN Pods".
  it('an instanceType such as "toString" is reported as unknown, not as NaN Pods', () => {
    runEngine(
      `apiVersion: podpath.dev/v1alpha1
kind: Cluster
spec: {cni: {plugin: aws-vpc-cni, instanceType: toString}}
${TWO_PODS}`,
      1,
      newStats(),
    )
  })

  // src/sim/assemble/build-cluster.ts assignPods uses ip 0 for "no address yet" and finally drops
  // every Pod whose ip is 0: a hostNetwork Pod on a node at 0.0.0.0, or the first Calico (bgp)
  // Pod of a pool that starts at 0.0.0.0, silently disappears from a cluster that builds.
  it('a hostNetwork Pod on a node at 0.0.0.0 is not silently dropped', () => {
    runEngine(
      `apiVersion: podpath.dev/v1alpha1
kind: Cluster
spec: {nodes: [{name: node-1, ip: 0.0.0.0}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec: {hostNetwork: true, containers: [{name: app}]}
`,
      1,
      newStats(),
    )
  })

  it('the first Calico Pod of a pool at 0.0.0.0/16 is not silently dropped', () => {
    runEngine(
      `apiVersion: podpath.dev/v1alpha1
kind: Cluster
spec: {clusterCIDR: 0.0.0.0/16, cni: {plugin: calico, backend: bgp}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: app}]}
`,
      1,
      newStats(),
    )
  })

  // src/sim/target.ts serviceByName builds a RegExp from dnsDomain escaping only the dots, so a
  // domain with "(" or "[" makes buildCluster (checkTraffic -> resolveTarget) throw a SyntaxError
  // as soon as a Traffic names a host that is not an IP or a Pod.
  it('a dnsDomain with regular-expression characters does not make buildCluster throw', () => {
    runEngine(
      `apiVersion: podpath.dev/v1alpha1
kind: Cluster
spec: {dnsDomain: cluster(local}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: app}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: {pod: client}, to: 'http://kubernetes.default/'}
`,
      1,
      newStats(),
    )
  })

  // bridgeName is only checked to be an interface name; src/sim/cni/linux-bridge.ts ensureBridge
  // then reuses whatever device already has that name (eth0, lo, flannel.1) as "the bridge", never
  // adds the gateway address, and every Pod's first hop fails ARP: a cluster that builds without
  // a word but drops all traffic.
  it('bridgeName naming an existing device (eth0) is rejected', () => {
    const parsed = parseScenario(
      `apiVersion: podpath.dev/v1alpha1
kind: Cluster
spec: {cni: {plugin: flannel, backend: vxlan, bridgeName: eth0}}
${TWO_PODS}`,
      FILE,
    )
    expect(parsed.scenario).toBeNull()
    expect(parsed.diagnostics.map((d) => d.message.en).join('\n')).toMatch(
      /already the name of another device/,
    )
  })
})
