import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Lookup } from '../../model/trace.ts'

/**
 * A rule wraps only between its words: a break after a hyphen would turn `--comment` into
 * `-- comment`. The text itself is exactly the engine's.
 */
export function Rule({ text }: { text: string }) {
  return text.split(/(\s+)/).map((part, i) =>
    i % 2 === 0 ? (
      <span key={i} className="rule-word">
        {part}
      </span>
    ) : (
      part
    ),
  )
}

function LookupRow({ l }: { l: Lookup }) {
  const { t } = useTranslation()
  return (
    <figure className={l.matched ? 'lookup' : 'lookup unmatched'}>
      <figcaption>
        <code>{l.table}</code>
        {!l.matched && <span className="no-match">{t('steps.noMatch')}</span>}
        {l.outer && (
          <span className="outer-mark" title={t('tables.outerTitle')}>
            {t('tables.outer')}
          </span>
        )}
      </figcaption>
      <pre>
        <Rule text={l.rule} />
      </pre>
    </figure>
  )
}

/** Runs of unmatched rules longer than this are folded to their ends. */
const FOLD_OVER = 8
const KEEP = 2

type Row = { kind: 'one'; i: number } | { kind: 'fold'; from: number; to: number }

/** Keeps every matched entry; long runs of rules that did not match show their first and last two. */
export function foldLookups(lookups: readonly Lookup[]): Row[] {
  const rows: Row[] = []
  let i = 0
  while (i < lookups.length) {
    if (lookups[i]!.matched) {
      rows.push({ kind: 'one', i: i++ })
      continue
    }
    let j = i
    while (j < lookups.length && !lookups[j]!.matched) j++
    if (j - i > FOLD_OVER) {
      for (let k = i; k < i + KEEP; k++) rows.push({ kind: 'one', i: k })
      rows.push({ kind: 'fold', from: i + KEEP, to: j - KEEP })
      for (let k = j - KEEP; k < j; k++) rows.push({ kind: 'one', i: k })
    } else for (let k = i; k < j; k++) rows.push({ kind: 'one', i: k })
    i = j
  }
  return rows
}

/** A folded run: the rules are only put on the page when the learner asks for them. */
function Fold({ lookups, row }: { lookups: readonly Lookup[]; row: RenderRow }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  if (open) return lookups.map((l, i) => row(l, i))
  return (
    <button type="button" className="lookup-fold" onClick={() => setOpen(true)}>
      {t('steps.folded', { count: lookups.length })}
    </button>
  )
}

type RenderRow = (l: Lookup, key: number) => ReactNode

/** Lookups with long runs of unmatched rules folded (foldLookups), each drawn by `row`. */
export function FoldedLookups({ lookups, row }: { lookups: readonly Lookup[]; row: RenderRow }) {
  return foldLookups(lookups).map((r) =>
    r.kind === 'one' ? (
      row(lookups[r.i]!, r.i)
    ) : (
      <Fold key={`fold-${r.from}`} lookups={lookups.slice(r.from, r.to)} row={row} />
    ),
  )
}

/** The table entries behind a step, each exactly as the tool prints it on a node. */
export function Lookups({ lookups }: { lookups: Lookup[] }) {
  const { t } = useTranslation()
  const titleId = useId()
  if (lookups.length === 0) return null
  return (
    // Focusable, so a keyboard can scroll a rule wider than the column (axe: scrollable-region-focusable).
    <div className="lookups" role="group" aria-labelledby={titleId} tabIndex={0}>
      <p className="lookups-title" id={titleId}>
        {t('steps.lookups')}
      </p>
      <FoldedLookups lookups={lookups} row={(l, i) => <LookupRow key={i} l={l} />} />
    </div>
  )
}
