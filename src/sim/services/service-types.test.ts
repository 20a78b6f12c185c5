import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'
import { formatIp } from '../../model/ipv4.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { nodeTables } from '../print/tables.ts'
import { trace } from '../trace.ts'

/** A client on node-1, `replicas` web Pods, one Service `web` of the given spec, traffic to `to`. */
const scenario = (o: {
  svc: string
  to: string
  mode?: string
  cloud?: string
  replicas?: number
  status?: string
  pods?: string
}) => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: types}
spec:
  cni: {plugin: flannel, backend: vxlan}
  kubeProxy: {mode: ${o.mode ?? 'iptables'}}
  cloud: ${o.cloud ?? 'generic'}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: curl}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${o.replicas ?? 2}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, ports: [{name: http, containerPort: 8080}]}]}
${o.pods ?? ''}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
${o.svc}
${o.status ?? ''}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: {pod: client}, to: "${o.to}"}
`

const web = (yaml: string) => build(yaml).cluster.services.find((s) => s.name === 'web')!

describe('LoadBalancer Services: who gives the address', () => {
  it('generic cloud: the first free address of 198.51.100.0/24 (RFC 5737 TEST-NET-2)', () => {
    const s = web(scenario({ svc: '  type: LoadBalancer', to: 'http://web/' }))
    expect(s.ingress.map((i) => (i.ip === null ? null : formatIp(i.ip)))).toEqual(['198.51.100.1'])
    expect(s.ingressSource).toBe('cloud')
    expect(s.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000)
  })

  it('no cloud: the Service stays pending, with no address for kube-proxy to capture', () => {
    const yaml = scenario({ svc: '  type: LoadBalancer', to: 'http://web/', cloud: 'none' })
    const s = web(yaml)
    expect(s.ingress).toEqual([])
    expect(s.ingressSource).toBe('pending')
    expect(build(yaml).cluster.loadBalancers).toEqual([])
    expect(nodeTables(build(yaml).cluster, 'node-1')).not.toContain('loadbalancer IP')
    const info = loadScenarioSource(yaml, 'test.yaml').diagnostics.find(
      (d) => d.severity === 'info' && d.object === 'Service/default/web',
    )
    expect(info?.message.en).toMatch(/EXTERNAL-IP <pending>/)
  })

  it('AWS: an ELB DNS name and no IP, so kube-proxy writes no load-balancer rule', () => {
    const yaml = scenario({ svc: '  type: LoadBalancer', to: 'http://web/', cloud: 'aws' })
    const s = web(yaml)
    expect(s.ingress).toHaveLength(1)
    expect(s.ingress[0]!.ip).toBeNull()
    expect(s.ingress[0]!.hostname).toMatch(/^a[0-9a-f]{31}-\d{10}\.us-east-1\.elb\.amazonaws\.com$/)
    const tables = nodeTables(build(yaml).cluster, 'node-1')!
    expect(tables).not.toContain('loadbalancer IP')
    expect(tables).toMatch(/-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/web:http"/)
  })

  it('status.loadBalancer.ingress given in the scenario wins over the cloud', () => {
    const s = web(
      scenario({
        svc: '  type: LoadBalancer',
        to: 'http://web/',
        status: 'status:\n  loadBalancer:\n    ingress: [{ip: 192.0.2.50}]',
      }),
    )
    expect(s.ingressSource).toBe('scenario')
    expect(formatIp(s.ingress[0]!.ip!)).toBe('192.0.2.50')
  })

  it('exposes the cloud load balancer: address, port to nodePort, healthy nodes for Local policy', () => {
    const yaml = scenario({
      svc: '  type: LoadBalancer\n  externalTrafficPolicy: Local',
      to: 'http://web/',
      replicas: 1,
    })
    const { cluster } = build(yaml)
    const [lb] = cluster.loadBalancers
    const s = web(yaml)
    expect(lb).toMatchObject({ service: 'default/web', hostname: null })
    expect(formatIp(lb!.ip!)).toBe('198.51.100.1')
    expect(lb!.ports).toEqual([{ port: 80, protocol: 'TCP', nodePort: s.ports[0]!.nodePort }])
    expect(lb!.healthCheckNodePort).toBe(s.healthCheckNodePort)
    expect(lb!.healthCheckNodePort).not.toBeNull()
    // One web Pod: only its node passes kube-proxy's health check.
    expect(lb!.healthyNodes).toEqual([s.ports[0]!.endpoints[0]!.node])
    expect(nodeTables(cluster, 'node-1')).toContain(
      `-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http health check node port" -m tcp --dport ${s.healthCheckNodePort} -j ACCEPT`,
    )
  })
})

