/**
 * A scenario as read from YAML (see docs/scenario-format.md): what the learner wrote,
 * with every position kept for error messages. Filling in what was left out happens in sim/assemble.
 */
import type { Where } from './diagnostic.ts'
import type { Cidr } from './ipv4.ts'
import type { NetworkPolicyDecl } from './network-policy.ts'
import type {
  GatewayClassDecl,
  GatewayDecl,
  HttpRouteDecl,
  IngressClassDecl,
  IngressDecl,
  ReferenceGrantDecl,
  SecretDecl,
} from './l7-decls.ts'

/** The CNI plugin that implements the Kubernetes network model on this cluster. */
export type CniPlugin =
  'flannel' | 'calico' | 'aws-vpc-cni' | 'bridge' | 'kindnet' | 'canal' | 'cilium'
/** flannel's backends; canal runs flannel too, so it takes the same ones. */
export type FlannelBackend = 'vxlan' | 'host-gw'
export type CalicoBackend = 'ipip' | 'vxlan' | 'bgp'

export interface CniSpec {
  plugin: CniPlugin
  /** flannel and canal: vxlan | host-gw; calico: ipip | vxlan | bgp. */
  backend: FlannelBackend | CalicoBackend | null
  /** The Linux bridge Pods plug into (bridge and flannel): `cni0`, or `docker0` as Docker names it. */
  bridgeName: string
  /** VXLAN network identifier (flannel `Backend.VNI`). */
  vni: number | null
  /** VXLAN UDP port (flannel `Backend.Port`). */
  port: number | null
  /** Calico IPAM block size (IPPool `blockSize`). */
  blockSize: number | null
  /** AWS VPC CNI: EC2 instance type, which fixes ENIs and IPs per ENI. */
  instanceType: string | null
  /**
   * flannel and canal: flanneld's `--ip-masq` (kube-flannel.yml passes it, so true unless the
   * scenario says otherwise): masquerade what Pods send outside the Pod network.
   */
  ipMasq: boolean
  /**
   * Calico: the IPPool's `natOutgoing`. true when the pool is calico-node's default one
   * (CALICO_IPV4POOL_NAT_OUTGOING defaults to true, node/pkg/lifecycle/startup/startup.go);
   * false for an IPPool document that leaves it out (the v3 API field is a plain bool,
   * api/pkg/apis/projectcalico/v3/ippool.go).
   */
  natOutgoing: boolean
  /**
   * AWS VPC CNI: the aws-node DaemonSet's SNAT variables, from `cni.env` by their own names
   * (amazon-vpc-cni-k8s pkg/networkutils/network.go).
   */
  awsSnat: AwsSnatEnv
  /** Cilium: its Helm values, by their own names (install/kubernetes/cilium/values.yaml). */
  cilium: CiliumValues
}

/**
 * The Cilium Helm values PodPath reads. The chart's defaults: `routingMode` tunnel and
 * `tunnelProtocol` vxlan (both "" in values.yaml, which the agent reads as its defaults),
 * `kubeProxyReplacement` false, `loadBalancer.mode` snat.
 */
export interface CiliumValues {
  routingMode: 'tunnel' | 'native'
  tunnelProtocol: 'vxlan' | 'geneve'
  /** true: no kube-proxy runs; Cilium's BPF programs implement Services. */
  kubeProxyReplacement: boolean
  /** loadBalancer.mode: how BPF NodePort forwards to a backend on another node. */
  loadBalancerMode: 'snat' | 'dsr' | 'hybrid'
}

/** aws-node's environment as ipamd reads it for the SNAT rules (network.go New()). */
export interface AwsSnatEnv {
  /** AWS_VPC_K8S_CNI_EXTERNALSNAT (default false): no SNAT rules; a NAT gateway translates. */
  externalSNAT: boolean
  /** AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: further destinations that keep the Pod's address. */
  excludeCIDRs: Cidr[]
  /** AWS_VPC_K8S_CNI_RANDOMIZESNAT (default prng: --random-fully; hashrandom: --random). */
  randomize: 'prng' | 'hashrandom' | 'none'
}

export type KubeProxyMode = 'userspace' | 'iptables' | 'ipvs' | 'nftables'

export interface KubeProxySpec {
  mode: KubeProxyMode
  scheduler: string
  masqueradeAll: boolean
  /**
   * Userspace mode's proxy ports (KubeProxyConfiguration portRange, --proxy-port-range), as
   * utilnet.PortRange: base and size. Null (the default, or a base of 0): the kernel picks.
   */
  portRange: { base: number; size: number } | null
}

