/**
 * Finding glossary terms in a narration, in either language: every match of every entry's
 * pattern, longest first where two overlap, so that "Ingress controller" wins over "Ingress".
 */
import type { Lang } from '../../model/text.ts'
import type { GlossaryEntry } from './entry.ts'
import { GLOSSARY } from './terms.ts'

export interface TermHit {
  start: number
  end: number
  id: string
}

const BY_ID = new Map(GLOSSARY.map((e) => [e.id, e]))

export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return BY_ID.get(id)
}

const COMPILED: Record<Lang, { id: string; re: RegExp }[]> = {
  en: GLOSSARY.map((e) => ({
    id: e.id,
    re: new RegExp(e.match.en.source, `${e.match.en.flags}g`),
  })),
  'zh-CN': GLOSSARY.map((e) => ({
    id: e.id,
    re: new RegExp(e.match['zh-CN'].source, `${e.match['zh-CN'].flags}g`),
  })),
}

export interface FindOptions {
  /** Only each term's first mention (a narration that says "veth" three times marks it once). */
  firstOnly?: boolean
}

export function findTerms(text: string, lang: Lang, opts: FindOptions = {}): TermHit[] {
  const all: TermHit[] = []
  for (const { id, re } of COMPILED[lang]) {
    re.lastIndex = 0
    for (const m of text.matchAll(re))
      if (m[0].length > 0) all.push({ start: m.index, end: m.index + m[0].length, id })
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end)
  const picked: TermHit[] = []
  let end = 0
  for (const h of all) {
    if (h.start < end) continue
    picked.push(h)
    end = h.end
  }
  if (!opts.firstOnly) return picked
  const seen = new Set<string>()
  return picked.filter((h) => !seen.has(h.id) && seen.add(h.id))
}

export interface Segment {
  text: string
  /** The glossary entry this piece of text names, or null for plain text. */
  term: string | null
}

/** The text cut into plain pieces and marked terms, in order (for rendering). */
export function segments(text: string, hits: readonly TermHit[]): Segment[] {
  const out: Segment[] = []
  let at = 0
  for (const h of hits) {
    if (h.start > at) out.push({ text: text.slice(at, h.start), term: null })
    out.push({ text: text.slice(h.start, h.end), term: h.id })
    at = h.end
  }
  if (at < text.length) out.push({ text: text.slice(at), term: null })
  return out
}
