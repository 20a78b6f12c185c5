/**
 * Cilium's cluster-pool IPAM on one node. The operator hands each node a Pod CIDR; the agent
 * then allocates from it with a host-scope allocator (pkg/ipam/hostscope.go) over an
 * ipallocator.Range (pkg/ipam/service/ipallocator/allocator.go): the network and broadcast
 * addresses are never used, and AllocateNext uses the random scan strategy
 * (pkg/ipam/service/allocator/bitmap.go randomScanStrategy): a random offset, then the first free
 * address from there on, wrapping. The agent takes the router address (cilium_host's) first,
 * when it starts, before any Pod. PodPath draws the random offsets from the node's name, so a
 * cluster is the same from run to run.
 */
import type { Cidr } from '../../../model/ipv4.ts'
import { hash32 } from '../../hash.ts'

/** Usable offsets of the range: base + 1 .. broadcast - 1 (NewCIDRRange: max = size - 2). */
function rangeSize(cidr: Cidr): number {
  return Math.max(0, 2 ** (32 - cidr.prefix) - 2)
}

/** The addresses AllocateNext hands out on `node`, in order: the router's first. */
export function* ciliumAllocations(node: string, cidr: Cidr): Generator<number> {
  const max = rangeSize(cidr)
  const taken = new Set<number>()
  for (let k = 0; taken.size < max; k++) {
    const offset = hash32(`cilium-ipam:${node}:${k}`, 0) % max
    for (let i = 0; i < max; i++) {
      const at = (offset + i) % max
      if (taken.has(at)) continue
      taken.add(at)
      yield (cidr.base + 1 + at) >>> 0
      break
    }
  }
}

/** True when `ip` is one the range hands out at all (not the network or broadcast address). */
export function ciliumRangeOwns(cidr: Cidr | null, ip: number): boolean {
  if (!cidr) return false
  const off = ip - cidr.base - 1
  return off >= 0 && off < rangeSize(cidr)
}