export type CloudProvider = 'none' | 'aws' | 'generic'

/**
 * What a CNI's node agent publishes in the Node's annotations: flanneld's lease
 * (flannel.alpha.coreos.com/*) and calico-node's BGP spec (projectcalico.org/*).
 */
export interface NodeCniAnnotations {
  flannel: {
    /** backend-type: vxlan, host-gw, ... */
    backendType: string | null
    /** backend-data {"VNI":1,"VtepMAC":"..."}: the node's flannel.<VNI> device. */
    vni: number | null
    vtepMac: string | null
    /** public-ip (public-ip-overwrite wins): the address other nodes reach its VTEP at. */
    publicIp: number | null
  } | null
  calico: {
    /** IPv4Address: the node's BGP address with its prefix, so the node subnet. */
    ipv4Address: { ip: number; prefix: number } | null
    ipipTunnelAddr: number | null
    vxlanTunnelAddr: number | null
    vxlanTunnelMac: string | null
  } | null
}

/** A node as declared: in `Cluster.spec.nodes` or as a real `kind: Node`. */
export interface NodeDecl {
  name: string
  ip: number | null
  podCIDR: Cidr | null
  labels: Record<string, string>
  /** True for a `kind: Node` object (the cluster's own output), false for `Cluster.spec.nodes`. */
  real: boolean
  /** spec.providerID: `kind://docker/kind/<node>`, `aws:///<zone>/<instance>`, ... */
  providerID: string | null
  /** nodes[].externalIP, or a real Node's ExternalIP address: its public IPv4 address, if any. */
  externalIP: number | null
  annotations: NodeCniAnnotations
  where: Where
}

export interface PortDecl {
  name: string | null
  containerPort: number
  protocol: 'TCP' | 'UDP' | 'SCTP'
}

export interface ContainerDecl {
  name: string
  image: string
  ports: PortDecl[]
  where: Where
}

