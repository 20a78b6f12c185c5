/**
 * Every term the lessons' narrations use, explained in PodPath's own words in English and
 * Simplified Chinese, each with its primary source. `glossary.test.ts` checks that no narration
 * of a golden trace mentions a watched technical word that has no entry here.
 */
import { text } from '../../model/text.ts'
import type { GlossaryEntry, Topic } from './entry.ts'

// An ASCII term as a word of its own, not part of a longer name: cni0, flannel.1,
// ingress-nginx-controller-6c888d4b78-jf92l or net.bridge.bridge-nf-call-iptables are names
// the narration prints, not uses of "bridge" or "iptables".
const B = '(?<![\\w./-])'
const E = '(?![\\w/-]|\\.\\w)'
const w = (src: string) => `${B}(?:${src})${E}`
const re = (...alts: string[]) => new RegExp(alts.join('|'))
const rei = (...alts: string[]) => new RegExp(alts.join('|'), 'i')

const K8S = 'https://kubernetes.io/docs'
const MAN = 'https://man7.org/linux/man-pages'
const RFC = (n: number) => ({ title: `RFC ${n}`, url: `https://www.rfc-editor.org/rfc/rfc${n}` })
const SERVICE = {
  title: 'Kubernetes: Service',
  url: `${K8S}/concepts/services-networking/service/`,
}
const VIRTUAL_IPS = {
  title: 'Kubernetes: Virtual IPs and Service Proxies',
  url: `${K8S}/reference/networking/virtual-ips/`,
}
const DNS = {
  title: 'Kubernetes: DNS for Services and Pods',
  url: `${K8S}/concepts/services-networking/dns-pod-service/`,
}
const INGRESS = {
  title: 'Kubernetes: Ingress',
  url: `${K8S}/concepts/services-networking/ingress/`,
}
const GATEWAY = {
  title: 'Kubernetes: Gateway API',
  url: `${K8S}/concepts/services-networking/gateway/`,
}
const IPT_EXT = { title: 'iptables-extensions(8)', url: `${MAN}/man8/iptables-extensions.8.html` }
const IP_SYSCTL = {
  title: 'Linux kernel: IP sysctl',
  url: 'https://docs.kernel.org/networking/ip-sysctl.html',
}
const PROXIER = {
  title: 'kube-proxy source: pkg/proxy/iptables/proxier.go',
  url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/iptables/proxier.go',
}
const LB = {
  title: 'Kubernetes: Create an External Load Balancer',
  url: `${K8S}/tasks/access-application-cluster/create-external-load-balancer/`,
}

type Def = Omit<GlossaryEntry, 'topic'>

