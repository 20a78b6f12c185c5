/** A glossary entry: a term the narrations use, explained in both languages, with its source. */
import type { Text } from '../../model/text.ts'

/** Where the glossary page files a term. */
export type Topic = 'pod' | 'link' | 'route' | 'overlay' | 'service' | 'netfilter' | 'dns' | 'edge'

export interface GlossaryEntry {
  id: string
  topic: Topic
  /** The term as the glossary lists it. */
  term: Text
  /**
   * How a narration writes it, per language: a pattern (without flags other than `i`) matched
   * against the text. Chinese narrations keep many English names, so the Chinese pattern
   * usually includes them.
   */
  match: { en: RegExp; 'zh-CN': RegExp }
  /** One or two sentences, in PodPath's own words. */
  short: Text
  /** The primary source: the project's docs, a kernel or man page, an RFC. */
  source: { title: string; url: string }
}
