/**
 * "What happens to the packet at the next step?", asked where it is dropped or rejected, where
 * felix lets it through because its peer is in a policy selector's IP set, and where the request
 * reaches the process it was for (the last delivery of the request phase).
 * There the right choice also says which source address the receiver sees: the client's own,
 * or the node's after a masquerade, which is what externalTrafficPolicy is about.
 */
import { text, type Text } from '../../model/text.ts'
import type { Location, Step } from '../../model/trace.ts'
import type { Ask } from './context.ts'
import type { ChoiceValue } from './question.ts'
import { pickDistractors } from './seeded.ts'
import { bpfPolicyLabel, bpfPolicyPrompt, bpfPolicyVerdict } from './bpf-policy-verdict.ts'

type FateValue = Extract<ChoiceValue, { kind: 'fate' }>

function receiver(at: Location): Text {
  if (at.container && at.pod)
    return text(
      `container "${at.container}" of Pod ${at.pod}`,
      `Pod ${at.pod} 的容器 "${at.container}"`,
    )
  if (at.pod) return text(`Pod ${at.pod}`, `Pod ${at.pod}`)
  if (at.component === 'internet') return text('the Internet', '互联网')
  const who = at.component ?? at.node ?? '?'
  return text(who, who)
}

function label(v: FateValue, at: Location): Text {
  switch (v.fate) {
    case 'dropped':
      return text(
        'It is dropped silently: the sender hears nothing and times out',
        '被静默丢弃：发送方收不到任何回应，最终超时',
      )
    case 'rejected':
      return text(
        'It is rejected: the sender gets an error back at once',
        '被拒绝：发送方立即收到一个错误',
      )
    case 'delivered': {
      const r = receiver(at)
      return v.source === null
        ? text('It goes on towards its destination', '它继续发往目的地')
        : text(
            `It is delivered to ${r.en}, which sees the source ${v.source}`,
            `送达${r['zh-CN']}，它看到的源地址是 ${v.source}`,
          )
    }
  }
}

/**
 * felix's verdict in a workload endpoint's filter chain: cali-tw-<veth> (to the Pod) or
 * cali-fw-<veth> (from it) ends each tier with the rule commented "End of tier <tier>. Drop if
 * no policies passed packet" (felix/rules/endpoints.go, projectcalico/calico); the policies'
 * own chains are cali-pi- (ingress) and cali-po- (egress).
 */
interface PolicyVerdict {
  chain: string
  comment: string
  policyChain: 'cali-pi-' | 'cali-po-'
  /** The veth the chain is for: the packet would go on into (tw) or out of (fw) its Pod. */
  veth: string
  /**
   * The first IP set of a policy's selector (felix's cali40s:) the policy chains tested the
   * packet against, and the address they tested: the peer's, source on ingress, destination on
   * egress. Null where no rule of theirs matches a selector.
   */
  set: { name: string; addr: string } | null
}

const SET_MATCH = / -m set --match-set (cali40s:\S+) (src|dst) /

/** The IP set a felix policy rule tested the packet against at `next`, and whether it matched. */
function testedSet(next: Step): { name: string; addr: string; matched: boolean } | null {
  const tested = next.lookups.filter(
    (x) => /^iptables -t filter cali-p[io]-/.test(x.table) && SET_MATCH.test(x.rule),
  )
  // The set whose rule let the packet through, else the first one it was tested against.
  const hit = tested.find((x) => x.matched && / -j MARK --set-xmark 0x10000\/0x10000$/.test(x.rule))
  const l = hit ?? tested[0]
  const m = l && SET_MATCH.exec(l.rule)
  const l3 = next.packet.l3
  if (!m || !l3) return null
  return { name: m[1]!, addr: m[2] === 'src' ? l3.src : l3.dst, matched: hit !== undefined }
}

function policyVerdict(next: Step): PolicyVerdict | null {
  const drop = next.lookups.find(
    (l) =>
      l.matched &&
      /^iptables -t filter cali-[tf]w-/.test(l.table) &&
      /Drop if no policies passed packet/.test(l.rule) &&
      / -j DROP$/.test(l.rule),
  )
  const set = testedSet(next)
  if (!drop) {
    // Let through by a policy whose selector's IP set holds the peer: the chain that jumped to it.
    if (!set?.matched) return null
    const tw = next.lookups.find((l) => /^iptables -t filter cali-[tf]w-/.test(l.table))
    if (!tw) return null
    const chain = tw.table.slice('iptables -t filter '.length)
    return {
      chain,
      comment: 'End of tier default. Drop if no policies passed packet',
      policyChain: chain.startsWith('cali-tw-') ? 'cali-pi-' : 'cali-po-',
      veth: chain.slice('cali-tw-'.length),
      set,
    }
  }
  const chain = drop.table.slice('iptables -t filter '.length)
  const comment = /--comment "(End of tier [^"]*)"/.exec(drop.rule)?.[1]
  if (!comment) return null
  return {
    chain,
    comment,
    policyChain: chain.startsWith('cali-tw-') ? 'cali-pi-' : 'cali-po-',
    veth: chain.slice('cali-tw-'.length),
    set,
  }
}

