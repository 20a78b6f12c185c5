/**
 * The IPVS schedulers kube-proxy can ask for (--ipvs-scheduler), each choosing a real server
 * the way its kernel module does (net/netfilter/ipvs/ip_vs_<name>.c). kube-proxy gives every
 * real server weight 1 (pkg/proxy/ipvs/proxier.go syncEndpoint), so the weighted variants
 * behave like their plain ones here, and they say so.
 *
 * The order of real servers is the kernel's list order, which on a real node is the order
 * kube-proxy added them: Go map order, so not predictable. PodPath uses the order
 * `ipvsadm -Ln` prints (sorted by address), which is what a learner can see.
 */
import { formatIp } from '../../model/ipv4.ts'
import { text, type Text } from '../../model/text.ts'
import { hsiphashU32 } from '../siphash.ts'
import type { ConnCounts } from './ipvs-ledger.ts'
import type { RealServer, VirtualService } from './ipvs.ts'

export interface ScheduleInput {
  client: number
  /** Where round robin stands when no connection of this session went through it yet. */
  seedPick: number
  lastRoundRobin: number | null
  counts(d: RealServer): ConnCounts
}

export interface Pick {
  index: number
  why: Text
}

// ip_vs_dest_conn_overhead (include/net/ip_vs.h): an active connection weighs 256 inactive ones.
const overhead = (c: ConnCounts) => c.active * 256 + c.inactive

/** The first server with the smallest cost; ties go to the earlier one (strict <, as the kernel compares). */
function least(v: VirtualService, cost: (d: RealServer) => number): number {
  let best = 0
  let bestCost = cost(v.dests[0]!)
  v.dests.forEach((d, i) => {
    const c = cost(d)
    if (c < bestCost) {
      best = i
      bestCost = c
    }
  })
  return best
}

export function schedule(v: VirtualService, input: ScheduleInput): Pick | null {
  const n = v.dests.length
  if (n === 0) return null
  const costs = v.dests.map((d) => input.counts(d))
  const allIdle = costs.every((c) => c.active === 0 && c.inactive === 0)
  switch (v.scheduler) {
    case 'rr':
    case 'wrr': {
      const from = input.lastRoundRobin
      const index = from === null ? input.seedPick % n : (from + 1) % n
      const plain =
        from === null
          ? text(
              'round robin: this session has not used the service yet, so it goes on from wherever earlier traffic left it (PodPath draws that position from the seed)',
              '轮询：本会话还没有用过这个服务，所以从此前的流量停下的位置接着轮（这个位置由 PodPath 根据种子选出）',
            )
          : text(
              `round robin: the server after ${formatIp(v.dests[from % n]!.ip)}, which the previous connection got`,
              `轮询：上一个连接分到的是 ${formatIp(v.dests[from % n]!.ip)}，这次轮到它后面的一个`,
            )
      return { index, why: weighted(v.scheduler === 'wrr', plain) }
    }
    case 'lc':
    case 'wlc': {
      const index = least(v, (d) => overhead(input.counts(d)))
      const why = allIdle
        ? text(
            'least connections: every server has none yet, so the first one',
            '最少连接：所有服务器都还没有连接，所以选第一个',
          )
        : text(
            `least connections: cost = 256 x ActiveConn + InActConn is lowest for ${formatIp(v.dests[index]!.ip)} (${costs.map((c) => overhead(c)).join(' / ')})`,
            `最少连接：代价 = 256 × ActiveConn + InActConn，${formatIp(v.dests[index]!.ip)} 最低（${costs.map((c) => overhead(c)).join(' / ')}）`,
          )
      return { index, why: weighted(v.scheduler === 'wlc', why) }
    }
    case 'sed':
    case 'nq': {
      // ip_vs_sed.c / ip_vs_nq.c: expected delay (ActiveConn + 1) / weight; nq first takes any idle server.
      const idle = v.scheduler === 'nq' ? costs.findIndex((c) => c.active === 0) : -1
      if (idle >= 0) {
        return {
          index: idle,
          why: text(
            `never queue: ${formatIp(v.dests[idle]!.ip)} has no active connection, so it gets this one at once`,
            `永不排队：${formatIp(v.dests[idle]!.ip)} 没有活动连接，直接把这个连接给它`,
          ),
        }
      }
      const index = least(v, (d) => input.counts(d).active + 1)
      return {
        index,
        why: text(
          `shortest expected delay: (ActiveConn + 1) / weight is lowest for ${formatIp(v.dests[index]!.ip)}, the first one on a tie`,
          `最短预期延迟：(ActiveConn + 1) / 权重，${formatIp(v.dests[index]!.ip)} 最低（相同时取前面的）`,
        ),
      }
    }
    case 'sh':
      return {
        index: hashBucket(input.client) % n,
        why: text(
          `source hashing: the client address ${formatIp(input.client)} picks bucket ${hashBucket(input.client)} of 256, so the same client always gets the same server`,
          `源地址哈希：客户端地址 ${formatIp(input.client)} 落在 256 个桶中的第 ${hashBucket(input.client)} 个，同一个客户端总是分到同一台服务器`,
        ),
      }
    case 'dh':
      return {
        index: hashBucket(v.vip) % n,
        why: text(
          `destination hashing: the destination ${formatIp(v.vip)} picks bucket ${hashBucket(v.vip)} of 256`,
          `目的地址哈希：目的地址 ${formatIp(v.vip)} 落在 256 个桶中的第 ${hashBucket(v.vip)} 个`,
        ),
      }
    case 'mh': {
      const { table, slot } = maglev(v, input.client)
      return {
        index: table[slot]!,
        why: text(
          `Maglev hashing: the client address hashes to slot ${slot} of a ${MH_TABLE_SIZE}-slot table the servers filled by their own preference orders, so the same client always gets the same server and few clients move when a server comes or goes`,
          `Maglev 哈希：客户端地址哈希到 ${MH_TABLE_SIZE} 个槽位中的第 ${slot} 个，这张表由各服务器按各自的偏好顺序填满；同一客户端总是分到同一台服务器，服务器增减时只有少数客户端被重新分配`,
        ),
      }
    }
    default:
      return null
  }
}

