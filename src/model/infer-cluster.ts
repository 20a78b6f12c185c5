/**
 * A cluster as it prints itself (`kubectl get nodes,pods,svc,endpointslices,ds -A -o yaml`)
 * carries no PodPath `Cluster` document, but says most of what one would: which CNI runs (its
 * DaemonSet), the Pod and Service ranges (podCIDRs, Calico's env and tunnel addresses, the
 * ClusterIPs, the control plane's own flags), the node addresses and the cloud. This file reads
 * those facts and, when the scenario has no Cluster document, fills the cluster in from them,
 * saying in an info diagnostic what it took from where.
 */
import type { Diagnostic, Where } from './diagnostic.ts'
import type { ClusterDecl, CniPlugin, NodeDecl, PodDecl, ServiceDecl } from './scenario.ts'
import { cidrContains, enclosing, formatCidr, formatIp, parseCidr, type Cidr } from './ipv4.ts'
import { text, type Text } from './text.ts'
import type { ObjReader } from './yaml-reader.ts'

/** What a DaemonSet says about the node agent it runs: its name, images and plain env values. */
export interface DaemonSetFacts {
  namespace: string
  name: string
  env: Record<string, string>
  where: Where
}

/** Flags of the control plane's static Pods (kubeadm, kind, minikube list them as Pods). */
export interface ControlPlaneFlags {
  /** kube-apiserver --service-cluster-ip-range */
  serviceRange: { cidr: Cidr; where: Where } | null
  /** kube-controller-manager --cluster-cidr */
  clusterCidr: { cidr: Cidr; where: Where } | null
}

export interface Observed {
  daemonSets: DaemonSetFacts[]
  flags: ControlPlaneFlags
}

export function noObservations(): Observed {
  return { daemonSets: [], flags: { serviceRange: null, clusterCidr: null } }
}

type Raw = Record<string, unknown>
const obj = (v: unknown): Raw | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : null
const list = (v: unknown): Raw[] =>
  Array.isArray(v) ? v.map(obj).filter((x): x is Raw => x !== null) : []
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/**
 * Notes what a DaemonSet or a control-plane Pod says, without judging it (the readers that
 * build Pods from them report what is wrong).
 */
export function observe(r: ObjReader, kind: string, o: Observed): void {
  const meta = obj(r.value.metadata)
  const name = str(meta?.name)
  const namespace = str(meta?.namespace) ?? 'default'
  if (!name) return
  if (kind === 'DaemonSet') {
    const spec = obj(obj(obj(r.value.spec)?.template)?.spec)
    const env: Record<string, string> = {}
    for (const c of [...list(spec?.initContainers), ...list(spec?.containers)])
      for (const e of list(c.env)) {
        const k = str(e.name)
        const v = str(e.value)
        if (k && v !== null) env[k] = v
      }
    o.daemonSets.push({ namespace, name, env, where: r.where() })
    return
  }
  if (kind !== 'Pod' || namespace !== 'kube-system') return
  const component = str(obj(meta?.labels)?.component)
  for (const c of list(obj(r.value.spec)?.containers)) {
    const args = [
      ...(Array.isArray(c.command) ? c.command : []),
      ...(Array.isArray(c.args) ? c.args : []),
    ]
    for (const a of args) {
      if (typeof a !== 'string') continue
      const [flag, value] = a.split('=', 2)
      const cidr = value ? parseCidr(value.split(',')[0] ?? '') : null
      if (!cidr) continue
      if (flag === '--service-cluster-ip-range' && component === 'kube-apiserver')
        o.flags.serviceRange = { cidr, where: r.where() }
      if (flag === '--cluster-cidr' && component === 'kube-controller-manager')
        o.flags.clusterCidr = { cidr, where: r.where() }
    }
  }
}

/**
 * A controller printed beside its own Pods is not stamped out again: the Pods the cluster lists
 * are its replicas. A Deployment's Pods belong to its ReplicaSet `<name>-<pod-template-hash>`.
 */
