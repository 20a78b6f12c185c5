/**
 * Envoy Gateway as the data plane of the Gateways whose GatewayClass names its controller,
 * `gateway.envoyproxy.io/gatewayclass-controller`. For each such Gateway the Envoy Gateway
 * controller (the infrastructure provider's part) creates an Envoy proxy Deployment and a
 * LoadBalancer Service in its own namespace, envoy-gateway-system, named "envoy-" plus
 * "<namespace>-<name>-" and the first 8 hex digits of sha256("<namespace>/<name>")
 * (internal/utils GetHashedName), labelled gateway.envoyproxy.io/owning-gateway-name and
 * owning-gateway-namespace (internal/gatewayapi/translator.go). A listener port below 1024 is
 * served by Envoy on port + 10000, so that it needs no privilege (internal/gatewayapi/listener.go
 * servicePortToContainerPort). The Service's externalTrafficPolicy defaults to Local (EnvoyProxy
 * API, KubernetesServiceSpec). PodPath adds this when the scenario does not declare the Pods.
 */
import { deploymentPods, SERVICE_DEFAULTS } from '../assemble/addon-pods.ts'
import type { GatewayClassDecl, GatewayDecl } from '../../model/l7-decls.ts'
import { text, type Text } from '../../model/text.ts'
import type { PodDecl, Scenario, ServiceDecl } from '../../model/scenario.ts'
import { hex, sha256 } from '../hash.ts'

export const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller'
export const ENVOY_GATEWAY_NAMESPACE = 'envoy-gateway-system'
export const OWNING_NAME = 'gateway.envoyproxy.io/owning-gateway-name'
export const OWNING_NAMESPACE = 'gateway.envoyproxy.io/owning-gateway-namespace'
// api/v1alpha1/shared_types.go DefaultEnvoyProxyImage (the tag moves with each release).
export const ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:distroless-v1.39.1'

/** listener.go servicePortToContainerPort: privileged ports move up by 10000. */
export function envoyContainerPort(port: number): number {
  return port < 1024 ? port + 10000 : port
}

