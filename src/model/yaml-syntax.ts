/**
 * YAML syntax errors placed where the learner can fix them. The `yaml` library notices an
 * unclosed `[`, `{` or quote where the text runs out (one line past a paste's last line);
 * the mistake is where it was opened, which the concrete syntax tree still shows.
 */
import type { CST } from 'yaml'
import { text, type Text } from './text.ts'

type Opener = '[' | '{' | '"' | "'"

interface Unclosed {
  opener: Opener
  offset: number
}

/** Trailing characters `ch` of `s`, counted back from its end. */
function trailing(s: string, ch: string): number {
  let n = 0
  while (n < s.length && s[s.length - 1 - n] === ch) n++
  return n
}

/** Whether a quoted scalar's source ends with its closing quote (YAML 1.2 sections 7.3.1 and 7.3.2). */
function quoteClosed(source: string): boolean {
  if (source.length < 2) return false
  if (source[0] === '"') {
    // `\"` is an escaped quote; an even run of backslashes before the last quote escapes itself.
    return source.endsWith('"') && trailing(source.slice(0, -1), '\\') % 2 === 0
  }
  // In single quotes `''` is one quote: an odd run of quotes after the opening one closes it.
  return trailing(source.slice(1), "'") % 2 === 1
}

/** Every flow collection and quoted scalar in the CST that never closes, in document order. */
function unclosedOpeners(tokens: readonly CST.Token[]): Unclosed[] {
  const out: Unclosed[] = []
  const todo: unknown[] = [...tokens].reverse()
  while (todo.length > 0) {
    const t = todo.pop() as Partial<CST.Token> & Record<string, unknown>
    if (!t || typeof t !== 'object') continue
    if (t.type === 'flow-collection') {
      const fc = t as CST.FlowCollection
      const close = fc.start.source === '[' ? ']' : '}'
      if (!fc.end.some((e) => e.source === close))
        out.push({ opener: fc.start.source as Opener, offset: fc.start.offset })
    } else if (t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') {
      const s = t as CST.FlowScalar
      if (!quoteClosed(s.source)) out.push({ opener: s.source[0] as Opener, offset: s.offset })
    }
    // Children in reverse, so that they come off the stack in document order.
    const children: unknown[] = []
    if ('value' in t && t.value) children.push(t.value)
    if ('items' in t && Array.isArray(t.items)) {
      for (const item of t.items as { key?: unknown; value?: unknown }[]) {
        if (item.key) children.push(item.key)
        if (item.value) children.push(item.value)
      }
    }
    for (let i = children.length - 1; i >= 0; i--) todo.push(children[i])
  }
  return out.sort((a, b) => a.offset - b.offset)
}

/** Which opener a library message is about, if it is about one left open. */
function openerOf(code: string, message: string): Opener | null {
  if (code === 'MISSING_CHAR' && /closing "quote/.test(message)) return '"'
  if (code === 'MISSING_CHAR' && /closing 'quote/.test(message)) return "'"
  if (/^Flow sequence .*end with a \]/.test(message)) return '['
  if (/^Flow map .*end with a \}/.test(message)) return '{'
  return null
}

function unclosedMessage(o: Opener): Text {
  switch (o) {
    case '[':
      return text(
        'YAML syntax: this "[" is never closed: the list it opens needs a "]"',
        'YAML 语法错误：这个 “[” 没有闭合：它开始的列表需要一个 “]”',
      )
    case '{':
      return text(
        'YAML syntax: this "{" is never closed: the map it opens needs a "}"',
        'YAML 语法错误：这个 “{” 没有闭合：它开始的映射需要一个 “}”',
      )
    default:
      return text(
        `YAML syntax: this ${o} opens a quoted string that never ends: add the closing ${o}`,
        `YAML 语法错误：这个 ${o} 开始的带引号字符串没有结束：请补上结尾的 ${o}`,
      )
  }
}

export interface PlacedError {
  offset: number
  message: Text
}

/**
 * Places the syntax errors of one source: an error about something left open points at its
 * opening (each opening is used once, innermost first, as the library reports them), and any
 * other error past the last character of the text points at that character instead.
 */
export function placeSyntaxErrors(
  source: string,
  tokens: readonly CST.Token[],
  errors: readonly { code: string; pos: [number, number]; message: string }[],
): PlacedError[] {
  const open = unclosedOpeners(tokens)
  const used = new Set<Unclosed>()
  const lastChar = Math.max(0, source.trimEnd().length - 1)
  return errors.map((e) => {
    const opener = openerOf(e.code, e.message)
    if (opener) {
      const u = open.filter((o) => o.opener === opener && o.offset < e.pos[0] && !used.has(o)).pop()
      if (u) {
        used.add(u)
        return { offset: u.offset, message: unclosedMessage(opener) }
      }
    }
    const first = e.message.split('\n')[0] ?? e.message
    return {
      offset: Math.min(e.pos[0], lastChar),
      message: text(`YAML syntax: ${first}`, `YAML 语法错误：${first}`),
    }
  })
}
