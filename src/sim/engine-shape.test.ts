/**
 * The engine keeps the kernel's shape (README.md, "Hooks"): the walk runs hook points and never
 * asks which data plane is loaded, and no file of src/sim imports itself back through others.
 * Both are read from the source with the TypeScript compiler, so comments never count.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SIM = dirname(fileURLToPath(import.meta.url))

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourcesUnder(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  )
}

/** Every relative import and export-from of each file (type-only ones too), as absolute paths. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files)
  return new Map(
    files.map((f) => {
      const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, true)
      const deps = info.importedFiles
        .map((i) => i.fileName)
        .filter((n) => n.startsWith('.'))
        .map((n) => resolve(dirname(f), n))
        .filter((p) => known.has(p))
      return [f, deps]
    }),
  )
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const scc: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      scc.push(w)
    } while (w !== v)
    if (scc.length > 1 || graph.get(v)?.includes(v)) found.push(scc.sort())
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

/** kube-proxy's modes and the CNI plugins (and their backends) by the names the scenario uses. */
const DATA_PLANE_NAMES = [
  'iptables',
  'ipvs',
  'nftables',
  'userspace',
  'flannel',
  'calico',
  'aws-vpc-cni',
  'kindnet',
  'canal',
  'cilium',
  'host-gw',
  'bgp',
]
/** The same names as they would appear inside an identifier (`ipvsLedger`, `awsVpc`, `isCalico`). */
const IDENTIFIER_WORDS = [
  'iptables',
  'ipvs',
  'nftables',
  'nft',
  'userspace',
  'flannel',
  'calico',
  'awsvpc',
  'kindnet',
  'canal',
  'cilium',
]
/** Where the scenario says which data plane runs: `decl.kubeProxy.mode`, `decl.cni.plugin`. */
const SELECTORS = ['kubeProxy', 'cni', 'plugin']

/**
 * Where code (not comments) names a data plane: a string that is a mode or plugin name, an
 * identifier holding one, or a read of the setting that selects one. 'bridge', 'vxlan' and
 * 'ipip' are Linux device kinds the walk must know, so only the selector reads catch a check of
 * the bridge plugin (`cni.plugin === 'bridge'`).
 */
export function dataPlaneNamesIn(source: string): string[] {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true)
  const hits: string[] = []
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1
  const visit = (n: ts.Node) => {
    if (
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n)
    ) {
      if (DATA_PLANE_NAMES.includes(n.text.trim().toLowerCase()))
        hits.push(`${line(n)}: '${n.text}'`)
    } else if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) {
      const name = n.text.replace(/^#/, '')
      const lower = name.toLowerCase()
      if (SELECTORS.includes(name) || IDENTIFIER_WORDS.some((w) => lower.includes(w)))
        hits.push(`${line(n)}: ${name}`)
    }
    ts.forEachChild(n, visit)
  }
  visit(sf)
  return hits
}

describe('the import graph of src/sim', () => {
  it('finds a planted cycle, so that an empty answer means something', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
    ])
    expect(cycles(g)).toEqual([['a', 'b', 'c'], ['e']])
  })

  it('has no cycle, type-only imports included: data planes import the walk, never the reverse', () => {
    const graph = importGraph(sourcesUnder(SIM))
    expect(graph.size).toBeGreaterThan(100)
    const rel = cycles(graph).map((c) => c.map((f) => relative(SIM, f)))
    expect(rel).toEqual([])
  })
})

describe('the packet walk (src/sim/walk) names no data plane', () => {
  it('catches a planted mode check, and reads past comments', () => {
    const planted = [
      '// iptables, ipvs and nftables: a comment may name them',
      "if (w.state.cluster.decl.kubeProxy.mode === 'nftables') run()",
      "const vpc = c.decl.cni.plugin === 'bridge'",
      'const ipvsLedger = `${x}`',
      "const kind = link.kind === 'bridge' ? 'vxlan' : 'ipip'",
    ].join('\n')
    expect(dataPlaneNamesIn(planted)).toEqual([
      '2: kubeProxy',
      "2: 'nftables'",
      '3: cni',
      '3: plugin',
      '4: ipvsLedger',
    ])
  })

  it('has none of them in its code: the data planes register at its hooks instead', () => {
    const dir = join(SIM, 'walk')
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    expect(files).toContain('walker.ts')
    const found = files.flatMap((f) =>
      dataPlaneNamesIn(readFileSync(join(dir, f), 'utf8')).map((h) => `walk/${f}:${h}`),
    )
    expect(found).toEqual([])
  })
})
