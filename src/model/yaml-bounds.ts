/**
 * What a scenario's YAML may grow to: a bound on its text, on how deep it nests and on what it
 * expands to once aliases are resolved. The `yaml` library recurses once per nesting level
 * (a few hundred `[` overflow the call stack) and hands out one shared value per alias (900
 * Services aliasing one 5,000-port list become 4.5 million ports for the engine). Kubernetes'
 * own decoder has bounds of the same kinds: go-yaml stops at "exceeded max depth of 10000"
 * (scannerc.go max_flow_level, max_indents) and at "document contains excessive aliasing"
 * (decode.go allowedAliasRatio). PodPath's are lower, because it runs in a browser tab.
 */
import { text, type Text } from './text.ts'
import {
  Composer,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  type CST,
  type Document,
  type LineCounter,
  type Node,
} from 'yaml'
import { MAX_SOURCE_CHARS } from './source-limit.ts'

export { MAX_SOURCE_CHARS }

/** Collections (maps and lists) nested inside one another: manifests stay under 20, a CRD's schema under 60. */
export const MAX_DEPTH = 128
/** YAML nodes (maps, lists, scalars) in the whole file once every alias is replaced by what it names. */
export const MAX_NODES = 500_000
/** Characters of scalar text in the whole file once every alias is replaced by what it names. */
export const MAX_SCALAR_CHARS = MAX_SOURCE_CHARS

/** The stream read into documents, with the CST they were composed from (for error positions). */
export interface Stream {
  docs: Document.Parsed[]
  tokens: CST.Token[]
  /** Errors outside any document (a stream with no document keeps them here). */
  streamErrors: { code: string; pos: [number, number]; message: string }[]
}

/** Where a nesting bound was passed: the offset of the token that opened one level too many. */
export interface TooDeep {
  tooDeep: number
}

/**
 * parseAllDocuments, in its two stages, with the depth checked between them: the CST parser
 * keeps its own stack (no recursion), so its depth is watched token by token and the composer,
 * which recurses, never sees a stream nested deeper than MAX_DEPTH.
 */
export function parseStream(
  source: string,
  lines: LineCounter,
  options: { uniqueKeys: boolean },
): Stream | TooDeep {
  const parser = new Parser(lines.addNewLine)
  lines.addNewLine(0)
  const tokens: CST.Token[] = []
  for (const lexeme of new Lexer().lex(source)) {
    const at = parser.offset
    for (const t of parser.next(lexeme)) tokens.push(t)
    if (openCollections(parser.stack) > MAX_DEPTH) return { tooDeep: at }
  }
  for (const t of parser.end()) tokens.push(t)
  const composer = new Composer({ ...options, logLevel: 'error' })
  const docs = Array.from(composer.compose(tokens))
  const streamErrors = composer.streamInfo().errors.map((e) => ({
    code: e.code as string,
    pos: e.pos,
    message: e.message,
  }))
  return { docs, tokens, streamErrors }
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection'])

/** The parser's stack: the document, the collections open around the current token, then at most one scalar. */
function openCollections(stack: readonly CST.Token[]): number {
  const top = stack[stack.length - 1]
  return stack.length - 1 - (top && !COLLECTIONS.has(top.type) && top.type !== 'document' ? 1 : 0)
}

/** What one node stands for once aliases are resolved. */
interface Size {
  nodes: number
  chars: number
  /** Collections on the longest path down from this node, itself included (0 for a scalar). */
  height: number
}

export type ExpansionProblem =
  | { kind: 'nodes' | 'chars'; at: Node; alias: string | null; anchorAt: Node | null }
  | { kind: 'depth'; at: Node; alias: string; anchorAt: Node }
  | { kind: 'cycle'; at: Node; alias: string }
  | { kind: 'unresolved'; at: Node; alias: string }

class Refused {
  constructor(readonly problem: ExpansionProblem) {}
}

/**
 * Counts what the file's documents expand to, in document order, with every alias counted as
 * the node it names (the last anchor of that name before it, as YAML resolves it). Stops at the
 * first node that takes the file past a bound, an alias inside the node it names (a cycle) or an
 * alias with no anchor. Recursion follows the written nesting, which parseStream bounded.
 */
export class ExpansionCounter {
  private nodes = 0
  private chars = 0

  constructor(
    private readonly bounds = { nodes: MAX_NODES, chars: MAX_SCALAR_CHARS, depth: MAX_DEPTH },
  ) {}

  /** Null when the document stays within every bound (counted together with those before it). */
  count(doc: Document.Parsed): ExpansionProblem | null {
    const anchors = new Map<string, Node>()
    const sizes = new Map<Node, Size>()
    try {
      if (isNode(doc.contents)) this.visit(doc.contents, 0, anchors, sizes)
      return null
    } catch (e) {
      if (e instanceof Refused) return e.problem
      throw e
    }
  }

  private add(at: Node, s: Size, alias: string | null, anchorAt: Node | null): void {
    this.nodes += s.nodes
    this.chars += s.chars
    if (this.nodes > this.bounds.nodes) throw new Refused({ kind: 'nodes', at, alias, anchorAt })
    if (this.chars > this.bounds.chars) throw new Refused({ kind: 'chars', at, alias, anchorAt })
  }

  private visit(
    node: Node,
    depth: number,
    anchors: Map<string, Node>,
    sizes: Map<Node, Size>,
  ): Size {
    if (isAlias(node)) {
      const target = anchors.get(node.source)
      if (!target) throw new Refused({ kind: 'unresolved', at: node, alias: node.source })
      const s = sizes.get(target)
      // Not counted yet: the anchor is still open, so the alias lies inside what it names.
      if (!s) throw new Refused({ kind: 'cycle', at: node, alias: node.source })
      // `depth` collections hold the alias; what it names nests s.height more.
      if (depth + s.height > this.bounds.depth)
        throw new Refused({ kind: 'depth', at: node, alias: node.source, anchorAt: target })
      this.add(node, s, node.source, target)
      return s
    }
    if (node.anchor) anchors.set(node.anchor, node)
    const own = isScalar(node) && typeof node.value === 'string' ? node.value.length : 0
    const collection = isMap(node) || isSeq(node)
    this.add(node, { nodes: 1, chars: own, height: 0 }, null, null)
    const size: Size = { nodes: 1, chars: own, height: collection ? 1 : 0 }
    const child = (n: unknown) => {
      if (!isNode(n)) return
      const s = this.visit(n, depth + 1, anchors, sizes)
      size.nodes += s.nodes
      size.chars += s.chars
      size.height = Math.max(size.height, s.height + 1)
    }
    if (collection) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          child(item.key)
          child(item.value)
        } else child(item)
      }
    }
    if (node.anchor) sizes.set(node, size)
    return size
  }
}

