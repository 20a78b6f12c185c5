/**
 * Filtering the step list by phase and by action, as a network simulator's event list does: which
 * values the trace has and how often, which steps a filter keeps, and where the keys go among them.
 */
import type { Action, Phase, Step } from '../../model/trace.ts'

/** The phases and actions shown; an empty set shows every value of its kind. */
export interface StepFilter {
  phases: ReadonlySet<Phase>
  actions: ReadonlySet<Action>
}

export const NO_FILTER: StepFilter = { phases: new Set(), actions: new Set() }

export function isFiltering(f: StepFilter): boolean {
  return f.phases.size > 0 || f.actions.size > 0
}

/** Each value the steps have, with how many steps have it, in the order it first appears. */
export function countBy<K extends 'phase' | 'action'>(
  steps: readonly Pick<Step, K>[],
  key: K,
): { value: Step[K]; count: number }[] {
  const counts = new Map<Step[K], number>()
  for (const s of steps) counts.set(s[key], (counts.get(s[key]) ?? 0) + 1)
  return [...counts].map(([value, count]) => ({ value, count }))
}

export function keeps(f: StepFilter, s: Pick<Step, 'phase' | 'action'>): boolean {
  return (
    (f.phases.size === 0 || f.phases.has(s.phase)) &&
    (f.actions.size === 0 || f.actions.has(s.action))
  )
}

/** The positions (in trace.steps) of the steps the filter keeps, in order. */
export function visiblePositions(
  steps: readonly Pick<Step, 'phase' | 'action'>[],
  f: StepFilter,
): number[] {
  const out: number[] = []
  steps.forEach((s, i) => {
    if (keeps(f, s)) out.push(i)
  })
  return out
}

/** The set with the value added, or taken out when it was there. */
export function toggled<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set)
  if (!next.delete(value)) next.add(value)
  return next
}

/**
 * Where a key moves the selection among the visible steps (the step list's scheme: down and right
 * on, up and left back, Home and End). From a hidden step, on means the next visible one after it
 * and back the last one before it. Null when the key is not one of these or nothing is visible.
 */
export function visibleTarget(
  key: string,
  step: number,
  visible: readonly number[],
): number | null {
  if (visible.length === 0) return null
  switch (key) {
    case 'ArrowDown':
    case 'ArrowRight':
      return visible.find((p) => p > step) ?? visible.at(-1)!
    case 'ArrowUp':
    case 'ArrowLeft': {
      let back = visible[0]!
      for (const p of visible) if (p < step) back = p
      return back
    }
    case 'Home':
      return visible[0]!
    case 'End':
      return visible.at(-1)!
    default:
      return null
  }
}

/**
 * The first sentence of an explanation, for the row's one-line summary. A sentence ends at 。！？
 * or at . ! ? followed by a space and a capital, a digit or a quote (so "e.g. the" and 10.0.0.1 do
 * not end it; after a quote, any word), but never inside quotes or brackets: an ARP question quoted in a step is not its end.
 */
export function firstSentence(text: string): string {
  const t = text.trim()
  let depth = 0
  let quoted = false
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!
    if ('“(（'.includes(ch)) depth++
    else if ('”)）'.includes(ch)) depth = Math.max(0, depth - 1)
    else if (ch === '"') quoted = !quoted
    else if (depth === 0 && !quoted) {
      if ('。！？'.includes(ch)) return t.slice(0, i + 1)
      // After a closing quote or bracket, a sentence may go on with a lower-case name (tunl0).
      const next = '")”）'.includes(t[i - 1] ?? '') ? /^\s+\S/ : /^\s+[A-Z0-9“"'(]/
      if ('.!?'.includes(ch) && next.test(t.slice(i + 1))) return t.slice(0, i + 1)
    }
  }
  return t
}