export function withoutListedReplicas(pods: PodDecl[]): PodDecl[] {
  const real = pods.filter((p) => p.controllerRef !== null)
  if (real.length === 0) return pods
  const listed = (p: PodDecl): boolean => {
    const o = p.owner!
    return real.some((r) => {
      const ref = r.controllerRef!
      if (r.namespace !== p.namespace) return false
      if (o.kind !== 'Deployment') return ref.kind === o.kind && ref.name === o.name
      const hash = r.labels['pod-template-hash']
      return ref.kind === 'ReplicaSet' && hash !== undefined && ref.name === `${o.name}-${hash}`
    })
  }
  return pods.filter((p) => p.owner === null || p.name !== null || !listed(p))
}

// The node agents' DaemonSets, in the order they decide: aws-node beside calico-node is Calico
// in policy-only mode on EKS; canal runs a flannel container of its own.
const CNI_DAEMONSETS: {
  plugin: CniPlugin
  matches: (name: string) => boolean
  manifest: string
}[] = [
  { plugin: 'aws-vpc-cni', matches: (n) => n === 'aws-node', manifest: 'amazon-vpc-cni-k8s' },
  { plugin: 'canal', matches: (n) => n === 'canal', manifest: 'canal.yaml' },
  { plugin: 'calico', matches: (n) => n === 'calico-node', manifest: 'calico.yaml' },
  {
    plugin: 'flannel',
    matches: (n) => n.startsWith('kube-flannel-ds'),
    manifest: 'kube-flannel.yml',
  },
  { plugin: 'kindnet', matches: (n) => n === 'kindnet', manifest: 'kindnetd, kind' },
]

// Service ranges clusters are built with: kind's serviceSubnet 10.96.0.0/16 (pkg/apis/config
// default.go), kubeadm's 10.96.0.0/12 (DefaultServicesSubnet, minikube's too), and EKS's two
// ("10.100.0.0/16 or 172.20.0.0/16", EKS API KubernetesNetworkConfigRequest.serviceIpv4Cidr).
const KIND_SERVICE_CIDR = parseCidr('10.96.0.0/16')!
const SERVICE_CIDRS: { cidr: Cidr; who: Text }[] = [
  { cidr: parseCidr('10.96.0.0/12')!, who: text("kubeadm's default", 'kubeadm 的默认值') },
  {
    cidr: parseCidr('10.100.0.0/16')!,
    who: text("one of EKS's two defaults", 'EKS 的两个默认值之一'),
  },
  { cidr: parseCidr('172.20.0.0/16')!, who: text("EKS's other default", 'EKS 的另一个默认值') },
]
// Pod ranges: kube-flannel.yml's, kind's and minikube's Network 10.244.0.0/16; calico-node's
// own default pool 192.168.0.0/16 (node/pkg/lifecycle/startup DEFAULT_IPV4_POOL_CIDR).
const FLANNEL_NETWORK = parseCidr('10.244.0.0/16')!
const CALICO_DEFAULT_POOL = parseCidr('192.168.0.0/16')!

export interface InferInput {
  cluster: ClusterDecl
  /** Keys the Cluster document's spec sets (clusterCIDR, cni, ...): those stay as written. */
  stated: ReadonlySet<string>
  nodes: NodeDecl[]
  pods: PodDecl[]
  services: ServiceDecl[]
  observed: Observed
  /** Which real component configs the scenario holds: they set the CNI and the Pod range. */
  configs: { cni: boolean; pool: boolean }
}

