/**
 * Where each part of a cluster sits on the graph: a pure function of the cluster summary (and of
 * which outside components and Services the trace needs), so the same lesson always draws the
 * same picture. Nodes are large boxes in a row (a 2-column grid from four nodes on); inside each,
 * its Pods on top, then the host ends of their veth pairs, the bridge, the other host devices and
 * eth0 at the bottom; the underlay network runs under all nodes, outside components under it.
 * Services, which live in no node, sit above the nodes; under them a row of the objects that
 * configure L7 routing (Ingress, Gateway, HTTPRoute), each tied by a dashed `config` link to the
 * Pods that implement it. Those links carry no packet: the packet's route never uses them.
 */
import type {
  ClusterSummary,
  DeviceSummary,
  L7ObjectSummary,
  PodSummary,
  ServiceSummary,
} from '../../sim/protocol.ts'

export type BoxKind =
  'node' | 'pod' | 'netns' | 'container' | 'device' | 'component' | 'service' | 'l7' | 'underlay'

export interface GraphBox {
  id: string
  kind: BoxKind
  /** The box this one is drawn inside (its position is relative to it), or null. */
  parent: string | null
  x: number
  y: number
  /** Position on the canvas. */
  ax: number
  ay: number
  w: number
  h: number
  label: string
  /** Smaller lines under the label: addresses, kinds, ports. */
  detail: string[]
  /** For devices: the Linux link kind (veth, bridge, vxlan, ipip, dummy, ether, loopback). */
  deviceKind?: string
  /** For L7 objects: kind, class or parent, and (HTTPRoute) whether it is attached. */
  l7?: Pick<L7ObjectSummary, 'kind' | 'owner' | 'accepted' | 'reason'>
}

/** `config`: from an L7 object to a Pod that implements it; no packet travels it. */
export type LinkKind = 'veth' | 'port' | 'tunnel' | 'wire' | 'config'

export interface GraphLink {
  id: string
  kind: LinkKind
  source: string
  target: string
}

export interface GraphLayout {
  boxes: GraphBox[]
  links: GraphLink[]
  width: number
  height: number
}

/** What the trace adds to the cluster: components it passes through. */
export interface GraphExtras {
  /** Components running on a node outside any Pod (kube-proxy as a process, say). */
  nodeComponents: { node: string; name: string }[]
  /** Components outside every node (the Internet, a cloud load balancer, the VPC). */
  outside: string[]
  services: ServiceSummary[]
}

export const NO_EXTRAS: GraphExtras = { nodeComponents: [], outside: [], services: [] }

// Sizes in graph units (pixels at zoom 1).
const GAP = 10
const NODE_PAD = 12
const NODE_HEAD = 58
const NODE_GAP = 36
const POD_W = 200
const POD_HEAD = 42
const POD_PAD = 6
const NETNS_HEAD = 20
const CHIP_H = 24
const CHIP_GAP = 5
const VETH_W = 140
const DEV_W = 120
const DEV_H = 30
const ETH0_W = 170
const UNDERLAY_GAP = 40
const UNDERLAY_H = 40
const UNDERLAY_INSET = 0.14
const OUTSIDE_W = 160
const OUTSIDE_H = 44
const SVC_W = 228
const SVC_H = 66
const L7_W = 228
const L7_H = 92
// Two Pods side by side keep a node narrow enough for two or three nodes in a row.
const MAX_POD_COLS = 2

export const podId = (key: string) => `pod:${key}`
export const netnsId = (key: string) => `netns:${key}`
export const containerId = (key: string, name: string) => `ctr:${key}:${name}`
/** A device in a Pod (`dev:ns/pod:eth0`) or on a node (`dev:node:cni0`): Pod keys hold a '/'. */
export const deviceId = (owner: string, name: string) => `dev:${owner}:${name}`
export const nodeId = (name: string) => `node:${name}`
export const nodeComponentId = (node: string, name: string) => `comp:${node}:${name}`
export const outsideId = (name: string) => `comp:${name}`
export const serviceId = (key: string) => `svc:${key}`
export const l7Id = (o: { kind: string; namespace: string; name: string }) =>
  `l7:${o.kind}:${o.namespace}/${o.name}`
export const UNDERLAY_ID = 'underlay'

