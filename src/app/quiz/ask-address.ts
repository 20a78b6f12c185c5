/**
 * "What is the destination (or source) address and port after the next step?", asked when the
 * next step rewrites it (DNAT, un-NAT, a proxy's new connection, a reply turning the addresses
 * round) or gives a new packet its first IP header. And "which source address does the receiver
 * see?" where a packet is handed to a socket. Choices are addresses of this cluster: those the
 * trace carries first (the address before the rewrite is the most tempting), then those with the
 * same port, then the rest.
 */
import { text } from '../../model/text.ts'
import { endpointKey, endpointOf, previousWithIp, type Endpoint } from './addresses.ts'
import type { Ask, AskContext, Draft } from './context.ts'
import { MAX_DISTRACTORS, MIN_DISTRACTORS } from './context.ts'
import { pickDistractors } from './seeded.ts'

function draft(ctx: AskContext, field: 'src' | 'dst', right: Endpoint, before: Endpoint | null) {
  const { pool } = ctx
  const withPort = (ip: string): Endpoint => ({ ip, port: right.port })
  // Addresses written without a port when the right one has none, and the other way round,
  // would give the answer away by their shape.
  const shaped = (xs: Endpoint[]) => xs.filter((e) => (e.port === null) === (right.port === null))
  const tiers: Endpoint[][] = [
    before ? [before] : [],
    shaped(pool.seen),
    [...pool.podIps, ...pool.nodeIps, ...pool.gatewayIps].map(withPort),
    shaped(pool.cluster),
  ]
  const wrong = pickDistractors(ctx.rng, tiers, endpointKey, endpointKey(right), MAX_DISTRACTORS)
  if (wrong.length < MIN_DISTRACTORS) return null
  const choice = (e: Endpoint) => ({
    label: text(endpointKey(e), endpointKey(e)),
    value: { kind: 'address' as const, field, ip: e.ip, port: e.port },
  })
  return { right: choice(right), wrong: wrong.map(choice) }
}

/** The next step changes the packet's source or destination: ask for the new one. */
export const askAddress: Ask = (ctx) => {
  const after = { dst: endpointOf(ctx.next.packet, 'dst'), src: endpointOf(ctx.next.packet, 'src') }
  if (!after.dst || !after.src) return null
  const prev = previousWithIp(ctx.trace.steps, ctx.n + 1)
  const before = prev
    ? { dst: endpointOf(prev.packet, 'dst')!, src: endpointOf(prev.packet, 'src')! }
    : null
  const changed = (f: 'src' | 'dst') => !before || endpointKey(before[f]) !== endpointKey(after[f]!)
  const field = changed('dst') ? 'dst' : changed('src') ? 'src' : null
  if (!field) return null
  const d = draft(ctx, field, after[field]!, before?.[field] ?? null)
  if (!d) return null
  return {
    kind: 'address',
    prompt:
      field === 'dst'
        ? text(
            'After the next step, what are the destination address and port?',
            '下一步之后，目的地址和端口是什么？',
          )
        : text(
            'After the next step, what are the source address and port?',
            '下一步之后，源地址和端口是什么？',
          ),
    ...d,
  } satisfies Draft
}

/** The next step hands the packet to a socket: which source does the receiver see? */
export const askSource: Ask = (ctx) => {
  if (ctx.next.action !== 'deliver') return null
  const src = endpointOf(ctx.next.packet, 'src')
  if (!src) return null
  const d = draft(ctx, 'src', src, null)
  if (!d) return null
  return {
    kind: 'address',
    prompt: text(
      'The next step delivers the packet. Which source address and port does the receiver see?',
      '下一步包被交付。接收方看到的源地址和端口是什么？',
    ),
    ...d,
  }
}
