/**
 * The built-in lessons: one scenario file each (plain YAML beside this file), arranged as the
 * curriculum's tree: cluster networking -> the four modes -> their lessons.
 */
import { text, type Text } from '../model/text.ts'
import type { CniChoice } from '../model/overrides.ts'
import type { KubeProxyMode } from '../model/scenario.ts'

/**
 * The alternatives a lesson lets the learner switch to, its own setting among them. Only what is
 * true of the lesson's cluster and does not contradict its text: host-gw and BGP without IPIP
 * need every node on one layer-2 segment (the engine refuses them otherwise); the bridge plugin
 * routes no Pod traffic between nodes; AWS VPC CNI needs a VPC (its own node subnet and instance
 * type); a lesson whose text names one kube-proxy mode's chains or sets is not switched. A CNI
 * that replaces kube-proxy (Cilium, model/overrides.ts replacesKubeProxy) combines with no
 * kube-proxy mode: the header shows none while it is chosen. switches.test.ts builds and traces
 * every alternative.
 */
export interface LessonSwitches {
  cni?: readonly CniChoice[]
  proxy?: readonly KubeProxyMode[]
}

/**
 * Parts of a trace a lesson may fold away when they are not what it teaches (src/app/fold.ts):
 * the cluster DNS lookup before the connection, an ARP exchange.
 */
export type Topic = 'dns' | 'arp'

export interface LessonMeta {
  id: string
  /** The file beside this one. */
  file: string
  mode: 1 | 2 | 3 | 4
  /** The curriculum item, e.g. "2.2". */
  section: string
  title: Text
  summary: Text
  /** CNI and kube-proxy alternatives the lesson header offers (none: no switches). */
  switches?: LessonSwitches
  /**
   * What the lesson teaches beyond its mode's own subject: these parts of its trace are never
   * folded (a DNS lesson keeps its lookup open). See src/app/fold.ts.
   */
  teaches?: readonly Topic[]
}

/** Nodes on one layer-2 segment: every overlay and both routed backends work. */
const CROSS_NODE: readonly CniChoice[] = [
  'flannel-vxlan',
  'flannel-host-gw',
  'calico-ipip',
  'calico-vxlan',
  'calico-bgp',
]
/** Two Pods on one node: a bridge (flannel) against routing (Calico); the backend never acts. */
const SAME_NODE: readonly CniChoice[] = ['flannel-vxlan', 'calico-ipip']
/** The three kube-proxy modes of a current Kubernetes (userspace was removed in v1.26). */
const PROXY: readonly KubeProxyMode[] = ['iptables', 'ipvs', 'nftables']

export interface ModeMeta {
  mode: 1 | 2 | 3 | 4
  title: Text
  idea: Text
}

export const MODES: ModeMeta[] = [
  {
    mode: 1,
    title: text('Container to container, inside one Pod', '同一 Pod 内：容器到容器'),
    idea: text(
      'One network namespace: one IP, one port space, one lo.',
      '一个网络命名空间：一个 IP、一套端口、一个 lo。',
    ),
  },
  {
    mode: 2,
    title: text('Pod to Pod', 'Pod 到 Pod'),
    idea: text(
      'Every Pod has its own IP, reachable from every other Pod without NAT.',
      '每个 Pod 都有自己的 IP，所有 Pod 之间无需 NAT 即可互通。',
    ),
  },
  {
    mode: 3,
    title: text('Pod to Service', 'Pod 到 Service'),
    idea: text(
      'A stable virtual IP and DNS name in front of changing Pods.',
      '在不断变化的 Pod 前面提供稳定的虚拟 IP 和 DNS 名字。',
    ),
  },
  {
    mode: 4,
    title: text('From outside the cluster', '从集群外部访问'),
    idea: text(
      'NodePort, LoadBalancer, Ingress and Gateway API.',
      'NodePort、LoadBalancer、Ingress 和 Gateway API。',
    ),
  },
]

