/**
 * The PodPath command line, over the same engine as the app:
 *   podpath trace FILE [--traffic NAME] [--seed N] [--format json|text] [--lang en|zh-CN]
 *   podpath tables FILE (--node NAME | --pod NAMESPACE/NAME)
 *   podpath check FILE
 * Exit status: 0 on success, 1 for a scenario error, 2 for a usage error.
 */
import { formatDiagnostic } from '../model/diagnostic.ts'
import type { Lang } from '../model/text.ts'
import { traceJson } from '../model/trace.ts'
import { trace } from '../sim/trace.ts'
import { nodeTables, podTables } from '../sim/print/tables.ts'
import { loadScenarioFile } from './load.ts'
import { traceToText } from './text-format.ts'

const USAGE = `usage:
  podpath trace FILE [--traffic NAME] [--seed N] [--format json|text] [--lang en|zh-CN]
  podpath tables FILE (--node NAME | --pod NAMESPACE/NAME)
  podpath check FILE`

export interface Io {
  out(s: string): void
  err(s: string): void
}

function parseArgs(argv: string[]): { positional: string[]; flags: Map<string, string> } | string {
  const positional: string[] = []
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2)
      const v = inline ?? argv[++i]
      if (v === undefined) return `--${k} needs a value`
      flags.set(k!, v)
    } else positional.push(a)
  }
  return { positional, flags }
}

export function run(argv: string[], io: Io): number {
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(`${args}\n${USAGE}\n`)
    return 2
  }
  const [command, file] = args.positional
  const lang: Lang = args.flags.get('lang') === 'zh-CN' ? 'zh-CN' : 'en'
  if (!command || !file || !['trace', 'tables', 'check'].includes(command)) {
    io.err(`${USAGE}\n`)
    return 2
  }
  const loaded = loadScenarioFile(file)
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error')
  if (command === 'check') {
    for (const d of loaded.diagnostics)
      (d.severity === 'error' ? io.err : io.out)(`${formatDiagnostic(d, lang)}\n`)
    if (errors.length > 0) {
      io.err(`${errors.length} error${errors.length === 1 ? '' : 's'}\n`)
      return 1
    }
    const c = loaded.cluster!
    io.out(
      `ok: ${c.nodes.length} nodes, ${c.pods.length} Pods, ${loaded.scenario!.traffic.length} traffic (${c.decl.cni.plugin}${c.decl.cni.backend ? ` ${c.decl.cni.backend}` : ''})\n`,
    )
    return 0
  }
  if (errors.length > 0 || !loaded.cluster) {
    for (const d of errors) io.err(`${formatDiagnostic(d, lang)}\n`)
    return 1
  }
  const cluster = loaded.cluster
  if (command === 'tables') {
    const node = args.flags.get('node')
    const pod = args.flags.get('pod')
    if (!node && !pod) {
      io.err(`tables needs --node NAME or --pod NAMESPACE/NAME\n${USAGE}\n`)
      return 2
    }
    const out = node
      ? nodeTables(cluster, node)
      : podTables(cluster, pod!.includes('/') ? pod! : `default/${pod}`)
    if (out === null) {
      io.err(
        node
          ? `no node "${node}" (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})\n`
          : `no Pod "${pod}"\n`,
      )
      return 1
    }
    io.out(out)
    return 0
  }
  const traffic = loaded.scenario!.traffic
  const name = args.flags.get('traffic')
  const t = name ? traffic.find((x) => x.name === name) : traffic[0]
  if (!t) {
    io.err(
      name
        ? `no Traffic "${name}" (traffic: ${traffic.map((x) => x.name).join(', ')})\n`
        : `${file} has no Traffic document\n`,
    )
    return 1
  }
  const seedText = args.flags.get('seed') ?? '1'
  if (!/^\d{1,10}$/.test(seedText) || Number(seedText) > 0xffffffff) {
    io.err(`--seed must be a whole number from 0 to 4294967295\n`)
    return 2
  }
  const format = args.flags.get('format') ?? 'json'
  if (format !== 'json' && format !== 'text') {
    io.err(`--format must be json or text\n`)
    return 2
  }
  const result = trace(cluster, t, { seed: Number(seedText) })
  io.out(format === 'json' ? traceJson(result) : traceToText(result, lang))
  return result.outcome === 'error' ? 1 : 0
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isMain) {
  process.exitCode = run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  })
}
