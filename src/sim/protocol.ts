/**
 * The messages between the app and the engine's Web Worker: typed, versioned, plain data.
 * Bump PROTOCOL_VERSION whenever a message changes shape.
 */
import type { Diagnostic } from '../model/diagnostic.ts'
import type { Trace } from '../model/trace.ts'
import type { Text } from '../model/text.ts'
import type { ClusterOverrides } from '../model/overrides.ts'
import type { Inspection, InspectTarget } from './inspect.ts'

export type { Inspection, InspectLine, InspectSection, InspectTarget, Use } from './inspect.ts'

export const PROTOCOL_VERSION = 5

export type ToWorker =
  /**
   * `lock`: a Web Lock the worker holds for as long as it lives, so the app learns the moment it
   * is gone (closed, terminated, crashed), even in the middle of a long run.
   */
  | { type: 'hello'; version: number; lock?: string }
  /** Sent only while the worker has nothing to do, where there are no Web Locks: are you there? */
  | { type: 'ping'; seq: number }
  /**
   * Parse and build a scenario; it replaces the open one only when it has no error. `overrides`
   * (another CNI, another kube-proxy mode) act on the parsed Cluster before it is built.
   */
  | {
      type: 'load'
      requestId: number
      file: string
      source: string
      overrides?: ClusterOverrides
    }
  /** Trace one Traffic of the open scenario. */
  /** `connection` k > 1: the k-th connection of a session, after k-1 that stay open (IPVS counts). */
  | { type: 'trace'; requestId: number; traffic: string; seed: number; connection?: number }
  /**
   * The lab of the open scenario (every traffic, with `seed`): a bash script that builds it in
   * network namespaces and checks the kernel against the trace. `file` names the script.
   */
  | { type: 'lab'; requestId: number; file: string; seed: number }
  /**
   * A node's or a Pod's tables as they stand just after `step` of that trace, each entry the
   * trace uses marked (the app's box inspector; `podpath tables --after` prints the same).
   */
  | {
      type: 'inspect'
      requestId: number
      traffic: string
      seed: number
      connection?: number
      step: number
      target: InspectTarget
    }

export interface DeviceSummary {
  name: string
  kind: string
  mtu: number
  mac: string | null
  addresses: string[]
  /** Bridge the device is a port of, or the Pod its veth peer is in. */
  master: string | null
  peer: string | null
}

export interface PodSummary {
  namespace: string
  name: string
  node: string
  ip: string
  hostNetwork: boolean
  /** The sandbox ("pause") container that holds the Pod's network namespace. */
  sandbox: string
  containers: { name: string; image: string; ports: string[] }[]
  hostVeth: string | null
}

export interface NodeSummary {
  name: string
  ip: string
  podCIDR: string | null
  devices: DeviceSummary[]
}

/** A Service as `kubectl get svc` shows it. */
export interface ServiceSummary {
  namespace: string
  name: string
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  /** The virtual IP; 'None' for a headless Service; null for ExternalName. */
  clusterIP: string | null
  /** As kubectl prints PORT(S): `80/TCP`, or `80:30080/TCP` with a node port. */
  ports: string[]
  /** status.loadBalancer.ingress: an IP or a DNS name each (empty while pending). */
  loadBalancer: string[]
  externalIPs: string[]
  externalName: string | null
}

/**
 * A Kubernetes object that configures L7 routing (an Ingress, a Gateway, an HTTPRoute): it
 * carries no packet itself, it tells a controller's proxy what to do.
 */
export interface L7ObjectSummary {
  kind: 'Ingress' | 'Gateway' | 'HTTPRoute'
  namespace: string
  name: string
  /** Ingress: its IngressClass; Gateway: its GatewayClass; HTTPRoute: its parent Gateways. */
  owner: string | null
  /** One short line each: hosts and paths (Ingress), listeners (Gateway), hostnames (route). */
  detail: string[]
  /**
   * HTTPRoute only: whether some parent's controller accepted it (status.parents[].conditions
   * Accepted), and the reason of the first refusal when none did; null for other kinds.
   */
  accepted: boolean | null
  reason: string | null
  /** Keys (`namespace/name`) of the Pods that implement it: the controller or Envoy proxy. */
  pods: string[]
}

export interface ClusterSummary {
  name: string
  cni: string
  mtu: number
  podMtu: number
  nodes: NodeSummary[]
  pods: PodSummary[]
  services: ServiceSummary[]
  /** Ingresses, Gateways and HTTPRoutes (absent from older engines). */
  l7?: L7ObjectSummary[]
}

/** A lab script and what the app says about it (src/sim/lab/lab.ts). */
export interface LabSummary {
  script: string
  filename: string
  /** Debian and Ubuntu packages it needs. */
  packages: string[]
  namespaces: number
  /** Each traffic: the kernel features it needs, or why no machine can run it. */
  traffic: { name: string; needs: string[]; never: Text | null }[]
}

export type FromWorker =
  /** `lock`: the hello's lock, once the worker holds it (absent: not held, ping it instead). */
  | { type: 'ready'; version: number; lock?: string }
  | { type: 'pong'; seq: number }
  | {
      type: 'loaded'
      requestId: number
      ok: boolean
      diagnostics: Diagnostic[]
      cluster: ClusterSummary | null
      traffic: string[]
      /** The CNI and kube-proxy mode the file itself chooses, before any override. */
      asWritten: Required<ClusterOverrides> | null
    }
  | { type: 'traced'; requestId: number; trace: Trace }
  | { type: 'lab'; requestId: number; lab: LabSummary }
  /** null: no such node or Pod in the open scenario. */
  | { type: 'inspected'; requestId: number; inspection: Inspection | null }
  | { type: 'error'; requestId: number | null; message: string }
