import { useMemo } from 'react'
import { findTerms, segments } from '../../app/glossary/find-terms.ts'
import type { Lang } from '../../model/text.ts'
import { Term } from './Term.tsx'

/**
 * Running text (a step's narration, a caption) with its glossary terms marked, each term's
 * first mention only, each opening its explanation. Renders inline: put it inside the text's
 * own element. Loaded apart from the page (with every term's explanation): GlossaryText.tsx.
 */
export function MarkedText({ text, lang }: { text: string; lang: Lang }) {
  const parts = useMemo(
    () => segments(text, findTerms(text, lang, { firstOnly: true })),
    [text, lang],
  )
  return (
    <>
      {parts.map((p, i) =>
        p.term ? (
          <Term key={`${i}-${p.term}`} id={p.term}>
            {p.text}
          </Term>
        ) : (
          p.text
        ),
      )}
    </>
  )
}
