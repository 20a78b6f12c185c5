/** Our `Cluster` document and the real component configs that say the same things. */
import type { ObjReader } from './yaml-reader.ts'
import type {
  CalicoBackend,
  CloudProvider,
  ClusterDecl,
  CniPlugin,
  KubeProxyMode,
  NodeDecl,
} from './scenario.ts'
import { cidrContains, formatIp, parseCidr, parseIp, type Cidr } from './ipv4.ts'
import { text } from './text.ts'
import { DNS_SUBDOMAIN } from './k8s-names.ts'
import { noCniAnnotations } from './parse-node-annotations.ts'
import { closest } from './suggest.ts'
import { defaultCiliumValues, readCiliumValues } from './parse-cilium.ts'

const CNI_PLUGINS: readonly CniPlugin[] = [
  'flannel',
  'calico',
  'aws-vpc-cni',
  'bridge',
  'kindnet',
  'canal',
  'cilium',
]
const BACKENDS: Record<CniPlugin, readonly string[]> = {
  flannel: ['vxlan', 'host-gw'],
  calico: ['ipip', 'vxlan', 'bgp'],
  'aws-vpc-cni': [],
  bridge: [],
  kindnet: [],
  // canal: Calico's policy and veths, flannel's network (its backend).
  canal: ['vxlan', 'host-gw'],
  // Cilium names its routing by its own Helm values (routingMode, tunnelProtocol).
  cilium: [],
}
const PROXY_MODES: readonly KubeProxyMode[] = ['userspace', 'iptables', 'ipvs', 'nftables']
// The IPVS schedulers kube-proxy accepts (kubernetes pkg/proxy/ipvs; `ipvsadm --scheduler`).
const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'sh', 'dh', 'sed', 'nq', 'mh']
const CLOUDS: readonly CloudProvider[] = ['none', 'aws', 'generic']
// Linux bridge names are interface names: at most 15 characters (IFNAMSIZ - 1).
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/
// Devices a node already has, which the bridge must not be confused with.
const RESERVED_IFNAMES =
  /^(lo|eth\d+|tunl0|flannel\.\d+|vxlan\.calico|cilium_(host|net|vxlan)|kube-ipvs0|(veth|cali|eni|lxc)[0-9a-f]+)$/

/** The defaults a kubeadm cluster with flannel has (kube-flannel.yml; kubeadm's serviceSubnet). */
export function defaultCluster(file: string): ClusterDecl {
  return {
    name: 'cluster',
    clusterCIDR: parseCidr('10.244.0.0/16')!,
    serviceCIDR: parseCidr('10.96.0.0/12')!,
    dnsDomain: 'cluster.local',
    mtu: null,
    nodeCIDR: null,
    cni: {
      plugin: 'flannel',
      backend: 'vxlan',
      bridgeName: 'cni0',
      vni: null,
      port: null,
      blockSize: null,
      instanceType: null,
      ipMasq: true,
      natOutgoing: true,
      awsSnat: { externalSNAT: false, excludeCIDRs: [], randomize: 'prng' },
      cilium: defaultCiliumValues(),
    },
    kubeProxy: { mode: 'iptables', scheduler: 'rr', masqueradeAll: false, portRange: null },
    cloud: 'none',
    upstreamDNS: null,
    externalHosts: [],
    where: { file, line: 1, col: 1, object: 'Cluster/cluster' },
  }
}

export function readCidr(r: ObjReader, key: string): Cidr | null {
  const s = r.str(key)
  if (s === null) return null
  const c = parseCidr(s)
  if (!c) {
    r.report(
      [key],
      text(
        `"${s}" is not an IPv4 CIDR such as 10.244.0.0/16 (host bits must be zero)`,
        `“${s}” 不是形如 10.244.0.0/16 的 IPv4 CIDR（主机位必须为 0）`,
      ),
    )
  }
  return c
}

export function readIp(r: ObjReader, key: string): number | null {
  const s = r.str(key)
  if (s === null) return null
  const ip = parseIp(s)
  if (ip === null) {
    r.report([key], text(`"${s}" is not an IPv4 address`, `“${s}” 不是 IPv4 地址`))
  }
  return ip
}

