/**
 * One felix iptables rule in its two spellings: felix's own rendering (what its rule hash is
 * computed over, projectcalico/calico v3.31 felix/iptables match_builder.go and actions.go:
 * `--in-interface`, `--jump`, `--set-mark 0/0x...`) and what iptables-save prints back (`-i`,
 * `-j`, `--set-xmark 0x0/0x...`). `felixChain` gives each rule its `cali:<hash>` comment, first
 * among the comments, as felix's iptables renderer writes it (felix/iptables/renderer.go).
 */
import type { RestoreRule } from '../../proxy/iptables-rules.ts'
import { felixRuleHashes } from './rule-hash.ts'

/** A match or an action, as felix writes it and as iptables-save prints it. */
export interface Frag {
  felix: string
  save: string[]
}

export interface FelixRule {
  comments?: string[]
  match?: Frag[]
  /** Null: a rule with no target (felix's comment-only first rule of an empty policy chain). */
  action: Frag | null
}

/** Go's %#x. */
const hex = (n: number): string => `0x${n.toString(16)}`

// felix/iptables/match_builder.go
export const m = {
  /** MarkClear: none of `mask`'s bits set. */
  markClear: (mask: number): Frag => ({
    felix: `-m mark --mark 0/${hex(mask)}`,
    save: ['-m', 'mark', '--mark', `0x0/${hex(mask)}`],
  }),
  /** MarkSingleBitSet / MarkMatchesWithMask(bit, bit). */
  markSet: (bit: number): Frag => ({
    felix: `-m mark --mark ${hex(bit)}/${hex(bit)}`,
    save: ['-m', 'mark', '--mark', `${hex(bit)}/${hex(bit)}`],
  }),
  inIface: (name: string): Frag => ({ felix: `--in-interface ${name}`, save: ['-i', name] }),
  outIface: (name: string): Frag => ({ felix: `--out-interface ${name}`, save: ['-o', name] }),
  ctstate: (states: string): Frag => ({
    felix: `-m conntrack --ctstate ${states}`,
    save: ['-m', 'conntrack', '--ctstate', states],
  }),
  /** ProtocolNum writes the number; iptables-save prints the name it knows (xtables_chain_protos). */
  protoNum: (num: number, name: string): Frag => ({ felix: `-p ${num}`, save: ['-p', name] }),
  /** Protocol by name (a policy rule's protocol). */
  proto: (name: string): Frag => ({ felix: `-p ${name}`, save: ['-p', name] }),
  /** DestPorts / DestPortRanges: libxt_multiport prints --destination-ports back as --dports. */
  dports: (ports: string): Frag => ({
    felix: `-m multiport --destination-ports ${ports}`,
    save: ['-m', 'multiport', '--dports', ports],
  }),
  /** SourceIPSet / DestIPSet / DestIPPortSet: `-m set --match-set <name> src|dst|dst,dst`. */
  set: (name: string, flags: 'src' | 'dst' | 'dst,dst'): Frag => ({
    felix: `-m set --match-set ${name} ${flags}`,
    save: ['-m', 'set', '--match-set', name, flags],
  }),
  srcNet: (cidr: string): Frag => ({ felix: `--source ${cidr}`, save: ['-s', cidr] }),
  dstNet: (cidr: string): Frag => ({ felix: `--destination ${cidr}`, save: ['-d', cidr] }),
}

// felix/iptables/actions.go
export const a = {
  jump: (chain: string): Frag => ({ felix: `--jump ${chain}`, save: ['-j', chain] }),
  goto: (chain: string): Frag => ({ felix: `--goto ${chain}`, save: ['-g', chain] }),
  accept: { felix: '--jump ACCEPT', save: ['-j', 'ACCEPT'] } as Frag,
  drop: { felix: '--jump DROP', save: ['-j', 'DROP'] } as Frag,
  return: { felix: '--jump RETURN', save: ['-j', 'RETURN'] } as Frag,
  /** ClearMarkAction: "--set-mark 0/<mask>"; the kernel keeps it as --set-xmark 0x0/<mask>. */
  clearMark: (mask: number): Frag => ({
    felix: `--jump MARK --set-mark 0/${hex(mask)}`,
    save: ['-j', 'MARK', '--set-xmark', `0x0/${hex(mask)}`],
  }),
  /** SetMaskedMarkAction: "--set-mark <mark>/<mask>". */
  setMaskedMark: (mark: number, mask: number): Frag => ({
    felix: `--jump MARK --set-mark ${hex(mark)}/${hex(mask)}`,
    save: ['-j', 'MARK', '--set-xmark', `${hex(mark)}/${hex(mask)}`],
  }),
  /** SetMarkAction: "--set-mark <bit>/<bit>". */
  setMark: (bit: number): Frag => ({
    felix: `--jump MARK --set-mark ${hex(bit)}/${hex(bit)}`,
    save: ['-j', 'MARK', '--set-xmark', `${hex(bit)}/${hex(bit)}`],
  }),
}

const quoted = (c: string) => `"${c}"`

/** felix's rendering of a rule after `-A <chain> HASH `, the text its hash covers. */
export function felixRendering(r: FelixRule): string {
  return [
    ...(r.comments ?? []).map((c) => `-m comment --comment ${quoted(c)}`),
    ...(r.match ?? []).map((f) => f.felix),
    ...(r.action ? [r.action.felix] : []),
  ].join(' ')
}

/**
 * A chain's rules as iptables-restore lines (the save spelling, which iptables-restore reads as
 * well), each with its hash comment. `hashChain` is the name the hashes are chained from: the
 * chain itself, or `FORWARD*appends*` for the rules felix appends to a kernel chain
 * (felix/iptables/table.go: CalculateRuleHashes(chainName+"*appends*", ...)).
 */
export function felixChain(
  chain: string,
  rules: readonly FelixRule[],
  hashChain = chain,
): RestoreRule[] {
  const hashes = felixRuleHashes(hashChain, rules.map(felixRendering))
  return rules.map((r, i) => ({
    table: 'filter',
    chain,
    args: [
      '-m',
      'comment',
      '--comment',
      quoted(`cali:${hashes[i]}`),
      ...(r.comments ?? []).flatMap((c) => ['-m', 'comment', '--comment', quoted(c)]),
      ...(r.match ?? []).flatMap((f) => f.save),
      ...(r.action ? r.action.save : []),
    ],
  }))
}
