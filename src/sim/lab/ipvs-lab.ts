/**
 * kube-proxy's IPVS mode in a lab node, as the proxier programs it (kubernetes
 * pkg/proxy/ipvs/proxier.go): the sysctls it ensures at start, the ipsets its few iptables
 * rules match (`ipset restore` input), and one IPVS virtual service per address and port with
 * the Service's endpoints as real servers in masquerading (NAT) mode (`ipvsadm-restore` input).
 * The ClusterIPs on kube-ipvs0 are the node's own addresses in PodPath's model, which
 * topology.ts builds with the other links. Everything here comes from the same data that prints
 * `ipvsadm -Ln` and `ipset list` in `podpath tables`.
 */
import { formatIp } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'
import { kubeProxySets } from '../print/ipset-list.ts'
import { virtualServices, type VirtualService } from '../proxy/ipvs.ts'

/**
 * The sysctls kube-proxy's IPVS proxier ensures on a node (NewProxier): conntrack for IPVS
 * connections (so that its iptables SNAT and conntrack see them), expire_nodest_conn and
 * expire_quiescent_template. conn_reuse_mode it sets to 0 only on kernels before 5.9 (the
 * script decides at run time); arp_ignore/arp_announce only with strictARP, which PodPath's
 * clusters do not set.
 */
export const IPVS_SYSCTLS = [
  'net.ipv4.vs.conntrack=1',
  'net.ipv4.vs.expire_nodest_conn=1',
  'net.ipv4.vs.expire_quiescent_template=1',
] as const

/** ipvsadm's service option for a protocol (ipvsadm(8): -t, -u, --sctp-service). */
function serviceFlag(v: VirtualService): string {
  return v.proto === 'TCP' ? '-t' : v.proto === 'UDP' ? '-u' : '--sctp-service'
}

/**
 * `ipvsadm-restore` input for a node: `-A` a virtual service with its scheduler (and
 * `-p TIMEOUT` for sessionAffinity ClientIP), then `-a` each real server with `-m`
 * (masquerading, which `ipvsadm -Ln` prints as Masq) and its weight.
 */
export function ipvsadmRestore(c: Cluster, node: string): string {
  const lines: string[] = []
  for (const v of virtualServices(c, node)) {
    const vs = `${serviceFlag(v)} ${formatIp(v.vip)}:${v.port}`
    lines.push(`-A ${vs} -s ${v.scheduler}${v.persistent !== null ? ` -p ${v.persistent}` : ''}`)
    for (const d of v.dests) lines.push(`-a ${vs} -r ${formatIp(d.ip)}:${d.port} -m -w ${d.weight}`)
  }
  return lines.length ? `${lines.join('\n')}\n` : ''
}

/**
 * `ipset restore` input for a node: kube-proxy's sets as it creates them (hash sets with
 * `family inet hashsize 1024 maxelem 65536`, bitmap:port with `range 0-65535`; ipset.go), and
 * their members. They must exist before iptables-restore loads the rules that match them.
 */
export function ipsetRestore(c: Cluster, node: string): string {
  const lines: string[] = []
  for (const s of kubeProxySets(c, node)) {
    const opts =
      s.type === 'bitmap:port' ? 'range 0-65535' : 'family inet hashsize 1024 maxelem 65536'
    lines.push(`create ${s.name} ${s.type} ${opts}`)
    for (const m of s.members) lines.push(`add ${s.name} ${m}`)
  }
  return `${lines.join('\n')}\n`
}
