/**
 * "Who answers the ARP request?", asked where the next step resolves a next hop's MAC. Choices
 * are MAC addresses of this cluster, each with the device that owns it where PodPath knows it
 * (the node's devices from the cluster, a Pod's eth0 from the `ip -d addr` line the trace
 * prints): the bridge that answers for the gateway, Calico's host veth answering every address
 * by proxy ARP, the Pod itself, or nobody.
 */
import { text, type Text } from '../../model/text.ts'
import type { Trace } from '../../model/trace.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'
import type { Ask } from './context.ts'
import { MAX_DISTRACTORS, MIN_DISTRACTORS } from './context.ts'
import { pickDistractors } from './seeded.ts'

const UNUSABLE = new Set(['ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00'])

interface MacOwner {
  owners: Text[]
  node: string | null
}

/** One owner's name, or several: Calico gives every host-side veth the same ee:ee:ee:ee:ee:ee. */
function ownerLabel(owners: Text[]): Text | null {
  if (owners.length === 0) return null
  if (owners.length === 1) return owners[0]!
  const [a, b] = owners
  return owners.length === 2
    ? text(`${a!.en}, ${b!.en}`, `${a!['zh-CN']}、${b!['zh-CN']}`)
    : text(
        `${a!.en}, ${b!.en} and ${owners.length - 2} more`,
        `${a!['zh-CN']}、${b!['zh-CN']} 等 ${owners.length} 个设备`,
      )
}

/** Every MAC the cluster and the trace show, with its owners when known. */
export function macBook(cluster: ClusterSummary, trace: Trace): Map<string, MacOwner> {
  const book = new Map<string, MacOwner>()
  const put = (mac: string | null | undefined, owner: Text | null, node: string | null) => {
    if (!mac || UNUSABLE.has(mac)) return
    const had = book.get(mac) ?? { owners: [], node }
    if (owner && !had.owners.some((o) => o.en === owner.en)) had.owners.push(owner)
    book.set(mac, had)
  }
  for (const n of cluster.nodes)
    for (const d of n.devices)
      put(d.mac, text(`${d.name} on ${n.name}`, `${n.name} 上的 ${d.name}`), n.name)
  for (const s of trace.steps) {
    for (const l of s.lookups) {
      const pod = /^ip -d addr show (\S+) \(in Pod (\S+)\)$/.exec(l.table)
      const mac = /link\/ether ([0-9a-f:]{17})/.exec(l.rule)?.[1]
      if (pod && mac)
        put(mac, text(`${pod[1]} in Pod ${pod[2]}`, `Pod ${pod[2]} 中的 ${pod[1]}`), s.at.node)
    }
    const { l2, app } = s.packet
    if (l2) {
      put(l2.src, null, s.at.node)
      put(l2.dst, null, s.at.node)
    }
    if (app?.protocol === 'arp') {
      put(app.senderMac, null, s.at.node)
      put(app.answer, null, s.at.node)
    }
  }
  return book
}

export const askArp: Ask = (ctx) => {
  const app = ctx.next.packet.app
  if (ctx.next.action !== 'arp' || app?.protocol !== 'arp' || app.operation !== 'request')
    return null
  const book = macBook(ctx.cluster, ctx.trace)
  const macs = [...book.keys()]
  const here = macs.filter((m) => book.get(m)!.node === ctx.next.at.node)
  const right = app.answer
  const wrongMacs = pickDistractors(
    ctx.rng,
    // The asker's own MAC is no answer to its own question; a choice of "nobody" is, when
    // somebody did answer.
    [here.filter((m) => m !== app.senderMac), macs.filter((m) => m !== app.senderMac)],
    (m) => m,
    right ?? '',
    right ? MAX_DISTRACTORS - 1 : MAX_DISTRACTORS,
  )
  const choice = (mac: string | null) => {
    const owner = mac ? ownerLabel(book.get(mac)?.owners ?? []) : null
    return {
      label: !mac
        ? text('Nobody answers', '没有人应答')
        : owner
          ? text(`${mac} (${owner.en})`, `${mac}（${owner['zh-CN']}）`)
          : text(mac, mac),
      value: { kind: 'mac' as const, mac },
    }
  }
  const wrong = [...wrongMacs.map(choice), ...(right ? [choice(null)] : [])]
  if (wrong.length < MIN_DISTRACTORS) return null
  return {
    kind: 'arp',
    prompt: text(
      `The next step asks by ARP who has ${app.targetIp}. Which MAC address comes back?`,
      `下一步通过 ARP 询问谁拥有 ${app.targetIp}。回来的是哪个 MAC 地址？`,
    ),
    right: choice(right),
    wrong,
  }
}
