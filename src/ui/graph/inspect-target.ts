/**
 * Which network namespace a box of the graph opens (layout.ts names the boxes): a node and what
 * runs on it open the node's host namespace, a Pod and its parts the Pod's. Services, L7 objects,
 * the underlay and what is outside every node have no namespace of their own to print.
 */
import type { InspectTarget } from '../../sim/protocol.ts'

export function inspectTarget(boxId: string): InspectTarget | null {
  const [kind, ...rest] = boxId.split(':')
  const tail = rest.join(':')
  switch (kind) {
    case 'node':
      return tail ? { node: tail } : null
    case 'pod':
    case 'netns':
      return tail.includes('/') ? { pod: tail } : null
    case 'ctr': {
      // ctr:namespace/name:container
      const pod = tail.slice(0, tail.lastIndexOf(':'))
      return pod.includes('/') ? { pod } : null
    }
    case 'dev': {
      // dev:namespace/pod:eth0 in a Pod, dev:node:cni0 on a node.
      const owner = tail.slice(0, tail.lastIndexOf(':'))
      if (!owner) return null
      return owner.includes('/') ? { pod: owner } : { node: owner }
    }
    case 'comp':
      // comp:node:kube-proxy runs on a node; comp:internet is outside every node.
      return rest.length >= 2 ? { node: rest[0]! } : null
    default:
      return null
  }
}
