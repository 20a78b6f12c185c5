/**
 * "Where does the packet go next?", asked when the next step happens at another box of the
 * graph. Distractors are the other boxes of the same Pods first (its lo beside its eth0, the
 * sidecar beside the app), then boxes of the same kind on the same nodes (another veth end,
 * another container), then anything else on those nodes, then the rest of the cluster; never the
 * box it is at now (the question is asked only when the next step is at another box).
 */
import { text } from '../../model/text.ts'
import type { Ask } from './context.ts'
import { MAX_DISTRACTORS, MIN_DISTRACTORS } from './context.ts'
import { placeLabel, type Place } from './places.ts'
import { pickDistractors } from './seeded.ts'

const choice = (p: Place) => ({
  label: placeLabel(p),
  value: { kind: 'place' as const, key: p.key, at: p.at },
})

export const askWhere: Ask = (ctx) => {
  const here = ctx.places.of(ctx.now.at)
  const there = ctx.places.of(ctx.next.at)
  if (!here || !there || here.key === there.key) return null
  const nodes = new Set([here.node, there.node])
  // Never the box the packet is at now: "it stays here" is not a place it goes next.
  const all = ctx.places
    .all()
    .filter((p) => p.kind !== 'node' && p.kind !== 'pod' && p.key !== here.key)
  const near = all.filter((p) => nodes.has(p.node))
  const pods = new Set([here.at.pod, there.at.pod].filter((p) => p !== null))
  const wrong = pickDistractors(
    ctx.rng,
    [
      near.filter((p) => p.at.pod !== null && pods.has(p.at.pod)),
      near.filter((p) => p.kind === there.kind),
      near,
      all,
    ],
    (p) => p.key,
    there.key,
    MAX_DISTRACTORS,
  )
  if (wrong.length < MIN_DISTRACTORS) return null
  return {
    kind: 'where',
    prompt: text('Where does the packet go next?', '包下一步到哪里？'),
    right: choice(there),
    wrong: wrong.map(choice),
  }
}
