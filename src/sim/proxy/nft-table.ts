/**
 * An nftables table as kube-proxy's nftables mode builds it: named sets and verdict maps, base
 * chains attached to netfilter hooks, regular chains, and rules made of the few expressions
 * kube-proxy uses (pkg/proxy/nftables/proxier.go). Each rule is kept as structure so that it can
 * be printed the way kube-proxy writes it (`write.ts`), the way `nft list` prints it back
 * (`print/nft-list.ts`), and evaluated against a packet (`nft-eval.ts`).
 */

export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'

/** A match: every one in a rule must hold for the rule's statement to run. */
export type NftMatch =
  /** `ct state new` */
  | { m: 'ct-new' }
  /** `ip daddr 172.30.0.41`, `ip saddr != 10.0.0.0/8` (an address or a CIDR) */
  | { m: 'addr'; field: 'saddr' | 'daddr'; negate: boolean; value: string }
  /** `ip daddr @cluster-ips`: membership in a named set */
  | { m: 'addr-set'; field: 'saddr' | 'daddr'; set: string }
  /** `ip daddr { 172.30.0.0/16 }`, `ip saddr != { 203.0.113.0/25 }`: an anonymous set inline */
  | {
      m: 'addr-anon'
      field: 'saddr' | 'daddr'
      negate: boolean
      values: string[]
      /**
       * How kube-proxy's text separates them: "," inside one token (the Service CIDRs, a string
       * it joined itself) or " , " (separate tokens knftables.Concat joins with spaces).
       */
      sep: ',' | ' , '
    }
  /** `tcp dport 80` */
  | { m: 'dport'; proto: string; port: number }
  /** `fib saddr type local`: the address belongs to this host */
  | { m: 'fib-local'; field: 'saddr' | 'daddr' }
  /** `mark and 0x4000 == 0` */
  | { m: 'mark-clear'; mark: number }
  /** `meta l4proto tcp` */
  | { m: 'l4proto'; proto: string }

/** The statement a rule ends with. */
export type NftStatement =
  | { s: 'jump' | 'goto'; chain: string }
  /** `ip daddr . meta l4proto . th dport vmap @service-ips` or `meta l4proto . th dport vmap @...` */
  | { s: 'vmap'; key: 'daddr-proto-port' | 'proto-port'; map: string }
  /** `numgen random mod N vmap { 0 : goto ..., ... }` */
  | { s: 'numgen'; chains: string[] }
  | { s: 'return' | 'drop' | 'reject' | 'masquerade' }
  /** `mark set mark or 0x4000` / `xor` */
  | { s: 'mark'; op: 'or' | 'xor'; mark: number }
  /** `dnat to 10.180.0.1:80` */
  | { s: 'dnat'; ip: string; port: number }
  /** `update @affinity-... { ip saddr }`: remember the client in a dynamic set */
  | { s: 'update'; set: string }

export interface NftRule {
  matches: NftMatch[]
  statement: NftStatement
  comment: string | null
}

export interface NftBaseChain {
  type: 'filter' | 'nat'
  hook: NftHook
  priority: number
}

export interface NftChain {
  name: string
  base: NftBaseChain | null
  comment: string | null
  rules: NftRule[]
}

/** A verdict stored in a map element: `goto service-...`, `drop`, `goto reject-chain`. */
export type NftElementVerdict = { s: 'goto'; chain: string } | { s: 'drop' }

export interface NftElement {
  /** The key's parts, joined with " . " (e.g. ["172.30.0.41", "tcp", "80"]). */
  key: string[]
  comment: string | null
  verdict: NftElementVerdict | null
}

export interface NftSet {
  name: string
  kind: 'set' | 'map'
  /** `ipv4_addr`, `ipv4_addr . inet_proto . inet_service : verdict`, ... */
  type: string
  flags: ('dynamic' | 'timeout')[]
  /** Default element timeout in seconds (affinity sets). */
  timeout: number | null
  comment: string | null
  elements: NftElement[]
}

export interface NftTable {
  family: 'ip'
  name: string
  comment: string | null
  /** Sets and maps in the order kube-proxy creates them. */
  sets: NftSet[]
  /** Chains in the order kube-proxy creates them. */
  chains: NftChain[]
}

export function elementKey(key: readonly string[]): string {
  return key.join(' . ')
}

/** A table as a walk reads it: its base chains, a chain by name, an element by set and key. */
export interface NftLookup {
  /** The base chains, in the table's order. */
  bases: readonly NftChain[]
  chain(name: string): NftChain | undefined
  /** The element of set or map `set` with key `key` (elementKey of its parts). */
  element(set: string, key: string): NftElement | undefined
}
