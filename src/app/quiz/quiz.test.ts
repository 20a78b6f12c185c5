import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { goldenPath, lessonSource, type Golden } from '../../cli/golden.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { LESSONS, type LessonMeta } from '../../lessons/catalog.ts'
import type { Location, Step, Trace } from '../../model/trace.ts'
import type { ClusterSummary } from '../../sim/protocol.ts'
import { summarize } from '../../sim/summary.ts'
import type { ChoiceValue, Question, QuestionKind } from './question.ts'
import { buildQuiz, questionAt, unfoldedQuestions } from './quiz.ts'

interface LessonCase {
  lesson: LessonMeta
  cluster: ClusterSummary
  traces: Trace[]
}

const CASES: LessonCase[] = LESSONS.map((lesson) => {
  const golden = JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as Golden
  const loaded = loadScenarioSource(lessonSource(lesson), `lessons/${lesson.file}`)
  return {
    lesson,
    cluster: loaded.cluster ? summarize(loaded.cluster) : (null as unknown as ClusterSummary),
    traces: golden.traces,
  }
})

/** The nearest earlier step with an IP header (ARP steps have none). */
function before(steps: Step[], i: number): Step | null {
  for (let j = i - 1; j >= 0; j--) if (steps[j]!.packet.l3) return steps[j]!
  return null
}

/**
 * The box a step is drawn at, reduced to the fields that name it: the container a process
 * runs in, else the device (a hostNetwork Pod's devices are its node's), else a component on a
 * node or outside, else the node.
 */
function box(at: Location, cluster: ClusterSummary): string {
  const host = cluster.pods.some((p) => `${p.namespace}/${p.name}` === at.pod && p.hostNetwork)
  const own = at.component && at.component !== 'kernel' && at.component !== 'app'
  if (at.pod && at.container) return `container ${at.pod} ${at.container}`
  if (at.pod && at.device && !host) return `device ${at.pod} ${at.device}`
  if (at.node && at.device) return `device ${at.node} ${at.device}`
  if (at.node && own) return `component ${at.node} ${at.component}`
  if (at.node) return `node ${at.node}`
  return `component ${at.component}`
}

/**
 * The network namespace a step acts in: its Pod's own, unless the Pod shares its node's
 * (hostNetwork) or there is no Pod; then its node's (null: outside every node).
 */
function netnsOf(at: Location, cluster: ClusterSummary): string | null {
  const host = cluster.pods.some((p) => `${p.namespace}/${p.name}` === at.pod && p.hostNetwork)
  if (at.pod && !host) return `pod ${at.pod}`
  return at.node ? `node ${at.node}` : null
}

function digRecord(line: string): string {
  const f = line.trim().split(/\s+/)
  return `${f[3]} ${f.slice(4).join(' ')}`
}

/**
 * Whether a choice is true of step n+1 of the golden trace: written from the trace format, not
 * from the quiz's code, so that a quiz that draws a wrong answer fails here.
 */
function holds(v: ChoiceValue, steps: Step[], n: number, cluster: ClusterSummary): boolean {
  const next = steps[n + 1]!
  const p = next.packet
  switch (v.kind) {
    case 'place':
      return box(v.at, cluster) === box(next.at, cluster)
    case 'address': {
      if (!p.l3) return false
      const port = p.l4 ? (v.field === 'src' ? p.l4.srcPort : p.l4.dstPort) : null
      return p.l3[v.field] === v.ip && port === v.port
    }
    case 'rule':
      return next.lookups.some((l) => l.matched && l.rule === v.rule)
    case 'encap':
      if (!p.outer) return v.encap === 'none'
      if (p.outer.encap === 'ipip') return v.encap === 'ipip'
      return (
        v.encap === 'vxlan' && v.vni === (p.outer.vni ?? null) && v.port === p.outer.l4?.dstPort
      )
    case 'masquerade': {
      const was = before(steps, n + 1)!.packet.l3!.src
      return v.to === (p.l3!.src === was ? null : p.l3!.src)
    }
    case 'fate':
      if (next.action === 'drop') return v.fate === 'dropped'
      if (next.action === 'reject') return v.fate === 'rejected'
      return v.fate === 'delivered' && (v.source === null || v.source === p.l3?.src)
    case 'mac':
      return p.app?.protocol === 'arp' && p.app.answer === v.mac
    case 'dns': {
      if (p.app?.protocol === 'dns' && p.app.kind === 'answer')
        return (
          v.status === p.app.status &&
          JSON.stringify(v.records) === JSON.stringify((p.app.answers ?? []).map(digRecord))
        )
      const section = next.lookups
        .filter((l) => l.matched && l.table.startsWith('dig (answer section)'))
        .map((l) => digRecord(l.rule))
      return v.status === 'NOERROR' && JSON.stringify(v.records) === JSON.stringify(section)
    }
  }
}

