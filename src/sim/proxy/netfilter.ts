/**
 * Netfilter, as far as kube-proxy's iptables rules need it: walk a table's chains from a hook,
 * test each rule against the packet, follow jumps, and return the verdict together with every
 * rule the packet was tested against (what `iptables -t nat -L -v` counters would show).
 */
import { cidrContains, parseCidr, parseIp, type Cidr } from '../../model/ipv4.ts'
import type { Lookup } from '../../model/trace.ts'
import type { Rng } from '../rng.ts'
import { parseRule, saveRule } from '../print/iptables-save.ts'
import {
  chainsOf,
  type ChainRules,
  type IptablesRules,
  type RestoreRule,
} from './iptables-rules.ts'

export type Table = 'filter' | 'nat'
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING'

export interface NfPacket {
  src: number
  dst: number
  proto: string
  sport: number
  dport: number
  mark: number
  /** conntrack state: NEW for the first packet of a connection. */
  ctstate: 'NEW' | 'ESTABLISHED'
  /**
   * The address is local (its route in table local has type local); with `onDev`, local on that
   * device (__inet_dev_addr_type in net/ipv4/fib_frontend.c: the local route's device must be
   * it), as addrtype's --limit-iface-out asks.
   */
  isLocal(ip: number, onDev?: string | null): boolean
  /** The device the packet came in on and will leave by, where the hook knows it (else null). */
  inDev: string | null
  outDev: string | null
  /** Came in through a bridge port (br_netfilter keeps the port: `-m physdev --physdev-is-in`). */
  bridged: boolean
  /** ipset membership for `-m set --match-set NAME dst,dst` (IPVS mode). */
  inSet(name: string, flags: string): boolean
  /** The `recent` match: is the source in list `name` (check), or record it there (set). */
  recent(name: string, op: 'check' | 'set'): boolean
}

export type Verdict =
  | { kind: 'continue' }
  | { kind: 'accept' }
  | { kind: 'drop'; rule: string }
  | { kind: 'reject'; rule: string }
  | { kind: 'dnat'; ip: number; port: number; rule: string }
  /** REDIRECT: DNAT to the packet's own node (the address is the hook's to choose), port `port`. */
  | { kind: 'redirect'; port: number; rule: string }
  | { kind: 'masquerade'; rule: string }
  /** SNAT --to-source: the source becomes `ip`, whatever the out device's address. */
  | { kind: 'snat'; ip: number; rule: string }

export interface ChainWalk {
  verdict: Verdict
  mark: number
  tested: Lookup[]
}

/** A rule parsed once: its iptables-save text, and its tests and target with their values read. */
interface CompiledRule {
  text: string
  src: AddrTest | null
  dst: AddrTest | null
  inIface: IfaceTest | null
  outIface: IfaceTest | null
  proto: string | null
  matches: Matcher[]
  target: string | null
  targetOpts: string[]
  goto: boolean
}

/** `-s`/`-d`: the block to test (null for a value that is not an address, which never matches). */
interface AddrTest {
  cidr: Cidr | null
  negate: boolean
}

/** `-i`/`-o`: a name, or a prefix when it ends in + (xtables_parse_interface). */
interface IfaceTest {
  name: string
  prefix: boolean
  negate: boolean
}

function ifaceTest(spec: { negate: boolean; value: string } | null): IfaceTest | null {
  if (!spec) return null
  const prefix = spec.value.endsWith('+')
  return { name: prefix ? spec.value.slice(0, -1) : spec.value, prefix, negate: spec.negate }
}

/**
 * ip_packet_match compares the rule's name with the device's, or with an empty name where the
 * hook has no such device (no out device at PREROUTING): a positive test then fails and a
 * negated one holds.
 */
function ifaceMatches(t: IfaceTest | null, dev: string | null): boolean {
  if (!t) return true
  const name = dev ?? ''
  const hit = t.prefix ? name.startsWith(t.name) && name !== '' : name === t.name
  return t.negate ? !hit : hit
}

/** One `-m` match, its options read once; called with the mark as it stands at that rule. */
type Matcher = (p: NfPacket, mark: number, rng: Rng) => boolean

/**
 * A node's iptables rules by table and chain. A chain's rules are parsed the first time a packet
 * enters it: a walk visits few of the chains (one KUBE-SVC and one KUBE-SEP of thousands).
 */
export interface CompiledTables {
  chain(table: Table, name: string): readonly CompiledRule[]
  /** What a Lookup calls the chain: `iptables -t nat KUBE-SERVICES`. */
  label(table: Table, name: string): string
}

export function compile(r: IptablesRules): CompiledTables {
  // The jumps kube-proxy prepends to the built-in chains come before any other rule there.
  return compileChains(chainsOf(r.jumps, r.rules))
}

