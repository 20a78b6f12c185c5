/**
 * `ipset list -sorted` on a node in IPVS mode: the sets kube-proxy creates on every node, even
 * empty (pkg/proxy/ipvs proxier.go ipsetInfo, ipset.go), as ipset 7.x prints them (lib/session.c
 * list_create / list_adt). kube-proxy creates hash sets with `family inet hashsize 1024 maxelem
 * 65536` and bitmap:port sets with `range 0-65535`, and never asks for comments or timeouts.
 *
 * What a real node would print differently: the order of the sets (kube-proxy creates them from
 * a Go map, so their order is random), each hash set's initval (random per set; PodPath derives
 * a stable one from the set's name), and Size in memory, which depends on the kernel's struct
 * sizes and on how entries fall into hash buckets. PodPath's figure uses the sizes a current
 * x86-64 kernel reports (an empty hash:ip,port set is 216 bytes, 48 more per entry in its own
 * bucket, read off a real node) and assumes no two entries share a bucket, which holds for a few
 * entries in 1024 buckets but not for thousands.
 */
import { formatCidr, formatIp, parseIp } from '../../model/ipv4.ts'
import { FELIX_IPSET_MAXELEM } from '../cni/felix/ipsets.ts'
import type { Cluster } from '../cluster.ts'
import { hash32 } from '../hash.ts'
import { ipSets, type IpSets } from '../proxy/ipvs-iptables.ts'
import { nodeIptables } from '../proxy/kube-proxy.ts'

// Per entry in its own bucket: a bucket header of 32 bytes and room for two elements (the bucket
// grows by two), e.g. 32 + 2 x 8 = 48 for hash:ip,port.
interface SetType {
  type: string
  /** The highest revision of the type in current kernels and ipset 7.16+ (IPSET_TYPE_REV_MAX). */
  revision: number
  /** Size in memory when empty, and per entry (x86-64, each entry in its own bucket). */
  empty: number
  perEntry: number
}

const HASH_IP_PORT: SetType = { type: 'hash:ip,port', revision: 7, empty: 216, perEntry: 48 }
const HASH_IP_PORT_IP: SetType = { type: 'hash:ip,port,ip', revision: 6, empty: 208, perEntry: 56 }
const HASH_IP_PORT_NET: SetType = {
  type: 'hash:ip,port,net',
  revision: 8,
  empty: 464,
  // 32 + 2 x the 12-byte element (ip, ip2, port, cidr/nomatch, proto), as for the other types.
  perEntry: 56,
}
const HASH_IP: SetType = { type: 'hash:ip', revision: 6, empty: 216, perEntry: 40 }
// A bitmap of 65536 ports (8192 bytes) plus its header, whatever the number of entries.
const BITMAP_PORT: SetType = { type: 'bitmap:port', revision: 3, empty: 8264, perEntry: 0 }

/** kube-proxy's sets in the order of its ipsetInfo table. */
const SETS: [
  keyof IpSets | 'KUBE-NODE-PORT-SCTP-HASH' | 'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
  SetType,
][] = [
  ['KUBE-LOOP-BACK', HASH_IP_PORT_IP],
  ['KUBE-CLUSTER-IP', HASH_IP_PORT],
  ['KUBE-EXTERNAL-IP', HASH_IP_PORT],
  ['KUBE-EXTERNAL-IP-LOCAL', HASH_IP_PORT],
  ['KUBE-LOAD-BALANCER', HASH_IP_PORT],
  ['KUBE-LOAD-BALANCER-FW', HASH_IP_PORT],
  ['KUBE-LOAD-BALANCER-LOCAL', HASH_IP_PORT],
  ['KUBE-LOAD-BALANCER-SOURCE-IP', HASH_IP_PORT_IP],
  ['KUBE-LOAD-BALANCER-SOURCE-CIDR', HASH_IP_PORT_NET],
  ['KUBE-NODE-PORT-TCP', BITMAP_PORT],
  ['KUBE-NODE-PORT-LOCAL-TCP', BITMAP_PORT],
  ['KUBE-NODE-PORT-UDP', BITMAP_PORT],
  ['KUBE-NODE-PORT-LOCAL-UDP', BITMAP_PORT],
  ['KUBE-NODE-PORT-SCTP-HASH', HASH_IP_PORT],
  ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', HASH_IP_PORT],
  ['KUBE-HEALTH-CHECK-NODE-PORT', BITMAP_PORT],
  ['KUBE-IPVS-IPS', HASH_IP],
]

/** `-sorted`: by address, then protocol and port, then the rest (ports numerically for bitmaps). */
function sortKey(entry: string): (number | string)[] {
  return entry.split(',').flatMap((part) => {
    const [a, b] = part.split(':')
    const ip = parseIp(a!.split('/')[0]!)
    if (ip !== null) return [ip, b ?? '']
    if (b !== undefined) return [a!, Number(b)]
    return [Number(a)]
  })
}

function compare(a: string, b: string): number {
  const ka = sortKey(a)
  const kb = sortKey(b)
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const x = ka[i] ?? ''
    const y = kb[i] ?? ''
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return String(x) < String(y) ? -1 : 1
  }
  return 0
}

