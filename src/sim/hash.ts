/**
 * Hashes the engine needs to name things the way real components do. SHA-1 and SHA-256 come from
 * @noble/hashes: synchronous (the Web Worker cannot wait for crypto.subtle), the same bytes in
 * Node and in the browser.
 */
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

const encoder = new TextEncoder()

/** SHA-1 (FIPS 180-4) of a UTF-8 string, as bytes. */
export function sha1(input: string): Uint8Array {
  return sha1Bytes(input).slice()
}

// A build names a veth after the SHA-1 of every Pod (Calico, the AWS VPC CNI). A fresh hasher
// per name costs more than the hash itself: an object, a 64-byte buffer and a DataView, which
// moves the buffer off the JS heap. So one hasher is reset from a pristine one
// (Hash._cloneInto: "Copies the current hash state into an existing ... instance"), and
// ASCII input is copied into one scratch array.
const sha1Empty = nobleSha1.create()
const sha1Hasher = nobleSha1.create()
const sha1Out = new Uint8Array(sha1Hasher.outputLen)
let ascii = new Uint8Array(256)

/** The UTF-8 bytes of `input`: ASCII copied into the scratch array (valid until the next call). */
function asciiOrUtf8(input: string): Uint8Array {
  const n = input.length
  if (n > ascii.length) ascii = new Uint8Array(2 * n)
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i)
    if (c > 0x7f) return encoder.encode(input)
    ascii[i] = c
  }
  return ascii.subarray(0, n)
}

/** The SHA-1 of `input` in a shared array, valid until the next call. */
function sha1Bytes(input: string): Uint8Array {
  sha1Empty._cloneInto(sha1Hasher)
  sha1Hasher.update(asciiOrUtf8(input))
  sha1Hasher.digestInto(sha1Out)
  return sha1Out
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function hex(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]
  return s
}

export function sha1Hex(input: string): string {
  return hex(sha1Bytes(input))
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
  return fmix32(h)
}

function fmix32(h: number): number {
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
 * (the rules of Linux eth_random_addr and flannel's pkg/mac NewHardwareAddr). Its bytes are
 * hash32(key, 1) and the low half of hash32(key, 2), both hashed in one pass over the key (a
 * build makes two or three MACs per Pod).
 */
export function stableRandomMac(key: string): string {
  let a = (0x811c9dc5 ^ 1) >>> 0
  let b = (0x811c9dc5 ^ 2) >>> 0
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x01000193)
  }
  a = fmix32(a)
  b = fmix32(b)
  return `${HEX[((a >>> 24) & 0xfe) | 0x02]}:${HEX[(a >>> 16) & 255]}:${HEX[(a >>> 8) & 255]}:${HEX[a & 255]}:${HEX[(b >>> 8) & 255]}:${HEX[b & 255]}`
}

/** Four "random" bytes in hex for the bridge plugin's veth names, made deterministic from `key`. */
export function stableRandomHex8(key: string): string {
  return hash32(key, 3).toString(16).padStart(8, '0')
}

/** SHA-256 (FIPS 180-4) of a UTF-8 string, as bytes. */
export function sha256(input: string): Uint8Array {
  return sha256Bytes(input).slice()
}

// kube-proxy names every Service port's and endpoint's chain after a SHA-256: 30,000 hashes for
// 10,000 Services. As for SHA-1, one hasher is reset from a pristine one for each.
const sha256Empty = nobleSha256.create()
const sha256Hasher = nobleSha256.create()
const sha256Out = new Uint8Array(sha256Hasher.outputLen)

/** The SHA-256 of `input` in a shared array, valid until the next call. */
function sha256Bytes(input: string): Uint8Array {
  sha256Empty._cloneInto(sha256Hasher)
  sha256Hasher.update(asciiOrUtf8(input))
  sha256Hasher.digestInto(sha256Out)
  return sha256Out
}

/**
 * The first `chars` characters of base32(sha256(input)), hashing into the shared array and
 * encoding only the bytes those characters need (kube-proxy keeps 16 or 8 of the 56).
 */
export function sha256Base32(input: string, chars: number): string {
  return base32(sha256Bytes(input).subarray(0, Math.ceil((chars * 5) / 8))).slice(0, chars)
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
