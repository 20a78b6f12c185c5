/**
 * Hashes the engine needs to name things the way real components do. SHA-1 and SHA-256 come from
 * @noble/hashes: synchronous (the Web Worker cannot wait for crypto.subtle), the same bytes in
 * Node and in the browser.
 */
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

const encoder = new TextEncoder()

/**
 * UTF-8 bytes of `s`. Names in Kubernetes are ASCII, and TextEncoder costs more than the hash
 * itself on a string this short, so ASCII is copied byte for byte.
 */
function utf8(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 0x7f) return encoder.encode(s)
    out[i] = c
  }
  return out
}

/** SHA-1 (FIPS 180-4) of a UTF-8 string, as bytes. */
export function sha1(input: string): Uint8Array {
  return nobleSha1(utf8(input))
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function hex(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]
  return s
}

export function sha1Hex(input: string): string {
  return hex(sha1(input))
}

export function formatMac(bytes: ArrayLike<number>): string {
  let s = HEX[bytes[0]! & 0xff]!
  for (let i = 1; i < 6; i++) s += `:${HEX[bytes[i]! & 0xff]}`
  return s
}

/** A fast 32-bit hash of `key` with a salt: FNV-1a, then MurmurHash3's fmix32 finaliser. */
export function hash32(key: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * A MAC that stands for one the kernel or a plugin picked at random, made deterministic from
 * `key` so the same scenario always gives the same cluster: locally administered, unicast
 * (the rules of Linux eth_random_addr and flannel's pkg/mac NewHardwareAddr).
 */
export function stableRandomMac(key: string): string {
  const a = hash32(key, 1)
  const b = hash32(key, 2)
  return formatMac([
    ((a >>> 24) & 0xfe) | 0x02,
    (a >>> 16) & 255,
    (a >>> 8) & 255,
    a & 255,
    (b >>> 8) & 255,
    b & 255,
  ])
}

/** Four "random" bytes in hex for the bridge plugin's veth names, made deterministic from `key`. */
export function stableRandomHex8(key: string): string {
  return hash32(key, 3).toString(16).padStart(8, '0')
}

/** SHA-256 (FIPS 180-4) of a UTF-8 string, as bytes. */
export function sha256(input: string): Uint8Array {
  return nobleSha256(utf8(input))
}

/** RFC 4648 base32 with the standard alphabet and padding (Go base32.StdEncoding). */
export function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let out = ''
  let bits = 0
  let value = 0
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  while (out.length % 8 !== 0) out += '='
  return out
}
