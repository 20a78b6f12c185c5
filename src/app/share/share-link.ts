/**
 * A scenario of one's own in a link: its file name and text, compressed (CompressionStream
 * 'deflate-raw') and written base64url in the address's fragment (`#s=...`), which a browser
 * never sends to a server. The rest of the view (request, step, seed, connection, language)
 * stays in the query, as for a lesson.
 *
 * Raw deflate has no checksum, so the link carries one: the first 8 bytes of the SHA-256 of the
 * uncompressed text. A link that was cut short, retyped or tampered with then fails to inflate
 * or fails the check, and is refused (and said so) rather than opening a different scenario.
 *
 * Bytes: [version 1] [8 bytes of SHA-256(payload)] [deflate-raw(payload)], where the payload is
 * the UTF-8 JSON `{"n": file name, "y": scenario text}`.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { MAX_SOURCE_CHARS } from '../../model/source-limit.ts'

// The address's side of a link (its key, the limits) is share-key.ts, which the page's first
// script holds; this codec is loaded when a link is opened or made.
export { BROWSER_URL_LIMIT, CHAT_LIMIT, SHARE_KEY, shareValue } from './share-key.ts'

export const SHARE_VERSION = 1
const CHECK_BYTES = 8
/** The largest payload inflated: the longest scenario text, 4 UTF-8 bytes a character at most. */
const MAX_PAYLOAD_BYTES = MAX_SOURCE_CHARS * 4 + 1024

export interface SharedScenario {
  file: string
  source: string
}

/** Why a link's scenario was refused: not one PodPath wrote (damaged), or a later version's. */
export type ShareRefusal = 'damaged' | 'version'

export type Decoded = { ok: true; scenario: SharedScenario } | { ok: false; reason: ShareRefusal }

const B64URL = /^[A-Za-z0-9_-]*$/

export function toBase64Url(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The bytes of a base64url text without padding, or null when it is not one (canonically). */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0))
  // Unused low bits set in the last character decode to the same bytes: not a link PodPath wrote.
  return toBase64Url(bytes) === text ? bytes : null
}

async function pipe(bytes: Uint8Array, stream: GenericTransformStream, max: number) {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    // A small link that inflates past any scenario (a deflate bomb) is refused midway.
    if (size > max) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

const check = (payload: Uint8Array) => sha256(payload).subarray(0, CHECK_BYTES)

/** The fragment's value (after `#s=`) that holds a scenario. */
export async function encodeScenario(s: SharedScenario): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify({ n: s.file, y: s.source }))
  const packed = await pipe(payload, new CompressionStream('deflate-raw'), Infinity)
  const bytes = new Uint8Array(1 + CHECK_BYTES + packed!.length)
  bytes[0] = SHARE_VERSION
  bytes.set(check(payload), 1)
  bytes.set(packed!, 1 + CHECK_BYTES)
  return toBase64Url(bytes)
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i])

/** Reads the fragment's value back: the scenario exactly as written, or why it is refused. */
export async function decodeScenario(value: string): Promise<Decoded> {
  const damaged = { ok: false, reason: 'damaged' } as const
  const bytes = fromBase64Url(value)
  if (!bytes || bytes.length < 2 + CHECK_BYTES) return damaged
  if (bytes[0] !== SHARE_VERSION)
    return bytes[0]! > SHARE_VERSION ? { ok: false, reason: 'version' } : damaged
  let payload: Uint8Array | null
  try {
    payload = await pipe(
      bytes.subarray(1 + CHECK_BYTES),
      new DecompressionStream('deflate-raw'),
      MAX_PAYLOAD_BYTES,
    )
  } catch {
    // Truncated or corrupt deflate data.
    return damaged
  }
  if (!payload || !sameBytes(check(payload), bytes.subarray(1, 1 + CHECK_BYTES))) return damaged
  let data: unknown
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload))
  } catch {
    return damaged
  }
  const d = data as { n?: unknown; y?: unknown }
  if (typeof d !== 'object' || d === null || Object.keys(d).length !== 2) return damaged
  if (typeof d.n !== 'string' || d.n.length === 0 || d.n.length > 200) return damaged
  if (typeof d.y !== 'string' || d.y.length > MAX_SOURCE_CHARS) return damaged
  return { ok: true, scenario: { file: d.n, source: d.y } }
}