/** A Pod as declared, or as stamped out of a Deployment, ReplicaSet, StatefulSet or DaemonSet. */
export interface PodDecl {
  namespace: string
  /** Null when a controller will name it (filled in deterministically at build time). */
  name: string | null
  /** The controller that stamps this Pod out, e.g. `Deployment/web`; null for a bare Pod. */
  owner: { kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet'; name: string } | null
  /** Index of the replica within its owner. */
  ordinal: number
  /** For a DaemonSet replica: the node it belongs on. */
  daemonNode: string | null
  /** metadata.ownerReferences' controller, for a Pod read from the cluster's own output. */
  controllerRef: { kind: string; name: string } | null
  templateHash: string | null
  nodeName: string | null
  /** Where spec.nodeName is written, for a diagnostic about the node it names. */
  nodeNameWhere?: Where
  hostNetwork: boolean
  /**
   * spec.serviceAccountName; "default" when unset, as the ServiceAccount admission plugin sets it.
   * Policy engines match on it: felix's ksa.<namespace>.<name> profile, Cilium's
   * io.cilium.k8s.policy.serviceaccount identity label.
   */
  serviceAccountName: string
  labels: Record<string, string>
  containers: ContainerDecl[]
  podIP: number | null
  /**
   * The Pod's Ready condition (status.conditions type Ready). A Pod that does not say is taken
   * as running and ready, as a Pod that passed its readiness probe would be.
   */
  ready: boolean
  /** metadata.deletionTimestamp is set: the Pod is shutting down (terminating). */
  terminating: boolean
  /** status.phase Succeeded or Failed: its containers have stopped for good. */
  terminal: boolean
  where: Where
}

export interface TrafficDecl {
  name: string
  from:
    | { kind: 'pod'; namespace: string; name: string; container: string | null }
    | { kind: 'node'; node: string }
    | { kind: 'external'; ip: number }
  to: string
  protocol: 'tcp' | 'udp'
  headers: Record<string, string>
  where: Where
  /** Positions of `spec.from` and `spec.to`, for errors about what they name. */
  fromWhere: Where
  toWhere: Where
}

export interface ClusterDecl {
  name: string
  clusterCIDR: Cidr
  serviceCIDR: Cidr
  dnsDomain: string
  /** Underlay MTU; null means the platform's usual value (1500, or 9001 on AWS ENIs). */
  mtu: number | null
  /** The underlay subnet the nodes' eth0 sit on; null means inferred from the node addresses. */
  nodeCIDR: Cidr | null
  cni: CniSpec
  kubeProxy: KubeProxySpec
  cloud: CloudProvider
  /**
   * The nameserver in the nodes' /etc/resolv.conf, which CoreDNS forwards names outside the
   * cluster zone to (`forward . /etc/resolv.conf`); null when the scenario gives none.
   */
  upstreamDNS: number | null
  /** Hosts on the Internet and their public A records (a Traffic to one is an egress request). */
  externalHosts: ExternalHostDecl[]
  where: Where
}

/** A host outside the cluster, as the public DNS answers for it. */
export interface ExternalHostDecl {
  /** Its DNS name, lower case, without a trailing dot. */
  name: string
  ip: number
  where: Where
}

/** A document PodPath read but does not simulate; kept so it round-trips, reported as ignored. */
export interface IgnoredDoc {
  kind: string
  apiVersion: string
  name: string
  where: Where
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'

export interface ServicePortDecl {
  name: string | null
  port: number
  /** A number, a container port name, or null (then the same as `port`). */
  targetPort: number | string | null
  nodePort: number | null
  protocol: 'TCP' | 'UDP' | 'SCTP'
}

/** A Service (v1): a stable virtual IP and name in front of the Pods its selector picks. */
export interface ServiceDecl {
  namespace: string
  name: string
  type: ServiceType
  /** An address, 'None' for a headless Service, or null to be allocated from the service CIDR. */
  clusterIP: number | 'None' | null
  ports: ServicePortDecl[]
  /** Null: no selector, endpoints come from EndpointSlices given in the scenario. */
  selector: Record<string, string> | null
  externalName: string | null
  externalTrafficPolicy: 'Cluster' | 'Local'
  internalTrafficPolicy: 'Cluster' | 'Local'
  sessionAffinity: 'None' | 'ClientIP'
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800). */
  sessionAffinityTimeout: number
  loadBalancerSourceRanges: Cidr[]
  /** spec.externalIPs: addresses that route to a node, where kube-proxy captures them. */
  externalIPs: number[]
  /** spec.healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local); null: allocated. */
  healthCheckNodePort: number | null
  /** spec.publishNotReadyAddresses: endpoints count as ready whatever their Pods say. */
  publishNotReadyAddresses: boolean
  /**
   * status.loadBalancer.ingress as given in the scenario; null when the scenario gives no
   * status, so that the cloud controller PodPath plays fills it in (Cluster.spec.cloud).
   */
  loadBalancerIngress: LoadBalancerIngressDecl[] | null
  where: Where
}

/** One entry of status.loadBalancer.ingress: an IP, or a DNS name (AWS ELBs report only names). */
export interface LoadBalancerIngressDecl {
  ip: number | null
  hostname: string | null
  /** VIP (default): kube-proxy captures the IP itself; Proxy: it leaves the IP alone. */
  ipMode: 'VIP' | 'Proxy'
}

/** An EndpointSlice (discovery.k8s.io/v1) given in the scenario. */
export interface EndpointSliceDecl {
  namespace: string
  name: string
  serviceName: string
  ports: { name: string | null; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[]
  /** conditions as given; ready and serving default to true, terminating to false (discovery/v1). */
  endpoints: {
    addresses: number[]
    ready: boolean
    serving: boolean
    terminating: boolean
    nodeName: string | null
  }[]
  where: Where
}

export interface Scenario {
  file: string
  cluster: ClusterDecl
  nodes: NodeDecl[]
  pods: PodDecl[]
  services: ServiceDecl[]
  endpointSlices: EndpointSliceDecl[]
  traffic: TrafficDecl[]
  ignored: IgnoredDoc[]
  /** Layer 7 objects (Mode 4): Ingress, IngressClass and the Gateway API kinds. */
  ingresses: IngressDecl[]
  ingressClasses: IngressClassDecl[]
  gatewayClasses: GatewayClassDecl[]
  gateways: GatewayDecl[]
  httpRoutes: HttpRouteDecl[]
  referenceGrants: ReferenceGrantDecl[]
  /** Secrets (for the certificates that Ingress `tls` and Gateway listeners name). */
  secrets: SecretDecl[]
  /** Labels of the `kind: Namespace` documents, by name (Gateway allowedRoutes selectors). */
  namespaceLabels: Record<string, Record<string, string>>
  /** networking.k8s.io/v1 NetworkPolicies (absent: none). */
  networkPolicies?: NetworkPolicyDecl[]
  /**
   * Every Pod, controller (`namespace/name`) and node the file names, read or refused: a check
   * that finds one of them missing from the cluster is seeing its own error again.
   */
  written?: { pods: string[]; controllers: string[]; nodes: string[] }
}
