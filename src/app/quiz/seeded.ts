/**
 * The quiz's randomness: which distractors, in which order. Every question draws from its own
 * generator, seeded by the quiz seed and the step it is shown at, so the same seed gives the
 * same quiz and one question's choices do not depend on how many came before it.
 */
import { createRng, type Rng } from '../../sim/rng.ts'

export function questionRng(seed: number, step: number): Rng {
  // Two odd multipliers (from MurmurHash3's finaliser) spread seed and step over 32 bits.
  const mixed = (Math.imul(seed >>> 0, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35)) >>> 0
  return createRng(mixed)
}

/** A seeded Fisher-Yates shuffle; returns a new array. */
export function shuffle<T>(rng: Rng, xs: readonly T[]): T[] {
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * Up to `n` distractors, taken from the most plausible tier first (each tier shuffled), never
 * one whose key is `right`'s or repeats an earlier one.
 */
export function pickDistractors<T>(
  rng: Rng,
  tiers: readonly (readonly T[])[],
  keyOf: (x: T) => string,
  right: string,
  n: number,
): T[] {
  const seen = new Set([right])
  const out: T[] = []
  for (const tier of tiers) {
    for (const x of shuffle(rng, tier)) {
      if (out.length >= n) return out
      const k = keyOf(x)
      if (seen.has(k)) continue
      seen.add(k)
      out.push(x)
    }
  }
  return out
}
