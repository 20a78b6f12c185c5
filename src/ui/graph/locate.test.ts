import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../../cli/load.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import type { Location, Trace } from '../../model/trace.ts'
import { summarize } from '../../sim/summary.ts'
import { graphExtras } from './extras.ts'
import { layoutCluster } from './layout.ts'
import { boxIds, locate, STACK_COMPONENTS } from './locate.ts'

const LESSONS_DIR = join(import.meta.dirname, '..', '..', 'lessons')

const at = (l: Partial<Location>): Location => ({
  node: null,
  pod: null,
  container: null,
  device: null,
  component: null,
  hook: null,
  ...l,
})

const IDS = new Set([
  'node:node-1',
  'pod:default/client',
  'netns:default/client',
  'ctr:default/client:curl',
  'dev:default/client:eth0',
  'dev:default/client:lo',
  'pod:kube-system/coredns',
  'ctr:kube-system/coredns:coredns',
  'pod:default/host-agent',
  'dev:node-1:eth0',
  'dev:node-1:cni0',
  'dev:node-1:kube-ipvs0',
  'comp:node-1:kube-proxy',
  'underlay',
  'comp:internet',
])

describe('where a step is drawn', () => {
  it('at the container a process sends from or is delivered to, even when a device is named', () => {
    expect(locate(at({ node: 'node-1', pod: 'default/client', container: 'curl' }), IDS)).toBe(
      'ctr:default/client:curl',
    )
    expect(
      locate(at({ node: 'node-1', pod: 'default/client', container: 'curl', device: 'eth0' }), IDS),
    ).toBe('ctr:default/client:curl')
    expect(
      locate(
        at({
          node: 'node-1',
          pod: 'kube-system/coredns',
          container: 'coredns',
          component: 'coredns',
        }),
        IDS,
      ),
    ).toBe('ctr:kube-system/coredns:coredns')
  })

  it('at the Pod’s own device when no container is named', () => {
    expect(locate(at({ node: 'node-1', pod: 'default/client', device: 'eth0' }), IDS)).toBe(
      'dev:default/client:eth0',
    )
    expect(locate(at({ node: 'node-1', pod: 'default/client', device: 'lo' }), IDS)).toBe(
      'dev:default/client:lo',
    )
  })

  it('at the node’s device for a hostNetwork Pod, which has none of its own', () => {
    expect(locate(at({ node: 'node-1', pod: 'default/host-agent', device: 'eth0' }), IDS)).toBe(
      'dev:node-1:eth0',
    )
  })

  it('at the host device, even when a component acts there at a netfilter hook', () => {
    expect(locate(at({ node: 'node-1', device: 'cni0', hook: 'FORWARD' }), IDS)).toBe(
      'dev:node-1:cni0',
    )
    expect(
      locate(at({ node: 'node-1', device: 'kube-ipvs0', component: 'ipvs', hook: 'INPUT' }), IDS),
    ).toBe('dev:node-1:kube-ipvs0')
  })

  it('at a component running on the node when no device is named', () => {
    expect(locate(at({ node: 'node-1', component: 'kube-proxy' }), IDS)).toBe(
      'comp:node-1:kube-proxy',
    )
    expect(locate(at({ node: 'node-1', component: 'kube-proxy', hook: 'OUTPUT' }), IDS)).toBe(
      'comp:node-1:kube-proxy',
    )
  })

  it('on the underlay and at outside components', () => {
    expect(locate(at({ component: 'underlay' }), IDS)).toBe('underlay')
    expect(locate(at({ component: 'internet' }), IDS)).toBe('comp:internet')
  })

  it('draws the kernel and an application where their device, container, Pod or node is', () => {
    expect(locate(at({ node: 'node-1', component: 'kernel' }), IDS)).toBe('node:node-1')
    expect(locate(at({ node: 'node-1', device: 'cni0', component: 'kernel' }), IDS)).toBe(
      'dev:node-1:cni0',
    )
    expect(
      locate(
        at({ node: 'node-1', pod: 'default/client', container: 'curl', component: 'app' }),
        IDS,
      ),
    ).toBe('ctr:default/client:curl')
    expect(locate(at({ node: 'node-1', pod: 'default/client', component: 'kernel' }), IDS)).toBe(
      'pod:default/client',
    )
  })

  it('falls back to the broader box: the Pod, then the node; null when nothing matches', () => {
    expect(locate(at({ node: 'node-1', pod: 'default/client', container: 'sidecar' }), IDS)).toBe(
      'pod:default/client',
    )
    expect(locate(at({ node: 'node-1', device: 'tunl0' }), IDS)).toBe('node:node-1')
    expect(locate(at({ node: 'node-1' }), IDS)).toBe('node:node-1')
    expect(locate(at({ node: 'node-9' }), IDS)).toBe(null)
    expect(locate(at({ component: 'cloud-lb' }), IDS)).toBe(null)
  })

  for (const lesson of LESSONS.filter((l) => l.id !== 'mode1-port-conflict')) {
    it(`${lesson.id}: every step of the golden traces lands on the box it names`, () => {
      const c = summarize(loadScenarioFile(join(LESSONS_DIR, lesson.file)).cluster!)
      const golden = JSON.parse(readFileSync(join(LESSONS_DIR, `${lesson.id}.golden.json`), 'utf8'))
      for (const t of golden.traces as Trace[]) {
        const ids = boxIds(layoutCluster(c, graphExtras(c, t)))
        for (const s of t.steps) {
          const id = locate(s.at, ids)
          expect(id, `step ${s.index} ${JSON.stringify(s.at)}`).not.toBe(null)
          // Never the broad fallback: the lessons' steps all have a box of their own.
          expect(id!.startsWith('node:') || id!.startsWith('pod:'), `step ${s.index}`).toBe(
            s.at.device === null &&
              s.at.container === null &&
              (s.at.component === null || STACK_COMPONENTS.has(s.at.component)),
          )
        }
      }
    })
  }
})