function topic(t: Topic, defs: Def[]): GlossaryEntry[] {
  return defs.map((d) => ({ ...d, topic: t }))
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  ...topic('pod', [
    {
      id: 'ip',
      term: text('IP address', 'IP 地址'),
      match: { en: re(w('IP(?:v4)?')), 'zh-CN': re(w('IP(?:v4)?')) },
      short: text(
        "A host's address on the network, written as four numbers (IPv4). Every Pod has its own; a ClusterIP is one that no device holds.",
        '主机在网络上的地址，写成四个数字（IPv4）。每个 Pod 都有自己的 IP；ClusterIP 则是不属于任何设备的地址。',
      ),
      source: RFC(791),
    },
    {
      id: 'tcp',
      term: text('TCP', 'TCP'),
      match: { en: re(w('TCP')), 'zh-CN': re(w('TCP')) },
      short: text(
        'The connection protocol under HTTP: a handshake, then a byte stream between two address-port pairs. Every packet of a connection carries the same four numbers, which is what conntrack follows.',
        'HTTP 之下的面向连接的协议：先握手，然后在两个“地址:端口”之间传输字节流。一个连接的每个包都带着同样的四个数字，conntrack 正是据此跟踪连接。',
      ),
      source: RFC(9293),
    },
    {
      id: 'udp',
      term: text('UDP', 'UDP'),
      match: { en: re(w('UDP')), 'zh-CN': re(w('UDP')) },
      short: text(
        'Datagrams with ports and no connection: DNS queries travel in it, and VXLAN wraps frames in it.',
        '带端口、无连接的数据报协议：DNS 查询用它传输，VXLAN 也用它来封装帧。',
      ),
      source: RFC(768),
    },
    {
      id: 'http',
      term: text('HTTP request', 'HTTP 请求'),
      match: { en: re(w('HTTP'), w('GET')), 'zh-CN': re(w('HTTP'), w('GET')) },
      short: text(
        'A method and path ("GET /api") with headers such as Host, sent over TCP; an L7 proxy reads them to choose where the request goes.',
        '一个方法和路径（“GET /api”）加上 Host 等头，通过 TCP 发送；七层代理读取它们来决定请求的去向。',
      ),
      source: RFC(9110),
    },
    {
      id: 'socket',
      term: text('socket', '套接字（socket）'),
      match: { en: /\bsockets?\b/, 'zh-CN': re('套接字', '\\bsockets?\\b') },
      short: text(
        "A process's end of a connection, bound to an address and port. The kernel hands an arriving packet to the socket listening on its destination port, in the packet's network namespace.",
        '进程在连接上的一端，绑定到一个地址和端口。内核把到达的包交给包所在网络命名空间中、监听其目的端口的套接字。',
      ),
      source: { title: 'socket(7)', url: `${MAN}/man7/socket.7.html` },
    },
    {
      id: 'network-namespace',
      term: text('network namespace', '网络命名空间'),
      match: { en: /\bnetwork namespaces?\b/i, 'zh-CN': re('网络命名空间', '命名空间') },
      short: text(
        "A private copy of the kernel's network stack: its own devices, addresses, routes, neighbour table and firewall rules. Every Pod gets one; the node has its own.",
        '内核网络栈的一份独立副本：有自己的设备、地址、路由、邻居表和防火墙规则。每个 Pod 有一个，节点也有自己的一个。',
      ),
      source: { title: 'network_namespaces(7)', url: `${MAN}/man7/network_namespaces.7.html` },
    },
    {
      id: 'pause',
      term: text('pause (sandbox) container', 'pause（沙箱）容器'),
      match: {
        en: rei('\\bpause container\\b', '\\bsandbox\\b'),
        'zh-CN': re('沙箱', 'pause 容器'),
      },
      short: text(
        "A tiny container the runtime starts first for every Pod. It does nothing but hold the Pod's network namespace, which the app containers then join.",
        '容器运行时为每个 Pod 最先启动的一个极小容器。它什么也不做，只是持有 Pod 的网络命名空间，应用容器随后加入这个命名空间。',
      ),
      source: {
        title: 'Kubernetes source: build/pause',
        url: 'https://github.com/kubernetes/kubernetes/tree/master/build/pause',
      },
    },
    {
      id: 'loopback',
      term: text('loopback (lo)', '回环设备（lo）'),
      match: { en: /\bloopback\b/i, 'zh-CN': re('回环', 'loopback') },
      short: text(
        'The device lo in every network namespace: what is sent to it comes straight back in, never leaving the namespace. 127.0.0.1 lives on it.',
        '每个网络命名空间里的 lo 设备：发给它的包立即原路回到本命名空间，永远不会离开。127.0.0.1 就在它上面。',
      ),
      source: RFC(1122),
    },
    {
      id: 'localhost',
      term: text('localhost', 'localhost'),
      match: { en: re(w('localhost')), 'zh-CN': re(w('localhost')) },
      short: text(
        "The name of the loopback address 127.0.0.1. Containers of one Pod share a network namespace, so each reaches the others' ports on localhost.",
        '回环地址 127.0.0.1 的名字。同一 Pod 的容器共享网络命名空间，所以彼此通过 localhost 访问对方的端口。',
      ),
      source: RFC(6761),
    },
    {
      id: 'ephemeral-port',
      term: text('ephemeral port', '临时端口'),
      match: { en: /\bephemeral (?:port|range)/i, 'zh-CN': re('临时端口') },
      short: text(
        'The source port the kernel picks for an outgoing connection, from net.ipv4.ip_local_port_range (32768-60999 by default).',
        '内核为发出的连接挑选的源端口，取自 net.ipv4.ip_local_port_range（默认 32768-60999）。',
      ),
      source: IP_SYSCTL,
    },
    {
      id: 'kubelet',
      term: text('kubelet', 'kubelet'),
      match: { en: re(w('kubelet')), 'zh-CN': re(w('kubelet')) },
      short: text(
        "The agent on every node that starts a Pod's containers through the runtime, asks the CNI plugin for its network, and writes its /etc/resolv.conf.",
        '每个节点上的代理：通过容器运行时启动 Pod 的容器，调用 CNI 插件配置网络，并为它写好 /etc/resolv.conf。',
      ),
      source: { title: 'kubelet', url: `${K8S}/reference/command-line-tools-reference/kubelet/` },
    },
    {
      id: 'kubeadm',
      term: text('kubeadm', 'kubeadm'),
      match: { en: re(w('kubeadm')), 'zh-CN': re(w('kubeadm')) },
      short: text(
        "Kubernetes' own tool to set up a cluster. PodPath's defaults (Service range, CoreDNS configuration, sysctls) are the ones it uses.",
        'Kubernetes 官方的集群搭建工具。PodPath 的默认值（Service 网段、CoreDNS 配置、内核参数）都取自它。',
      ),
      source: { title: 'kubeadm', url: `${K8S}/reference/setup-tools/kubeadm/` },
    },
    {
      id: 'api-server',
      term: text('API server', 'API server'),
      match: { en: /\bAPI server\b/, 'zh-CN': re('API server', 'API 服务器') },
      short: text(
        'The Kubernetes control plane component every other one talks to: kube-proxy, CoreDNS and Ingress controllers watch Services, EndpointSlices and routes through it.',
        '所有其他组件都与之通信的控制平面组件：kube-proxy、CoreDNS 和 Ingress 控制器都通过它监视 Service、EndpointSlice 和路由规则。',
      ),
      source: {
        title: 'kube-apiserver',
        url: `${K8S}/reference/command-line-tools-reference/kube-apiserver/`,
      },
    },
  ]),
  ...topic('link', [
    {
      id: 'veth',
      term: text('veth pair', 'veth 对'),
      match: { en: re(w('veth(?: pairs?)?')), 'zh-CN': re(w('veth(?: 对)?')) },
      short: text(
        'Two virtual Ethernet devices joined like a cable: what goes in one end comes out of the other. A CNI plugin puts one end in the Pod (its eth0) and the other on the node.',
        '像网线一样连在一起的两个虚拟以太网设备：从一端进去的帧从另一端出来。CNI 插件把一端放进 Pod（即它的 eth0），另一端留在节点上。',
      ),
      source: { title: 'veth(4)', url: `${MAN}/man4/veth.4.html` },
    },
    {
      id: 'bridge',
      term: text('Linux bridge', 'Linux 网桥'),
      match: { en: re(`${B}[Bb]ridges?(?! fdb)${E}`), 'zh-CN': re('网桥') },
      short: text(
        "A virtual switch in the kernel (cni0, docker0): its ports are the host ends of the Pods' veth pairs, and it forwards frames between them by MAC address.",
        '内核里的虚拟交换机（cni0、docker0）：它的端口是各 Pod veth 对在主机上的一端，按 MAC 地址在端口之间转发帧。',
      ),
      source: {
        title: 'Linux kernel: Ethernet Bridging',
        url: 'https://docs.kernel.org/networking/bridge.html',
      },
    },
    {
      id: 'fdb',
      term: text('FDB (forwarding database)', 'FDB（转发表）'),
      match: {
        en: re(w('FDB'), '\\bforwarding database\\b'),
        'zh-CN': re(w('FDB'), '转发表'),
      },
      short: text(
        'The table a bridge (or a VXLAN device) keeps of which MAC address lives behind which port, or at which remote node; `bridge fdb show` prints it.',
        '网桥（或 VXLAN 设备）维护的表：哪个 MAC 地址在哪个端口后面，或在哪个远端节点上；用 `bridge fdb show` 查看。',
      ),
      source: { title: 'bridge(8)', url: `${MAN}/man8/bridge.8.html` },
    },
    {
      id: 'arp',
      term: text('ARP', 'ARP'),
      match: { en: re(w('ARP')), 'zh-CN': re(w('ARP')) },
      short: text(
        'Address Resolution Protocol: a broadcast "who has this IP?" on the local link, answered with the MAC address to send the frame to.',
        '地址解析协议：在本地链路上广播“谁拥有这个 IP？”，对方回答应该把帧发往的 MAC 地址。',
      ),
      source: RFC(826),
    },
    {
      id: 'mac',
      term: text('MAC address', 'MAC 地址'),
      match: { en: re(w('MACs?')), 'zh-CN': re(w('MACs?')) },
      short: text(
        'The 48-bit hardware address of an Ethernet device. Frames on a link are addressed by MAC; IP addresses only choose the next hop.',
        '以太网设备的 48 位硬件地址。链路上的帧按 MAC 地址投递；IP 地址只决定下一跳。',
      ),
      source: RFC(7042),
    },
    {
      id: 'neighbour',
      term: text('neighbour table', '邻居表'),
      match: { en: /\bneighbou?r (?:table|entry|entries)\b/i, 'zh-CN': re('邻居表') },
      short: text(
        "The kernel's ARP cache: the MAC address of each next hop it has resolved on each device, printed by `ip neigh`.",
        '内核的 ARP 缓存：每个设备上已解析出的下一跳 MAC 地址，用 `ip neigh` 查看。',
      ),
      source: { title: 'ip-neighbour(8)', url: `${MAN}/man8/ip-neighbour.8.html` },
    },
    {
      id: 'proxy-arp',
      term: text('proxy ARP', '代理 ARP'),
      match: { en: rei('\\bproxy[ _]arp\\b'), 'zh-CN': rei('\\bproxy[ _]arp\\b', '代理 ARP') },
      short: text(
        "A device answering ARP for addresses that are not its own. Calico turns it on for the host end of each Pod's veth, so the Pod's gateway 169.254.1.1 is answered by the node.",
        '设备替并非自己的地址回答 ARP。Calico 在每个 Pod veth 的主机端开启它，于是 Pod 的网关 169.254.1.1 由节点来应答。',
      ),
      source: IP_SYSCTL,
    },
    {
      id: 'hairpin',
      term: text('hairpin mode', 'hairpin 模式'),
      match: { en: /\bhairpin(?:Mode)?\b/i, 'zh-CN': re('hairpin', '发夹') },
      short: text(
        'A bridge port setting that lets a frame go back out of the port it came in by. A Pod reaching its own Service needs it when the load balancer picks the Pod itself.',
        '网桥端口的一个设置：允许帧从进入的端口再发回去。Pod 访问自己的 Service 且恰好被分到自己时需要它。',
      ),
      source: {
        title: 'CNI bridge plugin (hairpinMode)',
        url: 'https://www.cni.dev/plugins/current/main/bridge/',
      },
    },
    {
      id: 'mtu',
      term: text('MTU', 'MTU'),
      match: { en: re(w('MTU')), 'zh-CN': re(w('MTU')) },
      short: text(
        "Maximum transmission unit: the largest packet a device sends in one piece. An overlay's outer headers take room, so the Pods get a smaller MTU than the node.",
        '最大传输单元：设备一次能发送的最大包。覆盖网络的外层头部要占空间，所以 Pod 的 MTU 比节点的小。',
      ),
      source: RFC(1191),
    },
  ]),
  ...topic('route', [
    {
      id: 'longest-prefix',
      term: text('longest prefix match', '最长前缀匹配'),
      match: { en: /\blongest (?:matching route|prefix)/i, 'zh-CN': re('最长前缀') },
      short: text(
        'How the kernel picks a route: of all routes whose prefix contains the destination, the one with the longest prefix wins (a /24 before a /16 before default).',
        '内核选路由的方法：在所有包含目的地址的路由中，前缀最长的胜出（/24 优先于 /16，再优先于 default）。',
      ),
      source: { title: 'ip-route(8)', url: `${MAN}/man8/ip-route.8.html` },
    },
    {
      id: 'on-link',
      term: text('on-link', '直连（on-link）'),
      match: { en: rei(w('on-?link')), 'zh-CN': rei(w('on-?link'), '同一链路', '直连') },
      short: text(
        'A route with no gateway, or one marked `onlink`: the destination (or the next hop) is reached directly on that device, by ARP for its MAC.',
        '没有网关的路由，或标记了 `onlink` 的路由：目的地址（或下一跳）直接在该设备上可达，用 ARP 查它的 MAC。',
      ),
      source: { title: 'ip-route(8)', url: `${MAN}/man8/ip-route.8.html` },
    },
    {
      id: 'ip-forward',
      term: text('IP forwarding (ip_forward)', 'IP 转发（ip_forward）'),
      match: { en: re('\\bip_forward\\b'), 'zh-CN': re('\\bip_forward\\b') },
      short: text(
        'net.ipv4.ip_forward=1 lets a node route packets that are not for itself, from one device to another, decrementing their TTL. Every Kubernetes node needs it.',
        'net.ipv4.ip_forward=1 允许节点转发不是发给自己的包，从一个设备转到另一个，并把 TTL 减一。每个 Kubernetes 节点都需要它。',
      ),
      source: IP_SYSCTL,
    },
    {
      id: 'ttl',
      term: text('TTL', 'TTL'),
      match: { en: re(w('TTL')), 'zh-CN': re(w('TTL')) },
      short: text(
        'Time to live: an IP header field every router decrements; at 0 the packet is dropped. In DNS, TTL is instead how long an answer may be cached.',
        '生存时间：每经过一个路由器减一的 IP 头字段，减到 0 时包被丢弃。在 DNS 中，TTL 则表示应答可以缓存多久。',
      ),
      source: RFC(791),
    },
    {
      id: 'underlay',
      term: text('underlay (node network)', '底层网络（节点网络）'),
      match: {
        en: rei(w('underlay'), '\\bnode network\\b'),
        'zh-CN': re(w('underlay'), '底层网络', '节点网络'),
      },
      short: text(
        "The real network between the nodes, which knows only the nodes' own addresses. Pod traffic crosses it either wrapped (an overlay) or routed (BGP, host-gw, a VPC).",
        '节点之间真实的网络，只认识节点自己的地址。Pod 流量要么被封装（覆盖网络）、要么被路由（BGP、host-gw、VPC）穿过它。',
      ),
      source: RFC(7365),
    },
    {
      id: 'cni',
      term: text('CNI (Container Network Interface)', 'CNI（容器网络接口）'),
      match: { en: re(w('CNI')), 'zh-CN': re(w('CNI')) },
      short: text(
        'The interface between the runtime and a network plugin: the plugin gives each Pod its interface and address, and makes Pod IPs reachable from every node.',
        '容器运行时与网络插件之间的接口：插件给每个 Pod 配置网卡和地址，并让 Pod IP 在所有节点间可达。',
      ),
      source: { title: 'CNI specification', url: 'https://www.cni.dev/docs/spec/' },
    },
    {
      id: 'bgp',
      term: text('BGP', 'BGP'),
      match: { en: re(w('BGP')), 'zh-CN': re(w('BGP')) },
      short: text(
        'Border Gateway Protocol: routers tell each other which prefixes they can reach. With Calico in BGP mode every node announces its Pod block, so no encapsulation is needed.',
        '边界网关协议：路由器互相通告自己能到达的前缀。Calico 的 BGP 模式下，每个节点通告自己的 Pod 地址块，因此无需封装。',
      ),
      source: RFC(4271),
    },
    {
      id: 'bird',
      term: text('BIRD', 'BIRD'),
      match: { en: re(w('BIRD')), 'zh-CN': re(w('BIRD')) },
      short: text(
        "The routing daemon Calico runs on each node to speak BGP: it announces the node's Pod blocks and installs the routes it learns from the other nodes.",
        'Calico 在每个节点上运行的路由守护进程，负责 BGP：通告本节点的 Pod 地址块，并安装从其他节点学到的路由。',
      ),
      source: { title: 'The BIRD Internet Routing Daemon', url: 'https://bird.network.cz/' },
    },
    {
      id: 'host-gw',
      term: text('host-gw', 'host-gw'),
      match: { en: re(w('host-gw')), 'zh-CN': re(w('host-gw')) },
      short: text(
        "flannel's backend that routes each node's Pod subnet via that node's IP, with no encapsulation. It needs every node on one layer-2 segment.",
        'flannel 的一种后端：把每个节点的 Pod 子网路由到该节点的 IP，不做封装。要求所有节点在同一个二层网段。',
      ),
      source: {
        title: 'flannel backends',
        url: 'https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md',
      },
    },
    {
      id: 'flannel',
      term: text('flannel', 'flannel'),
      match: { en: rei(w('flannel')), 'zh-CN': rei(w('flannel')) },
      short: text(
        'A simple CNI network: one subnet per node, joined by a VXLAN overlay (flannel.1) or by host-gw routes.',
        '一个简单的 CNI 网络：每个节点一个子网，通过 VXLAN 覆盖网络（flannel.1）或 host-gw 路由互通。',
      ),
      source: {
        title: 'flannel backends',
        url: 'https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md',
      },
    },
    {
      id: 'calico',
      term: text('Calico', 'Calico'),
      match: { en: re(w('Calico')), 'zh-CN': re(w('Calico')) },
      short: text(
        "A CNI network that routes every Pod's /32 on the node, answers the Pods' ARP by proxy, and joins nodes by IP-in-IP, VXLAN or plain BGP routes.",
        '一种 CNI 网络：在节点上为每个 Pod 的 /32 建路由，用代理 ARP 应答 Pod 的 ARP，节点之间通过 IP-in-IP、VXLAN 或纯 BGP 路由互通。',
      ),
      source: {
        title: 'Calico: overlay networking',
        url: 'https://docs.tigera.io/calico/latest/networking/configuring/vxlan-ipip',
      },
    },
    {
      id: 'vpc',
      term: text('VPC', 'VPC'),
      match: { en: re(w('VPC')), 'zh-CN': re(w('VPC')) },
      short: text(
        "A cloud's private network. With the AWS VPC CNI, Pods get real VPC addresses, so the VPC itself routes Pod traffic between nodes.",
        '云上的私有网络。使用 AWS VPC CNI 时，Pod 拿到真实的 VPC 地址，由 VPC 本身在节点之间路由 Pod 流量。',
      ),
      source: {
        title: 'Amazon VPC CNI plugin',
        url: 'https://github.com/aws/amazon-vpc-cni-k8s',
      },
    },
    {
      id: 'eni',
      term: text('ENI (elastic network interface)', 'ENI（弹性网络接口）'),
      match: { en: re(w('ENIs?')), 'zh-CN': re(w('ENIs?')) },
      short: text(
        "A virtual network card of an EC2 instance. The AWS VPC CNI gives Pods secondary addresses of the node's ENIs, so an instance type limits how many Pods fit.",
        'EC2 实例的虚拟网卡。AWS VPC CNI 把节点 ENI 的辅助地址分给 Pod，所以实例类型决定了能容纳多少 Pod。',
      ),
      source: {
        title: 'AWS: Elastic network interfaces',
        url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html',
      },
    },
  ]),
  ...topic('overlay', [
    {
      id: 'overlay',
      term: text('overlay and encapsulation', '覆盖网络与封装'),
      match: {
        en: rei(w('overlay'), '\\bencapsulat(?:e|es|ed|ion|ing)\\b'),
        'zh-CN': re('覆盖网络', '解封装', '封装'),
      },
      short: text(
        "Wrapping a Pod's packet inside a node-to-node packet, so it crosses a network that knows nothing of Pod addresses; the receiving node unwraps it.",
        '把 Pod 的包装进一个节点到节点的包里，让它穿过不认识 Pod 地址的网络；接收节点再把它拆开。',
      ),
      source: RFC(7348),
    },
    {
      id: 'vxlan',
      term: text('VXLAN', 'VXLAN'),
      match: { en: re(w('VXLAN')), 'zh-CN': re(w('VXLAN')) },
      short: text(
        "An overlay that carries a whole Ethernet frame inside UDP (50 bytes more). flannel's flannel.1 and Calico's vxlan.calico are VXLAN devices.",
        '一种覆盖网络：把整个以太网帧装进 UDP（多 50 字节）。flannel 的 flannel.1 和 Calico 的 vxlan.calico 都是 VXLAN 设备。',
      ),
      source: RFC(7348),
    },
    {
      id: 'vni',
      term: text('VNI', 'VNI'),
      match: { en: re(w('VNI')), 'zh-CN': re(w('VNI')) },
      short: text(
        'VXLAN network identifier: a 24-bit number in the VXLAN header naming which overlay a frame belongs to (flannel uses 1, Calico 4096).',
        'VXLAN 网络标识：VXLAN 头中的 24 位数字，表示帧属于哪个覆盖网络（flannel 用 1，Calico 用 4096）。',
      ),
      source: RFC(7348),
    },
    {
      id: 'vtep',
      term: text('VTEP', 'VTEP'),
      match: { en: re(w('VTEPs?')), 'zh-CN': re(w('VTEPs?')) },
      short: text(
        'VXLAN tunnel end point: the device that wraps and unwraps VXLAN, with a MAC of its own and a node IP where its packets go.',
        'VXLAN 隧道端点：负责封装和解封装 VXLAN 的设备，有自己的 MAC，也有收包的节点 IP。',
      ),
      source: RFC(7348),
    },
    {
      id: 'ipip',
      term: text('IP-in-IP', 'IP-in-IP'),
      match: { en: re(w('IP-in-IP'), w('IPIP')), 'zh-CN': re(w('IP-in-IP'), w('IPIP')) },
      short: text(
        "An overlay that puts a second IPv4 header (protocol 4) in front of the Pod's packet: 20 bytes more. Calico's tunl0 does it.",
        '一种覆盖网络：在 Pod 的包前面再加一个 IPv4 头（协议号 4），多 20 字节。Calico 的 tunl0 就这样做。',
      ),
      source: RFC(2003),
    },
  ]),
  ...topic('service', [
    {
      id: 'clusterip',
      term: text('ClusterIP', 'ClusterIP'),
      match: { en: re(w('ClusterIPs?')), 'zh-CN': re(w('ClusterIPs?')) },
      short: text(
        "A Service's virtual IP. No device holds it: kube-proxy's rules on every node rewrite traffic to it into traffic to one of the Service's endpoints.",
        'Service 的虚拟 IP。没有任何设备拥有它：每个节点上 kube-proxy 的规则把发往它的流量改写为发往某个端点的流量。',
      ),
      source: SERVICE,
    },
    {
      id: 'nodeport',
      term: text('NodePort', 'NodePort'),
      match: {
        en: re(w('NodePorts?'), w('nodePort')),
        'zh-CN': re(w('NodePorts?'), w('nodePort')),
      },
      short: text(
        'A Service type that opens one port (30000-32767 by default) on every node; traffic to any node on that port goes to the Service.',
        '一种 Service 类型：在每个节点上开放同一个端口（默认 30000-32767），发往任一节点该端口的流量都转给这个 Service。',
      ),
      source: SERVICE,
    },
    {
      id: 'loadbalancer',
      term: text('LoadBalancer Service', 'LoadBalancer 类型的 Service'),
      match: { en: re(w('LoadBalancer')), 'zh-CN': re(w('LoadBalancer')) },
      short: text(
        "A Service type that asks the cloud for a load balancer in front of the Service's node ports; its address shows as EXTERNAL-IP.",
        '一种 Service 类型：请云平台在 Service 的节点端口前面放一个负载均衡器，它的地址显示为 EXTERNAL-IP。',
      ),
      source: SERVICE,
    },
    {
      id: 'cloud-lb',
      term: text('cloud load balancer', '云负载均衡器'),
      match: { en: /\bcloud load balancers?\b/i, 'zh-CN': re('云负载均衡') },
      short: text(
        "The cloud's own load balancer, outside the cluster: it picks a healthy node and forwards to the Service's node port there.",
        '集群之外、由云平台提供的负载均衡器：它挑选一个健康的节点，把流量转发到该节点上 Service 的节点端口。',
      ),
      source: LB,
    },
    {
      id: 'external-ip',
      term: text('EXTERNAL-IP', 'EXTERNAL-IP'),
      match: {
        en: re('EXTERNAL-IP', 'status\\.loadBalancer\\.ingress'),
        'zh-CN': re('EXTERNAL-IP', 'status\\.loadBalancer\\.ingress'),
      },
      short: text(
        'The column `kubectl get svc` shows for a LoadBalancer Service: the address the cloud gave its load balancer (status.loadBalancer.ingress).',
        '`kubectl get svc` 为 LoadBalancer 类型 Service 显示的一列：云平台分配给负载均衡器的地址（status.loadBalancer.ingress）。',
      ),
      source: SERVICE,
    },
    {
      id: 'externalname',
      term: text('ExternalName', 'ExternalName'),
      match: { en: re(w('ExternalName')), 'zh-CN': re(w('ExternalName'), '外部名字') },
      short: text(
        'A Service that is only a DNS alias: CoreDNS answers its name with a CNAME to an outside name. No ClusterIP, no proxying.',
        '只是一个 DNS 别名的 Service：CoreDNS 用指向外部名字的 CNAME 回答它的名字。没有 ClusterIP，也不做代理。',
      ),
      source: SERVICE,
    },
    {
      id: 'headless',
      term: text('headless Service', 'headless Service'),
      match: { en: /\bheadless\b/i, 'zh-CN': rei('\\bheadless\\b', '无头') },
      short: text(
        "A Service with clusterIP: None. DNS answers its name with the ready Pods' own IPs, and the client connects to a Pod directly.",
        'clusterIP 为 None 的 Service。DNS 直接用就绪 Pod 自己的 IP 回答它的名字，客户端直接连接 Pod。',
      ),
      source: SERVICE,
    },
    {
      id: 'endpointslice',
      term: text('EndpointSlice', 'EndpointSlice'),
      match: { en: re(w('EndpointSlices?')), 'zh-CN': re(w('EndpointSlices?')) },
      short: text(
        "The objects listing a Service's endpoints (Pod IPs and ports) and whether each is ready; kube-proxy and CoreDNS program themselves from them.",
        '列出 Service 端点（Pod IP 和端口）及其是否就绪的对象；kube-proxy 和 CoreDNS 根据它们进行配置。',
      ),
      source: {
        title: 'Kubernetes: EndpointSlices',
        url: `${K8S}/concepts/services-networking/endpoint-slices/`,
      },
    },
    {
      id: 'endpoint',
      term: text('endpoint', '端点'),
      match: { en: /\bendpoints?\b/i, 'zh-CN': re('端点') },
      short: text(
        "One backend of a Service: a Pod's IP and port, selected by the Service's label selector and listed in an EndpointSlice.",
        'Service 的一个后端：一个 Pod 的 IP 和端口，由 Service 的标签选择器选中，列在 EndpointSlice 中。',
      ),
      source: {
        title: 'Kubernetes: EndpointSlices',
        url: `${K8S}/concepts/services-networking/endpoint-slices/`,
      },
    },
    {
      id: 'readiness',
      term: text('readiness', '就绪'),
      match: {
        en: re('\\breadiness\\b', '\\bnot ready\\b', 'ready: false'),
        'zh-CN': re('就绪', 'ready: false'),
      },
      short: text(
        'A Pod receives Service traffic only while it is ready (its readiness probe passes); a not-ready endpoint stays in the EndpointSlice, marked so, and gets none.',
        'Pod 只有在就绪（就绪探针通过）时才接收 Service 流量；未就绪的端点仍留在 EndpointSlice 中并被标记出来，但不会分到流量。',
      ),
      source: {
        title: 'Kubernetes: liveness, readiness and startup probes',
        url: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/`,
      },
    },
    {
      id: 'kube-proxy',
      term: text('kube-proxy', 'kube-proxy'),
      match: { en: re(w('kube-proxy')), 'zh-CN': re(w('kube-proxy')) },
      short: text(
        'The agent on every node that turns Services into kernel rules (iptables, IPVS or nftables), so that traffic to a Service reaches one of its endpoints.',
        '每个节点上的代理：把 Service 变成内核规则（iptables、IPVS 或 nftables），让发往 Service 的流量到达它的某个端点。',
      ),
      source: VIRTUAL_IPS,
    },
    {
      id: 'bpf',
      term: text('BPF (eBPF)', 'BPF（eBPF）'),
      match: { en: re(w('e?BPF')), 'zh-CN': re(w('e?BPF')) },
      short: text(
        "Small programs the kernel verifies and runs at hook points: on a device's tc ingress or egress, at a socket's connect(), and more. Cilium's data plane is such programs (cil_from_container on each Pod's lxc device, cil_sock4_connect on the cgroup), with maps for its endpoints and Services instead of iptables rules.",
        '由内核校验后在挂载点上运行的小程序：设备的 tc ingress 或 egress、套接字的 connect() 等。Cilium 的数据面就是这样的程序（每个 Pod 的 lxc 设备上的 cil_from_container，cgroup 上的 cil_sock4_connect），用 BPF map 保存端点和 Service，而不是 iptables 规则。',
      ),
      source: {
        title: 'Cilium: kube-proxy replacement',
        url: 'https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/',
      },
    },
    {
      id: 'security-identity',
      term: text('security identity (Cilium)', '安全身份（Cilium）'),
      match: {
        en: rei(w('security identit(?:y|ies)'), w('identity list')),
        'zh-CN': re('安全身份', w('identity list')),
      },
      short: text(
        "The number Cilium gives every set of identity-relevant labels (a Pod's labels, its namespace and its namespace's labels, its service account): Pods with the same labels share it. Policy maps are keyed by it, not by addresses, and a tunnelled packet carries the sender's in its VNI. 1 to 8 are reserved (host, world, remote-node...); cluster-wide ones start at 256.",
        'Cilium 为每一组与身份相关的标签（Pod 的标签、命名空间及其标签、服务账号）分配的编号：标签相同的 Pod 共用一个。策略表以它为键，而不是以地址为键；隧道中的包在 VNI 里带着发送方的身份。1 到 8 是保留的（host、world、remote-node……），集群范围的身份从 256 开始。',
      ),
      source: {
        title: 'Cilium: identity-relevant labels',
        url: 'https://docs.cilium.io/en/stable/operations/performance/scalability/identity-relevant-labels/',
      },
    },
    {
      id: 'cilium-policy-map',
      term: text('policy map (Cilium)', '策略表（Cilium）'),
      match: { en: re(w('policy map')), 'zh-CN': re('策略表', '策略程序') },
      short: text(
        'A BPF map per endpoint that Cilium\'s agent writes from the policies selecting it, keyed by the peer\'s security identity, the port, the protocol and the direction. Its BPF programs look the first packet of a connection up there; no entry means a drop, "Policy denied".',
        'Cilium 代理为每个端点写的 BPF map，内容来自选中它的策略，键是对端的安全身份、端口、协议和方向。它的 BPF 程序在这里查找连接的第一个包；查不到就丢弃，原因为 “Policy denied”。',
      ),
      source: {
        title: 'Cilium: policy enforcement',
        url: 'https://docs.cilium.io/en/stable/security/policy/intro/',
      },
    },
    {
      id: 'hubble',
      term: text('Hubble', 'Hubble'),
      match: { en: re(w('[Hh]ubble')), 'zh-CN': re(w('[Hh]ubble')) },
      short: text(
        "Cilium's flow observer: its BPF programs report each packet they forward or drop, with both ends' identities and the verdict, and `hubble observe` prints one line per event (FORWARDED to-endpoint, or DROPPED with the reason, such as Policy denied).",
        'Cilium 的流量观测工具：它的 BPF 程序报告自己转发或丢弃的每个包，附带两端的身份和判定结果，`hubble observe` 为每个事件打印一行（FORWARDED to-endpoint，或带原因的 DROPPED，例如 Policy denied）。',
      ),
      source: {
        title: 'Cilium: Hubble',
        url: 'https://docs.cilium.io/en/stable/observability/hubble/',
      },
    },
    {
      id: 'userspace',
      term: text('userspace mode', 'userspace 模式'),
      match: { en: re(w('userspace')), 'zh-CN': re(w('userspace')) },
      short: text(
        "kube-proxy's first mode: rules REDIRECT the connection to kube-proxy itself, which opens a second one to an endpoint and copies the bytes. Removed in Kubernetes v1.26.",
        'kube-proxy 最早的模式：规则把连接 REDIRECT 到 kube-proxy 进程本身，由它再开一个到端点的连接并复制字节。Kubernetes v1.26 已移除。',
      ),
      source: VIRTUAL_IPS,
    },
    {
      id: 'kube-portals',
      term: text(
        'KUBE-PORTALS-CONTAINER, KUBE-PORTALS-HOST',
        'KUBE-PORTALS-CONTAINER、KUBE-PORTALS-HOST',
      ),
      match: {
        en: re(w('KUBE-PORTALS-(?:CONTAINER|HOST)')),
        'zh-CN': re(w('KUBE-PORTALS-(?:CONTAINER|HOST)')),
      },
      short: text(
        "The userspace mode's chains: KUBE-PORTALS-CONTAINER (in PREROUTING, for Pods) and KUBE-PORTALS-HOST (in OUTPUT, for the node) REDIRECT a Service's address to kube-proxy's own port.",
        'userspace 模式的链：KUBE-PORTALS-CONTAINER（在 PREROUTING 中，针对 Pod）和 KUBE-PORTALS-HOST（在 OUTPUT 中，针对节点自身）把 Service 地址 REDIRECT 到 kube-proxy 自己的端口。',
      ),
      source: {
        title: 'Kubernetes v1.25 source: pkg/proxy/userspace/proxier.go',
        url: 'https://github.com/kubernetes/kubernetes/blob/release-1.25/pkg/proxy/userspace/proxier.go',
      },
    },
    {
      id: 'udp-idle-timeout',
      term: text('udpIdleTimeout', 'udpIdleTimeout'),
      match: { en: re(w('udpIdleTimeout')), 'zh-CN': re(w('udpIdleTimeout')) },
      short: text(
        "How long kube-proxy's userspace mode kept a UDP flow's socket to its endpoint open without traffic (250 ms by default) before it closed it.",
        'kube-proxy 的 userspace 模式在没有流量时把 UDP 流到端点的套接字保持打开多久（默认 250 毫秒），之后关闭它。',
      ),
      source: {
        title: 'Kubernetes v1.25 source: pkg/proxy/userspace/proxier.go',
        url: 'https://github.com/kubernetes/kubernetes/blob/release-1.25/pkg/proxy/userspace/proxier.go',
      },
    },
    {
      id: 'ipvs',
      term: text('IPVS', 'IPVS'),
      match: { en: re(w('IPVS')), 'zh-CN': re(w('IPVS')) },
      short: text(
        "The kernel's layer-4 load balancer (IP Virtual Server), a kube-proxy mode: Services are hash-table entries with a scheduler, so lookups stay fast with many Services. Deprecated in Kubernetes v1.35 in favour of nftables.",
        '内核的四层负载均衡器（IP Virtual Server），kube-proxy 的一种模式：Service 是带调度器的哈希表项，Service 再多查找也很快。Kubernetes v1.35 起弃用，推荐改用 nftables。',
      ),
      source: VIRTUAL_IPS,
    },
    {
      id: 'kube-ipvs0',
      term: text('kube-ipvs0', 'kube-ipvs0'),
      match: { en: re(w('kube-ipvs0')), 'zh-CN': re(w('kube-ipvs0')) },
      short: text(
        'A dummy device kube-proxy creates in IPVS mode and puts every ClusterIP on, so the node accepts packets for them as its own and IPVS can take them.',
        'kube-proxy 在 IPVS 模式下创建的 dummy 设备，把每个 ClusterIP 都加在上面，让节点把发往它们的包当作本机的包接收，再交给 IPVS。',
      ),
      source: VIRTUAL_IPS,
    },
    {
      id: 'scheduler',
      term: text('IPVS scheduler', 'IPVS 调度器'),
      match: {
        en: rei('\\bscheduler\\b', '\\bround[- ]robin\\b', '\\bleast[- ]connection'),
        'zh-CN': re('调度器', '轮询', '最少连接'),
      },
      short: text(
        'How IPVS picks an endpoint for a new connection: rr takes them in turn, lc the one with the fewest connections, sh by a hash of the source.',
        'IPVS 为新连接挑选端点的方法：rr 轮流选取，lc 选连接最少的，sh 按源地址哈希。',
      ),
      source: VIRTUAL_IPS,
    },
    {
      id: 'ipset',
      term: text('ipset', 'ipset'),
      match: {
        en: re(w('ipsets?'), w('IP sets?')),
        'zh-CN': re(w('ipsets?'), w('IP 集合')),
      },
      short: text(
        "Named sets of addresses (or address-port pairs) that one iptables rule can match with a hash lookup (-m set --match-set NAME src|dst); kube-proxy's IPVS mode keeps its Services in them, Calico's felix the Pods a policy's selectors select.",
        '命名的地址（或地址-端口）集合，一条 iptables 规则就能用哈希查找匹配它（-m set --match-set 名字 src|dst）；kube-proxy 的 IPVS 模式把 Service 放在其中，Calico 的 felix 把策略选择器选中的 Pod 放在其中。',
      ),
      source: { title: 'ipset(8)', url: 'https://ipset.netfilter.org/ipset.man.html' },
    },
    {
      id: 'nftables',
      term: text('nftables', 'nftables'),
      match: { en: re(w('nftables'), w('nft')), 'zh-CN': re(w('nftables'), w('nft')) },
      short: text(
        "The kernel's successor to iptables, and a kube-proxy mode: one table `kube-proxy` whose maps find a Service in one lookup however many there are.",
        '内核中 iptables 的继任者，也是 kube-proxy 的一种模式：一张 `kube-proxy` 表，用映射一次查找就找到 Service，无论有多少个。',
      ),
      source: { title: 'nft(8)', url: 'https://www.netfilter.org/projects/nftables/manpage.html' },
    },
    {
      id: 'verdict-map',
      term: text('verdict map (vmap)', 'verdict map（判决映射）'),
      match: {
        en: rei('\\bverdict maps?\\b', w('vmap')),
        'zh-CN': rei('\\bverdict maps?\\b', w('vmap'), '判决映射'),
      },
      short: text(
        'An nftables map from a key (here destination address . protocol . port) straight to a verdict such as `goto service-…`: one hash lookup instead of a rule per Service.',
        'nftables 中从键（这里是 目的地址 . 协议 . 端口）直接映射到判决（如 `goto service-…`）的表：一次哈希查找，代替每个 Service 一条规则。',
      ),
      source: {
        title: 'nftables wiki: Verdict Maps',
        url: 'https://wiki.nftables.org/wiki-nftables/index.php/Verdict_Maps_(vmaps)',
      },
    },
    {
      id: 'numgen',
      term: text('numgen', 'numgen'),
      match: { en: re(w('numgen')), 'zh-CN': re(w('numgen')) },
      short: text(
        'An nftables expression that generates a number (random, or incremental) modulo n; kube-proxy uses `numgen random mod n` to pick one of n endpoints.',
        'nftables 中生成数字（随机或递增）再对 n 取模的表达式；kube-proxy 用 `numgen random mod n` 从 n 个端点中选一个。',
      ),
      source: { title: 'nft(8)', url: 'https://www.netfilter.org/projects/nftables/manpage.html' },
    },
    {
      id: 'session-affinity',
      term: text('session affinity', '会话亲和性'),
      match: {
        en: rei('\\bsession affinity\\b', '\\bsessionAffinity\\b'),
        'zh-CN': rei('\\bsessionAffinity\\b', '会话亲和'),
      },
      short: text(
        'sessionAffinity: ClientIP sends every connection from one client address to the endpoint it used last, for a timeout (10800 s by default).',
        'sessionAffinity: ClientIP 会把来自同一客户端地址的每个连接都发往它上次用过的端点，在超时（默认 10800 秒）之内有效。',
      ),
      source: VIRTUAL_IPS,
    },
    {
      id: 'external-traffic-policy',
      term: text('externalTrafficPolicy', 'externalTrafficPolicy'),
      match: { en: re(w('externalTrafficPolicy')), 'zh-CN': re(w('externalTrafficPolicy')) },
      short: text(
        "Cluster (the default) lets any node forward outside traffic to any endpoint, masquerading the client; Local only uses endpoints on the receiving node and keeps the client's address.",
        'Cluster（默认）允许任一节点把外部流量转给任一端点，并伪装客户端地址；Local 只使用接收节点上的端点，保留客户端的地址。',
      ),
      source: VIRTUAL_IPS,
    },
    {
      id: 'internal-traffic-policy',
      term: text('internalTrafficPolicy', 'internalTrafficPolicy'),
      match: {
        en: re(w('internalTrafficPolicy'), '\\binternal traffic policy\\b'),
        'zh-CN': re(w('internalTrafficPolicy')),
      },
      short: text(
        "Local sends traffic from inside the cluster only to endpoints on the client's own node, and drops it when that node has none.",
        'Local 把集群内部的流量只发往客户端所在节点上的端点；该节点没有端点时就丢弃。',
      ),
      source: {
        title: 'Kubernetes: Service Internal Traffic Policy',
        url: `${K8S}/concepts/services-networking/service-traffic-policy/`,
      },
    },
    {
      id: 'health-check-node-port',
      term: text('healthCheckNodePort', 'healthCheckNodePort'),
      match: { en: re(w('healthCheckNodePort')), 'zh-CN': re(w('healthCheckNodePort')) },
      short: text(
        'With externalTrafficPolicy: Local, a port where kube-proxy answers 200 only on nodes that have a local endpoint, so the cloud load balancer sends traffic only to them.',
        'externalTrafficPolicy 为 Local 时的一个端口：只有本地有端点的节点上 kube-proxy 才在这里返回 200，于是云负载均衡器只把流量发给这些节点。',
      ),
      source: LB,
    },
    {
      id: 'source-ranges',
      term: text('loadBalancerSourceRanges', 'loadBalancerSourceRanges'),
      match: { en: re(w('loadBalancerSourceRanges')), 'zh-CN': re(w('loadBalancerSourceRanges')) },
      short: text(
        "The client address ranges allowed to reach a LoadBalancer Service; kube-proxy's firewall rules drop everything else.",
        '允许访问 LoadBalancer 类型 Service 的客户端地址段；kube-proxy 的防火墙规则丢弃其余所有流量。',
      ),
      source: {
        title: "Kubernetes: Configure Your Cloud Provider's Firewalls",
        url: `${K8S}/tasks/access-application-cluster/configure-cloud-provider-firewall/`,
      },
    },
  ]),
  ...topic('netfilter', [
    {
      id: 'netfilter',
      term: text('netfilter', 'netfilter'),
      match: { en: rei(w('netfilter')), 'zh-CN': rei(w('netfilter')) },
      short: text(
        "The kernel's packet-filtering framework: hooks on the packet's path (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING) where iptables, nftables and conntrack act.",
        '内核的包过滤框架：包路径上的钩子（PREROUTING、INPUT、FORWARD、OUTPUT、POSTROUTING），iptables、nftables 和 conntrack 在这些位置起作用。',
      ),
      source: { title: 'netfilter project', url: 'https://www.netfilter.org/' },
    },
    {
      id: 'hooks',
      term: text(
        'PREROUTING, OUTPUT, POSTROUTING (netfilter hooks)',
        'PREROUTING、OUTPUT、POSTROUTING（netfilter 钩子）',
      ),
      match: {
        en: re(w('PREROUTING|POSTROUTING|OUTPUT|FORWARD|INPUT')),
        'zh-CN': re(w('PREROUTING|POSTROUTING|OUTPUT|FORWARD|INPUT')),
      },
      short: text(
        'Where rules run: PREROUTING as a packet arrives, before routing; OUTPUT for packets the node itself sends; FORWARD for routed ones; INPUT for its own; POSTROUTING as any leaves.',
        '规则运行的位置：PREROUTING 在包到达、路由之前；OUTPUT 针对节点自己发出的包；FORWARD 针对被转发的包；INPUT 针对发给本机的包；POSTROUTING 在包离开时。',
      ),
      source: { title: 'iptables(8)', url: `${MAN}/man8/iptables.8.html` },
    },
    {
      id: 'iptables',
      term: text('iptables', 'iptables'),
      match: { en: re(w('iptables')), 'zh-CN': re(w('iptables')) },
      short: text(
        "Tables of rule chains on the netfilter hooks, tested top to bottom. kube-proxy's iptables mode writes a few chains per Service, so the list grows with the cluster.",
        '挂在 netfilter 钩子上的规则链表，从上到下逐条匹配。kube-proxy 的 iptables 模式为每个 Service 写几条链，规则随集群规模线性增长。',
      ),
      source: { title: 'iptables(8)', url: `${MAN}/man8/iptables.8.html` },
    },
    {
      id: 'kube-services',
      term: text('KUBE-SERVICES', 'KUBE-SERVICES'),
      match: { en: re(w('KUBE-SERVICES')), 'zh-CN': re(w('KUBE-SERVICES')) },
      short: text(
        "kube-proxy's entry chain in the nat table: one rule per Service address and port, each jumping to that Service's KUBE-SVC chain.",
        'kube-proxy 在 nat 表中的入口链：每个 Service 地址和端口一条规则，各自跳转到该 Service 的 KUBE-SVC 链。',
      ),
      source: PROXIER,
    },
    {
      id: 'kube-svc',
      term: text('KUBE-SVC chain', 'KUBE-SVC 链'),
      match: {
        en: re(w('KUBE-SVC(?:-[A-Z0-9]{16})?')),
        'zh-CN': re(w('KUBE-SVC(?:-[A-Z0-9]{16})?')),
      },
      short: text(
        "A Service's chain: it picks one endpoint with the statistic match (probability 1/n, then 1/(n-1), ...) and jumps to its KUBE-SEP chain.",
        'Service 的链：用 statistic 匹配（概率依次为 1/n、1/(n-1)……）选出一个端点，并跳转到它的 KUBE-SEP 链。',
      ),
      source: PROXIER,
    },
    {
      id: 'kube-svl',
      term: text('KUBE-SVL chain', 'KUBE-SVL 链'),
      match: {
        en: re(w('KUBE-SVL(?:-[A-Z0-9]{16})?')),
        'zh-CN': re(w('KUBE-SVL(?:-[A-Z0-9]{16})?')),
      },
      short: text(
        "A Service's local-endpoints chain: like KUBE-SVC, but it lists only the endpoints on this node. kube-proxy writes it for a Service with externalTrafficPolicy or internalTrafficPolicy Local, and sends that policy's traffic there.",
        'Service 的本地端点链：与 KUBE-SVC 相同，但只列出本节点上的端点。Service 的 externalTrafficPolicy 或 internalTrafficPolicy 为 Local 时，kube-proxy 写出这条链，并把受该策略约束的流量交给它。',
      ),
      source: PROXIER,
    },
    {
      id: 'kube-sep',
      term: text('KUBE-SEP chain', 'KUBE-SEP 链'),
      match: {
        en: re(w('KUBE-SEP(?:-[A-Z0-9]{16})?')),
        'zh-CN': re(w('KUBE-SEP(?:-[A-Z0-9]{16})?')),
      },
      short: text(
        "An endpoint's chain: it DNATs the packet to that endpoint's IP and port (and marks it for masquerade when the endpoint calls its own Service).",
        '端点的链：把包 DNAT 到这个端点的 IP 和端口（如果端点访问的是自己的 Service，还会打上伪装标记）。',
      ),
      source: PROXIER,
    },
    {
      id: 'kube-ext',
      term: text(
        'KUBE-EXT, KUBE-NODEPORTS, KUBE-FW chains',
        'KUBE-EXT、KUBE-NODEPORTS、KUBE-FW 链',
      ),
      match: {
        en: re(w('KUBE-(?:EXT|FW)(?:-[A-Z0-9]{16})?'), w('KUBE-NODEPORTS')),
        'zh-CN': re(w('KUBE-(?:EXT|FW)(?:-[A-Z0-9]{16})?'), w('KUBE-NODEPORTS')),
      },
      short: text(
        "kube-proxy's chains for traffic from outside: KUBE-NODEPORTS matches node ports, KUBE-FW checks loadBalancerSourceRanges, KUBE-EXT applies externalTrafficPolicy and marks for masquerade.",
        'kube-proxy 处理外部流量的链：KUBE-NODEPORTS 匹配节点端口，KUBE-FW 检查 loadBalancerSourceRanges，KUBE-EXT 执行 externalTrafficPolicy 并打上伪装标记。',
      ),
      source: PROXIER,
    },
    {
      id: 'kube-mark-masq',
      term: text('KUBE-MARK-MASQ, KUBE-POSTROUTING', 'KUBE-MARK-MASQ、KUBE-POSTROUTING'),
      match: {
        en: re(w('KUBE-MARK-MASQ'), w('KUBE-POSTROUTING')),
        'zh-CN': re(w('KUBE-MARK-MASQ'), w('KUBE-POSTROUTING')),
      },
      short: text(
        'KUBE-MARK-MASQ sets the mark 0x4000 on a packet that must be masqueraded; KUBE-POSTROUTING, on the way out, masquerades every packet with that mark.',
        'KUBE-MARK-MASQ 给必须伪装的包打上 0x4000 标记；KUBE-POSTROUTING 在包离开时，对每个带此标记的包做伪装。',
      ),
      source: PROXIER,
    },
    {
      id: 'kube-proxy-firewall',
      term: text('KUBE-PROXY-FIREWALL', 'KUBE-PROXY-FIREWALL'),
      match: { en: re(w('KUBE-PROXY-FIREWALL')), 'zh-CN': re(w('KUBE-PROXY-FIREWALL')) },
      short: text(
        "kube-proxy's chain in the filter table that drops traffic to a load-balancer IP from a client outside its loadBalancerSourceRanges.",
        'kube-proxy 在 filter 表中的链：丢弃来自 loadBalancerSourceRanges 之外的客户端、发往负载均衡器 IP 的流量。',
      ),
      source: PROXIER,
    },
    {
      id: 'statistic',
      term: text('statistic match', 'statistic 匹配'),
      match: { en: re(w('statistic')), 'zh-CN': re(w('statistic')) },
      short: text(
        'An iptables match that is true with a given probability (`--mode random --probability p`); kube-proxy chains them to pick endpoints evenly.',
        '以给定概率成立的 iptables 匹配（`--mode random --probability p`）；kube-proxy 把它们串起来，均匀地挑选端点。',
      ),
      source: IPT_EXT,
    },
    {
      id: 'nat',
      term: text('NAT', 'NAT'),
      match: { en: re(w('NAT(?:ed)?')), 'zh-CN': re(w('NAT'), '地址转换') },
      short: text(
        "Network address translation: rewriting a packet's source or destination address on the way, and the reply's back, so each side sees the address it expects.",
        '网络地址转换：在途中改写包的源或目的地址，并把应答改回来，让两端都看到各自期望的地址。',
      ),
      source: RFC(3022),
    },
    {
      id: 'dnat',
      term: text('DNAT', 'DNAT'),
      match: { en: re(w('DNAT(?:s|ed|ing)?')), 'zh-CN': re(w('DNAT(?:s|ed|ing)?')) },
      short: text(
        "Destination NAT: rewriting where the packet goes. kube-proxy DNATs a packet for a ClusterIP to one endpoint's Pod IP and port.",
        '目的地址转换：改写包的去向。kube-proxy 把发往 ClusterIP 的包 DNAT 到某个端点的 Pod IP 和端口。',
      ),
      source: IPT_EXT,
    },
    {
      id: 'snat',
      term: text('SNAT', 'SNAT'),
      match: { en: re(w('SNAT(?:s|ed|ing)?')), 'zh-CN': re(w('SNAT(?:s|ed|ing)?')) },
      short: text(
        'Source NAT: rewriting where the packet seems to come from, so that the reply comes back through the node that did it.',
        '源地址转换：改写包看起来的来源，让应答经由做转换的那个节点返回。',
      ),
      source: IPT_EXT,
    },
    {
      id: 'masquerade',
      term: text('MASQUERADE', 'MASQUERADE（伪装）'),
      match: {
        en: rei(w('masquerad(?:e|es|ed|ing)')),
        'zh-CN': rei(w('masquerad(?:e|es|ed|ing)'), '伪装'),
      },
      short: text(
        'SNAT to the address of the device the packet leaves by, chosen at that moment. kube-proxy masquerades traffic that would otherwise come back by another way.',
        '把源地址改为包离开时所经设备的地址（在那一刻选定）的 SNAT。kube-proxy 对那些否则会从别的路径返回的流量做伪装。',
      ),
      source: IPT_EXT,
    },
    {
      id: 'aws-snat-chain',
      term: text('AWS-SNAT-CHAIN-0', 'AWS-SNAT-CHAIN-0'),
      match: { en: re(w('AWS-SNAT-CHAIN-0')), 'zh-CN': re(w('AWS-SNAT-CHAIN-0')) },
      short: text(
        "aws-node's nat chain, reached from POSTROUTING: RETURN for the VPC's own blocks and any AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS, then SNAT --to-source the primary private IP of the node's primary ENI for everything else. None of it with AWS_VPC_K8S_CNI_EXTERNALSNAT=true.",
        'aws-node 的 nat 链，由 POSTROUTING 跳入：对 VPC 自己的地址块和 AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS 中的地址直接 RETURN，其余的都 SNAT 到节点主 ENI 的主私有 IP。设置 AWS_VPC_K8S_CNI_EXTERNALSNAT=true 时这些规则都不存在。',
      ),
      source: {
        title: 'Amazon EKS: Enable outbound internet access for Pods',
        url: 'https://docs.aws.amazon.com/eks/latest/userguide/external-snat.html',
      },
    },
    {
      id: 'external-snat',
      term: text('AWS_VPC_K8S_CNI_EXTERNALSNAT', 'AWS_VPC_K8S_CNI_EXTERNALSNAT'),
      match: {
        en: re(w('AWS_VPC_K8S_CNI_EXTERNALSNAT')),
        'zh-CN': re(w('AWS_VPC_K8S_CNI_EXTERNALSNAT')),
      },
      short: text(
        "aws-node's variable (default false): true leaves source NAT to a device outside the node, a NAT gateway in a private subnet, so aws-node writes no SNAT rule and Pods' traffic leaves with the Pod's own VPC address.",
        'aws-node 的环境变量（默认 false）：设为 true 时，源地址转换交给节点之外的设备（私有子网中的 NAT 网关），aws-node 不写 SNAT 规则，Pod 的流量带着 Pod 自己的 VPC 地址离开。',
      ),
      source: {
        title: 'Amazon EKS: Enable outbound internet access for Pods',
        url: 'https://docs.aws.amazon.com/eks/latest/userguide/external-snat.html',
      },
    },
    {
      id: 'internet-gateway',
      term: text('Internet gateway', '互联网网关'),
      match: { en: rei(w('Internet gateway')), 'zh-CN': re('互联网网关') },
      short: text(
        "The VPC's way to the Internet. For an instance with a public IPv4 address it maps that address to the instance's private one, one to one, both ways; a private address with no public one associated gets nothing (a NAT gateway is the way out for those).",
        'VPC 通往互联网的出口。对拥有公网 IPv4 地址的实例，它把该地址与实例的私有地址一对一地双向映射；没有关联公网地址的私有地址则无法通过（它们要经由 NAT 网关出去）。',
      ),
      source: {
        title: 'Amazon VPC: Enable internet access using an internet gateway',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html',
      },
    },
    {
      id: 'ip-masq',
      term: text('flanneld --ip-masq (FLANNEL-POSTRTG)', 'flanneld --ip-masq（FLANNEL-POSTRTG）'),
      match: {
        en: re(w('--ip-masq'), w('FLANNEL-POSTRTG')),
        'zh-CN': re(w('--ip-masq'), w('FLANNEL-POSTRTG')),
      },
      short: text(
        "flanneld's option (kube-flannel.yml passes it) to masquerade what Pods send outside the flannel network: its nat chain FLANNEL-POSTRTG returns for Pod-to-Pod traffic and gives everything else the node's address.",
        'flanneld 的选项（kube-flannel.yml 传了它），对 Pod 发往 flannel 网络之外的流量做伪装：它的 nat 链 FLANNEL-POSTRTG 对 Pod 之间的流量直接返回，其余的都换成节点的地址。',
      ),
      source: {
        title: 'flannel configuration: --ip-masq',
        url: 'https://github.com/flannel-io/flannel/blob/master/Documentation/configuration.md',
      },
    },
    {
      // flannel pkg/trafficmngr/iptables (ForwardRules): FORWARD jumps to FLANNEL-FWD, which
      // accepts a source or a destination in the flannel network ("flanneld forward").
      id: 'flannel-fwd',
      term: text('FLANNEL-FWD', 'FLANNEL-FWD'),
      match: { en: re(w('FLANNEL-FWD')), 'zh-CN': re(w('FLANNEL-FWD')) },
      short: text(
        "flanneld's filter chain, jumped to from FORWARD: it accepts what comes from or goes to the flannel network, so Pod traffic is forwarded even where FORWARD's policy is DROP (as Docker sets it).",
        'flanneld 的 filter 链，由 FORWARD 跳入：它接受来自或发往 flannel 网络的流量，这样即使 FORWARD 的默认策略是 DROP（Docker 会这样设），Pod 的流量也能被转发。',
      ),
      source: {
        title: 'flannel source: pkg/trafficmngr/iptables',
        url: 'https://github.com/flannel-io/flannel/tree/master/pkg/trafficmngr/iptables',
      },
    },
    {
      id: 'nat-outgoing',
      term: text(
        'Calico natOutgoing (cali-nat-outgoing)',
        'Calico natOutgoing（cali-nat-outgoing）',
      ),
      match: {
        en: re(w('natOutgoing'), w('cali-nat-outgoing'), w('cali-POSTROUTING')),
        'zh-CN': re(w('natOutgoing'), w('cali-nat-outgoing'), w('cali-POSTROUTING')),
      },
      short: text(
        "An IPPool field: Pods of a pool with natOutgoing: true leave the cluster with the node's address. felix writes one MASQUERADE rule in cali-nat-outgoing (reached from POSTROUTING through cali-POSTROUTING) for a source in such a pool and a destination in no pool; with no such pool the chain is empty. calico-node's default pool has it true; an IPPool that leaves it out, false.",
        'IPPool 的字段：natOutgoing: true 的池中的 Pod 以节点的地址离开集群。felix 在 cali-nat-outgoing（由 POSTROUTING 经 cali-POSTROUTING 跳入）中写一条 MASQUERADE 规则，匹配源地址在这种池中、目的地址不在任何池中的包；没有这种池时链是空的。calico-node 创建的默认池为 true；IPPool 不写这个字段时为 false。',
      ),
      source: {
        title: 'Calico: Configure outgoing NAT',
        url: 'https://docs.tigera.io/calico/latest/networking/configuring/workloads-outside-cluster',
      },
    },
    {
      id: 'calico-pool-ipsets',
      term: text(
        'cali40masq-ipam-pools, cali40network-ip-pools',
        'cali40masq-ipam-pools、cali40network-ip-pools',
      ),
      match: {
        en: re(w('cali40masq-ipam-pools'), w('cali40network-ip-pools'), w('cali40all-ipam-pools')),
        'zh-CN': re(
          w('cali40masq-ipam-pools'),
          w('cali40network-ip-pools'),
          w('cali40all-ipam-pools'),
        ),
      },
      short: text(
        "felix's two hash:net ipsets for outgoing NAT: the CIDRs of the pools with natOutgoing, and of every pool (Calico v3.31.7 and v3.32.1 renamed the second from cali40all-ipam-pools when they left LoadBalancer-only pools out of it). A destination in the second is a Pod or tunnel address Calico routes itself, so it is never masqueraded.",
        'felix 用于出站 NAT 的两个 hash:net ipset：设置了 natOutgoing 的池的 CIDR，以及所有池的 CIDR（Calico v3.31.7 和 v3.32.1 把后者不再包含仅用于 LoadBalancer 的池，并把它从 cali40all-ipam-pools 改名）。目的地址在后者之中的是 Calico 自己路由的 Pod 或隧道地址，所以从不做伪装。',
      ),
      source: {
        title: 'Calico: IP pool',
        url: 'https://docs.tigera.io/calico/latest/reference/resources/ippool',
      },
    },
    {
      id: 'addrtype-local',
      term: text('--dst-type LOCAL', '--dst-type LOCAL'),
      match: { en: re('--dst-type LOCAL'), 'zh-CN': re('--dst-type LOCAL') },
      short: text(
        "The addrtype match: the destination is an address of this host (type local in its local routing table); with ! before it, any address that is not the host's own.",
        'addrtype 匹配：目的地址是本机的地址（在本机 local 路由表中类型为 local）；前面加 ! 则表示任何不属于本机的地址。',
      ),
      source: IPT_EXT,
    },
    {
      id: 'return',
      term: text('RETURN', 'RETURN'),
      match: { en: re(w('RETURN')), 'zh-CN': re(w('RETURN')) },
      short: text(
        'The iptables target that stops the current chain: the packet goes on at the rule after the jump that led there (at the end of a built-in chain, its policy decides).',
        'iptables 的目标动作，结束当前链：包回到跳转过来的那条规则之后继续（在内置链的末尾则由链的策略决定）。',
      ),
      source: { title: 'iptables(8)', url: `${MAN}/man8/iptables.8.html` },
    },
    {
      id: 'redirect',
      term: text('REDIRECT', 'REDIRECT'),
      match: { en: re(w('REDIRECT(?:ed)?')), 'zh-CN': re(w('REDIRECT(?:ed)?')) },
      short: text(
        "DNAT to an address of the node itself, to a given port: kube-proxy's userspace mode sent Service connections to its own process this way.",
        '把包 DNAT 到节点自己的地址和指定端口：kube-proxy 的 userspace 模式就这样把 Service 连接交给自己的进程。',
      ),
      source: IPT_EXT,
    },
    {
      id: 'drop-reject',
      term: text('DROP and REJECT', 'DROP 与 REJECT'),
      match: { en: re(w('DROP|REJECT(?:ed)?')), 'zh-CN': re(w('DROP|REJECT(?:ed)?')) },
      short: text(
        'Two ways a rule refuses a packet: DROP discards it silently (the sender times out); REJECT answers with an error, such as ICMP port unreachable.',
        '规则拒绝包的两种方式：DROP 静默丢弃（发送方会超时）；REJECT 回一个错误，例如 ICMP 端口不可达。',
      ),
      source: { title: 'iptables(8)', url: `${MAN}/man8/iptables.8.html` },
    },
    {
      id: 'icmp',
      term: text('ICMP port unreachable', 'ICMP 端口不可达'),
      match: { en: re(w('ICMP'), '\\bport unreachable\\b'), 'zh-CN': re(w('ICMP'), '端口不可达') },
      short: text(
        'The error message a host sends back when nothing can take a packet for that port; the client\'s connect() fails at once with "connection refused".',
        '当没有任何程序能接收发往某端口的包时，主机回送的错误报文；客户端的 connect() 立即以“connection refused”失败。',
      ),
      source: RFC(792),
    },
    {
      id: 'conntrack',
      term: text('conntrack', 'conntrack（连接跟踪）'),
      match: { en: re(w('conntrack')), 'zh-CN': re(w('conntrack'), '连接跟踪') },
      short: text(
        "The kernel's connection table: the first packet of a connection goes through the NAT rules, and every later packet, and the reply, is translated from the entry it left.",
        '内核的连接表：连接的第一个包经过 NAT 规则，之后的每个包以及应答都按它留下的表项转换。',
      ),
      source: { title: 'conntrack-tools', url: 'https://conntrack-tools.netfilter.org/' },
    },
    {
      id: 'network-policy',
      term: text('NetworkPolicy', 'NetworkPolicy（网络策略）'),
      match: {
        en: re(w('NetworkPolicy'), '\\bdefault deny\\b'),
        'zh-CN': re(w('NetworkPolicy'), '默认拒绝'),
      },
      short: text(
        'A Kubernetes object that lists what may reach (Ingress) or leave (Egress) the Pods its podSelector picks. Once one policy selects a Pod for a direction, that direction admits only what some selecting policy allows; a policy with no rules for it is a default deny. The network plugin enforces it, or nothing does.',
        'Kubernetes 对象，列出哪些流量可以进入（Ingress）或离开（Egress）其 podSelector 选中的 Pod。一旦有策略在某个方向选中了 Pod，这个方向就只放行某条选中它的策略所允许的流量；对该方向没有任何规则的策略就是默认拒绝。由网络插件执行它，插件不执行就没有谁执行。',
      ),
      source: {
        title: 'Kubernetes: Network Policies',
        url: `${K8S}/concepts/services-networking/network-policies/`,
      },
    },
    {
      id: 'felix',
      term: text('felix (cali-tw, cali-fw)', 'felix（cali-tw、cali-fw）'),
      match: {
        en: re(w('[Ff]elix'), 'cali-[tf]w-', 'cali-p[io]-'),
        'zh-CN': re(w('[Ff]elix'), 'cali-[tf]w-', 'cali-p[io]-'),
      },
      short: text(
        "Calico's agent on every node. It writes iptables chains for each Pod's veth: cali-tw-<veth> for traffic to the Pod (ingress policy), cali-fw-<veth> for traffic from it (egress), each jumping to a cali-pi-/cali-po- chain per policy and dropping what no policy passed.",
        'Calico 在每个节点上的代理。它为每个 Pod 的 veth 写 iptables 链：cali-tw-<veth> 处理进入 Pod 的流量（入站策略），cali-fw-<veth> 处理从 Pod 出来的流量（出站策略），每条链为每个策略跳转到一条 cali-pi-/cali-po- 链，并丢弃没有任何策略放行的包。',
      ),
      source: {
        title: 'Calico source: felix/rules/endpoints.go',
        url: 'https://github.com/projectcalico/calico/blob/master/felix/rules/endpoints.go',
      },
    },
    {
      // Kubernetes API reference, NetworkPolicySpec.policyTypes: "Ingress", "Egress" or both;
      // left out, Ingress always, and Egress when the policy has an egress section.
      id: 'policy-types',
      term: text('policyTypes (Ingress, Egress)', 'policyTypes（Ingress、Egress）'),
      match: {
        // "Ingress in its policyTypes" is the policy's direction, not the Ingress object: the
        // longer match wins over the 'ingress' entry.
        en: re(
          `${B}(?:Ingress|Egress) in (?:its|their) policyTypes${E}`,
          w('policyTypes'),
          w('Egress'),
        ),
        'zh-CN': re(`${B}policyTypes 含 (?:Ingress|Egress)${E}`, w('policyTypes'), w('Egress')),
      },
      short: text(
        'The directions a NetworkPolicy isolates the Pods it selects in: Ingress (what reaches them), Egress (what they send), or both. Left out, it is Ingress, plus Egress if the policy has an egress section. It has nothing to do with the Ingress object that routes HTTP.',
        'NetworkPolicy 隔离其选中 Pod 的方向：Ingress（进入 Pod 的流量）、Egress（Pod 发出的流量），或两者都有。不写时为 Ingress，策略含 egress 部分时再加上 Egress。它与按 HTTP 路由的 Ingress 对象毫无关系。',
      ),
      source: {
        title: 'Kubernetes: Network Policies',
        url: `${K8S}/concepts/services-networking/network-policies/`,
      },
    },
    {
      // felix/rules/endpoints.go (projectcalico/calico): per tier, "Start of tier <name>" clears
      // the pass mark, each policy's chain is jumped to while it is clear and "Return if policy
      // accepted" returns once the accept mark is set; the tier's last rule drops what is left.
      id: 'felix-end-of-tier',
      term: text("End of tier (felix's accept mark)", 'End of tier（felix 的接受标记）'),
      match: {
        en: re(
          'End of tier \\w+\\. Drop if no policies passed packet',
          w('End of tier'),
          '\\baccept mark\\b',
        ),
        'zh-CN': re(
          'End of tier \\w+\\. Drop if no policies passed packet',
          w('End of tier'),
          '接受标记',
        ),
      },
      short: text(
        'How felix decides in a cali-tw-/cali-fw- chain: it jumps to each selecting policy\'s cali-pi-/cali-po- chain in turn; a rule there that allows the packet sets the accept mark (0x10000 here) and the chain returns at once. If no policy did, the tier\'s last rule, "End of tier default. Drop if no policies passed packet", drops it.',
        'felix 在 cali-tw-/cali-fw- 链中如何裁决：依次跳转到每个选中该 Pod 的策略的 cali-pi-/cali-po- 链；那里允许这个包的规则会设置接受标记（这里是 0x10000），链随即返回。如果没有任何策略这样做，这一层（tier）的最后一条规则“End of tier default. Drop if no policies passed packet”就把它丢弃。',
      ),
      source: {
        title: 'Calico source: felix/rules/endpoints.go',
        url: 'https://github.com/projectcalico/calico/blob/master/felix/rules/endpoints.go',
      },
    },
    {
      // felix/ipsets/ipset_defs.go NameForMainIPSet (cali + 4 + 0 + set ID, cut to 31);
      // libcalico-go/lib/selector UniqueID (s: + base64url SHA-224 of the canonical selector);
      // felix/calc/rule_scanner.go (named-port sets, n:).
      id: 'felix-selector-ipset',
      term: text("cali40s: (felix's selector IP sets)", 'cali40s:（felix 的选择器 IP 集合）'),
      match: {
        en: re('\\bcali40[sn]:[A-Za-z0-9_-]*'),
        'zh-CN': re('\\bcali40[sn]:[A-Za-z0-9_-]*'),
      },
      short: text(
        "felix's ipset for one selector of a policy rule. Its name is cali40s: (IPv4, a main set, a selector) plus the start of the selector's ID, a SHA-224 hash of the selector in Calico's canonical form, cut to ipset's 31 characters. Its members are the addresses of the Pods the selector selects, in any namespace and on any node; felix adds and removes them as Pods come and go, so the iptables rule never changes. A cali40n: set holds address,protocol:port pairs for a named port.",
        'felix 为策略规则中的一个选择器建的 ipset。名字是 cali40s:（IPv4、主集合、选择器）加上选择器 ID 的开头；这个 ID 是 Calico 规范形式的选择器的 SHA-224 哈希，截断到 ipset 名字的 31 个字符。成员是该选择器选中的 Pod 的地址，不论在哪个命名空间、哪个节点；Pod 来去时 felix 增删成员，iptables 规则本身不变。cali40n: 集合则为命名端口存放 地址,协议:端口。',
      ),
      source: {
        title: 'Calico source: felix/ipsets/ipset_defs.go',
        url: 'https://github.com/projectcalico/calico/blob/master/felix/ipsets/ipset_defs.go',
      },
    },
    {
      // Kubernetes API reference, NetworkPolicyPeer.namespaceSelector; libcalico-go
      // NamespaceToProfile copies the labels as pcns.<key>.
      id: 'namespace-selector',
      term: text('namespaceSelector', 'namespaceSelector'),
      match: {
        en: re(w('namespaceSelector'), '\\bpcns\\.'),
        'zh-CN': re(w('namespaceSelector'), '\\bpcns\\.'),
      },
      short: text(
        "A peer of a NetworkPolicy rule that picks namespaces by their labels; every Namespace has kubernetes.io/metadata.name set to its name by the API server, so a policy can name one. Alone it admits every Pod of those namespaces; a podSelector without it picks Pods of the policy's own namespace. Calico gives every Pod its namespace's labels as pcns.<label>, so one selector tests both.",
        'NetworkPolicy 规则的一种对端，按标签选择命名空间；API server 给每个 Namespace 设置 kubernetes.io/metadata.name 为它的名字，所以策略可以按名字选一个命名空间。单独使用时放行这些命名空间里的所有 Pod；不带它的 podSelector 只选策略所在命名空间的 Pod。Calico 把命名空间的标签以 pcns.<标签> 的形式加到每个 Pod 上，这样一个选择器就能同时检查两者。',
      ),
      source: {
        title: 'Kubernetes: Network Policies',
        url: `${K8S}/concepts/services-networking/network-policies/`,
      },
    },
    {
      // kubernetes.io network-policies, "Behavior of to and from selectors".
      id: 'policy-and-or',
      term: text('AND/OR in from and to', 'from 和 to 中的 AND/OR'),
      match: {
        en: re(w('AND/OR'), w('podSelector')),
        'zh-CN': re(w('AND/OR'), w('podSelector')),
      },
      short: text(
        "In one element of a rule's from (or to), namespaceSelector and podSelector must both match: Pods with those labels in those namespaces (AND). Written as two elements, a leading dash apart, either is enough: every Pod of those namespaces, or Pods with those labels in the policy's own namespace (OR).",
        '在规则的 from（或 to）的同一个元素里，namespaceSelector 和 podSelector 必须同时匹配：这些命名空间中带这些标签的 Pod（AND）。写成两个元素（YAML 里多一个短横线）时，满足其一即可：这些命名空间里的所有 Pod，或策略所在命名空间中带这些标签的 Pod（OR）。',
      ),
      source: {
        title: 'Kubernetes: Network Policies, Behavior of to and from selectors',
        url: `${K8S}/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors`,
      },
    },
    {
      id: 'br-netfilter',
      term: text('br_netfilter', 'br_netfilter'),
      match: {
        en: re(w('br_netfilter'), 'bridge-nf-call-iptables'),
        'zh-CN': re(w('br_netfilter'), 'bridge-nf-call-iptables'),
      },
      short: text(
        "The kernel module that makes frames switched by a bridge go through iptables too (net.bridge.bridge-nf-call-iptables=1), so kube-proxy's rules see Pod-to-Pod traffic on one node.",
        '让网桥交换的帧也经过 iptables 的内核模块（net.bridge.bridge-nf-call-iptables=1），这样同一节点上 Pod 之间的流量也能被 kube-proxy 的规则处理。',
      ),
      source: {
        title: 'Kubernetes: Network Plugins',
        url: `${K8S}/concepts/extend-kubernetes/compute-storage-net/network-plugins/`,
      },
    },
  ]),
  ...topic('dns', [
    {
      id: 'dns',
      term: text('DNS', 'DNS'),
      match: { en: re(w('DNS')), 'zh-CN': re(w('DNS')) },
      short: text(
        'The Domain Name System: a query for a name and type (here A, an IPv4 address) over UDP port 53, answered with records or NXDOMAIN.',
        '域名系统：通过 UDP 53 端口查询某个名字和类型（这里是 A，即 IPv4 地址），对方以记录或 NXDOMAIN 作答。',
      ),
      source: RFC(1034),
    },
    {
      id: 'coredns-forward',
      term: text('forward . /etc/resolv.conf', 'forward . /etc/resolv.conf'),
      match: {
        en: re('forward \\. /etc/resolv\\.conf'),
        'zh-CN': re('forward \\. /etc/resolv\\.conf'),
      },
      short: text(
        "The line of CoreDNS's Corefile that sends every name outside the cluster zone to the nameservers of its own resolv.conf (the node's, with dnsPolicy Default): the upstream, which answers from the public DNS.",
        'CoreDNS 的 Corefile 中的这一行把集群域之外的每个名字发给它自己 resolv.conf 中的 nameserver（dnsPolicy 为 Default 时即节点的）：也就是上游，由它从公共 DNS 作答。',
      ),
      source: { title: 'CoreDNS: forward plugin', url: 'https://coredns.io/plugins/forward/' },
    },
    {
      id: 'coredns',
      term: text('CoreDNS', 'CoreDNS'),
      match: { en: re(w('CoreDNS')), 'zh-CN': re(w('CoreDNS')) },
      short: text(
        'The cluster DNS server, behind the Service kube-dns. Its kubernetes plugin watches Services and answers <service>.<namespace>.svc.cluster.local from memory.',
        '集群 DNS 服务器，位于 kube-dns 这个 Service 之后。它的 kubernetes 插件监视 Service，直接从内存回答 <service>.<namespace>.svc.cluster.local。',
      ),
      source: {
        title: 'CoreDNS: kubernetes plugin',
        url: 'https://coredns.io/plugins/kubernetes/',
      },
    },
    {
      id: 'corefile',
      term: text('Corefile', 'Corefile'),
      match: { en: re(w('Corefile')), 'zh-CN': re(w('Corefile')) },
      short: text(
        "CoreDNS's configuration file: which zones it serves and with which plugins (kubernetes for cluster.local, forward for the rest).",
        'CoreDNS 的配置文件：它服务哪些区域、用哪些插件（cluster.local 用 kubernetes，其余用 forward）。',
      ),
      source: { title: 'CoreDNS manual', url: 'https://coredns.io/manual/toc/' },
    },
    {
      id: 'resolv-conf',
      term: text('resolv.conf', 'resolv.conf'),
      match: { en: re('\\bresolv\\.conf\\b'), 'zh-CN': re('\\bresolv\\.conf\\b') },
      short: text(
        "The resolver's configuration in /etc/resolv.conf: the nameserver to ask, the search list, and options such as ndots. kubelet writes it for every Pod.",
        '解析器的配置文件 /etc/resolv.conf：要询问的 nameserver、搜索列表，以及 ndots 等选项。kubelet 为每个 Pod 生成它。',
      ),
      source: { title: 'resolv.conf(5)', url: `${MAN}/man5/resolv.conf.5.html` },
    },
    {
      id: 'search-list',
      term: text('search list', '搜索列表'),
      match: { en: /\bsearch (?:list|domains?)\b/i, 'zh-CN': re('搜索列表', '搜索域') },
      short: text(
        'Domains the resolver appends to a short name, one after the other, until one exists: web becomes web.default.svc.cluster.local first.',
        '解析器依次追加到短名字后面的域名，直到某一个存在：web 首先变成 web.default.svc.cluster.local。',
      ),
      source: DNS,
    },
    {
      id: 'ndots',
      term: text('ndots', 'ndots'),
      match: { en: re(w('ndots(?::\\d+)?')), 'zh-CN': re(w('ndots(?::\\d+)?')) },
      short: text(
        'A name with fewer dots than ndots (5 in a Pod) is tried with every search domain before as it is, which costs extra round trips for outside names.',
        '点数少于 ndots（Pod 中为 5）的名字，会先依次加上每个搜索域去查，最后才按原样查询；这会给集群外的名字带来额外的往返。',
      ),
      source: { title: 'resolv.conf(5)', url: `${MAN}/man5/resolv.conf.5.html` },
    },
    {
      id: 'dns-policy',
      term: text('dnsPolicy: ClusterFirst', 'dnsPolicy: ClusterFirst'),
      match: {
        en: re(w('dnsPolicy'), w('ClusterFirst')),
        'zh-CN': re(w('dnsPolicy'), w('ClusterFirst')),
      },
      short: text(
        "A Pod's DNS setting; the default, ClusterFirst, points its resolv.conf at the cluster DNS Service with the cluster's search list. Default (as CoreDNS itself runs) gives the Pod its node's own resolv.conf.",
        'Pod 的 DNS 设置；默认值 ClusterFirst 让它的 resolv.conf 指向集群 DNS Service，并带上集群的搜索列表。Default（CoreDNS 自己就这样运行）则让 Pod 使用所在节点自己的 resolv.conf。',
      ),
      source: DNS,
    },
    {
      id: 'nxdomain',
      term: text('NXDOMAIN and NOERROR', 'NXDOMAIN 与 NOERROR'),
      match: { en: re(w('NXDOMAIN|NOERROR')), 'zh-CN': re(w('NXDOMAIN|NOERROR')) },
      short: text(
        'The status of a DNS answer: NOERROR with the records asked for, or NXDOMAIN, "no such name", after which the resolver tries the next name of its search list.',
        'DNS 应答的状态：NOERROR 带着所问的记录，或 NXDOMAIN，即“没有这个名字”，解析器随后尝试搜索列表中的下一个名字。',
      ),
      source: RFC(8020),
    },
    {
      id: 'cname',
      term: text('CNAME', 'CNAME'),
      match: { en: re(w('CNAME')), 'zh-CN': re(w('CNAME')) },
      short: text(
        'A DNS record saying a name is an alias of another name; the client then resolves that one.',
        '表示一个名字是另一个名字别名的 DNS 记录；客户端接着解析那个名字。',
      ),
      source: RFC(1034),
    },
    {
      id: 'external-dns',
      term: text('external-dns', 'external-dns'),
      match: { en: re(w('external-dns')), 'zh-CN': re(w('external-dns')) },
      short: text(
        'A controller that writes public DNS records for Services and Ingresses; without it (or the site owner) Kubernetes publishes no public name.',
        '为 Service 和 Ingress 写入公共 DNS 记录的控制器；没有它（或站点所有者手工配置），Kubernetes 不会发布任何公共名字。',
      ),
      source: {
        title: 'ExternalDNS',
        url: 'https://github.com/kubernetes-sigs/external-dns',
      },
    },
  ]),
  ...topic('edge', [
    {
      id: 'ingress',
      term: text('Ingress', 'Ingress'),
      match: {
        en: re(`${B}Ingress(?:es)?(?! controller)${E}`),
        'zh-CN': re(`${B}Ingress(?:es)?(?! ?控制器| controller)${E}`),
      },
      short: text(
        'An API object of HTTP(S) rules by host and path, each sending matching requests to a Service. It does nothing by itself: an Ingress controller carries it out.',
        '按主机名和路径描述 HTTP(S) 规则的 API 对象，每条规则把匹配的请求发往一个 Service。它自己什么也不做，由 Ingress 控制器来执行。',
      ),
      source: INGRESS,
    },
    {
      id: 'ingress-controller',
      term: text('Ingress controller', 'Ingress 控制器'),
      match: {
        en: /\bIngress controllers?\b/i,
        'zh-CN': rei('\\bIngress ?控制器', '\\bIngress controllers?\\b'),
      },
      short: text(
        'A proxy running in Pods (ingress-nginx, Traefik, HAProxy) that watches Ingresses of its class, configures itself from them, and proxies each request to an endpoint.',
        '运行在 Pod 中的代理（ingress-nginx、Traefik、HAProxy）：监视属于自己类别的 Ingress，据此配置自己，并把每个请求代理到某个端点。',
      ),
      source: {
        title: 'Kubernetes: Ingress Controllers',
        url: `${K8S}/concepts/services-networking/ingress-controllers/`,
      },
    },
    {
      id: 'ingress-class',
      term: text('IngressClass', 'IngressClass'),
      match: {
        en: re(w('IngressClass'), w('ingressClassName')),
        'zh-CN': re(w('IngressClass'), w('ingressClassName')),
      },
      short: text(
        "Names which controller implements an Ingress: an Ingress's ingressClassName picks one, and only that controller acts on it.",
        '指明由哪个控制器实现 Ingress：Ingress 的 ingressClassName 选中一个类别，只有那个控制器处理它。',
      ),
      source: INGRESS,
    },
    {
      id: 'ingress-nginx',
      term: text('ingress-nginx', 'ingress-nginx'),
      match: {
        en: re(w('ingress-nginx'), '\\bLua balancer\\b'),
        'zh-CN': re(w('ingress-nginx'), 'Lua 负载均衡器'),
      },
      short: text(
        'The Ingress controller maintained by the Kubernetes project: nginx, configured from Ingresses, whose Lua balancer sends to the endpoints of a Service directly, not through its ClusterIP (unless the Ingress sets service-upstream).',
        'Kubernetes 项目维护的 Ingress 控制器：基于 nginx，按 Ingress 生成配置，它的 Lua 负载均衡器直接发往 Service 的端点，而不经过 ClusterIP（除非 Ingress 设置了 service-upstream）。',
      ),
      source: { title: 'ingress-nginx', url: 'https://kubernetes.github.io/ingress-nginx/' },
    },
    {
      id: 'nginx-location',
      term: text('nginx server and location', 'nginx 的 server 与 location'),
      match: {
        en: re(w('location'), w('server_name')),
        'zh-CN': re(w('location'), w('server_name')),
      },
      short: text(
        "nginx picks a server block by the request's Host (server_name), then a location by its path: an exact match, else the longest prefix.",
        'nginx 先按请求的 Host（server_name）选 server 块，再按路径选 location：先看精确匹配，否则取最长前缀。',
      ),
      source: {
        title: 'nginx: location',
        url: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#location',
      },
    },
    {
      id: 'upstream',
      term: text('upstream', 'upstream（上游）'),
      match: { en: re(w('upstream')), 'zh-CN': re(w('upstream'), '上游') },
      short: text(
        'In a proxy, the group of backends a request is passed to; ingress-nginx names one per Service port, holding its endpoints.',
        '代理中接收请求的后端组；ingress-nginx 为每个 Service 端口建一个，里面是它的端点。',
      ),
      source: {
        title: 'nginx: upstream',
        url: 'https://nginx.org/en/docs/http/ngx_http_upstream_module.html',
      },
    },
    {
      id: 'default-backend',
      term: text('default backend', '默认后端'),
      match: { en: /\bdefault backend\b/i, 'zh-CN': re('默认后端', 'default backend') },
      short: text(
        "Where an Ingress controller sends a request no rule matches; ingress-nginx's own answers 404 Not Found.",
        'Ingress 控制器处理没有任何规则匹配的请求的去处；ingress-nginx 自带的默认后端回答 404 Not Found。',
      ),
      source: INGRESS,
    },
    {
      id: 'path-type',
      term: text('pathType', 'pathType'),
      match: {
        en: re(w('pathType'), w('PathPrefix')),
        'zh-CN': re(w('pathType'), w('PathPrefix')),
      },
      short: text(
        'How an Ingress path matches: Exact, or Prefix, which matches whole path segments (/api matches /api and /api/cart, not /apix).',
        'Ingress 路径的匹配方式：Exact（精确），或 Prefix（按完整的路径段匹配：/api 匹配 /api 和 /api/cart，不匹配 /apix）。',
      ),
      source: INGRESS,
    },
    {
      id: 'host-header',
      term: text('Host header', 'Host 头'),
      match: { en: re('\\bHost header\\b', '\\bHost:'), 'zh-CN': re('\\bHost 头', '\\bHost:') },
      short: text(
        'The HTTP header naming the site a request is for; proxies route by it, which is how many sites share one address.',
        '指明请求要访问哪个站点的 HTTP 头；代理按它路由，这样多个站点才能共用一个地址。',
      ),
      source: RFC(9110),
    },
    {
      id: 'x-forwarded-for',
      term: text('X-Forwarded-For and X-Real-IP', 'X-Forwarded-For 与 X-Real-IP'),
      match: {
        en: re(w('X-Forwarded-[A-Za-z]+|X-Real-IP|X-Request-I[Dd]|X-Scheme')),
        'zh-CN': re(w('X-Forwarded-[A-Za-z]+|X-Real-IP|X-Request-I[Dd]|X-Scheme')),
      },
      short: text(
        'Headers a proxy adds about the original request: X-Forwarded-For and X-Real-IP carry the client address it saw, because the backend sees the proxy as the source of the new connection; X-Forwarded-Proto, -Host and -Port the scheme, host and port the client used.',
        '代理为原始请求添加的头：X-Forwarded-For 和 X-Real-IP 写入它看到的客户端地址，因为后端看到的新连接来源是代理本身；X-Forwarded-Proto、-Host、-Port 写入客户端使用的协议、主机名和端口。',
      ),
      source: RFC(7239),
    },
    {
      id: 'tls',
      term: text('TLS', 'TLS'),
      match: { en: re(w('TLS'), w('HTTPS')), 'zh-CN': re(w('TLS'), w('HTTPS')) },
      short: text(
        "The encryption under HTTPS: after a handshake that proves the server's certificate, everything is encrypted; only the holder of the key can read the request.",
        'HTTPS 底层的加密：握手证明服务器的证书之后，一切内容都被加密；只有持有私钥的一方才能读到请求。',
      ),
      source: RFC(8446),
    },
    {
      id: 'tls-termination',
      term: text('TLS termination', 'TLS 终止'),
      match: {
        en: rei('\\bTLS termination\\b', '\\bterminat(?:e|es|ed|ing) (?:the )?TLS\\b'),
        'zh-CN': re('终止 ?TLS', 'TLS ?终止', '终结 ?TLS'),
      },
      short: text(
        "Decrypting TLS at a proxy with the site's certificate (an Ingress's tls Secret), so the proxy can read and route the request; it then goes on to the backend as plain HTTP.",
        '在代理处用站点证书（Ingress 的 tls Secret）解密 TLS，让代理能读到并路由请求；之后请求以明文 HTTP 继续发往后端。',
      ),
      source: INGRESS,
    },
    {
      id: 'sni',
      term: text('SNI', 'SNI'),
      match: { en: re(w('SNI')), 'zh-CN': re(w('SNI')) },
      short: text(
        'Server Name Indication: the site name a client puts, unencrypted, in its TLS ClientHello, so the proxy can choose the right certificate before decrypting.',
        '服务器名称指示：客户端在 TLS ClientHello 中以明文写入的站点名，让代理在解密之前就能选对证书。',
      ),
      source: RFC(6066),
    },
    {
      id: 'client-hello',
      term: text('ClientHello', 'ClientHello'),
      match: { en: re(w('ClientHello')), 'zh-CN': re(w('ClientHello')) },
      short: text(
        'The first message of a TLS handshake, sent by the client: its TLS versions, ciphers and the SNI.',
        'TLS 握手的第一条消息，由客户端发出：包含它支持的 TLS 版本、密码套件以及 SNI。',
      ),
      source: RFC(8446),
    },
    {
      id: 'secret',
      term: text('TLS Secret', 'TLS Secret'),
      match: { en: re(`${B}Secret${E}`), 'zh-CN': re(`${B}Secret${E}`) },
      short: text(
        'A Kubernetes object holding a certificate and its key (tls.crt, tls.key); an Ingress names it under spec.tls for the hosts it serves.',
        '保存证书及其私钥（tls.crt、tls.key）的 Kubernetes 对象；Ingress 在 spec.tls 中为所服务的主机引用它。',
      ),
      source: {
        title: 'Kubernetes: TLS Secrets',
        url: `${K8S}/concepts/configuration/secret/#tls-secrets`,
      },
    },
    {
      id: 'gateway',
      term: text('Gateway', 'Gateway'),
      match: {
        en: re(`${B}Gateways?(?!Class| API)${E}`),
        'zh-CN': re(`${B}Gateways?(?!Class| API)${E}`),
      },
      short: text(
        'A Gateway API object for the cluster operator: listeners (port, protocol, hostname) on a proxy of some GatewayClass, and which routes may attach to them.',
        'Gateway API 中属于集群运维者的对象：某个 GatewayClass 代理上的监听器（端口、协议、主机名），以及哪些路由可以挂到它们上面。',
      ),
      source: GATEWAY,
    },
    {
      id: 'gateway-class',
      term: text('GatewayClass', 'GatewayClass'),
      match: { en: re(w('GatewayClass(?:es)?')), 'zh-CN': re(w('GatewayClass(?:es)?')) },
      short: text(
        "The infrastructure provider's object in Gateway API: it names the controller (Envoy Gateway, say) that runs the Gateways of that class.",
        'Gateway API 中属于基础设施提供者的对象：指明由哪个控制器（例如 Envoy Gateway）运行该类别的 Gateway。',
      ),
      source: GATEWAY,
    },
    {
      id: 'httproute',
      term: text('HTTPRoute', 'HTTPRoute'),
      match: { en: re(w('HTTPRoutes?')), 'zh-CN': re(w('HTTPRoutes?')) },
      short: text(
        "The application developer's object in Gateway API: hostnames, matches (path, headers), filters and weighted backends, attached to a Gateway's listener.",
        'Gateway API 中属于应用开发者的对象：主机名、匹配条件（路径、头）、过滤器和带权重的后端，挂在 Gateway 的监听器上。',
      ),
      source: {
        title: 'Gateway API: HTTPRoute',
        url: 'https://gateway-api.sigs.k8s.io/api-types/httproute/',
      },
    },
    {
      id: 'listener',
      term: text('listener', '监听器'),
      match: { en: re(w('listeners?')), 'zh-CN': re('监听器', w('listeners?')) },
      short: text(
        'A port, protocol and optional hostname on which a Gateway (or a proxy) accepts connections; allowedRoutes says which routes may attach.',
        'Gateway（或代理）接受连接的端口、协议和可选主机名；allowedRoutes 决定哪些路由可以挂上来。',
      ),
      source: GATEWAY,
    },
    {
      id: 'allowed-routes',
      term: text('allowedRoutes', 'allowedRoutes'),
      match: {
        en: re('\\ballowedRoutes\\b', w('NotAllowedByListeners')),
        'zh-CN': re('\\ballowedRoutes\\b', w('NotAllowedByListeners')),
      },
      short: text(
        "A listener's rule for which namespaces' routes may attach (Same by default); a route from elsewhere is refused with reason NotAllowedByListeners.",
        '监听器关于哪些命名空间的路由可以挂上来的规则（默认 Same）；来自其他命名空间的路由会被拒绝，原因为 NotAllowedByListeners。',
      ),
      source: {
        title: 'Gateway API: Gateway',
        url: 'https://gateway-api.sigs.k8s.io/api-types/gateway/',
      },
    },
    {
      id: 'weight',
      term: text('backend weight', '后端权重'),
      match: { en: /\bweights?\b/i, 'zh-CN': re('权重', '\\bweights?\\b') },
      short: text(
        "An HTTPRoute rule's backendRefs each carry a weight; the proxy sends each backend its share of the requests (weights 9 and 1: 90% and 10%).",
        'HTTPRoute 规则中每个 backendRef 都带一个权重；代理按比例把请求分给各后端（权重 9 和 1：90% 和 10%）。',
      ),
      source: {
        title: 'Gateway API: HTTPRoute',
        url: 'https://gateway-api.sigs.k8s.io/api-types/httproute/',
      },
    },
    {
      id: 'route-filter',
      term: text('HTTPRoute filter', 'HTTPRoute 过滤器'),
      match: {
        en: re(w('RequestHeaderModifier'), '\\bFilters:', '\\bHTTPRoute filters?\\b'),
        'zh-CN': re(w('RequestHeaderModifier'), '过滤器'),
      },
      short: text(
        'A step an HTTPRoute rule applies to a request on the way (RequestHeaderModifier sets, adds or removes headers; others redirect or rewrite).',
        'HTTPRoute 规则在途中对请求执行的处理（RequestHeaderModifier 设置、添加或删除头；其他过滤器做重定向或改写）。',
      ),
      source: {
        title: 'Gateway API: HTTPRoute',
        url: 'https://gateway-api.sigs.k8s.io/api-types/httproute/',
      },
    },
    {
      id: 'envoy',
      term: text('Envoy Gateway', 'Envoy Gateway'),
      match: { en: re(w('Envoy(?: Gateway)?')), 'zh-CN': re(w('Envoy(?: Gateway)?')) },
      short: text(
        'A Gateway API implementation: its controller turns Gateways and HTTPRoutes into configuration for Envoy proxies it runs in Pods.',
        '一种 Gateway API 实现：它的控制器把 Gateway 和 HTTPRoute 转换成配置，交给它在 Pod 中运行的 Envoy 代理。',
      ),
      source: { title: 'Envoy Gateway', url: 'https://gateway.envoyproxy.io/' },
    },
  ]),
]
