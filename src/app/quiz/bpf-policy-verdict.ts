/**
 * Cilium's verdict at a step, as the step's lookups show it: the endpoint's policy map looked up
 * by (direction, the peer's security identity, port, protocol), an entry allowing the packet or
 * none (DROP_POLICY, "Policy denied"; src/sim/cni/cilium/policy.ts). For the fate question.
 */
import { text, type Text } from '../../model/text.ts'
import type { Step } from '../../model/trace.ts'
import type { ChoiceValue } from './question.ts'

type FateValue = Extract<ChoiceValue, { kind: 'fate' }>

export interface BpfPolicyVerdict {
  /** `namespace/name` of the endpoint whose policy map was looked up. */
  pod: string
  direction: 'ingress' | 'egress'
  /** The peer's security identity, the key's first field. */
  identity: string
  port: string
  protocol: string
  allowed: boolean
}

const TABLE = /^Cilium policy map of (\S+) \(identity \d+\)$/
const RULE = /^(ingress|egress) identity=(\d+) dport=(\d+) protocol=(\w+) -> (allow|no entry)/

export function bpfPolicyVerdict(next: Step): BpfPolicyVerdict | null {
  for (const l of next.lookups) {
    const t = TABLE.exec(l.table)
    const r = t && RULE.exec(l.rule)
    if (!t || !r) continue
    return {
      pod: t[1]!,
      direction: r[1] as 'ingress' | 'egress',
      identity: r[2]!,
      port: r[3]!,
      protocol: r[4]!,
      allowed: r[5] === 'allow',
    }
  }
  return null
}

export function bpfPolicyPrompt(v: BpfPolicyVerdict): Text {
  return text(
    `What does the ${v.direction} policy lookup of ${v.pod}'s endpoint do with the packet at the next step?`,
    `下一步 ${v.pod} 端点的${v.direction === 'ingress' ? '入站' : '出站'}策略查找会怎样处理这个包？`,
  )
}

export function bpfPolicyLabel(f: FateValue, v: BpfPolicyVerdict): Text {
  const key = `(${v.direction}, identity ${v.identity}, ${v.protocol} port ${v.port})`
  const keyZh = `（${v.direction === 'ingress' ? '入站' : '出站'}，身份 ${v.identity}，${v.protocol} 端口 ${v.port}）`
  switch (f.fate) {
    case 'dropped':
      return text(
        `It is dropped, "Policy denied": the policy map has no entry for ${key}, and the sender hears nothing`,
        `被丢弃，“Policy denied”：策略表里没有${keyZh}这一项，发送方收不到任何回应`,
      )
    case 'rejected':
      return text(
        'It is rejected: Cilium sends the sender an error back at once',
        '被拒绝：Cilium 立即给发送方回一个错误',
      )
    case 'delivered':
      return text(
        `It goes on: a policy put an entry for ${key} in the policy map`,
        `它继续前进：某条策略在策略表里写入了${keyZh}这一项`,
      )
  }
}
