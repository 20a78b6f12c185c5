/**
 * The lab of a scenario: every traffic traced with its seed, then the script that runs it for
 * real (lab-script.ts). The one entry point for the command line and the app's worker.
 */
import type { TrafficDecl } from '../../model/scenario.ts'
import type { Trace } from '../../model/trace.ts'
import type { Cluster } from '../cluster.ts'
import type { Text } from '../../model/text.ts'
import { traceSession } from '../trace.ts'
import type { LabRun } from './expect.ts'
import { DEFAULT_PREFIX } from './lab-names.ts'
import { labCommands, labPackages, labPlan, labScript } from './lab-script.ts'

export interface LabRequest {
  /** The traffic to run (all of the scenario's when empty). */
  traffic: TrafficDecl[]
  seed: number
  prefix?: string
  /** The scenario's file name, for the script's header and its own name. */
  source: string
}

export interface Lab {
  /** The bash script. */
  script: string
  /** `<scenario>-lab.sh` */
  filename: string
  /** What to install first (Debian and Ubuntu package names). */
  packages: string[]
  traces: Trace[]
  /** Per traffic: runs where the kernel allows it, or never runs, and why. */
  traffic: { name: string; needs: string[]; never: Text | null }[]
  namespaces: number
}

export function scenarioLab(c: Cluster, req: LabRequest): Lab {
  const prefix = req.prefix ?? DEFAULT_PREFIX
  const runs = labRuns(c, req)
  const traces = runs.map((r) => r.trace)
  const plan = labPlan(c, runs, prefix)
  const base = req.source.replace(/.*\//, '').replace(/\.ya?ml$/, '')
  return {
    script: labScript(c, runs, { prefix, source: req.source }),
    filename: `${base}-lab.sh`,
    packages: labPackages(c, plan),
    traces,
    traffic: plan.runnable.map((r) => ({ name: r.exp.traffic, needs: r.needs, never: r.never })),
    namespaces: plan.topo.namespaces.length,
  }
}

/** `--dry-run`: the commands that build the cluster, without running anything. */
export function scenarioLabCommands(c: Cluster, req: LabRequest): string {
  const prefix = req.prefix ?? DEFAULT_PREFIX
  return labCommands(c, labRuns(c, req), { prefix, source: req.source })
}

/** Each traffic traced from a fresh kernel, with the conntrack entries it leaves behind. */
function labRuns(c: Cluster, req: LabRequest): LabRun[] {
  return req.traffic.map((t) => {
    const s = traceSession(c, t, { seed: req.seed })
    return { trace: s.trace, conntrack: s.state.conntrack }
  })
}