export const LESSONS: LessonMeta[] = [
  {
    id: 'mode1-localhost',
    file: 'mode1-localhost.yaml',
    mode: 1,
    section: '1',
    title: text('A sidecar calls localhost', '边车容器访问 localhost'),
    summary: text(
      'A log shipper calls the app on localhost:8080; the packet never leaves the Pod, it loops through lo.',
      '日志收集边车访问 localhost:8080 上的应用；包从不离开 Pod，只经过 lo 绕回。',
    ),
  },
  {
    id: 'mode1-port-conflict',
    file: 'mode1-port-conflict.yaml',
    mode: 1,
    section: '1',
    title: text('Two containers, one port', '两个容器，同一个端口'),
    summary: text(
      'Two containers of one Pod cannot both listen on 8080: they share one port space.',
      '同一个 Pod 的两个容器不能都监听 8080：它们共享同一套端口。',
    ),
  },
  {
    id: 'mode2-same-node',
    file: 'mode2-same-node.yaml',
    mode: 2,
    section: '2.1',
    switches: { cni: SAME_NODE },
    title: text('Same node: veth pairs and the cni0 bridge', '同一节点：veth 对与 cni0 网桥'),
    summary: text(
      'Two Pods on one node talk through their veth pairs and the cni0 bridge, which switches by MAC after ARP.',
      '同一节点上的两个 Pod 通过各自的 veth 对和 cni0 网桥通信，网桥在 ARP 之后按 MAC 交换。',
    ),
  },
  {
    id: 'mode2-docker0',
    file: 'mode2-docker0.yaml',
    mode: 2,
    section: '2.1',
    title: text('The same bridge, named docker0', '同样的网桥，名叫 docker0'),
    summary: text(
      'One host, the bridge plugin, and the bridge named docker0 as Docker names its own.',
      '单台主机、bridge 插件，网桥按 Docker 的习惯命名为 docker0。',
    ),
  },
  {
    id: 'mode2-bridge-no-route',
    file: 'mode2-bridge-no-route.yaml',
    mode: 2,
    section: '2.2',
    // The bridge plugin's failure, then every CNI that routes Pod subnets between the nodes.
    switches: { cni: ['bridge', ...CROSS_NODE] },
    title: text('Why a cluster needs a CNI network', '为什么集群需要 CNI 网络'),
    summary: text(
      'With only a bridge on each node, a packet for a Pod on another node dies at the router: nobody routes Pod addresses.',
      '每个节点只有一个网桥时，发往另一节点 Pod 的包会死在路由器上：没人为 Pod 地址做路由。',
    ),
  },
  {
    id: 'mode2-flannel-vxlan',
    file: 'mode2-flannel-vxlan.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: CROSS_NODE },
    title: text('flannel VXLAN: Ethernet inside UDP', 'flannel VXLAN：把以太网帧装进 UDP'),
    summary: text(
      'flannel.1 wraps the Pod frame in VXLAN (VNI 1, UDP 8472): works on any underlay, costs 50 bytes of MTU.',
      'flannel.1 把 Pod 的帧封装进 VXLAN（VNI 1，UDP 8472）：任何底层网络都能用，代价是 50 字节 MTU。',
    ),
  },
  {
    id: 'mode2-flannel-host-gw',
    file: 'mode2-flannel-host-gw.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: CROSS_NODE },
    title: text('flannel host-gw: the node is the gateway', 'flannel host-gw：节点就是网关'),
    summary: text(
      "No encapsulation: each node routes the other nodes' Pod subnets via their addresses. Needs one layer-2 network.",
      '没有封装：每个节点把其他节点的 Pod 子网路由到对方地址。要求所有节点在同一个二层网络。',
    ),
  },
  {
    id: 'mode2-egress-flannel',
    file: 'mode2-egress-flannel.yaml',
    mode: 2,
    section: '2.2',
    teaches: ['dns'],
    title: text('A Pod calls the Internet: flannel masquerades', 'Pod 访问互联网：flannel 做伪装'),
    summary: text(
      "CoreDNS forwards the name upstream; FLANNEL-POSTRTG rewrites the Pod's source to the node's address on the way out, and conntrack undoes it on the reply.",
      'CoreDNS 把名字转发给上游；FLANNEL-POSTRTG 在出站时把 Pod 的源地址改成节点的地址，应答回来时由 conntrack 还原。',
    ),
  },
  {
    id: 'mode2-egress-calico',
    file: 'mode2-egress-calico.yaml',
    mode: 2,
    section: '2.2',
    teaches: ['dns'],
    title: text(
      'A Pod calls the Internet: Calico natOutgoing',
      'Pod 访问互联网：Calico 的 natOutgoing',
    ),
    summary: text(
      "felix's cali-nat-outgoing masquerades what leaves the IPPool for an address in no pool (the ipsets cali40masq-ipam-pools and cali40network-ip-pools); a Pod in the pool keeps its own address, and conntrack undoes the masquerade on the reply.",
      'felix 的 cali-nat-outgoing 对从 IPPool 发往任何池之外地址的包做伪装（ipset cali40masq-ipam-pools 和 cali40network-ip-pools）；发往池内 Pod 的包保留自己的地址，应答回来时由 conntrack 撤销伪装。',
    ),
  },
  {
    id: 'mode2-egress-aws',
    file: 'mode2-egress-aws.yaml',
    mode: 2,
    section: '2.2',
    teaches: ['dns'],
    title: text(
      'A Pod calls the Internet: the AWS VPC CNI SNATs',
      'Pod 访问互联网：AWS VPC CNI 做 SNAT',
    ),
    summary: text(
      "AWS-SNAT-CHAIN-0 leaves the VPC's own addresses alone and rewrites the rest to the primary ENI's primary IP; the Internet gateway maps that to the node's public address.",
      'AWS-SNAT-CHAIN-0 对 VPC 自己的地址不做改动，其余的改写为主 ENI 的主 IP；互联网网关再把它映射为节点的公网地址。',
    ),
  },
  {
    id: 'mode2-calico-ipip',
    file: 'mode2-calico-ipip.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: CROSS_NODE },
    title: text('Calico IP-in-IP: tunl0', 'Calico IP-in-IP：tunl0'),
    summary: text(
      'No bridge: proxy ARP answers for 169.254.1.1, BIRD routes /26 blocks through tunl0, an outer IP header (protocol 4) costs 20 bytes.',
      '没有网桥：代理 ARP 应答 169.254.1.1，BIRD 通过 tunl0 路由 /26 地址块，外层 IP 头（协议 4）占 20 字节。',
    ),
  },
  {
    id: 'mode2-calico-same-node',
    file: 'mode2-calico-same-node.yaml',
    mode: 2,
    section: '2.1',
    switches: { cni: SAME_NODE },
    title: text('Calico on one node: routing, not switching', 'Calico 同节点：路由而非交换'),
    summary: text(
      "Calico has no bridge: even two Pods on one node talk through the host's routing table and /32 routes.",
      'Calico 没有网桥：即使同一节点上的两个 Pod 也通过主机路由表和 /32 路由通信。',
    ),
  },
  {
    id: 'mode2-calico-vxlan',
    file: 'mode2-calico-vxlan.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: CROSS_NODE },
    title: text('Calico VXLAN: vxlan.calico', 'Calico VXLAN：vxlan.calico'),
    summary: text(
      'Felix programs vxlan.calico (VNI 4096, UDP 4789) with a permanent ARP and FDB entry per remote node.',
      'Felix 为每个远端节点在 vxlan.calico（VNI 4096，UDP 4789）上写入永久的 ARP 和 FDB 表项。',
    ),
  },
  {
    id: 'mode2-calico-bgp',
    file: 'mode2-calico-bgp.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: CROSS_NODE },
    title: text('Calico BGP: every node a router', 'Calico BGP：每个节点都是路由器'),
    summary: text(
      "No encapsulation at all: BIRD announces each node's block and installs routes via the peer node.",
      '完全不封装：BIRD 宣告每个节点的地址块，并安装经对端节点的路由。',
    ),
  },
  {
    id: 'mode2-policy-default-deny',
    file: 'mode2-policy-default-deny.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: [...CROSS_NODE, 'cilium'] },
    title: text(
      'A default-deny NetworkPolicy: felix drops it at cali-tw',
      '默认拒绝的 NetworkPolicy：felix 在 cali-tw 丢弃它',
    ),
    summary: text(
      "A policy with podSelector {} and no ingress rules isolates every Pod of its namespace: on the web Pod's node, felix's chain for its veth finds no policy that passes the packet and drops it. Switch to flannel, which enforces no policy, and it gets through.",
      'podSelector 为 {} 且没有入站规则的策略会隔离其命名空间中的所有 Pod：在 web Pod 所在节点上，felix 为其 veth 建的链找不到放行这个包的策略，于是丢弃它。切换到不执行策略的 flannel，包就能通过。',
    ),
  },
  {
    id: 'mode2-policy-from-namespace',
    file: 'mode2-policy-from-namespace.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: [...CROSS_NODE, 'cilium'] },
    title: text(
      'Allow from a namespace: felix matches an IP set',
      '允许来自某个命名空间：felix 用 IP 集合匹配',
    ),
    summary: text(
      'The backend namespace denies all ingress but from namespaces labelled kubernetes.io/metadata.name: frontend. felix keeps the addresses of the Pods that selector selects in an ipset (cali40s:…) and its policy rule matches the source against it: the client in frontend gets in, the one in other is dropped, and the drop names the policies that isolate the Pod.',
      'backend 命名空间拒绝所有入站流量，只允许标签为 kubernetes.io/metadata.name: frontend 的命名空间。felix 把这个选择器选中的 Pod 的地址放进一个 ipset（cali40s:…），它的策略规则用这个集合匹配源地址：frontend 里的客户端能进入，other 里的被丢弃，丢弃说明了隔离这个 Pod 的策略。',
    ),
  },
  {
    id: 'mode2-policy-and-or',
    file: 'mode2-policy-and-or.yaml',
    mode: 2,
    section: '2.2',
    switches: { cni: CROSS_NODE },
    title: text('The AND/OR trap: one from element or two', 'AND/OR 陷阱：一个 from 元素还是两个'),
    summary: text(
      'namespaceSelector and podSelector in one from element must both match (AND); as two elements either may (OR). The same Pod without role=client is dropped by the first form and let in by the second: felix renders the first as one rule with one ipset, the second as two rules.',
      '同一个 from 元素里的 namespaceSelector 和 podSelector 必须同时匹配（AND）；写成两个元素则匹配其一即可（OR）。同一个没有 role=client 标签的 Pod 被第一种写法丢弃，却被第二种放行：felix 把第一种写成一条规则、一个 ipset，把第二种写成两条规则。',
    ),
  },
  {
    id: 'mode2-policy-cilium',
    file: 'mode2-policy-cilium.yaml',
    mode: 2,
    section: '2.2',
    title: text(
      'NetworkPolicy on Cilium: identities and the policy map',
      'Cilium 上的 NetworkPolicy：身份与策略表',
    ),
    summary: text(
      "Cilium gives each Pod a security identity from its labels and carries the sender's in the VXLAN VNI. On the web Pod's node its endpoint's policy map is looked up by (identity, port, protocol): the frontend client's identity has an entry and gets in, the other client's has none and is dropped, \"Policy denied\", as hubble observe shows.",
      'Cilium 根据标签给每个 Pod 一个安全身份，并把发送方的身份放在 VXLAN 的 VNI 里。在 web Pod 所在节点上，它的端点策略表按（身份，端口，协议）查找：frontend 客户端的身份有对应条目，可以进入；另一个客户端的没有，被丢弃，原因 “Policy denied”，hubble observe 显示了这一点。',
    ),
  },
  {
    id: 'mode2-aws-vpc-cni',
    file: 'mode2-aws-vpc-cni.yaml',
    mode: 2,
    section: '2.2',
    title: text('AWS VPC CNI: Pods with VPC addresses', 'AWS VPC CNI：Pod 使用 VPC 地址'),
    summary: text(
      "Pods get secondary IPs of the node's ENIs; the VPC delivers them directly. Limited by IPs per instance.",
      'Pod 获得节点 ENI 的辅助 IP；VPC 直接投递。受限于每个实例的 IP 数量。',
    ),
  },
  {
    id: 'mode3-clusterip-iptables',
    file: 'mode3-clusterip-iptables.yaml',
    mode: 3,
    section: '3',
    // Cilium here replaces kube-proxy too: the same request without iptables (its own lesson is
    // mode3-clusterip-cilium).
    switches: { cni: [...CROSS_NODE, 'cilium'] },
    title: text('ClusterIP, kube-proxy iptables mode', 'ClusterIP：kube-proxy 的 iptables 模式'),
    summary: text(
      "The ClusterIP is bound to no interface: the client node's nat rules pick an endpoint and DNAT to it; conntrack undoes it on the reply.",
      'ClusterIP 不绑定在任何网卡上：客户端所在节点的 nat 规则挑选一个端点并 DNAT 过去；应答时由 conntrack 还原。',
    ),
  },
  {
    id: 'mode3-clusterip-cilium',
    file: 'mode3-clusterip-cilium.yaml',
    mode: 3,
    section: '3',
    title: text('ClusterIP, Cilium replacing kube-proxy', 'ClusterIP：Cilium 取代 kube-proxy'),
    summary: text(
      "No kube-proxy and no DNAT: Cilium's BPF program on the socket's connect() picks a backend, so the first packet already goes to it; BPF programs on the Pods' lxc devices and cilium_vxlan carry it across the nodes.",
      '没有 kube-proxy，也没有 DNAT：Cilium 挂在套接字 connect() 上的 BPF 程序挑选后端，第一个包就直接发往它；Pod 的 lxc 设备和 cilium_vxlan 上的 BPF 程序把它送过节点。',
    ),
  },
  {
    id: 'mode3-clusterip-nftables',
    file: 'mode3-clusterip-nftables.yaml',
    mode: 3,
    section: '3',
    switches: { cni: CROSS_NODE },
    title: text('ClusterIP, kube-proxy nftables mode', 'ClusterIP：kube-proxy 的 nftables 模式'),
    summary: text(
      'One table, ip kube-proxy: a verdict-map lookup finds the Service and numgen picks an endpoint, so the rules a packet meets do not grow with the number of Services.',
      '只有一张表 “ip kube-proxy”：一次 verdict map 查找找到 Service，numgen 挑选端点，所以包经过的规则数不随 Service 数量增长。',
    ),
  },
  {
    id: 'mode3-no-endpoints',
    file: 'mode3-no-endpoints.yaml',
    mode: 3,
    section: '3',
    // The text is about the REJECT rule; in IPVS mode the virtual service has no real server
    // and IPVS drops the SYN instead (src/sim/proxy/ipvs-hook.ts).
    switches: { proxy: ['iptables', 'nftables'] },
    title: text('A Service with no endpoints', '没有端点的 Service'),
    summary: text(
      "No Pod matches the selector: kube-proxy's REJECT rule refuses the connection at once.",
      '没有任何 Pod 匹配选择器：kube-proxy 的 REJECT 规则立即拒绝连接。',
    ),
  },
  {
    id: 'mode3-nodeport',
    file: 'mode3-nodeport.yaml',
    mode: 3,
    section: '3',
    switches: { cni: CROSS_NODE },
    title: text('NodePort: the same port on every node', 'NodePort：每个节点上的同一个端口'),
    summary: text(
      'Call node-2 on port 30080 and reach a Pod on node-3: KUBE-NODEPORTS, masquerade, DNAT, and the reply back through node-2.',
      '访问 node-2 的 30080 端口，到达 node-3 上的 Pod：KUBE-NODEPORTS、伪装、DNAT，应答再经 node-2 返回。',
    ),
  },
  {
    id: 'mode3-hairpin',
    file: 'mode3-hairpin.yaml',
    mode: 3,
    section: '3',
    // Every mode masquerades a hairpin connection; Calico has no bridge, which the text is about.
    switches: { proxy: PROXY },
    title: text(
      'Hairpin: a Pod reaches itself through its Service',
      'Hairpin：Pod 经由 Service 访问到自己',
    ),
    summary: text(
      'The DNAT picks the caller itself: the bridge must send the frame back out its own port (hairpin mode), and kube-proxy masquerades it.',
      'DNAT 选中了调用者自己：网桥必须把帧从它进来的端口送回（hairpin 模式），kube-proxy 还要对它做伪装。',
    ),
  },
  {
    id: 'mode3-clusterip-ipvs',
    file: 'mode3-clusterip-ipvs.yaml',
    mode: 3,
    section: '3',
    switches: { cni: CROSS_NODE },
    title: text('ClusterIP, kube-proxy IPVS mode', 'ClusterIP：kube-proxy 的 IPVS 模式'),
    summary: text(
      'The ClusterIP sits on the dummy device kube-ipvs0; IPVS picks an endpoint at LOCAL_IN from a hash table, whatever the number of Services.',
      'ClusterIP 绑定在虚拟设备 kube-ipvs0 上；IPVS 在 LOCAL_IN 处从哈希表中选出端点，无论 Service 有多少都一样快。',
    ),
  },
  {
    id: 'mode3-userspace',
    file: 'mode3-userspace.yaml',
    mode: 3,
    section: '3',
    title: text(
      'ClusterIP, kube-proxy userspace mode (history)',
      'ClusterIP：kube-proxy 的 userspace 模式（历史）',
    ),
    summary: text(
      'Before v1.26: iptables REDIRECTs the ClusterIP to kube-proxy itself, which opens a second connection to an endpoint and copies every byte through user space.',
      'v1.26 之前：iptables 把 ClusterIP 的流量 REDIRECT 给 kube-proxy 自己，由它向端点另开一个连接，每个字节都要经过用户态复制。',
    ),
  },
  {
    id: 'mode3-loadbalancer',
    file: 'mode3-loadbalancer.yaml',
    mode: 3,
    section: '3',
    switches: { cni: CROSS_NODE, proxy: PROXY },
    title: text(
      'LoadBalancer: the cloud address, short-cut inside the cluster',
      'LoadBalancer：云负载均衡器的地址，在集群内部走捷径',
    ),
    summary: text(
      'The cloud controller gives the Service an external address; kube-proxy captures it on every node, so a Pod calling it is DNATed on its own node and never reaches the cloud load balancer.',
      '云控制器为 Service 分配一个外部地址；kube-proxy 在每个节点上截获它，所以 Pod 访问这个地址时在自己的节点上就被 DNAT，根本到不了云负载均衡器。',
    ),
  },
  {
    id: 'mode3-source-ranges',
    file: 'mode3-source-ranges.yaml',
    mode: 3,
    section: '3',
    title: text(
      'loadBalancerSourceRanges: who may use the load balancer',
      'loadBalancerSourceRanges：谁可以使用负载均衡器',
    ),
    summary: text(
      'A source outside the allowed ranges is not DNATed by the KUBE-FW chain, and KUBE-PROXY-FIREWALL drops it.',
      '不在允许网段内的源地址不会被 KUBE-FW 链 DNAT，随后被 KUBE-PROXY-FIREWALL 丢弃。',
    ),
  },
  {
    id: 'mode3-externalname',
    file: 'mode3-externalname.yaml',
    mode: 3,
    section: '3',
    // The answer (a CNAME) is the lesson.
    teaches: ['dns'],
    // kube-proxy serves only the DNS query here (the kube-dns ClusterIP). Not nftables: the
    // request leaves the cluster masqueraded by felix, and beside kube-proxy's nftables mode
    // felix may program nftables itself (FelixConfiguration nftablesMode), which PodPath does
    // not model; it would print felix's iptables rules there.
    switches: { cni: CROSS_NODE, proxy: ['iptables', 'ipvs'] },
    title: text('ExternalName: a DNS alias, no proxying', 'ExternalName：只是 DNS 别名，不做代理'),
    summary: text(
      'No ClusterIP and no kube-proxy rule: the cluster DNS answers a CNAME to a name outside the cluster, CoreDNS adds its address from upstream, and the client connects straight to it, masqueraded on the way out.',
      '没有 ClusterIP，也没有 kube-proxy 规则：集群 DNS 回答一条指向集群外部名字的 CNAME，CoreDNS 从上游补上它的地址，客户端直接连接这个地址，出站时被伪装。',
    ),
  },
  {
    id: 'mode3-headless',
    file: 'mode3-headless.yaml',
    mode: 3,
    section: '3',
    // The answer (the Pods' own addresses) is the lesson.
    teaches: ['dns'],
    switches: { cni: CROSS_NODE, proxy: PROXY },
    title: text('Headless Service: DNS gives the Pods', 'Headless Service：DNS 直接给出 Pod'),
    summary: text(
      "clusterIP: None: DNS answers the ready Pods' own addresses and the client connects straight to one, with no DNAT.",
      'clusterIP: None：DNS 直接回答就绪 Pod 自己的地址，客户端直接连接其中一个，不经过 DNAT。',
    ),
  },
  {
    id: 'mode3-not-ready',
    file: 'mode3-not-ready.yaml',
    mode: 3,
    section: '3',
    switches: { cni: CROSS_NODE },
    title: text('Endpoints that are not ready', '未就绪的端点'),
    summary: text(
      'A Pod with Ready=False is left out of the KUBE-SVC chain; a Service whose Pods are all not ready REJECTs.',
      'Ready=False 的 Pod 不会出现在 KUBE-SVC 链中；所有 Pod 都未就绪的 Service 会直接 REJECT。',
    ),
  },
  {
    id: 'mode3-scale-iptables',
    file: 'mode3-scale-iptables.yaml',
    mode: 3,
    section: '3',
    title: text('1,000 Services in iptables mode', 'iptables 模式下的 1000 个 Service'),
    summary: text(
      'The first packet of a connection is tested against the rules one by one: about a thousand of them before its Service matches.',
      '连接的第一个包要逐条检查规则：在匹配到它的 Service 之前，要检查大约一千条。',
    ),
  },
  {
    id: 'mode3-scale-ipvs',
    file: 'mode3-scale-ipvs.yaml',
    mode: 3,
    section: '3',
    title: text('1,000 Services in IPVS mode', 'IPVS 模式下的 1000 个 Service'),
    summary: text(
      'The same cluster: a handful of iptables rules that match ipsets, then one IPVS hash lookup, whatever the number of Services.',
      '同一个集群：几条匹配 ipset 的 iptables 规则，再加一次 IPVS 哈希查找，与 Service 的数量无关。',
    ),
  },
  {
    id: 'mode3-scale-nftables',
    file: 'mode3-scale-nftables.yaml',
    mode: 3,
    section: '3',
    title: text('1,000 Services in nftables mode', 'nftables 模式下的 1000 个 Service'),
    summary: text(
      'The same cluster: one lookup in the verdict map service-ips finds the Service, so the first packet meets the same few rules whatever the number of Services.',
      '同一个集群：在 verdict map “service-ips” 中查找一次就能找到 Service，所以无论有多少个 Service，第一个包经过的都是同样几条规则。',
    ),
  },
  {
    id: 'mode3-ipvs-least-connection',
    file: 'mode3-ipvs-least-connection.yaml',
    mode: 3,
    section: '3',
    title: text('IPVS least-connection scheduling', 'IPVS 最少连接调度'),
    summary: text(
      'Send the request again as new connections: ipvsadm counts them, and lc gives each new one to the Pod with the fewest.',
      '把请求作为新连接多发几次：ipvsadm 记下连接数，lc 把每个新连接交给连接最少的 Pod。',
    ),
  },
  {
    id: 'mode3-session-affinity',
    file: 'mode3-session-affinity.yaml',
    mode: 3,
    section: '3',
    switches: { cni: CROSS_NODE },
    title: text('Session affinity (ClientIP)', '会话亲和性（ClientIP）'),
    summary: text(
      'The recent match remembers the client: every new connection from it returns to the same Pod for 3 hours.',
      'recent 匹配记住了客户端：它之后的每个新连接在 3 小时内都回到同一个 Pod。',
    ),
  },
  {
    id: 'mode3-internal-traffic-policy',
    file: 'mode3-internal-traffic-policy.yaml',
    mode: 3,
    section: '3',
    // The text's DROP is a rule in iptables and nftables mode; IPVS drops for want of a real server.
    switches: { cni: CROSS_NODE, proxy: ['iptables', 'nftables'] },
    title: text('internalTrafficPolicy: Local', 'internalTrafficPolicy: Local'),
    summary: text(
      'Only endpoints on the client’s own node: a local Pod answers on one node, a DROP waits on the node that has none.',
      '只用客户端所在节点上的端点：有本地 Pod 的节点直接应答，没有的节点上等着它的是一条 DROP。',
    ),
  },
  {
    id: 'mode3-dns-search',
    file: 'mode3-dns-search.yaml',
    mode: 3,
    section: '3',
    // The search list and ndots are the lesson.
    teaches: ['dns'],
    switches: { cni: CROSS_NODE, proxy: PROXY },
    title: text('Cluster DNS: the search list and ndots', '集群 DNS：搜索列表与 ndots'),
    summary: text(
      'A short name in the same namespace resolves at once; a name in another namespace pays an NXDOMAIN round trip first.',
      '同一命名空间里的短名字一次就能解析；另一个命名空间里的名字要先白跑一趟 NXDOMAIN。',
    ),
  },
  {
    id: 'mode3-policy-forgot-dns',
    file: 'mode3-policy-forgot-dns.yaml',
    mode: 3,
    section: '3',
    // The lookup that is dropped is the lesson.
    teaches: ['dns'],
    title: text('An egress policy that forgets DNS', '忘了放行 DNS 的出站策略'),
    summary: text(
      "The client's policy allows TCP port 80 out, and nothing else: its DNS query to CoreDNS (UDP 53, already DNATed to the CoreDNS Pod when the filter table sees it) is dropped in cali-fw-<veth>, so the Service's name never resolves.",
      '客户端的策略只放行出站 TCP 80 端口：它发往 CoreDNS 的 DNS 查询（UDP 53，filter 表看到它时已被 DNAT 到 CoreDNS Pod）在 cali-fw-<veth> 中被丢弃，所以 Service 的名字始终解析不出来。',
    ),
  },
  {
    id: 'mode4-nodeport-cilium',
    file: 'mode4-nodeport-cilium.yaml',
    mode: 4,
    section: '4',
    title: text(
      'From the Internet to a NodePort, Cilium replacing kube-proxy',
      '从互联网访问 NodePort：Cilium 取代 kube-proxy',
    ),
    summary: text(
      "Cilium's BPF program on node-1's eth0 finds the NodePort in its Services map, picks the backend on node-2, SNATs the packet to node-1's router address and tunnels it there; the reply returns through node-1, where BPF undoes both translations from Cilium's own NAT and conntrack maps, not netfilter's.",
      'Cilium 挂在 node-1 的 eth0 上的 BPF 程序在 Services 表中找到这个 NodePort，挑选 node-2 上的后端，把包 SNAT 为 node-1 的路由器地址并经隧道送过去；应答经 node-1 返回，BPF 用 Cilium 自己的 NAT 表和 conntrack 表（不是 netfilter 的）撤销这两次转换。',
    ),
  },
  {
    id: 'mode4-nodeport-traffic-policy',
    file: 'mode4-nodeport-traffic-policy.yaml',
    mode: 4,
    section: '4',
    // The text's drop on a node without an endpoint is iptables' and nftables'. IPVS mode puts
    // every endpoint behind a Local node port when the node has none (kubernetes#97081, as
    // src/sim/proxy/ipvs.ts builds it), so it delivers there: IPVS is not offered. Cilium
    // replacing kube-proxy keeps the lesson true in its own BPF path (cil_from_netdev SNATs a
    // Cluster-policy request to its router address; a Local frontend holds only the node's
    // backends and drops with DROP_NO_SERVICE elsewhere); it takes no kube-proxy mode.
    switches: { cni: [...CROSS_NODE, 'cilium'], proxy: ['iptables', 'nftables'] },
    title: text(
      'From the Internet to a NodePort: externalTrafficPolicy',
      '从互联网访问 NodePort：externalTrafficPolicy',
    ),
    summary: text(
      'Cluster: any node forwards and masquerades, so the Pod loses the client address. Local: the client address is kept, and nodes without an endpoint drop.',
      'Cluster：任何节点都会转发并做伪装，Pod 看不到客户端地址。Local：保留客户端地址，没有端点的节点直接丢弃。',
    ),
  },
  {
    id: 'mode4-loadbalancer-traffic-policy',
    file: 'mode4-loadbalancer-traffic-policy.yaml',
    mode: 4,
    section: '4',
    switches: { cni: CROSS_NODE, proxy: PROXY },
    title: text(
      'From the Internet through a cloud load balancer: Cluster against Local',
      '从互联网经云负载均衡器进入：Cluster 与 Local 对比',
    ),
    summary: text(
      'The balancer picks a node and forwards to its nodePort. Cluster: any node, maybe a second hop and a masquerade. Local: health checks send it only to the node with an endpoint, and the client address survives.',
      '负载均衡器选择一个节点，转发到它的 nodePort。Cluster：任何节点都可能被选中，可能多一跳并做伪装。Local：健康检查让它只发往有端点的节点，客户端地址得以保留。',
    ),
  },
  {
    id: 'mode4-ingress-nginx',
    file: 'mode4-ingress-nginx.yaml',
    mode: 4,
    section: '4',
    switches: { cni: CROSS_NODE, proxy: PROXY },
    title: text(
      'Ingress with ingress-nginx: host and path rules, 404, defaultBackend',
      'Ingress 与 ingress-nginx：主机与路径规则、404、defaultBackend',
    ),
    summary: text(
      'www.example.com resolves to the load balancer; the controller Pod ends the connection, matches host and longest path in the nginx.conf it generated, and opens a new one to a Pod IP with X-Forwarded-For. No match: 404; another host: the defaultBackend.',
      'www.example.com 解析到负载均衡器；控制器 Pod 终结连接，在它生成的 nginx.conf 中匹配主机和最长路径，再带着 X-Forwarded-For 新建一个到 Pod IP 的连接。不匹配：404；其他主机：defaultBackend。',
    ),
  },
  {
    id: 'mode4-ingress-tls',
    file: 'mode4-ingress-tls.yaml',
    mode: 4,
    section: '4',
    switches: { cni: CROSS_NODE, proxy: PROXY },
    title: text(
      'Ingress TLS: SNI, termination, plain HTTP inside',
      'Ingress TLS：SNI、终止、集群内明文',
    ),
    summary: text(
      'The controller picks the certificate from the Secret named in spec.tls by SNI, decrypts, routes, and talks plain HTTP to the Pod with X-Forwarded-Proto: https. Plain HTTP to the same host gets a 308 redirect.',
      '控制器按 SNI 从 spec.tls 指定的 Secret 中选出证书，解密、选路，再以明文 HTTP 访问 Pod，并带上 X-Forwarded-Proto: https。对同一主机的明文 HTTP 请求会得到 308 重定向。',
    ),
  },
  {
    id: 'mode4-gateway-httproute',
    file: 'mode4-gateway-httproute.yaml',
    mode: 4,
    section: '4',
    switches: { cni: CROSS_NODE, proxy: PROXY },
    title: text(
      'Gateway API: roles, HTTPRoute weights, a route that does not attach',
      'Gateway API：角色分工、HTTPRoute 权重、挂不上的路由',
    ),
    summary: text(
      'GatewayClass (provider), Gateway (operator), HTTPRoute (developer). Envoy Gateway runs an Envoy Pod for the Gateway; it splits traffic 90/10 between two versions, and answers 404 for a route from another namespace that its listener does not allow.',
      'GatewayClass（提供者）、Gateway（运维者）、HTTPRoute（开发者）。Envoy Gateway 为 Gateway 运行一个 Envoy Pod；它按 90/10 在两个版本之间分流，而对于来自其他命名空间、监听器不允许的路由，其主机得到 404。',
    ),
  },
  {
    id: 'mode4-capstone',
    file: 'mode4-capstone.yaml',
    mode: 4,
    section: '4',
    // Public DNS is the first leg of the journey the capstone follows end to end.
    teaches: ['dns'],
    // The text follows the Calico IPIP tunnel, so only kube-proxy's mode switches.
    switches: { proxy: PROXY },
    title: text(
      'Capstone: from the Internet to a Pod and back',
      '综合：从互联网到 Pod，再原路返回',
    ),
    summary: text(
      'Public DNS, the cloud load balancer and its health checks, kube-proxy to the controller Pod, TLS termination and host/path routing in ingress-nginx, a new connection to the Service, kube-proxy and the IPIP tunnel to the Pod, and every translation undone on the way back.',
      '公共 DNS、云负载均衡器及其健康检查、kube-proxy 转到控制器 Pod、ingress-nginx 终止 TLS 并按主机和路径选路、新建到 Service 的连接、kube-proxy 和 IPIP 隧道到达 Pod，回程中每一次地址转换都被还原。',
    ),
  },
]
