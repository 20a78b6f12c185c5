/**
 * Reads a scenario file (multi-document YAML, docs/scenario-format.md) into a
 * Scenario, or into diagnostics naming file, line, column and object. Never throws.
 */
import { LineCounter } from 'yaml'
import type { Diagnostic } from './diagnostic.ts'
import type {
  ClusterDecl,
  IgnoredDoc,
  NodeDecl,
  PodDecl,
  ServiceDecl,
  EndpointSliceDecl,
  Scenario,
  TrafficDecl,
} from './scenario.ts'
import { ObjReader, type ReadContext } from './yaml-reader.ts'
import { text, type Text } from './text.ts'
import {
  describeExpansion,
  ExpansionCounter,
  MAX_DEPTH,
  MAX_SOURCE_CHARS,
  parseStream,
} from './yaml-bounds.ts'
import { placeSyntaxErrors } from './yaml-syntax.ts'
import { closest } from './suggest.ts'
import { defaultCluster, readClusterDoc, readKubeProxy } from './parse-cluster.ts'
import { readCalicoIPPool, readFlannelConfigMap } from './parse-cni-config.ts'
import { readController, readNode, readPod } from './parse-workloads.ts'
import { readTraffic } from './parse-traffic.ts'
import {
  inferCluster,
  noObservations,
  observe,
  withoutListedReplicas,
  type Observed,
} from './infer-cluster.ts'
import { readEndpointSlice, readService } from './parse-services.ts'
import { readNetworkPolicy } from './parse-network-policy.ts'
import type { NetworkPolicyDecl } from './network-policy.ts'
import { readIngress, readIngressClass } from './parse-ingress.ts'
import {
  readGateway,
  readGatewayClass,
  readHttpRoute,
  readReferenceGrant,
} from './parse-gateway.ts'
import type {
  GatewayClassDecl,
  GatewayDecl,
  HttpRouteDecl,
  IngressClassDecl,
  IngressDecl,
  ReferenceGrantDecl,
  SecretDecl,
} from './l7-decls.ts'

export const PODPATH_API = 'podpath.dev/v1alpha1'

export interface ParseResult {
  /** Null when there is any error: a file with errors never replaces the open scenario. */
  scenario: Scenario | null
  /** What could be read despite the errors, so that later checks can list their errors too. */
  draft: Scenario | null
  diagnostics: Diagnostic[]
}

/** Kinds the format lists that later parts of the engine simulate; read, reported, kept. */
const LATER_KINDS = new Set(['Endpoints'])
/** Layer 7 kinds and the API groups they belong to; same kind names elsewhere are not ours. */
const L7_GROUPS: Record<string, string> = {
  Ingress: 'networking.k8s.io',
  IngressClass: 'networking.k8s.io',
  GatewayClass: 'gateway.networking.k8s.io',
  Gateway: 'gateway.networking.k8s.io',
  HTTPRoute: 'gateway.networking.k8s.io',
  ReferenceGrant: 'gateway.networking.k8s.io',
}
/** Kinds with no bearing on the network path. */
const QUIET_KINDS = new Set(['Namespace', 'ServiceAccount', 'Secret', 'ConfigMap'])

interface Collected {
  cluster: ClusterDecl
  clusterDocs: number
  configs: ObjReader[]
  nodes: NodeDecl[]
  pods: PodDecl[]
  services: ServiceDecl[]
  endpointSlices: EndpointSliceDecl[]
  traffic: TrafficDecl[]
  ignored: IgnoredDoc[]
  ingresses: IngressDecl[]
  ingressClasses: IngressClassDecl[]
  gatewayClasses: GatewayClassDecl[]
  gateways: GatewayDecl[]
  httpRoutes: HttpRouteDecl[]
  referenceGrants: ReferenceGrantDecl[]
  secrets: SecretDecl[]
  namespaceLabels: Record<string, Record<string, string>>
  networkPolicies: NetworkPolicyDecl[]
  /** What DaemonSets and control-plane Pods say about the cluster (infer-cluster.ts). */
  observed: Observed
  /** The fields the Cluster document's spec sets: inference leaves them alone. */
  clusterKeys: Set<string>
  written: NonNullable<Scenario['written']>
}