describe('LoadBalancer variants kube-proxy treats differently', () => {
  it('ipMode Proxy: the LB keeps the traffic, kube-proxy writes no rule for its IP', () => {
    const yaml = scenario({
      svc: '  type: LoadBalancer',
      to: 'http://web/',
      status: 'status:\n  loadBalancer:\n    ingress: [{ip: 192.0.2.50, ipMode: Proxy}]',
    })
    expect(nodeTables(build(yaml).cluster, 'node-1')).not.toContain('192.0.2.50')
  })

  it('IPVS with externalTrafficPolicy Local: the -LOCAL sets skip masquerade, real servers are local', () => {
    const yaml = scenario({
      svc: '  type: LoadBalancer\n  externalTrafficPolicy: Local',
      to: 'http://web/',
      mode: 'ipvs',
      replicas: 1,
    })
    const { cluster } = build(yaml)
    const s = web(yaml)
    const home = s.ports[0]!.endpoints[0]!.node!
    const tables = nodeTables(cluster, home)!
    expect(tables).toContain(
      '-A KUBE-LOAD-BALANCER -m comment --comment "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" -m set --match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN',
    )
    expect(tables).toContain(
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN',
    )
    // The other node has no local endpoint: its LB virtual server still lists the remote one.
    const other = cluster.nodes.find((n) => n.name !== home)!.name
    expect(nodeTables(cluster, other)).toMatch(/TCP {2}198\.51\.100\.1:80 rr\n {2}-> 10\.244\./)
  })
})

describe('a Pod calling a load-balancer IP inside the cluster', () => {
  const yaml = scenario({ svc: '  type: LoadBalancer', to: 'http://198.51.100.1/' })

  it('iptables: DNATed on its own node by the "loadbalancer IP" rule; it never leaves for the cloud LB', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const req = t.steps.filter((s) => s.phase === 'request')
    const dnatAt = req.findIndex((s) => s.action === 'dnat')
    const dnat = req[dnatAt]!
    expect(dnat.at).toMatchObject({ node: 'node-1', hook: 'PREROUTING' })
    expect(
      dnat.lookups.some(
        (l) =>
          l.matched &&
          /^-A KUBE-SERVICES -d 198\.51\.100\.1\/32 -p tcp -m comment --comment "default\/web:http loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-/.test(
            l.rule,
          ),
      ),
    ).toBe(true)
    // Until the DNAT, the packet stayed inside node-1: its Pod, the veth and cni0.
    expect(req.slice(0, dnatAt).every((s) => s.at.node === 'node-1')).toBe(true)
    expect(dnat.explain.en).toMatch(/never travels to the cloud load balancer/)
    expect(t.steps.at(-1)!.packet.l3!.src).toBe('198.51.100.1')
  })

  it('IPVS: the LB IP is bound to kube-ipvs0 and has its own virtual service', () => {
    const t = traceOf(yaml.replace('mode: iptables', 'mode: ipvs'))
    expect(t.outcome).toBe('delivered')
    const lb = t.steps.find((s) => s.action === 'lb-select')!
    expect(lb.lookups.find((l) => l.table === 'ipvsadm -Ln')!.rule).toBe('TCP  198.51.100.1:80 rr')
    const tables = nodeTables(
      build(yaml.replace('mode: iptables', 'mode: ipvs')).cluster,
      'node-2',
    )!
    expect(tables).toContain('inet 198.51.100.1/32 scope global kube-ipvs0')
    expect(tables).toContain(
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER',
    )
    expect(tables).toContain('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ')
  })
})

