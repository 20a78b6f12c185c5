/**
 * "Does the source get masqueraded?", asked where the next step rewrites the source (kube-proxy's
 * MASQUERADE, an SNAT). The wrong choices: the source left alone, or rewritten to another
 * address a node owns (its eth0, its bridge or tunnel device, another node's IP): MASQUERADE
 * takes the address of the device the packet leaves by, which is the point to learn.
 */
import { text } from '../../model/text.ts'
import { previousWithIp } from './addresses.ts'
import type { Ask } from './context.ts'
import { MIN_DISTRACTORS } from './context.ts'
import { pickDistractors } from './seeded.ts'

export const askMasquerade: Ask = (ctx) => {
  const { next, pool } = ctx
  if (next.action !== 'masquerade' && next.action !== 'snat') return null
  const before = previousWithIp(ctx.trace.steps, ctx.n + 1)?.packet.l3?.src
  const to = next.packet.l3?.src
  if (!before || !to || before === to) return null
  const others = pickDistractors(
    ctx.rng,
    [[...pool.nodeIps, ...pool.deviceIps], pool.gatewayIps, pool.podIps],
    (ip) => ip,
    to,
    3,
  ).filter((ip) => ip !== before)
  const yes = (ip: string) => ({
    label: text(`Yes: the source becomes ${ip}`, `是：源地址变为 ${ip}`),
    value: { kind: 'masquerade' as const, to: ip },
  })
  const wrong = [
    {
      label: text(`No: the source stays ${before}`, `否：源地址保持 ${before}`),
      value: { kind: 'masquerade' as const, to: null },
    },
    ...others.slice(0, 2).map(yes),
  ]
  if (wrong.length < MIN_DISTRACTORS) return null
  return {
    kind: 'masquerade',
    prompt: text(
      'Is the source address masqueraded (rewritten to an address of the node) at the next step?',
      '下一步源地址会被伪装（改写为节点的地址）吗？',
    ),
    right: yes(to),
    wrong,
  }
}
