/** A Service as the data plane sees it: its addresses, its ports, and each port's endpoints. */
import type { ServiceDecl } from '../../model/scenario.ts'

export interface BuiltEndpoint {
  ip: number
  port: number
  ready: boolean
  /** The node the endpoint runs on (null when an EndpointSlice does not say). */
  node: string | null
  /** `namespace/name` of the Pod behind it, when there is one. */
  pod: string | null
}

export interface BuiltServicePort {
  /** Empty for an unnamed port. */
  name: string
  port: number
  protocol: 'TCP' | 'UDP' | 'SCTP'
  nodePort: number | null
  /** Ready endpoints first in address order, as kube-proxy lists them. */
  endpoints: BuiltEndpoint[]
}

export interface BuiltService {
  decl: ServiceDecl
  namespace: string
  name: string
  /** Null for headless and ExternalName Services: nothing for kube-proxy to program. */
  clusterIP: number | null
  ports: BuiltServicePort[]
}

/** kube-proxy's ServicePortName.String(): "ns/name:port", or "ns/name" for an unnamed port (pkg/proxy/types.go). */
export function servicePortName(svc: BuiltService, port: BuiltServicePort): string {
  return `${svc.namespace}/${svc.name}${port.name ? `:${port.name}` : ''}`
}