export function parseScenario(source: string, file = 'scenario.yaml'): ParseResult {
  const lines = new LineCounter()
  const ctx: ReadContext = { file, lines, diagnostics: [] }
  const c: Collected = {
    cluster: defaultCluster(file),
    clusterDocs: 0,
    configs: [],
    nodes: [],
    pods: [],
    services: [],
    endpointSlices: [],
    traffic: [],
    ignored: [],
    ingresses: [],
    ingressClasses: [],
    gatewayClasses: [],
    gateways: [],
    httpRoutes: [],
    referenceGrants: [],
    secrets: [],
    namespaceLabels: {},
    networkPolicies: [],
    observed: noObservations(),
    clusterKeys: new Set(),
    written: { pods: [], controllers: [], nodes: [] },
  }
  const yamlError = (offset: number, message: Text) =>
    ctx.diagnostics.push({
      file,
      // Before the parser has counted any line (a text refused unread), offset 0 is 1:1.
      ...(lines.lineStarts.length > 0 ? lines.linePos(offset) : { line: 1, col: 1 }),
      object: '',
      severity: 'error',
      message,
      cause: 'yaml',
    })
  const fail = (): ParseResult => ({ scenario: null, draft: null, diagnostics: ctx.diagnostics })
  if (source.length > MAX_SOURCE_CHARS) {
    const max = MAX_SOURCE_CHARS.toLocaleString('en')
    yamlError(
      0,
      text(
        `the text has ${source.length.toLocaleString('en')} characters, more than the ${max} (5 MB) PodPath reads`,
        `文本有 ${source.length} 个字符，超过 PodPath 能读取的 ${MAX_SOURCE_CHARS} 个（5 MB）`,
      ),
    )
    return fail()
  }
  let stream: ReturnType<typeof parseStream>
  try {
    stream = parseStream(source, lines, { uniqueKeys: true })
  } catch (e) {
    yamlError(
      0,
      text(`cannot read YAML: ${(e as Error).message}`, `无法读取 YAML：${(e as Error).message}`),
    )
    return fail()
  }
  if ('tooDeep' in stream) {
    yamlError(
      stream.tooDeep,
      text(
        `YAML nested more than ${MAX_DEPTH} levels deep here; PodPath reads no deeper (real manifests stay under 20)`,
        `YAML 在这里嵌套超过 ${MAX_DEPTH} 层；PodPath 不读取更深的嵌套（真实的清单不超过 20 层）`,
      ),
    )
    return fail()
  }
  // A syntax error anywhere stops the reading: what follows it would be guesses.
  const placed = placeSyntaxErrors(source, stream.tokens, [
    ...stream.streamErrors,
    ...stream.docs.flatMap((d) => d.errors),
  ])
  for (const p of placed) yamlError(p.offset, p.message)
  if (placed.length > 0) return fail()
  // The bounds on what aliases expand to come before anything is read.
  const expansion = new ExpansionCounter()
  for (const doc of stream.docs) {
    const problem = expansion.count(doc)
    if (problem) {
      yamlError(problem.at.range?.[0] ?? 0, describeExpansion(problem, lines))
      return fail()
    }
  }
  let objects = 0
  for (const doc of stream.docs) {
    let value: unknown
    try {
      // Aliases were counted above: the library's own alias count is not needed.
      value = doc.toJS({ maxAliasCount: -1 })
    } catch (e) {
      yamlError(
        doc.range?.[0] ?? 0,
        text(
          `cannot read this document: ${(e as Error).message}`,
          `无法读取此文档：${(e as Error).message}`,
        ),
      )
      continue
    }
    if (value === null || value === undefined) continue
    objects++
    if (typeof value !== 'object' || Array.isArray(value)) {
      const pos = lines.linePos(doc.range?.[0] ?? 0)
      ctx.diagnostics.push({
        file,
        line: pos.line,
        col: pos.col,
        object: '',
        severity: 'error',
        message: text(
          'each document must be a map with apiVersion and kind',
          '每个文档都必须是包含 apiVersion 和 kind 的映射',
        ),
        cause: 'file',
      })
      continue
    }
    collect(new ObjReader(ctx, doc, [], value as Record<string, unknown>, ''), c)
  }
  if (objects === 0 && ctx.diagnostics.length === 0) {
    // Nothing to show: the defaults alone are not the learner's cluster.
    ctx.diagnostics.push({
      file,
      line: 1,
      col: 1,
      object: '',
      severity: 'error',
      message: text(
        'the file holds no documents (it is empty, or only comments and "---"): write at least a Cluster or a Pod',
        '文件里没有任何文档（为空，或只有注释和 “---”）：请至少写一个 Cluster 或 Pod',
      ),
      cause: 'file',
    })
  }
  // A cluster's own output lists the replicas of its controllers, and says which CNI and ranges
  // the cluster has where the Cluster document does not (real component configs still win below).
  c.pods = withoutListedReplicas(c.pods)
  {
    const kinds = c.configs.map((r) => r.value.kind)
    const inferred = inferCluster({
      cluster: c.cluster,
      stated: c.clusterKeys,
      nodes: c.nodes,
      pods: c.pods,
      services: c.services,
      observed: c.observed,
      configs: { cni: kinds.includes('ConfigMap'), pool: kinds.includes('IPPool') },
    })
    c.cluster = inferred.cluster
    ctx.diagnostics.push(...inferred.diagnostics)
  }
  // Real component configs are applied after our Cluster document: they say what the cluster runs.
  for (const r of c.configs) applyConfig(r, c.cluster)

  const hasError = ctx.diagnostics.some((d) => d.severity === 'error')
  const draft: Scenario = {
    file,
    cluster: c.cluster,
    nodes: c.nodes,
    pods: c.pods,
    services: c.services,
    endpointSlices: c.endpointSlices,
    traffic: c.traffic,
    ignored: c.ignored,
    ingresses: c.ingresses,
    ingressClasses: c.ingressClasses,
    gatewayClasses: c.gatewayClasses,
    gateways: c.gateways,
    httpRoutes: c.httpRoutes,
    referenceGrants: c.referenceGrants,
    secrets: c.secrets,
    namespaceLabels: c.namespaceLabels,
    networkPolicies: c.networkPolicies,
    written: c.written,
  }
  return { scenario: hasError ? null : draft, draft, diagnostics: ctx.diagnostics }
}

