import { describe, expect, it } from 'vitest'
import { text } from '../../model/text.ts'
import { joinCniIptables, type CniIptables } from './cni-iptables.ts'

const rule = (chain: string) => ({ table: 'nat' as const, chain, args: ['-j', 'RETURN'] })

describe('joinCniIptables', () => {
  it("joins an agent's parts in order and asks each part's drop narration in turn", () => {
    const nat: CniIptables = { natChains: ['A'], rules: [rule('A')], jumps: [rule('POSTROUTING')] }
    const filter: CniIptables = {
      natChains: [],
      filterChains: ['F'],
      rules: [rule('F')],
      jumps: [],
      insertedJumps: [rule('FORWARD')],
      filterDrop: (d) =>
        d.chain === 'F' ? { explain: text('e', 'e'), reason: text('r', 'r') } : null,
    }
    const c = joinCniIptables(nat, filter)
    expect(c.natChains).toEqual(['A'])
    expect(c.filterChains).toEqual(['F'])
    expect(c.rules.map((r) => r.chain)).toEqual(['A', 'F'])
    expect(c.insertedJumps!.map((r) => r.chain)).toEqual(['FORWARD'])
    const drop = { rule: '', tested: [], pkt: {} as never }
    expect(c.filterDrop!({ ...drop, chain: 'F' })?.reason.en).toBe('r')
    expect(c.filterDrop!({ ...drop, chain: 'X' })).toBeNull()
  })
})
