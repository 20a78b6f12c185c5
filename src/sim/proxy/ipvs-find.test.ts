import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LESSONS_DIR } from '../../cli/golden.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { firstVirtualService, virtualServices } from './ipvs.ts'

describe('the virtual service a packet meets', () => {
  it('is the first of the sorted list with its protocol, address and port, for every one on every node', () => {
    let found = 0
    for (const f of readdirSync(LESSONS_DIR).filter((x) => x.endsWith('.yaml'))) {
      const c = loadScenarioSource(readFileSync(join(LESSONS_DIR, f), 'utf8'), f).cluster
      if (!c) continue
      for (const node of c.nodes) {
        const list = virtualServices(c, node.name)
        for (const v of list) {
          expect(firstVirtualService(c, node.name, v.proto, v.vip, v.port), f).toEqual(
            list.find((x) => x.proto === v.proto && x.vip === v.vip && x.port === v.port),
          )
          found++
        }
        const v = list[0]
        if (v) {
          expect(firstVirtualService(c, node.name, v.proto, v.vip, 1)).toBeUndefined()
          expect(firstVirtualService(c, node.name, 'SCTP', v.vip, v.port)).toBeUndefined()
        }
      }
    }
    expect(found).toBeGreaterThan(100)
  })
})
