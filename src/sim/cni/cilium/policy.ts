/**
 * NetworkPolicy as Cilium's BPF datapath enforces it (cilium/cilium bpf/bpf_lxc.c,
 * bpf/lib/policy.h). The agent turns the policies that select an endpoint into that endpoint's
 * policy map, keyed by struct policy_key (bpf/lib/common.h: the peer's security identity
 * sec_label, dport, protocol, and the egress bit). Egress is decided at the source endpoint,
 * in cil_from_container (handle_ipv4_from_lxc: policy_can_egress4, the key holding the
 * destination's identity); ingress at the destination endpoint, in its own policy program
 * that local delivery tail-calls (ipv4_local_delivery -> the endpoint's entry in the policy
 * call map -> ipv4_policy: policy_can_ingress4, the key holding the source's identity). A
 * packet that arrives over the tunnel gets there the same way: cil_from_overlay takes the
 * source identity from the VNI of its tunnel key and tail-calls the endpoint's policy program.
 * A key with no entry is dropped with DROP_POLICY ("Policy denied", pkg/monitor/api drop.go).
 *
 * Which peers an endpoint's map allows is Kubernetes' NetworkPolicy (../../policy/verdict.ts):
 * a direction no policy selects the endpoint for is not enforced (the agent's default
 * enforcement mode), a selected one allows only what a rule allows. Only a connection's first
 * packet is looked up: Cilium's conntrack (cilium_ct4_global) passes the packets of a connection
 * already allowed, its replies included, without a policy lookup.
 */
import { parseIp } from '../../../model/ipv4.ts'
import { text, type Text } from '../../../model/text.ts'
import type { Lookup, Packet } from '../../../model/trace.ts'
import type { BuiltPod, Cluster } from '../../cluster.ts'
import type { NetNs } from '../../net/netns.ts'
import {
  policyVerdict,
  selectingPolicies,
  type DirectionVerdict,
  type PolicyEnd,
  type PolicyPod,
  type PolicyRef,
} from '../../policy/verdict.ts'
import type { Walk, WalkResult } from '../../walk/api.ts'
import { endpointLine } from './endpoint-list.ts'
import { hubbleCompact, type HubbleEnd } from './hubble.ts'
import { podIdentity, RESERVED_IDENTITIES } from './identity.ts'

/** The security identity of the address `ip`, as the ipcache on `node` maps it. */
export function identityOfAddress(
  c: Cluster,
  node: string,
  ip: string,
): { id: number; pod: BuiltPod | null } {
  const n = parseIp(ip)
  const pod = c.pods.find((p) => p.ip === n && !p.hostNetwork && p.hostVeth !== null)
  if (pod) return { id: podIdentity(c, pod)!.id, pod }
  const owner = c.nodes.find((x) => x.ip === n || x.routerIp === n)
  if (owner)
    return {
      id: owner.name === node ? RESERVED_IDENTITIES.host : RESERVED_IDENTITIES['remote-node'],
      pod: null,
    }
  return { id: RESERVED_IDENTITIES.world, pod: null }
}

function policyPod(p: BuiltPod): PolicyPod {
  return {
    namespace: p.namespace,
    name: p.name,
    labels: p.labels,
    ip: p.ip,
    hostNetwork: p.hostNetwork,
    node: p.node,
    ports: p.containers.flatMap((x) => x.ports),
  }
}

function policyEnd(c: Cluster, ip: string, identity: number | null = null): PolicyEnd {
  const n = parseIp(ip) ?? 0
  // A packet the tunnel key says is from outside the cluster (a NodePort request SNATed to the
  // router address) is the world's to policy, whatever address it carries.
  if (identity === RESERVED_IDENTITIES.world) return { kind: 'ip', ip: n }
  const pod = c.pods.find((p) => p.ip === n && !p.hostNetwork)
  if (pod) return { kind: 'pod', pod: policyPod(pod) }
  const node = c.nodes.find((x) => x.ip === n || x.routerIp === n)
  if (node) return { kind: 'node', node: node.name, ip: n }
  return { kind: 'ip', ip: n }
}

const names = (refs: PolicyRef[]) => refs.map((r) => `${r.namespace}/${r.name}`).join(', ')
/**
 * The identity of a packet's source: the tunnel key's, when cil_from_overlay read one (the
 * sender's node wrote it, bpf/lib/overloadable_skb.h ctx_set_encap_info4), else the ipcache's.
 */
function sourceIdentity(
  c: Cluster,
  node: string,
  ip: string,
  tunnelId: number | null,
): { id: number; pod: BuiltPod | null } {
  const byAddress = identityOfAddress(c, node, ip)
  if (tunnelId === null || tunnelId === byAddress.id) return byAddress
  return { id: tunnelId, pod: null }
}

