import { describe, expect, it } from 'vitest'
import { useAppStore } from './store.ts'
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
      camera: null,
      box: null,
      view: null,
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
      camera: null,
      box: null,
      view: null,
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
      camera: null,
      box: null,
      view: null,
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
})