const HAN = /[\u4e00-\u9fff]/

describe('the predict quiz, generated from each built-in lesson', () => {
  it('has a trace to ask about in every lesson but the one that teaches a refused Pod', () => {
    // mode1-port-conflict ends in a diagnostic (two containers bind 8080): no packet moves.
    expect(CASES.filter((c) => c.traces.length === 0).map((c) => c.lesson.id)).toEqual([
      'mode1-port-conflict',
    ])
  })

  for (const { lesson, cluster, traces } of CASES.filter((c) => c.traces.length > 0)) {
    describe(lesson.id, () => {
      it('asks at least 5 questions about the request the lesson opens with', () => {
        expect(buildQuiz(traces[0]!, cluster, { seed: 1 }).questions.length).toBeGreaterThan(4)
      })

      for (const trace of traces) {
        it(`${trace.traffic}: every right answer agrees with the golden trace, every distractor is wrong`, () => {
          const quiz = buildQuiz(trace, cluster, { seed: 1 })
          for (const q of quiz.questions) {
            const where = `${q.id} ${q.prompt.en}`
            expect(q.reveals, where).toBe(q.step + 1)
            expect(q.choices.length, where).toBeGreaterThanOrEqual(3)
            expect(new Set(q.choices.map((c) => c.id)).size, where).toBe(q.choices.length)
            expect(new Set(q.choices.map((c) => c.label.en)).size, where).toBe(q.choices.length)
            const right = q.choices.filter((c) => c.id === q.answer)
            expect(right.length, where).toBe(1)
            for (const c of q.choices)
              expect([c.label.en, holds(c.value, trace.steps, q.step, cluster)], where).toEqual([
                c.label.en,
                c.id === q.answer,
              ])
          }
        })

        it(`${trace.traffic}: "where next?" never offers the box the packet is at now`, () => {
          for (const q of buildQuiz(trace, cluster, { seed: 1 }).questions) {
            if (q.kind !== 'where') continue
            const now = box(trace.steps[q.step]!.at, cluster)
            // The question is asked only when the packet moves: the answer is another box.
            expect(box(trace.steps[q.reveals]!.at, cluster), q.id).not.toBe(now)
            for (const c of q.choices)
              if (c.value.kind === 'place')
                expect([c.label.en, box(c.value.at, cluster)], q.id).not.toEqual([c.label.en, now])
          }
        })

        it(`${trace.traffic}: "which rule?" offers only lines of that table in the namespace that reads it`, () => {
          // A route of another node or Pod would be no choice at all: the learner tells it
          // by its devices and addresses alone, without knowing which rule matches.
          for (const q of buildQuiz(trace, cluster, { seed: 1 }).questions) {
            if (q.kind !== 'rule') continue
            const ns = netnsOf(trace.steps[q.reveals]!.at, cluster)
            for (const c of q.choices) {
              const v = c.value as Extract<ChoiceValue, { kind: 'rule' }>
              const own = trace.steps.some(
                (s) =>
                  netnsOf(s.at, cluster) === ns &&
                  s.lookups.some((l) => l.table === v.table && l.rule === v.rule),
              )
              expect([q.id, v.rule, own]).toEqual([q.id, v.rule, true])
            }
          }
        })

        it(`${trace.traffic}: speaks both languages, and explains a wrong answer with the step's own words`, () => {
          for (const q of buildQuiz(trace, cluster, { seed: 1 }).questions) {
            const next = trace.steps[q.reveals]!
            expect(q.prompt['zh-CN'], q.id).toMatch(HAN)
            expect(q.prompt.en, q.id).not.toMatch(HAN)
            for (const c of q.choices) {
              expect(c.label.en.length, q.id).toBeGreaterThan(0)
              expect(c.label['zh-CN'].length, q.id).toBeGreaterThan(0)
            }
            expect(q.why.text.en, q.id).toContain(next.explain.en)
            expect(q.why.text['zh-CN'], q.id).toContain(next.explain['zh-CN'])
            // What decided the step: the rules its tunnel's outer packet passed are not among them.
            expect(q.why.rules, q.id).toEqual(
              next.lookups
                .filter((l) => l.matched && !l.outer)
                .map(({ table, rule }) => ({ table, rule })),
            )
          }
        })
      }

      it('gives the same quiz for the same seed, and other distractors or order for another', () => {
        const a = buildQuiz(traces[0]!, cluster, { seed: 7 })
        expect(buildQuiz(traces[0]!, cluster, { seed: 7 })).toEqual(a)
        const b = buildQuiz(traces[0]!, cluster, { seed: 8 })
        // The same questions at the same steps: the seed chooses only distractors and order.
        expect(b.questions.map((q) => q.id)).toEqual(a.questions.map((q) => q.id))
        expect(JSON.stringify(b.questions.map((q) => q.choices))).not.toBe(
          JSON.stringify(a.questions.map((q) => q.choices)),
        )
      })
    })
  }

  it('asks every kind of question somewhere in the lessons', () => {
    const kinds = new Set<QuestionKind>()
    for (const c of CASES)
      for (const t of c.traces)
        for (const q of buildQuiz(t, c.cluster, { seed: 1 }).questions) kinds.add(q.kind)
    expect([...kinds].sort()).toEqual(
      ['address', 'arp', 'dns', 'encap', 'fate', 'masquerade', 'rule', 'where'].sort(),
    )
  })
})

