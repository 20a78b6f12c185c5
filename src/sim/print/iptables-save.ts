/**
 * From the rules kube-proxy writes to what `iptables-save` prints back (iptables
 * libxtables/xtables.c and extensions/libxt_*.c): IP header fields first (-s, -d, -p), host
 * addresses as /32, the matches in their order, the target last; comments quoted unless plain;
 * MARK as --set-xmark; statistic probabilities as the kernel's u32 read back with %.11f;
 * REJECT with its default --reject-with; two spaces before an nfacct name.
 */
import { parseCidr, parseIp } from '../../model/ipv4.ts'
import type { IptablesRules, RestoreRule } from '../proxy/iptables-rules.ts'

export interface ParsedRule {
  chain: string
  src: { negate: boolean; value: string } | null
  dst: { negate: boolean; value: string } | null
  /** `-i` / `-o`: the in and out interface (a trailing + matches any name with that prefix). */
  inIface: { negate: boolean; value: string } | null
  outIface: { negate: boolean; value: string } | null
  proto: string | null
  matches: { name: string; opts: string[] }[]
  target: string | null
  targetOpts: string[]
  /** `-g`: the target chain is gone to, not jumped to (no return to this chain). */
  goto?: boolean
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s
}

/** Splits kube-proxy's arguments, joining quoted comments back into one token. */
function tokens(args: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    let t = args[i]!
    if (t.startsWith('"') && !t.endsWith('"')) {
      while (i + 1 < args.length && !t.endsWith('"')) t += ` ${args[++i]}`
    }
    out.push(t)
  }
  return out
}

export function parseRule(r: RestoreRule): ParsedRule {
  const p: ParsedRule = {
    chain: r.chain,
    src: null,
    dst: null,
    inIface: null,
    outIface: null,
    proto: null,
    matches: [],
    target: null,
    targetOpts: [],
  }
  const t = tokens(r.args)
  let negate = false
  let inTarget = false
  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!
    if (tok === '!') {
      negate = true
      continue
    }
    if (tok === '-s' || tok === '-d') {
      const v = { negate, value: t[++i]! }
      if (tok === '-s') p.src = v
      else p.dst = v
    } else if ((tok === '-i' || tok === '-o') && !inTarget) {
      const v = { negate, value: t[++i]! }
      if (tok === '-i') p.inIface = v
      else p.outIface = v
    } else if (tok === '-p') p.proto = t[++i]!
    else if (tok === '-m') {
      p.matches.push({ name: t[++i]!, opts: [] })
      inTarget = false
    } else if (tok === '-j' || tok === '-g') {
      p.target = t[++i]!
      if (tok === '-g') p.goto = true
      inTarget = true
    } else if (inTarget) p.targetOpts.push(tok)
    else {
      const m = p.matches.at(-1)
      if (m) m.opts.push(...(negate ? ['!', tok] : [tok]))
    }
    negate = false
  }
  return p
}

// xtables_save_string: no quotes only for [A-Za-z0-9_-]+; otherwise quote, escaping " \ '.
function saveString(s: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s
  return `"${s.replace(/["\\']/g, (c) => `\\${c}`)}"`
}

function withMask(v: string): string {
  if (v.includes('/')) {
    const c = parseCidr(v)
    return c ? v : v
  }
  return parseIp(v) !== null ? `${v}/32` : v
}

/** libxt_statistic: stored as lround(2^31 * p), printed as %.11f of stored / 2^31. */
export function savedProbability(written: string): string {
  const stored = Math.round(0x80000000 * Number.parseFloat(written))
  return (stored / 0x80000000).toFixed(11)
}

/**
 * libxt_recent recent_save: the operation, --seconds, --reap, --hitcount, --rttl, --name, the
 * mask, then the side (--rsource by default). iptables up to 1.8.10 (Debian 12, Ubuntu 24.04)
 * prints the mask even when it is all ones; later versions leave an all-ones mask out.
 */
