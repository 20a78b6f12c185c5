/**
 * Pods: controller replicas named as the controllers name them, placed on nodes in order,
 * and checked against the nodes that exist.
 */
import type { PodDecl, Scenario } from '../../model/scenario.ts'
import { text } from '../../model/text.ts'
import { nameSuffix } from '../../model/k8s-names.ts'
import { report, type BuildContext } from './context.ts'

export interface PlacedPod {
  decl: PodDecl
  name: string
  node: string
}

/**
 * Names follow the controllers: Deployment `web-<pod-template-hash>-<5>`, ReplicaSet and
 * DaemonSet `name-<5>`, StatefulSet `name-<ordinal>` (kubernetes pkg/controller).
 */
function podName(d: PodDecl, node: string | null): string {
  if (d.name !== null) return d.name
  const o = d.owner!
  const key = `${d.namespace}/${o.kind}/${o.name}/${d.ordinal}/${node ?? ''}`
  switch (o.kind) {
    case 'StatefulSet':
      return `${o.name}-${d.ordinal}`
    case 'Deployment':
      return `${o.name}-${d.templateHash}-${nameSuffix(key)}`
    default:
      return `${o.name}-${nameSuffix(key)}`
  }
}

export function placePods(ctx: BuildContext, s: Scenario): PlacedPod[] {
  const nodeNames = ctx.nodes.map((n) => n.name)
  const exists = new Set(nodeNames)
  const out: PlacedPod[] = []
  const seen = new Set<string>()
  let cursor = 0
  const add = (decl: PodDecl, node: string) => {
    const name = podName(decl, decl.owner?.kind === 'DaemonSet' ? node : null)
    const key = `${decl.namespace}/${name}`
    if (seen.has(key)) {
      report(ctx, decl.where, text(`Pod ${key} is declared twice`, `Pod ${key} 被声明了两次`))
      return
    }
    seen.add(key)
    out.push({ decl, name, node })
  }
  for (const d of s.pods) {
    if (d.owner?.kind === 'DaemonSet') {
      for (const n of nodeNames) add(d, n)
      continue
    }
    if (d.nodeName !== null) {
      if (!exists.has(d.nodeName)) {
        report(
          ctx,
          d.nodeNameWhere ?? d.where,
          text(
            `spec.nodeName "${d.nodeName}" names a node that does not exist (nodes: ${nodeNames.join(', ')})`,
            `spec.nodeName “${d.nodeName}” 指向的节点不存在（现有节点：${nodeNames.join('、')}）`,
          ),
        )
        continue
      }
      add(d, d.nodeName)
      continue
    }
    if (nodeNames.length === 0) continue
    // The scheduler's spreading, made predictable: replicas go round the nodes in order.
    add(d, nodeNames[cursor++ % nodeNames.length]!)
  }
  return out
}
