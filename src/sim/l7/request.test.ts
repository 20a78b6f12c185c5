import { describe, expect, it } from 'vitest'
import { gatewayHostMatches, pathOnly, queryOf, requestFromTraffic } from './request.ts'

describe('the request a Traffic document sends', () => {
  it('takes scheme, host, port and path from the URL; the Host header overrides the host, not the SNI', () => {
    const r = requestFromTraffic({
      to: 'https://203.0.113.10/api?x=1',
      headers: { Host: 'www.example.com' },
    })!
    expect(r).toMatchObject({
      scheme: 'https',
      port: 443,
      host: 'www.example.com',
      sni: '203.0.113.10',
      path: '/api?x=1',
      method: 'GET',
    })
    expect(queryOf(r)).toEqual({ x: '1' })
    expect(pathOnly(r.path)).toBe('/api')
    expect(requestFromTraffic({ to: 'web:8080', headers: {} })).toMatchObject({
      scheme: 'http',
      port: 8080,
      sni: null,
    })
    expect(requestFromTraffic({ to: 'not a url', headers: {} })).toBeNull()
  })
})

describe('Gateway API hostname wildcards are suffix matches', () => {
  it('*.example.com matches test.example.com and foo.test.example.com, not example.com', () => {
    expect(gatewayHostMatches('*.example.com', 'test.example.com')).toBe(true)
    expect(gatewayHostMatches('*.example.com', 'foo.test.example.com')).toBe(true)
    expect(gatewayHostMatches('*.example.com', 'example.com')).toBe(false)
  })
})