/** `compile` over rules that come chain by chain (a chain's rules asked for once, when entered). */
export function compileChains(raw: ChainRules): CompiledTables {
  const parsed = {
    filter: new Map<string, CompiledRule[]>(),
    nat: new Map<string, CompiledRule[]>(),
  }
  const labels = { filter: new Map<string, string>(), nat: new Map<string, string>() }
  return {
    chain(table, name) {
      let c = parsed[table].get(name)
      if (!c) {
        c = raw.rules(table, name).map(compileRule)
        parsed[table].set(name, c)
      }
      return c
    },
    label(table, name) {
      let l = labels[table].get(name)
      if (l === undefined) {
        l = `iptables -t ${table} ${name}`
        labels[table].set(name, l)
      }
      return l
    },
  }
}

function compileRule(rule: RestoreRule): CompiledRule {
  const parsed = parseRule(rule)
  return {
    text: saveRule(parsed),
    src: addrTest(parsed.src),
    dst: addrTest(parsed.dst),
    inIface: ifaceTest(parsed.inIface),
    outIface: ifaceTest(parsed.outIface),
    proto: parsed.proto,
    matches: parsed.matches.map(compileMatch),
    target: parsed.target,
    targetOpts: parsed.targetOpts,
    goto: parsed.goto ?? false,
  }
}

function addrTest(spec: { negate: boolean; value: string } | null): AddrTest | null {
  if (!spec) return null
  const cidr = spec.value.includes('/')
    ? parseCidr(spec.value)
    : { base: parseIp(spec.value) ?? -1, prefix: 32 }
  return { cidr, negate: spec.negate }
}

function addrMatches(t: AddrTest | null, ip: number): boolean {
  if (!t) return true
  const hit = t.cidr ? cidrContains(t.cidr, ip) : false
  return t.negate ? !hit : hit
}

function optValue(opts: string[], name: string): { value: string; negate: boolean } | null {
  const i = opts.indexOf(name)
  if (i < 0) return null
  return { value: opts[i + 1]!, negate: opts[i - 1] === '!' }
}

const always: Matcher = () => true
const never: Matcher = () => false

function compileMatch(m: { name: string; opts: string[] }): Matcher {
  switch (m.name) {
    case 'comment':
    case 'nfacct':
      return always
    case 'tcp':
    case 'udp':
    case 'sctp': {
      const d = optValue(m.opts, '--dport')
      const port = d ? Number(d.value) : null
      const proto = m.name
      return (p) => p.proto === proto && (port === null || port === p.dport)
    }
    case 'multiport': {
      // libxt_multiport: a comma list of ports and first:last ranges (with -p before it).
      const d = optValue(m.opts, '--dports') ?? optValue(m.opts, '--destination-ports')
      if (!d) return never
      const ranges = d.value.split(',').map((r) => r.split(':').map(Number))
      const negate = d.negate
      return (p) => {
        const hit = ranges.some(([lo, hi]) => p.dport >= lo! && p.dport <= (hi ?? lo!))
        return negate ? !hit : hit
      }
    }
    case 'addrtype': {
      const dst = optValue(m.opts, '--dst-type')
      const src = optValue(m.opts, '--src-type')
      // `! --dst-type LOCAL` (kindnet's masquerade jump) inverts the test (libxt_addrtype.c).
      const dstLocal = dst ? dst.value === 'LOCAL' : null
      const srcLocal = src ? src.value === 'LOCAL' : null
      const dstNeg = dst?.negate ?? false
      const srcNeg = src?.negate ?? false
      // --limit-iface-out (felix's tunnel masquerade): the type as seen on the out device only
      // (addrtype_mt_v1 passes par->state->out to inet_dev_addr_type).
      const limitOut = m.opts.includes('--limit-iface-out')
      const local = (p: NfPacket, ip: number) =>
        limitOut ? p.isLocal(ip, p.outDev) : p.isLocal(ip)
      return (p) =>
        (dstLocal === null || (local(p, p.dst) === dstLocal) !== dstNeg) &&
        (srcLocal === null || (local(p, p.src) === srcLocal) !== srcNeg)
    }
    case 'mark': {
      const v = optValue(m.opts, '--mark')!
      const [value, mask] = v.value.split('/').map((x) => Number.parseInt(x, 16))
      const negate = v.negate
      return (_p, mark) => {
        const hit = (mark & (mask ?? 0xffffffff)) === value
        return negate ? !hit : hit
      }
    }
    case 'state':
    case 'conntrack': {
      // The old state match is the conntrack match's --ctstate under another name (xt_state.c).
      const v = optValue(m.opts, m.name === 'state' ? '--state' : '--ctstate')!
      const states = v.value.split(',')
      const negate = v.negate
      return (p) => {
        const hit = states.includes(p.ctstate)
        return negate ? !hit : hit
      }
    }
    case 'statistic': {
      // The kernel compares a random u31 with the stored probability (xt_statistic.c).
      const prob = Math.round(0x80000000 * Number(optValue(m.opts, '--probability')!.value))
      return (_p, _mark, rng) => Math.floor(rng.next() * 0x80000000) < prob
    }
    case 'set': {
      const v = optValue(m.opts, '--match-set')!
      const flags = m.opts[m.opts.indexOf('--match-set') + 2] ?? 'dst'
      return (p) => {
        const hit = p.inSet(v.value, flags)
        return v.negate ? !hit : hit
      }
    }
    case 'physdev': {
      const v = optValue(m.opts, '--physdev-is-in')
      if (!v) return never
      return (p) => (v.negate ? !p.bridged : p.bridged)
    }
    case 'ipvs': {
      // The connection IPVS tracks for this packet is for this virtual address, protocol and port.
      const addr = optValue(m.opts, '--vaddr')
      const vaddr = addr ? parseIp(addr.value) : undefined
      const vproto = optValue(m.opts, '--vproto')?.value ?? null
      const vport = optValue(m.opts, '--vport')
      const port = vport ? Number(vport.value) : null
      return (p) =>
        (vaddr === undefined || vaddr === p.dst) &&
        (vproto === null || vproto === p.proto) &&
        (port === null || port === p.dport)
    }
    case 'recent': {
      // xt_recent with --rsource and a /32 mask: --set records the source and matches,
      // --rcheck matches when an earlier connection of the session recorded it.
      const name = optValue(m.opts, '--name')?.value ?? 'DEFAULT'
      const op = m.opts.includes('--set') ? 'set' : 'check'
      return (p) => p.recent(name, op)
    }
    default:
      return never
  }
}