/** What a problem the counter found says to the learner, with the anchor's line where it has one. */
export function describeExpansion(p: ExpansionProblem, lines: LineCounter): Text {
  const at = (n: Node | null) => {
    const pos = lines.linePos(n?.range?.[0] ?? 0)
    return `${pos.line}:${pos.col}`
  }
  switch (p.kind) {
    case 'unresolved':
      return text(
        `alias *${p.alias} names no anchor &${p.alias} before it`,
        `别名 *${p.alias} 之前没有名为 &${p.alias} 的锚点`,
      )
    case 'cycle':
      return text(
        `alias *${p.alias} lies inside the node its anchor &${p.alias} names, so it would contain itself`,
        `别名 *${p.alias} 位于锚点 &${p.alias} 所标记的节点之内，会包含它自己`,
      )
    case 'depth':
      return text(
        `alias *${p.alias} (anchor at ${at(p.anchorAt)}) nests what it names here more than ${MAX_DEPTH} levels deep; PodPath reads no deeper`,
        `别名 *${p.alias}（锚点在 ${at(p.anchorAt)}）在这里展开后嵌套超过 ${MAX_DEPTH} 层；PodPath 不读取更深的嵌套`,
      )
    case 'nodes':
    case 'chars': {
      const [en, zh] =
        p.kind === 'nodes'
          ? [`${MAX_NODES.toLocaleString('en')} YAML nodes`, `${MAX_NODES} 个 YAML 节点`]
          : [`${MAX_SCALAR_CHARS / 2 ** 20} MB of text`, `${MAX_SCALAR_CHARS / 2 ** 20} MB 的文本`]
      return p.alias !== null
        ? text(
            `alias *${p.alias} (anchor at ${at(p.anchorAt)}) takes the file past ${en} once aliases are replaced by what they name, more than PodPath reads: an anchor reused this often multiplies the file (an "alias bomb")`,
            `别名 *${p.alias}（锚点在 ${at(p.anchorAt)}）使文件在别名展开后超过 ${zh}，超出 PodPath 能读取的范围：如此频繁地复用锚点会成倍放大文件（“别名炸弹”）`,
          )
        : text(
            `the file holds more than ${en} by here, more than PodPath reads`,
            `文件到这里已超过 ${zh}，超出 PodPath 能读取的范围`,
          )
    }
  }
}
