/**
 * "Which rule matches?": the line, as the real tool prints it, that decided the next step.
 * Where the step lists lines of one table that were tested and did not match (KUBE-SERVICES'
 * other Services, KUBE-SVC's other endpoints, nginx's other locations), those are the
 * distractors. Where it shows a single deciding entry (a route, a neighbour, an fdb entry),
 * entries of the same table that the trace shows elsewhere are.
 *
 * Every distractor is a line of the same table in the same network namespace (src/app/quiz/
 * netns.ts) as the step that reads it: a route of another node or Pod names devices and
 * addresses this one does not have, so a learner could rule it out without knowing the answer.
 * With too few such lines the question is not asked.
 */
import { text } from '../../model/text.ts'
import type { Lookup } from '../../model/trace.ts'
import type { Ask, AskContext, Draft } from './context.ts'
import { MAX_DISTRACTORS, MIN_DISTRACTORS } from './context.ts'
import { linesInNetns, netnsOf } from './netns.ts'
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
  const ns = netnsOf(ctx.next.at, ctx.cluster)
  return draft(
    ctx,
    contested,
    [
      lookups.filter((l) => l.table === contested.table),
      // The same table as another step in this namespace prints it: the prompt names the
      // table, so a line of another one would be no choice at all.
      linesInNetns(ctx.trace, ctx.cluster, ns, contested.table),
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
  const ns = netnsOf(ctx.next.at, ctx.cluster)
  return draft(
    ctx,
    right,
    [linesInNetns(ctx.trace, ctx.cluster, ns, right.table)],
    text(
      `Which ${right.table} entry decides the next step?`,
      `下一步由 ${right.table} 的哪一条表项决定？`,
    ),
  )
}