function quizOf(id: string, traffic?: string) {
  const c = CASES.find((x) => x.lesson.id === id)!
  const t = traffic ? c.traces.find((x) => x.traffic === traffic)! : c.traces[0]!
  return { quiz: buildQuiz(t, c.cluster, { seed: 1 }), trace: t }
}
const rightOf = (q: Question) => q.choices.find((c) => c.id === q.answer)!

describe('what the quiz asks, lesson by lesson', () => {
  it('flannel VXLAN: asks whether the packet is wrapped, and in VXLAN with VNI 1 to UDP 8472', () => {
    const { quiz } = quizOf('mode2-flannel-vxlan')
    const encap = quiz.questions.filter((q) => q.kind === 'encap')
    expect(encap.length).toBe(2) // the request and the reply
    expect(rightOf(encap[0]!).value).toEqual({ kind: 'encap', encap: 'vxlan', vni: 1, port: 8472 })
    // Calico's VXLAN defaults are a distractor: the same technique, other numbers.
    expect(encap[0]!.choices.map((c) => c.value)).toContainEqual({
      kind: 'encap',
      encap: 'vxlan',
      vni: 4096,
      port: 4789,
    })
  })

  it('Calico BGP: asks whether the packet is wrapped as it crosses, and the answer is no', () => {
    const { quiz } = quizOf('mode2-calico-bgp')
    const encap = quiz.questions.filter((q) => q.kind === 'encap')
    expect(encap.length).toBeGreaterThan(0)
    for (const q of encap) expect(rightOf(q).value).toMatchObject({ encap: 'none' })
  })

  it('ClusterIP in iptables mode: asks which KUBE-SERVICES line matches, among lines of that chain', () => {
    const { quiz, trace } = quizOf('mode3-clusterip-iptables')
    const rule = quiz.questions.find(
      (q) =>
        q.kind === 'rule' && q.prompt.en.includes('nat KUBE-SERVICES') && q.phase === 'request',
    )!
    expect(rule).toBeDefined()
    expect(rightOf(rule).label.en).toContain('"default/web:http cluster IP"')
    // The distractors: the lines of KUBE-SERVICES this packet was tested against, and those the
    // DNS query met for the other Services.
    const chain = trace.steps
      .flatMap((s) => s.lookups)
      .filter((l) => l.table === 'iptables -t nat KUBE-SERVICES')
      .map((l) => l.rule)
    for (const c of rule.choices) expect(chain).toContain((c.value as { rule: string }).rule)
    expect(rule.choices.length).toBe(3)
  })

  it('the DNS lookup: NXDOMAIN for the search-list names, then the ClusterIP', () => {
    const { quiz } = quizOf('mode3-clusterip-iptables')
    const dns = quiz.questions.filter((q) => q.kind === 'dns').map((q) => rightOf(q).label.en)
    expect(dns.slice(0, 3)).toEqual(Array(3).fill('NXDOMAIN: no such name'))
    expect(dns).toContain('A 10.106.171.216')
  })

  it('NodePort with externalTrafficPolicy Cluster: the source is masqueraded to the node', () => {
    const { quiz } = quizOf('mode4-nodeport-traffic-policy', 'cluster-policy-via-node-1')
    const masq = quiz.questions.find((q) => q.kind === 'masquerade')!
    // MASQUERADE takes the address of the device the packet leaves by: here node-1's tunl0.
    const tunl0 = CASES.find((c) => c.lesson.id === 'mode4-nodeport-traffic-policy')!
      .cluster.nodes.find((n) => n.name === 'node-1')!
      .devices.find((d) => d.name === 'tunl0')!
    expect(rightOf(masq).value).toEqual({
      kind: 'masquerade',
      to: tunl0.addresses[0]!.split('/')[0],
    })
    expect(masq.choices.map((c) => c.value)).toContainEqual({ kind: 'masquerade', to: null })
  })

  it('externalTrafficPolicy Local: the Pod sees the client itself', () => {
    const { quiz, trace } = quizOf('mode4-nodeport-traffic-policy', 'local-policy-via-node-2')
    const fate = quiz.questions.filter((q) => q.kind === 'fate').at(-1)!
    const client = trace.steps[0]!.packet.l3!.src
    expect(rightOf(fate).value).toEqual({ kind: 'fate', fate: 'delivered', source: client })
  })

  it('a failure is asked as one: dropped by the source ranges, rejected with no endpoints', () => {
    const fateOf = (id: string) =>
      quizOf(id)
        .quiz.questions.filter((q) => q.kind === 'fate')
        .map((q) => rightOf(q).value)
    expect(fateOf('mode3-source-ranges')).toContainEqual({
      kind: 'fate',
      fate: 'dropped',
      source: null,
    })
    expect(fateOf('mode3-no-endpoints')).toContainEqual({
      kind: 'fate',
      fate: 'rejected',
      source: null,
    })
  })

  it('Calico: the host end of the veth answers ARP for 169.254.1.1 with ee:ee:ee:ee:ee:ee', () => {
    const { quiz } = quizOf('mode2-calico-ipip')
    const arp = quiz.questions.find((q) => q.kind === 'arp' && q.prompt.en.includes('169.254.1.1'))!
    expect(rightOf(arp).value).toEqual({ kind: 'mac', mac: 'ee:ee:ee:ee:ee:ee' })
  })
})

