/**
 * What the timeline under the graph draws, worked out from the trace alone: the phases as bands
 * in the order the packet lives them, the steps worth a mark, and where a pointer or a key lands.
 */
import { positionOf, type Shown } from '../../app/fold.ts'
import type { Action, Phase, Step } from '../../model/trace.ts'

/** A run of consecutive steps in one phase: positions start..end, both included. */
export interface PhaseBand {
  phase: Phase
  start: number
  end: number
}

/** The phases as they follow one another; a phase the trace returns to gets a second band. */
export function phaseBands(steps: readonly Pick<Step, 'phase'>[]): PhaseBand[] {
  const bands: PhaseBand[] = []
  steps.forEach((s, i) => {
    const last = bands.at(-1)
    if (last && last.phase === s.phase) last.end = i
    else bands.push({ phase: s.phase, start: i, end: i })
  })
  return bands
}

/** The kinds of step the timeline marks so they can be found at a glance. */
export type StepMark = 'stop' | 'proxy' | 'nat'

const MARKS: Partial<Record<Action, StepMark>> = {
  drop: 'stop',
  reject: 'stop',
  // A proxy ends one connection and opens another: the packet is rewritten by a program.
  proxy: 'proxy',
  'l7-route': 'proxy',
  'tls-terminate': 'proxy',
  // The kernel rewrites addresses in place (conntrack remembers, and undoes it on the reply).
  dnat: 'nat',
  snat: 'nat',
  masquerade: 'nat',
  unnat: 'nat',
}

export function stepMark(action: Action): StepMark | null {
  return MARKS[action] ?? null
}

/** The step under a point of the bar, given as a fraction of its width (0 left, 1 right). */
export function stepAtFraction(fraction: number, count: number): number {
  if (count <= 0) return 0
  return Math.max(0, Math.min(count - 1, Math.floor(fraction * count)))
}

/** Where a step sits on the bar: the middle of its slice, as a percentage of the width. */
export function stepCentre(position: number, count: number): number {
  return count > 0 ? ((position + 0.5) / count) * 100 : 0
}

/**
 * Where a key moves the slider, as sliders answer keys (WAI-ARIA APG): Right and Up one step on,
 * Left and Down one back, Home and End to the ends. Null for any other key: Page Up and Page Down
 * are the stage's (one step, as a clicker sends them; with Shift a phase, see phaseTarget).
 */
export function sliderTarget(key: string, step: number, count: number): number | null {
  const last = count - 1
  const clamp = (n: number) => Math.max(0, Math.min(last, n))
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(step + 1)
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(step - 1)
    case 'Home':
      return 0
    case 'End':
      return clamp(last)
    default:
      return null
  }
}

/**
 * The start of the next phase band (forward), or of this band and then the one before (back);
 * the last step when no band follows.
 */
export function phaseTarget(
  direction: 1 | -1,
  step: number,
  count: number,
  bands: readonly PhaseBand[],
): number {
  const last = Math.max(0, count - 1)
  if (direction === 1) return bands.find((b) => b.start > step)?.start ?? last
  let here = bands.length - 1
  while (here > 0 && bands[here]!.start > step) here--
  if (here < 0) return 0
  const band = bands[here]!
  // From inside a band, its own start first; from its start, the band before.
  if (band.start < step) return band.start
  return here > 0 ? bands[here - 1]!.start : 0
}

/**
 * The phase bands of the steps as displayed (src/app/fold.ts): positions are displayed indices,
 * and a closed fold counts once, in the phase of its first step.
 */
export function shownBands(
  steps: readonly Pick<Step, 'phase'>[],
  shown: readonly Shown[],
): PhaseBand[] {
  return phaseBands(shown.map((x) => steps[positionOf(x)]!))
}
