/**
 * What the workspace's panels must show at one step, read from the engine's own trace: the
 * narration, the packet inspector (addresses, changed fields, in beside out at a rewrite) and
 * the tables (each matched line, with the command that prints its table).
 */
import type { Page } from '@playwright/test'
import { en } from '../src/i18n/en.ts'
import { zhCN } from '../src/i18n/zh-CN.ts'
import type { Lang } from '../src/model/text.ts'
import type { Trace } from '../src/model/trace.ts'
import { expect } from './fixtures.ts'

const REWRITES = [
  'dnat',
  'snat',
  'masquerade',
  'unnat',
  'encapsulate',
  'decapsulate',
  'proxy',
  'tls-terminate',
]

/** A field of the packet by the trace's dotted path (`l3.dst`, `app.headers.Host`). */
function at(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as never)[k] : undefined), o)
}

interface Shown {
  rows: { path: string; changed: boolean; mark: string | null; now: string; was: string | null }[]
  tables: { table: string; command: string | null; matched: string[]; marks: number }[]
  noTable: boolean
}

/** The inspector and the tables as the page shows them, read in one go. */
function readPanels(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const text = (e: Element | null) => e?.textContent ?? null
    const inspector = document.querySelector('[data-testid="packet-inspector"]')!
    const tables = document.querySelector('[data-testid="tables-panel"]')!
    return {
      rows: [...inspector.querySelectorAll('tr[data-path]')].map((tr) => ({
        path: tr.getAttribute('data-path')!,
        changed: tr.classList.contains('changed'),
        mark: text(tr.querySelector('th .changed-mark')),
        now: text(tr.querySelector('.pkt-now'))!,
        was: text(tr.querySelector('.pkt-in')),
      })),
      tables: [...tables.querySelectorAll('.table-group')].map((g) => ({
        table: g.getAttribute('data-table')!,
        command: text(g.querySelector('.table-command code')),
        matched: [...g.querySelectorAll('.table-line.matched pre')].map((p) => p.textContent!),
        marks: g.querySelectorAll('.table-line.matched .match-mark').length,
      })),
      noTable: !!tables.querySelector('.panel-empty'),
    }
  })
}

export async function expectPanelsAt(page: Page, trace: Trace, pos: number, lang: Lang) {
  const step = trace.steps[pos]!
  const n = trace.steps.length
  const ui = lang === 'en' ? en : zhCN

  // Narration: the step, its place in the trace, its explanation in the chosen language. Once
  // it shows this step, so do the inspector and the tables (one render).
  const narration = page.getByTestId('narration')
  const label = ui.narration.step
    .replace('{{index}}', String(step.index))
    .replace('{{pos}}', String(pos + 1))
    .replace('{{count}}', String(n))
  await expect(narration.locator('.narration-step')).toHaveText(label)
  await expect(narration.locator('.narration-text')).toHaveText(step.explain[lang])
  // The packet on the graph is at this step too, on a box the graph marks as the current one.
  const packet = page.getByTestId('packet')
  await expect(packet).toHaveAttribute('data-step', String(step.index))
  const box = await packet.getAttribute('data-at')
  expect(box, `${trace.traffic} step ${pos}: the packet's box`).toBeTruthy()
  await expect(page.locator(`.react-flow__node[data-id="${box}"] .g-box`)).toHaveClass(/is-current/)
  const shown = await readPanels(page)
  const row = (path: string) => shown.rows.find((r) => r.path === path)
  const where = `${trace.traffic} step ${pos}`

  // The inspector: the addresses the trace gives, inner and outer.
  const p = step.packet
  for (const path of ['l3.src', 'l3.dst', 'outer.l3.src', 'outer.l3.dst', 'app.targetIp']) {
    const v = at(p, path)
    if (v !== undefined && v !== null) expect(row(path)?.now, `${where}: ${path}`).toBe(String(v))
  }
  // Every field the step changed is marked, in words; a field that went away shows so.
  for (const c of step.changed) {
    const v = at(p, c)
    const rows = shown.rows.filter((r) => r.path === c || r.path.startsWith(`${c}.`))
    expect(rows.length, `${where}: a row for the changed field ${c}`).toBeGreaterThan(0)
    for (const r of rows) {
      expect(r.changed, `${where}: ${r.path} marked changed`).toBe(true)
      expect(r.mark, `${where}: ${r.path} says changed`).toBe(ui.inspector.changed)
    }
    if (v === undefined || v === null)
      for (const r of rows) expect(r.now, `${where}: ${r.path} is gone`).toBe(ui.inspector.absent)
    else if (typeof v !== 'object') expect(row(c)?.now, `${where}: ${c}`).toBe(String(v))
  }
  // At a rewrite, what came in (the previous step's packet) stands beside what goes out.
  const side = pos > 0 && (REWRITES.includes(step.action) || step.changed.length > 0)
  expect(
    shown.rows.some((r) => r.was !== null),
    `${where}: in beside out`,
  ).toBe(side)
  if (side) {
    const before = trace.steps[pos - 1]!.packet
    for (const path of ['l3.src', 'l3.dst', 'outer.l3.dst']) {
      const was = at(before, path)
      if (typeof was === 'string') expect(row(path)?.was, `${where}: ${path} in`).toBe(was)
    }
  }

  // The tables: each table's matched lines, in the trace's order, with the command to print it.
  expect(shown.noTable, `${where}: the empty tables panel`).toBe(step.lookups.length === 0)
  const names = [...new Set(step.lookups.map((l) => l.table))]
  expect(shown.tables.map((g) => g.table)).toEqual(names)
  for (const g of shown.tables) {
    const matched = step.lookups.filter((l) => l.table === g.table && l.matched).map((l) => l.rule)
    expect(g.matched, `${where}: ${g.table}`).toEqual(matched)
    expect(g.marks).toBe(matched.length)
    const chain = /^iptables -t (\S+) (\S+)$/.exec(g.table)
    if (chain) expect(g.command).toBe(`iptables -t ${chain[1]} -S ${chain[2]}`)
    if (/^(ip|bridge|conntrack|ipvsadm) /.test(g.table)) expect(g.command).toBe(g.table)
  }
}

/** A step worth a look: one that rewrites the packet and read a table, else any that changed it. */
export function interestingStep(trace: Trace): number {
  const i = trace.steps.findIndex(
    (s, k) => k > 2 && s.changed.length > 0 && s.lookups.some((l) => l.matched),
  )
  if (i >= 0) return i
  return Math.max(
    0,
    trace.steps.findIndex((s, k) => k > 2 && s.changed.length > 0),
  )
}
