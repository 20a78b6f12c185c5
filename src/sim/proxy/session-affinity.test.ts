import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LESSONS_DIR } from '../../cli/golden.ts'
import { build } from '../../test/scenario.ts'
import { trace } from '../trace.ts'

const lesson = readFileSync(join(LESSONS_DIR, 'mode3-clusterip-iptables.yaml'), 'utf8')
const sticky = lesson.replace(
  'selector: { app: web }',
  'selector: { app: web }\n  sessionAffinity: ClientIP',
)

function endpoints(yaml: string, n: number, seed: number) {
  const { cluster, scenario } = build(yaml)
  return Array.from({ length: n }, (_, i) => {
    const t = trace(cluster, scenario.traffic[0]!, { seed, connection: i + 1 })
    const dnat = t.steps.find((s) => s.action === 'dnat' && s.packet.l4!.dstPort === 8080)!
    return { dst: dnat.packet.l3!.dst, step: dnat }
  })
}

describe('sessionAffinity: ClientIP in iptables mode (the recent match)', () => {
  it('sends every later connection of the client to the endpoint the first one got', () => {
    expect(sticky).not.toBe(lesson)
    for (const seed of [1, 2, 3, 4]) {
      const s = endpoints(sticky, 5, seed)
      expect(new Set(s.map((x) => x.dst)).size).toBe(1)
      const later = s[1]!.step
      expect(
        later.lookups.some(
          (l) =>
            l.matched &&
            /-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-[A-Z2-7]{16} --mask 255.255.255.255 --rsource -j/.test(
              l.rule,
            ),
        ),
      ).toBe(true)
      expect(later.lookups.some((l) => l.rule.includes('--probability'))).toBe(false)
      expect(later.explain.en).toContain('sessionAffinity checks')
    }
  })

  it('without affinity, the connections of a session are spread at random', () => {
    const seen = new Set<string>()
    for (const seed of [1, 2, 3]) for (const x of endpoints(lesson, 6, seed)) seen.add(x.dst)
    expect(seen.size).toBe(3)
  })
})
