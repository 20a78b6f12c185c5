import { describe, expect, it } from 'vitest'
import { useAppStore } from './store.ts'
import { parsePage } from './page.ts'
import { formatUrl, parseUrl } from './url.ts'

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
    })
  })

  it('keeps the connection of a session within 1..64', () => {
    expect(parseUrl('?conn=0').connection).toBe(1)
    expect(parseUrl('?conn=7').connection).toBe(7)
    expect(parseUrl('?conn=500').connection).toBe(64)
  })

  it('ignores what it does not understand, and defaults the seed to 1', () => {
    expect(parseUrl('?step=-2&lang=fr&seed=x')).toEqual({
      lesson: null,
      traffic: null,
      step: null,
      lang: null,
      seed: 1,
      connection: 1,
      cni: null,
      proxy: null,
      layer: null,
    })
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
    })
  })

  it('reads the lesson switches and the graph layer, and only values it knows', () => {
    expect(parseUrl('?lesson=mode3-hairpin&cni=calico-bgp&proxy=nftables&layer=l3')).toMatchObject({
      cni: 'calico-bgp',
      proxy: 'nftables',
      layer: 'l3',
    })
    expect(parseUrl('?cni=cilium&proxy=ebpf&layer=l7')).toMatchObject({
      cni: null,
      proxy: null,
      layer: null,
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