/** The cluster as its own output says it is, with an info diagnostic for every fact taken. */
export function inferCluster(i: InferInput): { cluster: ClusterDecl; diagnostics: Diagnostic[] } {
  const c: ClusterDecl = structuredClone(i.cluster)
  const diagnostics: Diagnostic[] = []
  const note = (where: Where, message: Text) =>
    diagnostics.push({ ...where, severity: 'info', message })
  const realNodes = i.nodes.filter((n) => n.real)
  // Only a cluster's own output is read this way: real Nodes, Pods that name their controller,
  // DaemonSets, control-plane flags. A hand-written scenario keeps PodPath's defaults.
  const real =
    realNodes.length > 0 ||
    i.pods.some((p) => p.controllerRef !== null) ||
    i.observed.daemonSets.length > 0 ||
    i.observed.flags.serviceRange !== null ||
    i.observed.flags.clusterCidr !== null
  if (!real) return { cluster: c, diagnostics }
  if (!i.stated.has('cni')) inferCni(i, c, note)
  if (!i.stated.has('clusterCIDR')) inferPodRange(i, c, note)
  if (!i.stated.has('serviceCIDR')) inferServiceRange(i, c, c.cni.plugin === 'kindnet', note)
  inferNodes(i, c, realNodes, note)
  const givenIps = i.pods.filter((p) => p.podIP !== null && !p.hostNetwork).length
  const givenVips = i.services.filter((s) => typeof s.clusterIP === 'number').length
  const givenCidrs = realNodes.filter((n) => n.podCIDR !== null).length
  if (givenIps + givenVips + givenCidrs > 0) {
    const cidrs = c.cni.plugin !== 'calico' && c.cni.plugin !== 'aws-vpc-cni' ? givenCidrs : 0
    const en = [
      givenIps ? `${givenIps} Pod IP${givenIps === 1 ? '' : 's'} (status.podIP)` : null,
      givenVips ? `${givenVips} ClusterIP${givenVips === 1 ? '' : 's'}` : null,
      cidrs ? `${cidrs} node podCIDR${cidrs === 1 ? '' : 's'}` : null,
    ].filter((x) => x !== null)
    const zh = [
      givenIps ? `${givenIps} 个 Pod IP（status.podIP）` : null,
      givenVips ? `${givenVips} 个 ClusterIP` : null,
      cidrs ? `${cidrs} 个节点 podCIDR` : null,
    ].filter((x) => x !== null)
    note(
      { ...c.where, object: '' },
      text(
        `Taken as the cluster printed them, in place of what PodPath would allocate: ${en.join(', ')}. Fields only the API server sets (uid, resourceVersion, managedFields, status, ...) are read where they say something about the network and otherwise ignored.`,
        `以下值按集群输出原样采用，而不是由 PodPath 分配：${zh.join('、')}。只有 API Server 才会设置的字段（uid、resourceVersion、managedFields、status……）在与网络有关时读取，其余忽略。`,
      ),
    )
  }
  return { cluster: c, diagnostics }
}

type Note = (where: Where, message: Text) => void

