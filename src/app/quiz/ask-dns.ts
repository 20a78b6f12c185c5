/**
 * "What does DNS answer?", asked where the next step is a DNS answer: NXDOMAIN for the names
 * the search list tried first, the ClusterIP for a Service, the Pod IPs for a headless one, a
 * CNAME for an ExternalName, the load balancer's address from public DNS. Distractors are other
 * answers this cluster could give: NXDOMAIN, other Services' ClusterIPs, Pod IPs.
 */
import { text } from '../../model/text.ts'
import type { DnsApp, Step } from '../../model/trace.ts'
import type { Ask } from './context.ts'
import { MAX_DISTRACTORS, MIN_DISTRACTORS } from './context.ts'
import type { ChoiceValue } from './question.ts'
import { pickDistractors } from './seeded.ts'

type DnsValue = Extract<ChoiceValue, { kind: 'dns' }>

/** `name. 30 IN A 10.96.0.10` (as dig prints a record) into `A 10.96.0.10`. */
function record(line: string): string | null {
  const f = line.trim().split(/\s+/)
  return f.length >= 5 ? `${f[3]} ${f.slice(4).join(' ')}` : null
}

/**
 * The answer a dns-answer step gives: from the DNS message it carries, or, where the server
 * has not written its reply yet, from the answer section it looked up.
 */
export function dnsAnswerOf(step: Step): DnsValue | null {
  if (step.action !== 'dns-answer') return null
  const app = step.packet.app
  if (app?.protocol === 'dns' && app.kind === 'answer' && app.status)
    return dnsValue(app.status, app.answers ?? [])
  const section = step.lookups.filter(
    (l) => l.matched && l.table.startsWith('dig (answer section)'),
  )
  if (section.length)
    return dnsValue(
      'NOERROR',
      section.map((l) => l.rule),
    )
  return null
}

function dnsValue(status: DnsApp['status'] & string, lines: string[]): DnsValue {
  return {
    kind: 'dns',
    status,
    records: lines.map(record).filter((r): r is string => r !== null),
  }
}

const key = (v: DnsValue) => `${v.status} ${v.records.join(', ')}`

export const askDns: Ask = (ctx) => {
  const right = dnsAnswerOf(ctx.next)
  if (!right) return null
  const { cluster, pool } = ctx
  const a = (ip: string): DnsValue => ({ kind: 'dns', status: 'NOERROR', records: [`A ${ip}`] })
  const clusterIps = cluster.services.flatMap((s) =>
    s.clusterIP && s.clusterIP !== 'None' ? [s.clusterIP] : [],
  )
  const lbs = cluster.services.flatMap((s) => s.loadBalancer.filter((x) => /^\d/.test(x)))
  const wrong = pickDistractors(
    ctx.rng,
    [
      [{ kind: 'dns', status: 'NXDOMAIN', records: [] } satisfies DnsValue],
      clusterIps.map(a),
      [...pool.podIps, ...lbs, ...pool.nodeIps].map(a),
    ],
    key,
    key(right),
    MAX_DISTRACTORS,
  )
  if (wrong.length < MIN_DISTRACTORS) return null
  const choice = (v: DnsValue) => ({
    label:
      v.status === 'NXDOMAIN'
        ? text('NXDOMAIN: no such name', 'NXDOMAIN：没有这个名字')
        : v.records.length === 0
          ? text('NOERROR, with no records', 'NOERROR，但没有记录')
          : text(v.records.join(', '), v.records.join('，')),
    value: v,
  })
  const question = ctx.next.packet.app?.protocol === 'dns' ? ctx.next.packet.app.question : null
  return {
    kind: 'dns',
    prompt: question
      ? text(`What is the answer for "${question}"?`, `"${question}" 的应答是什么？`)
      : text('What does DNS answer?', 'DNS 的应答是什么？'),
    right: choice(right),
    wrong: wrong.map(choice),
  }
}
