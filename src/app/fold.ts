/**
 * Phases that fold: a part of a trace that is not what its lesson teaches (the cluster DNS lookup
 * before a Service lesson's first DNAT, an ARP exchange in an Ingress lesson) is shown as one step
 * that can be opened, so the learner reaches the point of the lesson in a few steps. Pure: the
 * stage, the timeline and the predict questions (issue 12) all count displayed steps from here.
 */
import type { LessonMeta, Topic } from '../lessons/catalog.ts'
import type { Step } from '../model/trace.ts'

/** A run of trace positions start..end (both included) shown as one step while it is closed. */
export interface Fold {
  /** Stable within one trace: `dns:0`. */
  id: string
  topic: Topic
  start: number
  end: number
}

/** One displayed step: a single trace step, or a closed fold standing for its whole run. */
export type Shown = { kind: 'step'; position: number } | { kind: 'fold'; fold: Fold }

/** What each mode of the curriculum is about, besides Services and proxies (never folded). */
const MODE_SUBJECTS: Record<LessonMeta['mode'], readonly Topic[]> = {
  // Inside one Pod: nothing is a detour.
  1: ['dns', 'arp'],
  // Pod to Pod: how a Pod finds its gateway's MAC is part of the lesson.
  2: ['arp'],
  3: [],
  4: [],
}

/** A shorter run is shown as it is: folding one step into one step hides and saves nothing. */
export const MIN_FOLD = 2

/** What a step belongs to, for folding: the DNS phase as a whole, or an ARP exchange. */
function topicOf(step: Pick<Step, 'phase' | 'action'>): Topic | null {
  if (step.phase === 'dns') return 'dns'
  return step.action === 'arp' ? 'arp' : null
}

/** The topics a lesson teaches: its mode's, and the ones its catalog entry names. */
export function subjectsOf(lesson: Pick<LessonMeta, 'mode' | 'teaches'>): ReadonlySet<Topic> {
  return new Set([...MODE_SUBJECTS[lesson.mode], ...(lesson.teaches ?? [])])
}

/**
 * The folds of one trace for one lesson: every maximal run of steps of a topic the lesson does
 * not teach, MIN_FOLD steps or longer, and never the whole trace (then it is the lesson). A
 * scenario of one's own (no lesson) folds nothing: nothing says what it is about.
 */
export function foldsFor(
  lesson: Pick<LessonMeta, 'mode' | 'teaches'> | null,
  steps: readonly Pick<Step, 'phase' | 'action'>[],
): Fold[] {
  if (!lesson) return []
  const subjects = subjectsOf(lesson)
  const folds: Fold[] = []
  let i = 0
  while (i < steps.length) {
    const topic = topicOf(steps[i]!)
    let j = i
    // The DNS phase folds whole, its own ARP exchanges inside it.
    while (j + 1 < steps.length && topicOf(steps[j + 1]!) === topic) j++
    const length = j - i + 1
    if (topic && !subjects.has(topic) && length >= MIN_FOLD && length < steps.length)
      folds.push({ id: `${topic}:${i}`, topic, start: i, end: j })
    i = j + 1
  }
  return folds
}

/** The trace as it is displayed: each step, except that a closed fold is one item for its run. */
export function shownSteps(
  count: number,
  folds: readonly Fold[],
  open: ReadonlySet<string>,
): Shown[] {
  const shown: Shown[] = []
  let f = 0
  for (let p = 0; p < count; p++) {
    while (f < folds.length && folds[f]!.end < p) f++
    const fold = folds[f]
    if (fold && fold.start <= p && !open.has(fold.id)) {
      shown.push({ kind: 'fold', fold })
      p = fold.end
    } else shown.push({ kind: 'step', position: p })
  }
  return shown
}

/** The trace position a displayed step stands at: a closed fold shows its first step. */
export function positionOf(item: Shown): number {
  return item.kind === 'step' ? item.position : item.fold.start
}

/** The index of the displayed step that holds a trace position (0 when there is none). */
export function shownIndexOf(shown: readonly Shown[], position: number): number {
  // Binary search: the items are in trace order and cover every position once.
  let lo = 0
  let hi = shown.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (positionOf(shown[mid]!) <= position) lo = mid
    else hi = mid - 1
  }
  return Math.max(0, lo)
}

/** The trace position `delta` displayed steps from `position`, kept inside the trace. */
export function stepBy(shown: readonly Shown[], position: number, delta: number): number {
  if (shown.length === 0) return 0
  const i = Math.max(0, Math.min(shown.length - 1, shownIndexOf(shown, position) + delta))
  return positionOf(shown[i]!)
}

/** The closed fold a position lies inside but does not stand for (it must open to show it). */
export function foldToOpen(
  folds: readonly Fold[],
  open: ReadonlySet<string>,
  position: number,
): Fold | null {
  return folds.find((f) => !open.has(f.id) && position > f.start && position <= f.end) ?? null
}

/** The fold, open or closed, that holds a position. */
export function foldAt(folds: readonly Fold[], position: number): Fold | null {
  return folds.find((f) => position >= f.start && position <= f.end) ?? null
}
