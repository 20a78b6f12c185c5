/** `--format text`: one readable line per step, for handouts and terminals. */
import type { Lang } from '../model/text.ts'
import type { Step, Trace } from '../model/trace.ts'

function where(s: Step): string {
  const a = s.at
  if (a.component && !a.node) return a.component
  const parts = [
    a.node,
    a.pod ? `pod ${a.pod}` : null,
    a.container ? `container ${a.container}` : null,
    a.device,
  ].filter(Boolean)
  return parts.join(' ')
}

function headers(s: Step): string {
  const p = s.packet
  if (p.app && p.app.protocol === 'arp')
    return `ARP who-has ${p.app.targetIp} tell ${p.app.senderIp}`
  const l3 = p.l3
  const l4 = p.l4
  const inner = l3
    ? `${l3.src}${l4 ? `:${l4.srcPort}` : ''} > ${l3.dst}${l4 ? `:${l4.dstPort}` : ''} ${l3.proto} ttl ${l3.ttl}`
    : ''
  if (!p.outer) return inner
  const o = p.outer
  const outer = `${o.l3.src} > ${o.l3.dst} ${o.encap === 'vxlan' ? `udp/${o.l4?.dstPort}${o.vni === undefined ? '' : ` vni ${o.vni}`}` : 'ipip'}`
  return `[${outer}] ${inner}`
}

function reached(t: Trace): string {
  const e = t.endpoint
  if (!e) return 'reached no socket'
  const who = e.pod
    ? `${e.pod} (${e.container ? `container ${e.container} ` : ''}on ${e.node})`
    : e.node
      ? `node ${e.node}`
      : 'a host outside the cluster'
  return `reached ${who} at ${e.ip}:${e.port}`
}

export function traceToText(t: Trace, lang: Lang = 'en'): string {
  const lines = [
    `# ${t.traffic} (seed ${t.seed}): ${t.outcome}${t.reason ? ` - ${t.reason[lang]}` : ''}`,
  ]
  if (t.dialled) lines.push(`# dialled ${t.dialled.ip}:${t.dialled.port}, ${reached(t)}`)
  for (const s of t.steps) {
    const changed = s.changed.length ? ` (changed: ${s.changed.join(', ')})` : ''
    lines.push(
      `${String(s.index).padStart(3)} ${s.phase.padEnd(7)} ${s.action.padEnd(11)} ${where(s).padEnd(38)} ${headers(s)}${changed}`,
    )
    for (const l of s.lookups) lines.push(`      ${l.matched ? '*' : ' '} ${l.table}: ${l.rule}`)
    lines.push(`      ${s.explain[lang]}`)
  }
  return `${lines.join('\n')}\n`
}
