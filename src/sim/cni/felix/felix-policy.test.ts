import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../../cli/load.ts'
import { build, traceOf, twoNodes } from '../../../test/scenario.ts'
import { iptablesSave } from '../../print/iptables-save.ts'
import { nodeIptables } from '../../proxy/kube-proxy.ts'
import { calicoVethName } from '../calico.ts'
import { portSplits } from './filter-chains.ts'

const policy = (spec: string, name = 'p') => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: default}
spec:
${spec}`

const calico = (extra: string) => twoNodes('{plugin: calico, backend: ipip}') + extra

const denyIngress = policy('  podSelector: {}\n  policyTypes: [Ingress]\n', 'deny-ingress')
const webVeth = calicoVethName('default', 'web')

describe('NetworkPolicy on Calico: felix drops in the Pod veth chains', () => {
  it('without a policy, the request passes cali-tw and the profile accepts it', () => {
    const t = traceOf(calico(''), 'cross')
    expect(t.outcome).toBe('delivered')
    const rules = t.steps.flatMap((s) => s.lookups.map((l) => l.rule))
    expect(
      rules.some(
        (r) => r.startsWith(`-A cali-tw-${webVeth} `) && r.includes('-j cali-pri-kns.default'),
      ),
    ).toBe(true)
  })

  it("jumps to the Pod's service account profile, ksa.<namespace>.<spec.serviceAccountName>", () => {
    const save = (src: string) =>
      iptablesSave(nodeIptables(build(src).cluster, 'node-2')).split('\n')
    const named = calico('').replace(
      'metadata: {name: web}\nspec:\n',
      'metadata: {name: web}\nspec:\n  serviceAccountName: web-sa\n',
    )
    const jumps = (lines: string[]) =>
      lines.filter((l) => l.startsWith(`-A cali-tw-${webVeth} `) && l.includes('-j cali-pri-'))
    expect(jumps(save(calico(''))).at(-1)).toMatch(/-j cali-pri-ksa\.default\.default$/)
    expect(jumps(save(named)).at(-1)).toMatch(/-j cali-pri-ksa\.default\.web-sa$/)
    // kubeadm's CoreDNS runs as coredns: a name too long for a chain, so hashed (lengthLimitedId).
    expect(save(calico(''))).toContainEqual(
      expect.stringMatching(/^-A cali-pri-_\S+ .*"Profile ksa\.kube-system\.coredns ingress"$/),
    )
  })

  it('a default-deny ingress policy drops the request at cali-tw-<veth>, naming the policy', () => {
    const t = traceOf(calico(denyIngress), 'cross')
    expect(t.outcome).toBe('dropped')
    const drop = t.steps.find((s) => s.action === 'drop')!
    expect(drop.at.node).toBe('node-2')
    const last = drop.lookups.filter((l) => l.table.startsWith('iptables -t filter')).at(-1)!
    expect(last.rule).toMatch(
      new RegExp(
        `^-A cali-tw-${webVeth} .*"End of tier default\\. Drop if no policies passed packet" -m mark --mark 0x0/0x20000 -j DROP$`,
      ),
    )
    expect(drop.explain.en).toContain('NetworkPolicy default/deny-ingress')
    expect(drop.explain['zh-CN']).toContain('NetworkPolicy default/deny-ingress')
    expect(t.reason?.en ?? '').toContain('default/deny-ingress')
  })

  it('an ingress rule for port 80 lets the request in, and the reply passes by conntrack', () => {
    const allow = policy('  podSelector: {}\n  ingress:\n    - ports: [{port: 80}]\n', 'web-80')
    const t = traceOf(calico(denyIngress + allow), 'cross')
    expect(t.outcome).toBe('delivered')
    const rules = t.steps.flatMap((s) => s.lookups.map((l) => l.rule))
    expect(rules).toContainEqual(
      expect.stringMatching(
        /^-A cali-pi-_\S+ -p tcp .*"Policy default\/knp\.default\.web-80 ingress" -m multiport --dports 80 -j MARK --set-xmark 0x10000\/0x10000$/,
      ),
    )
    const replies = t.steps.filter((s) => s.phase === 'reply')
    expect(replies.length).toBeGreaterThan(0)
    expect(
      replies
        .flatMap((s) => s.lookups.map((l) => l.rule))
        .some((r) => r.includes('--ctstate RELATED,ESTABLISHED -j ACCEPT')),
    ).toBe(true)
  })

  it('an ingress rule for another port does not', () => {
    const allow = policy('  podSelector: {}\n  ingress:\n    - ports: [{port: 8080}]\n', 'web-8080')
    expect(traceOf(calico(allow), 'cross').outcome).toBe('dropped')
  })

  it('a default-deny egress policy drops at the client side, in cali-fw-<veth>', () => {
    const deny = policy('  podSelector: {}\n  policyTypes: [Egress]\n', 'deny-egress')
    const t = traceOf(calico(deny), 'cross')
    expect(t.outcome).toBe('dropped')
    const drop = t.steps.find((s) => s.action === 'drop')!
    expect(drop.at.node).toBe('node-1')
    expect(drop.lookups.at(-1)?.rule ?? '').not.toBe('')
    const felix = drop.lookups.filter((l) => l.table.startsWith('iptables -t filter')).at(-1)!
    expect(felix.rule.startsWith(`-A cali-fw-${calicoVethName('default', 'client')} `)).toBe(true)
  })

  it('canal runs felix too: the same drop', () => {
    const yaml = twoNodes('{plugin: canal, backend: vxlan}') + denyIngress
    expect(traceOf(yaml, 'cross').outcome).toBe('dropped')
  })

  it("prints the policy's chains only on the nodes where it selects a workload", () => {
    const selective = policy(
      '  podSelector: {matchLabels: {app: none}}\n  policyTypes: [Ingress]\n',
    )
    const { cluster } = build(calico(denyIngress + selective))
    const save = iptablesSave(nodeIptables(cluster, 'node-2'))
    expect(save).toContain('"Policy default/knp.default.deny-ingress ingress"')
    expect(save).not.toContain('knp.default.p ')
    expect(save.indexOf('-j cali-FORWARD')).toBeLessThan(
      save.indexOf('-A FORWARD -m comment --comment "kubernetes forwarding rules"'),
    )
  })
})

describe('where NetworkPolicy is not enforced, the build says which plugin and why', () => {
  const warnings = (cni: string) =>
    loadScenarioSource(twoNodes(cni) + denyIngress, 'test.yaml')
      .diagnostics.filter((d) => d.severity === 'warning' && d.message.en.includes('NetworkPolicy'))
      .map((d) => d.message)
  it('flannel, bridge, kindnet and the AWS VPC CNI warn in both languages; Calico does not', () => {
    expect(warnings('{plugin: flannel, backend: vxlan}')[0]?.en).toContain(
      'flannel enforces no NetworkPolicy',
    )
    expect(warnings('{plugin: kindnet}')[0]?.en).toContain(
      'kindnet enforces NetworkPolicy since kind v0.24.0',
    )
    expect(warnings('{plugin: bridge}')[0]?.['zh-CN']).toContain(
      'bridge CNI 插件不执行 NetworkPolicy',
    )
    expect(warnings('{plugin: calico, backend: ipip}')).toEqual([])
  })
})

describe('ipBlock peers, as felix renders them', () => {
  // 10.244.0.1 is the client (node-1's first Pod); web2 on node-1 is 10.244.0.2.
  const fromBlock = (cidr: string, except: string) =>
    policy(
      `  podSelector: {}\n  ingress:\n    - from: [{ipBlock: {cidr: ${cidr}, except: [${except}]}}]\n`,
      'from-block',
    )
  it('admits a source inside the block and outside its except', () => {
    const t = traceOf(calico(fromBlock('10.244.0.0/16', '10.244.0.2/32')), 'cross')
    expect(t.outcome).toBe('delivered')
    const rules = t.steps.flatMap((s) => s.lookups.map((l) => l.rule))
    expect(rules).toContainEqual(
      expect.stringMatching(
        /^-A cali-pi-_\S+ -s 10\.244\.0\.0\/16 -m comment --comment "cali:\S+" -m mark --mark 0x80000\/0x80000 -j MARK --set-xmark 0x10000\/0x10000$/,
      ),
    )
  })
  it('drops a source in the except', () => {
    expect(traceOf(calico(fromBlock('10.244.0.0/16', '10.244.0.1/32')), 'cross').outcome).toBe(
      'dropped',
    )
  })
})

describe('pod and namespace selector peers, matched with an IP set', () => {
  // The client gets a label; a Namespace "frontend" holds a second client.
  const labelled = (extra: string) =>
    calico(extra).replace(
      'metadata: {name: client}',
      'metadata: {name: client, labels: {role: api}}',
    )
  const fromRole = (role: string) =>
    policy(
      `  podSelector: {}\n  ingress:\n    - from: [{podSelector: {matchLabels: {role: ${role}}}}]\n`,
      'from-role',
    )
  const lookups = (yaml: string) =>
    traceOf(yaml, 'cross').steps.flatMap((s) => s.lookups.map((l) => l.rule))

  it("admits a source in the set, with felix's --match-set rule, and no warning", () => {
    const yaml = labelled(fromRole('api'))
    expect(traceOf(yaml, 'cross').outcome).toBe('delivered')
    expect(lookups(yaml)).toContainEqual(
      expect.stringMatching(
        /^-A cali-pi-_\S+ -m comment --comment "cali:\S+" -m comment --comment "Policy default\/knp\.default\.from-role ingress" -m set --match-set cali40s:[A-Za-z0-9_-]{23} src -j MARK --set-xmark 0x10000\/0x10000$/,
      ),
    )
    const l = loadScenarioSource(yaml, 'test.yaml')
    expect(l.diagnostics.filter((d) => d.message.en.includes('from-role'))).toEqual([])
  })

  it('narrates why felix let it in: the policy, its chain and the IP set, in both languages', () => {
    const t = traceOf(labelled(fromRole('api')), 'cross')
    const s = t.steps.find((x) => x.explain.en.includes('felix lets it in'))!
    expect(s.explain.en).toMatch(
      /a rule of NetworkPolicy default\/from-role in cali-pi-_\S+ matches it \(its source 10\.244\.0\.1 is in the IP set cali40s:\S+, the Pods/,
    )
    expect(s.explain['zh-CN']).toContain('felix 放行了它：NetworkPolicy default/from-role')
    // Without a policy, the profile accepts it and felix says nothing more.
    expect(
      traceOf(calico(''), 'cross').steps.some((x) => x.explain.en.includes('felix lets')),
    ).toBe(false)
  })

  it('drops a source the selector does not match (another label), naming the policy', () => {
    const t = traceOf(labelled(fromRole('db')), 'cross')
    expect(t.outcome).toBe('dropped')
    expect(t.reason?.en).toContain('default/from-role')
  })

  it("the set holds the selected Pods' addresses, as ipset list prints them, on the node that needs it", () => {
    const { cluster } = build(labelled(fromRole('api')))
    const sets = cluster.cniIptables
      .get('node-2')!
      .ipsets!.filter((s) => s.name.startsWith('cali40s:'))
    expect(sets).toHaveLength(1)
    const client = cluster.pods.find((p) => p.name === 'client')!
    expect(sets[0]!.members).toEqual([{ base: client.ip, prefix: 32 }])
    const save = iptablesSave(nodeIptables(cluster, 'node-2'))
    expect(save).toContain(`--match-set ${sets[0]!.name} src`)
  })

  it('a namespaceSelector matches the namespace labels felix copies as pcns.', () => {
    const fromNs = (ns: string) =>
      policy(
        `  podSelector: {}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}}]\n`,
        'from-ns',
      )
    expect(traceOf(calico(fromNs('default')), 'cross').outcome).toBe('delivered')
    expect(traceOf(calico(fromNs('frontend')), 'cross').outcome).toBe('dropped')
  })

  it('an egress rule to a selector matches the destination (dst)', () => {
    const deny = policy(
      `  podSelector: {matchLabels: {role: api}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: none}}}]\n`,
      'to-none',
    )
    const yaml = labelled(deny)
    expect(traceOf(yaml, 'cross').outcome).toBe('dropped')
    const { cluster } = build(yaml)
    expect(iptablesSave(nodeIptables(cluster, 'node-1'))).toMatch(
      /-m set --match-set cali40s:\S+ dst -j MARK --set-xmark 0x10000\/0x10000/,
    )
  })

  it("a named port is felix's hash:ip,port set of the Pods' container ports (dst,dst)", () => {
    const named = (port: string) =>
      calico(
        policy(`  podSelector: {}\n  ingress:\n    - ports: [{port: ${port}}]\n`, 'named'),
      ).replace(
        'ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web2}',
        'ports: [{name: http, containerPort: 80}]}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web2}',
      )
    const yaml = named('http')
    expect(traceOf(yaml, 'cross').outcome).toBe('delivered')
    const { cluster } = build(yaml)
    const set = cluster.cniIptables
      .get('node-2')!
      .ipsets!.find((s) => s.name.startsWith('cali40n:'))!
    expect(set.type).toBe('hash:ip,port')
    const web = cluster.pods.find((p) => p.name === 'web')!
    expect(set.members).toEqual([{ ip: web.ip, proto: 'tcp', port: 80 }])
    expect(iptablesSave(nodeIptables(cluster, 'node-2'))).toContain(
      `"Policy default/knp.default.named ingress" -m set --match-set ${set.name} dst,dst -j MARK`,
    )
    expect(traceOf(named('metrics'), 'cross').outcome).toBe('dropped')
  })
})

describe("felix's port match block: ports one multiport match cannot hold are or-ed", () => {
  const withNamedWeb = (spec: string, name: string) =>
    calico(policy(spec, name)).replace(
      'ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web2}',
      'ports: [{name: http, containerPort: 80}]}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web2}',
    )

  it('a named port beside a numeric one: clear both scratch bits, set scratch0 on either, then require it', () => {
    const yaml = withNamedWeb(
      '  podSelector: {}\n  ingress:\n    - ports: [{port: http}, {port: 8080}]\n',
      'mixed',
    )
    const l = loadScenarioSource(yaml, 'test.yaml')
    expect(l.diagnostics.filter((d) => d.message.en.includes('default/mixed'))).toEqual([])
    expect(traceOf(yaml, 'cross').outcome).toBe('delivered')
    const { cluster } = build(yaml)
    const set = cluster.cniIptables
      .get('node-2')!
      .ipsets!.find((s) => s.name.startsWith('cali40n:'))!
    const chain = iptablesSave(nodeIptables(cluster, 'node-2'))
      .split('\n')
      .filter((r) => r.startsWith('-A cali-pi-_'))
      .map((r) => r.replace(/ -m comment --comment "cali:[^"]+"/, ''))
    // felix/rules/policy_test.go "Named + numeric ports need a block", with felix's real marks
    // (scratch0 0x80000, scratch1 0x100000, accept 0x10000).
    expect(chain.map((r) => r.replace(/^-A \S+ /, ''))).toEqual([
      '-m comment --comment "Policy default/knp.default.mixed ingress" -j MARK --set-xmark 0x0/0x180000',
      '-p tcp -m multiport --dports 8080 -j MARK --set-xmark 0x80000/0x80000',
      `-m set --match-set ${set.name} dst,dst -j MARK --set-xmark 0x80000/0x80000`,
      '-p tcp -m mark --mark 0x80000/0x80000 -j MARK --set-xmark 0x10000/0x10000',
    ])
  })

  it('neither the named port nor the numeric one: the request is dropped', () => {
    const yaml = withNamedWeb(
      '  podSelector: {}\n  ingress:\n    - ports: [{port: metrics}, {port: 8080}]\n',
      'mixed',
    )
    expect(traceOf(yaml, 'cross').outcome).toBe('dropped')
  })

  it('the numeric port of the pair still opens its port', () => {
    const yaml = withNamedWeb(
      '  podSelector: {}\n  ingress:\n    - ports: [{port: metrics}, {port: 80}]\n',
      'mixed',
    )
    expect(traceOf(yaml, 'cross').outcome).toBe('delivered')
  })

  it('an egress rule with a pod selector keeps its selector set beside the numeric ports', () => {
    const yaml = withNamedWeb(
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {}}]\n      ports: [{port: http}, {port: 8080}]\n',
      'eg',
    )
    const { cluster } = build(yaml)
    const main = iptablesSave(nodeIptables(cluster, 'node-1'))
      .split('\n')
      .find((r) => r.startsWith('-A cali-po-_') && r.includes('--set-xmark 0x10000/0x10000'))!
      .replace(/ -m comment --comment "cali:[^"]+"/, '')
    expect(main).toMatch(
      /-p tcp -m set --match-set cali40s:\S+ dst -m mark --mark 0x80000\/0x80000 -j MARK/,
    )
  })
})

describe("felix's multiport splits (policy.go SplitPortList)", () => {
  it('joins adjacent ports, and starts a new match past 15 slots (a range takes two)', () => {
    const ports = [1, 3, 5, 7, 9, 11, 13, 15].map((p) => ({
      protocol: 'TCP' as const,
      port: p,
      endPort: p + 1,
    }))
    // Adjacent ranges join (1:16) as conversion.go SimplifyPorts does before the split.
    expect(portSplits(ports)).toEqual(['1:16'])
    const apart = [1, 4, 7, 10, 13, 16, 19, 22].map((p) => ({
      protocol: 'TCP' as const,
      port: p,
      endPort: p + 1,
    }))
    expect(portSplits(apart)).toEqual(['1:2,4:5,7:8,10:11,13:14,16:17,19:20', '22:23'])
    expect(portSplits([{ protocol: 'TCP', port: 'http', endPort: null }])).toEqual([])
  })
})