/** The CNI plugin and backend, from the node agent's DaemonSet (or kind's or the agent's marks). */
function inferCni(i: InferInput, c: ClusterDecl, note: Note): void {
  if (i.configs.cni) return
  type Evidence = {
    d: (typeof CNI_DAEMONSETS)[number]
    where: Where
    what: string
    whatZh: string
    ds: DaemonSetFacts | null
  }
  const byDs = CNI_DAEMONSETS.flatMap((d): Evidence[] => {
    const ds = i.observed.daemonSets.find((x) => d.matches(x.name))
    if (ds) {
      const what = `DaemonSet ${ds.namespace}/${ds.name}`
      return [{ d, where: ds.where, what, whatZh: what, ds }]
    }
    const pod = i.pods.find(
      (p) => p.controllerRef?.kind === 'DaemonSet' && d.matches(p.controllerRef.name),
    )
    if (pod)
      return [
        {
          d,
          where: pod.where,
          what: `Pod ${pod.namespace}/${pod.name} of DaemonSet ${pod.controllerRef!.name}`,
          whatZh: `DaemonSet ${pod.controllerRef!.name} 的 Pod ${pod.namespace}/${pod.name}`,
          ds: null,
        },
      ]
    return []
  })
  const kindNode = i.nodes.find((n) => n.providerID?.startsWith('kind://'))
  const first = byDs[0]
  let plugin: CniPlugin
  let where: Where
  let why: string
  let whyZh: string
  if (first) {
    plugin = first.d.plugin
    where = first.where
    why = `${first.what} runs it (${first.d.manifest})`
    whyZh = `${first.whatZh} 运行它（${first.d.manifest}）`
    if (byDs.length > 1) {
      const others = byDs.slice(1).map((x) => x.what)
      why += `; ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} also there, and ${plugin} carries the Pods' packets`
      whyZh += `；同时还有 ${byDs
        .slice(1)
        .map((x) => x.whatZh)
        .join('、')}，由 ${plugin} 承载 Pod 的数据包`
    }
  } else if (kindNode) {
    plugin = 'kindnet'
    where = kindNode.where
    why = `node ${kindNode.name} has providerID ${kindNode.providerID}, and kind installs kindnet unless networking.disableDefaultCNI is set`
    whyZh = `节点 ${kindNode.name} 的 providerID 是 ${kindNode.providerID}，而 kind 除非设置 networking.disableDefaultCNI，否则都会安装 kindnet`
  } else {
    const fl = i.nodes.find((n) => n.annotations.flannel)
    const ca = i.nodes.find((n) => n.annotations.calico)
    const by = fl ?? ca
    if (!by) return
    plugin = fl ? 'flannel' : 'calico'
    where = by.where
    why = `node ${by.name} carries ${fl ? "flanneld's flannel.alpha.coreos.com" : "calico-node's projectcalico.org"} annotations`
    whyZh = `节点 ${by.name} 带有 ${fl ? 'flanneld 的 flannel.alpha.coreos.com' : 'calico-node 的 projectcalico.org'} 注解`
  }
  c.cni.plugin = plugin
  c.cni.backend = null
  // Each further fact, in both languages: ", backend vxlan from ..." / "后端 vxlan 取自 ...".
  const more: Text[] = []
  const add = (en: string, zh: string) => more.push(text(en, zh))
  if (plugin === 'flannel' || plugin === 'canal') {
    const typed = i.nodes.find((n) => n.annotations.flannel?.backendType)
    const type = typed?.annotations.flannel?.backendType ?? null
    c.cni.backend = type === 'host-gw' ? 'host-gw' : 'vxlan'
    if (!typed)
      add(
        'backend vxlan (the manifest default; no node publishes flannel.alpha.coreos.com/backend-type)',
        '后端 vxlan（清单默认值；没有节点公布 flannel.alpha.coreos.com/backend-type）',
      )
    else if (type === 'vxlan' || type === 'host-gw')
      add(
        `backend ${type} from ${typed.name}'s flannel.alpha.coreos.com/backend-type`,
        `后端 ${type} 取自 ${typed.name} 的 flannel.alpha.coreos.com/backend-type`,
      )
    else
      add(
        `backend vxlan: ${typed.name}'s flannel.alpha.coreos.com/backend-type is "${type}", which PodPath does not simulate`,
        `后端 vxlan：${typed.name} 的 flannel.alpha.coreos.com/backend-type 为 “${type}”，PodPath 不模拟该后端`,
      )
    const vni = i.nodes.find((n) => n.annotations.flannel?.vni != null)?.annotations.flannel?.vni
    if (vni != null && vni !== 1) {
      c.cni.vni = vni
      add(`VNI ${vni} from backend-data`, `VNI ${vni} 取自 backend-data`)
    }
  } else if (plugin === 'aws-vpc-cni') {
    // pkg/networkutils/network.go: AWS_VPC_ENI_MTU sets the MTU of the ENIs and the Pods' veths.
    const mtu = Number(first?.ds?.env.AWS_VPC_ENI_MTU)
    if (!i.stated.has('mtu') && Number.isInteger(mtu) && mtu >= 576 && mtu <= 9216) {
      c.mtu = mtu
      add(`MTU ${mtu} from AWS_VPC_ENI_MTU`, `MTU ${mtu} 取自 AWS_VPC_ENI_MTU`)
    }
  } else if (plugin === 'calico') {
    const env = first?.ds?.env ?? {}
    const ipip = i.nodes.find((n) => n.annotations.calico?.ipipTunnelAddr != null)
    const vxlan = i.nodes.find((n) => n.annotations.calico?.vxlanTunnelAddr != null)
    if (vxlan && !ipip) {
      c.cni.backend = 'vxlan'
      add(
        `backend vxlan: ${vxlan.name} publishes projectcalico.org/IPv4VXLANTunnelAddr`,
        `后端 vxlan：${vxlan.name} 公布了 projectcalico.org/IPv4VXLANTunnelAddr`,
      )
    } else if (ipip) {
      c.cni.backend = 'ipip'
      add(
        `backend IP-in-IP: ${ipip.name} publishes projectcalico.org/IPv4IPIPTunnelAddr`,
        `后端 IP-in-IP：${ipip.name} 公布了 projectcalico.org/IPv4IPIPTunnelAddr`,
      )
    } else {
      const ipipMode = env.CALICO_IPV4POOL_IPIP ?? 'Always'
      const vxlanMode = env.CALICO_IPV4POOL_VXLAN ?? 'Never'
      c.cni.backend = ipipMode !== 'Never' ? 'ipip' : vxlanMode !== 'Never' ? 'vxlan' : 'bgp'
      if (env.CALICO_IPV4POOL_IPIP !== undefined || env.CALICO_IPV4POOL_VXLAN !== undefined)
        add(
          `backend ${c.cni.backend} from CALICO_IPV4POOL_IPIP=${ipipMode}, CALICO_IPV4POOL_VXLAN=${vxlanMode}`,
          `后端 ${c.cni.backend} 取自 CALICO_IPV4POOL_IPIP=${ipipMode}、CALICO_IPV4POOL_VXLAN=${vxlanMode}`,
        )
      else
        add(
          'backend IP-in-IP (calico.yaml sets CALICO_IPV4POOL_IPIP=Always)',
          '后端 IP-in-IP（calico.yaml 设置 CALICO_IPV4POOL_IPIP=Always）',
        )
    }
    // calico-node's evaluateENVBool (node/pkg/lifecycle/startup/startup.go): false, 0, no, n
    // or f (any case) is false, anything else set is true; unset, the default pool's true.
    const nat = env.CALICO_IPV4POOL_NAT_OUTGOING
    if (nat !== undefined) {
      c.cni.natOutgoing = !['false', '0', 'no', 'n', 'f'].includes(nat.toLowerCase())
      add(
        `natOutgoing ${c.cni.natOutgoing} from CALICO_IPV4POOL_NAT_OUTGOING=${nat}`,
        `natOutgoing ${c.cni.natOutgoing} 取自 CALICO_IPV4POOL_NAT_OUTGOING=${nat}`,
      )
    }
    const size = Number(env.CALICO_IPV4POOL_BLOCK_SIZE)
    if (Number.isInteger(size) && size >= 20 && size <= 32) {
      c.cni.blockSize = size
      add(
        `blocks /${size} from CALICO_IPV4POOL_BLOCK_SIZE`,
        `地址块 /${size} 取自 CALICO_IPV4POOL_BLOCK_SIZE`,
      )
    }
  }
  note(
    where,
    text(
      `CNI ${plugin}: ${[why, ...more.map((m) => m.en)].join(', ')}.`,
      `CNI 为 ${plugin}：${[whyZh, ...more.map((m) => m['zh-CN'])].join('；')}。`,
    ),
  )
}

