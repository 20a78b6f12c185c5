/**
 * The two ipsets felix's masq manager keeps (projectcalico/calico v3.32.1,
 * felix/dataplane/linux/masq_mgr.go): every pool's CIDR in one, the natOutgoing pools' in the
 * other, both hash:net. Names are felix's: "cali" + "4" (IPv4) + "0" (a main set, not a temporary one) +
 * the set ID (felix/ipsets/ipset_defs.go NewIPVersionConfig, NameForMainIPSet; IDs in felix/rules/rule_defs.go:
 * IPSetIDNATOutgoingMasqPools "masq-ipam-pools", IPSetIDAllPools "network-ip-pools"). Before
 * v3.31.7 and v3.32.1 the second was "all-ipam-pools" (cali40all-ipam-pools); it was renamed
 * when LoadBalancer-only pools were left out of it (commit d8bc898, "exclude LB-only IPPools").
 * PodPath's pools hold Pods, so each is in it.
 */
import { formatCidr, formatIp, type Cidr } from '../../../model/ipv4.ts'
import type { CniIpSet } from '../cni-iptables.ts'
import { makeUniqueId } from './selector.ts'

/** felix/ipsets/ipset_defs.go MaxIPSetNameLength. */
export const MAX_IPSET_NAME = 31

/**
 * IPVersionConfig.NameForMainIPSet for IPv4: "cali" + "4" + "0" (a main set) + the set ID, cut to
 * 31 characters (combineAndTrunc; the IDs are hashes, so the cut keeps them apart). A selector's
 * set ID is its unique ID ("s:" + hash, ./selector.ts), so its set is "cali40s:" + 23 characters
 * of the hash; a named port's is "n:" + hash (cali40n:).
 */
export function mainIpSetName(setId: string): string {
  return `cali40${setId}`.slice(0, MAX_IPSET_NAME)
}

/**
 * felix/calc/rule_scanner.go IPSetData.UniqueID for a named port: MakeUniqueID("n", the
 * selector's unique ID + "," + the protocol ("tcp", "udp", "sctp") + "," + the port's name).
 */
export function namedPortSetId(selectorId: string, protocol: string, port: string): string {
  return makeUniqueId('n', `${selectorId},${protocol.toLowerCase()},${port}`)
}

export const MASQ_POOLS_SET = 'cali40masq-ipam-pools'
export const NETWORK_POOLS_SET = 'cali40network-ip-pools'

/**
 * felix creates each set with `create <name> hash:net family inet maxelem <MaxIpsetSize>`
 * (felix/ipsets/ipsets.go; MaxIpsetSize defaults to 1048576, felix/config/config_params.go),
 * so hashsize is the kernel's default, 1024.
 */
export const FELIX_IPSET_MAXELEM = 1048576

export function felixIpSets(pools: readonly { cidr: Cidr; natOutgoing: boolean }[]): CniIpSet[] {
  // masq_mgr.go creates both sets at start (newMasqManager), empty until pools arrive.
  return [
    { name: NETWORK_POOLS_SET, type: 'hash:net', members: pools.map((p) => p.cidr) },
    {
      name: MASQ_POOLS_SET,
      type: 'hash:net',
      members: pools.filter((p) => p.natOutgoing).map((p) => p.cidr),
    },
  ]
}

/** The `ipset restore` input felix writes for them (create, then add per member). */
export function felixIpsetRestore(sets: readonly CniIpSet[]): string {
  const lines: string[] = []
  for (const s of sets) {
    lines.push(`create ${s.name} ${s.type} family inet maxelem ${FELIX_IPSET_MAXELEM}`)
    // ip.CIDR and V4IPPort String(): `10.244.1.2/32`, `10.244.1.2,tcp:80`.
    const members =
      s.type === 'hash:net'
        ? s.members.map(formatCidr)
        : s.members.map((m) => `${formatIp(m.ip)},${m.proto}:${m.port}`)
    for (const m of members) lines.push(`add ${s.name} ${m}`)
  }
  return `${lines.join('\n')}\n`
}
