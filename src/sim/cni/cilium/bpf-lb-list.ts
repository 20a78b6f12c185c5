/**
 * The load balancer's frontends on one node, NodePort included, and `cilium-dbg bpf lb list` as
 * the real tool prints them (cilium/cilium).
 *
 * - A NodePort Service gets a frontend on the surrogate address 0.0.0.0 and one on each of the
 *   node's NodePort addresses, each with its own reverse-NAT ID; the surrogate is flagged
 *   non-routable, the node address is not (pkg/loadbalancer reconciler tests, nodePortTestCases:
 *   "SVC: ID=1 ADDR=<zero> ... FLAGS=NodePort+...+non-routable", "SVC: ID=2 ADDR=<nodePort> ...
 *   FLAGS=NodePort+..."). A ClusterIP frontend is "ClusterIP, non-routable" (without
 *   bpf-lb-external-clusterip). With externalTrafficPolicy Local the NodePort frontends hold only
 *   the node's own backends and carry the Local flag; when the two traffic policies differ the
 *   agent writes a second, internal scope ("/i", pkg/loadbalancer/tests/testdata/
 *   trafficpolicy.txtar: "ADDR=1.1.1.1:80/TCP/i ... FLAGS=LoadBalancer+InternalLocal+two-scopes")
 *   with its own reverse-NAT ID, for the socket load balancer (./bpf-sock.ts).
 * - cilium-dbg/cmd/bpf_lb_list.go dumpSVC: one row per services-map key, the key printed by
 *   Service4Key.String (pkg/maps/lbmap/ipv4.go serviceKey: "ip:port/PROTO", "/i" for the internal
 *   scope); its slot 0 entry as
 *   "0.0.0.0:0 (REVNAT) (0) [FLAGS] " (the flags by ServiceFlags.String, joined with ", "), each
 *   backend slot as "ip:port/PROTO (REVNAT) (SLOT)". TablePrinter writes them through a
 *   tabwriter (minwidth 5, padding 3), every cell tab-terminated, under SERVICE ADDRESS and
 *   BACKEND ADDRESS (REVNAT_ID) (SLOT). The real tool ranges over a Go map, so its row order
 *   changes from run to run; PodPath prints the frontends in ID order, slot 0 first.
 */
import { formatIp } from '../../../model/ipv4.ts'
import type { Cluster } from '../../cluster.ts'
import {
  ciliumFrontends,
  frontendIp,
  frontendPort,
  scopedBackends,
  tabwrite,
  type CiliumFrontend,
} from './service-list.ts'
import { loadBalancerVIPs } from '../../services/service.ts'

/** The node's NodePort addresses: its eth0 address (the device Cilium's NodePort runs on). */
export function nodePortAddress(c: Cluster, node: string): number | null {
  return c.nodeByName.get(node)?.ip ?? null
}

/**
 * The lookup scopes of a NodePort Service (pkg/loadbalancer/reflectors k8s.go: the external
 * scope, and the internal one too when exactly one of the two traffic policies is Local).
 */
export function twoScopes(svc: CiliumFrontend['svc']): boolean {
  return (
    (svc.decl.externalTrafficPolicy === 'Local') !== (svc.decl.internalTrafficPolicy === 'Local')
  )
}

/**
 * Every frontend the agent on `node` holds: the ClusterIPs, then for each NodePort port and
 * scope the 0.0.0.0 surrogate and the node's address (the reflector writes the surrogate per
 * scope, the BPF reconciler expands each to the node's NodePort addresses, allocating IDs in
 * that order), then the LoadBalancer ingress IPs (the same on every node). The external scope
 * keeps only this node's backends with externalTrafficPolicy Local, the internal one with
 * internalTrafficPolicy Local.
 */
