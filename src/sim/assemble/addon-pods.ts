/**
 * What PodPath adds by itself when a scenario leaves it out — CoreDNS, the ingress-nginx
 * controller, an Envoy Gateway proxy — is a Deployment's Pods and a Service in front of them. The
 * Pods are named and labelled as the Deployment's ReplicaSet would make them: pod-template-hash
 * from the Pod template (model/k8s-names.ts), one Pod per replica, ready and running.
 */
import { podTemplateHash } from '../../model/k8s-names.ts'
import type { Where } from '../../model/diagnostic.ts'
import type { ContainerDecl, PodDecl, ServiceDecl } from '../../model/scenario.ts'

export function deploymentPods(d: {
  namespace: string
  deployment: string
  labels: Record<string, string>
  containers: ContainerDecl[]
  /** The template's spec.serviceAccountName (not in the hashed stand-in template). */
  serviceAccountName: string
  replicas: number
  where: Where
}): PodDecl[] {
  const hash = podTemplateHash({
    metadata: { labels: d.labels },
    spec: { containers: d.containers.map(({ where: _w, ...c }) => c) },
  })
  return Array.from({ length: d.replicas }, (_, ordinal) => ({
    namespace: d.namespace,
    name: null,
    owner: { kind: 'Deployment', name: d.deployment },
    ordinal,
    daemonNode: null,
    controllerRef: null,
    templateHash: hash,
    nodeName: null,
    hostNetwork: false,
    serviceAccountName: d.serviceAccountName,
    labels: { ...d.labels, 'pod-template-hash': hash },
    containers: d.containers,
    podIP: null,
    ready: true,
    terminating: false,
    terminal: false,
    where: d.where,
  }))
}

/** A Service's fields that keep their API defaults when its manifest does not set them. */
export const SERVICE_DEFAULTS = {
  externalName: null,
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  sessionAffinity: 'None',
  // core/v1 DefaultClientIPServiceAffinitySeconds
  sessionAffinityTimeout: 10800,
  loadBalancerSourceRanges: [],
  externalIPs: [],
  healthCheckNodePort: null,
  publishNotReadyAddresses: false,
  loadBalancerIngress: null,
} as const satisfies Partial<ServiceDecl>
