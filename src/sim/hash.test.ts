import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  base32,
  formatMac,
  hash32,
  hex,
  sha1,
  sha1Hex,
  sha256,
  sha256Base32,
  stableRandomMac,
} from './hash.ts'

const inputs = [
  '',
  'abc',
  'default/web:httptcp',
  'default/web:httptcp10.244.1.2:8080',
  // Longer than one 64-byte block, and exactly at the padding boundaries.
  'kube-system/kube-dns:dns-tcp'.repeat(5),
  'x'.repeat(55),
  'x'.repeat(56),
  'x'.repeat(64),
  // Longer than the scratch array sha1Hex copies ASCII into.
  'default.'.repeat(40),
  // Not ASCII: encoded as UTF-8, as Go hashes a string's bytes.
  '命名空间/服务:端口tcp',
  'café/naïve',
]

describe('hash', () => {
  it('computes SHA-1 and SHA-256 of a string as node:crypto does over its UTF-8 bytes', () => {
    for (const s of inputs) {
      expect(hex(sha1(s))).toBe(createHash('sha1').update(s, 'utf8').digest('hex'))
      expect(hex(sha256(s))).toBe(createHash('sha256').update(s, 'utf8').digest('hex'))
    }
  })

  it('gives each SHA-1 alone: one hasher serves every call, whatever came before', () => {
    const expected = inputs.map((s) => createHash('sha1').update(s, 'utf8').digest('hex'))
    expect(inputs.map((s) => sha1Hex(s))).toEqual(expected)
    expect([...inputs].reverse().map((s) => sha1Hex(s))).toEqual([...expected].reverse())
    const first = sha1(inputs[1]!)
    sha1Hex(inputs[2]!)
    expect(hex(first)).toBe(expected[1])
  })

  it('gives each SHA-256 alone, and base32 prefixes of it as kube-proxy keeps them', () => {
    const expected = inputs.map((s) => createHash('sha256').update(s, 'utf8').digest())
    const b32 = expected.map((d) => base32(new Uint8Array(d)))
    expect([...inputs].reverse().map((s) => hex(sha256(s)))).toEqual(
      [...expected].reverse().map((d) => d.toString('hex')),
    )
    const first = sha256(inputs[1]!)
    sha256Base32(inputs[2]!, 16)
    expect(hex(first)).toBe(expected[1]!.toString('hex'))
    for (const chars of [16, 8, 13, 56])
      expect(inputs.map((s) => sha256Base32(s, chars))).toEqual(b32.map((x) => x.slice(0, chars)))
  })

  it('makes a stable MAC from a key: locally administered, unicast, from hash32 with salts 1 and 2', () => {
    for (const key of ['pod:default/web-0:eth0', 'node:node-1:cni0', '', '命名空间']) {
      const a = hash32(key, 1)
      const b = hash32(key, 2)
      const mac = stableRandomMac(key)
      expect(mac).toBe(
        formatMac(
          [(a >>> 24) & 0xfe, a >>> 16, a >>> 8, a, b >>> 8, b].map((x, i) => (i ? x : x | 2)),
        ),
      )
      expect(parseInt(mac.slice(0, 2), 16) & 0b11).toBe(0b10)
      expect(stableRandomMac(key)).toBe(mac)
    }
  })

  it('matches the FIPS 180-4 example digests of "abc"', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
    expect(hex(sha256('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('prints bytes as two lower-case hex digits each, and a MAC as six of them joined by colons', () => {
    expect(hex(new Uint8Array([0, 9, 10, 255]))).toBe('00090aff')
    expect(formatMac([0x66, 0x0a, 0, 0xff, 0x10, 0x01, 0x99])).toBe('66:0a:00:ff:10:01')
    expect(formatMac([0x1ff, 0, 0, 0, 0, 0])).toBe('ff:00:00:00:00:00')
  })

  it('encodes base32 as Go base32.StdEncoding (RFC 4648 test vectors)', () => {
    const b = (s: string) => base32(new TextEncoder().encode(s))
    expect(b('')).toBe('')
    expect(b('f')).toBe('MY======')
    expect(b('fo')).toBe('MZXQ====')
    expect(b('foo')).toBe('MZXW6===')
    expect(b('foob')).toBe('MZXW6YQ=')
    expect(b('fooba')).toBe('MZXW6YTB')
    expect(b('foobar')).toBe('MZXW6YTBOI======')
  })
})