/** Every address of `cidrs` and `ips` in one block: their longest common prefix. */
function covering(ips: number[]): Cidr | null {
  if (ips.length === 0) return null
  const lo = Math.min(...ips)
  const hi = Math.max(...ips)
  const prefix = Math.clz32((lo ^ hi) >>> 0)
  return enclosing(lo, Math.min(prefix, 32))
}

const ends = (c: Cidr) => [c.base, (c.base + 2 ** (32 - c.prefix) - 1) >>> 0]

/** The cluster CIDR: a flag or env that states it, else the known default or a /16 that holds the Pods. */
function inferPodRange(i: InferInput, c: ClusterDecl, note: Note): void {
  const plugin = c.cni.plugin
  if (plugin === 'aws-vpc-cni') return
  if (i.configs.pool && plugin === 'calico') return
  if (i.configs.cni && (plugin === 'flannel' || plugin === 'canal')) return
  const ds = i.observed.daemonSets
  const env = (name: string, key: string) => {
    const d = ds.find((x) => x.name === name && x.env[key] !== undefined)
    const cidr = d ? parseCidr(d.env[key]!.split(',')[0]!.trim()) : null
    return d && cidr
      ? {
          cidr,
          where: d.where,
          what: `${key}=${d.env[key]} of DaemonSet ${d.namespace}/${d.name}`,
          whatZh: `DaemonSet ${d.namespace}/${d.name} 的 ${key}=${d.env[key]}`,
        }
      : null
  }
  const flag = i.observed.flags.clusterCidr
  const stated =
    (plugin === 'kindnet' ? env('kindnet', 'POD_SUBNET') : null) ??
    (plugin === 'calico' ? env('calico-node', 'CALICO_IPV4POOL_CIDR') : null) ??
    (flag && plugin !== 'calico'
      ? {
          cidr: flag.cidr,
          where: flag.where,
          what: 'kube-controller-manager --cluster-cidr',
          whatZh: 'kube-controller-manager --cluster-cidr',
        }
      : null)
  if (stated) {
    c.clusterCIDR = stated.cidr
    note(
      stated.where,
      text(
        `cluster CIDR ${formatCidr(stated.cidr)}, from ${stated.what}.`,
        `集群 CIDR 为 ${formatCidr(stated.cidr)}，取自 ${stated.whatZh}。`,
      ),
    )
    return
  }
  // What the Pod range must hold: the nodes' podCIDRs, or (Calico) the blocks' addresses.
  const points =
    plugin === 'calico'
      ? [
          ...i.pods
            .filter((p) => p.podIP !== null && !p.hostNetwork && !isNodeIp(i, p.podIP!))
            .map((p) => p.podIP!),
          ...i.nodes
            .flatMap((n) => [
              n.annotations.calico?.ipipTunnelAddr ?? null,
              n.annotations.calico?.vxlanTunnelAddr ?? null,
            ])
            .filter((x): x is number => x !== null),
        ]
      : i.nodes.flatMap((n) => (n.podCIDR ? ends(n.podCIDR) : []))
  if (points.length === 0) return
  const from = plugin === 'calico' ? "the Pods' and tunnels' addresses" : "the nodes' podCIDRs"
  const fromZh = plugin === 'calico' ? 'Pod 和隧道的地址' : '各节点的 podCIDR'
  const defaults = plugin === 'calico' ? [CALICO_DEFAULT_POOL, FLANNEL_NETWORK] : [FLANNEL_NETWORK]
  const known = defaults.find((d) => points.every((p) => cidrContains(d, p)))
  const cover = covering(points)!
  const cidr = known ?? enclosing(cover.base, Math.min(cover.prefix, 16))
  c.clusterCIDR = cidr
  note(
    { ...c.where, object: '' },
    known
      ? text(
          `cluster CIDR ${formatCidr(cidr)}: ${from} all lie in it, and it is ${known === CALICO_DEFAULT_POOL ? "calico-node's default IPPool" : 'the default of kube-flannel.yml, kind and minikube'}.`,
          `集群 CIDR 为 ${formatCidr(cidr)}：${fromZh}都在其中，而它正是${known === CALICO_DEFAULT_POOL ? ' calico-node 的默认 IPPool' : ' kube-flannel.yml、kind 和 minikube 的默认值'}。`,
        )
      : text(
          `cluster CIDR ${formatCidr(cidr)}: the /16 (or wider) block that holds ${from}. The output does not say its length (flannel's net-conf.json, kube-controller-manager --cluster-cidr); give a Cluster document to say it.`,
          `集群 CIDR 为 ${formatCidr(cidr)}：容纳${fromZh}的 /16（或更大）地址块。输出中没有写明其长度（flannel 的 net-conf.json、kube-controller-manager --cluster-cidr）；可用 Cluster 文档指明。`,
        ),
  )
}

