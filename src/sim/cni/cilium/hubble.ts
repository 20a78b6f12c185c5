/**
 * One flow as `hubble observe` prints it in its default compact output (cilium/cilium
 * hubble/pkg/printer/printer.go WriteProtoFlow, CompactOutput):
 * "<time>: <src> <src identity> <arrow> <dst> <dst identity> <type> <verdict> (<summary>)".
 * - a host is "namespace/pod" for a Pod (Hostname, with IP translation on), else its address,
 *   joined to the port with ":" (net.JoinHostPort) when there is one;
 * - an identity is "(ID:n)", or "(name)" for a reserved one (fmtIdentity: NumericIdentity.String,
 *   the reserved names of pkg/identity/numericidentity.go);
 * - the arrow is "->", flipped to "<-" with both ends swapped for a reply, and "<>" when the
 *   direction is unknown: a drop carries none (pkg/hubble/parser/threefour decodeIsReply);
 * - the type of a forwarded trace is its observation point (pkg/monitor/api types.go
 *   TraceObservationPoints: TraceToLxc "to-endpoint", TraceToOverlay "to-overlay"), of a drop its
 *   reason (pkg/monitor/api drop.go: 133 "Policy denied", DROP_POLICY in bpf/lib/common.h);
 * - the summary of a TCP packet lists its flags ("TCP Flags: SYN" on a connection's first).
 * The time is the event's, printed as time.StampMilli ("Jan _2 15:04:05.000"); PodPath has no
 * clock, so every line carries the same stand-in time.
 */
import { RESERVED_IDENTITIES } from './identity.ts'

export const HUBBLE_TIME_STAND_IN = 'Jan  1 00:00:00.000'

export interface HubbleEnd {
  /** "namespace/name" of a Pod, or null for an address outside the Pods. */
  pod: string | null
  ip: string
  port: number
  identity: number
}

export interface HubbleFlow {
  src: HubbleEnd
  dst: HubbleEnd
  /** "to-endpoint", "to-overlay", or a drop reason such as "Policy denied". */
  type: string
  verdict: 'FORWARDED' | 'DROPPED'
  summary: string
  /** true for a reply, false for a request, null when unknown (drops). */
  isReply: boolean | null
}

const reservedName = new Map<number, string>(
  Object.entries(RESERVED_IDENTITIES).map(([name, id]) => [id, name]),
)

export function fmtIdentity(id: number): string {
  const name = reservedName.get(id)
  return name ? `(${name})` : `(ID:${id})`
}

function host(e: HubbleEnd): string {
  const h = e.pod ?? e.ip
  return e.port ? `${h}:${e.port}` : h
}

export function hubbleCompact(f: HubbleFlow): string {
  let src = f.src
  let dst = f.dst
  let arrow = '->'
  if (f.isReply === null) arrow = '<>'
  else if (f.isReply) [src, dst, arrow] = [f.dst, f.src, '<-']
  return `${HUBBLE_TIME_STAND_IN}: ${host(src)} ${fmtIdentity(src.identity)} ${arrow} ${host(dst)} ${fmtIdentity(dst.identity)} ${f.type} ${f.verdict} (${f.summary})`
}