function policyLabel(v: FateValue, p: PolicyVerdict): Text {
  if (p.set) {
    const { name, addr } = p.set
    const into = p.policyChain === 'cali-pi-'
    if (v.fate === 'dropped')
      return text(
        `It is dropped by felix's rule "${p.comment}": ${addr} is not in the IP set ${name} that the policy's rule matches`,
        `被 felix 的规则“${p.comment}”丢弃：${addr} 不在策略规则匹配的 IP 集合 ${name} 中`,
      )
    if (v.fate === 'delivered')
      return text(
        `It goes on ${into ? 'into' : 'out of'} the Pod behind ${p.veth}: ${addr} is in the IP set ${name}, so the policy's ${p.policyChain} chain sets the accept mark`,
        `它继续${into ? '进入' : '离开'} ${p.veth} 后面的 Pod：${addr} 在 IP 集合 ${name} 中，所以策略的 ${p.policyChain} 链设置了接受标记`,
      )
  }
  switch (v.fate) {
    case 'dropped':
      return text(
        `It is dropped by felix's rule "${p.comment}": no policy let it through, and the sender hears nothing`,
        `被 felix 的规则“${p.comment}”丢弃：没有任何策略放行它，发送方收不到任何回应`,
      )
    case 'rejected':
      return text(
        'It is rejected: felix sends the sender an error back at once',
        '被拒绝：felix 立即给发送方回一个错误',
      )
    case 'delivered':
      return p.policyChain === 'cali-pi-'
        ? text(
            `It goes on into the Pod behind ${p.veth}: a policy's cali-pi- chain sets the accept mark`,
            `它继续进入 ${p.veth} 后面的 Pod：某个策略的 cali-pi- 链设置了接受标记`,
          )
        : text(
            `It goes on out of the Pod behind ${p.veth}: a policy's cali-po- chain sets the accept mark`,
            `它继续离开 ${p.veth} 后面的 Pod：某个策略的 cali-po- 链设置了接受标记`,
          )
  }
}

const fate = (f: FateValue['fate'], source: string | null = null): FateValue => ({
  kind: 'fate',
  fate: f,
  source,
})

export const askFate: Ask = (ctx) => {
  const { next, trace } = ctx
  const steps = trace.steps
  const lastRequestDeliver = steps
    .filter((s) => s.phase === 'request' && s.action === 'deliver')
    .at(-1)
  let right: FateValue
  let wrong: FateValue[]
  if (next.action === 'drop') {
    right = fate('dropped')
    wrong = [fate('rejected'), fate('delivered')]
  } else if (next.action === 'reject') {
    right = fate('rejected')
    wrong = [fate('dropped'), fate('delivered')]
  } else if (next === lastRequestDeliver && next.packet.l3) {
    const seen = next.packet.l3.src
    // The most tempting other sources: the ones the packet had on the way when it was
    // rewritten (the client's own, then a node's, as on AWS before the Internet gateway); else
    // an address of a node it passed.
    const upTo = steps.indexOf(next)
    const earlier = [
      ...new Set(
        steps
          .slice(0, upTo)
          .filter((s) => s.phase === 'request' && s.packet.l3)
          .map((s) => s.packet.l3!.src),
      ),
    ]
    const others = pickDistractors(
      ctx.rng,
      [earlier, ctx.pool.nodeIps, ctx.pool.gatewayIps],
      (ip) => ip,
      seen,
      earlier.filter((ip) => ip !== seen).length > 1 ? 2 : 1,
    )
    right = fate('delivered', seen)
    wrong = [...others.map((ip) => fate('delivered', ip)), fate('dropped'), fate('rejected')]
  } else if (policyVerdict(next)?.set || bpfPolicyVerdict(next)?.allowed) {
    // felix lets the packet through because its peer is in a selector's IP set; Cilium because
    // its policy map has an entry for the peer's identity.
    right = fate('delivered')
    wrong = [fate('dropped'), fate('rejected')]
  } else return null
  const verdict = policyVerdict(next)
  const bpf = verdict ? null : bpfPolicyVerdict(next)
  const choice = (v: FateValue) => ({
    label: verdict ? policyLabel(v, verdict) : bpf ? bpfPolicyLabel(v, bpf) : label(v, next.at),
    value: v,
  })
  return {
    kind: 'fate',
    prompt: verdict
      ? text(
          `What happens to the packet in felix's chain ${verdict.chain} at the next step?`,
          `下一步这个包在 felix 的链 ${verdict.chain} 中会怎样？`,
        )
      : bpf
        ? bpfPolicyPrompt(bpf)
        : text('What happens to the packet at the next step?', '下一步这个包会怎样？'),
    right: choice(right),
    wrong: wrong.map(choice),
  }
}