describe('what the quiz asks in the NetworkPolicy and egress lessons', () => {
  const dropQuestion = (id: string) => {
    const { quiz, trace } = quizOf(id)
    return quiz.questions.find(
      (q) => q.kind === 'fate' && trace.steps[q.reveals]!.action === 'drop',
    )!
  }

  for (const [id, chain] of [
    ['mode2-policy-default-deny', 'cali-tw-cali68caf03a5f4'],
    ['mode3-policy-forgot-dns', 'cali-fw-calia7a3e029a7b'],
  ] as const) {
    it(`${id}: asks what felix's chain ${chain} does with the packet, and the choices name its rules`, () => {
      const q = dropQuestion(id)
      expect(q.prompt.en).toContain(`felix's chain ${chain}`)
      expect(q.prompt['zh-CN']).toContain(`felix 的链 ${chain}`)
      expect(rightOf(q).value).toEqual({ kind: 'fate', fate: 'dropped', source: null })
      // The rule that decides, as felix writes its comment (felix/rules/endpoints.go).
      for (const l of ['en', 'zh-CN'] as const)
        expect(rightOf(q).label[l]).toContain(
          '"End of tier default. Drop if no policies passed packet"'.replace(
            /"/g,
            l === 'en' ? '"' : '',
          ),
        )
      const wrong = q.choices.filter((c) => c.id !== q.answer)
      // Let through: a policy's own chain (cali-pi- / cali-po-) would have set the accept mark.
      const through = wrong.find((c) => c.value.kind === 'fate' && c.value.fate === 'delivered')!
      expect(through.label.en).toMatch(/cali-p[io]- chain sets the accept mark/)
      expect(through.label['zh-CN']).toMatch(/cali-p[io]- 链设置了接受标记/)
      expect(wrong.map((c) => c.value)).toContainEqual({
        kind: 'fate',
        fate: 'rejected',
        source: null,
      })
      // A wrong answer is explained with the step's narration, which names felix's chain.
      expect(q.why.text.en).toContain(chain)
      expect(q.why.text['zh-CN']).toContain(chain)
    })
  }

  // felix's rule for a selector peer matches an IP set (cali40s:): the choices say whether the
  // peer's address is in it, on the AND form's drop and on the OR form's admission alike.
  const felixQuestion = (traffic: string) => {
    const { quiz, trace } = quizOf('mode2-policy-and-or', traffic)
    const q = quiz.questions.find(
      (x) => x.kind === 'fate' && x.prompt.en.includes("felix's chain cali-tw-"),
    )!
    return { q, trace }
  }
  it('mode2-policy-and-or: the AND form drops alice/tool, not being in its IP set', () => {
    const { q, trace } = felixQuestion('tool-to-and-form')
    expect(trace.steps[q.reveals]!.action).toBe('drop')
    expect(rightOf(q).value).toEqual({ kind: 'fate', fate: 'dropped', source: null })
    expect(rightOf(q).label.en).toMatch(/: 10\.244\.0\.2 is not in the IP set cali40s:\S+ that/)
    expect(rightOf(q).label['zh-CN']).toMatch(/10\.244\.0\.2 不在策略规则匹配的 IP 集合 cali40s:/)
    const through = q.choices.find((c) => c.value.kind === 'fate' && c.value.fate === 'delivered')!
    expect(through.label.en).toMatch(/10\.244\.0\.2 is in the IP set cali40s:\S+, so/)
  })
  it('mode2-policy-and-or: the OR form lets alice/tool in, its address being in the namespace set', () => {
    const { q, trace } = felixQuestion('tool-to-or-form')
    expect(trace.steps[q.reveals]!.action).not.toBe('drop')
    expect(rightOf(q).value).toEqual({ kind: 'fate', fate: 'delivered', source: null })
    // The set of the element that matched (the namespaceSelector's), not the first one tested.
    const hit = trace.steps[q.reveals]!.lookups.find(
      (l) => l.matched && l.rule.includes('--match-set') && l.table.includes('cali-pi-'),
    )!
    const name = / --match-set (\S+) src/.exec(hit.rule)![1]!
    expect(rightOf(q).label.en).toContain(`10.244.0.2 is in the IP set ${name}, so`)
    expect(q.choices.map((c) => c.value)).toContainEqual({
      kind: 'fate',
      fate: 'dropped',
      source: null,
    })
  })

  // Cilium decides by its policy map: the choices name the key (direction, identity, port).
  it('mode2-policy-cilium: asks what the web endpoint\'s policy lookup does, dropping the other client "Policy denied"', () => {
    const { quiz, trace } = quizOf('mode2-policy-cilium', 'from-other')
    const q = quiz.questions.find(
      (x) => x.kind === 'fate' && trace.steps[x.reveals]!.action === 'drop',
    )!
    expect(q.prompt.en).toBe(
      "What does the ingress policy lookup of default/web's endpoint do with the packet at the next step?",
    )
    expect(q.prompt['zh-CN']).toContain('default/web 端点的入站策略查找')
    expect(rightOf(q).value).toEqual({ kind: 'fate', fate: 'dropped', source: null })
    expect(rightOf(q).label.en).toMatch(
      /^It is dropped, "Policy denied": the policy map has no entry for \(ingress, identity \d+, TCP port 80\)/,
    )
    const through = q.choices.find((c) => c.value.kind === 'fate' && c.value.fate === 'delivered')!
    expect(through.label['zh-CN']).toMatch(/策略表里写入了（入站，身份 \d+，TCP 端口 80）/)
  })
  it("mode2-policy-cilium: asks the same where the frontend client's identity has an entry, and it goes on", () => {
    const { quiz, trace } = quizOf('mode2-policy-cilium', 'from-frontend')
    const q = quiz.questions.find(
      (x) => x.kind === 'fate' && x.prompt.en.includes('policy lookup'),
    )!
    expect(trace.steps[q.reveals]!.action).not.toBe('drop')
    expect(rightOf(q).value).toEqual({ kind: 'fate', fate: 'delivered', source: null })
    expect(rightOf(q).label.en).toMatch(
      /^It goes on: a policy put an entry for \(ingress, identity \d+, TCP port 80\)/,
    )
  })

  const nodeIp = (id: string, node: string) =>
    CASES.find((c) => c.lesson.id === id)!.cluster.nodes.find((n) => n.name === node)!.ip
  const masqueradeQuestions = (id: string) =>
    quizOf(id).quiz.questions.filter((q) => q.kind === 'masquerade')
  const offered = (q: Question) =>
    q.choices.map((c) => (c.value as Extract<ChoiceValue, { kind: 'masquerade' }>).to)

  for (const id of ['mode2-egress-flannel', 'mode2-egress-calico']) {
    it(`${id}: asks which source the Internet will see: the node's, not the Pod's`, () => {
      const { trace } = quizOf(id)
      const q = masqueradeQuestions(id).at(-1)!
      expect(q.prompt.en).toBe('Which source address will the Internet see after the next step?')
      expect(q.prompt['zh-CN']).toBe('下一步之后，互联网看到的源地址是什么？')
      expect(rightOf(q).value).toEqual({ kind: 'masquerade', to: nodeIp(id, 'node-1') })
      // Left alone, it would be the Pod's own address.
      const pod = before(trace.steps, q.reveals)!.packet.l3!.src
      expect(q.choices.find((c) => (c.value as { to: string | null }).to === null)!.label.en).toBe(
        `${pod}: the source is left as it is`,
      )
    })
  }

  it("mode2-egress-aws: the node SNATs to its primary ENI's IP, then the Internet gateway to the public IP", () => {
    const { trace } = quizOf('mode2-egress-aws')
    const toInternet = masqueradeQuestions('mode2-egress-aws').filter(
      (q) => trace.steps[q.reveals]!.packet.l3!.dst === '140.82.112.6',
    )
    expect(toInternet.length).toBe(2)
    const [node, gateway] = toInternet as [Question, Question]
    const pod = trace.steps.find((s) => s.packet.l3?.dst === '140.82.112.6')!.packet.l3!.src
    const publicIp = trace.steps[gateway.reveals]!.packet.l3!.src
    // On the node: aws-node's SNAT gives the node's own address; the public IP is the tempting
    // wrong answer, since no device of the node has it.
    expect(node.prompt.en).toContain('an address of the node')
    expect(rightOf(node).value).toEqual({
      kind: 'masquerade',
      to: nodeIp('mode2-egress-aws', 'ip-10-0-0-11'),
    })
    expect(offered(node)).toContain(publicIp)
    // At the Internet gateway: the public IP; the node's and the Pod's addresses are wrong.
    expect(gateway.prompt.en).toBe(
      'Which source address will the Internet see after the next step?',
    )
    expect(rightOf(gateway).value).toEqual({ kind: 'masquerade', to: publicIp })
    expect(offered(gateway)).toContain(null) // left as the node's address
    expect(offered(gateway)).toContain(pod)
  })

  it('mode2-egress-aws: "delivered" to the Internet offers every source the packet had on the way', () => {
    const { quiz, trace } = quizOf('mode2-egress-aws')
    const q = quiz.questions
      .filter((x) => x.kind === 'fate')
      .find((x) => trace.steps[x.reveals]!.at.component === 'internet')!
    const sources = q.choices.map((c) => (c.value as { source: string | null }).source)
    expect(sources).toContain('203.0.113.11')
    expect(sources).toContain(nodeIp('mode2-egress-aws', 'ip-10-0-0-11'))
    expect(sources).toContain(
      trace.steps.find((s) => s.packet.l3?.dst === '140.82.112.6')!.packet.l3!.src,
    )
    expect(rightOf(q).label.en).toBe(
      'It is delivered to the Internet, which sees the source 203.0.113.11',
    )
    expect(rightOf(q).label['zh-CN']).toBe('送达互联网，它看到的源地址是 203.0.113.11')
  })
})

describe('questions in a folded phase', () => {
  it('are left out when the step they are shown at or reveal is folded', () => {
    const { quiz, trace } = quizOf('mode3-clusterip-iptables')
    const dnsSteps = new Set(trace.steps.filter((s) => s.phase === 'dns').map((s) => s.index))
    const kept = unfoldedQuestions(quiz, (i) => dnsSteps.has(i))
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(quiz.questions.length)
    for (const q of kept) expect([q.step, q.reveals].some((i) => dnsSteps.has(i))).toBe(false)
    // Nothing folded: every question is kept.
    expect(unfoldedQuestions(quiz, () => false)).toEqual(quiz.questions)
  })

  it('finds the question shown at a step, or none', () => {
    const { quiz, trace } = quizOf('mode2-flannel-vxlan')
    const q = quiz.questions[2]!
    expect(questionAt(quiz, q.step)).toBe(q)
    expect(questionAt(quiz, trace.steps.length - 1)).toBeNull()
  })
})
