import { describe, expect, it } from 'vitest'
import { useAppStore } from './store.ts'
import { parsePage } from './page.ts'
import { formatUrl, parseUrl } from './url.ts'
import { en } from '../i18n/en.ts'
import { zhCN } from '../i18n/zh-CN.ts'

describe('the address', () => {
  it('reads lesson, traffic, step, language and seed', () => {
    expect(parseUrl('?lesson=mode2-flannel-vxlan&traffic=back&step=3&lang=zh-CN&seed=7')).toEqual({
      lesson: 'mode2-flannel-vxlan',
      traffic: 'back',
      step: 3,
      lang: 'zh-CN',
      seed: 7,
      connection: 1,
      cni: null,
      proxy: null,
      layer: null,
      camera: null,
      box: null,
      view: null,
      embed: false,
      origins: null,
      predict: false,
      given: {
        lesson: 'mode2-flannel-vxlan',
        traffic: 'back',
        step: '3',
        lang: 'zh-CN',
        seed: '7',
      },
      corrections: [],
    })
  })

  it('keeps the connection of a session within 1..64, and says so when it moves it', () => {
    expect(parseUrl('?conn=0')).toMatchObject({
      connection: 1,
      corrections: [{ param: 'conn', given: '0', now: '1', reason: 'range' }],
    })
    expect(parseUrl('?conn=7')).toMatchObject({ connection: 7, corrections: [] })
    expect(parseUrl('?conn=999')).toMatchObject({
      connection: 64,
      corrections: [{ param: 'conn', given: '999', now: '64', reason: 'range' }],
    })
  })

  it('corrects what it does not understand, defaulting the seed to 1, and lists each correction', () => {
    expect(
      parseUrl('?step=-2&lang=fr&seed=x&conn=two&cni=weave&proxy=ebpf&layer=l7&traffic='),
    ).toMatchObject({
      lesson: null,
      traffic: null,
      step: null,
      lang: null,
      seed: 1,
      connection: 1,
      cni: null,
      proxy: null,
      layer: null,
      camera: null,
      box: null,
      view: null,
      embed: false,
      origins: null,
      predict: false,
      corrections: [
        { param: 'traffic', given: '', now: null, reason: 'malformed' },
        { param: 'step', given: '-2', now: '0', reason: 'malformed' },
        { param: 'lang', given: 'fr', now: null, reason: 'unknown' },
        { param: 'seed', given: 'x', now: '1', reason: 'malformed' },
        { param: 'conn', given: 'two', now: '1', reason: 'malformed' },
        { param: 'cni', given: 'weave', now: null, reason: 'unknown' },
        { param: 'proxy', given: 'ebpf', now: null, reason: 'unknown' },
        { param: 'layer', given: 'l7', now: 'all', reason: 'unknown' },
      ],
    })
  })

  it('takes a seed up to 4294967295, as the command line does, and no further', () => {
    expect(parseUrl('?seed=4294967295')).toMatchObject({ seed: 4294967295, corrections: [] })
    expect(parseUrl('?seed=4294967296')).toMatchObject({
      seed: 1,
      corrections: [{ param: 'seed', reason: 'malformed' }],
    })
    expect(parseUrl('?seed=1.5&step=3e2').corrections.map((c) => c.param)).toEqual(['step', 'seed'])
  })

  it('has words for every correction it or the session makes, in both languages', () => {
    const made: [string, string][] = [
      ['lesson', 'unknown'],
      ['lesson', 'malformed'],
      ['traffic', 'malformed'],
      ['traffic', 'notInLesson'],
      ['step', 'malformed'],
      ['step', 'range'],
      ['lang', 'unknown'],
      ['seed', 'malformed'],
      ['conn', 'malformed'],
      ['conn', 'range'],
      ['cni', 'unknown'],
      ['cni', 'notOffered'],
      ['proxy', 'unknown'],
      ['proxy', 'notOffered'],
      ['layer', 'unknown'],
    ]
    for (const dict of [en.address, zhCN.address] as Record<string, unknown>[]) {
      for (const [param, reason] of made)
        expect((dict[param] as Record<string, string>)[reason], `${param}.${reason}`).toMatch(
          new RegExp(`${param}=`),
        )
      expect(dict.noLesson).toMatch(/\{\{param\}\}=\{\{given\}\}/)
    }
  })

  it('writes the first request and seed 1 as nothing, so a shared link stays short', () => {
    const s = {
      ...useAppStore.getState(),
      lessonId: 'mode2-same-node',
      trafficNames: ['a', 'b'],
      selectedTraffic: 'a',
      step: 2,
      lang: 'zh-CN' as const,
      trace: { steps: [{}, {}, {}] } as never,
    }
    expect(formatUrl(s)).toBe('?lesson=mode2-same-node&step=2&lang=zh-CN')
    expect(parseUrl(formatUrl({ ...s, selectedTraffic: 'b', seed: 9, connection: 4 }))).toEqual({
      lesson: 'mode2-same-node',
      traffic: 'b',
      step: 2,
      lang: 'zh-CN',
      seed: 9,
      connection: 4,
      cni: null,
      proxy: null,
      layer: null,
      camera: null,
      box: null,
      view: null,
      embed: false,
      origins: null,
      predict: false,
      given: {
        lesson: 'mode2-same-node',
        traffic: 'b',
        step: '2',
        seed: '9',
        conn: '4',
        lang: 'zh-CN',
      },
      corrections: [],
    })
  })

  it('reads the lesson switches and the graph layer, and only values it knows', () => {
    expect(parseUrl('?lesson=mode3-hairpin&cni=calico-bgp&proxy=nftables&layer=l3')).toMatchObject({
      cni: 'calico-bgp',
      proxy: 'nftables',
      layer: 'l3',
    })
    expect(parseUrl('?cni=weave&proxy=ebpf&layer=l7')).toMatchObject({
      cni: null,
      proxy: null,
      layer: null,
      embed: false,
      origins: null,
    })
  })

  it('writes a switch only when it is flipped, and the layer only when it is not all', () => {
    const s = {
      ...useAppStore.getState(),
      lessonId: 'mode3-loadbalancer',
      lang: 'en' as const,
    }
    expect(formatUrl(s)).toBe('?lesson=mode3-loadbalancer&lang=en')
    const flipped = {
      ...s,
      cniSwitch: 'flannel-host-gw' as const,
      proxySwitch: 'ipvs' as const,
      graphLayer: 'services' as const,
    }
    expect(formatUrl(flipped)).toBe(
      '?lesson=mode3-loadbalancer&cni=flannel-host-gw&proxy=ipvs&layer=services&lang=en',
    )
    expect(parseUrl(formatUrl(flipped))).toMatchObject({
      cni: 'flannel-host-gw',
      proxy: 'ipvs',
      layer: 'services',
    })
  })

  it('holds the stage: presenter mode, the whole-cluster camera and the box inspected', () => {
    const s = {
      ...useAppStore.getState(),
      lessonId: 'mode2-flannel-vxlan',
      lang: 'en' as const,
      trace: { steps: [{}, {}] } as never,
      step: 1,
    }
    expect(formatUrl(s)).toBe('?lesson=mode2-flannel-vxlan&step=1&lang=en')
    const staged = {
      ...s,
      view: 'present' as const,
      camera: 'whole' as const,
      inspecting: 'node:node-1',
    }
    expect(formatUrl(staged)).toBe(
      '?lesson=mode2-flannel-vxlan&step=1&camera=whole&box=node%3Anode-1&present=1&lang=en',
    )
    expect(parseUrl(formatUrl(staged))).toMatchObject({
      camera: 'whole',
      box: 'node:node-1',
      view: 'present',
    })
    // Only the values it knows: the camera follows unless told `whole`, presenter mode is `1`.
    expect(parseUrl('?camera=zoomed&present=yes')).toMatchObject({ camera: null, view: null })
  })

  it('holds predict mode beside either view, and for an imported file too', () => {
    const s = {
      ...useAppStore.getState(),
      lessonId: 'mode2-flannel-vxlan',
      imported: false,
      lang: 'zh-CN' as const,
      trace: { steps: [{}, {}] } as never,
      step: 1,
      predict: true,
    }
    expect(formatUrl(s)).toBe('?lesson=mode2-flannel-vxlan&step=1&predict=1&lang=zh-CN')
    const both = { ...s, view: 'present' as const }
    expect(parseUrl(formatUrl(both))).toMatchObject({ predict: true, view: 'present' })
    // An imported file is in the fragment (#s=), its step and the switch in the query.
    expect(formatUrl({ ...s, imported: true, page: null })).toBe('?step=1&predict=1&lang=zh-CN')
    expect(parseUrl('?lesson=x&predict=yes').predict).toBe(false)
    expect(parseUrl('?lesson=x').predict).toBe(false)
  })
})

