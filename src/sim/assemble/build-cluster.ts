/**
 * Scenario -> Cluster: nodes, Pods and every network namespace, filled in deterministically
 * (the same file always gives the same cluster). Problems become diagnostics, never exceptions.
 */
import { tlsDiagnostics } from '../l7/tls-secret.ts'
import { defaultIngressNginx } from '../ingress/default-controller.ts'
import { defaultEnvoyProxies, gatewayClassDiagnostics } from '../gateway/envoy-gateway.ts'
import type { Diagnostic } from '../../model/diagnostic.ts'
import type { Scenario } from '../../model/scenario.ts'
import { cidrContains, cidrsOverlap, formatCidr, formatIp, type Cidr } from '../../model/ipv4.ts'
import { text } from '../../model/text.ts'
import { podKey, type BuiltPod, type Cluster } from '../cluster.ts'
import type { CniDataplane, GivenAddress } from '../cni/dataplane.ts'
import type { CniIptables } from '../cni/cni-iptables.ts'
import { flannelDataplane } from '../cni/flannel.ts'
import { calicoDataplane } from '../cni/calico.ts'
import { awsVpcDataplane, AWS_ENI_MTU } from '../cni/aws-vpc-cni.ts'
import { bridgeDataplane } from '../cni/bridge.ts'
import { kindnetDataplane } from '../cni/kindnet.ts'
import { canalDataplane } from '../cni/canal.ts'
import { ciliumDataplane } from '../cni/cilium/cilium.ts'
import { stableRandomMac } from '../hash.ts'
import { checkTraffic } from '../target.ts'
import { buildServices } from '../services/build-services.ts'
import { apiServerService, coreDns } from '../services/defaults.ts'
import { describeLoadBalancers, provisionLoadBalancers } from '../services/cloud-lb.ts'
import { podNsId } from '../net/netns.ts'
import { report, type BuildContext } from './context.ts'
import { buildNodes } from './nodes.ts'
import { placePods } from './pods.ts'
import { refusedSenders, reportUnknownSenders } from './traffic-sources.ts'
import { addAddress, buildHostNamespace, nextIfindex, seedUnderlayNeighbours } from './host.ts'
import { newLink } from '../net/netns.ts'
import { loadBalancerVIPs, type BuiltService } from '../services/service.ts'

export interface BuildResult {
  /** Null when there is any error. */
  cluster: Cluster | null
  diagnostics: Diagnostic[]
}

export function selectDataplane(s: Scenario): CniDataplane {
  const { plugin, backend } = s.cluster.cni
  switch (plugin) {
    case 'flannel':
      return flannelDataplane(backend === 'host-gw' ? 'host-gw' : 'vxlan')
    case 'calico':
      return calicoDataplane(backend === 'vxlan' || backend === 'bgp' ? backend : 'ipip')
    case 'aws-vpc-cni':
      return awsVpcDataplane()
    case 'bridge':
      return bridgeDataplane()
    case 'kindnet':
      return kindnetDataplane()
    case 'canal':
      return canalDataplane(backend === 'host-gw' ? 'host-gw' : 'vxlan')
    case 'cilium':
      return ciliumDataplane()
  }
}

/** The Pod addresses the scenario states, by the node each Pod is on (for Calico's blocks). */
function givenAddresses(s: Scenario): GivenAddress[] {
  return s.pods.flatMap((p) =>
    p.podIP !== null && !p.hostNetwork && !p.terminal && p.nodeName !== null && p.name !== null
      ? [{ node: p.nodeName, ip: p.podIP, pod: `${p.namespace}/${p.name}`, where: p.where }]
      : [],
  )
}