describe('loadBalancerSourceRanges', () => {
  const ranges = (r: string, mode = 'iptables') =>
    scenario({
      svc: `  type: LoadBalancer\n  loadBalancerSourceRanges: [${r}]`,
      to: 'http://198.51.100.1/',
      mode,
    })

  it('iptables: a source in the ranges goes through KUBE-FW to KUBE-EXT', () => {
    const t = traceOf(ranges('10.244.0.0/16'))
    expect(t.outcome).toBe('delivered')
    const dnat = t.steps.find((s) => s.action === 'dnat')!
    expect(
      dnat.lookups.some((l) => l.matched && /^-A KUBE-FW-\w+ -s 10\.244\.0\.0\/16 /.test(l.rule)),
    ).toBe(true)
  })

  it('iptables: a source outside them is not DNATed and KUBE-PROXY-FIREWALL drops it', () => {
    const t = traceOf(ranges('203.0.113.0/24'))
    expect(t).toMatchObject({
      outcome: 'dropped',
      reason: { en: 'not in loadBalancerSourceRanges' },
    })
    const drop = t.steps.at(-1)!
    expect(drop.at).toMatchObject({ node: 'node-1', hook: 'FORWARD' })
    expect(drop.lookups.at(-1)!.rule).toMatch(
      /^-A KUBE-PROXY-FIREWALL -d 198\.51\.100\.1\/32 -p tcp -m comment --comment "default\/web:http traffic not accepted by KUBE-FW-\w+" -m tcp --dport 80 -j DROP$/,
    )
    expect(
      drop.lookups.some((l) => l.rule.includes('will be dropped by KUBE-PROXY-FIREWALL')),
    ).toBe(true)
    expect(t.steps.some((s) => s.action === 'dnat')).toBe(false)
  })

  it('IPVS: KUBE-SOURCE-RANGES-FIREWALL drops a source outside them, and lets one inside through', () => {
    const blocked = traceOf(ranges('203.0.113.0/24', 'ipvs'))
    expect(blocked).toMatchObject({
      outcome: 'dropped',
      reason: { en: 'not in loadBalancerSourceRanges' },
    })
    expect(blocked.steps.at(-1)!.lookups.at(-1)!.rule).toBe(
      '-A KUBE-SOURCE-RANGES-FIREWALL -j DROP',
    )
    expect(traceOf(ranges('10.244.0.0/16', 'ipvs')).outcome).toBe('delivered')
    const tables = nodeTables(build(ranges('203.0.113.0/24', 'ipvs')).cluster, 'node-1')!
    expect(tables).toContain(
      '-A KUBE-IPVS-OUT-FILTER -s 198.51.100.1/32 -m ipvs --vaddr 198.51.100.1 --vproto tcp --vport 80 -j DROP',
    )
  })
})

describe('a node calling a load-balancer IP', () => {
  const yaml = (mode: string, extra = '') =>
    scenario({ svc: `  type: LoadBalancer${extra}`, to: 'http://198.51.100.1/', mode }).replace(
      'from: {pod: client}',
      'from: {node: node-1}',
    )

  it("iptables: nat OUTPUT captures it like a Pod's, and the reply comes back from the LB IP", () => {
    const t = traceOf(yaml('iptables'))
    expect(t.outcome).toBe('delivered')
    expect(t.steps.find((s) => s.action === 'dnat')!.at.hook).toBe('OUTPUT')
  })

  it('IPVS: KUBE-IPVS-OUT-FILTER drops it when the source ranges leave the node out', () => {
    const t = traceOf(yaml('ipvs', '\n  loadBalancerSourceRanges: [203.0.113.0/24]'))
    expect(t).toMatchObject({
      outcome: 'dropped',
      reason: { en: 'not in loadBalancerSourceRanges' },
    })
    expect(t.steps.at(-1)!.lookups.at(-1)!.rule).toMatch(
      /^-A KUBE-IPVS-OUT-FILTER -s 198\.51\.100\.1\/32 -m ipvs/,
    )
    expect(traceOf(yaml('ipvs', '\n  loadBalancerSourceRanges: [192.168.1.0/24]')).outcome).toBe(
      'delivered',
    )
  })
})

