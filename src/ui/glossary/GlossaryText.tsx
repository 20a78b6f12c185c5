import { useSyncExternalStore } from 'react'
import type { Lang } from '../../model/text.ts'
import { loadedMarks, subscribeMarks } from './load-marks.ts'
// Here, not in the lazy chunk: the sheet keeps its place among the page's sheets.
import './glossary.css'

/**
 * Running text (a step's narration, a caption) with its glossary terms marked (MarkedText.tsx).
 * The terms' chunk has always arrived by the time a trace has (it downloads with the page); were
 * it not, the text shows unmarked until it does.
 */
export function GlossaryText({ text, lang }: { text: string; lang: Lang }) {
  const marks = useSyncExternalStore(subscribeMarks, loadedMarks)
  return marks ? <marks.MarkedText text={text} lang={lang} /> : text
}