export function buildCluster(scenario: Scenario): BuildResult {
  // Every kubeadm cluster runs CoreDNS. PodPath fills it in after the scenario's own Pods, so the
  // addresses a lesson talks about (the first Pod on a node gets .2) do not depend on it.
  const dns = coreDns(scenario)
  const withDns: Scenario = dns
    ? {
        ...scenario,
        pods: [...scenario.pods, ...dns.pods],
        services: [dns.service, ...scenario.services],
      }
    : scenario
  // Ingresses do nothing without a controller: PodPath runs ingress-nginx's own manifest when
  // the scenario's Ingresses need it and it brings none (after CoreDNS, for the same reason).
  const ingressNginx = defaultIngressNginx(withDns)
  const withIngress: Scenario = ingressNginx
    ? {
        ...withDns,
        pods: [...withDns.pods, ...ingressNginx.pods],
        services: [...withDns.services, ingressNginx.service],
      }
    : withDns
  // A Gateway of Envoy Gateway's class gets the Envoy proxy its controller would create.
  const envoy = defaultEnvoyProxies(withIngress)
  const s: Scenario = {
    ...withIngress,
    pods: [...withIngress.pods, ...envoy.pods],
    services: [...withIngress.services, ...envoy.services],
  }
  const decl = s.cluster
  const ctx: BuildContext = {
    decl,
    mtu: decl.mtu ?? (decl.cni.plugin === 'aws-vpc-cni' ? AWS_ENI_MTU : 1500),
    nodes: [],
    pods: [],
    netns: new Map(),
    diagnostics: [],
    policy: { policies: s.networkPolicies ?? [], namespaceLabels: s.namespaceLabels },
  }
  if (cidrsOverlap(decl.clusterCIDR, decl.serviceCIDR)) {
    report(
      ctx,
      decl.where,
      text(
        `the cluster CIDR ${formatCidr(decl.clusterCIDR)} overlaps the service CIDR ${formatCidr(decl.serviceCIDR)}: a Pod IP and a ClusterIP could be the same address`,
        `集群 CIDR ${formatCidr(decl.clusterCIDR)} 与 Service CIDR ${formatCidr(decl.serviceCIDR)} 重叠：Pod IP 可能与 ClusterIP 相同`,
      ),
    )
  }
  for (const d of tlsDiagnostics(s.ingresses, s.gateways, s.secrets, s.referenceGrants))
    report(ctx, d.where, d.message, 'warning')
  if (ingressNginx)
    report(
      ctx,
      ingressNginx.service.where,
      text(
        `The Ingresses of class ${ingressNginx.classes.join(', ')} need ingress-nginx and the scenario runs none, so PodPath deploys it as its manifest does: Deployment and ${ingressNginx.service.type} Service ingress-nginx/ingress-nginx-controller (ports http 80, https 443).`,
        `类 ${ingressNginx.classes.join('、')} 的 Ingress 需要 ingress-nginx，而场景中没有运行它，所以 PodPath 按其清单部署：Deployment 和 ${ingressNginx.service.type} Service ingress-nginx/ingress-nginx-controller（端口 http 80、https 443）。`,
      ),
      'info',
    )
  for (const d of gatewayClassDiagnostics(s)) report(ctx, d.where, d.message, 'warning')
  for (const svc of envoy.services)
    report(
      ctx,
      svc.where,
      text(
        `Envoy Gateway runs the data plane of Gateway ${svc.selector!['gateway.envoyproxy.io/owning-gateway-namespace']}/${svc.selector!['gateway.envoyproxy.io/owning-gateway-name']}: PodPath adds the Envoy Deployment and ${svc.type} Service ${svc.namespace}/${svc.name} its controller creates.`,
        `Envoy Gateway 负责 Gateway ${svc.selector!['gateway.envoyproxy.io/owning-gateway-namespace']}/${svc.selector!['gateway.envoyproxy.io/owning-gateway-name']} 的数据面：PodPath 添加其控制器创建的 Envoy Deployment 和 ${svc.type} Service ${svc.namespace}/${svc.name}。`,
      ),
      'info',
    )
  buildNodes(ctx, s)
  checkAddressRanges(ctx)
  if (decl.cni.plugin !== 'aws-vpc-cni') {
    for (const n of ctx.nodes) {
      if (cidrsOverlap(n.subnet, decl.clusterCIDR) || cidrsOverlap(n.subnet, decl.serviceCIDR)) {
        report(
          ctx,
          { ...decl.where, object: `Node/${n.name}` },
          text(
            `the node network ${formatCidr(n.subnet)} overlaps the Pod or Service CIDR: packets to those addresses would be ambiguous`,
            `节点网络 ${formatCidr(n.subnet)} 与 Pod 或 Service CIDR 重叠：发往这些地址的包将无法区分`,
          ),
        )
        break
      }
    }
  }
  const dataplane = selectDataplane(s)
  // A NetworkPolicy the cluster's data plane does not enforce: say so, and why, so nobody takes
  // a trace that passes it for one the plugin would let through.
  if (dataplane.policyNotEnforced)
    for (const p of ctx.policy.policies)
      report(
        ctx,
        p.where,
        text(
          `NetworkPolicy "${p.namespace}/${p.name}" is read and checked, but ${dataplane.policyNotEnforced.en}: the traces ignore it`,
          `NetworkPolicy “${p.namespace}/${p.name}” 已读取并检查，但${dataplane.policyNotEnforced['zh-CN']}：追踪会忽略它`,
        ),
        'warning',
      )
  dataplane.prepareNodes(ctx, givenAddresses(s))
  for (const n of ctx.nodes) buildHostNamespace(ctx, n)
  assignPods(ctx, s, dataplane)
  if (ctx.diagnostics.some((d) => d.severity === 'error')) {
    reportUnknownSenders(ctx, s)
    return { cluster: null, diagnostics: ctx.diagnostics }
  }

  for (const n of ctx.nodes) dataplane.setupNode(ctx, n)
  const nodeByName = new Map(ctx.nodes.map((n) => [n.name, n]))
  for (const p of ctx.pods) if (!p.hostNetwork) dataplane.setupPod(ctx, nodeByName.get(p.node)!, p)
  const api = apiServerService(decl, ctx.nodes, s.services)
  const services = buildServices(
    ctx,
    api ? [api.service, ...s.services] : s.services,
    api ? [api.slice, ...s.endpointSlices] : s.endpointSlices,
    ctx.pods,
  )
  provisionLoadBalancers(services, decl.cloud, ctx)
  if (decl.kubeProxy.mode === 'ipvs') bindIpvsAddresses(ctx, services)
  const routerMac = stableRandomMac('underlay:router')
  const agentRules = new Map<string, CniIptables>(
    dataplane.iptables ? ctx.nodes.map((n) => [n.name, dataplane.iptables!(ctx, n)]) : [],
  )
  seedUnderlayNeighbours(ctx, routerMac)
  if (ctx.diagnostics.some((d) => d.severity === 'error')) {
    reportUnknownSenders(ctx, s)
    return { cluster: null, diagnostics: ctx.diagnostics }
  }
  const cluster: Cluster = {
    decl,
    mtu: ctx.mtu,
    podMtu: dataplane.podMtu ? dataplane.podMtu(ctx) : ctx.mtu - dataplane.overhead,
    nodes: ctx.nodes,
    pods: ctx.pods,
    netns: ctx.netns,
    nodeByName,
    podByKey: new Map(ctx.pods.map((p) => [podKey(p.namespace, p.name), p])),
    cniIptables: agentRules,
    untranslatedEgress: new Map(
      [...agentRules].flatMap(([n, r]) => (r.untranslatedText ? [[n, r.untranslatedText]] : [])),
    ),
    underlay: dataplane.underlay ?? 'lan',
    routerMac,
    services,
    loadBalancers: describeLoadBalancers(services, ctx.nodes),
    policy: ctx.policy,
    l7: {
      ingresses: s.ingresses,
      ingressClasses: s.ingressClasses,
      gatewayClasses: s.gatewayClasses,
      gateways: s.gateways,
      httpRoutes: s.httpRoutes,
      referenceGrants: s.referenceGrants,
      secrets: s.secrets,
      namespaceLabels: s.namespaceLabels,
    },
  }
  const refused = refusedSenders(ctx, s)
  for (const p of checkTraffic(cluster, s.traffic))
    if (!refused.has(p.where)) report(ctx, p.where, p.message, p.severity)
  if (ctx.diagnostics.some((d) => d.severity === 'error'))
    return { cluster: null, diagnostics: ctx.diagnostics }
  return { cluster, diagnostics: ctx.diagnostics }
}

