/** Reading a scenario file from disk into a built cluster, for the command line and tests. */
import { readFileSync } from 'node:fs'
import { parseScenario } from '../model/parse-scenario.ts'
import type { Diagnostic } from '../model/diagnostic.ts'
import type { Scenario } from '../model/scenario.ts'
import { buildCluster } from '../sim/assemble/build-cluster.ts'
import type { Cluster } from '../sim/cluster.ts'
import { text } from '../model/text.ts'
import { applyOverrides, type ClusterOverrides } from '../model/overrides.ts'

export interface Loaded {
  scenario: Scenario | null
  cluster: Cluster | null
  diagnostics: Diagnostic[]
}

export function loadScenarioSource(
  source: string,
  file: string,
  overrides?: ClusterOverrides,
): Loaded {
  const parsed = parseScenario(source, file)
  if (!parsed.draft) return { scenario: null, cluster: null, diagnostics: parsed.diagnostics }
  // Build even a draft with errors, so that one run lists every problem the file has.
  const draft = applyOverrides(parsed.draft, overrides)
  const built = buildCluster(draft.scenario)
  const diagnostics = [...parsed.diagnostics, ...draft.diagnostics, ...built.diagnostics]
  if (!parsed.scenario) return { scenario: null, cluster: null, diagnostics }
  return { scenario: draft.scenario, cluster: built.cluster, diagnostics }
}

export function loadScenarioFile(file: string, overrides?: ClusterOverrides): Loaded {
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch (e) {
    const message =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message
    return {
      scenario: null,
      cluster: null,
      diagnostics: [
        {
          file,
          line: 1,
          col: 1,
          object: '',
          severity: 'error',
          message: text(`cannot read the file: ${message}`, `无法读取文件：${message}`),
        },
      ],
    }
  }
  return loadScenarioSource(source, file, overrides)
}
