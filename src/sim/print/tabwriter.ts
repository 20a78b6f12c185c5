/**
 * Go's text/tabwriter as the Cilium CLI uses it (padchar ' ', flags 0), for the tables
 * `cilium-dbg` prints. Computed as golang/go src/text/tabwriter/tabwriter.go does it:
 *
 * - Write splits each line at its tabs into cells; every tab-terminated cell belongs to a
 *   column, the text after the line's last tab does not (it is written as it is).
 * - format: a column's width is set per *column block*, a run of consecutive lines that all
 *   have a cell in that column: the block's widest cell plus the padding, at least minwidth. A
 *   line with fewer cells ends the block, so the same column can have another width further
 *   down (`cilium-dbg endpoint list`'s STATUS column: its header line, then the ENFORCEMENT line
 *   with one cell fewer, then the endpoints).
 * - writeLines: each cell, empty ones too, is padded with spaces to its column's width, so a
 *   line ending in a tab-terminated cell ends in spaces, as the real tool's output does.
 *
 * Widths count characters (UTF-8 runes in Go); PodPath's tables are ASCII. Escapes, HTML
 * filtering and the early flush after a line without a tab are not needed by the tables that
 * use this (every line they write has a tab).
 */

export interface TabwriterOptions {
  minwidth: number
  padding: number
}

/** The lines as `fmt.Fprintf(w, ...)` wrote them (each with its tabs, without the newline). */
export function tabwrite(lines: readonly string[], opts: TabwriterOptions): string[] {
  const cells = lines.map((l) => l.split('\t'))
  const out = cells.map(() => '')
  const widths: number[] = []
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = cells[i]!
      out[i] = line.map((cell, j) => (j < widths.length ? cell.padEnd(widths[j]!) : cell)).join('')
    }
  }
  const format = (line0: number, line1: number) => {
    const column = widths.length
    for (let line = line0; line < line1; line++) {
      if (column >= cells[line]!.length - 1) continue
      // A cell in this column: the lines before it are done, a column block begins here.
      writeLines(line0, line)
      line0 = line
      let width = opts.minwidth
      for (; line < line1 && column < cells[line]!.length - 1; line++)
        width = Math.max(width, cells[line]![column]!.length + opts.padding)
      widths.push(width)
      format(line0, line)
      widths.pop()
      line0 = line
      // The for loop's own line++ must not skip the line that ended the block.
      line--
    }
    writeLines(line0, line1)
  }
  format(0, cells.length)
  return out
}
