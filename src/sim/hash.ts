/**
 * Hashes the engine needs to name things the way real components do. SHA-1 is written out here
 * because the Web Worker needs it synchronously (crypto.subtle is async) and in Node alike.
 */

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s)
}

/** SHA-1 (FIPS 180-4) of a UTF-8 string, as bytes. */
export function sha1(input: string): Uint8Array {
  const msg = utf8(input)
  const bitLen = msg.length * 8
  const padded = new Uint8Array(((msg.length + 9 + 63) >> 6) << 6)
  padded.set(msg)
  padded[msg.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(bitLen / 2 ** 32))
  view.setUint32(padded.length - 4, bitLen >>> 0)
  let h0 = 0x67452301
  let h1 = 0xefcdab89
  let h2 = 0x98badcfe
  let h3 = 0x10325476
  let h4 = 0xc3d2e1f0
  const w = new Uint32Array(80)
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4)
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!
      w[i] = (x << 1) | (x >>> 31)
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    for (let i = 0; i < 80; i++) {
      let f: number
      let k: number
      if (i < 20) {
        f = (b & c) | (~b & d)
        k = 0x5a827999
      } else if (i < 40) {
        f = b ^ c ^ d
        k = 0x6ed9eba1
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d)
        k = 0x8f1bbcdc
      } else {
        f = b ^ c ^ d
        k = 0xca62c1d6
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]!) >>> 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = t
    }
    h0 = (h0 + a) >>> 0
    h1 = (h1 + b) >>> 0
    h2 = (h2 + c) >>> 0
    h3 = (h3 + d) >>> 0
    h4 = (h4 + e) >>> 0
  }
  const out = new Uint8Array(20)
  const ov = new DataView(out.buffer)
  ;[h0, h1, h2, h3, h4].forEach((h, i) => ov.setUint32(i * 4, h))
  return out
}

export function hex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

export function sha1Hex(input: string): string {
  return hex(sha1(input))
}

export function formatMac(bytes: ArrayLike<number>): string {
  return Array.from({ length: 6 }, (_, i) => (bytes[i]! & 0xff).toString(16).padStart(2, '0')).join(
    ':',
  )
}

/**
 * A MAC that stands for one the kernel or a plugin picked at random, made deterministic from
 * `key` so the same scenario always gives the same cluster: locally administered, unicast
 * (the rules of Linux eth_random_addr and flannel's pkg/mac NewHardwareAddr).
 */
export function stableRandomMac(key: string): string {
  const b = sha1(key)
  const bytes = Array.from(b.subarray(0, 6))
  bytes[0] = (bytes[0]! & 0xfe) | 0x02
  return formatMac(bytes)
}

/** Four "random" bytes in hex for the bridge plugin's veth names, made deterministic from `key`. */
export function stableRandomHex8(key: string): string {
  return hex(sha1(`veth:${key}`).subarray(0, 4))
}