function weighted(isWeighted: boolean, why: Text): Text {
  if (!isWeighted) return why
  return text(
    `${why.en} (the weighted variant; kube-proxy gives every server weight 1)`,
    `${why['zh-CN']}（加权版本；kube-proxy 给每台服务器的权重都是 1）`,
  )
}

// ip_vs_sh.c / ip_vs_dh.c: (address * 2654435761) & 255 over a 256-bucket table
// (IP_VS_SH_TAB_BITS = IP_VS_DH_TAB_BITS = 8) whose buckets go to the servers in turn.
function hashBucket(ip: number): number {
  return (Math.imul(ip >>> 0, 2654435761) >>> 0) & 255
}

// ip_vs_mh.c: the table size is primes[CONFIG_IP_VS_MH_TAB_INDEX - 8] with the default index 12,
// and the two hash keys are fixed constants (generate_hash_secret).
export const MH_TABLE_SIZE = 4093
const MH_KEY1 = 2654435761n
const MH_KEY2 = 2654446892n

function mhHash(addr: number, port: number, key: bigint, offset: number): number {
  return hsiphashU32((offset + port + addr) >>> 0, key, key)
}

const mhTables = new WeakMap<VirtualService, Int32Array>()

/** ip_vs_mh_permutate + ip_vs_mh_populate with every weight 1, then ip_vs_mh_get (no port, no fallback). */
export function maglev(v: VirtualService, client: number): { table: Int32Array; slot: number } {
  let table = mhTables.get(v)
  if (!table) {
    const size = MH_TABLE_SIZE
    table = new Int32Array(size).fill(-1)
    const setup = v.dests.map((d) => {
      const offset = mhHash(d.ip, d.port, MH_KEY1, 0) % size
      return { perm: offset, skip: (mhHash(d.ip, d.port, MH_KEY2, 0) % (size - 1)) + 1 }
    })
    let filled = 0
    while (filled < size && setup.length > 0) {
      for (let i = 0; i < setup.length && filled < size; i++) {
        const s = setup[i]!
        while (table[s.perm] !== -1) {
          s.perm += s.skip
          if (s.perm >= size) s.perm -= size
        }
        table[s.perm] = i
        filled++
      }
    }
    mhTables.set(v, table)
  }
  return { table, slot: mhHash(client, 0, MH_KEY1, 0) % MH_TABLE_SIZE }
}
