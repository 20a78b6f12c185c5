/**
 * The kernel's hsiphash on 64-bit machines, which is SipHash-1-3 with a 64-bit state truncated
 * to 32 bits (lib/siphash.c: "on 64-bit, we make HalfSipHash1-3 actually be SipHash1-3").
 * IPVS's Maglev scheduler hashes with it (net/netfilter/ipvs/ip_vs_mh.c).
 */

const MASK = (1n << 64n) - 1n

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK
}

interface State {
  v0: bigint
  v1: bigint
  v2: bigint
  v3: bigint
}

function round(s: State): void {
  s.v0 = (s.v0 + s.v1) & MASK
  s.v1 = rotl(s.v1, 13n) ^ s.v0
  s.v0 = rotl(s.v0, 32n)
  s.v2 = (s.v2 + s.v3) & MASK
  s.v3 = rotl(s.v3, 16n) ^ s.v2
  s.v0 = (s.v0 + s.v3) & MASK
  s.v3 = rotl(s.v3, 21n) ^ s.v0
  s.v2 = (s.v2 + s.v1) & MASK
  s.v1 = rotl(s.v1, 17n) ^ s.v2
  s.v2 = rotl(s.v2, 32n)
}

/** hsiphash(data, len, key) with key = {k0, k1}, as a 64-bit kernel computes it. */
export function hsiphash(data: Uint8Array, k0: bigint, k1: bigint): number {
  const s: State = {
    v0: 0x736f6d6570736575n ^ k0,
    v1: 0x646f72616e646f6dn ^ k1,
    v2: 0x6c7967656e657261n ^ k0,
    v3: 0x7465646279746573n ^ k1,
  }
  const whole = data.length - (data.length % 8)
  const word = (off: number, n: number) => {
    let m = 0n
    for (let i = n - 1; i >= 0; i--) m = (m << 8n) | BigInt(data[off + i]!)
    return m
  }
  for (let off = 0; off < whole; off += 8) {
    const m = word(off, 8)
    s.v3 ^= m
    round(s)
    s.v0 ^= m
  }
  // The last 0-7 bytes, little-endian, with the length in the top byte.
  const b = (BigInt(data.length & 255) << 56n) | word(whole, data.length - whole)
  s.v3 ^= b
  round(s)
  s.v0 ^= b
  s.v2 ^= 0xffn
  round(s)
  round(s)
  round(s)
  return Number((s.v0 ^ s.v1 ^ s.v2 ^ s.v3) & 0xffffffffn)
}

/** hsiphash of one u32 as it lies in memory on a little-endian machine (x86-64, arm64). */
export function hsiphashU32(v: number, k0: bigint, k1: bigint): number {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, v >>> 0, true)
  return hsiphash(bytes, k0, k1)
}
