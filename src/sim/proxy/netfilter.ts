/**
 * Netfilter, as far as kube-proxy's iptables rules need it: walk a table's chains from a hook,
 * test each rule against the packet, follow jumps, and return the verdict together with every
 * rule the packet was tested against (what `iptables -t nat -L -v` counters would show).
 */
import { cidrContains, parseCidr, parseIp } from '../../model/ipv4.ts'
import type { Lookup } from '../../model/trace.ts'
import type { Rng } from '../rng.ts'
import { parseRule, saveRule, type ParsedRule } from '../print/iptables-save.ts'
import type { IptablesRules } from './iptables-rules.ts'

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
  isLocal(ip: number): boolean
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

export interface ChainWalk {
  verdict: Verdict
  mark: number
  tested: Lookup[]
}

export interface CompiledTables {
  filter: Map<string, { parsed: ParsedRule; text: string }[]>
  nat: Map<string, { parsed: ParsedRule; text: string }[]>
}

export function compile(r: IptablesRules): CompiledTables {
  const out: CompiledTables = { filter: new Map(), nat: new Map() }
  for (const rule of [...r.jumps, ...r.rules]) {
    const parsed = parseRule(rule)
    const list = out[rule.table].get(rule.chain) ?? []
    list.push({ parsed, text: saveRule(parsed) })
    out[rule.table].set(rule.chain, list)
  }
  return out
}

function addrMatches(spec: { negate: boolean; value: string } | null, ip: number): boolean {
  if (!spec) return true
  const c = spec.value.includes('/')
    ? parseCidr(spec.value)
    : { base: parseIp(spec.value) ?? -1, prefix: 32 }
  const hit = c ? cidrContains(c, ip) : false
  return spec.negate ? !hit : hit
}

function optValue(opts: string[], name: string): { value: string; negate: boolean } | null {
  const i = opts.indexOf(name)
  if (i < 0) return null
  return { value: opts[i + 1]!, negate: opts[i - 1] === '!' }
}

function matchOne(m: { name: string; opts: string[] }, p: NfPacket, rng: Rng): boolean {
  switch (m.name) {
    case 'comment':
    case 'nfacct':
      return true
    case 'tcp':
    case 'udp':
    case 'sctp': {
      const d = optValue(m.opts, '--dport')
      return p.proto === m.name && (!d || Number(d.value) === p.dport)
    }
    case 'addrtype': {
      const dst = optValue(m.opts, '--dst-type')
      const src = optValue(m.opts, '--src-type')
      // `! --dst-type LOCAL` (kindnet's masquerade jump) inverts the test (libxt_addrtype.c).
      return (
        (!dst || (p.isLocal(p.dst) === (dst.value === 'LOCAL')) !== dst.negate) &&
        (!src || (p.isLocal(p.src) === (src.value === 'LOCAL')) !== src.negate)
      )
    }
    case 'mark': {
      const v = optValue(m.opts, '--mark')!
      const [value, mask] = v.value.split('/').map((x) => Number.parseInt(x, 16))
      const hit = (p.mark & (mask ?? 0xffffffff)) === value
      return v.negate ? !hit : hit
    }
    case 'state':
    case 'conntrack': {
      // The old state match is the conntrack match's --ctstate under another name (xt_state.c).
      const v = optValue(m.opts, m.name === 'state' ? '--state' : '--ctstate')!
      const hit = v.value.split(',').includes(p.ctstate)
      return v.negate ? !hit : hit
    }
    case 'statistic': {
      // The kernel compares a random u31 with the stored probability (xt_statistic.c).
      const prob = Math.round(0x80000000 * Number(optValue(m.opts, '--probability')!.value))
      return Math.floor(rng.next() * 0x80000000) < prob
    }
    case 'set': {
      const v = optValue(m.opts, '--match-set')!
      const flags = m.opts[m.opts.indexOf('--match-set') + 2] ?? 'dst'
      const hit = p.inSet(v.value, flags)
      return v.negate ? !hit : hit
    }
    case 'physdev': {
      const v = optValue(m.opts, '--physdev-is-in')
      if (!v) return false
      return v.negate ? !p.bridged : p.bridged
    }
    case 'ipvs': {
      // The connection IPVS tracks for this packet is for this virtual address, protocol and port.
      const addr = optValue(m.opts, '--vaddr')
      const vproto = optValue(m.opts, '--vproto')
      const vport = optValue(m.opts, '--vport')
      return (
        (!addr || parseIp(addr.value) === p.dst) &&
        (!vproto || vproto.value === p.proto) &&
        (!vport || Number(vport.value) === p.dport)
      )
    }
    case 'recent': {
      // xt_recent with --rsource and a /32 mask: --set records the source and matches,
      // --rcheck matches when an earlier connection of the session recorded it.
      const name = optValue(m.opts, '--name')?.value ?? 'DEFAULT'
      return p.recent(name, m.opts.includes('--set') ? 'set' : 'check')
    }
    default:
      return false
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
    for (const { parsed: r, text } of t[table].get(name) ?? []) {
      const ok =
        addrMatches(r.src, p.src) &&
        addrMatches(r.dst, p.dst) &&
        (!r.proto || r.proto === p.proto) &&
        r.matches.every((m) => matchOne(m, { ...p, mark }, rng))
      tested.push({ table: `iptables -t ${table} ${name}`, rule: text, matched: ok })
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
        case 'MARK': {
          const op = r.targetOpts[0]
          const v = Number.parseInt(r.targetOpts[1]!, 16)
          mark = op === '--or-mark' ? mark | v : op === '--xor-mark' ? mark ^ v : v
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
          if (v.kind !== 'continue') return v
        }
      }
    }
    return { kind: 'continue' }
  }
  const verdict = visit(chain, 0)
  return { verdict, mark, tested }
}
