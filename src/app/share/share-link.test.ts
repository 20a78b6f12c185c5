import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lessonSource } from '../../cli/golden.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import {
  BROWSER_URL_LIMIT,
  decodeScenario,
  encodeScenario,
  fromBase64Url,
  shareValue,
  toBase64Url,
} from './share-link.ts'

const SCENARIO = {
  file: 'mine.yaml',
  source: `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: mine}   # 我的集群
spec:
  cni: {plugin: flannel, backend: vxlan}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
`,
}

describe('a scenario in a share link', () => {
  it('comes back exactly as it was written, names and Chinese comments too', async () => {
    const value = await encodeScenario(SCENARIO)
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(await decodeScenario(value)).toEqual({ ok: true, scenario: SCENARIO })
    expect(shareValue(`#s=${value}`)).toBe(value)
    expect(shareValue('#lesson')).toBeNull()
  })

  it('is compressed: every built-in lesson fits a browser address', async () => {
    for (const lesson of LESSONS) {
      const value = await encodeScenario({ file: lesson.file, source: lessonSource(lesson) })
      expect(value.length, lesson.id).toBeLessThan(BROWSER_URL_LIMIT)
      expect(value.length, lesson.id).toBeLessThan(lessonSource(lesson).length)
    }
  })

  it('reads base64url canonically: no padding, no other alphabet, no stray low bits', () => {
    const bytes = new Uint8Array([1, 2, 3, 250, 251])
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes)
    expect(fromBase64Url('AQID+vs')).toBeNull()
    expect(fromBase64Url('AQID-vs=')).toBeNull()
    expect(fromBase64Url('AQID-vt')).toBeNull()
    expect(fromBase64Url('A')).toBeNull()
  })

  it('refuses a link written by a later version, saying so', async () => {
    const bytes = fromBase64Url(await encodeScenario(SCENARIO))!
    bytes[0] = 2
    expect(await decodeScenario(toBase64Url(bytes))).toEqual({ ok: false, reason: 'version' })
  })

  it('refuses a deflate bomb rather than inflating it', async () => {
    const zeros = new Uint8Array(30 * 2 ** 20)
    const packed = new Uint8Array(
      await new Response(
        new Blob([zeros]).stream().pipeThrough(new CompressionStream('deflate-raw')),
      ).arrayBuffer(),
    )
    const bytes = new Uint8Array(9 + packed.length)
    bytes[0] = 1
    bytes.set(packed, 9)
    expect(await decodeScenario(toBase64Url(bytes))).toEqual({ ok: false, reason: 'damaged' })
  })

  it('never throws on 1,000 mutated and truncated links, and notes every change', async () => {
    const value = await encodeScenario(SCENARIO)
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const mutation = fc.oneof(
      // Cut short, as a chat or a mail client cuts a long line.
      fc.integer({ min: 0, max: value.length - 1 }).map((n) => value.slice(0, n)),
      // One to four characters replaced, by another of the alphabet or by anything.
      fc
        .array(
          fc.tuple(
            fc.integer({ min: 0, max: value.length - 1 }),
            fc.oneof(fc.constantFrom(...ALPHABET), fc.string({ minLength: 1, maxLength: 2 })),
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((edits) => {
          const chars = [...value]
          for (const [at, c] of edits) chars[at] = c
          return chars.join('')
        }),
      // Characters inserted or deleted.
      fc
        .tuple(fc.integer({ min: 0, max: value.length }), fc.string({ maxLength: 3 }))
        .map(([at, s]) => value.slice(0, at) + s + value.slice(at)),
      fc
        .tuple(fc.integer({ min: 0, max: value.length - 1 }), fc.integer({ min: 1, max: 8 }))
        .map(([at, n]) => value.slice(0, at) + value.slice(at + n)),
      // Percent-encoded, as some clients re-encode a link.
      fc.constant(encodeURIComponent(value + '=')),
    )
    await fc.assert(
      fc.asyncProperty(mutation, async (link) => {
        const decoded = await decodeScenario(link)
        // Either refused, or (the text unchanged) exactly the same scenario: never another.
        if (link === value) expect(decoded).toEqual({ ok: true, scenario: SCENARIO })
        else expect(decoded.ok).toBe(false)
      }),
      { numRuns: 1000, seed: 1313 },
    )
  })
})
