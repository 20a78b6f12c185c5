/**
 * Which box of the graph a step happens at. A step inside a Pod is drawn at its container when it
 * names one (the process sends or receives), else at the Pod's device, else at the Pod; a step on
 * a node at the device, else at the component running there, else at the node; a step outside
 * every node at its component. When the most precise box is not on the graph, the next broader
 * one is used, so every step that names a node or Pod lands somewhere.
 */
import type { Location } from '../../model/trace.ts'
import {
  containerId,
  deviceId,
  nodeComponentId,
  nodeId,
  outsideId,
  podId,
  UNDERLAY_ID,
  type GraphLayout,
} from './layout.ts'

/**
 * Components the engine names at steps no other component claims: the Linux kernel of a node or
 * Pod namespace, and the application process in a container. They have no box of their own: such
 * a step is drawn where its device, container, Pod or node is.
 */
export const STACK_COMPONENTS: ReadonlySet<string> = new Set(['kernel', 'app'])

/** The ids of a layout's boxes, for lookups. */
export function boxIds(layout: GraphLayout): Set<string> {
  return new Set(layout.boxes.map((b) => b.id))
}

export function locate(at: Location, ids: ReadonlySet<string>): string | null {
  const candidates: string[] = []
  const component = at.component && !STACK_COMPONENTS.has(at.component) ? at.component : null
  if (at.pod) {
    if (at.container) candidates.push(containerId(at.pod, at.container))
    if (at.device) candidates.push(deviceId(at.pod, at.device))
    // A hostNetwork Pod has no devices of its own: they are its node's.
    if (at.device && at.node) candidates.push(deviceId(at.node, at.device))
    candidates.push(podId(at.pod))
  }
  if (at.node) {
    if (at.device) candidates.push(deviceId(at.node, at.device))
    if (component) candidates.push(nodeComponentId(at.node, component))
    candidates.push(nodeId(at.node))
  }
  if (component) candidates.push(component === 'underlay' ? UNDERLAY_ID : outsideId(component))
  return candidates.find((id) => ids.has(id)) ?? null
}