/** Pod addresses: those given in status.podIP first (checked), then the IPAM's order. */
function assignPods(ctx: BuildContext, s: Scenario, dp: CniDataplane): void {
  const placed = placePods(ctx, s)
  const nodeByName = new Map(ctx.nodes.map((n) => [n.name, n]))
  const taken = new Map<number, string>()
  const iters = new Map(ctx.nodes.map((n) => [n.name, dp.podAddresses(ctx, n)[Symbol.iterator]()]))
  for (const n of ctx.nodes) taken.set(n.ip, `Node/${n.name}`)
  const pending: { p: (typeof placed)[number]; pod: BuiltPod }[] = []
  const liveIps = new Set(
    placed.flatMap((p) =>
      p.decl.podIP !== null && !p.decl.terminal && !p.decl.hostNetwork ? [p.decl.podIP] : [],
    ),
  )
  for (const p of placed) {
    const node = nodeByName.get(p.node)!
    const pod: BuiltPod = {
      namespace: p.decl.namespace,
      name: p.name,
      node: p.node,
      ip: 0,
      hostNetwork: p.decl.hostNetwork,
      serviceAccount: p.decl.serviceAccountName,
      labels: p.decl.labels,
      containers: p.decl.containers,
      owner: p.decl.owner,
      nsId: p.decl.hostNetwork ? node.nsId : podNsId(p.decl.namespace, p.name),
      hostVeth: null,
      ready: p.decl.ready,
      terminating: p.decl.terminating,
      terminal: p.decl.terminal,
    }
    if (pod.hostNetwork) {
      // A hostNetwork Pod uses its node's namespace and address.
      pod.ip = node.ip
      ctx.pods.push(pod)
      continue
    }
    const given = p.decl.podIP
    // A finished Pod (a Completed Job's) still shows its last status.podIP, but its sandbox is
    // gone and the address went back to the IPAM: when a running Pod now holds it, that one wins.
    if (given !== null && p.decl.terminal && (liveIps.has(given) || taken.has(given))) {
      report(
        ctx,
        { ...p.decl.where, object: `Pod/${pod.namespace}/${pod.name}` },
        text(
          `Pod ${pod.namespace}/${pod.name} has finished and no longer holds ${formatIp(given)}, which a running Pod has now; PodPath leaves it out of the network`,
          `Pod ${pod.namespace}/${pod.name} 已结束，不再持有 ${formatIp(given)}，该地址现属于一个运行中的 Pod；PodPath 不把它放进网络`,
        ),
        'info',
      )
      continue
    }
    if (given !== null) {
      const owner = taken.get(given)
      if (owner) {
        report(
          ctx,
          { ...p.decl.where, object: `Pod/${pod.namespace}/${pod.name}` },
          text(
            `status.podIP ${formatIp(given)} is already used by ${owner}`,
            `status.podIP ${formatIp(given)} 已被 ${owner} 使用`,
          ),
        )
        continue
      }
      if (!dp.ownsAddress(ctx, node, given)) {
        const range = node.podCIDR ? formatCidr(node.podCIDR) : formatCidr(node.subnet)
        report(
          ctx,
          { ...p.decl.where, object: `Pod/${pod.namespace}/${pod.name}` },
          dp.foreignAddress?.(ctx, node, given) ??
            text(
              `status.podIP ${formatIp(given)} is outside ${range}, the range node ${node.name} hands out to its Pods`,
              `status.podIP ${formatIp(given)} 不在 ${range} 之内，而这是节点 ${node.name} 分配给 Pod 的地址范围`,
            ),
        )
        continue
      }
      pod.ip = given
      taken.set(given, `Pod/${pod.namespace}/${pod.name}`)
    } else pending.push({ p, pod })
    ctx.pods.push(pod)
  }
  for (const { p, pod } of pending) {
    const it = iters.get(p.node)!
    let next = it.next()
    while (!next.done && taken.has(next.value)) next = it.next()
    if (next.done) {
      const node = nodeByName.get(p.node)!
      report(
        ctx,
        { ...p.decl.where, object: `Pod/${pod.namespace}/${pod.name}` },
        node.maxPods !== null
          ? text(
              `node ${node.name} is full: its instance type allows ${node.maxPods} Pods (ENIs x (IPs per ENI - 1) + 2), so this Pod would stay Pending`,
              `节点 ${node.name} 已满：其实例类型最多容纳 ${node.maxPods} 个 Pod（ENI 数 ×（每个 ENI 的 IP 数 - 1）+ 2），这个 Pod 会一直处于 Pending`,
            )
          : text(
              `node ${node.name} has no free Pod address left`,
              `节点 ${node.name} 已没有空闲的 Pod 地址`,
            ),
      )
      continue
    }
    pod.ip = next.value
    taken.set(next.value, `Pod/${pod.namespace}/${pod.name}`)
  }
  ctx.pods = ctx.pods.filter((p) => p.ip !== 0)
}

