import { describe, expect, it } from 'vitest'
import type { Lookup } from '../../model/trace.ts'
import { foldLookups } from './Lookups.tsx'

const l = (matched: boolean): Lookup => ({ table: 't', rule: 'r', matched })

describe('folding the rules a packet was tested against', () => {
  it('keeps short lists whole', () => {
    const ls = [l(true), l(false), l(false), l(true)]
    expect(foldLookups(ls)).toEqual(ls.map((_, i) => ({ kind: 'one', i })))
  })

  it('folds a long run of unmatched rules to its first and last two, keeping every match', () => {
    const ls = [l(true), ...Array.from({ length: 1000 }, () => l(false)), l(true)]
    const rows = foldLookups(ls)
    expect(rows).toEqual([
      { kind: 'one', i: 0 },
      { kind: 'one', i: 1 },
      { kind: 'one', i: 2 },
      { kind: 'fold', from: 3, to: 999 },
      { kind: 'one', i: 999 },
      { kind: 'one', i: 1000 },
      { kind: 'one', i: 1001 },
    ])
  })
})
