/** Writing bash: one argument quoted so that bash reads it back unchanged. */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/** `it's` -> `'it'\''s'`; plain words stay bare. */
export function shq(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

/** A command line from its arguments. */
export function shCmd(args: readonly string[]): string {
  return args.map(shq).join(' ')
}

/**
 * A heredoc that writes `body` verbatim to `path` (quoted delimiter: no expansion). The
 * delimiter is chosen so that no line of the body equals it.
 */
export function heredoc(path: string, body: string, tag = 'PODPATH_EOF'): string {
  return heredocInto(`cat > ${path}`, body, tag)
}

/** `command` reading `body` verbatim on its standard input. */
export function heredocInto(command: string, body: string, tag: string): string {
  let delim = tag
  const lines = new Set(body.split('\n'))
  for (let i = 1; lines.has(delim); i++) delim = `${tag}_${i}`
  const text = body.endsWith('\n') ? body : `${body}\n`
  return `${command} <<'${delim}'\n${text}${delim}`
}
