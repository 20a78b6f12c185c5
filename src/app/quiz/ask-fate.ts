/**
 * "What happens to the packet at the next step?", asked where it is dropped or rejected, and
 * where the request reaches the process it was for (the last delivery of the request phase).
 * There the right choice also says which source address the receiver sees: the client's own,
 * or the node's after a masquerade, which is what externalTrafficPolicy is about.
 */
import { text, type Text } from '../../model/text.ts'
import type { Location } from '../../model/trace.ts'
import type { Ask } from './context.ts'
import type { ChoiceValue } from './question.ts'
import { pickDistractors } from './seeded.ts'

type FateValue = Extract<ChoiceValue, { kind: 'fate' }>

function receiver(at: Location): Text {
  if (at.container && at.pod)
    return text(
      `container "${at.container}" of Pod ${at.pod}`,
      `Pod ${at.pod} 的容器 "${at.container}"`,
    )
  if (at.pod) return text(`Pod ${at.pod}`, `Pod ${at.pod}`)
  const who = at.component ?? at.node ?? '?'
  return text(who, who)
}

function label(v: FateValue, at: Location): Text {
  switch (v.fate) {
    case 'dropped':
      return text(
        'It is dropped silently: the sender hears nothing and times out',
        '被静默丢弃：发送方收不到任何回应，最终超时',
      )
    case 'rejected':
      return text(
        'It is rejected: the sender gets an error back at once',
        '被拒绝：发送方立即收到一个错误',
      )
    case 'delivered': {
      const r = receiver(at)
      return v.source === null
        ? text('It goes on towards its destination', '它继续发往目的地')
        : text(
            `It is delivered to ${r.en}, which sees the source ${v.source}`,
            `送达${r['zh-CN']}，它看到的源地址是 ${v.source}`,
          )
    }
  }
}

const fate = (f: FateValue['fate'], source: string | null = null): FateValue => ({
  kind: 'fate',
  fate: f,
  source,
})

export const askFate: Ask = (ctx) => {
  const { next, trace } = ctx
  const steps = trace.steps
  const lastRequestDeliver = steps
    .filter((s) => s.phase === 'request' && s.action === 'deliver')
    .at(-1)
  let right: FateValue
  let wrong: FateValue[]
  if (next.action === 'drop') {
    right = fate('dropped')
    wrong = [fate('rejected'), fate('delivered')]
  } else if (next.action === 'reject') {
    right = fate('rejected')
    wrong = [fate('dropped'), fate('delivered')]
  } else if (next === lastRequestDeliver && next.packet.l3) {
    const seen = next.packet.l3.src
    // The most tempting other source: the client's own address when it was masqueraded on the
    // way; else an address of a node it passed.
    const first = steps.find((s) => s.phase === 'request' && s.packet.l3)!.packet.l3!.src
    const [other] = pickDistractors(
      ctx.rng,
      [[first], ctx.pool.nodeIps, ctx.pool.gatewayIps],
      (ip) => ip,
      seen,
      1,
    )
    right = fate('delivered', seen)
    wrong = [...(other ? [fate('delivered', other)] : []), fate('dropped'), fate('rejected')]
  } else return null
  const choice = (v: FateValue) => ({ label: label(v, next.at), value: v })
  return {
    kind: 'fate',
    prompt: text('What happens to the packet at the next step?', '下一步这个包会怎样？'),
    right: choice(right),
    wrong: wrong.map(choice),
  }
}
