import { describe, expect, it } from 'vitest'
import { hsiphash, hsiphashU32 } from './siphash.ts'

// lib/test_siphash.c, BITS_PER_LONG == 64: key 00..0f, input bytes 00..len-1.
const K0 = 0x0706050403020100n
const K1 = 0x0f0e0d0c0b0a0908n
const VECTORS: [number, number][] = [
  [0, 0x050fc4dc],
  [1, 0x7d57ca93],
  [4, 0x88d38328],
  [7, 0x9bb11140],
  [8, 0x8d299a8e],
  [12, 0x57b4d9a2],
  [63, 0xb7bbb3a8],
]

describe('hsiphash (SipHash-1-3 on 64-bit kernels)', () => {
  it.each(VECTORS)('matches the kernel self-test vector for %i bytes', (len, want) => {
    const input = Uint8Array.from({ length: len }, (_, i) => i)
    expect(hsiphash(input, K0, K1)).toBe(want)
  })

  it('hashes a u32 as its little-endian bytes (hsiphash_1u32 agrees with vector 4)', () => {
    expect(hsiphashU32(0x03020100, K0, K1)).toBe(0x88d38328)
  })
})
