/**
 * The real addresses of a cluster, for address questions: every ClusterIP with its ports, the
 * node ports on every node, load-balancer and external IPs, Pod IPs with their container ports,
 * node IPs, and every address and port the trace itself carries. Distractors are drawn from
 * these, so a wrong choice is an address the learner could meet in this cluster.
 */
import type { Packet, Step, Trace } from '../../model/trace.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'

export interface Endpoint {
  ip: string
  port: number | null
}

export const endpointKey = (e: Endpoint) => (e.port === null ? e.ip : `${e.ip}:${e.port}`)

/** `80/TCP` or `80:30080/TCP` (kubectl's PORT(S)) into the port and the node port. */
function servicePort(s: string): { port: number; nodePort: number | null } | null {
  const m = /^(\d+)(?::(\d+))?\//.exec(s)
  return m ? { port: Number(m[1]), nodePort: m[2] ? Number(m[2]) : null } : null
}

export interface AddressPool {
  /** Addresses the trace's packets carry (inner headers), in order of first appearance. */
  seen: Endpoint[]
  /** Every address of the cluster with a port a client would use on it. */
  cluster: Endpoint[]
  nodeIps: string[]
  podIps: string[]
  /** The addresses Pods use as their gateway (a bridge's, or Calico's 169.254.1.1). */
  gatewayIps: string[]
  /** The nodes' own device addresses (eth0, cni0, flannel.1, tunl0 ...), where MASQUERADE looks. */
  deviceIps: string[]
}

export function addressPool(cluster: ClusterSummary, trace: Trace): AddressPool {
  const seen: Endpoint[] = []
  const add = (list: Endpoint[], e: Endpoint) => {
    if (!list.some((x) => endpointKey(x) === endpointKey(e))) list.push(e)
  }
  for (const s of trace.steps) {
    const { l3, l4 } = s.packet
    if (!l3) continue
    add(seen, { ip: l3.src, port: l4?.srcPort ?? null })
    add(seen, { ip: l3.dst, port: l4?.dstPort ?? null })
  }
  const all: Endpoint[] = []
  const nodeIps = cluster.nodes.map((n) => n.ip)
  for (const svc of cluster.services) {
    for (const p of svc.ports.map(servicePort)) {
      if (!p) continue
      if (svc.clusterIP && svc.clusterIP !== 'None') add(all, { ip: svc.clusterIP, port: p.port })
      for (const ip of [...svc.loadBalancer, ...svc.externalIPs])
        if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) add(all, { ip, port: p.port })
      if (p.nodePort !== null) for (const ip of nodeIps) add(all, { ip, port: p.nodePort })
    }
  }
  const podIps: string[] = []
  for (const pod of cluster.pods) {
    if (!pod.hostNetwork && !podIps.includes(pod.ip)) podIps.push(pod.ip)
    for (const c of pod.containers)
      for (const port of c.ports) add(all, { ip: pod.ip, port: Number.parseInt(port, 10) })
  }
  const gatewayIps: string[] = []
  for (const s of trace.steps)
    if (s.packet.app?.protocol === 'arp') {
      const ip = s.packet.app.targetIp
      if (!podIps.includes(ip) && !nodeIps.includes(ip) && !gatewayIps.includes(ip))
        gatewayIps.push(ip)
    }
  const deviceIps = [
    ...new Set(
      cluster.nodes.flatMap((n) =>
        n.devices.flatMap((d) => d.addresses.map((a) => a.split('/')[0]!)),
      ),
    ),
  ].filter((ip) => !ip.startsWith('127.'))
  return { seen, cluster: all, nodeIps, podIps, gatewayIps, deviceIps }
}

/** The packet's inner source or destination, with its port when it has one. */
export function endpointOf(p: Packet, field: 'src' | 'dst'): Endpoint | null {
  if (!p.l3) return null
  const port = p.l4 ? (field === 'src' ? p.l4.srcPort : p.l4.dstPort) : null
  return { ip: p.l3[field], port }
}

/** The nearest step before position `i` whose packet has an IP header (ARP steps have none). */
export function previousWithIp(steps: readonly Step[], i: number): Step | null {
  for (let j = i - 1; j >= 0; j--) if (steps[j]!.packet.l3) return steps[j]!
  return null
}
