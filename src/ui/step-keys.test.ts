import { describe, expect, it } from 'vitest'
import { stepTarget } from './step-keys.ts'

describe('the keys that move through a trace', () => {
  it('step forward with down and right, back with up and left', () => {
    expect(stepTarget('ArrowDown', 3, 10)).toBe(4)
    expect(stepTarget('ArrowRight', 3, 10)).toBe(4)
    expect(stepTarget('ArrowUp', 3, 10)).toBe(2)
    expect(stepTarget('ArrowLeft', 3, 10)).toBe(2)
  })

  it('jump to the first and last step with Home and End', () => {
    expect(stepTarget('Home', 3, 10)).toBe(0)
    expect(stepTarget('End', 3, 10)).toBe(9)
  })

  it('leave other keys alone', () => {
    expect(stepTarget('a', 3, 10)).toBe(null)
    expect(stepTarget('Enter', 3, 10)).toBe(null)
  })
})