describe('externalIPs', () => {
  const yaml = scenario({ svc: '  externalIPs: [192.168.1.100]', to: 'http://192.168.1.100/' })

  it('iptables: captured by the "external IP" rule and DNATed on the client node', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const dnat = t.steps.find((s) => s.action === 'dnat')!
    expect(dnat.at.node).toBe('node-1')
    expect(
      dnat.lookups.some(
        (l) => l.matched && l.rule.includes('--comment "default/web:http external IP"'),
      ),
    ).toBe(true)
  })

  it('IPVS: a virtual service for the external IP and the KUBE-EXTERNAL-IP rules', () => {
    const y = yaml.replace('mode: iptables', 'mode: ipvs')
    expect(traceOf(y).outcome).toBe('delivered')
    const tables = nodeTables(build(y).cluster, 'node-1')!
    expect(tables).toContain('TCP  192.168.1.100:80 rr')
    expect(tables).toContain(
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT',
    )
  })
})

describe('ExternalName', () => {
  const yaml = scenario({ svc: '', to: 'https://payments/' }).replace(
    /---\napiVersion: podpath.dev\/v1alpha1\nkind: Traffic/,
    '---\napiVersion: v1\nkind: Service\nmetadata: {name: payments}\nspec: {type: ExternalName, externalName: api.example.com}\n---\napiVersion: podpath.dev/v1alpha1\nkind: Traffic',
  )

  it('gets no ClusterIP and no kube-proxy rule in either mode', () => {
    const { cluster } = build(yaml)
    expect(cluster.services.find((s) => s.name === 'payments')!.clusterIP).toBeNull()
    expect(nodeTables(cluster, 'node-1')).not.toContain('default/payments')
    expect(
      nodeTables(build(yaml.replace('mode: iptables', 'mode: ipvs')).cluster, 'node-1'),
    ).not.toContain('default/payments')
  })

  it('resolves to a CNAME and stops there: nothing is proxied', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('dns-only')
    expect(t.steps.every((s) => s.phase === 'dns')).toBe(true)
    const answer = t.steps.find((s) => s.action === 'dns-answer' && s.at.component === 'coredns')!
    expect(answer.lookups.at(-1)!.rule).toBe(
      'payments.default.svc.cluster.local.\t30\tIN\tCNAME\tapi.example.com.',
    )
    expect(answer.explain.en).toMatch(/PodPath has no Internet/)
  })
})

describe('headless Services', () => {
  const yaml = scenario({ svc: '  clusterIP: None', to: 'web:8080', replicas: 3 })

  it('answer the A records of the ready endpoints; the client connects straight to a Pod, no DNAT', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const answer = t.steps.find((s) => s.action === 'dns-answer' && s.at.component === 'coredns')!
    const ips = answer.lookups
      .filter((l) => l.table.startsWith('dig'))
      .map((l) => l.rule.split('\t').at(-1))
    expect(ips).toHaveLength(3)
    const req = t.steps.filter((s) => s.phase === 'request')
    expect(ips[0]).toBe(req[0]!.packet.l3!.dst)
    expect(req.some((s) => s.action === 'dnat' || s.action === 'lb-select')).toBe(false)
    expect(nodeTables(build(yaml).cluster, 'node-1')).not.toContain('default/web')
  })

  it('shuffles the records over seeds (the loadbalance plugin), so clients spread over the Pods', () => {
    const { cluster, scenario: s } = build(yaml)
    const first = new Set<string>()
    for (let seed = 0; seed < 40; seed++)
      first.add(
        trace(cluster, s.traffic[0]!, { seed }).steps.find((x) => x.phase === 'request')!.packet.l3!
          .dst,
      )
    expect(first.size).toBe(3)
  })
})

