/**
 * "Which rule matches?": the line, as the real tool prints it, that decided the next step.
 * Where the step lists lines of one table that were tested and did not match (KUBE-SERVICES'
 * other Services, KUBE-SVC's other endpoints, nginx's other locations), those are the
 * distractors. Where it shows a single deciding entry (a route, a neighbour, an fdb entry),
 * entries of the same table that the trace shows elsewhere are.
 */
import { text } from '../../model/text.ts'
import type { Lookup } from '../../model/trace.ts'
import type { Ask, AskContext, Draft } from './context.ts'
import { MAX_DISTRACTORS, MIN_DISTRACTORS } from './context.ts'
import { pickDistractors } from './seeded.ts'

const ruleKey = (l: Pick<Lookup, 'table' | 'rule'>) => l.rule
const choice = (l: Pick<Lookup, 'table' | 'rule'>) => ({
  label: text(l.rule, l.rule),
  value: { kind: 'rule' as const, table: l.table, rule: l.rule },
})

/** Tables whose one entry decides a hop on its own, so that entries seen elsewhere compete. */
const DECIDING_TABLES = new Set([
  'ip route',
  'ip route show table local',
  'ip rule',
  'ip neigh',
  'bridge fdb show',
])

function draft(
  ctx: AskContext,
  right: Lookup,
  tiers: Lookup[][],
  prompt: Draft['prompt'],
): Draft | null {
  // Never offer a line that matched at this step, whatever table it was printed under.
  const matched = new Set(ctx.next.lookups.filter((l) => l.matched).map(ruleKey))
  const wrong = pickDistractors(
    ctx.rng,
    tiers.map((t) => t.filter((l) => !matched.has(ruleKey(l)))),
    ruleKey,
    ruleKey(right),
    MAX_DISTRACTORS,
  )
  if (wrong.length < MIN_DISTRACTORS) return null
  return { kind: 'rule', prompt, right: choice(right), wrong: wrong.map(choice) }
}

/** The next step tests several lines of one table and one matches. */
export const askRuleMatch: Ask = (ctx) => {
  // The followed packet's own lines: those a tunnel's outer packet passed decide nothing here.
  const lookups = ctx.next.lookups.filter((l) => !l.outer)
  const contested = lookups.find(
    (l) => l.matched && lookups.some((o) => o.table === l.table && !o.matched),
  )
  if (!contested) return null
  const elsewhere = ctx.trace.steps.flatMap((s) => s.lookups).filter((l) => !l.outer)
  return draft(
    ctx,
    contested,
    [
      lookups.filter((l) => l.table === contested.table),
      // The same table as another step prints it: the prompt names the table, so a line of
      // another one would be no choice at all.
      elsewhere.filter((l) => l.table === contested.table),
    ],
    text(
      `Which line of ${contested.table} matches at the next step?`,
      `下一步匹配的是 ${contested.table} 中的哪一行？`,
    ),
  )
}

/** The next step is decided by one route, neighbour or fdb entry. */
export const askDecidingEntry: Ask = (ctx) => {
  const right = ctx.next.lookups.find((l) => l.matched && DECIDING_TABLES.has(l.table))
  if (!right) return null
  const elsewhere = ctx.trace.steps.flatMap((s) => s.lookups).filter((l) => l.table === right.table)
  // Entries of the same namespace first: the same node, and the same Pod or none.
  const sameNs = ctx.trace.steps
    .filter((s) => s.at.node === ctx.next.at.node && s.at.pod === ctx.next.at.pod)
    .flatMap((s) => s.lookups)
    .filter((l) => l.table === right.table)
  return draft(
    ctx,
    right,
    [sameNs, elsewhere],
    text(
      `Which ${right.table} entry decides the next step?`,
      `下一步由 ${right.table} 的哪一条表项决定？`,
    ),
  )
}