const hubbleEnd = (
  c: Cluster,
  node: string,
  ip: string,
  port: number,
  tunnelId: number | null = null,
): HubbleEnd => {
  const id = sourceIdentity(c, node, ip, tunnelId)
  return { pod: id.pod ? `${id.pod.namespace}/${id.pod.name}` : null, ip, port, identity: id.id }
}

export interface PolicyCheck {
  /** The drop, when the policy map has no entry for the key. */
  dropped: WalkResult | null
  /** What decided: the policy map lookup, and Hubble's view of the packet. */
  lookups: Lookup[]
  /** A sentence for the narration of the step that lets the packet go on (none if not isolated). */
  note: Text | null
}

/**
 * The policy lookup of `self`'s endpoint for a packet in direction `dir`: Egress as it leaves
 * `self`, Ingress as it is delivered to it. `at` is where the program runs (for a drop).
 */
export function policyCheck(
  w: Walk,
  ns: NetNs,
  pkt: Packet,
  self: BuiltPod,
  dir: 'Ingress' | 'Egress',
  at: { device: string; hook: string },
  /** What the program learnt before the lookup (the source identity from the VNI), for a drop. */
  before: Text | null = null,
  /** The source identity from the tunnel key, for a packet that came over the tunnel. */
  tunnelId: number | null = null,
): PolicyCheck {
  const c = w.state.cluster
  const l3 = pkt.l3!
  const pod = `${self.namespace}/${self.name}`
  const isolated = selectingPolicies(c.policy, policyPod(self), dir).length > 0
  if (!w.newConnection && !isolated) return { dropped: null, lookups: [], note: null }
  if (!w.newConnection)
    return {
      dropped: null,
      lookups: [
        {
          table: 'Cilium conntrack (cilium_ct4_global)',
          rule: `${l3.proto.toUpperCase()} ${l3.src}:${pkt.l4?.srcPort ?? 0} -> ${l3.dst}:${pkt.l4?.dstPort ?? 0}: a connection already allowed`,
          matched: true,
        },
      ],
      note: text(
        `Cilium's conntrack knows this connection, already allowed on its first packet, so no policy lookup is made.`,
        `Cilium 的 conntrack 认得这个连接（它的第一个包已被允许），所以不再查策略表。`,
      ),
    }
  const proto = (l3.proto.toUpperCase() === 'UDP' ? 'UDP' : 'TCP') as 'TCP' | 'UDP'
  const port = pkt.l4?.dstPort ?? 0
  const src = policyEnd(c, l3.src, tunnelId)
  const dst = policyEnd(c, l3.dst)
  const v = policyVerdict(c.policy, { src, dst, protocol: proto, port })
  const d: DirectionVerdict = dir === 'Ingress' ? v.ingress : v.egress
  const peerIp = dir === 'Ingress' ? l3.src : l3.dst
  const peer =
    dir === 'Ingress'
      ? sourceIdentity(c, ns.node!, peerIp, tunnelId)
      : identityOfAddress(c, ns.node!, peerIp)
  const selfId = podIdentity(c, self)!.id
  const key = `${dir === 'Ingress' ? 'ingress' : 'egress'} identity=${peer.id} dport=${port} protocol=${proto}`
  const table = `Cilium policy map of ${pod} (identity ${selfId})`
  const hubble = (verdict: 'FORWARDED' | 'DROPPED'): Lookup => ({
    table: 'hubble observe',
    rule: hubbleCompact({
      src: hubbleEnd(c, ns.node!, l3.src, pkt.l4?.srcPort ?? 0, tunnelId),
      dst: hubbleEnd(c, ns.node!, l3.dst, port),
      type: verdict === 'DROPPED' ? 'Policy denied' : 'to-endpoint',
      verdict,
      summary: proto === 'TCP' ? 'TCP Flags: SYN' : 'UDP',
      isReply: verdict === 'DROPPED' ? null : false,
    }),
    matched: true,
  })
  // The endpoint's line in the agent's endpoint list: its enforcement in this direction is
  // Enabled, which is why its policy map is looked up at all.
  const line = endpointLine(c, ns.node!, pod)
  const endpoint: Lookup[] = line
    ? [{ table: 'cilium-dbg endpoint list', rule: line, matched: true }]
    : []
  const peerName = peer.pod ? `${peer.pod.namespace}/${peer.pod.name}` : peerIp
  const way = dir === 'Ingress' ? 'ingress' : 'egress'
  const wayZh = dir === 'Ingress' ? '入站' : '出站'
  if (d.allowed) {
    const rule =
      d.why === 'rule'
        ? `${key} -> allow (NetworkPolicy ${d.policy.namespace}/${d.policy.name}, ${way} rule ${d.rule + 1})`
        : `${key} -> allow (the Pod's own node)`
    const lookups: Lookup[] = isolated ? [...endpoint, { table, rule, matched: true }] : []
    // Hubble's trace event for the delivery to the endpoint (TRACE_TO_LXC).
    if (dir === 'Ingress' && proto === 'TCP') lookups.push(hubble('FORWARDED'))
    if (!isolated) return { dropped: null, lookups, note: null }
    const note =
      d.why === 'rule'
        ? text(
            `Pod ${pod} is isolated for ${way}; its endpoint's policy map has an entry for (${way}, identity ${peer.id} of ${peerName}, ${proto} port ${port}), put there by NetworkPolicy ${d.policy.namespace}/${d.policy.name}, so the packet is allowed.`,
            `Pod ${pod} 在${wayZh}方向被隔离；它的端点策略表里有（${wayZh}，${peerName} 的身份 ${peer.id}，${proto} 端口 ${port}）这一项，由 NetworkPolicy ${d.policy.namespace}/${d.policy.name} 写入，所以这个包被允许。`,
          )
        : d.why === 'resident-node'
          ? text(
              `The packet comes from the Pod's own node (identity host), which NetworkPolicy cannot block, so it is allowed.`,
              `这个包来自 Pod 所在的节点（身份 host），NetworkPolicy 不能阻止它，所以被允许。`,
            )
          : null
    return { dropped: null, lookups, note }
  }
  const refs = d.isolatedBy
  const none = refs.every((r) => {
    const p = c.policy.policies.find((x) => x.namespace === r.namespace && x.name === r.name)
    return (dir === 'Ingress' ? p?.ingress : p?.egress)?.length === 0
  })
  const program =
    dir === 'Ingress' ? `the policy program of ${pod}'s endpoint` : 'cil_from_container'
  const programZh = dir === 'Ingress' ? `${pod} 端点的策略程序` : 'cil_from_container'
  const lookups: Lookup[] = [
    ...endpoint,
    { table, rule: `${key} -> no entry: DROP_POLICY (Policy denied)`, matched: true },
    hubble('DROPPED'),
  ]
  const explain = text(
    `${before ? `${before.en} ` : ''}Cilium drops the packet in ${program}. NetworkPolicy ${names(refs)} ${refs.length > 1 ? 'select' : 'selects'} Pod ${pod} with ${dir} in policyTypes, so its endpoint allows only what those policies allow ${dir === 'Ingress' ? 'in' : 'out'}. ${none ? `${refs.length > 1 ? 'They have' : 'It has'} no ${way} rule at all (a default deny), so the endpoint's policy map holds no ${way} entry.` : `None of their rules admits ${peerName} (identity ${peer.id}) on ${proto} port ${port}.`} The lookup of (${way}, identity ${peer.id}, ${proto} port ${port}) finds no entry, and the program drops the packet with the reason "Policy denied" (DROP_POLICY). Nothing answers: the client's connection attempt goes unanswered until it times out.`,
    `${before?.['zh-CN'] ?? ''}Cilium 在 ${programZh} 中丢弃了这个包。NetworkPolicy ${names(refs)} 选中了 Pod ${pod}，且其 policyTypes 含 ${dir}，所以它的端点只放行这些策略允许的${wayZh}流量。${none ? `策略里根本没有${wayZh}规则（默认拒绝），所以端点的策略表里没有任何${wayZh}条目。` : `它们的规则都不允许 ${peerName}（身份 ${peer.id}）的 ${proto} 端口 ${port}。`}查找（${wayZh}，身份 ${peer.id}，${proto} 端口 ${port}）没有找到条目，程序以原因 “Policy denied”（DROP_POLICY）丢弃这个包。没有任何应答：客户端的连接请求得不到回应，直到超时。`,
  )
  const reason = text(
    `NetworkPolicy ${names(refs)}: no rule allows ${way} ${dir === 'Ingress' ? `from ${peerName}` : `to ${peerName}:${port}`} for ${pod} (Cilium: Policy denied)`,
    `NetworkPolicy ${names(refs)}：没有规则允许 ${pod} 的这个${wayZh}流量（${dir === 'Ingress' ? `来自 ${peerName}` : `发往 ${peerName}:${port}`}；Cilium：Policy denied）`,
  )
  return {
    dropped: w.drop(
      ns,
      { device: at.device, component: 'cilium', hook: at.hook },
      pkt,
      reason,
      explain,
      lookups,
    ),
    lookups,
    note: null,
  }
}
