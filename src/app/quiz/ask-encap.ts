/**
 * "Is the packet encapsulated here, and in what?", asked where an overlay wraps it and where a
 * Pod-addressed packet crosses the node network bare (host-gw, BGP, the AWS VPC). The choices
 * are the encapsulations PodPath's CNIs use, with their real defaults, the engine's own constants
 * (not imported: they would pull the engine into the page's bundle): flannel's VXLAN, VNI 1 and
 * the kernel's default port 8472 (src/sim/cni/flannel.ts); Calico's VXLAN, VNI 4096 and port
 * 4789 (felix config_params.go, src/sim/cni/calico.ts); IP-in-IP, IP protocol 4 (RFC 2003).
 */
import { text, type Text } from '../../model/text.ts'
import type { Outer } from '../../model/trace.ts'
import type { Ask } from './context.ts'
import type { ChoiceValue, EncapChoice } from './question.ts'

type EncapValue = Extract<ChoiceValue, { kind: 'encap' }>

const value = (encap: EncapChoice, vni: number | null = null, port: number | null = null) =>
  ({ kind: 'encap', encap, vni, port }) satisfies EncapValue

const KNOWN: EncapValue[] = [
  value('none'),
  value('vxlan', 1, 8472),
  value('vxlan', 4096, 4789),
  value('ipip'),
]

const key = (v: EncapValue) => `${v.encap}/${v.vni}/${v.port}`

function label(v: EncapValue): Text {
  switch (v.encap) {
    case 'none':
      return text(
        'Not encapsulated: it crosses with the Pod addresses as they are',
        '不封装：带着原样的 Pod 地址穿过',
      )
    case 'vxlan':
      // A flow-based device (Cilium's cilium_vxlan) sets the VNI per packet; PodPath leaves it out.
      if (v.vni === null)
        return text(
          `VXLAN, in UDP to port ${v.port} (the VNI set per packet by the sender)`,
          `VXLAN，封装在发往 ${v.port} 端口的 UDP 中（VNI 由发送方逐包设置）`,
        )
      return text(
        `VXLAN: VNI ${v.vni}, in UDP to port ${v.port}`,
        `VXLAN：VNI ${v.vni}，封装在发往 ${v.port} 端口的 UDP 中`,
      )
    case 'ipip':
      return text('IP-in-IP: an outer IPv4 header, protocol 4', 'IP-in-IP：外层 IPv4 头，协议号 4')
  }
}

export function encapOf(outer: Outer | null): EncapValue {
  if (!outer) return value('none')
  if (outer.encap === 'vxlan') return value('vxlan', outer.vni ?? null, outer.l4?.dstPort ?? null)
  return value('ipip')
}

const PODLESS = new Set(['underlay', 'vpc'])

export const askEncap: Ask = (ctx) => {
  const { next, cluster } = ctx
  const podIps = new Set(cluster.pods.filter((p) => !p.hostNetwork).map((p) => p.ip))
  const wraps = next.action === 'encapsulate'
  // A Pod's packet on the wire between nodes, with no outer header.
  const bare =
    !!next.at.component &&
    PODLESS.has(next.at.component) &&
    !next.packet.outer &&
    !!next.packet.l3 &&
    (podIps.has(next.packet.l3.dst) || podIps.has(next.packet.l3.src))
  if (!wraps && !bare) return null
  const right = encapOf(next.packet.outer)
  const choice = (v: EncapValue) => ({ label: label(v), value: v })
  return {
    kind: 'encap',
    prompt: wraps
      ? text(
          'Is the packet encapsulated at the next step, and in what?',
          '下一步包会被封装吗？用什么封装？',
        )
      : text(
          'As it crosses the network between the nodes, is the packet encapsulated, and in what?',
          '穿过节点之间的网络时，包被封装了吗？用什么封装？',
        ),
    right: choice(right),
    wrong: KNOWN.filter((v) => key(v) !== key(right)).map(choice),
  }
}
