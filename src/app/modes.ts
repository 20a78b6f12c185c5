/**
 * The curriculum's summary: the four modes side by side, each with the lesson that shows it.
 * What decides each hop is named as the tables panel prints it.
 */
import { text, type Text } from '../model/text.ts'

export interface ModeRow {
  mode: 1 | 2 | 3 | 4
  /** What does the work. */
  component: Text
  /** What it gives the application. */
  property: Text
  /** The tables and rules that move the packet, hop by hop. */
  decides: Text
  /** The lesson the row opens. */
  lesson: string
}

export const MODE_ROWS: readonly ModeRow[] = [
  {
    mode: 1,
    component: text(
      "The Pod's one network namespace, held by its pause (sandbox) container, and its loopback device lo",
      'Pod 唯一的网络命名空间（由 pause 沙箱容器持有）及其回环设备 lo',
    ),
    property: text(
      'localhost: all containers of a Pod share one IP, one port space and one lo, so two cannot bind the same port',
      'localhost：Pod 的所有容器共享一个 IP、一套端口和一个 lo，因此两个容器不能绑定同一个端口',
    ),
    decides: text(
      "The namespace's local routing table (local 127.0.0.1 dev lo): the packet loops through lo and never leaves the Pod",
      '命名空间的 local 路由表（local 127.0.0.1 dev lo）：包经 lo 绕回，从不离开 Pod',
    ),
    lesson: 'mode1-localhost',
  },
  {
    mode: 2,
    component: text(
      'A CNI plugin: veth pairs and a bridge (cni0) on each node; between nodes an overlay (flannel VXLAN, Calico IP-in-IP), routes (BGP, host-gw) or the cloud network (AWS VPC CNI)',
      'CNI 插件：每个节点上的 veth 对和网桥（cni0）；节点之间用覆盖网络（flannel VXLAN、Calico IP-in-IP）、路由（BGP、host-gw）或云网络（AWS VPC CNI）',
    ),
    property: text(
      'Flat Pod IPs without NAT: every Pod has its own IP, reachable as it is from every other Pod',
      '扁平的 Pod IP、无需 NAT：每个 Pod 都有自己的 IP，其他 Pod 可以原样访问它',
    ),
    decides: text(
      "Routes (ip route), neighbour entries found by ARP (ip neigh), the bridge's forwarding database (bridge fdb show), and for an overlay the tunnel device and its FDB",
      '路由（ip route）、通过 ARP 得到的邻居表项（ip neigh）、网桥的转发表（bridge fdb show），覆盖网络还有隧道设备及其 FDB',
    ),
    lesson: 'mode2-flannel-vxlan',
  },
  {
    mode: 3,
    component: text(
      'kube-proxy on every node (iptables, IPVS or nftables rules), conntrack, and CoreDNS',
      '每个节点上的 kube-proxy（iptables、IPVS 或 nftables 规则）、conntrack，以及 CoreDNS',
    ),
    property: text(
      'A virtual IP, load balancing and discovery: a stable ClusterIP and DNS name in front of changing Pods, spread over the ready ones',
      '虚拟 IP、负载均衡与服务发现：在不断变化的 Pod 前面提供稳定的 ClusterIP 和 DNS 名字，把流量分给就绪的 Pod',
    ),
    decides: text(
      "The DNS answer from CoreDNS, then kube-proxy's rules (KUBE-SERVICES, KUBE-SVC, the KUBE-SEP DNAT; an IPVS virtual server; an nftables verdict map), then conntrack for every later packet and the reply",
      '先是 CoreDNS 的 DNS 应答，然后是 kube-proxy 的规则（KUBE-SERVICES、KUBE-SVC、KUBE-SEP 的 DNAT；IPVS 虚拟服务；nftables 判决映射），之后的每个包和应答都由 conntrack 处理',
    ),
    lesson: 'mode3-clusterip-iptables',
  },
  {
    mode: 4,
    component: text(
      'An Ingress controller (ingress-nginx) or a Gateway API implementation (Envoy Gateway) in Pods, behind a NodePort or a cloud load balancer',
      '运行在 Pod 中的 Ingress 控制器（ingress-nginx）或 Gateway API 实现（Envoy Gateway），位于 NodePort 或云负载均衡器之后',
    ),
    property: text(
      'L7 routing by host and path, and TLS: one address for many sites, HTTPS terminated at the edge',
      '按主机名和路径的七层路由，以及 TLS：多个站点共用一个地址，HTTPS 在边缘终止',
    ),
    decides: text(
      "The cloud load balancer's choice of node, kube-proxy's NodePort rules, then the proxy's own configuration: the nginx server and location generated from the Ingress, or the HTTPRoute's matches and weights",
      '云负载均衡器对节点的选择、kube-proxy 的 NodePort 规则，然后是代理自己的配置：由 Ingress 生成的 nginx server 和 location，或 HTTPRoute 的匹配条件和权重',
    ),
    lesson: 'mode4-ingress-nginx',
  },
]
