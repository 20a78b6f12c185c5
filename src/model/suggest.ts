/** "Did you mean ...?": the known word a misspelt one is closest to, if it is close enough. */

/** Edits (insert, delete, substitute, swap two neighbours) between a and b: optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The choice `word` most likely misspells: case aside, at most two edits away and fewer edits
 * than half its length (so "ab" suggests nothing), the nearest first; null when none is.
 */
export function closest(word: string, choices: readonly string[]): string | null {
  // Long words are not typos of short choices; bounded, so a pasted novel costs nothing.
  if (word.length > 64) return null
  const w = word.toLowerCase()
  let best: string | null = null
  let bestDistance = Infinity
  for (const c of choices) {
    const dist = editDistance(w, c.toLowerCase())
    if (dist <= 2 && dist * 2 < Math.max(w.length, 2) && dist < bestDistance) {
      best = c
      bestDistance = dist
    }
  }
  return best
}
