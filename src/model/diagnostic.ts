import type { Text } from './text.ts'

/** Where something was written: file, 1-based line and column, and the object it belongs to. */
export interface Where {
  file: string
  line: number
  col: number
  /** `kind/namespace/name` or `kind/name`, as kubectl names objects. */
  object: string
}

/** A problem found in a scenario, in every language. Errors stop the scenario from loading. */
export interface Diagnostic extends Where {
  severity: 'error' | 'warning' | 'info'
  message: Text
}

export function formatDiagnostic(d: Diagnostic, lang: keyof Text = 'en'): string {
  const obj = d.object ? ` ${d.object}:` : ''
  return `${d.file}:${d.line}:${d.col}: ${d.severity}:${obj} ${d.message[lang]}`
}
