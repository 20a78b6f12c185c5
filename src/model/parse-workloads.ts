/** Node, Pod and the controllers that stamp Pods out (Deployment, ReplicaSet, StatefulSet, DaemonSet). */
import type { ObjReader } from './yaml-reader.ts'
import type { ContainerDecl, NodeDecl, PodDecl, PortDecl } from './scenario.ts'
import type { Where } from './diagnostic.ts'
import { text } from './text.ts'
import { readCidr, readIp } from './parse-cluster.ts'
import { DNS_LABEL, DNS_SUBDOMAIN, podTemplateHash } from './k8s-names.ts'
import { readCniAnnotations } from './parse-node-annotations.ts'
import { parseIp } from './ipv4.ts'

function checkName(r: ObjReader, name: string, rule: RegExp, what: string): boolean {
  if (rule.test(name)) return true
  r.report(
    ['metadata', 'name'],
    text(
      `"${name}" is not a valid ${what} name (lower-case letters, digits and "-", as RFC 1123 requires)`,
      `“${name}” 不是合法的${what === 'namespace' ? '命名空间' : '对象'}名称（只能用小写字母、数字和 “-”，见 RFC 1123）`,
    ),
    'error',
    'kubernetes',
  )
  return false
}

function readMeta(
  r: ObjReader,
  kind: string,
): { name: string; namespace: string; labels: Record<string, string> } | null {
  const meta = r.obj('metadata', true)
  if (!meta) return null
  const name = meta.str('name', true)
  const namespace = meta.str('namespace') ?? 'default'
  if (name === null) return null
  r.object = kind === 'Node' ? `Node/${name}` : `${kind}/${namespace}/${name}`
  if (!checkName(r, name, DNS_SUBDOMAIN, kind)) return null
  if (kind !== 'Node' && !DNS_LABEL.test(namespace)) {
    r.report(
      ['metadata', 'namespace'],
      text(`"${namespace}" is not a valid namespace name`, `“${namespace}” 不是合法的命名空间名称`),
      'error',
      'kubernetes',
    )
    return null
  }
  return { name, namespace, labels: meta.strMap('labels') }
}

export function readNode(r: ObjReader, nodes: NodeDecl[]): void {
  const meta = readMeta(r, 'Node')
  if (!meta) return
  const spec = r.obj('spec')
  let ip: number | null = null
  let externalIP: number | null = null
  const status = r.obj('status')
  for (const a of status?.list('addresses') ?? []) {
    if (a.str('type') === 'InternalIP' && ip === null) ip = readIp(a, 'address')
    if (a.str('type') === 'ExternalIP' && externalIP === null) externalIP = readIp(a, 'address')
  }
  nodes.push({
    name: meta.name,
    ip,
    podCIDR: spec ? readCidr(spec, 'podCIDR') : null,
    labels: meta.labels,
    real: true,
    providerID: spec?.str('providerID') ?? null,
    externalIP,
    annotations: readCniAnnotations(r.obj('metadata')),
    where: r.where(),
  })
}

/** metadata.ownerReferences: the one with controller: true (at most one, as the API server checks). */
function controllerRef(r: ObjReader): { kind: string; name: string } | null {
  const refs = (r.value.metadata as { ownerReferences?: unknown } | undefined)?.ownerReferences
  if (!Array.isArray(refs)) return null
  for (const ref of refs as unknown[]) {
    if (!ref || typeof ref !== 'object') continue
    const o = ref as Record<string, unknown>
    if (o.controller === true && typeof o.kind === 'string' && typeof o.name === 'string')
      return { kind: o.kind, name: o.name }
  }
  return null
}

/**
 * The address a CNI plugin recorded on the Pod, for a Pod whose status has none yet: Calico's
 * cni.projectcalico.org/podIP ("10.244.120.65/32"; podIPs lists them) and the AWS VPC CNI's
 * vpc.amazonaws.com/pod-ips (libcalico-go k8s/conversion/constants.go names both).
 */
function annotatedPodIP(r: ObjReader): number | null {
  const raw = (r.value.metadata as { annotations?: unknown } | undefined)?.annotations
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null
  const a = raw as Record<string, unknown>
  for (const key of [
    'cni.projectcalico.org/podIP',
    'cni.projectcalico.org/podIPs',
    'vpc.amazonaws.com/pod-ips',
  ]) {
    const v = a[key]
    if (typeof v !== 'string') continue
    for (const one of v.split(',')) {
      const ip = parseIp(one.trim().split('/')[0] ?? '')
      if (ip !== null) return ip
    }
  }
  return null
}

function readPorts(c: ObjReader): PortDecl[] {
  const out: PortDecl[] = []
  for (const p of c.list('ports')) {
    const port = p.int('containerPort', 1, 65535, true)
    if (port === null) continue
    const proto = (p.str('protocol') ?? 'TCP').toUpperCase()
    if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP') {
      p.report(
        ['protocol'],
        text(
          `protocol "${proto}" must be TCP, UDP or SCTP`,
          `协议 “${proto}” 只能是 TCP、UDP 或 SCTP`,
        ),
      )
      continue
    }
    out.push({ name: p.str('name'), containerPort: port, protocol: proto })
  }
  return out
}

/**
 * All containers of a Pod share one network namespace, so one port space: two of them cannot
 * bind the same port and protocol (the second bind() fails with EADDRINUSE).
 */
