/**
 * "Does the source get masqueraded?", asked where the next step rewrites the source (kube-proxy's
 * MASQUERADE, an SNAT). The wrong choices: the source left alone, or rewritten to another
 * address a node owns (its eth0, its bridge or tunnel device, another node's IP): MASQUERADE
 * takes the address of the device the packet leaves by, which is the point to learn.
 *
 * Where it is the last rewrite before the packet reaches the Internet (a node's masquerade on
 * flannel or Calico, the AWS Internet gateway's one-to-one NAT to the public IP) the question
 * is the one that matters outside: which source will the Internet see? Where a later step
 * rewrites the source again (aws-node's SNAT to the node's primary ENI address, before the
 * gateway), that later address is the tempting wrong answer: no device of the node has it.
 */
import { text, type Text } from '../../model/text.ts'
import type { Step } from '../../model/trace.ts'
import { previousWithIp } from './addresses.ts'
import type { Ask } from './context.ts'
import { MIN_DISTRACTORS } from './context.ts'
import { pickDistractors } from './seeded.ts'

/** The source the Internet sees, if the packet is delivered there and nothing rewrites it after `i`. */
function lastBeforeInternet(steps: readonly Step[], i: number): boolean {
  const src = steps[i]!.packet.l3?.src
  for (let j = i + 1; j < steps.length; j++) {
    const s = steps[j]!
    if (!s.packet.l3) continue
    if (s.packet.l3.src !== src) return false
    if (s.action === 'deliver') return s.at.component === 'internet'
  }
  return false
}

/**
 * The sources this packet has on its own journey, from the step that sent it to the one that
 * delivers it, other than at step `i` itself: what it had before a rewrite and what a later
 * rewrite will give it.
 */
function journeySources(steps: readonly Step[], i: number): string[] {
  let from = i
  while (from > 0 && steps[from]!.action !== 'send') from--
  let to = i
  while (to < steps.length - 1 && steps[to]!.action !== 'deliver') to++
  const out: string[] = []
  for (const s of steps.slice(from, to + 1))
    if (s.packet.l3 && !out.includes(s.packet.l3.src)) out.push(s.packet.l3.src)
  return out.filter((ip) => ip !== steps[i]!.packet.l3?.src)
}

export const askMasquerade: Ask = (ctx) => {
  const { next, pool } = ctx
  const steps = ctx.trace.steps
  if (next.action !== 'masquerade' && next.action !== 'snat') return null
  const before = previousWithIp(steps, ctx.n + 1)?.packet.l3?.src
  const to = next.packet.l3?.src
  if (!before || !to || before === to) return null
  const internet = lastBeforeInternet(steps, ctx.n + 1)
  const others = pickDistractors(
    ctx.rng,
    [
      // The addresses the packet will have, or had, on its way: the public IP a gateway maps
      // the node's address to, the Pod's own.
      journeySources(steps, ctx.n + 1),
      [...pool.nodeIps, ...pool.deviceIps],
      pool.gatewayIps,
      pool.podIps,
    ],
    (ip) => ip,
    to,
    3,
  ).filter((ip) => ip !== before)
  const yes = (ip: string): { label: Text; value: { kind: 'masquerade'; to: string } } => ({
    label: internet
      ? text(`${ip}: the next step rewrites the source to it`, `${ip}：下一步把源地址改写为它`)
      : text(`Yes: the source becomes ${ip}`, `是：源地址变为 ${ip}`),
    value: { kind: 'masquerade' as const, to: ip },
  })
  const wrong = [
    {
      label: internet
        ? text(`${before}: the source is left as it is`, `${before}：源地址保持不变`)
        : text(`No: the source stays ${before}`, `否：源地址保持 ${before}`),
      value: { kind: 'masquerade' as const, to: null },
    },
    ...others.slice(0, 2).map(yes),
  ]
  if (wrong.length < MIN_DISTRACTORS) return null
  return {
    kind: 'masquerade',
    prompt: internet
      ? text(
          'Which source address will the Internet see after the next step?',
          '下一步之后，互联网看到的源地址是什么？',
        )
      : text(
          'Is the source address masqueraded (rewritten to an address of the node) at the next step?',
          '下一步源地址会被伪装（改写为节点的地址）吗？',
        ),
    right: yes(to),
    wrong,
  }
}
