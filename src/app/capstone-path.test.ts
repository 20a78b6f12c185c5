import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { goldenPath, lessonSource, type Golden } from '../cli/golden.ts'
import { loadScenarioSource } from '../cli/load.ts'
import { LESSONS } from '../lessons/catalog.ts'
import { summarize } from '../sim/summary.ts'
import { CAPSTONE_LESSON, capstoneStops } from './capstone-path.ts'
import { MODE_ROWS } from './modes.ts'

const lesson = LESSONS.find((l) => l.id === CAPSTONE_LESSON)!
const trace = (JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as Golden).traces[0]!
const cluster = summarize(loadScenarioSource(lessonSource(lesson), lesson.file).cluster!)
const stops = capstoneStops(trace, cluster)
const stepOf = (direction: string, stop: string) =>
  trace.steps[stops.find((s) => s.direction === direction && s.stop === stop)!.step]!

describe('the capstone as one line', () => {
  it('has every stop there and back, in order along the path', () => {
    expect(stops.map((s) => `${s.direction}:${s.stop}`)).toEqual([
      'request:internet',
      'request:lb',
      'request:ingress',
      'request:service',
      'request:pod',
      'reply:pod',
      'reply:service',
      'reply:ingress',
      'reply:lb',
      'reply:internet',
    ])
    const positions = stops.map((s) => s.step)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
  })

  it('opens each stop at the step where the packet is there', () => {
    expect(stepOf('request', 'internet').at.component).toBe('internet')
    expect(stepOf('request', 'lb')).toMatchObject({
      action: 'lb-select',
      at: { component: 'cloud-lb' },
    })
    expect(stepOf('request', 'ingress')).toMatchObject({
      action: 'l7-route',
      at: { component: 'ingress-nginx' },
    })
    // The controller's connection to the ClusterIP, rewritten to the api Pod by kube-proxy.
    const svc = stepOf('request', 'service')
    expect(svc.action).toBe('dnat')
    expect(svc.packet.l3!.dst).toBe(cluster.pods.find((p) => p.name === 'api')!.ip)
    expect(stepOf('request', 'pod')).toMatchObject({
      action: 'deliver',
      at: { pod: 'default/api' },
    })
    expect(stepOf('reply', 'pod')).toMatchObject({ action: 'send', at: { pod: 'default/api' } })
    expect(stepOf('reply', 'service').action).toBe('unnat')
    expect(stepOf('reply', 'ingress')).toMatchObject({
      action: 'send',
      at: { component: 'ingress-nginx' },
    })
    expect(stepOf('reply', 'lb').at.component).toBe('cloud-lb')
    expect(stepOf('reply', 'internet')).toMatchObject({
      action: 'deliver',
      at: { component: 'internet' },
    })
  })

  it('leaves out a stop a trace does not pass', () => {
    const nginx = LESSONS.find((l) => l.id === 'mode2-flannel-vxlan')!
    const t = (JSON.parse(readFileSync(goldenPath(nginx), 'utf8')) as Golden).traces[0]!
    const c = summarize(loadScenarioSource(lessonSource(nginx), nginx.file).cluster!)
    expect(capstoneStops(t, c).map((s) => `${s.direction}:${s.stop}`)).toEqual([
      'request:pod',
      'reply:pod',
    ])
  })
})

describe('the four modes side by side', () => {
  it('has one row per mode, each opening a lesson of that mode, in both languages', () => {
    expect(MODE_ROWS.map((r) => r.mode)).toEqual([1, 2, 3, 4])
    for (const r of MODE_ROWS) {
      expect(LESSONS.find((l) => l.id === r.lesson)?.mode).toBe(r.mode)
      for (const t of [r.component, r.property, r.decides]) {
        expect(t.en.length).toBeGreaterThan(30)
        expect(t['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
      }
    }
  })
})