function isNodeIp(i: InferInput, ip: number): boolean {
  return i.nodes.some((n) => n.ip === ip)
}

/** The Service CIDR: kube-apiserver's flag, else the known default that holds every ClusterIP. */
function inferServiceRange(i: InferInput, c: ClusterDecl, kind: boolean, note: Note): void {
  const flag = i.observed.flags.serviceRange
  if (flag) {
    c.serviceCIDR = flag.cidr
    note(
      flag.where,
      text(
        `service CIDR ${formatCidr(flag.cidr)}, from kube-apiserver --service-cluster-ip-range.`,
        `Service CIDR 为 ${formatCidr(flag.cidr)}，取自 kube-apiserver --service-cluster-ip-range。`,
      ),
    )
    return
  }
  const vips = i.services.map((s) => s.clusterIP).filter((x): x is number => typeof x === 'number')
  if (vips.length === 0) return
  const usable = (cidr: Cidr) =>
    vips.every((v) => cidrContains(cidr, v) && v !== cidr.base && v !== ends(cidr)[1])
  const candidates = [
    ...(kind
      ? [
          {
            cidr: KIND_SERVICE_CIDR,
            who: text("kind's default serviceSubnet", 'kind 默认的 serviceSubnet'),
          },
        ]
      : []),
    ...SERVICE_CIDRS,
  ]
  // kube-apiserver gives default/kubernetes the first address of the range: 10.100.0.1 is in
  // kubeadm's 10.96.0.0/12 too, but only EKS's 10.100.0.0/16 starts right before it.
  const api = i.services.find((s) => s.namespace === 'default' && s.name === 'kubernetes')
  const apiIp = typeof api?.clusterIP === 'number' ? api.clusterIP : null
  const known =
    candidates.find((x) => usable(x.cidr) && (apiIp === null || apiIp === x.cidr.base + 1)) ??
    candidates.find((x) => usable(x.cidr))
  let cidr: Cidr
  let who: Text
  if (known) {
    cidr = known.cidr
    who = known.who
  } else {
    // The range starts right before default/kubernetes.
    const points = [...vips, ...(apiIp !== null ? [apiIp - 1] : [])]
    const cover = covering(points)!
    cidr = enclosing(cover.base, Math.min(cover.prefix, 16))
    who = text('the /16 (or wider) block that holds them', '容纳它们的 /16（或更大）地址块')
  }
  c.serviceCIDR = cidr
  const shown = vips.slice(0, 3).map(formatIp).join(', ') + (vips.length > 3 ? ', ...' : '')
  note(
    (api ?? i.services.find((s) => typeof s.clusterIP === 'number'))!.where,
    text(
      `service CIDR ${formatCidr(cidr)}, ${who.en}: it holds every ClusterIP (${shown}).`,
      `Service CIDR 为 ${formatCidr(cidr)}（${who['zh-CN']}）：所有 ClusterIP（${shown}）都在其中。`,
    ),
  )
}

