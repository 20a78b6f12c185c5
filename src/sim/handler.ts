/**
 * The engine behind the worker protocol, as a pure function of (state, message). The worker
 * adapter and the in-process fallback both call it.
 */
import { parseScenario } from '../model/parse-scenario.ts'
import type { Scenario } from '../model/scenario.ts'
import { applyOverrides, cniChoiceOf } from '../model/overrides.ts'
import { buildCluster } from './assemble/build-cluster.ts'
import type { Cluster } from './cluster.ts'
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from './protocol.ts'
import { inspectAt } from './inspect.ts'
import { summarize } from './summary.ts'
import { trace } from './trace.ts'
import { scenarioLab } from './lab/lab.ts'

export interface EngineState {
  scenario: Scenario | null
  cluster: Cluster | null
}

export function initialState(): EngineState {
  return { scenario: null, cluster: null }
}

export function handle(
  state: EngineState,
  msg: ToWorker,
): { state: EngineState; replies: FromWorker[] } {
  switch (msg.type) {
    case 'hello':
      if (msg.version !== PROTOCOL_VERSION) {
        return {
          state,
          replies: [
            {
              type: 'error',
              requestId: null,
              message: `protocol version ${msg.version} is not ${PROTOCOL_VERSION}`,
            },
          ],
        }
      }
      return { state, replies: [{ type: 'ready', version: PROTOCOL_VERSION }] }
    case 'ping':
      return { state, replies: [{ type: 'pong', seq: msg.seq }] }
    case 'load': {
      const parsed = parseScenario(msg.source, msg.file)
      // The learner's switches (CNI, kube-proxy mode) act on the parsed Cluster, before build.
      const draft = parsed.draft ? applyOverrides(parsed.draft, msg.overrides) : null
      const built = draft ? buildCluster(draft.scenario) : null
      const diagnostics = [
        ...parsed.diagnostics,
        ...(draft?.diagnostics ?? []),
        ...(built?.diagnostics ?? []),
      ]
      if (!parsed.scenario || !built?.cluster) {
        // A file with errors never replaces the scenario that is open.
        return {
          state,
          replies: [
            {
              type: 'loaded',
              requestId: msg.requestId,
              ok: false,
              diagnostics,
              cluster: null,
              traffic: [],
              asWritten: null,
            },
          ],
        }
      }
      const next = { scenario: draft!.scenario, cluster: built.cluster }
      return {
        state: next,
        replies: [
          {
            type: 'loaded',
            requestId: msg.requestId,
            ok: true,
            diagnostics,
            cluster: summarize(built.cluster),
            traffic: next.scenario.traffic.map((t) => t.name),
            asWritten: {
              cni: cniChoiceOf(parsed.scenario.cluster),
              proxyMode: parsed.scenario.cluster.kubeProxy.mode,
            },
          },
        ],
      }
    }
    case 'trace': {
      const t = state.scenario?.traffic.find((x) => x.name === msg.traffic)
      if (!state.cluster || !t) {
        return {
          state,
          replies: [
            {
              type: 'error',
              requestId: msg.requestId,
              message: `no traffic "${msg.traffic}" in the open scenario`,
            },
          ],
        }
      }
      return {
        state,
        replies: [
          {
            type: 'traced',
            requestId: msg.requestId,
            trace: trace(state.cluster, t, { seed: msg.seed, connection: msg.connection ?? 1 }),
          },
        ],
      }
    }
    case 'lab': {
      if (!state.cluster || !state.scenario) {
        return {
          state,
          replies: [{ type: 'error', requestId: msg.requestId, message: 'no scenario is open' }],
        }
      }
      const lab = scenarioLab(state.cluster, {
        traffic: state.scenario.traffic,
        seed: msg.seed,
        source: msg.file,
      })
      return {
        state,
        replies: [
          {
            type: 'lab',
            requestId: msg.requestId,
            lab: {
              script: lab.script,
              filename: lab.filename,
              packages: lab.packages,
              namespaces: lab.namespaces,
              traffic: lab.traffic,
            },
          },
        ],
      }
    }
    case 'inspect': {
      const t = state.scenario?.traffic.find((x) => x.name === msg.traffic)
      if (!state.cluster || !t) {
        return {
          state,
          replies: [
            {
              type: 'error',
              requestId: msg.requestId,
              message: `no traffic "${msg.traffic}" in the open scenario`,
            },
          ],
        }
      }
      const opts = { seed: msg.seed, connection: msg.connection ?? 1 }
      return {
        state,
        replies: [
          {
            type: 'inspected',
            requestId: msg.requestId,
            inspection: inspectAt(state.cluster, t, opts, msg.step, msg.target),
          },
        ],
      }
    }
    default: {
      const never: never = msg
      return {
        state,
        replies: [
          { type: 'error', requestId: null, message: `unknown message ${JSON.stringify(never)}` },
        ],
      }
    }
  }
}