describe('a page in the address', () => {
  it('is written after the lesson, which stays open behind it', () => {
    useAppStore.setState({ lessonId: 'mode2-flannel-vxlan', imported: false, page: 'handout' })
    const url = formatUrl(useAppStore.getState())
    expect(url).toContain('lesson=mode2-flannel-vxlan')
    expect(url).toContain('page=handout')
    expect(parsePage(url)).toBe('handout')
    expect(parsePage('?page=nonsense')).toBeNull()
    useAppStore.setState({ page: null })
    expect(formatUrl(useAppStore.getState())).not.toContain('page=')
  })
})

describe('the address of an embedded page', () => {
  it('reads embed=1 and the trusted origins, and keeps them when it writes the address', () => {
    const url = parseUrl(
      '?lesson=mode2-same-node&embed=1&origin=https://a.example,http://127.0.0.1:5219',
    )
    expect([url.embed, url.origins, url.corrections]).toEqual([
      true,
      ['https://a.example', 'http://127.0.0.1:5219'],
      [],
    ])
    useAppStore.setState({
      lessonId: 'mode2-same-node',
      imported: false,
      trace: null,
      embedding: { view: url.embed, origins: url.origins },
    })
    const again = parseUrl(formatUrl(useAppStore.getState()))
    expect([again.embed, again.origins]).toEqual([true, url.origins])
    useAppStore.setState({ embedding: null })
  })

  it('refuses a list with one bad origin whole, and says which', () => {
    const url = parseUrl('?origin=https://a.example,*&embed=yes')
    expect(url.origins).toBeNull()
    expect(url.embed).toBe(false)
    expect(url.corrections).toEqual([
      { param: 'embed', given: 'yes', now: null, reason: 'malformed' },
      { param: 'origin', given: 'https://a.example,*', now: '*', reason: 'malformed' },
    ])
  })
})