/** Node addresses and subnet, the cloud, and (AWS) the instance type. */
function inferNodes(i: InferInput, c: ClusterDecl, nodes: NodeDecl[], note: Note): void {
  if (nodes.length === 0) return
  const withIp = nodes.filter((n) => n.ip !== null)
  if (withIp.length > 0)
    note(
      withIp[0]!.where,
      text(
        `node addresses from status.addresses InternalIP: ${withIp.map((n) => `${n.name} ${formatIp(n.ip!)}`).join(', ')}.`,
        `节点地址取自 status.addresses 的 InternalIP：${withIp.map((n) => `${n.name} ${formatIp(n.ip!)}`).join('、')}。`,
      ),
    )
  for (const n of nodes)
    if (n.ip === null)
      note(
        n.where,
        text(
          `node ${n.name} lists no InternalIP; PodPath gives it an address of its own`,
          `节点 ${n.name} 没有列出 InternalIP；PodPath 为它分配一个地址`,
        ),
      )
  // calico-node publishes its address with the subnet's length: the node network itself.
  const subnets = nodes.map((n) => {
    const a = n.annotations.calico?.ipv4Address
    return a && n.ip === a.ip ? enclosing(a.ip, a.prefix) : null
  })
  const s0 = subnets[0]
  if (
    c.nodeCIDR === null &&
    c.cni.plugin !== 'aws-vpc-cni' &&
    s0 &&
    subnets.every((s) => s && s.base === s0.base && s.prefix === s0.prefix)
  ) {
    c.nodeCIDR = s0
    note(
      nodes[0]!.where,
      text(
        `node network ${formatCidr(s0)}, from projectcalico.org/IPv4Address (${nodes.map((n) => `${formatIp(n.annotations.calico!.ipv4Address!.ip)}/${s0.prefix}`).join(', ')}).`,
        `节点网络为 ${formatCidr(s0)}，取自 projectcalico.org/IPv4Address。`,
      ),
    )
  } else if (c.nodeCIDR === null && c.cni.plugin !== 'aws-vpc-cni' && withIp.length > 0)
    note(
      withIp[0]!.where,
      text(
        `node network: the /24 around each InternalIP, as PodPath takes it; the output does not say the subnet's length (a Cluster document's spec.nodeCIDR can).`,
        `节点网络：PodPath 取每个 InternalIP 所在的 /24；输出中没有子网长度（可在 Cluster 文档的 spec.nodeCIDR 中写明）。`,
      ),
    )
  const aws = nodes.find((n) => n.providerID?.startsWith('aws://'))
  if (aws && !i.stated.has('cloud')) {
    c.cloud = 'aws'
    note(
      aws.where,
      text(
        `cloud aws: node ${aws.name} has providerID ${aws.providerID}.`,
        `云平台为 aws：节点 ${aws.name} 的 providerID 是 ${aws.providerID}。`,
      ),
    )
  }
  if (c.cni.plugin !== 'aws-vpc-cni') return
  // Pods are VPC addresses of the nodes' subnets; the output gives no subnet length, so the
  // node network is the smallest block that holds every node and Pod address.
  const ips = [
    ...nodes.flatMap((n) => (n.ip === null ? [] : [n.ip])),
    ...i.pods.flatMap((p) => (p.podIP === null ? [] : [p.podIP])),
  ]
  const net = covering(ips)
  if (c.nodeCIDR === null && net && ips.length > 1) {
    const widened = enclosing(net.base, Math.min(net.prefix, 24))
    c.nodeCIDR = widened
    note(
      nodes[0]!.where,
      text(
        `node network ${formatCidr(widened)}: the smallest block that holds every node and Pod address (the VPC subnets' lengths are not in the output).`,
        `节点网络为 ${formatCidr(widened)}：容纳所有节点和 Pod 地址的最小地址块（输出中没有 VPC 子网的长度）。`,
      ),
    )
  }
  const types = [
    ...new Set(
      nodes
        .map(
          (n) =>
            n.labels['node.kubernetes.io/instance-type'] ??
            n.labels['beta.kubernetes.io/instance-type'],
        )
        .filter((t): t is string => t !== undefined),
    ),
  ]
  if (i.stated.has('cni')) return
  if (types.length === 1) {
    c.cni.instanceType = types[0]!
    note(
      nodes[0]!.where,
      text(
        `instance type ${types[0]}, from the nodes' node.kubernetes.io/instance-type label: it fixes their ENIs and IPs per ENI.`,
        `实例类型为 ${types[0]}，取自节点的 node.kubernetes.io/instance-type 标签：它决定 ENI 数量和每个 ENI 的 IP 数。`,
      ),
    )
  } else if (types.length > 1)
    note(
      nodes[0]!.where,
      text(
        `the nodes are of several instance types (${types.join(', ')}); PodPath gives every node the limits of one, ${c.cni.instanceType ?? 'm5.large'}`,
        `节点属于多种实例类型（${types.join('、')}）；PodPath 让所有节点使用同一种（${c.cni.instanceType ?? 'm5.large'}）的限制`,
      ),
    )
}
