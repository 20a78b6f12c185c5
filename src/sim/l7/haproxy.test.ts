import { describe, expect, it } from 'vitest'
import type { ServicePortDecl } from '../../model/scenario.ts'
import { haproxyBackendName } from './haproxy.ts'

function port(name: string | null, n: number): ServicePortDecl {
  return { name, port: n, targetPort: null, nodePort: null, protocol: 'TCP' }
}

describe('HAProxy kubernetes-ingress backend names', () => {
  const ports = [port(null, 80), port('https', 443)]
  it('uses the port number for an unnamed Service port', () => {
    expect(haproxyBackendName('shop', 'api', ports, 80)).toBe('shop_svc_api_80')
  })
  it('uses the Service port name when the port has one, even when named by number', () => {
    expect(haproxyBackendName('shop', 'api', ports, 443)).toBe('shop_svc_api_https')
    expect(haproxyBackendName('shop', 'api', ports, 'https')).toBe('shop_svc_api_https')
  })
  it('gives no backend for a port the Service does not have', () => {
    expect(haproxyBackendName('shop', 'api', ports, 8080)).toBeNull()
    expect(haproxyBackendName('shop', 'api', ports, 'grpc')).toBeNull()
  })
})
