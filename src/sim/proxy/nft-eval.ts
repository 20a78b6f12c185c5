/**
 * nf_tables, as far as kube-proxy's table needs it: run the base chains a netfilter hook reaches,
 * in priority order, follow jump/goto/return, look keys up in verdict maps and sets, draw
 * `numgen random` as the kernel does (net/netfilter/nft_numgen.c: reciprocal_scale of a random
 * u32), and return the verdict with every rule the packet was tested against. A verdict-map
 * lookup is one rule tested, however many elements the map holds.
 */
import { cidrContains, formatIp, parseCidr, parseIp } from '../../model/ipv4.ts'
import type { Lookup } from '../../model/trace.ts'
import { listElement, listRule } from '../print/nft-list.ts'
import type { Rng } from '../rng.ts'
import type { ChainWalk, Hook, NfPacket, Verdict } from './netfilter.ts'
import type { NftElement, NftHook, NftLookup, NftMatch, NftRule, NftTable } from './nft-table.ts'
import { elementKey } from './nft-table.ts'

export interface CompiledNft extends NftLookup {
  /** Each rule as `nft list` prints it, computed the first time a packet meets it. */
  listed: Map<NftRule, string>
}

export function compileNft(table: NftTable): CompiledNft {
  const chains = new Map(table.chains.map((c) => [c.name, c]))
  const index = new Map(
    table.sets.map((s) => [s.name, new Map(s.elements.map((e) => [elementKey(e.key), e]))]),
  )
  return compiledNft({
    bases: table.chains.filter((c) => c.base),
    chain: (name) => chains.get(name),
    element: (set, key) => index.get(set)?.get(key),
  })
}

/** A table a walk reads through `t` (written whole, or as the walk needs it). */
export function compiledNft(t: NftLookup): CompiledNft {
  return { ...t, listed: new Map<NftRule, string>() }
}

/** Which of kube-proxy's base chains on a hook run: before DNAT, after it, or all. */
export type NftStage = 'pre-dnat' | 'post-dnat' | 'all'

export interface NftWalk extends ChainWalk {
  /** The regular chains the packet entered, in order. */
  path: string[]
  /** The last verdict-map element that decided where the packet went. */
  element: NftElement | null
  /** The numgen draw, when an endpoint was picked. */
  pick: { value: number; mod: number } | null
}

const HOOKS: Record<Hook, NftHook> = {
  PREROUTING: 'prerouting',
  INPUT: 'input',
  FORWARD: 'forward',
  OUTPUT: 'output',
  POSTROUTING: 'postrouting',
}

function addrMatches(value: string, ip: number): boolean {
  const c = value.includes('/') ? parseCidr(value) : { base: parseIp(value) ?? -1, prefix: 32 }
  return c ? cidrContains(c, ip) : false
}

/**
 * reciprocal_scale(get_random_u32(), N): the top bits of u32 * N, so each of the N values comes
 * up with the same probability.
 */
export function numgenRandom(rng: Rng, mod: number): number {
  const u32 = Math.floor(rng.next() * 0x100000000)
  return Math.floor((u32 * mod) / 0x100000000)
}

export function walkNft(
  c: CompiledNft,
  hook: Hook,
  stage: NftStage,
  p: NfPacket,
  rng: Rng,
): NftWalk {
  const tested: Lookup[] = []
  const path: string[] = []
  let mark = p.mark
  let element: NftElement | null = null
  let pick: NftWalk['pick'] = null
  const where = (chain: string) => `nft ip kube-proxy ${chain}`
  const field = (f: 'saddr' | 'daddr') => (f === 'saddr' ? p.src : p.dst)

  const holds = (m: NftMatch): boolean => {
    switch (m.m) {
      case 'ct-new':
        return p.ctstate === 'NEW'
      case 'addr':
        return addrMatches(m.value, field(m.field)) !== m.negate
      case 'addr-set': {
        // Affinity sets start empty in a fresh trace: no earlier connection was recorded.
        return c.element(m.set, elementKey([formatIp(field(m.field))])) !== undefined
      }
      case 'addr-anon':
        return m.values.some((v) => addrMatches(v, field(m.field))) !== m.negate
      case 'dport':
        return p.proto === m.proto && p.dport === m.port
      case 'fib-local':
        return p.isLocal(field(m.field))
      case 'mark-clear':
        return (mark & m.mark) === 0
      case 'l4proto':
        return p.proto === m.proto
    }
  }

  const visit = (name: string, depth: number): Verdict => {
    const chain = c.chain(name)
    if (!chain || depth > 16) return { kind: 'continue' }
    if (!chain.base) path.push(name)
    for (const r of chain.rules) {
      let text = c.listed.get(r)
      if (text === undefined) {
        text = listRule(r)
        c.listed.set(r, text)
      }
      const ok = r.matches.every(holds)
      const s = r.statement
      if (s.s === 'vmap') {
        const key =
          s.key === 'daddr-proto-port'
            ? [formatIp(p.dst), p.proto, String(p.dport)]
            : [p.proto, String(p.dport)]
        const hit = ok ? c.element(s.map, elementKey(key)) : undefined
        tested.push({ table: where(name), rule: text, matched: hit !== undefined })
        if (!hit?.verdict) continue
        element = hit
        tested.push({
          table: `nft ip kube-proxy map ${s.map}`,
          rule: listElement(hit),
          matched: true,
        })
        if (hit.verdict.s === 'drop') return { kind: 'drop', rule: listElement(hit) }
        return visit(hit.verdict.chain, depth + 1)
      }
      tested.push({ table: where(name), rule: text, matched: ok })
      if (!ok) continue
      switch (s.s) {
        case 'jump': {
          const v = visit(s.chain, depth + 1)
          if (v.kind !== 'continue') return v
          continue
        }
        case 'goto':
          return visit(s.chain, depth + 1)
        case 'numgen': {
          const value = numgenRandom(rng, s.chains.length)
          pick = { value, mod: s.chains.length }
          return visit(s.chains[value]!, depth + 1)
        }
        case 'return':
          return { kind: 'continue' }
        case 'drop':
          return { kind: 'drop', rule: text }
        case 'reject':
          return { kind: 'reject', rule: element ? listElement(element) : text }
        case 'masquerade':
          return { kind: 'masquerade', rule: text }
        case 'mark':
          mark = s.op === 'or' ? mark | s.mark : mark ^ s.mark
          continue
        case 'dnat':
          return { kind: 'dnat', ip: parseIp(s.ip)!, port: s.port, rule: text }
        case 'update':
          continue
      }
    }
    return { kind: 'continue' }
  }

  const nfHook = HOOKS[hook]
  const bases = c.bases
    .filter((ch) => ch.base?.hook === nfHook)
    .filter((ch) =>
      stage === 'all'
        ? true
        : stage === 'pre-dnat'
          ? ch.base!.priority <= -100
          : ch.base!.priority > -100,
    )
    .sort((a, b) => a.base!.priority - b.base!.priority)
  let verdict: Verdict = { kind: 'continue' }
  for (const base of bases) {
    const v = visit(base.name, 0)
    // An accept, or falling off the end (policy accept), hands the packet to the next base
    // chain; drop, reject and the NAT statements end the hook for this packet.
    if (v.kind !== 'continue' && v.kind !== 'accept') {
      verdict = v
      break
    }
  }
  return { verdict, mark, tested, path, element, pick }
}
