/**
 * Felix's nat table in iptables mode, as Calico v3.32.1 (projectcalico/calico) programs it:
 * - the static chains (felix/rules/static.go StaticNATTableChains): cali-PREROUTING and
 *   cali-OUTPUT jump to cali-fip-dnat; cali-POSTROUTING jumps to cali-fip-snat, then to
 *   cali-nat-outgoing, then, for each tunnel device with an address (tunl0 for IP-in-IP,
 *   vxlan.calico for VXLAN), masquerades what the node itself sends down the tunnel from an
 *   address that is not the tunnel's;
 * - cali-nat-outgoing (felix/rules/nat.go NATOutgoingChain, makeNATOutgoingRuleIPTables):
 *   one MASQUERADE for a source in a natOutgoing pool and a destination in no pool, and no rule
 *   at all when no pool has natOutgoing (felix/dataplane/linux/masq_mgr.go
 *   CompleteDeferredWork: NATOutgoingChain(masqPools.Len() > 0));
 * - the jumps from the built-in chains (felix/dataplane/linux/int_dataplane.go): PREROUTING
 *   and OUTPUT inserted at the top (ChainInsertMode insert, the default), POSTROUTING appended
 *   after kube-proxy's ("we must go last", so kube-proxy's chain clears its mark before any
 *   MASQUERADE of ours ends the walk).
 * Felix's defaults are assumed: no NATOutgoingAddress (so MASQUERADE, not SNAT), no
 * NATPortRange, no IptablesNATOutgoingInterfaceFilter, NATOutgoingExclusions IPPoolsOnly; and
 * --random-fully, which felix adds when the feature detection finds iptables 1.6.2 or later on
 * a 3.14 or later kernel (felix/environment/feature_detect_linux.go MASQFullyRandom), as on
 * every node PodPath models. Floating IPs (cali-fip-*) are OpenStack's; the chains stay empty.
 */
import { formatCidr, type Cidr } from '../../../model/ipv4.ts'
import type { RestoreRule } from '../../proxy/iptables-rules.ts'
import type { CniIptables } from '../cni-iptables.ts'
import { felixIpSets, MASQ_POOLS_SET, NETWORK_POOLS_SET } from './ipsets.ts'
import { felixMasqueradeText, felixUntranslatedText } from './nat-text.ts'
import { felixRuleHashes } from './rule-hash.ts'

export const CALI_NAT_OUTGOING = 'cali-nat-outgoing'
export const CALI_POSTROUTING = 'cali-POSTROUTING'
const CALI_PREROUTING = 'cali-PREROUTING'
const CALI_OUTPUT = 'cali-OUTPUT'
const CALI_FIP_DNAT = 'cali-fip-dnat'
const CALI_FIP_SNAT = 'cali-fip-snat'

/** A pool as felix's masq manager sees it (proto.IPAMPool: Cidr, Masquerade). */
export interface FelixPool {
  cidr: Cidr
  natOutgoing: boolean
}

/** Felix's rendering of one rule (what it hashes, after `-A <chain> HASH `). */
type Rendered = string

/**
 * A chain's rules as iptables-restore takes them from felix: felix's own rendering with the
 * hash comment first (iptables renderer renderInner), its long option names as iptables reads
 * them (`--jump` is `-j`, `--out-interface` is `-o`; iptables-save prints the short ones).
 */
function chainRules(chain: string, rendered: Rendered[], hashChain = chain): RestoreRule[] {
  const hashes = felixRuleHashes(hashChain, rendered)
  return rendered.map((r, i) => ({
    table: 'nat',
    chain,
    args: [
      '-m',
      'comment',
      '--comment',
      `"cali:${hashes[i]!}"`,
      ...r.split(' ').map((t) => (t === '--jump' ? '-j' : t === '--out-interface' ? '-o' : t)),
    ],
  }))
}

/**
 * The nat table felix keeps on a node. `tunnel` is the node's tunnel device when it has an
 * address (tunl0, vxlan.calico), null with plain BGP.
 */
export function felixNatTable(pools: readonly FelixPool[], tunnel: string | null): CniIptables {
  const masq = '--jump MASQUERADE --random-fully'
  const all = pools.map((p) => formatCidr(p.cidr))
  const masqPools = pools.filter((p) => p.natOutgoing).map((p) => formatCidr(p.cidr))
  const natOutgoing: Rendered[] = pools.some((p) => p.natOutgoing)
    ? [
        `-m set --match-set ${MASQ_POOLS_SET} src -m set ! --match-set ${NETWORK_POOLS_SET} dst ${masq}`,
      ]
    : []
  const postrouting: Rendered[] = [
    `--jump ${CALI_FIP_SNAT}`,
    `--jump ${CALI_NAT_OUTGOING}`,
    ...(tunnel
      ? [
          `--out-interface ${tunnel} -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL ${masq}`,
        ]
      : []),
  ]
  return {
    natChains: [
      CALI_FIP_DNAT,
      CALI_FIP_SNAT,
      CALI_NAT_OUTGOING,
      CALI_OUTPUT,
      CALI_POSTROUTING,
      CALI_PREROUTING,
    ],
    rules: [
      ...chainRules(CALI_PREROUTING, [`--jump ${CALI_FIP_DNAT}`]),
      ...chainRules(CALI_POSTROUTING, postrouting),
      ...chainRules(CALI_OUTPUT, [`--jump ${CALI_FIP_DNAT}`]),
      ...chainRules(CALI_NAT_OUTGOING, natOutgoing),
    ],
    // Inserted rules are hashed under the chain's name, appended ones under "<chain>*appends*"
    // (felix/iptables/table.go expectedHashesForInsertAppendChain).
    insertedJumps: [
      ...chainRules('PREROUTING', [`--jump ${CALI_PREROUTING}`]),
      ...chainRules('OUTPUT', [`--jump ${CALI_OUTPUT}`]),
    ],
    jumps: chainRules('POSTROUTING', [`--jump ${CALI_POSTROUTING}`], 'POSTROUTING*appends*'),
    ipsets: felixIpSets(pools),
    shownUnmatched: [CALI_NAT_OUTGOING],
    masqueradeText: (m) =>
      felixMasqueradeText(m, masqPools.length ? masqPools.join(', ') : all.join(', ')),
    ...(masqPools.length ? {} : { untranslatedText: felixUntranslatedText(all.join(', ')) }),
  }
}
