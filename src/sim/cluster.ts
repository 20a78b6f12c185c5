/**
 * A built cluster: every node and Pod with its addresses filled in, and the network namespaces
 * the CNI plugin set up. The engine walks packets through these tables.
 */
import type {
  ClusterDecl,
  ContainerDecl,
  NodeCniAnnotations,
  PodDecl,
  Scenario,
} from '../model/scenario.ts'
import type { Cidr } from '../model/ipv4.ts'
import type { NetNs } from './net/netns.ts'
import type { BuiltService } from './services/service.ts'
import type { BuiltLoadBalancer } from './services/load-balancer.ts'
import type { CniIptables } from './cni/cni-iptables.ts'
import type { Text } from '../model/text.ts'
import type { PolicyWorld } from './policy/verdict.ts'

/**
 * The node network the plugin runs on: a plain switched segment behind one router, or a cloud
 * VPC whose fabric itself delivers the secondary addresses of every ENI (the AWS VPC CNI).
 */
export type Underlay = 'lan' | 'vpc'

export interface BuiltNode {
  name: string
  index: number
  ip: number
  /** Its public IPv4 address (nodes[].externalIP), mapped 1:1 to `ip` by the Internet gateway on AWS. */
  externalIP: number | null
  /** The underlay subnet of eth0, and its router. */
  subnet: Cidr
  gateway: number
  eth0Mac: string
  /** The Pod address range this node hands out: a /24 (flannel, bridge) or a Calico block. */
  podCIDR: Cidr | null
  /** Calico: every IPAM block affine to this node (podCIDR is the first); empty otherwise. */
  blocks: Cidr[]
  /** What the node's own object published (flanneld's and calico-node's annotations). */
  annotations: NodeCniAnnotations
  /** Address of the tunnel device (flannel.1, tunl0, vxlan.calico), if any. */
  tunnelIp: number | null
  /** Cilium: the router address on cilium_host, the gateway of the node's Pods; else null. */
  routerIp: number | null
  /** MAC of the VXLAN device (flannel VtepMAC, Calico VTEP MAC), if any. */
  vtepMac: string | null
  /** AWS: the most Pods this instance type can hold (ENIs * (IPs per ENI - 1) + 2). */
  maxPods: number | null
  labels: Record<string, string>
  nsId: string
}

export interface BuiltPod {
  namespace: string
  name: string
  node: string
  ip: number
  hostNetwork: boolean
  /** spec.serviceAccountName ("default" when unset). */
  serviceAccount: string
  labels: Record<string, string>
  containers: ContainerDecl[]
  owner: PodDecl['owner']
  /** The Pod's network namespace; a hostNetwork Pod shares its node's. */
  nsId: string
  /** Host-side end of the Pod's veth pair (null for hostNetwork Pods). */
  hostVeth: string | null
  /** The Pod's Ready condition. */
  ready: boolean
  /** metadata.deletionTimestamp is set. */
  terminating: boolean
  /** status.phase Succeeded or Failed. */
  terminal: boolean
}

export interface Cluster {
  decl: ClusterDecl
  /** Underlay MTU actually in force. */
  mtu: number
  /** MTU of the Pods' eth0: the underlay MTU less the overlay's encapsulation overhead. */
  podMtu: number
  nodes: BuiltNode[]
  pods: BuiltPod[]
  netns: Map<string, NetNs>
  nodeByName: Map<string, BuiltNode>
  podByKey: Map<string, BuiltPod>
  services: BuiltService[]
  /** The cloud load balancers in front of LoadBalancer Services (none while they are pending). */
  loadBalancers: BuiltLoadBalancer[]
  /** iptables rules of the CNI's own agent, by node (kindnet's masquerade), beside kube-proxy's. */
  cniIptables: Map<string, CniIptables>
  /** By node: why Pods' traffic to the outside leaves it untranslated, where that is by design. */
  untranslatedEgress: Map<string, Text>
  /** The node network: a switched LAN, or a VPC that routes the ENIs' secondary addresses. */
  underlay: Underlay
  /** MAC of the underlay router (or the VPC's router) that joins the node subnets. */
  routerMac: string
  /** The NetworkPolicies and Namespace labels, for a data plane that enforces policy as packets pass. */
  policy: PolicyWorld
  /** The layer 7 objects (Ingress, Gateway API) that controllers and Gateways route by. */
  l7: Pick<
    Scenario,
    | 'ingresses'
    | 'ingressClasses'
    | 'gatewayClasses'
    | 'gateways'
    | 'httpRoutes'
    | 'referenceGrants'
    | 'secrets'
    | 'namespaceLabels'
  >
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`
}
