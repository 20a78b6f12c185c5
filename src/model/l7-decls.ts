/**
 * Layer 7 objects as declared: Ingress and IngressClass (networking.k8s.io/v1), and the Gateway
 * API kinds GatewayClass, Gateway, HTTPRoute (gateway.networking.k8s.io/v1) and ReferenceGrant
 * (gateway.networking.k8s.io/v1beta1). Field names follow the real schemas so that a learner can
 * map each one back to the YAML they wrote.
 */
import type { Where } from './diagnostic.ts'

/** Where an Ingress path sends traffic: a Service and one of its ports, or another object. */
export interface IngressBackendDecl {
  /** `service.name` and `service.port` (a number or a port name); null for a resource backend. */
  service: { name: string; port: number | string } | null
  /** `resource` (apiGroup, kind, name): an object in the Ingress's namespace, not a Service. */
  resource: { apiGroup: string | null; kind: string; name: string } | null
}

export type IngressPathType = 'Exact' | 'Prefix' | 'ImplementationSpecific'

export interface IngressPathDecl {
  /** Null only for ImplementationSpecific (the API requires a path for Exact and Prefix). */
  path: string | null
  pathType: IngressPathType
  backend: IngressBackendDecl
  where: Where
}

export interface IngressRuleDecl {
  /** A DNS name, `*.` plus a DNS name (one label wildcard), or null for every host. */
  host: string | null
  paths: IngressPathDecl[]
  where: Where
}

export interface IngressTlsDecl {
  /** SNI names this certificate serves; empty means the controller's wildcard default. */
  hosts: string[]
  secretName: string | null
  where: Where
}

/** An Ingress (networking.k8s.io/v1): HTTP host and path rules for an Ingress controller. */
export interface IngressDecl {
  namespace: string
  name: string
  /** `spec.ingressClassName`: the IngressClass (and so the controller) that serves it. */
  ingressClassName: string | null
  /** The deprecated `kubernetes.io/ingress.class` annotation, still widely honoured. */
  classAnnotation: string | null
  /** `metadata.creationTimestamp` as written (RFC 3339), for deterministic tie-breaks. */
  creationTimestamp: string | null
  /** metadata.annotations (controllers read their settings there). */
  annotations?: Record<string, string>
  defaultBackend: IngressBackendDecl | null
  rules: IngressRuleDecl[]
  tls: IngressTlsDecl[]
  where: Where
}

/** An IngressClass (networking.k8s.io/v1): names the controller that implements a class. */
export interface IngressClassDecl {
  name: string
  /** `spec.controller`, e.g. `k8s.io/ingress-nginx`. */
  controller: string
  /** The `ingressclass.kubernetes.io/is-default-class: "true"` annotation. */
  isDefault: boolean
  /** `metadata.creationTimestamp`: with several defaults, the newest one is used. */
  creationTimestamp: string | null
  where: Where
}

/** A GatewayClass: the kind of Gateway a controller (by `controllerName`) provides. */
export interface GatewayClassDecl {
  name: string
  controllerName: string
  where: Where
}

/** A label selector (matchLabels and matchExpressions), as Kubernetes writes it. */
export interface LabelSelectorDecl {
  matchLabels: Record<string, string>
  matchExpressions: {
    key: string
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'
    values: string[]
  }[]
}

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP'

export interface ListenerDecl {
  name: string
  hostname: string | null
  port: number
  protocol: ListenerProtocol
  tls: {
    mode: 'Terminate' | 'Passthrough'
    certificateRefs: { namespace: string | null; name: string; kind: string }[]
  } | null
  allowedRoutes: {
    /** Which namespaces may attach routes (default Same). */
    from: 'Same' | 'All' | 'Selector'
    selector: LabelSelectorDecl | null
    /** Route kinds allowed; empty means "what the protocol supports". */
    kinds: { group: string; kind: string }[]
  }
  where: Where
}

/** A Gateway: listeners (port, protocol, hostname) that a controller of its class opens. */
export interface GatewayDecl {
  namespace: string
  name: string
  gatewayClassName: string
  listeners: ListenerDecl[]
  where: Where
}

/** A route's `parentRefs` entry: the Gateway (and optionally the listener) it asks to join. */
export interface ParentRefDecl {
  group: string
  kind: string
  /** Null: the route's own namespace. */
  namespace: string | null
  name: string
  sectionName: string | null
  port: number | null
  where: Where
}

export type HttpPathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression'

export interface HttpRouteMatchDecl {
  path: { type: HttpPathMatchType; value: string }
  headers: { type: 'Exact' | 'RegularExpression'; name: string; value: string }[]
  queryParams: { type: 'Exact' | 'RegularExpression'; name: string; value: string }[]
  method: string | null
}

export interface HttpPathModifierDecl {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch'
  value: string
}

export type HttpRouteFilterDecl =
  | {
      type: 'RequestHeaderModifier' | 'ResponseHeaderModifier'
      set: { name: string; value: string }[]
      add: { name: string; value: string }[]
      remove: string[]
    }
  | {
      type: 'RequestRedirect'
      scheme: string | null
      hostname: string | null
      path: HttpPathModifierDecl | null
      port: number | null
      statusCode: number
    }
  | { type: 'URLRewrite'; hostname: string | null; path: HttpPathModifierDecl | null }
  /** Filters PodPath reads but does not apply (RequestMirror, CORS, ExtensionRef, ...). */
  | { type: 'Other'; name: string }

export interface BackendRefDecl {
  group: string
  kind: string
  name: string
  namespace: string | null
  port: number | null
  /** Default 1; 0 means "send nothing here". */
  weight: number
  where: Where
}

export interface HttpRouteRuleDecl {
  name: string | null
  /** Never empty: the API defaults it to one PathPrefix "/" match. */
  matches: HttpRouteMatchDecl[]
  filters: HttpRouteFilterDecl[]
  backendRefs: BackendRefDecl[]
  where: Where
}

/** An HTTPRoute: host, path, header and query rules that attach to Gateway listeners. */
export interface HttpRouteDecl {
  namespace: string
  name: string
  creationTimestamp: string | null
  parentRefs: ParentRefDecl[]
  hostnames: string[]
  rules: HttpRouteRuleDecl[]
  where: Where
}

/**
 * A Secret, as far as TLS needs it: its type and which data keys hold a value. The values
 * themselves are not kept: PodPath does not parse certificates.
 */
export interface SecretDecl {
  namespace: string
  name: string
  /** `type`, `Opaque` when left out (core/v1 SecretTypeOpaque is the default). */
  type: string
  /** Keys of `data` and `stringData` with a non-empty value. */
  keys: string[]
  where: Where
}

/** A ReferenceGrant: lets objects in other namespaces refer to objects in this one. */
export interface ReferenceGrantDecl {
  namespace: string
  name: string
  from: { group: string; kind: string; namespace: string }[]
  to: { group: string; kind: string; name: string | null }[]
  where: Where
}
