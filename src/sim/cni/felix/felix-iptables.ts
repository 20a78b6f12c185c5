/**
 * felix's filter rules on one node, as the CNI agent's iptables beside kube-proxy's, and how a
 * drop by one of them reads: the Pod, the direction, the policies that isolate it, and felix's
 * own DROP rule. Used by the data planes whose Pods felix polices (calico, canal).
 */
import { text, type Text } from '../../../model/text.ts'
import type { BuiltNode, BuiltPod } from '../../cluster.ts'
import type { BuildContext } from '../../assemble/context.ts'
import { selectingPolicies, type PolicyPod, type PolicyRef } from '../../policy/verdict.ts'
import type { Lookup, Packet } from '../../../model/trace.ts'
import type { CniFilterDrop, CniIptables } from '../cni-iptables.ts'
import { felixFilter, policyChainName, type FelixEndpoint } from './filter-chains.ts'

export function policyPodOf(p: BuiltPod): PolicyPod {
  return {
    namespace: p.namespace,
    name: p.name,
    labels: p.labels,
    ip: p.ip,
    hostNetwork: p.hostNetwork,
    node: p.node,
    ports: p.containers.flatMap((c) => c.ports),
  }
}

/** The cluster's workload endpoints: every Pod with a Calico veth (hostNetwork Pods have none). */
function workloadEndpoints(ctx: BuildContext): (FelixEndpoint & { node: string })[] {
  return ctx.pods
    .filter((p) => !p.hostNetwork && p.hostVeth !== null)
    .map((p) => ({
      node: p.node,
      pod: policyPodOf(p),
      iface: p.hostVeth!,
      serviceAccount: p.serviceAccount,
    }))
}

const names = (refs: PolicyRef[]) => refs.map((r) => `${r.namespace}/${r.name}`).join(', ')