/** "envoy-" + GetHashedName("<namespace>/<name>"): the name, cut to 48, a dash, 8 hex digits. */
export function envoyProxyName(gw: { namespace: string; name: string }): string {
  const ns = `${gw.namespace}/${gw.name}`
  const base = ns.replace(/\//g, '-')
  return `envoy-${base.slice(0, 48)}-${hex(sha256(ns)).slice(0, 8)}`
}

/** The Gateways Envoy Gateway serves: those of a GatewayClass naming its controller. */
export function envoyGateways(s: Pick<Scenario, 'gatewayClasses' | 'gateways'>): GatewayDecl[] {
  const classes = new Set(
    s.gatewayClasses
      .filter((c) => c.controllerName === ENVOY_GATEWAY_CONTROLLER)
      .map((c) => c.name),
  )
  return s.gateways.filter((g) => classes.has(g.gatewayClassName))
}

/**
 * A GatewayClass whose controllerName no modelled controller runs: nobody accepts it, so it keeps
 * the status the CRD defaults it to, Accepted Unknown (reason Pending, "Waiting for controller",
 * gateway-api apis/v1/gatewayclass_types.go), and its Gateways are never programmed: no Envoy, no
 * Service, no address. Said at the class, where the cause is.
 */
export function gatewayClassDiagnostics(
  s: Pick<Scenario, 'gatewayClasses' | 'gateways'>,
): { where: GatewayClassDecl['where']; message: Text }[] {
  return s.gatewayClasses
    .filter((c) => c.controllerName !== ENVOY_GATEWAY_CONTROLLER)
    .map((c) => {
      const gws = s.gateways
        .filter((g) => g.gatewayClassName === c.name)
        .map((g) => `${g.namespace}/${g.name}`)
      const list = gws.join(', ')
      return {
        where: c.where,
        message: text(
          `GatewayClass "${c.name}" names controllerName ${c.controllerName}, which no controller in this scenario runs (PodPath runs Envoy Gateway, ${ENVOY_GATEWAY_CONTROLLER}): nothing accepts the class, so it stays Accepted Unknown (reason Pending, "Waiting for controller")${gws.length ? `, and its Gateway${gws.length > 1 ? 's' : ''} ${list} ${gws.length > 1 ? 'are' : 'is'} never programmed and get${gws.length > 1 ? '' : 's'} no address: no request can reach ${gws.length > 1 ? 'them' : 'it'}` : ''}.`,
          `GatewayClass “${c.name}” 的 controllerName 是 ${c.controllerName}，本场景中没有控制器运行它（PodPath 运行的是 Envoy Gateway，${ENVOY_GATEWAY_CONTROLLER}）：没有控制器接受这个类，所以它一直是 Accepted Unknown（原因 Pending，“Waiting for controller”）${gws.length ? `，它的 Gateway ${gws.join('、')} 永远不会被编程（Programmed），也得不到地址：没有请求能到达` : ''}。`,
        ),
      }
    })
}

/** The Envoy proxy Pod and Service of every Envoy Gateway the scenario did not give Pods to. */
export function defaultEnvoyProxies(s: Scenario): { pods: PodDecl[]; services: ServiceDecl[] } {
  const pods: PodDecl[] = []
  const services: ServiceDecl[] = []
  for (const gw of envoyGateways(s)) {
    const declared = s.pods.some(
      (p) => p.labels[OWNING_NAME] === gw.name && p.labels[OWNING_NAMESPACE] === gw.namespace,
    )
    if (declared) continue
    const name = envoyProxyName(gw)
    const labels = {
      'app.kubernetes.io/name': 'envoy',
      'app.kubernetes.io/component': 'proxy',
      'app.kubernetes.io/managed-by': 'envoy-gateway',
      [OWNING_NAME]: gw.name,
      [OWNING_NAMESPACE]: gw.namespace,
    }
    const where = { ...gw.where, object: `Deployment/${ENVOY_GATEWAY_NAMESPACE}/${name}` }
    const ports = gw.listeners
      .filter((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS')
      .map((l) => ({
        name: l.name.slice(0, 15),
        containerPort: envoyContainerPort(l.port),
        protocol: 'TCP' as const,
      }))
    const containers = [{ name: 'envoy', image: ENVOY_IMAGE, ports, where }]
    pods.push(
      ...deploymentPods({
        namespace: ENVOY_GATEWAY_NAMESPACE,
        deployment: name,
        labels,
        containers,
        // Envoy Gateway's proxy runs as a ServiceAccount named as its Deployment
        // (internal/infrastructure/kubernetes/proxy resource.go: ServiceAccountName r.Name()).
        serviceAccountName: name,
        replicas: 1,
        where,
      }),
    )
    services.push({
      namespace: ENVOY_GATEWAY_NAMESPACE,
      name,
      type: s.cluster.cloud !== 'none' ? 'LoadBalancer' : 'NodePort',
      clusterIP: null,
      ports: ports.map((p) => ({
        name: p.name,
        port: p.containerPort > 10000 ? p.containerPort - 10000 : p.containerPort,
        targetPort: p.containerPort,
        nodePort: null,
        protocol: 'TCP',
      })),
      selector: {
        'app.kubernetes.io/name': 'envoy',
        'app.kubernetes.io/component': 'proxy',
        'app.kubernetes.io/managed-by': 'envoy-gateway',
        [OWNING_NAME]: gw.name,
        [OWNING_NAMESPACE]: gw.namespace,
      },
      ...SERVICE_DEFAULTS,
      externalTrafficPolicy: 'Local',
      where: { ...where, object: `Service/${ENVOY_GATEWAY_NAMESPACE}/${name}` },
    })
  }
  return { pods, services }
}
