/** State shared by the steps that build a cluster, and how they report problems. */
import type { Diagnostic, Where } from '../../model/diagnostic.ts'
import type { ClusterDecl } from '../../model/scenario.ts'
import type { Text } from '../../model/text.ts'
import type { BuiltNode, BuiltPod } from '../cluster.ts'
import type { NetNs } from '../net/netns.ts'
import type { PolicyWorld } from '../policy/verdict.ts'

export interface BuildContext {
  decl: ClusterDecl
  mtu: number
  nodes: BuiltNode[]
  pods: BuiltPod[]
  netns: Map<string, NetNs>
  diagnostics: Diagnostic[]
  /** The NetworkPolicies and Namespace labels, for a data plane that enforces policy. */
  policy: PolicyWorld
}

export function report(
  ctx: BuildContext,
  where: Where,
  message: Text,
  severity: Diagnostic['severity'] = 'error',
): void {
  ctx.diagnostics.push({ ...where, severity, message })
}

export function nsOf(ctx: BuildContext, id: string): NetNs {
  const ns = ctx.netns.get(id)
  if (!ns) throw new Error(`internal: no network namespace ${id}`)
  return ns
}
