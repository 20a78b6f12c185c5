/**
 * The digest kube-proxy starts its chain names with: base32 (Go base32.StdEncoding) of the
 * SHA-256 of a name. iptables mode keeps 16 characters (proxier.go portProtoHash and
 * servicePortEndpointChainName), nftables mode 8 (proxier.go hashAndTruncate), so these are
 * the first 16 characters, the most either keeps.
 */
import { sha256Base32 } from '../hash.ts'
import type { BuiltService } from '../services/service.ts'

export function chainHash(name: string): string {
  return sha256Base32(name, 16)
}

const memo = new WeakMap<readonly BuiltService[], Map<string, string>>()

/**
 * chainHash, remembered for one cluster's Services. Every node's kube-proxy names the same
 * chains, and one node's rules name each chain several times, so a cluster hashes each name once.
 * The memo belongs to the Service list (it goes when the cluster goes) and holds only pure results.
 */
export function chainHasher(services: readonly BuiltService[]): (name: string) => string {
  let m = memo.get(services)
  if (!m) {
    m = new Map()
    memo.set(services, m)
  }
  const known = m
  return (name) => {
    let h = known.get(name)
    if (h === undefined) {
      h = chainHash(name)
      known.set(name, h)
    }
    return h
  }
}