/** Walks `chain` of `table` (a built-in chain entered from its hook) and returns the verdict. */
export function walkChain(
  t: CompiledTables,
  table: Table,
  chain: string,
  p: NfPacket,
  rng: Rng,
): ChainWalk {
  const tested: Lookup[] = []
  let mark = p.mark
  const visit = (name: string, depth: number): Verdict => {
    if (depth > 16) return { kind: 'continue' }
    const label = t.label(table, name)
    for (const r of t.chain(table, name)) {
      const ok =
        addrMatches(r.src, p.src) &&
        addrMatches(r.dst, p.dst) &&
        ifaceMatches(r.inIface, p.inDev) &&
        ifaceMatches(r.outIface, p.outDev) &&
        (!r.proto || r.proto === p.proto) &&
        r.matches.every((m) => m(p, mark, rng))
      const text = r.text
      tested.push({ table: label, rule: text, matched: ok })
      if (!ok || !r.target) continue
      switch (r.target) {
        case 'RETURN':
          return { kind: 'continue' }
        case 'ACCEPT':
          return { kind: 'accept' }
        case 'DROP':
          return { kind: 'drop', rule: text }
        case 'REJECT':
          return { kind: 'reject', rule: text }
        case 'MASQUERADE':
          return { kind: 'masquerade', rule: text }
        case 'SNAT': {
          const to = optValue(r.targetOpts, '--to-source')!.value.split(':')[0]!
          return { kind: 'snat', ip: parseIp(to)!, rule: text }
        }
        case 'MARK': {
          const op = r.targetOpts[0]
          const [value, mask] = r.targetOpts[1]!.split('/').map((x) => Number.parseInt(x, 16))
          const v = value!
          // xt_MARK: --set-xmark value/mask is mark = (mark & ~mask) ^ value (felix's marks).
          if (op === '--set-xmark' && mask !== undefined) mark = ((mark & ~mask) ^ v) >>> 0
          else mark = op === '--or-mark' ? mark | v : op === '--xor-mark' ? mark ^ v : v
          continue
        }
        case 'DNAT': {
          const [ip, port] = optValue(r.targetOpts, '--to-destination')!.value.split(':')
          return { kind: 'dnat', ip: parseIp(ip!)!, port: Number(port), rule: text }
        }
        case 'REDIRECT': {
          // --to-ports; without it the destination port stays (xt_REDIRECT / nf_nat_redirect.c).
          const to = optValue(r.targetOpts, '--to-ports')
          return { kind: 'redirect', port: to ? Number(to.value) : p.dport, rule: text }
        }
        default: {
          const v = visit(r.target, depth + 1)
          // -g: when the chain gone to returns, so does this one (to the chain that jumped here).
          if (v.kind !== 'continue' || r.goto) return v
        }
      }
    }
    return { kind: 'continue' }
  }
  const verdict = visit(chain, 0)
  return { verdict, mark, tested }
}