const keyOf = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`

function podHeight(p: PodSummary): number {
  const rows = Math.max(1, p.containers.length)
  const netns = NETNS_HEAD + rows * (CHIP_H + CHIP_GAP) + CHIP_H + POD_PAD
  return POD_HEAD + netns + POD_PAD
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

/** Bridges get their own full-width bar; eth0 the bottom; the rest a row of chips. */
function deviceRole(d: DeviceSummary): 'veth' | 'bridge' | 'eth0' | 'other' {
  if (d.kind === 'veth' && d.peer) return 'veth'
  if (d.kind === 'bridge') return 'bridge'
  if (d.name === 'eth0') return 'eth0'
  return 'other'
}

/** Order inside the row of other devices: tunnels first, loopback last. */
const OTHER_ORDER: Record<string, number> = { vxlan: 0, ipip: 0, dummy: 1, loopback: 3 }

interface NodePlan {
  name: string
  pods: PodSummary[]
  podRows: PodSummary[][]
  veths: DeviceSummary[]
  bridges: DeviceSummary[]
  others: DeviceSummary[]
  eth0: DeviceSummary | null
  components: string[]
  innerW: number
  /** Height of the rows of host devices, which sit at the bottom of the node. */
  devicesH: number
  h: number
}

function planNode(c: ClusterSummary, name: string, extras: GraphExtras): NodePlan {
  const node = c.nodes.find((n) => n.name === name)!
  // A node's Pods grouped by namespace (in the order namespaces first appear, then as declared):
  // on a big cluster a learner finds kube-system's Pods together, not scattered among the apps'.
  const onNode = c.pods.filter((p) => p.node === name)
  const nsOrder = [...new Set(onNode.map((p) => p.namespace))]
  const pods = nsOrder.flatMap((ns) => onNode.filter((p) => p.namespace === ns))
  const cols = Math.min(MAX_POD_COLS, Math.max(1, pods.length))
  const podRows = chunk(pods, cols)
  // Host veth ends in the order of their Pods, so that the links between them cross less.
  const podOrder = (d: DeviceSummary) => pods.findIndex((p) => keyOf(p) === d.peer)
  const veths = node.devices
    .filter((d) => deviceRole(d) === 'veth')
    .map((d, i) => ({ d, i }))
    .sort((a, b) => podOrder(a.d) - podOrder(b.d) || a.i - b.i)
    .map(({ d }) => d)
  const bridges = node.devices.filter((d) => deviceRole(d) === 'bridge')
  const others = node.devices
    .filter((d) => deviceRole(d) === 'other')
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (OTHER_ORDER[a.d.kind] ?? 2) - (OTHER_ORDER[b.d.kind] ?? 2) || a.i - b.i)
    .map(({ d }) => d)
  const eth0 = node.devices.find((d) => deviceRole(d) === 'eth0') ?? null
  const components = [
    ...new Set(extras.nodeComponents.filter((x) => x.node === name).map((x) => x.name)),
  ]
  const rowW = (n: number, w: number) => (n > 0 ? n * w + (n - 1) * GAP : 0)
  const innerW = Math.max(
    rowW(cols, POD_W),
    rowW(veths.length, VETH_W),
    rowW(others.length + components.length, DEV_W),
    ETH0_W,
    POD_W + 2 * GAP,
  )
  let podsH = 0
  for (const row of podRows) podsH += Math.max(...row.map(podHeight)) + GAP
  const deviceRows =
    (veths.length ? 1 : 0) +
    bridges.length +
    (others.length + components.length ? 1 : 0) +
    (eth0 ? 1 : 0)
  const devicesH = deviceRows * (DEV_H + GAP) - GAP
  const h = NODE_HEAD + podsH + devicesH + NODE_PAD
  return { name, pods, podRows, veths, bridges, others, eth0, components, innerW, devicesH, h }
}

function addressOf(d: DeviceSummary): string[] {
  return d.addresses.length ? [d.addresses.join(', ')] : []
}

/** Lays out a cluster. The same input gives the same boxes, in the same order. */
export function layoutCluster(c: ClusterSummary, extras: GraphExtras = NO_EXTRAS): GraphLayout {
  const boxes: GraphBox[] = []
  const links: GraphLink[] = []
  // Parents by id: a search of the list for each box took seconds at a thousand Pods.
  const byId = new Map<string, GraphBox>()
  const add = (b: Omit<GraphBox, 'ax' | 'ay'>) => {
    const parent = b.parent ? byId.get(b.parent)! : null
    const box = { ...b, ax: (parent?.ax ?? 0) + b.x, ay: (parent?.ay ?? 0) + b.y }
    boxes.push(box)
    byId.set(box.id, box)
    return box
  }
  const link = (kind: LinkKind, source: string, target: string) =>
    links.push({ id: `${kind}:${source}->${target}`, kind, source, target })

  const plans = c.nodes.map((n) => planNode(c, n.name, extras))
  const cols = plans.length <= 3 ? Math.max(1, plans.length) : 2
  const nodeW = Math.max(0, ...plans.map((p) => p.innerW)) + 2 * NODE_PAD
  const gridW = cols * nodeW + (cols - 1) * NODE_GAP
  // Up to three Services side by side even over a single node, rather than a tall column.
  const rowOf = (n: number, w: number) => (n > 0 ? n * w + (n - 1) * GAP : 0)
  const width = Math.max(
    gridW,
    rowOf(extras.outside.length, OUTSIDE_W),
    rowOf(Math.min(3, extras.services.length), SVC_W),
    rowOf(Math.min(3, (c.l7 ?? []).length), L7_W),
  )
  const gridX = (width - gridW) / 2

  // Services, in rows across the top.
  let top = 0
  if (extras.services.length) {
    const perRow = Math.max(1, Math.floor((width + GAP) / (SVC_W + GAP)))
    chunk(extras.services, perRow).forEach((row, r) => {
      const rowW = row.length * SVC_W + (row.length - 1) * GAP
      row.forEach((s, i) => {
        const detail = [`${s.type} · ${s.clusterIP ?? s.externalName ?? ''}`, s.ports.join(', ')]
        const ext = [...s.loadBalancer, ...s.externalIPs]
        if (ext.length) detail.push(ext.join(', '))
        add({
          id: serviceId(keyOf(s)),
          kind: 'service',
          parent: null,
          x: (width - rowW) / 2 + i * (SVC_W + GAP),
          y: r * (SVC_H + GAP),
          w: SVC_W,
          h: SVC_H,
          label: keyOf(s),
          detail: detail.filter((d) => d !== ''),
        })
      })
    })
    top = Math.ceil(extras.services.length / perRow) * (SVC_H + GAP) - GAP + NODE_GAP
  }

  // L7 objects, in rows under the Services, in the order the summary lists them.
  const l7 = c.l7 ?? []
  if (l7.length) {
    const perRow = Math.max(1, Math.floor((width + GAP) / (L7_W + GAP)))
    chunk(l7, perRow).forEach((row, r) => {
      const rowW = row.length * L7_W + (row.length - 1) * GAP
      row.forEach((o, i) => {
        add({
          id: l7Id(o),
          kind: 'l7',
          parent: null,
          x: (width - rowW) / 2 + i * (L7_W + GAP),
          y: top + r * (L7_H + GAP),
          w: L7_W,
          h: L7_H,
          label: keyOf(o),
          detail: o.detail,
          l7: { kind: o.kind, owner: o.owner, accepted: o.accepted, reason: o.reason },
        })
      })
    })
    top += Math.ceil(l7.length / perRow) * (L7_H + GAP) - GAP + NODE_GAP
  }

  // Nodes, each row as tall as its tallest node.
  const nodeRows = chunk(plans, cols)
  let y = top
  for (const row of nodeRows) {
    const rowH = Math.max(...row.map((p) => p.h))
    row.forEach((plan, col) => {
      const node = c.nodes.find((n) => n.name === plan.name)!
      const nid = nodeId(node.name)
      add({
        id: nid,
        kind: 'node',
        parent: null,
        x: gridX + col * (nodeW + NODE_GAP),
        y,
        w: nodeW,
        h: rowH,
        label: node.name,
        detail: [node.ip, ...(node.podCIDR ? [node.podCIDR] : [])],
      })
      const inner = nodeW - 2 * NODE_PAD
      const centred = (n: number, w: number) => NODE_PAD + (inner - (n * w + (n - 1) * GAP)) / 2
      let ny = NODE_HEAD
      for (const pods of plan.podRows) {
        const h = Math.max(...pods.map(podHeight))
        const x0 = centred(pods.length, POD_W)
        pods.forEach((p, i) => {
          const key = keyOf(p)
          add({
            id: podId(key),
            kind: 'pod',
            parent: nid,
            x: x0 + i * (POD_W + GAP),
            y: ny,
            w: POD_W,
            h,
            label: key,
            detail: [p.ip],
          })
          const nsH = h - POD_HEAD - POD_PAD
          add({
            id: netnsId(key),
            kind: 'netns',
            parent: podId(key),
            x: POD_PAD,
            y: POD_HEAD,
            w: POD_W - 2 * POD_PAD,
            h: nsH,
            label: p.hostNetwork ? 'hostNetwork' : p.sandbox,
            detail: [],
          })
          const chipW = POD_W - 4 * POD_PAD
          p.containers.forEach((k, j) => {
            add({
              id: containerId(key, k.name),
              kind: 'container',
              parent: netnsId(key),
              x: POD_PAD,
              y: NETNS_HEAD + j * (CHIP_H + CHIP_GAP),
              w: chipW,
              h: CHIP_H,
              label: k.name,
              detail: k.ports,
            })
          })
          if (!p.hostNetwork) {
            // The Pod's own interfaces, in the namespace the sandbox holds.
            const dy = nsH - CHIP_H - POD_PAD
            const eth0W = Math.round(chipW * 0.62)
            add({
              id: deviceId(key, 'eth0'),
              kind: 'device',
              parent: netnsId(key),
              x: POD_PAD,
              y: dy,
              w: eth0W,
              h: CHIP_H,
              label: 'eth0',
              detail: [],
              deviceKind: 'veth',
            })
            add({
              id: deviceId(key, 'lo'),
              kind: 'device',
              parent: netnsId(key),
              x: POD_PAD + eth0W + CHIP_GAP,
              y: dy,
              w: chipW - eth0W - CHIP_GAP,
              h: CHIP_H,
              label: 'lo',
              detail: [],
              deviceKind: 'loopback',
            })
          }
        })
        ny += h + GAP
      }
      // Host devices at the bottom, so every node's eth0 lines up above the underlay.
      ny = rowH - NODE_PAD - plan.devicesH
      const chipRow = (
        items: { id: string; kind: BoxKind; label: string; detail: string[]; dk?: string }[],
        w: number,
      ) => {
        const x0 = centred(items.length, w)
        items.forEach((it, i) =>
          add({
            id: it.id,
            kind: it.kind,
            parent: nid,
            x: x0 + i * (w + GAP),
            y: ny,
            w,
            h: DEV_H,
            label: it.label,
            detail: it.detail,
            ...(it.dk ? { deviceKind: it.dk } : {}),
          }),
        )
        if (items.length) ny += DEV_H + GAP
      }
      const dev = (d: DeviceSummary) => ({
        id: deviceId(node.name, d.name),
        kind: 'device' as const,
        label: d.name,
        detail: addressOf(d),
        dk: d.kind,
      })
      chipRow(plan.veths.map(dev), VETH_W)
      for (const b of plan.bridges) chipRow([dev(b)], inner)
      chipRow(
        [
          ...plan.others.map(dev),
          ...plan.components.map((name) => ({
            id: nodeComponentId(node.name, name),
            kind: 'component' as const,
            label: name,
            detail: [],
          })),
        ],
        DEV_W,
      )
      if (plan.eth0) chipRow([dev(plan.eth0)], ETH0_W)

      for (const d of plan.veths) {
        const pod = plan.pods.find((p) => keyOf(p) === d.peer)
        if (pod) link('veth', deviceId(keyOf(pod), 'eth0'), deviceId(node.name, d.name))
        if (d.master && plan.bridges.some((b) => b.name === d.master))
          link('port', deviceId(node.name, d.name), deviceId(node.name, d.master))
      }
      if (plan.eth0) {
        for (const d of plan.others)
          if (d.kind === 'vxlan' || d.kind === 'ipip')
            link('tunnel', deviceId(node.name, d.name), deviceId(node.name, plan.eth0.name))
        link('wire', deviceId(node.name, plan.eth0.name), UNDERLAY_ID)
      }
    })
    y += rowH + NODE_GAP
  }

  // The network between the nodes, and what lies beyond it.
  const underlayY = y - NODE_GAP + UNDERLAY_GAP
  // Inset from the sides, where the graph's zoom buttons and overview map sit.
  const inset = Math.round(width * UNDERLAY_INSET)
  add({
    id: UNDERLAY_ID,
    kind: 'underlay',
    parent: null,
    x: inset,
    y: underlayY,
    w: width - 2 * inset,
    h: UNDERLAY_H,
    label: 'underlay',
    detail: [],
  })
  let height = underlayY + UNDERLAY_H
  if (extras.outside.length) {
    const n = extras.outside.length
    const x0 = (width - (n * OUTSIDE_W + (n - 1) * GAP)) / 2
    const oy = height + UNDERLAY_GAP
    extras.outside.forEach((name, i) => {
      add({
        id: outsideId(name),
        kind: 'component',
        parent: null,
        x: x0 + i * (OUTSIDE_W + GAP),
        y: oy,
        w: OUTSIDE_W,
        h: OUTSIDE_H,
        label: name,
        detail: [],
      })
      link('wire', UNDERLAY_ID, outsideId(name))
    })
    height = oy + OUTSIDE_H
  }
  // After the Pods exist: a config link only to a Pod that is drawn.
  for (const o of l7)
    for (const key of o.pods) if (byId.has(podId(key))) link('config', l7Id(o), podId(key))
  return { boxes, links, width, height }
}
