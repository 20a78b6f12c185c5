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
import { formatCidr, type Cidr } from '../../../model/ipv4.ts'
import type { CniIpSet } from '../cni-iptables.ts'

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
    for (const m of s.members) lines.push(`add ${s.name} ${formatCidr(m)}`)
  }
  return `${lines.join('\n')}\n`
}