function checkPortConflicts(spec: ObjReader, containers: ContainerDecl[]): void {
  const seen = new Map<string, string>()
  containers.forEach((c, ci) => {
    c.ports.forEach((p, pi) => {
      const key = `${p.containerPort}/${p.protocol}`
      const first = seen.get(key)
      if (first !== undefined) {
        spec.report(
          ['containers', ci, 'ports', pi, 'containerPort'],
          text(
            `Containers "${first}" and "${c.name}" both declare port ${key}. All containers of a Pod share one network namespace (one IP, one port space), so only one of them can listen on ${key}; the other would fail to bind (EADDRINUSE). Move one of them to another port.`,
            `容器 “${first}” 和 “${c.name}” 都声明了端口 ${key}。同一个 Pod 的所有容器共享一个网络命名空间（同一个 IP、同一套端口），所以 ${key} 只能由其中一个容器监听，另一个绑定时会失败（EADDRINUSE）。请把其中一个改到别的端口。`,
          ),
          'error',
          'kubernetes',
        )
      } else seen.set(key, c.name)
    })
  })
}

interface PodTemplate {
  labels: Record<string, string>
  nodeName: string | null
  nodeNameWhere?: Where
  hostNetwork: boolean
  serviceAccountName: string
  containers: ContainerDecl[]
}

function readPodSpec(spec: ObjReader): Omit<PodTemplate, 'labels'> | null {
  const containers: ContainerDecl[] = []
  const names = new Set<string>()
  for (const c of spec.list('containers')) {
    const name = c.str('name', true)
    if (name === null) continue
    if (names.has(name)) {
      c.report(
        ['name'],
        text(`two containers are named "${name}"`, `有两个容器都叫 “${name}”`),
        'error',
        'kubernetes',
      )
      continue
    }
    names.add(name)
    containers.push({ name, image: c.str('image') ?? '', ports: readPorts(c), where: c.where() })
  }
  if (containers.length === 0) {
    spec.report(['containers'], text('a Pod needs at least one container', 'Pod 至少需要一个容器'))
    return null
  }
  checkPortConflicts(spec, containers)
  const nodeName = spec.str('nodeName')
  return {
    nodeName,
    ...(nodeName !== null && { nodeNameWhere: spec.where(['nodeName']) }),
    hostNetwork: spec.bool('hostNetwork') ?? false,
    // The ServiceAccount admission plugin sets "default" on a Pod that names none.
    serviceAccountName: spec.str('serviceAccountName') ?? 'default',
    containers,
  }
}

/**
 * podutil.IsPodReady: the condition of type Ready has status "True". A status that lists no
 * Ready condition is taken as ready: PodPath's Pods are running unless the scenario says not.
 */
function readReady(status: ObjReader): boolean {
  const ready = status.list('conditions').find((c) => c.str('type') === 'Ready')
  if (!ready) return true
  const v = ready.str('status')
  if (v !== 'True' && v !== 'False' && v !== 'Unknown') {
    ready.report(
      ['status'],
      text(
        `condition status must be "True", "False" or "Unknown", not "${v ?? ''}"`,
        `condition 的 status 只能是 “True”、“False” 或 “Unknown”，而不是 “${v ?? ''}”`,
      ),
    )
  }
  return v === 'True'
}

export function readPod(r: ObjReader, pods: PodDecl[]): void {
  const meta = readMeta(r, 'Pod')
  const spec = r.obj('spec', true)
  if (!meta || !spec) return
  const ps = readPodSpec(spec)
  if (!ps) return
  const status = r.obj('status')
  pods.push({
    namespace: meta.namespace,
    name: meta.name,
    owner: null,
    ordinal: 0,
    daemonNode: null,
    controllerRef: controllerRef(r),
    templateHash: null,
    labels: meta.labels,
    ...ps,
    podIP: (status ? readIp(status, 'podIP') : null) ?? annotatedPodIP(r),
    ready: status ? readReady(status) : true,
    terminating: r.obj('metadata')?.has('deletionTimestamp') ?? false,
    terminal: ['Succeeded', 'Failed'].includes(status?.str('phase') ?? ''),
    where: r.where(),
  })
}

type Controller = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet'

export function readController(r: ObjReader, kind: Controller, pods: PodDecl[]): void {
  const meta = readMeta(r, kind)
  const spec = r.obj('spec', true)
  if (!meta || !spec) return
  // DaemonSets have no replicas: one Pod per eligible node, expanded when the cluster is built.
  const replicas = kind === 'DaemonSet' ? 1 : (spec.int('replicas', 0, 10000) ?? 1)
  const template = spec.obj('template', true)
  if (!template) return
  const tmeta = template.obj('metadata')
  const labels = tmeta?.strMap('labels') ?? {}
  const selector = spec.obj('selector')
  const match = selector?.strMap('matchLabels') ?? {}
  if (!selector) {
    spec.report([], text(`${kind} needs spec.selector`, `${kind} 需要 spec.selector`))
    return
  }
  for (const [k, v] of Object.entries(match)) {
    if (labels[k] !== v) {
      selector.report(
        ['matchLabels', k],
        text(
          `selector ${k}=${v} does not match the template's labels; the API server rejects this`,
          `选择器 ${k}=${v} 与模板的标签不匹配；API Server 会拒绝这个对象`,
        ),
        'error',
        'kubernetes',
      )
      return
    }
  }
  const tspec = template.obj('spec', true)
  if (!tspec) return
  const ps = readPodSpec(tspec)
  if (!ps) return
  const hash = kind === 'Deployment' ? podTemplateHash(template.value) : null
  // Replicas share the template's labels and containers, and the controller's position.
  const where = r.where()
  const podLabels = hash ? { ...labels, 'pod-template-hash': hash } : labels
  for (let i = 0; i < replicas; i++) {
    pods.push({
      namespace: meta.namespace,
      name: null,
      owner: { kind, name: meta.name },
      ordinal: i,
      daemonNode: null,
      controllerRef: null,
      templateHash: hash,
      labels: podLabels,
      ...ps,
      podIP: null,
      ready: true,
      terminating: false,
      terminal: false,
      where,
    })
  }
}
