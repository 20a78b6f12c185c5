import { describe, expect, it } from 'vitest'
import { tabwrite } from './tabwriter.ts'

describe("Go's text/tabwriter (padchar ' ', flags 0)", () => {
  it('pads every tab-terminated cell to its column: the widest cell plus the padding, at least minwidth', () => {
    expect(tabwrite(['a\tbb\t', 'ccc\td\t'], { minwidth: 5, padding: 3 })).toEqual([
      'a     bb   ',
      'ccc   d    ',
    ])
    expect(tabwrite(['ID\tLABELS', '1\treserved:host'], { minwidth: 2, padding: 3 })).toEqual([
      'ID   LABELS',
      '1    reserved:host',
    ])
  })

  it('writes the text after the last tab as it is: it belongs to no column', () => {
    expect(tabwrite(['x\tshort', 'xx\ta much longer tail'], { minwidth: 0, padding: 1 })).toEqual([
      'x  short',
      'xx a much longer tail',
    ])
  })

  it('sizes a column per block of consecutive lines that have it: a line with fewer cells ends the block', () => {
    // Column 1 exists on lines 0 and 2 only; line 1 splits it into two blocks of their own widths.
    const out = tabwrite(['a\tLONGHEADER\t', 'b\t', 'c\tx\t'], { minwidth: 0, padding: 1 })
    expect(out).toEqual(['a LONGHEADER ', 'b ', 'c x '])
  })

  it('pads empty cells too, so a line of empty cells is only spaces', () => {
    expect(tabwrite(['name\tvalue\t', '\t\t'], { minwidth: 5, padding: 3 })).toEqual([
      'name   value   ',
      '               ',
    ])
  })
})
