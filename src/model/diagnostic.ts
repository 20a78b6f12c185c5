import type { Text } from './text.ts'

/** Where something was written: file, 1-based line and column, and the object it belongs to. */
export interface Where {
  file: string
  line: number
  col: number
  /** `kind/namespace/name` or `kind/name`, as kubectl names objects. */
  object: string
}

/**
 * What kind of problem a diagnostic is, which decides how the app heads a list of them:
 * - yaml: the text is not YAML that PodPath reads (a syntax error, or past a bound on its size);
 * - file: the file says what the scenario format does not take (a typo, a value of the wrong
 *   type, a missing field, a choice that does not exist);
 * - kubernetes: Kubernetes itself refuses it, or it could not work in a real cluster.
 * Not given: not classified (the app heads it neutrally).
 */
export type DiagnosticCause = 'yaml' | 'file' | 'kubernetes'

/** A problem found in a scenario, in every language. Errors stop the scenario from loading. */
export interface Diagnostic extends Where {
  severity: 'error' | 'warning' | 'info'
  message: Text
  cause?: DiagnosticCause
}

export function formatDiagnostic(d: Diagnostic, lang: keyof Text = 'en'): string {
  const obj = d.object ? ` ${d.object}:` : ''
  return `${d.file}:${d.line}:${d.col}: ${d.severity}:${obj} ${d.message[lang]}`
}

/**
 * What stops a scenario, for the heading over its diagnostics: 'yaml' when the text could not be
 * read (nothing else was then checked), the cause every error shares, or 'mixed' when they differ
 * or one is not classified.
 */
export function stoppingCause(diagnostics: readonly Diagnostic[]): DiagnosticCause | 'mixed' {
  const errors = diagnostics.filter((d) => d.severity === 'error')
  if (errors.some((d) => d.cause === 'yaml')) return 'yaml'
  const first = errors[0]?.cause
  return first && errors.every((d) => d.cause === first) ? first : 'mixed'
}
