/**
 * Reads a scenario file the learner chose or dropped, in the browser (File.text()): nothing is
 * uploaded. Files too big to be a scenario are refused before they are read.
 */

/** Bigger than any scenario a learner writes (the 1,000-Service lesson is under 200 KB). */
export const MAX_SCENARIO_MB = 5

export type ReadResult =
  | { ok: true; name: string; text: string }
  | { ok: false; problem: 'tooBig'; name: string; size: string; max: number }
  | { ok: false; problem: 'unreadable'; name: string }

export async function readScenarioFile(file: File): Promise<ReadResult> {
  if (file.size > MAX_SCENARIO_MB * 2 ** 20)
    return {
      ok: false,
      problem: 'tooBig',
      name: file.name,
      size: (file.size / 2 ** 20).toFixed(1),
      max: MAX_SCENARIO_MB,
    }
  try {
    const text = await file.text()
    // A NUL character means a binary file: YAML has none.
    if (text.includes('\u0000')) return { ok: false, problem: 'unreadable', name: file.name }
    return { ok: true, name: file.name, text }
  } catch {
    return { ok: false, problem: 'unreadable', name: file.name }
  }
}
