import { describe, expect, it } from 'vitest'
import { formatIp } from '../../model/ipv4.ts'
import { parsePortRange } from '../../model/parse-cluster.ts'
import type { Step, Trace } from '../../model/trace.ts'
import { build, traceOf } from '../../test/scenario.ts'
import { nodeTables as tablesText } from '../print/tables.ts'
import { iptablesSave } from '../print/iptables-save.ts'
import { createRng } from '../rng.ts'
import { trace } from '../trace.ts'
import { redirectAddress } from './portal-nat.ts'
import { nodeTables } from './kube-proxy.ts'
import { walkChain, type NfPacket } from './netfilter.ts'
import { nextEndpoint, roundRobinList } from './userspace.ts'
import {
  kernelAllocator,
  rangeAllocator,
  userspaceIptables,
  userspacePortals,
} from './userspace-rules.ts'
import { hash32 } from '../hash.ts'

const scenario = (
  opts: { svc?: string; client?: string; cni?: string; replicas?: number } = {},
) => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: us}
spec:
  cni: ${opts.cni ?? '{plugin: flannel, backend: vxlan}'}
  kubeProxy: {mode: userspace}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: ${opts.client ?? 'node-1'}, containers: [{name: curl}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${opts.replicas ?? 3}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
${opts.svc ?? ''}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: pod}
spec: {from: {pod: client}, to: "http://web/"}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: node}
spec: {from: {node: node-2}, to: "http://web.default.svc.cluster.local/"}
`

/** The steps of the connection itself, after the DNS phase. */
function conn(t: Trace): Step[] {
  return t.steps.filter((s) => s.phase !== 'dns')
}

describe('kube-proxy userspace mode: the rules it writes', () => {
  const { cluster } = build(scenario({ svc: '  type: NodePort' }))
  const web = cluster.services.find((s) => s.name === 'web')!
  const vip = formatIp(web.clusterIP!)
  const nodePort = web.ports[0]!.nodePort!
  const portal = userspacePortals(cluster, 'node-1').find((p) => p.spn === 'default/web:http')!
  const port = portal.proxyPort

  it('writes each rule argument for argument as iptablesContainerPortalArgs / iptablesHostPortalArgs build it', () => {
    const r = userspaceIptables(cluster, 'node-1')
    const args = r.rules
      .filter((x) => x.args.includes('default/web:http'))
      .map((x) => `${x.table} ${x.chain} ${x.args.join(' ')}`)
    expect(args).toEqual([
      `nat KUBE-PORTALS-CONTAINER -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d ${vip}/32 -j REDIRECT --to-ports ${port}`,
      `nat KUBE-PORTALS-HOST -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d ${vip}/32 -j DNAT --to-destination 192.168.1.11:${port}`,
      `nat KUBE-NODEPORT-CONTAINER -m comment --comment default/web:http -p tcp -m tcp --dport ${nodePort} -j REDIRECT --to-ports ${port}`,
      `nat KUBE-NODEPORT-HOST -m comment --comment default/web:http -p tcp -m tcp --dport ${nodePort} -j DNAT --to-destination 192.168.1.11:${port}`,
      `filter KUBE-NODEPORT-NON-LOCAL -m comment --comment default/web:http -p tcp -m tcp --dport ${port} -m state --state NEW -j ACCEPT`,
    ])
  })

  it('prints them as iptables-save does: header fields first, comments quoted, the jumps in order', () => {
    const save = iptablesSave(userspaceIptables(cluster, 'node-1')).split('\n')
    expect(save).toContain(
      `-A KUBE-PORTALS-CONTAINER -d ${vip}/32 -p tcp -m comment --comment "default/web:http" -m tcp --dport 80 -j REDIRECT --to-ports ${port}`,
    )
    expect(save).toContain(
      `-A KUBE-PORTALS-HOST -d ${vip}/32 -p tcp -m comment --comment "default/web:http" -m tcp --dport 80 -j DNAT --to-destination 192.168.1.11:${port}`,
    )
    expect(save).toContain(
      `-A KUBE-NODEPORT-NON-LOCAL -p tcp -m comment --comment "default/web:http" -m tcp --dport ${port} -m state --state NEW -j ACCEPT`,
    )
    const pre = save.filter((l) => l.startsWith('-A PREROUTING'))
    expect(pre).toEqual([
      '-A PREROUTING -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-CONTAINER',
      '-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-CONTAINER',
    ])
    expect(save.filter((l) => l.startsWith('-A OUTPUT'))).toEqual([
      '-A OUTPUT -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-HOST',
      '-A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-HOST',
    ])
    expect(save).toContain(
      '-A INPUT -m comment --comment "Ensure that non-local NodePort traffic can flow" -j KUBE-NODEPORT-NON-LOCAL',
    )
    // No iptables-mode chains: userspace mode has no KUBE-SERVICES, KUBE-SVC-* or masquerade.
    expect(save.some((l) => /KUBE-SERVICES|KUBE-SVC-|KUBE-MARK-MASQ|MASQUERADE/.test(l))).toBe(
      false,
    )
  })

  it('gives every Service port its own odd proxy port from the lower half of the ephemeral range, the same on every build', () => {
    const ports = userspacePortals(cluster, 'node-1').map((p) => p.proxyPort)
    expect(new Set(ports).size).toBe(ports.length)
    for (const p of ports) {
      expect(p % 2).toBe(1)
      expect(p).toBeGreaterThanOrEqual(32768)
      expect(p).toBeLessThan(46884)
    }
    const again = build(scenario({ svc: '  type: NodePort' })).cluster
    expect(userspacePortals(again, 'node-1').map((p) => p.proxyPort)).toEqual(ports)
  })

  it('is what `podpath tables` prints for the node', () => {
    const out = tablesText(cluster, 'node-1')!
    expect(out).toContain('$ iptables-save -t filter -t nat')
    expect(out).toContain(`-j REDIRECT --to-ports ${port}`)
  })
})

describe('REDIRECT (net/netfilter/nf_nat_redirect.c)', () => {
  const { cluster } = build(scenario())
  const ns = cluster.netns.get(cluster.nodeByName.get('node-1')!.nsId)!
  const cni0 = ns.links.find((l) => l.name === 'cni0')!

  it('sends a locally generated packet (nat OUTPUT) to 127.0.0.1', () => {
    expect(redirectAddress(ns, 'OUTPUT', null)).toBe('127.0.0.1')
  })

  it('sends an arriving packet (nat PREROUTING) to the primary address of its incoming interface', () => {
    expect(redirectAddress(ns, 'PREROUTING', 'cni0')).toBe(formatIp(cni0.addrs[0]!.ip))
  })

  it('has nothing to offer, so the kernel drops, when that interface has no IPv4 address', () => {
    const bare = ns.links.find((l) => l.addrs.length === 0 && l.name !== 'lo')
    expect(bare).toBeDefined()
    expect(redirectAddress(ns, 'PREROUTING', bare!.name)).toBeNull()
  })

  it('is a verdict of the chain walk, carrying --to-ports', () => {
    const web = cluster.services.find((s) => s.name === 'web')!
    const p: NfPacket = {
      src: cni0.addrs[0]!.ip + 1,
      dst: web.clusterIP!,
      proto: 'tcp',
      sport: 40000,
      dport: 80,
      mark: 0,
      ctstate: 'NEW',
      isLocal: () => false,
      inDev: null,
      outDev: null,
      bridged: false,
      inSet: () => false,
      recent: () => false,
    }
    const r = walkChain(nodeTables(cluster, 'node-1'), 'nat', 'PREROUTING', p, createRng(1))
    const port = userspacePortals(cluster, 'node-1').find((x) => x.spn === 'default/web:http')!
    expect(r.verdict).toMatchObject({ kind: 'redirect', port: port.proxyPort })
  })
})

describe('pod to ClusterIP Service, kube-proxy userspace mode: two connections', () => {
  const { cluster, scenario: sc } = build(scenario())
  const t = trace(
    cluster,
    sc.traffic.find((x) => x.name === 'pod')!,
    { seed: 1 },
  )
  const steps = conn(t)
  const web = cluster.services.find((s) => s.name === 'web')!
  const vip = formatIp(web.clusterIP!)
  const port = userspacePortals(cluster, 'node-1').find((p) => p.spn === 'default/web:http')!
  const node1 = cluster.netns.get(cluster.nodeByName.get('node-1')!.nsId)!
  const cni0 = formatIp(node1.links.find((l) => l.name === 'cni0')!.addrs[0]!.ip)

  it('delivers, through kube-proxy, in this order', () => {
    expect(t.outcome).toBe('delivered')
    const key = steps
      .filter(
        (s) =>
          ['dnat', 'proxy', 'unnat'].includes(s.action) ||
          (s.at.component && !['kernel', 'app'].includes(s.at.component)),
      )
      .map((s) => `${s.phase} ${s.action} ${s.at.component}`)
    expect(key).toEqual([
      'request dnat kube-proxy',
      'request deliver kube-proxy',
      'request proxy kube-proxy',
      'request send kube-proxy',
      'reply deliver kube-proxy',
      'reply send kube-proxy',
      'reply unnat kernel',
    ])
  })

  it('REDIRECTs in PREROUTING to cni0 address and the proxy port, with no endpoint chosen yet', () => {
    const d = steps.find((s) => s.action === 'dnat')!
    expect(d.at.hook).toBe('PREROUTING')
    expect(d.packet.l3!.dst).toBe(cni0)
    expect(d.packet.l4!.dstPort).toBe(port.proxyPort)
    expect(d.lookups.some((l) => l.matched && l.rule.includes('-j REDIRECT'))).toBe(true)
  })

  it("opens the second connection from the node's own address chosen by the route, not the client's", () => {
    const client = steps[0]!.packet.l3!.src
    const i = steps.findIndex((s) => s.action === 'proxy')
    const second = steps[i + 1]!
    expect(second.action).toBe('send')
    expect(second.packet.l3!.src).not.toBe(client)
    expect(node1.links.flatMap((l) => l.addrs).map((a) => formatIp(a.ip))).toContain(
      second.packet.l3!.src,
    )
    const ep = steps.find((s) => s.phase === 'request' && s.action === 'deliver' && s.at.container)!
    expect(ep.packet.l3!.src).toBe(second.packet.l3!.src)
    expect(ep.packet.l3!.dst).toBe(second.packet.l3!.dst)
  })

  it('writes the answer on the first connection, which conntrack turns back into the ClusterIP', () => {
    const un = steps.find((s) => s.action === 'unnat')!
    expect(un.packet.l3!.src).toBe(vip)
    expect(un.packet.l4!.srcPort).toBe(80)
    const last = steps.at(-1)!
    expect(last.action).toBe('deliver')
    expect(last.at.pod).toBe('default/client')
    expect(last.packet.l3!.src).toBe(vip)
    expect(last.packet.l3!.dst).toBe(steps[0]!.packet.l3!.src)
  })

  it('says in both languages what the detour costs', () => {
    const p = steps.find((s) => s.action === 'proxy')!
    expect(p.explain.en).toMatch(/context switch/)
    expect(p.explain['zh-CN']).toMatch(/上下文切换/)
  })
})

describe('node to ClusterIP Service, kube-proxy userspace mode', () => {
  const t = traceOf(scenario(), 'node')
  const steps = conn(t)

  it("DNATs in OUTPUT to the node's own address and comes back un-NATed through lo", () => {
    expect(t.outcome).toBe('delivered')
    const d = steps.find((s) => s.action === 'dnat')!
    expect(d.at.hook).toBe('OUTPUT')
    expect(d.packet.l3!.dst).toBe('192.168.1.12')
    const un = steps.find((s) => s.action === 'unnat')!
    expect(un.at.device).toBe('lo')
    expect(un.packet.l3!.src).toBe(steps[0]!.packet.l3!.dst)
  })
})

describe('kube-proxy userspace round robin', () => {
  const { cluster, scenario: sc } = build(scenario())
  const pod = sc.traffic.find((x) => x.name === 'pod')!
  const portal = userspacePortals(cluster, 'node-1').find((p) => p.spn === 'default/web:http')!
  const list = roundRobinList('node-1', portal).map((e) => `${formatIp(e.ip)}:${e.port}`)
  const chosen = (seed: number) => {
    const s = trace(cluster, pod, { seed }).steps.find(
      (x) => x.phase === 'request' && x.action === 'proxy',
    )!
    const sent = s.lookups.find((l) => l.rule.startsWith('Mapped service'))!
    return sent.rule.split(' ').at(-1)
  }

  it('hands consecutive connections (seeds) the endpoints in turn', () => {
    expect(list).toHaveLength(3)
    expect([0, 1, 2, 3, 4, 5].map(chosen)).toEqual([...list, ...list])
  })

  it('keeps a client on one endpoint with sessionAffinity: ClientIP', () => {
    const sticky = build(scenario({ svc: '  sessionAffinity: ClientIP' }))
    const p = sticky.scenario.traffic.find((x) => x.name === 'pod')!
    const picks = [1, 2, 3, 4].map((seed) => {
      const s = trace(sticky.cluster, p, { seed }).steps.find(
        (x) => x.phase === 'request' && x.action === 'proxy',
      )!
      return s.lookups.find((l) => l.rule.startsWith('Mapped service'))!.rule
    })
    expect(new Set(picks).size).toBe(1)
    const sp = userspacePortals(sticky.cluster, 'node-1').find((x) => x.spn === 'default/web:http')!
    expect(nextEndpoint('node-1', sp, '10.244.0.2', 7)!.sticky).toBe(true)
  })

  it('accepts and then closes the connection when the Service has no endpoints', () => {
    const t = traceOf(scenario({ replicas: 0 }))
    expect(t.outcome).toBe('rejected')
    const last = t.steps.at(-1)!
    expect(last.action).toBe('reject')
    expect(last.at.component).toBe('kube-proxy')
    expect(last.lookups.map((l) => l.rule)).toContain(
      "Couldn't find an endpoint for default/web:http: missing endpoints",
    )
  })
})

describe('node port, kube-proxy userspace mode', () => {
  const yaml = scenario({ svc: '  type: NodePort' })
    .replace(
      'ports: [{name: http, port: 80, targetPort: http}]',
      'ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]',
    )
    .replace(
      'spec: {from: {node: node-2}, to: "http://web.default.svc.cluster.local/"}',
      'spec: {from: {node: node-2}, to: "http://192.168.1.11:30080/"}',
    )
  const { cluster } = build(yaml)
  const t = traceOf(yaml, 'node')
  const port = userspacePortals(cluster, 'node-1').find((p) => p.spn === 'default/web:http')!

  it("REDIRECTs an arriving packet on eth0 to eth0's address and the proxy port", () => {
    expect(t.outcome).toBe('delivered')
    const d = t.steps.find((s) => s.action === 'dnat')!
    expect(d.at.node).toBe('node-1')
    expect(d.lookups.filter((l) => l.matched && l.table.startsWith('iptables')).at(-1)!.table).toBe(
      'iptables -t nat KUBE-NODEPORT-CONTAINER',
    )
    expect(d.packet.l3!.dst).toBe('192.168.1.11')
    expect(d.packet.l4!.dstPort).toBe(port.proxyPort)
    const un = t.steps.find((s) => s.action === 'unnat')!
    expect(un.packet.l3!.src).toBe('192.168.1.11')
    expect(un.packet.l4!.srcPort).toBe(30080)
  })
})

describe('proxy ports from a --proxy-port-range (KubeProxyConfiguration portRange)', () => {
  const withConfig = (range: string) =>
    `${scenario()}---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: userspace