/** A field that must be one of `allowed`; anything else is reported and read as null. */
export function oneOf<T extends string>(
  r: ObjReader,
  key: string,
  allowed: readonly T[],
): T | null {
  const s = r.str(key)
  if (s === null) return null
  if (!(allowed as readonly string[]).includes(s)) {
    const near = closest(s, allowed)
    r.report(
      [key],
      text(
        `"${key}: ${s}" is not one of ${allowed.join(', ')}${near ? `; did you mean ${near}?` : ''}`,
        `“${key}: ${s}” 不是可选值之一：${allowed.join('、')}${near ? `；是不是想写 ${near}？` : ''}`,
      ),
      'error',
      'file',
    )
    return null
  }
  return s as T
}

export function readClusterDoc(r: ObjReader, base: ClusterDecl, nodes: NodeDecl[]): ClusterDecl {
  const c: ClusterDecl = structuredClone(base)
  const meta = r.obj('metadata')
  const name = meta?.str('name') ?? null
  // Our kinds are named as Kubernetes names a custom resource: a DNS subdomain
  // (apiextensions-apiserver pkg/registry/customresource/validator.go, NameIsDNSSubdomain).
  if (name !== null && !DNS_SUBDOMAIN.test(name))
    meta!.report(
      ['name'],
      text(
        `"${name}" is not a valid Cluster name: Kubernetes names it as a DNS subdomain (RFC 1123: at most 253 lower-case letters, digits, "-" and ".", beginning and ending with a letter or digit)`,
        `“${name}” 不是合法的 Cluster 名称：Kubernetes 要求它是 DNS 子域名（RFC 1123：最多 253 个小写字母、数字、“-” 和 “.”，以字母或数字开头和结尾）`,
      ),
      'error',
      'kubernetes',
    )
  else if (name !== null) c.name = name
  r.object = `Cluster/${c.name}`
  c.where = r.where()
  const spec = r.obj('spec')
  if (!spec) return c
  c.clusterCIDR = readCidr(spec, 'clusterCIDR') ?? c.clusterCIDR
  c.serviceCIDR = readCidr(spec, 'serviceCIDR') ?? c.serviceCIDR
  const domain = spec.str('dnsDomain')
  if (domain !== null) {
    if (DNS_SUBDOMAIN.test(domain)) c.dnsDomain = domain
    else
      spec.report(
        ['dnsDomain'],
        text(
          `"${domain}" is not a DNS domain (lower-case labels of letters, digits and "-", separated by dots)`,
          `“${domain}” 不是合法的 DNS 域名（由小写字母、数字和 “-” 组成、以点分隔的标签）`,
        ),
      )
  }
  // 576 is the IPv4 minimum datagram size (RFC 791); 9216 covers jumbo frames.
  c.mtu = spec.int('mtu', 576, 9216) ?? c.mtu
  c.nodeCIDR = readCidr(spec, 'nodeCIDR') ?? c.nodeCIDR
  c.cloud = oneOf(spec, 'cloud', CLOUDS) ?? c.cloud

  const cni = spec.obj('cni')
  if (cni) {
    const plugin = oneOf(cni, 'plugin', CNI_PLUGINS)
    if (plugin) {
      c.cni.plugin = plugin
      c.cni.backend =
        plugin === 'flannel' || plugin === 'canal' ? 'vxlan' : plugin === 'calico' ? 'ipip' : null
    }
    // A plugin that is not one is its own error: its backend cannot be judged against another's.
    const pluginWrong = cni.has('plugin') && plugin === null
    const backend = pluginWrong ? null : cni.str('backend')
    if (backend !== null) {
      const allowed = BACKENDS[c.cni.plugin]
      const near = closest(backend, allowed)
      if (allowed.includes(backend)) c.cni.backend = backend as CalicoBackend
      else
        cni.report(
          ['backend'],
          allowed.length
            ? text(
                `${c.cni.plugin} has no backend "${backend}"; choose one of ${allowed.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
                `${c.cni.plugin} 没有名为 “${backend}” 的后端；可选：${allowed.join('、')}${near ? `（是不是想写 ${near}？）` : ''}`,
              )
            : text(`${c.cni.plugin} takes no backend`, `${c.cni.plugin} 没有可选的后端`),
          'error',
          'file',
        )
    }
    const bridgeName = cni.str('bridgeName')
    if (bridgeName !== null) {
      if (RESERVED_IFNAMES.test(bridgeName))
        cni.report(
          ['bridgeName'],
          text(
            `"${bridgeName}" is already the name of another device on a node (lo, eth*, tunl0, flannel.*, vxlan.calico); choose another bridge name`,
            `“${bridgeName}” 已是节点上另一个设备的名字（lo、eth*、tunl0、flannel.*、vxlan.calico），请换一个网桥名`,
          ),
        )
      else if (IFNAME.test(bridgeName)) c.cni.bridgeName = bridgeName
      else
        cni.report(
          ['bridgeName'],
          text(
            `"${bridgeName}" is not a Linux interface name (1-15 letters, digits, . _ -)`,
            `“${bridgeName}” 不是合法的 Linux 网卡名（1-15 个字母、数字或 . _ -）`,
          ),
        )
    }
    c.cni.vni = cni.int('vni', 0, 16777215) ?? c.cni.vni
    c.cni.port = cni.int('port', 1, 65535) ?? c.cni.port
    c.cni.blockSize = cni.int('blockSize', 20, 32) ?? c.cni.blockSize
    c.cni.instanceType = cni.str('instanceType') ?? c.cni.instanceType
    c.cni.ipMasq = cni.bool('ipMasq') ?? c.cni.ipMasq
    c.cni.natOutgoing = cni.bool('natOutgoing') ?? c.cni.natOutgoing
    if (cni.has('env')) readAwsEnv(cni, c)
    readCiliumValues(cni, c)
  }
  readEgress(spec, c)

  const kp = spec.obj('kubeProxy')
  if (kp) readKubeProxy(kp, c)
  if (kp && c.cni.plugin === 'cilium' && c.cni.cilium.kubeProxyReplacement)
    spec.report(
      ['kubeProxy'],
      text(
        'with kubeProxyReplacement: true no kube-proxy runs (Cilium implements the Services), so spec.kubeProxy is not used',
        'kubeProxyReplacement: true 时不运行 kube-proxy（由 Cilium 实现 Service），所以 spec.kubeProxy 不会被使用',
      ),
      'warning',
      'file',
    )

  for (const n of spec.list('nodes')) {
    const name = n.str('name', true)
    if (name === null) continue
    n.object = `Node/${name}`
    nodes.push({
      name,
      ip: readIp(n, 'ip'),
      podCIDR: readCidr(n, 'podCIDR'),
      labels: n.strMap('labels'),
      real: false,
      providerID: null,
      externalIP: readIp(n, 'externalIP'),
      annotations: noCniAnnotations(),
      where: n.where(),
    })
  }
  return c
}

// The aws-node variables PodPath reads (amazon-vpc-cni-k8s pkg/networkutils/network.go).
const AWS_EXTERNAL_SNAT = 'AWS_VPC_K8S_CNI_EXTERNALSNAT'
const AWS_EXCLUDE_SNAT_CIDRS = 'AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS'
const AWS_RANDOMIZE_SNAT = 'AWS_VPC_K8S_CNI_RANDOMIZESNAT'
const AWS_ENV = [AWS_EXTERNAL_SNAT, AWS_EXCLUDE_SNAT_CIDRS, AWS_RANDOMIZE_SNAT]
const RANDOMIZE = ['prng', 'hashrandom', 'none'] as const
// strconv.ParseBool, which getBoolEnvVar uses.
const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True']
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False']

/**
 * `cni.env`: the aws-node container's environment, by the variables' own names. Where aws-node
 * logs an error and falls back (a value ParseBool rejects, a list item that is no IPv4 CIDR),
 * PodPath reports the same value as an error instead of guessing.
 */
function readAwsEnv(cni: ObjReader, c: ClusterDecl): void {
  if (c.cni.plugin !== 'aws-vpc-cni') {
    cni.report(
      ['env'],
      text(
        `cni.env holds the aws-node variables of the AWS VPC CNI; ${c.cni.plugin} reads none of them`,
        `cni.env 存放 AWS VPC CNI 的 aws-node 环境变量；${c.cni.plugin} 不读取其中任何一个`,
      ),
    )
    return
  }
  const env = cni.obj('env')
  if (!env) return
  const vars = cni.strMap('env')
  const snat = c.cni.awsSnat
  for (const [name, value] of Object.entries(vars)) {
    if (name === AWS_EXTERNAL_SNAT) {
      if (GO_TRUE.includes(value)) snat.externalSNAT = true
      else if (GO_FALSE.includes(value)) snat.externalSNAT = false
      else
        env.report(
          [name],
          text(
            `${name} is "${value}", which strconv.ParseBool does not read; write true or false`,
            `${name} 的值 “${value}” 无法被 strconv.ParseBool 解析；请写 true 或 false`,
          ),
        )
    } else if (name === AWS_EXCLUDE_SNAT_CIDRS) {
      snat.excludeCIDRs = []
      // parseCIDRString: split on commas, trim, net.ParseCIDR; the network is kept (String()).
      for (const item of value === '' ? [] : value.split(',')) {
        const cidr = parseNetwork(item.trim())
        if (cidr) snat.excludeCIDRs.push(cidr)
        else
          env.report(
            [name],
            text(
              `"${item.trim()}" in ${name} is not an IPv4 CIDR such as 172.16.0.0/12`,
              `${name} 中的 “${item.trim()}” 不是形如 172.16.0.0/12 的 IPv4 CIDR`,
            ),
          )
      }
    } else if (name === AWS_RANDOMIZE_SNAT) {
      const r = RANDOMIZE.find((x) => x === value)
      if (r) snat.randomize = r
      else
        env.report(
          [name],
          text(
            `${name} is "${value}"; aws-node takes prng (the default), hashrandom or none`,
            `${name} 的值为 “${value}”；aws-node 只接受 prng（默认）、hashrandom 或 none`,
          ),
        )
    } else {
      const near = closest(name, AWS_ENV)
      env.report(
        [name],
        text(
          `PodPath does not read the aws-node variable "${name}"; it reads ${AWS_ENV.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
          `PodPath 不读取 aws-node 变量 “${name}”；它读取 ${AWS_ENV.join('、')}${near ? `（是不是想写 ${near}？）` : ''}`,
        ),
        'warning',
      )
    }
  }
}

/** net.ParseCIDR's network: "10.1.2.3/16" is 10.1.0.0/16, as parseCIDR.String() gives it. */
function parseNetwork(s: string): Cidr | null {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(s)
  if (!m) return null
  const ip = parseIp(m[1]!)
  const prefix = Number(m[2])
  if (ip === null || prefix > 32 || String(prefix) !== m[2]) return null
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return { base: (ip & mask) >>> 0, prefix }
}

/**
 * What lies outside the cluster: the upstream nameserver of the nodes' resolv.conf and the
 * Internet's hosts. A host's address must be outside the cluster's own ranges, as the public
 * address of a server on the Internet is.
 */
function readEgress(spec: ObjReader, c: ClusterDecl): void {
  c.upstreamDNS = readIp(spec, 'upstreamDNS') ?? c.upstreamDNS
  for (const h of spec.list('externalHosts')) {
    const raw = h.str('name', true)
    const ip = readIp(h, 'ip')
    if (h.has('name') && !h.has('ip'))
      h.report([], text('required field "ip" is missing', '缺少必填字段 “ip”'), 'error', 'file')
    if (raw === null || ip === null) continue
    const name = raw.toLowerCase().replace(/\.$/, '')
    if (!DNS_SUBDOMAIN.test(name)) {
      h.report(
        ['name'],
        text(
          `"${raw}" is not a DNS name (labels of letters, digits and "-", separated by dots)`,
          `“${raw}” 不是 DNS 名字（由字母、数字和 “-” 组成、以点分隔的标签）`,
        ),
      )
      continue
    }
    const inside = cidrContains(c.clusterCIDR, ip)
      ? { en: 'the Pod range (clusterCIDR)', zh: ' Pod 地址段（clusterCIDR）' }
      : cidrContains(c.serviceCIDR, ip)
        ? { en: 'the Service range (serviceCIDR)', zh: ' Service 地址段（serviceCIDR）' }
        : null
    if (inside) {
      h.report(
        ['ip'],
        text(
          `${formatIp(ip)} is inside ${inside.en}: a host on the Internet needs an address outside the cluster`,
          `${formatIp(ip)} 位于集群的${inside.zh}之内：互联网上的主机需要一个集群之外的地址`,
        ),
      )
      continue
    }
    if (c.externalHosts.some((x) => x.name === name)) {
      h.report(
        ['name'],
        text(`external host "${name}" is given twice`, `外部主机 “${name}” 出现了两次`),
      )
      continue
    }
    c.externalHosts.push({ name, ip, where: h.where() })
  }
  if (c.externalHosts.length > 0 && c.upstreamDNS === null)
    spec.report(
      ['externalHosts'],
      text(
        "externalHosts need spec.upstreamDNS: CoreDNS forwards names outside the cluster to the nameserver of the node's /etc/resolv.conf, and that address is what upstreamDNS says",
        'externalHosts 需要 spec.upstreamDNS：CoreDNS 把集群之外的名字转发给节点 /etc/resolv.conf 中的 nameserver，upstreamDNS 就是那个地址',
      ),
    )
}

/** `Cluster.spec.kubeProxy` and a real KubeProxyConfiguration share these fields. */
export function readKubeProxy(r: ObjReader, c: ClusterDecl): void {
  const mode = r.str('mode')
  // An empty mode means the platform default, iptables on Linux (kube-proxy --proxy-mode).
  if (mode === '') c.kubeProxy.mode = 'iptables'
  else if (mode !== null) c.kubeProxy.mode = oneOf(r, 'mode', PROXY_MODES) ?? c.kubeProxy.mode
  const ipvs = r.obj('ipvs')
  const sched = ipvs ? ipvs.str('scheduler') : r.str('scheduler')
  if (sched) {
    if (IPVS_SCHEDULERS.includes(sched)) c.kubeProxy.scheduler = sched
    else
      (ipvs ?? r).report(
        ['scheduler'],
        text(
          `"${sched}" is not an IPVS scheduler (${IPVS_SCHEDULERS.join(', ')})`,
          `“${sched}” 不是 IPVS 调度算法（${IPVS_SCHEDULERS.join('、')}）`,
        ),
      )
  }
  // A KubeProxyConfiguration keeps masqueradeAll per mode: nftables mode reads
  // nftables.masqueradeAll, iptables and IPVS modes iptables.masqueradeAll (cmd/kube-proxy
  // server_linux.go). The Cluster shorthand takes it at the top level.
  const perMode = r.obj(c.kubeProxy.mode === 'nftables' ? 'nftables' : 'iptables')
  c.kubeProxy.masqueradeAll =
    r.bool('masqueradeAll') ?? perMode?.bool('masqueradeAll') ?? c.kubeProxy.masqueradeAll
  const range = r.str('portRange')
  if (range !== null) {
    const parsed = parsePortRange(range)
    if (parsed === undefined)
      r.report(
        ['portRange'],
        text(
          `"${range}" is not a port range ("min-max", "min+offset" or one port)`,
          `“${range}” 不是端口范围（应为 “min-max”、“min+offset” 或单个端口）`,
        ),
      )
    else c.kubeProxy.portRange = parsed
  }
}

/**
 * utilnet.PortRange.Set (k8s.io/apimachinery/pkg/util/net/port_range.go): "min-max" or
 * "min+offset", inclusive, or one port; empty is no range. A base of 0 means no range too
 * (newPortAllocator). Undefined when the text does not parse.
 */
export function parsePortRange(value: string): { base: number; size: number } | null | undefined {
  const v = value.trim()
  if (v === '') return null
  const m = /^(\d+)(?:([-+])(\d+))?$/.exec(v)
  if (!m) return undefined
  const low = Number(m[1])
  const high = m[2] === '-' ? Number(m[3]) : m[2] === '+' ? low + Number(m[3]) : low
  if (high < low || high > 65535) return undefined
  return low === 0 ? null : { base: low, size: 1 + high - low }
}
