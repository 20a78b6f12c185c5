/** The iptables rules a CNI's node agent writes beside kube-proxy's, as the cluster keeps them. */
import type { Cidr } from '../../model/ipv4.ts'
import type { Text } from '../../model/text.ts'
import type { Lookup, Packet } from '../../model/trace.ts'
import type { RestoreRule } from '../proxy/iptables-rules.ts'

/** A packet one of the agent's rules masqueraded: the rule, and the addresses before and after. */
export interface CniMasquerade {
  rule: string
  /** The agent's nat chain the rule is in (FLANNEL-POSTRTG, cali-nat-outgoing, ...). */
  chain: string
  /** The packet's source before, and the address it now has (the out device's). */
  from: string
  to: string
  dev: string
  dst: string
}

/** A packet one of the agent's filter rules dropped: the rule and what the packet went through. */
export interface CniFilterDrop {
  /** The DROP rule as iptables-save prints it. */
  rule: string
  /** The chain it is in. */
  chain: string
  /** Every rule the packet was tested against at this hook, in order. */
  tested: Lookup[]
  pkt: Packet
}

/** Rules a CNI's node agent keeps in iptables beside kube-proxy's (kindnet's masquerade, flanneld's). */
export interface CniIptables {
  /** User chains of the nat table it creates. */
  natChains: string[]
  /** User chains of the filter table it creates (flanneld's FLANNEL-FWD, felix's policy chains). */
  filterChains?: string[]
  /** Rules in its own chains. */
  rules: RestoreRule[]
  /** Its jumps from the built-in chains, appended after kube-proxy's. */
  jumps: RestoreRule[]
  /** Its jumps inserted at the top of the built-in chains, before kube-proxy's (felix's). */
  insertedJumps?: RestoreRule[]
  /** Chains whose rules a packet was tested against are listed even when none matched. */
  shownUnmatched?: string[]
  /** The ipsets its rules match (`-m set --match-set NAME src|dst`). */
  ipsets?: CniIpSet[]
  /** How the agent explains a DROP by one of its own filter rules (null: not one of its own). */
  filterDrop?: (d: CniFilterDrop) => { explain: Text; reason: Text } | null
  /** What the agent says of a packet its own filter rules let through (null: nothing to add). */
  filterPass?: (d: { tested: Lookup[]; pkt: Packet }) => Text | null
  /** How the agent explains its own MASQUERADE; without it, a general account of the chain. */
  masqueradeText?: (m: CniMasquerade) => Text
  /** Why the agent leaves Pods' traffic to the outside untranslated, when it does so by design. */
  untranslatedText?: Text
}

/**
 * Two sets of an agent's rules as one, `a`'s first in each chain (flanneld's nat and filter
 * rules; felix's nat and filter tables): a drop is narrated by the part that owns the rule.
 */
export function joinCniIptables(a: CniIptables, b: CniIptables): CniIptables {
  return {
    natChains: [...a.natChains, ...b.natChains],
    filterChains: [...(a.filterChains ?? []), ...(b.filterChains ?? [])],
    rules: [...a.rules, ...b.rules],
    jumps: [...a.jumps, ...b.jumps],
    insertedJumps: [...(a.insertedJumps ?? []), ...(b.insertedJumps ?? [])],
    shownUnmatched: [...(a.shownUnmatched ?? []), ...(b.shownUnmatched ?? [])],
    ipsets: [...(a.ipsets ?? []), ...(b.ipsets ?? [])],
    filterDrop:
      a.filterDrop || b.filterDrop
        ? (d) => a.filterDrop?.(d) ?? b.filterDrop?.(d) ?? null
        : undefined,
    filterPass:
      a.filterPass || b.filterPass
        ? (d) => a.filterPass?.(d) ?? b.filterPass?.(d) ?? null
        : undefined,
    // Told by the part whose chain holds the rule (canal runs flanneld's and felix's side by side).
    masqueradeText:
      a.masqueradeText || b.masqueradeText
        ? (m) => {
            const owner = a.natChains.includes(m.chain)
              ? a
              : b.natChains.includes(m.chain)
                ? b
                : null
            return (owner?.masqueradeText ?? a.masqueradeText ?? b.masqueradeText)!(m)
          }
        : undefined,
    untranslatedText: a.untranslatedText ?? b.untranslatedText,
  }
}

/**
 * An ipset a CNI's agent keeps: a hash:net set of CIDRs (felix's pool sets, and its selector
 * sets of Pod addresses as /32s), or a hash:ip,port set (felix's named-port sets).
 */
export type CniIpSet =
  | { name: string; type: 'hash:net'; members: Cidr[] }
  | { name: string; type: 'hash:ip,port'; members: IpPortMember[] }

/** An entry of a hash:ip,port set: an address, a protocol and a port (`10.244.1.2,tcp:80`). */
export interface IpPortMember {
  ip: number
  proto: 'tcp' | 'udp' | 'sctp'
  port: number
}