portRange: "${range}"
`

  it('parses "min-max", "min+offset" and one port as utilnet.PortRange does; empty or 0 means none', () => {
    expect(parsePortRange('30000-30009')).toEqual({ base: 30000, size: 10 })
    expect(parsePortRange('30000+9')).toEqual({ base: 30000, size: 10 })
    expect(parsePortRange('30000')).toEqual({ base: 30000, size: 1 })
    expect(parsePortRange('')).toBeNull()
    expect(parsePortRange('0-0')).toBeNull()
    expect(parsePortRange('30009-30000')).toBeUndefined()
    expect(parsePortRange('many')).toBeUndefined()
  })

  it('takes every proxy port from the range, each once', () => {
    const { cluster } = build(withConfig('40000-40009'))
    expect(cluster.decl.kubeProxy.mode).toBe('userspace')
    const ports = userspacePortals(cluster, 'node-1').map((p) => p.proxyPort)
    expect(ports.length).toBeGreaterThan(1)
    expect(new Set(ports).size).toBe(ports.length)
    for (const p of ports) expect(p >= 40000 && p <= 40009).toBe(true)
  })

  it('leaves a Service port without a proxy (and without rules) when the range is used up', () => {
    const { cluster } = build(withConfig('40000-40001'))
    const portals = userspacePortals(cluster, 'node-1')
    expect(portals).toHaveLength(2)
    const rules = userspaceIptables(cluster, 'node-1').rules
    expect(rules.filter((r) => r.chain === 'KUBE-PORTALS-CONTAINER')).toHaveLength(2)
  })

  it('reports a range it cannot read', () => {
    expect(() => build(withConfig('lots'))).toThrow(/"lots" is not a port range/)
  })
})

describe('proxy ports when the odd ports of the lower half run out', () => {
  it('still gives every Service port its own port (8,000 Services)', async () => {
    const { userspacePortals } = await import('./userspace-rules.ts')
    const docs = [
      `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: many}
