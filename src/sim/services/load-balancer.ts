/**
 * A cloud load balancer as the cloud controller built it, for walking traffic from outside: the
 * address it answers on, where each port goes (every node's nodePort), and which nodes it sends
 * to. With externalTrafficPolicy Local the cloud probes http://<node>:<healthCheckNodePort>/healthz,
 * which kube-proxy answers 200 only on nodes with a local ready endpoint (503 elsewhere); with
 * Cluster every node with a running kube-proxy is a healthy target.
 */
export interface BuiltLoadBalancer {
  service: string
  ip: number | null
  hostname: string | null
  ports: { port: number; protocol: 'TCP' | 'UDP' | 'SCTP'; nodePort: number | null }[]
  healthCheckNodePort: number | null
  healthyNodes: string[]
}
