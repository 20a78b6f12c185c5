/**
 * The built-in lessons: one scenario file each (plain YAML beside this file), arranged as the
 * curriculum's tree: cluster networking -> the four modes -> their lessons.
 */
import { text, type Text } from '../model/text.ts'

export interface LessonMeta {
  id: string
  /** The file beside this one. */
  file: string
  mode: 1 | 2 | 3 | 4
  /** The curriculum item, e.g. "2.2". */
  section: string
  title: Text
  summary: Text
}

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
    title: text('flannel host-gw: the node is the gateway', 'flannel host-gw：节点就是网关'),
    summary: text(
      "No encapsulation: each node routes the other nodes' Pod subnets via their addresses. Needs one layer-2 network.",
      '没有封装：每个节点把其他节点的 Pod 子网路由到对方地址。要求所有节点在同一个二层网络。',
    ),
  },
  {
    id: 'mode2-calico-ipip',
    file: 'mode2-calico-ipip.yaml',
    mode: 2,
    section: '2.2',
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
    title: text('Calico BGP: every node a router', 'Calico BGP：每个节点都是路由器'),
    summary: text(
      "No encapsulation at all: BIRD announces each node's block and installs routes via the peer node.",
      '完全不封装：BIRD 宣告每个节点的地址块，并安装经对端节点的路由。',
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
    title: text('ClusterIP, kube-proxy iptables mode', 'ClusterIP：kube-proxy 的 iptables 模式'),
    summary: text(
      "The ClusterIP is bound to no interface: the client node's nat rules pick an endpoint and DNAT to it; conntrack undoes it on the reply.",
      'ClusterIP 不绑定在任何网卡上：客户端所在节点的 nat 规则挑选一个端点并 DNAT 过去；应答时由 conntrack 还原。',
    ),
  },
  {
    id: 'mode3-no-endpoints',
    file: 'mode3-no-endpoints.yaml',
    mode: 3,
    section: '3',
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
]
