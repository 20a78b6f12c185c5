/**
 * Where a packet can be, as the graph draws it: one place per box (a container, a Pod's or a
 * node's device, a component on a node, a component outside the nodes, the underlay). A step's
 * location is reduced to its place the way src/ui/graph/locate.ts picks a box: the most precise
 * box that exists, then the next broader one. The quiz asks "where next?" in places, so that
 * every choice is one box a learner can point at, and no two choices are the same box.
 */
import type { Location, Trace } from '../../model/trace.ts'
import { text, type Text } from '../../model/text.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'

/** A place: its key (unique per box) and the location that names exactly that box. */
export interface Place {
  key: string
  at: Location
  /** The node it is on, or null outside every node. */
  node: string | null
  kind: 'container' | 'pod-device' | 'pod' | 'device' | 'component' | 'node' | 'outside'
}

/** The kernel and the application process act at steps but have no box of their own. */
const STACK_COMPONENTS = new Set(['kernel', 'app'])

const EMPTY: Location = {
  node: null,
  pod: null,
  container: null,
  device: null,
  component: null,
  hook: null,
}

/** Every place of a cluster the graph draws for this trace. */
export class PlaceIndex {
  private readonly places = new Map<string, Place>()
  private readonly podNode = new Map<string, string>()

  constructor(cluster: ClusterSummary, trace: Trace) {
    for (const n of cluster.nodes) {
      this.add({
        key: `node:${n.name}`,
        at: { ...EMPTY, node: n.name },
        node: n.name,
        kind: 'node',
      })
      for (const d of n.devices)
        this.add({
          key: `dev:${n.name}:${d.name}`,
          at: { ...EMPTY, node: n.name, device: d.name },
          node: n.name,
          kind: 'device',
        })
    }
    for (const p of cluster.pods) {
      const pod = `${p.namespace}/${p.name}`
      this.podNode.set(pod, p.node)
      this.add({
        key: `pod:${pod}`,
        at: { ...EMPTY, node: p.node, pod },
        node: p.node,
        kind: 'pod',
      })
      for (const c of p.containers)
        this.add({
          key: `ctr:${pod}:${c.name}`,
          at: { ...EMPTY, node: p.node, pod, container: c.name },
          node: p.node,
          kind: 'container',
        })
      // A hostNetwork Pod has no devices of its own: they are its node's.
      if (!p.hostNetwork)
        for (const device of ['eth0', 'lo'])
          this.add({
            key: `dev:${pod}:${device}`,
            at: { ...EMPTY, node: p.node, pod, device },
            node: p.node,
            kind: 'pod-device',
          })
    }
    this.add({
      key: 'underlay',
      at: { ...EMPTY, component: 'underlay' },
      node: null,
      kind: 'outside',
    })
    // Components are drawn where the trace meets them (src/ui/graph/extras.ts).
    for (const { at } of trace.steps) {
      if (!at.component || at.pod || at.device || STACK_COMPONENTS.has(at.component)) continue
      if (at.node)
        this.add({
          key: `comp:${at.node}:${at.component}`,
          at: { ...EMPTY, node: at.node, component: at.component },
          node: at.node,
          kind: 'component',
        })
      else if (at.component !== 'underlay')
        this.add({
          key: `comp:${at.component}`,
          at: { ...EMPTY, component: at.component },
          node: null,
          kind: 'outside',
        })
    }
  }

  private add(p: Place): void {
    if (!this.places.has(p.key)) this.places.set(p.key, p)
  }

  all(): Place[] {
    return [...this.places.values()]
  }

  /** The place a step happens at, by locate.ts's order of precedence; null if none is drawn. */
  of(at: Location): Place | null {
    const keys: string[] = []
    const component = at.component && !STACK_COMPONENTS.has(at.component) ? at.component : null
    if (at.pod) {
      if (at.container) keys.push(`ctr:${at.pod}:${at.container}`)
      if (at.device) keys.push(`dev:${at.pod}:${at.device}`)
      if (at.device && at.node) keys.push(`dev:${at.node}:${at.device}`)
      keys.push(`pod:${at.pod}`)
    }
    if (at.node) {
      if (at.device) keys.push(`dev:${at.node}:${at.device}`)
      if (component) keys.push(`comp:${at.node}:${component}`)
      keys.push(`node:${at.node}`)
    }
    if (component) keys.push(component === 'underlay' ? 'underlay' : `comp:${component}`)
    for (const k of keys) {
      const p = this.places.get(k)
      if (p) return p
    }
    return null
  }
}

/** Components outside the nodes, named for a learner. */
const OUTSIDE_NAMES: Record<string, Text> = {
  underlay: text('the node network (underlay)', '节点网络（underlay）'),
  internet: text('the Internet', '互联网'),
  'cloud-lb': text('the cloud load balancer', '云负载均衡器'),
  'public-dns': text('the public DNS resolver', '公共 DNS 解析器'),
  vpc: text('the VPC network', 'VPC 网络'),
}

export function placeLabel(p: Place): Text {
  const { at } = p
  switch (p.kind) {
    case 'container':
      return text(
        `container "${at.container}" of Pod ${at.pod}`,
        `Pod ${at.pod} 的容器 "${at.container}"`,
      )
    case 'pod-device':
      return text(`${at.device} in Pod ${at.pod}`, `Pod ${at.pod} 中的 ${at.device}`)
    case 'pod':
      return text(`Pod ${at.pod}`, `Pod ${at.pod}`)
    case 'device':
      return text(`${at.device} on ${at.node}`, `${at.node} 上的 ${at.device}`)
    case 'component':
      return text(`${at.component} on ${at.node}`, `${at.node} 上的 ${at.component}`)
    case 'node':
      return text(`node ${at.node}`, `节点 ${at.node}`)
    case 'outside':
      return OUTSIDE_NAMES[at.component!] ?? text(at.component!, at.component!)
  }
}
