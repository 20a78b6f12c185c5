/**
 * Services every cluster has without being asked: `default/kubernetes`, the API server at the
 * first address of the service CIDR (kube-apiserver's --service-cluster-ip-range), port 443 to
 * the control plane's 6443 (kubeadm's default bind port). PodPath takes the first node as the
 * control plane.
 */
import type {
  ClusterDecl,
  EndpointSliceDecl,
  PodDecl,
  Scenario,
  ServiceDecl,
} from '../../model/scenario.ts'
import { deploymentPods, SERVICE_DEFAULTS } from '../assemble/addon-pods.ts'
import type { BuiltNode } from '../cluster.ts'

/** What the API server fills in for a ClusterIP Service that says nothing more. */
const CLUSTER_IP_DEFAULTS = SERVICE_DEFAULTS

export function apiServerService(
  decl: ClusterDecl,
  nodes: BuiltNode[],
  declared: ServiceDecl[],
): { service: ServiceDecl; slice: EndpointSliceDecl } | null {
  const cp = nodes[0]
  if (!cp || declared.some((s) => s.namespace === 'default' && s.name === 'kubernetes')) return null
  const where = { ...decl.where, object: 'Service/default/kubernetes' }
  return {
    service: {
      namespace: 'default',
      name: 'kubernetes',
      type: 'ClusterIP',
      clusterIP: (decl.serviceCIDR.base + 1) >>> 0,
      ports: [{ name: 'https', port: 443, targetPort: 6443, nodePort: null, protocol: 'TCP' }],
      selector: null,
      ...CLUSTER_IP_DEFAULTS,
      where,
    },
    slice: {
      namespace: 'default',
      name: 'kubernetes',
      serviceName: 'kubernetes',
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      endpoints: [
        { addresses: [cp.ip], ready: true, serving: true, terminating: false, nodeName: null },
      ],
      where,
    },
  }
}

// kubeadm's GetDNSIP: "the 10th IP in service subnet CIDR range" (10.96.0.10 by default).
export const DNS_SERVICE_INDEX = 10
// The CoreDNS image kubeadm 1.31-1.32 deploys (cmd/kubeadm/app/constants CoreDNSVersion).
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3'

/**
 * The cluster DNS every kubeadm cluster runs: Deployment kube-system/coredns (2 replicas, labels
 * k8s-app: kube-dns) behind Service kube-system/kube-dns at the 10th address of the service
 * CIDR, ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP (kubeadm phases/addons/dns/manifests.go).
 */
export function coreDns(s: Scenario): { pods: PodDecl[]; service: ServiceDecl } | null {
  if (s.services.some((x) => x.namespace === 'kube-system' && x.name === 'kube-dns')) return null
  const where = { ...s.cluster.where, object: 'Deployment/kube-system/coredns' }
  const labels = { 'k8s-app': 'kube-dns' }
  const containers = [
    {
      name: 'coredns',
      image: COREDNS_IMAGE,
      ports: [
        { name: 'dns', containerPort: 53, protocol: 'UDP' as const },
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' as const },
        { name: 'metrics', containerPort: 9153, protocol: 'TCP' as const },
      ],
      where,
    },
  ]
  const pods = deploymentPods({
    namespace: 'kube-system',
    deployment: 'coredns',
    labels,
    containers,
    // kubeadm's CoreDNS Deployment runs as ServiceAccount coredns (phases/addons/dns/manifests.go).
    serviceAccountName: 'coredns',
    replicas: 2,
    where,
  })
  const service: ServiceDecl = {
    namespace: 'kube-system',
    name: 'kube-dns',
    type: 'ClusterIP',
    clusterIP: (s.cluster.serviceCIDR.base + DNS_SERVICE_INDEX) >>> 0,
    ports: [
      { name: 'dns', port: 53, targetPort: 53, nodePort: null, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, targetPort: 53, nodePort: null, protocol: 'TCP' },
      { name: 'metrics', port: 9153, targetPort: 9153, nodePort: null, protocol: 'TCP' },
    ],
    selector: labels,
    ...CLUSTER_IP_DEFAULTS,
    where: { ...where, object: 'Service/kube-system/kube-dns' },
  }
  return { pods, service }
}