function collect(r: ObjReader, c: Collected): void {
  // A kind is a type name: `kind: 404` or `kind: .nan` is a mistake, not an unknown kind "404".
  if (r.value.kind !== undefined && r.value.kind !== null && typeof r.value.kind !== 'string') {
    r.report(
      ['kind'],
      text(
        'kind must be a type name such as Pod or Deployment',
        'kind 必须是类型名，例如 Pod 或 Deployment',
      ),
      'error',
      'file',
    )
    return
  }
  const kind = r.str('kind', true)
  const apiVersion = r.str('apiVersion', true) ?? ''
  if (kind === null) return
  const name = (r.value.metadata as { name?: unknown } | undefined)?.name
  r.object = `${kind}/${typeof name === 'string' ? name : '?'}`
  const ours = apiVersion === PODPATH_API
  noteWritten(r, kind, ours, c.written)
  if (kind === 'List') {
    for (const item of r.list('items')) collect(item, c)
    return
  }
  if (ours && kind === 'Cluster') {
    if (++c.clusterDocs > 1) {
      r.report(
        [],
        text('a scenario has at most one Cluster document', '一个场景最多只能有一个 Cluster 文档'),
        'error',
        'file',
      )
      return
    }
    c.cluster = readClusterDoc(r, c.cluster, c.nodes)
    const spec = r.value.spec
    if (spec && typeof spec === 'object') c.clusterKeys = new Set(Object.keys(spec))
    return
  }
  if (ours && kind === 'Traffic') return readTraffic(r, c.traffic)
  if (ours) {
    const near = closest(kind, ['Cluster', 'Traffic'])
    r.report(
      ['kind'],
      text(
        `${PODPATH_API} has no kind "${kind}" (Cluster, Traffic)${near ? `; did you mean ${near}?` : ''}`,
        `${PODPATH_API} 没有 “${kind}” 这种类型（只有 Cluster、Traffic）${near ? `；是不是想写 ${near}？` : ''}`,
      ),
      'error',
      'file',
    )
    return
  }
  const group = apiVersion.split('/')[0]
  // extensions/v1beta1 was Ingress's first home; readL7 says it is gone.
  if (group === L7_GROUPS[kind] || (kind === 'Ingress' && group === 'extensions')) {
    return readL7(r, kind, apiVersion, c)
  }
  if (kind === 'NetworkPolicy' && group === 'networking.k8s.io') {
    if (apiVersion === 'networking.k8s.io/v1') return readNetworkPolicy(r, c.networkPolicies)
    r.report(
      ['apiVersion'],
      text(
        `NetworkPolicy ${apiVersion} is not served; write networking.k8s.io/v1`,
        `NetworkPolicy ${apiVersion} 不再提供；请改用 networking.k8s.io/v1`,
      ),
    )
    return
  }
  observe(r, kind, c.observed)
  switch (kind) {
    case 'Node':
      return readNode(r, c.nodes)
    case 'Pod':
      return readPod(r, c.pods)
    case 'Service':
      return readService(r, c.services)
    case 'EndpointSlice':
      return readEndpointSlice(r, c.endpointSlices)
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      return readController(r, kind, c.pods)
    case 'IPPool':
    case 'KubeProxyConfiguration':
      c.configs.push(r)
      return
    case 'Namespace': {
      // Kept as an ignored document (it has no data path), but its labels can select routes.
      // Read quietly: a Namespace was never checked, and a wrong one still is not an error here.
      const raw = (r.value.metadata as { labels?: unknown } | undefined)?.labels
      const labels: Record<string, string> = {}
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
        for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') labels[k] = v
      }
      if (typeof name === 'string') c.namespaceLabels[name] = labels
      break
    }
    case 'Secret':
      // Kept as an ignored document too; what TLS needs of it is read quietly.
      readSecret(r, c.secrets)
      break
    case 'ConfigMap':
      // kube-flannel.yml's kube-flannel-cfg, and canal.yaml's canal-config (its net-conf.json too).
      if (name === 'kube-flannel-cfg' || name === 'canal-config') {
        c.configs.push(r)
        return
      }
  }
  ignore(r, kind, apiVersion, c)
}

