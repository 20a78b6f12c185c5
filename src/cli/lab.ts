/**
 * `podpath lab FILE [--traffic T] [--seed N] [--dry-run] [--prefix P]`: prints the lab script of
 * a scenario (see src/sim/lab), or with --dry-run the commands it would run to build it.
 */
import { formatDiagnostic } from '../model/diagnostic.ts'
import { checkPrefix, DEFAULT_PREFIX } from '../sim/lab/lab-names.ts'
import { scenarioLab, scenarioLabCommands } from '../sim/lab/lab.ts'
import { CNI_CHOICES, isCniChoice, isProxyMode, PROXY_MODES } from '../model/overrides.ts'
import { loadScenarioFile } from './load.ts'

export const LAB_USAGE = `  podpath lab FILE [--traffic NAME] [--seed N] [--dry-run] [--prefix P]
    prints a bash script that builds the scenario in network namespaces (run it as root) and
    checks the kernel against PodPath; --dry-run prints the commands only; --prefix names its
    namespaces (default ${DEFAULT_PREFIX})`

interface Io {
  out(s: string): void
  err(s: string): void
}

export function runLab(argv: string[], io: Io): number {
  const positional: string[] = []
  const flags = new Map<string, string>()
  let dryRun = false
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--dry-run') dryRun = true
    else if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2)
      const v = inline ?? argv[++i]
      if (v === undefined) {
        io.err(`--${k} needs a value\n${LAB_USAGE}\n`)
        return 2
      }
      flags.set(k!, v)
    } else positional.push(a)
  }
  const file = positional[0]
  const unknown = [...flags.keys()].find(
    (k) => !['traffic', 'seed', 'prefix', 'cni', 'proxy-mode'].includes(k),
  )
  if (!file || positional.length > 1 || unknown) {
    io.err(`${unknown ? `unknown option --${unknown}\n` : ''}usage:\n${LAB_USAGE}\n`)
    return 2
  }
  const prefix = flags.get('prefix') ?? DEFAULT_PREFIX
  const bad = checkPrefix(prefix)
  if (bad) {
    io.err(`--prefix: ${bad}\n`)
    return 2
  }
  const seedText = flags.get('seed') ?? '1'
  if (!/^\d{1,10}$/.test(seedText) || Number(seedText) > 0xffffffff) {
    io.err(`--seed must be a whole number from 0 to 4294967295\n`)
    return 2
  }
  const cni = flags.get('cni')
  const proxyMode = flags.get('proxy-mode')
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
  if (errors.length > 0 || !loaded.cluster || !loaded.scenario) {
    for (const d of errors) io.err(`${formatDiagnostic(d, 'en')}\n`)
    return 1
  }
  const all = loaded.scenario.traffic
  const name = flags.get('traffic')
  const traffic = name ? all.filter((t) => t.name === name) : all
  if (traffic.length === 0) {
    io.err(
      name
        ? `no Traffic "${name}" (traffic: ${all.map((x) => x.name).join(', ')})\n`
        : `${file} has no Traffic document\n`,
    )
    return 1
  }
  const req = { traffic, seed: Number(seedText), prefix, source: file }
  io.out(
    dryRun ? scenarioLabCommands(loaded.cluster, req) : scenarioLab(loaded.cluster, req).script,
  )
  return 0
}