describe('endpoint readiness', () => {
  const notReady = `---
apiVersion: v1
kind: Pod
metadata: {name: web-warming, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: nginx, ports: [{name: http, containerPort: 8080}]}]}
status:
  conditions: [{type: Ready, status: "False"}]`

  it('leaves a Pod whose Ready condition is False out of KUBE-SVC and the IPVS real servers', () => {
    const yaml = scenario({ svc: '', to: 'http://web/', replicas: 1, pods: notReady })
    const { cluster } = build(yaml)
    const eps = web(yaml).ports[0]!.endpoints
    expect(eps.map((e) => e.ready).sort()).toEqual([false, true])
    const warming = eps.find((e) => !e.ready)!
    const ep = `${formatIp(warming.ip)}:8080`
    expect(nodeTables(cluster, 'node-1')).not.toContain(`--to-destination ${ep}`)
    const ipvs = build(yaml.replace('mode: iptables', 'mode: ipvs')).cluster
    expect(nodeTables(ipvs, 'node-1')).not.toContain(`-> ${ep}`)
    for (let seed = 0; seed < 10; seed++)
      expect(traceOf(yaml, undefined, seed).endpoint).toBeTruthy()
  })

  it('REJECTs a Service whose endpoints are all not ready', () => {
    const yaml = scenario({ svc: '', to: 'http://web/', replicas: 0, pods: notReady })
    const t = traceOf(yaml)
    expect(t.outcome).toBe('rejected')
    expect(
      t.steps.at(-1)!.lookups.some((l) => l.matched && l.rule.includes('has no endpoints')),
    ).toBe(true)
  })

  it('uses a terminating Pod that still serves when no endpoint is ready', () => {
    const terminating = notReady
      .replace('web-warming', 'web-leaving')
      .replace(
        'labels: {app: web}}',
        'labels: {app: web}, deletionTimestamp: "2026-01-01T00:00:00Z"}',
      )
      .replace('status: "False"', 'status: "True"')
    const yaml = scenario({ svc: '', to: 'http://web/', replicas: 0, pods: terminating })
    const ep = web(yaml).ports[0]!.endpoints[0]!
    expect(ep).toMatchObject({ ready: false, serving: true, terminating: true })
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    expect(t.steps.find((s) => s.action === 'dnat' && s.phase === 'request')!.explain.en).toMatch(
      /terminating but still serving/,
    )
  })

  it('leaves a Pod that has finished (status.phase Failed) out of the EndpointSlice', () => {
    const failed = notReady
      .replace('web-warming', 'web-crashed')
      .replace('conditions: [{type: Ready, status: "False"}]', 'phase: Failed')
    const yaml = scenario({ svc: '', to: 'http://web/', replicas: 1, pods: failed })
    expect(web(yaml).ports[0]!.endpoints).toHaveLength(1)
  })

  it('headless DNS lists only ready endpoints, unless publishNotReadyAddresses', () => {
    const count = (svc: string) => {
      const t = traceOf(scenario({ svc, to: 'web:80', replicas: 1, pods: notReady }))
      return t.steps
        .find((s) => s.action === 'dns-answer' && s.at.component === 'coredns')!
        .lookups.filter((l) => l.table.startsWith('dig')).length
    }
    expect(count('  clusterIP: None')).toBe(1)
    expect(count('  clusterIP: None\n  publishNotReadyAddresses: true')).toBe(2)
  })
})
