/**
 * The ingress-nginx controller PodPath deploys when a scenario has Ingresses of an ingress-nginx
 * class and no controller of its own: what `kubectl apply -f deploy.yaml` from
 * kubernetes/ingress-nginx deploy/static/provider/{cloud,baremetal}/deploy.yaml creates, reduced
 * to what the data path needs. Deployment ingress-nginx/ingress-nginx-controller (one replica;
 * labels app.kubernetes.io/{name: ingress-nginx, instance: ingress-nginx, component: controller};
 * container "controller", ports http 80, https 443, webhook 8443) behind Service
 * ingress-nginx/ingress-nginx-controller, ports http 80 -> http and https 443 -> https. The cloud
 * manifest makes it a LoadBalancer with externalTrafficPolicy: Local; the bare-metal one a
 * NodePort. PodPath picks the cloud one unless Cluster.spec.cloud is none.
 */
import { deploymentPods, SERVICE_DEFAULTS } from '../assemble/addon-pods.ts'
import type { PodDecl, Scenario, ServiceDecl } from '../../model/scenario.ts'
import { KNOWN_CONTROLLERS, ingressClassOf } from '../l7/ingress-match.ts'

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx'
export const INGRESS_NGINX_NAME = 'ingress-nginx-controller'
// The controller image of the deploy.yaml PodPath read (HEAD of kubernetes/ingress-nginx, v1.15.1; the tag moves with
// each release).
export const INGRESS_NGINX_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.15.1'
export const INGRESS_NGINX_LABELS = {
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
}

/** The classes ingress-nginx implements that some Ingress of the scenario belongs to. */
export function ingressNginxClassesInUse(s: Scenario): string[] {
  const classes = new Set(
    s.ingressClasses
      .filter((c) => c.controller === KNOWN_CONTROLLERS['ingress-nginx'])
      .map((c) => c.name),
  )
  const used = new Set<string>()
  for (const i of s.ingresses) {
    const c = ingressClassOf(i, s.ingressClasses).className
    if (c !== null && classes.has(c)) used.add(c)
  }
  return [...used].sort()
}

/** Whether the scenario runs an ingress-nginx controller of its own (a Pod with its image). */
function declaresIngressNginx(s: Scenario): boolean {
  return s.pods.some((p) => p.containers.some((c) => /ingress-nginx\/controller/.test(c.image)))
}

export function defaultIngressNginx(
  s: Scenario,
): { pods: PodDecl[]; service: ServiceDecl; classes: string[] } | null {
  const classes = ingressNginxClassesInUse(s)
  if (classes.length === 0 || declaresIngressNginx(s)) return null
  const where = {
    ...s.cluster.where,
    object: `Deployment/${INGRESS_NGINX_NAMESPACE}/${INGRESS_NGINX_NAME}`,
  }
  const containers = [
    {
      name: 'controller',
      image: INGRESS_NGINX_IMAGE,
      ports: [
        { name: 'http', containerPort: 80, protocol: 'TCP' as const },
        { name: 'https', containerPort: 443, protocol: 'TCP' as const },
        { name: 'webhook', containerPort: 8443, protocol: 'TCP' as const },
      ],
      where,
    },
  ]
  const pods = deploymentPods({
    namespace: INGRESS_NGINX_NAMESPACE,
    deployment: INGRESS_NGINX_NAME,
    labels: INGRESS_NGINX_LABELS,
    containers,
    // The controller's Deployment in ingress-nginx's deploy manifests: serviceAccountName ingress-nginx.
    serviceAccountName: 'ingress-nginx',
    replicas: 1,
    where,
  })
  const cloud = s.cluster.cloud !== 'none'
  const service: ServiceDecl = {
    namespace: INGRESS_NGINX_NAMESPACE,
    name: INGRESS_NGINX_NAME,
    type: cloud ? 'LoadBalancer' : 'NodePort',
    clusterIP: null,
    ports: [
      { name: 'http', port: 80, targetPort: 'http', nodePort: null, protocol: 'TCP' },
      { name: 'https', port: 443, targetPort: 'https', nodePort: null, protocol: 'TCP' },
    ],
    selector: INGRESS_NGINX_LABELS,
    ...SERVICE_DEFAULTS,
    externalTrafficPolicy: cloud ? 'Local' : 'Cluster',
    where: { ...where, object: `Service/${INGRESS_NGINX_NAMESPACE}/${INGRESS_NGINX_NAME}` },
  }
  return { pods, service, classes }
}
