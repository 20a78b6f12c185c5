import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeGolden, LESSONS_DIR } from './golden.ts'
import { computeHandout, handoutGoldens, HANDOUT_LESSONS } from './handout-golden.ts'
import { handoutMarkdown } from './handout.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { run } from './main.ts'

function cli(argv: string[]): { code: number; out: string; err: string } {
  let out = ''
  let err = ''
  const code = run(argv, { out: (s) => (out += s), err: (s) => (err += s) })
  return { code, out, err }
}

describe('handout goldens', () => {
  it('cover one lesson of each mode, in both languages', () => {
    const modes = HANDOUT_LESSONS.map((id) => LESSONS.find((l) => l.id === id)!.mode)
    expect(modes).toEqual([1, 2, 3, 4])
    expect(handoutGoldens().map((h) => h.lang)).toEqual(Array(4).fill(['en', 'zh-CN']).flat())
  })

  for (const h of handoutGoldens()) {
    it(`${h.lesson.id} (${h.lang}) matches its golden handout (npm run golden rewrites it)`, () => {
      expect(existsSync(h.path), `${h.path} is missing`).toBe(true)
      expect(computeHandout(h.lesson, h.lang)).toBe(readFileSync(h.path, 'utf8'))
    })
  }
})

describe('podpath handout', () => {
  const vxlan = LESSONS.find((l) => l.id === 'mode2-flannel-vxlan')!
  const file = join(LESSONS_DIR, vxlan.file)
  const trace = computeGolden(vxlan).traces[0]!

  it('prints the same handout as the golden, titled as the lesson', () => {
    const r = cli(['handout', file])
    expect(r.code).toBe(0)
    expect(r.out).toBe(readFileSync(join(LESSONS_DIR, 'handouts', `${vxlan.id}.en.md`), 'utf8'))
    expect(r.out.split('\n')[0]).toBe(`# Handout: ${vxlan.title.en}`)
    expect(cli(['handout', file, '--lang', 'zh-CN']).out.split('\n')[0]).toBe(
      `# 讲义：${vxlan.title['zh-CN']}`,
    )
  })

  it('has every step, its narration, each changed field before and after, each deciding rule', () => {
    const md = cli(['handout', file]).out
    for (const s of trace.steps) {
      expect(md).toContain(`## Step ${s.index} · `)
      for (const l of s.lookups.filter((x) => x.matched)) expect(md).toContain(`\`${l.rule}\``)
    }
    // The encapsulation: the outer header appears, from nothing.
    const encap = trace.steps.find((s) => s.action === 'encapsulate')!
    const o = encap.packet.outer!
    expect(md).toContain(
      `| \`outer\` | \`—\` | \`VXLAN VNI ${o.vni}, UDP ${o.l4!.dstPort}: ${o.l3.src} > ${o.l3.dst}\` |`,
    )
    // A note where the print view draws the graph: the first step, each rewrite, the last step.
    expect(md.split('> Graph:').length - 1).toBe(
      trace.steps.filter(
        (s, i) =>
          i === 0 ||
          i === trace.steps.length - 1 ||
          s.phase !== trace.steps[i - 1]!.phase ||
          s.action === 'encapsulate',
      ).length,
    )
  })

  it('takes --traffic, and fails like trace for one the file does not hold', () => {
    const ingress = LESSONS.find((l) => l.id === 'mode4-ingress-nginx')!
    const f = join(LESSONS_DIR, ingress.file)
    expect(cli(['handout', f, '--traffic', 'no-rule-404']).out).toContain('`no-rule-404`')
    const bad = cli(['handout', f, '--traffic', 'nope'])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/no Traffic "nope"/)
  })

  it('keeps Markdown from eating the text: <node> and [x] are escaped, a backtick rule survives', () => {
    const t = structuredClone(trace)
    t.steps = [t.steps[0]!]
    t.steps[0]!.explain = {
      en: 'ask http://<node>:30291/healthz, add [X-Shop-Route]',
      'zh-CN': 'x',
    }
    t.steps[0]!.lookups = [{ table: 'nft', rule: 'a `b` c', matched: true }]
    const md = handoutMarkdown(t, { title: 'T', summary: null }, 'en')
    expect(md).toContain('ask http://\\<node>:30291/healthz, add \\[X-Shop-Route]')
    expect(md).toContain('- `nft`: `` a `b` c ``')
  })
})