/** felix's filter table on `node`, with the narration of its drops. */
export function felixIptables(ctx: BuildContext, node: BuiltNode): CniIptables {
  const world = ctx.policy
  const all = workloadEndpoints(ctx)
  const f = felixFilter(
    world,
    all.filter((e) => e.node === node.name),
    all,
  )
  const filterDrop = (d: CniFilterDrop): { explain: Text; reason: Text } | null => {
    const ep = f.endpointOf.get(d.chain)
    const comment = [...d.rule.matchAll(/--comment "([^"]*)"/g)].map((x) => x[1]!).at(-1) ?? ''
    if (!d.chain.startsWith('cali-')) return null
    const l3 = d.pkt.l3!
    const what = `${l3.proto.toUpperCase()} ${l3.src}:${d.pkt.l4?.srcPort ?? 0} -> ${l3.dst}:${d.pkt.l4?.dstPort ?? 0}`
    if (ep && comment.startsWith('End of tier')) {
      const pod = `${ep.endpoint.pod.namespace}/${ep.endpoint.pod.name}`
      const dir = ep.ingress ? 'Ingress' : 'Egress'
      const isolating = selectingPolicies(world, ep.endpoint.pod, dir)
      const refs = isolating.map((p) => ({ namespace: p.namespace, name: p.name }))
      const chains = isolating.map((p) => policyChainName(ep.ingress ? 'pi' : 'po', p)).join(', ')
      const none = isolating.every((p) => (ep.ingress ? p.ingress : p.egress).length === 0)
      // The IP sets those policies' rules match (their selector peers), and the address they test.
      const chainNames = new Set(isolating.map((p) => policyChainName(ep.ingress ? 'pi' : 'po', p)))
      const setNames = [
        ...new Set(
          f.rules
            .filter((r) => chainNames.has(r.chain))
            .flatMap((r) => {
              const i = r.args.indexOf('--match-set')
              return i >= 0 && r.args[i + 2] !== 'dst,dst' ? [r.args[i + 1]!] : []
            }),
        ),
      ]
      const addr = ep.ingress ? l3.src : l3.dst
      const sets = setNames.length
        ? {
            en: ` Their rules match the ${ep.ingress ? 'source' : 'destination'} against the IP ${setNames.length > 1 ? 'sets' : 'set'} ${setNames.join(', ')} (the Pods their selectors select, kept by felix); ${addr} is ${setNames.length > 1 ? 'in none of them' : 'not in it'}.`,
            zh: `这些规则用 IP 集合 ${setNames.join('、')}（felix 维护的、其选择器选中的 Pod 的地址）匹配${ep.ingress ? '源' : '目的'}地址；${addr} ${setNames.length > 1 ? '不在其中任何一个里' : '不在其中'}。`,
          }
        : { en: '', zh: '' }
      const peer = ep.ingress ? `from ${l3.src}` : `to ${l3.dst}:${d.pkt.l4?.dstPort ?? 0}`
      const peerZh = ep.ingress ? `来自 ${l3.src}` : `发往 ${l3.dst}:${d.pkt.l4?.dstPort ?? 0}`
      // A DROP sends nothing back: TCP's SYN is retried until connect() times out; a DNS query
      // over UDP is retried, then the lookup fails.
      const silence =
        l3.proto === 'udp'
          ? {
              en: 'Nothing answers: the sender hears nothing back (a DNS client retries, then gives up).',
              zh: '没有任何应答：发送方什么也收不到（DNS 客户端会重试，然后放弃）。',
            }
          : {
              en: "Nothing answers: the client's connection attempt goes unanswered until it times out.",
              zh: '没有任何应答：客户端的连接请求得不到回应，直到超时。',
            }
      return {
        explain: text(
          `felix, Calico's agent on this node, drops the packet in ${d.chain}, the chain for traffic ${ep.ingress ? 'to' : 'from'} Pod ${pod}. NetworkPolicy ${names(refs)} ${refs.length > 1 ? 'select' : 'selects'} the Pod with ${dir} in ${refs.length > 1 ? 'their' : 'its'} policyTypes, so the Pod is isolated for ${dir.toLowerCase()}: only what one of those policies allows gets ${ep.ingress ? 'in' : 'out'}. ${none ? `${refs.length > 1 ? 'They have' : 'It has'} no ${dir.toLowerCase()} rule at all (a default deny), so` : 'None of their rules allows this packet'} ${none ? 'nothing is allowed: ' : setNames.length ? `(${what}).${sets.en} So ` : `(${what}): `}the policy ${isolating.length > 1 ? 'chains' : 'chain'} ${chains} ${isolating.length > 1 ? 'return' : 'returns'} without setting the accept mark 0x10000, and felix's rule "${comment}" drops it. ${silence.en}`,
          `felix（本节点上的 Calico 代理）在 ${d.chain} 中丢弃了这个包，这条链处理${ep.ingress ? '进入' : '离开'} Pod ${pod} 的流量。NetworkPolicy ${names(refs)} 选中了这个 Pod，且其 policyTypes 含 ${dir}，所以这个 Pod 在${ep.ingress ? '入站' : '出站'}方向被隔离：只有这些策略之一允许的流量才能${ep.ingress ? '进入' : '出去'}。${none ? '策略里根本没有' + (ep.ingress ? '入站' : '出站') + '规则（默认拒绝），所以什么都不允许：' : setNames.length ? `没有任何规则允许这个${peerZh}的包（${what}）。${sets.zh}因此` : `没有任何规则允许这个${peerZh}的包（${what}）：`}策略链 ${chains} 返回时没有设置接受标记 0x10000，于是 felix 的规则“${comment}”把它丢弃。${silence.zh}`,
        ),
        reason: text(
          `NetworkPolicy ${names(refs)}: no rule allows ${dir.toLowerCase()} ${peer} for ${pod}`,
          `NetworkPolicy ${names(refs)}：没有规则允许 ${pod} 的这个${ep.ingress ? '入站' : '出站'}流量（${peerZh}）`,
        ),
      }
    }
    return {
      explain: text(
        `felix, Calico's agent on this node, drops the packet in ${d.chain} at its rule "${comment}" (${what}).`,
        `felix（本节点上的 Calico 代理）在 ${d.chain} 中用它的规则“${comment}”丢弃了这个包（${what}）。`,
      ),
      reason: text(`dropped by felix: ${comment}`, `被 felix 丢弃：${comment}`),
    }
  }
  // The policy each cali-pi-/cali-po- chain is for.
  const policyOf = new Map<string, { ref: PolicyRef; ingress: boolean }>()
  for (const p of world.policies) {
    const ref = { namespace: p.namespace, name: p.name }
    policyOf.set(policyChainName('pi', p), { ref, ingress: true })
    policyOf.set(policyChainName('po', p), { ref, ingress: false })
  }
  const filterPass = (d: { tested: Lookup[]; pkt: Packet }): Text | null => {
    // The allow rule that set the accept mark (policy.go: match -> --set-mark 0x10000/0x10000).
    const hit = d.tested.find(
      (l) =>
        l.matched &&
        /^iptables -t filter cali-p[io]-/.test(l.table) &&
        / -j MARK --set-xmark 0x10000\/0x10000$/.test(l.rule),
    )
    const l3 = d.pkt.l3
    if (!hit || !l3) return null
    const chain = hit.table.slice('iptables -t filter '.length)
    const pol = policyOf.get(chain)
    if (!pol) return null
    const set = / -m set --match-set (\S+) (src|dst|dst,dst) /.exec(hit.rule)
    const addr = set?.[2] === 'src' ? l3.src : l3.dst
    const what =
      set === null
        ? { en: '', zh: '' }
        : set[2] === 'dst,dst'
          ? {
              en: ` (${addr},${l3.proto}:${d.pkt.l4?.dstPort ?? 0} is in the named-port IP set ${set[1]})`,
              zh: `（${addr},${l3.proto}:${d.pkt.l4?.dstPort ?? 0} 在命名端口 IP 集合 ${set[1]} 中）`,
            }
          : {
              en: ` (its ${set[2] === 'src' ? 'source' : 'destination'} ${addr} is in the IP set ${set[1]}, the Pods the rule's selector selects)`,
              zh: `（它的${set[2] === 'src' ? '源' : '目的'}地址 ${addr} 在 IP 集合 ${set[1]} 中，即这条规则的选择器选中的 Pod）`,
            }
    const name = `${pol.ref.namespace}/${pol.ref.name}`
    return text(
      `felix lets it ${pol.ingress ? 'in' : 'out'}: a rule of NetworkPolicy ${name} in ${chain} matches it${what.en} and sets the accept mark 0x10000, which felix's rule "Policy explicitly accepted packet." at the end of FORWARD accepts.`,
      `felix 放行了它：NetworkPolicy ${name} 在 ${chain} 中的一条规则匹配它${what.zh}，并设置接受标记 0x10000，FORWARD 末尾 felix 的规则“Policy explicitly accepted packet.”据此接受它。`,
    )
  }
  return {
    natChains: [],
    filterPass,
    filterChains: f.chains,
    rules: f.rules,
    insertedJumps: f.inserts,
    jumps: f.appends,
    ipsets: f.ipsets.map((s) => s.set),
    // A drop lists the policy rules the packet was tested against and did not match.
    shownUnmatched: f.chains.filter((c) => c.startsWith('cali-pi-') || c.startsWith('cali-po-')),
    filterDrop,
  }
}
