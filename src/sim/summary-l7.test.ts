import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../cli/load.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { summarize } from './summary.ts'

const LESSONS_DIR = join(import.meta.dirname, '..', 'lessons')

function l7Of(id: string) {
  const lesson = LESSONS.find((l) => l.id === id)!
  return summarize(loadScenarioFile(join(LESSONS_DIR, lesson.file)).cluster!).l7 ?? []
}

describe('L7 objects in the cluster summary', () => {
  it('an Ingress carries its class, its hosts and paths, and its controller Pod', () => {
    const shop = l7Of('mode4-ingress-nginx').find((o) => o.name === 'shop')!
    expect(shop).toMatchObject({ kind: 'Ingress', owner: 'nginx', accepted: null })
    expect(shop.detail).toEqual(['www.example.com /api /web'])
    expect(shop.pods).toEqual(['ingress-nginx/ingress-nginx-controller-6c888d4b78-jf92l'])
  })

  it('an HTTPRoute says whether it attached, with the reason the controller gives', () => {
    const objs = l7Of('mode4-gateway-httproute')
    const gw = objs.find((o) => o.kind === 'Gateway')!
    expect(gw.detail).toEqual(['http HTTP/80'])
    expect(gw.pods).toHaveLength(1)
    const store = objs.find((o) => o.name === 'store')!
    expect(store).toMatchObject({ accepted: true, reason: null, pods: gw.pods })
    const blog = objs.find((o) => o.name === 'blog')!
    expect(blog).toMatchObject({ accepted: false, reason: 'NotAllowedByListeners', pods: [] })
  })

  it('a cluster without L7 objects has no list at all', () => {
    expect(l7Of('mode1-localhost')).toEqual([])
  })
})
