/**
 * The PodPath command line, over the same engine as the app:
 *   podpath trace FILE [--traffic NAME] [--seed N] [--connection K] [--format json|text] [--lang en|zh-CN]
 *   podpath tables FILE (--node NAME | --pod NAMESPACE/NAME) [--after TRAFFIC [--seed N] [--connection K]]
 *   podpath check FILE
 *   podpath handout FILE [--traffic NAME] [--seed N] [--connection K] [--lang en|zh-CN]
 *   podpath lab FILE [--traffic T] [--seed N] [--dry-run] [--prefix P] (src/cli/lab.ts)
 * Every command takes --cni CHOICE and --proxy-mode MODE: the app's switches, applied by the
 * engine to the parsed Cluster, so a switched lesson gives the same trace here as in the page.
 * Exit status: 0 on success, 1 for a scenario error, 2 for a usage error.
 */
import { formatDiagnostic } from '../model/diagnostic.ts'
import type { Lang } from '../model/text.ts'
import { traceJson } from '../model/trace.ts'
import { MAX_CONNECTIONS, trace, traceSession, type TraceOptions } from '../sim/trace.ts'
import { nodeTables, podTables, type AfterTraffic } from '../sim/print/tables.ts'
import { loadScenarioFile } from './load.ts'
import { CNI_CHOICES, isCniChoice, isProxyMode, PROXY_MODES } from '../model/overrides.ts'
import { traceToText } from './text-format.ts'
import { handoutMarkdown } from './handout.ts'
import { basename } from 'node:path'
import { LESSONS } from '../lessons/catalog.ts'
import { LAB_USAGE, runLab } from './lab.ts'

const USAGE = `usage:
  podpath trace FILE [--traffic NAME] [--seed N] [--connection K] [--format json|text] [--lang en|zh-CN]
  podpath tables FILE (--node NAME | --pod NAMESPACE/NAME) [--after TRAFFIC [--seed N] [--connection K]]
    --connection K: the k-th connection of a session (1-${MAX_CONNECTIONS}); the earlier ones stay open
    --after TRAFFIC: the tables as that traffic leaves them (adds conntrack -L, IPVS counts,
      and the ARP and bridge entries it learnt)
  podpath check FILE
  podpath handout FILE [--traffic NAME] [--seed N] [--connection K] [--lang en|zh-CN]
    the request as a Markdown handout: every step's narration, changed headers and deciding rules
${LAB_USAGE}
  every command: [--cni ${CNI_CHOICES.join('|')}] [--proxy-mode ${PROXY_MODES.join('|')}]
    the file's CNI or kube-proxy mode switched, as the app's lesson switches do`

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
  if (argv[0] === 'lab') return runLab(argv.slice(1), io)
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(`${args}\n${USAGE}\n`)
    return 2
  }
  const [command, file] = args.positional
  const lang: Lang = args.flags.get('lang') === 'zh-CN' ? 'zh-CN' : 'en'
  if (!command || !file || !['trace', 'tables', 'check', 'handout'].includes(command)) {
    io.err(`${USAGE}\n`)
    return 2
  }
  const cni = args.flags.get('cni')
  const proxyMode = args.flags.get('proxy-mode')
  if (cni !== undefined && !isCniChoice(cni)) {
    io.err(`--cni must be one of ${CNI_CHOICES.join(', ')}\n`)
    return 2
  }
  if (proxyMode !== undefined && !isProxyMode(proxyMode)) {
    io.err(`--proxy-mode must be one of ${PROXY_MODES.join(', ')}\n`)
    return 2
  }
  const loaded = loadScenarioFile(file, { cni, proxyMode })
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
  const traffic = loaded.scenario!.traffic
  const findTraffic = (name: string | undefined) => {
    const t = name ? traffic.find((x) => x.name === name) : traffic[0]
    if (!t) {
      io.err(
        name
          ? `no Traffic "${name}" (traffic: ${traffic.map((x) => x.name).join(', ')})\n`
          : `${file} has no Traffic document\n`,
      )
    }
    return t
  }
  /** --seed and --connection, or the exit status of a usage error. */
  const sessionOptions = (): TraceOptions | 2 => {
    const seedText = args.flags.get('seed') ?? '1'
    if (!/^\d{1,10}$/.test(seedText) || Number(seedText) > 0xffffffff) {
      io.err(`--seed must be a whole number from 0 to 4294967295\n`)
      return 2
    }
    const connText = args.flags.get('connection') ?? '1'
    if (!/^\d{1,3}$/.test(connText) || Number(connText) < 1 || Number(connText) > MAX_CONNECTIONS) {
      io.err(`--connection must be a whole number from 1 to ${MAX_CONNECTIONS}\n`)
      return 2
    }
    return { seed: Number(seedText), connection: Number(connText) }
  }
  if (command === 'tables') {
    const node = args.flags.get('node')
    const pod = args.flags.get('pod')
    if (!node && !pod) {
      io.err(`tables needs --node NAME or --pod NAMESPACE/NAME\n${USAGE}\n`)
      return 2
    }
    let after: AfterTraffic | null = null
    const afterName = args.flags.get('after')
    if (afterName !== undefined) {
      const t = findTraffic(afterName)
      if (!t) return 1
      const opts = sessionOptions()
      if (typeof opts === 'number') return opts
      after = traceSession(cluster, t, opts).state
    }
    const out = node
      ? nodeTables(cluster, node, after)
      : podTables(cluster, pod!.includes('/') ? pod! : `default/${pod}`, after)
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
  const t = findTraffic(args.flags.get('traffic'))
  if (!t) return 1
  const opts = sessionOptions()
  if (typeof opts === 'number') return opts
  if (command === 'handout') {
    // A built-in lesson's file is titled as the lesson; any other as its cluster.
    const lesson = LESSONS.find((l) => l.file === basename(file))
    const result = trace(cluster, t, opts)
    io.out(
      handoutMarkdown(
        result,
        lesson
          ? { title: lesson.title[lang], summary: lesson.summary[lang] }
          : { title: cluster.decl.name, summary: null },
        lang,
      ),
    )
    return result.outcome === 'error' ? 1 : 0
  }
  const format = args.flags.get('format') ?? 'json'
  if (format !== 'json' && format !== 'text') {
    io.err(`--format must be json or text\n`)
    return 2
  }
  const result = trace(cluster, t, opts)
  io.out(format === 'json' ? traceJson(result) : traceToText(result, lang))
  return result.outcome === 'error' ? 1 : 0
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isMain) {
  // `podpath trace ... | head`: the reader has what it wanted and closed the pipe; stop quietly
  // rather than crash on the write that follows.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0)
    throw e
  })
  process.exitCode = run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  })
}