function saveRecent(opts: string[]): string[] {
  const value = (name: string) => {
    const i = opts.indexOf(name)
    return i >= 0 ? opts[i + 1]! : null
  }
  const out = ['-m', 'recent']
  for (const op of ['--set', '--rcheck', '--update', '--remove'])
    if (opts.includes(op)) out.push(op)
  const seconds = value('--seconds')
  if (seconds !== null) out.push('--seconds', seconds)
  if (opts.includes('--reap')) out.push('--reap')
  const hits = value('--hitcount')
  if (hits !== null) out.push('--hitcount', hits)
  if (opts.includes('--rttl')) out.push('--rttl')
  out.push('--name', value('--name') ?? 'DEFAULT', '--mask', value('--mask') ?? '255.255.255.255')
  out.push(opts.includes('--rdest') ? '--rdest' : '--rsource')
  return out
}

function saveMatch(m: { name: string; opts: string[] }): string[] {
  if (m.name === 'recent') return saveRecent(m.opts)
  const out = ['-m', m.name]
  for (let i = 0; i < m.opts.length; i++) {
    const o = m.opts[i]!
    if (m.name === 'comment' && o === '--comment') out.push(o, saveString(unquote(m.opts[++i]!)))
    else if (m.name === 'statistic' && o === '--probability')
      out.push(o, savedProbability(m.opts[++i]!))
    // libxt_nfacct nfacct_print_name: " --nfacct-name " and then xtables_save_string, which
    // starts with its own space, so iptables-save shows two spaces before the name.
    else if (m.name === 'nfacct' && o === '--nfacct-name')
      out.push(o, ` ${saveString(m.opts[++i]!)}`)
    else out.push(o)
  }
  return out
}

function saveTarget(target: string, opts: string[]): string[] {
  if (target === 'MARK') {
    const [op, value] = opts
    if (op === '--or-mark') return ['-j', 'MARK', '--set-xmark', `${value}/${value}`]
    if (op === '--xor-mark') return ['-j', 'MARK', '--set-xmark', `${value}/0x0`]
  }
  if (target === 'REJECT' && opts.length === 0)
    return ['-j', 'REJECT', '--reject-with', 'icmp-port-unreachable']
  return ['-j', target, ...opts]
}

export function saveRule(p: ParsedRule): string {
  const out = ['-A', p.chain]
  if (p.src) out.push(...(p.src.negate ? ['!'] : []), '-s', withMask(p.src.value))
  if (p.dst) out.push(...(p.dst.negate ? ['!'] : []), '-d', withMask(p.dst.value))
  // iptables' save_ipv4: the interfaces after the addresses, before the protocol.
  if (p.inIface) out.push(...(p.inIface.negate ? ['!'] : []), '-i', p.inIface.value)
  if (p.outIface) out.push(...(p.outIface.negate ? ['!'] : []), '-o', p.outIface.value)
  if (p.proto) out.push('-p', p.proto)
  for (const m of p.matches) out.push(...saveMatch(m))
  if (p.target && p.goto) out.push('-g', p.target)
  else if (p.target) out.push(...saveTarget(p.target, p.targetOpts))
  return out.join(' ')
}

const BUILTIN = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
} as const

/**
 * A node's `iptables-save` for the filter and nat tables (without the timestamp comments):
 * built-in chains first with their policy, user chains in name order, rules chain by chain.
 */
export function iptablesSave(r: IptablesRules): string {
  const all = [...r.jumps, ...r.rules]
  const out: string[] = []
  for (const table of ['filter', 'nat'] as const) {
    const user = [...new Set(r.chains[table])].sort()
    out.push(`*${table}`)
    for (const c of BUILTIN[table]) out.push(`:${c} ACCEPT [0:0]`)
    for (const c of user) out.push(`:${c} - [0:0]`)
    for (const c of [...BUILTIN[table], ...user]) {
      for (const rule of all)
        if (rule.table === table && rule.chain === c) out.push(saveRule(parseRule(rule)))
    }
    out.push('COMMIT')
  }
  return `${out.join('\n')}\n`
}
