/**
 * `podpath handout`: a trace as a Markdown handout, in English or Chinese. Every step's
 * narration, the header fields it changed (before and after) and the rules that decided it.
 * The cluster graph cannot be drawn in Markdown: at the steps where the app's print view draws
 * it (src/app/handout.ts's key steps) a note says where the packet is and where to see it.
 */
import { handoutSteps } from '../app/handout.ts'
import { en } from '../i18n/en.ts'
import { zhCN } from '../i18n/zh-CN.ts'
import type { Lang } from '../model/text.ts'
import type { Location, Trace } from '../model/trace.ts'

const STRINGS = { en, 'zh-CN': zhCN } as const

function fill(s: string, vars: Record<string, string | number>): string {
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''))
}

/** Text as a Markdown paragraph: `<node>` would be read as HTML, `[x]` as a link. */
function paragraph(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/([<[*])/g, '\\$1')
}

/** A code span that survives a backtick inside it. */
function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``
}

function cell(s: string): string {
  return code(s).replace(/\|/g, '\\|')
}

function where(at: Location, lang: Lang): string {
  const w = STRINGS[lang].where
  const parts = (['node', 'pod', 'container', 'device', 'component', 'hook'] as const)
    .filter((k) => at[k] !== null)
    .map((k) => `${w[k]} ${at[k]}`)
  return parts.join(' · ')
}

export interface HandoutMeta {
  title: string
  summary: string | null
}

export function handoutMarkdown(trace: Trace, meta: HandoutMeta, lang: Lang): string {
  const s = STRINGS[lang]
  const h = s.handout
  const colon = lang === 'zh-CN' ? '：' : ': '
  const out: string[] = [`# ${h.title}${colon}${meta.title}`, '']
  if (meta.summary) out.push(paragraph(meta.summary), '')
  out.push(
    `${fill(h.request, { traffic: code(trace.traffic) })} · ${fill(h.seed, { seed: trace.seed })} · ${fill(h.outcome, { outcome: s.outcome[trace.outcome] })}`,
    '',
  )
  for (const step of handoutSteps(trace)) {
    const place = where(step.at, lang)
    out.push(
      `## ${fill(h.step, { n: step.index })} · ${s.phase[step.phase]} · ${s.action[step.action]}`,
      '',
      `*${paragraph(place)}*`,
      '',
      paragraph(step.narration[lang]),
      '',
    )
    if (step.changes.length) {
      out.push(
        `**${h.changed}**`,
        '',
        `| ${h.field} | ${h.before} | ${h.after} |`,
        '| --- | --- | --- |',
      )
      for (const c of step.changes)
        out.push(`| ${cell(c.field)} | ${cell(c.before)} | ${cell(c.after)} |`)
      out.push('')
    }
    if (step.rules.length) {
      out.push(`**${h.rules}**`, '')
      for (const r of step.rules) out.push(`- ${code(r.table)}: ${code(r.rule)}`)
      out.push('')
    }
    if (step.outerRules.length) {
      out.push(`**${h.outerRules}**`, '')
      for (const r of step.outerRules) out.push(`- ${code(r.table)}: ${code(r.rule)}`)
      out.push('')
    }
    if (step.key) out.push(`> ${paragraph(h.graphNote)}`, '')
  }
  return `${out.join('\n').trimEnd()}\n`
}
