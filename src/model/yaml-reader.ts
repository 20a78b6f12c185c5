/**
 * Typed reading of one YAML object with positions: every wrong type becomes a Diagnostic that
 * names file, line, column and object, instead of an exception.
 */
import { isNode, type Document, type LineCounter } from 'yaml'
import type { Diagnostic, DiagnosticCause, Where } from './diagnostic.ts'
import { text, type Text } from './text.ts'

export type Path = readonly (string | number)[]

export interface ReadContext {
  file: string
  lines: LineCounter
  diagnostics: Diagnostic[]
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return 'list'
  if (typeof v === 'object') return 'map'
  return typeof v
}

function an(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`
}

const zhType: Record<string, string> = {
  string: '字符串',
  number: '数字',
  boolean: '布尔值',
  map: '映射',
  list: '列表',
  null: '空值',
  integer: '整数',
}

export class ObjReader {
  constructor(
    readonly ctx: ReadContext,
    readonly doc: Document,
    readonly path: Path,
    readonly value: Record<string, unknown>,
    public object: string,
  ) {}

  /** The position of `sub` under this object, or of its nearest ancestor that exists. */
  where(sub: Path = []): Where {
    const full = [...this.path, ...sub]
    for (let n = full.length; n >= 0; n--) {
      const node = this.doc.getIn(full.slice(0, n), true)
      if (isNode(node) && node.range) {
        // A key's position is more useful than its value's for "missing/wrong" messages.
        const pos = this.ctx.lines.linePos(node.range[0])
        return { file: this.ctx.file, line: pos.line, col: pos.col, object: this.object }
      }
    }
    return { file: this.ctx.file, line: 1, col: 1, object: this.object }
  }

  report(
    sub: Path,
    message: Text,
    severity: Diagnostic['severity'] = 'error',
    cause?: DiagnosticCause,
  ): void {
    this.ctx.diagnostics.push({ ...this.where(sub), severity, message, ...(cause && { cause }) })
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null
  }

  private wrong(key: string, expected: string, got: unknown): null {
    this.report(
      [key],
      text(
        `field "${key}" must be ${an(expected)}, not ${an(typeName(got))}`,
        `字段 “${key}” 应为${zhType[expected] ?? expected}，而不是${zhType[typeName(got)] ?? typeName(got)}`,
      ),
      'error',
      'file',
    )
    return null
  }

  private missing(key: string): null {
    this.report(
      [],
      text(`required field "${key}" is missing`, `缺少必填字段 “${key}”`),
      'error',
      'file',
    )
    return null
  }

  str(key: string, required = false): string | null {
    const v = this.value[key]
    if (v === undefined || v === null) return required ? this.missing(key) : null
    // .nan and .inf are YAML numbers, not names: say so rather than turn them into "NaN".
    if (typeof v === 'number' && !Number.isFinite(v)) return this.wrong(key, 'string', v)
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    if (typeof v !== 'string') return this.wrong(key, 'string', v)
    return v
  }

  int(key: string, min: number, max: number, required = false): number | null {
    const v = this.value[key]
    if (v === undefined || v === null) return required ? this.missing(key) : null
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.wrong(key, 'integer', v)
    if (v < min || v > max) {
      this.report(
        [key],
        text(
          `field "${key}" is ${v}, outside ${min}-${max}`,
          `字段 “${key}” 的值 ${v} 超出范围 ${min}-${max}`,
        ),
      )
      return null
    }
    return v
  }

  bool(key: string): boolean | null {
    const v = this.value[key]
    if (v === undefined || v === null) return null
    if (typeof v !== 'boolean') return this.wrong(key, 'boolean', v)
    return v
  }

  obj(key: string, required = false): ObjReader | null {
    const v = this.value[key]
    if (v === undefined || v === null) return required ? this.missing(key) : null
    if (typeof v !== 'object' || Array.isArray(v)) return this.wrong(key, 'map', v)
    return new ObjReader(
      this.ctx,
      this.doc,
      [...this.path, key],
      v as Record<string, unknown>,
      this.object,
    )
  }

  /** A list of maps; items of another type are reported and skipped. */
  list(key: string): ObjReader[] {
    const v = this.value[key]
    if (v === undefined || v === null) return []
    if (!Array.isArray(v)) {
      this.wrong(key, 'list', v)
      return []
    }
    const out: ObjReader[] = []
    v.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        this.report(
          [key, i],
          text(
            `item ${i} of "${key}" must be a map, not ${an(typeName(item))}`,
            `“${key}” 的第 ${i} 项应为映射，而不是${zhType[typeName(item)] ?? typeName(item)}`,
          ),
          'error',
          'file',
        )
        return
      }
      out.push(
        new ObjReader(
          this.ctx,
          this.doc,
          [...this.path, key, i],
          item as Record<string, unknown>,
          this.object,
        ),
      )
    })
    return out
  }

  /** A map of string to string, such as labels. */
  strMap(key: string): Record<string, string> {
    const v = this.value[key]
    if (v === undefined || v === null) return {}
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.wrong(key, 'map', v)
      return {}
    }
    const out: Record<string, string> = {}
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') {
        out[k] = String(val)
      } else {
        this.report(
          [key, k],
          text(`"${key}.${k}" must be a string`, `“${key}.${k}” 应为字符串`),
          'error',
          'file',
        )
      }
    }
    return out
  }
}