spec:
  cni: {plugin: flannel, backend: vxlan}
  kubeProxy: {mode: userspace}
  nodes: [{name: node-1, ip: 192.168.1.11}]`,
    ]
    for (let i = 0; i < 8000; i++)
      docs.push(
        `apiVersion: v1\nkind: Service\nmetadata: {name: s-${i}}\nspec: {ports: [{port: 80}]}`,
      )
    const { build } = await import('../../test/scenario.ts')
    const { cluster } = build(docs.join('\n---\n'))
    const ports = userspacePortals(cluster, 'node-1').map((p) => p.proxyPort)
    expect(ports.length).toBe(cluster.services.reduce((n, s) => n + s.ports.length, 0))
    expect(new Set(ports).size).toBe(ports.length)
    expect(ports.every((p) => p >= 32768 && p < 61000)).toBe(true)
  }, 60_000)
})

describe('handing out proxy ports one after another', () => {
  // The searches written out plainly, one port at a time: what the allocators must agree with.
  const linearKernel = (hashes: number[]) => {
    const used = new Set<number>()
    return hashes.map((h) => {
      let port: number | null = null
      for (let i = 0; i < 7058 && port === null; i++) {
        const p = 32768 + 2 * (((h % 7058) + i) % 7058) + 1
        if (!used.has(p)) port = p
      }
      for (let p = 32768; p < 61000 && port === null; p++) if (!used.has(p)) port = p
      if (port !== null) used.add(port)
      return port
    })
  }
  const linearRange = (r: { base: number; size: number }, hashes: number[]) => {
    const used = new Set<number>()
    return hashes.map((h) => {
      for (let i = 0; i < r.size; i++) {
        const p = r.base + (((h % r.size) + i) % r.size)
        if (!used.has(p)) {
          used.add(p)
          return p
        }
      }
      return null
    })
  }
  // Deterministic "random" hashes, with repeats, so that many searches start on a taken slot.
  const hashes = (n: number) => Array.from({ length: n }, (_, i) => hash32(`h${i % (n - 7)}`, 7))

  it('as bind(0): odd ports of the lower half, then the lowest free port, then none', () => {
    const hs = hashes(9000)
    const next = kernelAllocator()
    expect(hs.map(next)).toEqual(linearKernel(hs))
    // 28,232 ports in [32768, 61000): after 9,000, 19,232 more fit, then none.
    const rest = hashes(19233)
    const got = rest.map(next)
    expect(got.at(-2)).not.toBeNull()
    expect(got.at(-1)).toBeNull()
  })

  it('as rangeAllocator.nextFreePort: from a random offset upwards, wrapping, then none', () => {
    const r = { base: 40000, size: 500 }
    const hs = hashes(520)
    const next = rangeAllocator(r)
    const got = hs.map(next)
    expect(got).toEqual(linearRange(r, hs))
    expect(got.filter((p) => p === null)).toHaveLength(20)
  })
})