/** One of kube-proxy's sets on a node: its name, type and members, `-sorted`. */
export interface KubeProxySet {
  name: string
  type: string
  revision: number
  members: string[]
  /** Size in memory as PodPath estimates it (see above). */
  size: number
  /** maxelem when it is not kube-proxy's 65536 (felix's sets). */
  maxelem?: number
}

/** kube-proxy's sets on a node, in the order of its ipsetInfo table, members sorted. */
export function kubeProxySets(c: Cluster, node: string): KubeProxySet[] {
  const sets = ipSets(c, node)
  const nodeIp = c.nodeByName.get(node)?.ip ?? null
  return SETS.map(([name, t]) => {
    let members: string[]
    if (name === 'KUBE-NODE-PORT-SCTP-HASH' || name === 'KUBE-NODE-PORT-LOCAL-SCTP-HASH') {
      // SCTP node ports go into hash sets as "nodeIP,sctp:port", one entry per node address.
      const local = name === 'KUBE-NODE-PORT-LOCAL-SCTP-HASH'
      members = c.services.flatMap((s) =>
        s.ports
          .filter((p) => p.protocol === 'SCTP' && p.nodePort !== null && nodeIp !== null)
          .filter(() => !local || s.decl.externalTrafficPolicy === 'Local')
          .map((p) => `${formatIp(nodeIp!)},sctp:${p.nodePort}`),
      )
    } else members = [...sets[name]].map(String)
    members.sort(compare)
    return {
      name,
      type: t.type,
      revision: t.revision,
      members,
      size: t.empty + t.perEntry * members.length,
    }
  })
}

/**
 * The CNI agent's sets (felix's pool sets), as ipset 7.17 lists them on a 6.x x86-64 kernel:
 * hash:net revision 7, felix's header (family inet, the default hashsize 1024, maxelem 1048576)
 * with the kernel's bucketsize 12 and random initval; Size in memory 456 bytes empty and 48 more
 * per entry, as a real namespace reported for these sets made with felix's create line.
 */
const HASH_NET: SetType = { type: 'hash:net', revision: 7, empty: 456, perEntry: 48 }

// The sets of felix's nat rules and of its policy rules: felix keeps others (cali40all-hosts-net,
// cali40this-host, ...), which PodPath does not model yet, so a real node lists more. A hash:net
// entry of a single address prints without its /32 (ipset's print of a host prefix; felix's
// CanonicaliseMember notes the same); a hash:ip,port one as `10.244.1.2,tcp:80`.
function cniSets(c: Cluster, node: string): KubeProxySet[] {
  return (c.cniIptables.get(node)?.ipsets ?? []).map((s) => {
    const t = s.type === 'hash:net' ? HASH_NET : HASH_IP_PORT
    const members = (
      s.type === 'hash:net'
        ? s.members.map((m) => (m.prefix === 32 ? formatIp(m.base) : formatCidr(m)))
        : s.members.map((m) => `${formatIp(m.ip)},${m.proto}:${m.port}`)
    ).sort(compare)
    return {
      name: s.name,
      type: s.type,
      revision: t.revision,
      members,
      size: t.empty + t.perEntry * members.length,
      maxelem: FELIX_IPSET_MAXELEM,
    }
  })
}

/** True when `ipset list` on the node has something to show beside kube-proxy's IPVS sets. */
export function hasCniSets(c: Cluster, node: string): boolean {
  return (c.cniIptables.get(node)?.ipsets?.length ?? 0) > 0
}

/** `ipset list -sorted`: kube-proxy's sets in IPVS mode, then the CNI agent's. */
export function ipsetList(c: Cluster, node: string): string[] {
  const rules = nodeIptables(c, node)
  // References: the kernel counts one per --match-set of an iptables rule (xt_set), so a rule
  // that matches two sets (felix's cali-nat-outgoing) counts for each.
  const refs = new Map<string, number>()
  for (const r of [...rules.jumps, ...rules.rules])
    r.args.forEach((a, i) => {
      if (a === '--match-set') refs.set(r.args[i + 1]!, (refs.get(r.args[i + 1]!) ?? 0) + 1)
    })
  const out: string[] = []
  const sets = [
    ...(c.decl.kubeProxy.mode === 'ipvs' ? kubeProxySets(c, node) : []),
    ...cniSets(c, node),
  ]
  for (const { name, type, revision, members, size, maxelem } of sets) {
    const header =
      type === 'bitmap:port'
        ? 'range 0-65535'
        : `family inet hashsize 1024 maxelem ${maxelem ?? 65536} bucketsize 12 initval 0x${hash32(`${node}/${name}`, 7).toString(16).padStart(8, '0')}`
    if (out.length) out.push('')
    out.push(
      `Name: ${name}`,
      `Type: ${type}`,
      `Revision: ${revision}`,
      `Header: ${header}`,
      `Size in memory: ${size}`,
      `References: ${refs.get(name) ?? 0}`,
      `Number of entries: ${members.length}`,
      'Members:',
      ...members,
    )
  }
  return out
}
