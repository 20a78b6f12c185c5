/**
 * Services every cluster has without being asked: `default/kubernetes`, the API server at the
 * first address of the service CIDR (kube-apiserver's --service-cluster-ip-range), port 443 to
 * the control plane's 6443 (kubeadm's default bind port). PodPath takes the first node as the
 * control plane.
 */
import type { ClusterDecl, EndpointSliceDecl, ServiceDecl } from '../../model/scenario.ts'
import type { BuiltNode } from '../cluster.ts'

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
      externalName: null,
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      sessionAffinityTimeout: 10800,
      loadBalancerSourceRanges: [],
      where,
    },
    slice: {
      namespace: 'default',
      name: 'kubernetes',
      serviceName: 'kubernetes',
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      endpoints: [{ addresses: [cp.ip], ready: true, nodeName: null }],
      where,
    },
  }
}