// Address blocks no node or Pod can use (RFC 6890): "this network", loopback, link-local
// (169.254.1.1 is the Calico and AWS gateway), multicast and reserved.
const SPECIAL: { cidr: Cidr; name: string }[] = [
  { cidr: { base: 0x00000000, prefix: 8 }, name: '0.0.0.0/8 ("this network")' },
  { cidr: { base: 0x7f000000, prefix: 8 }, name: '127.0.0.0/8 (loopback)' },
  { cidr: { base: 0xa9fe0000, prefix: 16 }, name: '169.254.0.0/16 (link-local)' },
  { cidr: { base: 0xe0000000, prefix: 3 }, name: '224.0.0.0/3 (multicast and reserved)' },
]
// Routes per node grow with the square of the node count: keep a scenario to a size a browser holds.
const MAX_NODES = 1000

function checkAddressRanges(ctx: BuildContext): void {
  const decl = ctx.decl
  if (ctx.nodes.length > MAX_NODES) {
    report(
      ctx,
      decl.where,
      text(
        `PodPath simulates at most ${MAX_NODES} nodes; this scenario has ${ctx.nodes.length}`,
        `PodPath 最多模拟 ${MAX_NODES} 个节点；这个场景有 ${ctx.nodes.length} 个`,
      ),
    )
  }
  for (const [what, c] of [
    ['cluster CIDR', decl.clusterCIDR],
    ['service CIDR', decl.serviceCIDR],
  ] as const) {
    const bad = SPECIAL.find((x) => cidrsOverlap(x.cidr, c))
    if (bad)
      report(
        ctx,
        decl.where,
        text(
          `the ${what} ${formatCidr(c)} overlaps ${bad.name}, which no Pod or Service can use`,
          `${what === 'cluster CIDR' ? '集群 CIDR' : 'Service CIDR'} ${formatCidr(c)} 与 ${bad.name} 重叠，Pod 和 Service 都不能使用这些地址`,
        ),
      )
  }
  for (const n of ctx.nodes) {
    const bad = SPECIAL.find((x) => cidrContains(x.cidr, n.ip))
    if (bad)
      report(
        ctx,
        { ...decl.where, object: `Node/${n.name}` },
        text(
          `node IP ${formatIp(n.ip)} is in ${bad.name}, which a node cannot use on its network`,
          `节点 IP ${formatIp(n.ip)} 位于 ${bad.name}，节点不能在网络上使用这类地址`,
        ),
      )
  }
}

/**
 * IPVS mode: kube-proxy binds every ClusterIP to the dummy device kube-ipvs0 on each node, so the
 * kernel's local table claims them and traffic to them reaches IPVS at LOCAL_IN. The device stays
 * down: fib_add_ifaddr adds an address's local route before it checks IFF_UP.
 */
function bindIpvsAddresses(ctx: BuildContext, services: BuiltService[]): void {
  for (const n of ctx.nodes) {
    const ns = ctx.netns.get(n.nsId)!
    const dev = newLink(
      nextIfindex(ns),
      'kube-ipvs0',
      'dummy',
      1500,
      stableRandomMac(`node:${n.name}:kube-ipvs0`),
    )
    ns.links.push(dev)
    const own = new Set(ctx.nodes.map((x) => x.ip))
    for (const svc of services) {
      if (svc.clusterIP === null) continue
      addAddress(ns, dev, svc.clusterIP, 32)
      // External and load-balancer IPs too, unless a node already holds the address.
      for (const ip of [...svc.externalIPs, ...loadBalancerVIPs(svc)])
        if (!own.has(ip) && !dev.addrs.some((a) => a.ip === ip)) addAddress(ns, dev, ip, 32)
    }
  }
}
