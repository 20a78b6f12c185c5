import { describe, expect, it } from 'vitest'
import { createRng } from '../rng.ts'
import { compile, walkChain, type NfPacket } from './netfilter.ts'

/** One POSTROUTING rule `args` and a packet leaving by `outDev`: did the rule match? */
function matches(args: string[], outDev: string | null, inDev: string | null = null): boolean {
  const t = compile({
    chains: { filter: [], nat: [] },
    rules: [],
    jumps: [{ table: 'nat', chain: 'POSTROUTING', args: [...args, '-j', 'MASQUERADE'] }],
  })
  const p: NfPacket = {
    src: 0x0a00000d,
    dst: 0x8c527006,
    proto: 'tcp',
    sport: 40000,
    dport: 443,
    mark: 0,
    ctstate: 'NEW',
    isLocal: () => false,
    inDev,
    outDev,
    bridged: false,
    inSet: () => false,
    recent: () => false,
  }
  return walkChain(t, 'nat', 'POSTROUTING', p, createRng(1)).verdict.kind === 'masquerade'
}

describe('-i and -o, as ip_packet_match compares interface names', () => {
  it('matches a name exactly, and a trailing + as a prefix', () => {
    expect(matches(['-o', 'eth0'], 'eth0')).toBe(true)
    expect(matches(['-o', 'eth0'], 'eth1')).toBe(false)
    expect(matches(['-o', 'vlan+'], 'vlan.eth.1')).toBe(true)
    expect(matches(['!', '-o', 'vlan+'], 'vlan.eth.1')).toBe(false)
    expect(matches(['!', '-o', 'vlan+'], 'eth0')).toBe(true)
    expect(matches(['-i', 'eni+'], null, 'eni0a1b2c3d4e5')).toBe(true)
  })

  it('compares with an empty name where the hook has no such device', () => {
    expect(matches(['-i', 'eni+'], 'eth0')).toBe(false)
    expect(matches(['!', '-i', 'eni+'], 'eth0')).toBe(true)
  })
})