function readL7(r: ObjReader, kind: string, apiVersion: string, c: Collected): void {
  // networking.k8s.io/v1beta1 Ingress (serviceName/servicePort) was removed in Kubernetes 1.22.
  if (kind.startsWith('Ingress') && apiVersion !== 'networking.k8s.io/v1') {
    r.report(
      ['apiVersion'],
      text(
        `${kind} ${apiVersion} is no longer served (removed in Kubernetes 1.22); write networking.k8s.io/v1`,
        `${kind} ${apiVersion} 已不再提供（Kubernetes 1.22 起移除）；请改用 networking.k8s.io/v1`,
      ),
    )
    return
  }
  if (kind === 'Ingress') readIngress(r, c.ingresses)
  else if (kind === 'IngressClass') readIngressClass(r, c.ingressClasses)
  else if (kind === 'GatewayClass') readGatewayClass(r, c.gatewayClasses)
  else if (kind === 'Gateway') readGateway(r, c.gateways)
  else if (kind === 'HTTPRoute') readHttpRoute(r, c.httpRoutes)
  else readReferenceGrant(r, c.referenceGrants)
}

function applyConfig(r: ObjReader, cluster: ClusterDecl): void {
  const kind = r.value.kind
  if (kind === 'IPPool') readCalicoIPPool(r, cluster)
  else if (kind === 'KubeProxyConfiguration') {
    readKubeProxy(r, cluster)
  } else {
    const name = (r.value.metadata as { name?: unknown } | undefined)?.name
    readFlannelConfigMap(r, cluster, name === 'canal-config' ? 'canal' : 'flannel')
  }
}