export function nodeFrontends(c: Cluster, node: string): CiliumFrontend[] {
  const out = [...ciliumFrontends(c, node)]
  const addr = nodePortAddress(c, node)
  for (const svc of c.services) {
    for (const port of svc.ports) {
      if (port.nodePort === null) continue
      const scopes: (undefined | 'internal')[] = twoScopes(svc)
        ? [undefined, 'internal']
        : [undefined]
      for (const scope of scopes) {
        const local =
          scope === 'internal'
            ? svc.decl.internalTrafficPolicy === 'Local'
            : svc.decl.externalTrafficPolicy === 'Local'
        const backends = scopedBackends(port, node, local)
        for (const address of addr === null ? [0] : [0, addr])
          out.push({
            id: out.length + 1,
            svc,
            port,
            type: 'NodePort',
            address,
            backends,
            ...(scope ? { scope } : {}),
          })
      }
    }
  }
  // LoadBalancer: each ingress IP in VIP mode, per scope and port (the reflector skips other
  // IP modes, KEP-1860), on every node alike.
  for (const svc of c.services) {
    if (svc.decl.type !== 'LoadBalancer') continue
    for (const address of loadBalancerVIPs(svc))
      for (const scope of twoScopes(svc) ? [undefined, 'internal' as const] : [undefined])
        for (const port of svc.ports) {
          const local =
            scope === 'internal'
              ? svc.decl.internalTrafficPolicy === 'Local'
              : svc.decl.externalTrafficPolicy === 'Local'
          out.push({
            id: out.length + 1,
            svc,
            port,
            type: 'LoadBalancer',
            address,
            backends: scopedBackends(port, node, local),
            ...(scope ? { scope } : {}),
          })
        }
  }
  return out
}

/**
 * ServiceFlags.String (pkg/loadbalancer): the type, Local (externalTrafficPolicy, on every
 * frontend of the Service: NewSvcFlag takes it from the Service), InternalLocal, two-scopes (not
 * on a ClusterIP), non-routable.
 */
export function frontendFlags(f: CiliumFrontend): string {
  const flags: string[] = [f.type ?? 'ClusterIP']
  const extLocal = f.svc.decl.externalTrafficPolicy === 'Local'
  const intLocal = f.svc.decl.internalTrafficPolicy === 'Local'
  if (extLocal) flags.push('Local')
  if (intLocal) flags.push('InternalLocal')
  const clusterIP = f.type === undefined || f.type === 'ClusterIP'
  if (extLocal !== intLocal && !clusterIP) flags.push('two-scopes')
  // A ClusterIP is not routable from outside; the 0.0.0.0 surrogate is a template, not an address.
  if (clusterIP || f.address === 0) flags.push('non-routable')
  return flags.join(', ')
}

/** The entries dumpSVC makes for one frontend: slot 0, then each backend slot. */
export function lbEntries(f: CiliumFrontend): string[] {
  const proto = f.port.protocol
  return [
    `0.0.0.0:0 (${f.id}) (0) [${frontendFlags(f)}] `,
    ...f.backends.map((b, i) => `${formatIp(b.ep.ip)}:${b.ep.port}/${proto} (${f.id}) (${i + 1})`),
  ]
}

const HEADER = ['SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)']

/** `cilium-dbg bpf lb list` on `node`. */
export function bpfLbList(c: Cluster, node: string): string[] {
  const table = [HEADER]
  for (const f of nodeFrontends(c, node))
    lbEntries(f).forEach((e, i) => table.push([i === 0 ? frontendKey(f) : '', e]))
  return tabwrite(table, 5, 3)
}

/** The frontend's address and port, as RevNat4Value.String prints them ("ip:port"). */
function frontendHostPort(f: CiliumFrontend): string {
  return `${formatIp(frontendIp(f))}:${frontendPort(f)}`
}

/** The services-map key as Service4Key.String prints it: "ip:port/PROTO", "/i" for the internal scope. */
export function frontendKey(f: CiliumFrontend): string {
  return `${frontendHostPort(f)}/${f.port.protocol}${f.scope === 'internal' ? '/i' : ''}`
}

/** The lines of one frontend as the list prints them (a step's lookups), with the slot's. */
export function lbLines(
  c: Cluster,
  node: string,
  f: CiliumFrontend,
  slot: number | null,
): string[] {
  const all = bpfLbList(c, node)
  let line = 1
  for (const x of nodeFrontends(c, node)) {
    const n = 1 + x.backends.length
    if (x.id === f.id) {
      const mine = all.slice(line, line + n)
      return slot === null ? mine.slice(0, 1) : [mine[0]!, mine[slot]!]
    }
    line += n
  }
  return []
}

/**
 * `cilium-dbg bpf lb list --revnat` on `node`: dumpRevNat, each reverse-NAT ID (RevNat4Key) with
 * the frontend a reply's source is rewritten to (RevNat4Value.String: "ip:port"), under ID and
 * the same second title, through the same TablePrinter.
 */
export function bpfLbRevNat(c: Cluster, node: string): string[] {
  const table = [['ID', HEADER[1]!]]
  for (const f of nodeFrontends(c, node)) table.push([String(f.id), frontendHostPort(f)])
  return tabwrite(table, 5, 3)
}
