/** Where a Traffic goes: `to` as a URL, host:port or IP:port, resolved against the cluster. */
import { formatIp, parseIp } from '../model/ipv4.ts'
import type { TrafficDecl } from '../model/scenario.ts'
import type { Cluster, BuiltPod } from './cluster.ts'

export interface Target {
  scheme: 'http' | 'https' | null
  host: string
  port: number
  path: string
  ip: string
  /** The Pod the host named, when it named one. */
  pod: BuiltPod | null
}

export type TargetResult = { ok: true; target: Target } | { ok: false; reason: string }

/** Splits `to`; default ports are 80 for http and 443 for https. */
export function parseTo(
  to: string,
): { scheme: Target['scheme']; host: string; port: number | null; path: string } | null {
  const m = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/[^\s]*)?$/.exec(to.trim())
  if (!m) return null
  const scheme = (m[1] as Target['scheme']) ?? null
  const port =
    m[3] !== undefined ? Number(m[3]) : scheme === 'https' ? 443 : scheme === 'http' ? 80 : null
  if (port !== null && (port < 1 || port > 65535)) return null
  return { scheme, host: m[2]!.toLowerCase(), port, path: m[4] ?? '/' }
}

export function resolveTarget(
  cluster: Cluster,
  t: TrafficDecl,
  fromNamespace: string | null,
): TargetResult {
  const p = parseTo(t.to)
  if (!p) return { ok: false, reason: `"${t.to}" is not a URL, host:port or IP:port` }
  if (p.port === null)
    return { ok: false, reason: `"${t.to}" names no port (write host:port, or an http:// URL)` }
  const base = { scheme: p.scheme, host: p.host, port: p.port, path: p.path }
  if (p.host === 'localhost') return { ok: true, target: { ...base, ip: '127.0.0.1', pod: null } }
  const ip = parseIp(p.host)
  if (ip !== null) {
    const pod = cluster.pods.find((x) => x.ip === ip && !x.hostNetwork) ?? null
    return { ok: true, target: { ...base, ip: formatIp(ip), pod } }
  }
  // A Pod named directly: NAME (in the sender's namespace) or NAME.NAMESPACE.
  const [name, ns, ...rest] = p.host.split('.')
  if (rest.length === 0 && name) {
    const pod = cluster.podByKey.get(`${ns ?? fromNamespace ?? 'default'}/${name}`)
    if (pod) return { ok: true, target: { ...base, ip: formatIp(pod.ip), pod } }
  }
  return {
    ok: false,
    reason: `"${p.host}" is neither an IP address nor a Pod of this scenario; Service names and DNS are simulated in the Service lessons`,
  }
}