function ignore(r: ObjReader, kind: string, apiVersion: string, c: Collected): void {
  const name = (r.value.metadata as { name?: unknown } | undefined)?.name
  c.ignored.push({ kind, apiVersion, name: typeof name === 'string' ? name : '', where: r.where() })
  const later = LATER_KINDS.has(kind)
  if (QUIET_KINDS.has(kind)) return
  r.report(
    ['kind'],
    later
      ? text(
          // kube-proxy reads EndpointSlices (GA in 1.21); v1 Endpoints is deprecated since 1.33
          // (KEP-4974, kubernetes.io/blog/2025/04/24/endpoints-deprecation).
          `${kind} is read but not used: kube-proxy follows EndpointSlices, not Endpoints (deprecated since Kubernetes 1.33); PodPath derives them from each Service's selector, or reads the EndpointSlices you give`,
          `已读取 ${kind}，但不使用：kube-proxy 依据的是 EndpointSlice 而非 Endpoints（Endpoints 自 Kubernetes 1.33 起已弃用）；PodPath 按各 Service 的选择器推导出 EndpointSlice，或读取你给出的 EndpointSlice`,
        )
      : unknownKind(kind, apiVersion),
    later ? 'info' : 'warning',
  )
}

/** Records the names a document gives, before reading it can refuse it. */
function noteWritten(r: ObjReader, kind: string, ours: boolean, w: Collected['written']): void {
  const meta = r.value.metadata as { name?: unknown; namespace?: unknown } | undefined
  const ns = typeof meta?.namespace === 'string' ? meta.namespace : 'default'
  const name = typeof meta?.name === 'string' ? meta.name : null
  if (kind === 'Pod' && name !== null) w.pods.push(`${ns}/${name}`)
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind) && name !== null)
    w.controllers.push(`${ns}/${name}`)
  if (kind === 'Node' && name !== null) w.nodes.push(name)
  if (ours && kind === 'Cluster') {
    const nodes = (r.value.spec as { nodes?: unknown } | undefined)?.nodes
    if (Array.isArray(nodes))
      for (const n of nodes as { name?: unknown }[])
        if (typeof n?.name === 'string') w.nodes.push(n.name)
  }
}

/** Every kind read here, for "did you mean" on a kind that is not one of them. */
const KNOWN_KINDS = [
  'Node',
  'Pod',
  'Service',
  'EndpointSlice',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'IPPool',
  'KubeProxyConfiguration',
  'NetworkPolicy',
  'List',
  ...LATER_KINDS,
  ...QUIET_KINDS,
  ...Object.keys(L7_GROUPS),
]

function unknownKind(kind: string, apiVersion: string): Text {
  const near = closest(kind, KNOWN_KINDS)
  return text(
    `unknown kind "${kind}" (${apiVersion}): kept and ignored${near ? `; did you mean ${near}?` : ''}`,
    `未知类型 “${kind}”（${apiVersion}）：已保留并忽略${near ? `；是不是想写 ${near}？` : ''}`,
  )
}

/** A Secret's type and the data keys that hold a value (for Ingress and Gateway TLS). */
function readSecret(r: ObjReader, out: SecretDecl[]): void {
  const meta = r.value.metadata as { name?: unknown; namespace?: unknown } | undefined
  if (typeof meta?.name !== 'string') return
  const keys = new Set<string>()
  for (const field of ['data', 'stringData']) {
    const m = r.value[field]
    if (!m || typeof m !== 'object' || Array.isArray(m)) continue
    for (const [k, v] of Object.entries(m)) if (typeof v === 'string' && v !== '') keys.add(k)
  }
  out.push({
    namespace: typeof meta.namespace === 'string' ? meta.namespace : 'default',
    name: meta.name,
    type: typeof r.value.type === 'string' ? r.value.type : 'Opaque',
    keys: [...keys].sort(),
    where: r.where(),
  })
}
