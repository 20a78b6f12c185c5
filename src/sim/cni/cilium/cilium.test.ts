import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ipcacheLookup, remoteNode } from './endpoints.ts'
import { podIdentity } from './identity.ts'
import { formatCidr, formatIp } from '../../../model/ipv4.ts'
import { build, traceOf } from '../../../test/scenario.ts'
import { findLink } from '../../net/netns.ts'
import { formatRoute } from '../../print/ip-route.ts'
import { nodeTables } from '../../print/tables.ts'
import { lxcName, sandboxContainerId } from './names.ts'

const lesson = readFileSync(
  new URL('../../../lessons/mode3-clusterip-cilium.yaml', import.meta.url),
  'utf8',
)
const { cluster } = build(lesson)
const host = (node: string) => cluster.netns.get(cluster.nodeByName.get(node)!.nsId)!
const pod = (name: string) => cluster.pods.find((p) => p.name === name)!

describe('Cilium with kube-proxy replaced, VXLAN: the devices its agent and CNI plugin create', () => {
  it('names each Pod\'s host-side veth "lxc" + 12 hex of sha256("<sandbox container ID>:eth0")', () => {
    const client = pod('client')
    const id = sandboxContainerId('default', 'client')
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    const want = `lxc${createHash('sha256').update(`${id}:eth0`).digest('hex').slice(0, 12)}`
    expect(lxcName(id)).toBe(want)
    expect(client.hostVeth).toBe(want)
    expect(want).toHaveLength(15)
  })

  it('puts the router address on cilium_host (its peer cilium_net) and makes cilium_vxlan flow-based on UDP 8472', () => {
    const n1 = cluster.nodeByName.get('node-1')!
    const ns = host('node-1')
    const h = findLink(ns, 'cilium_host')!
    expect(h.peer?.ifname).toBe('cilium_net')
    expect(h.addrs.map((a) => `${formatIp(a.ip)}/${a.prefix}`)).toEqual([
      `${formatIp(n1.routerIp!)}/32`,
    ])
    const vx = findLink(ns, 'cilium_vxlan')!
    expect(vx.vxlan).toMatchObject({ port: 8472, external: true })
    expect(vx.tc).toEqual({ ingress: 'cil_from_overlay' })
    expect(findLink(ns, pod('client').hostVeth!)!.tc).toEqual({ ingress: 'cil_from_container' })
  })

  it('gives the router address and the Pods addresses from the node range, never its network or broadcast address', () => {
    const n1 = cluster.nodeByName.get('node-1')!
    const base = n1.podCIDR!.base
    for (const ip of [n1.routerIp!, pod('client').ip]) {
      expect(ip).toBeGreaterThan(base)
      expect(ip).toBeLessThan(base + 255)
    }
    expect(pod('client').ip).not.toBe(n1.routerIp)
  })

  it("routes the Pod's traffic via the router address, with the tunnel's MTU on the default route", () => {
    const n1 = cluster.nodeByName.get('node-1')!
    const ns = cluster.netns.get(pod('client').nsId)!
    const r = formatIp(n1.routerIp!)
    expect(ns.routes.filter((x) => x.table === 'main').map(formatRoute)).toEqual([
      `${r} dev eth0 scope link`,
      `default via ${r} dev eth0 mtu 1450`,
    ])
    expect(findLink(ns, 'eth0')!.mtu).toBe(1500)
  })

  it("routes each node's Pod CIDR via the router on cilium_host, the others' with the route MTU", () => {
    const n1 = cluster.nodeByName.get('node-1')!
    const n2 = cluster.nodeByName.get('node-2')!
    const r = formatIp(n1.routerIp!)
    const routes = host('node-1').routes.filter(
      (x) => x.dev === 'cilium_host' && x.table === 'main',
    )
    expect(routes.map(formatRoute)).toEqual([
      `${formatCidr(n1.podCIDR!)} via ${r} dev cilium_host src ${r}`,
      `${formatCidr(n2.podCIDR!)} via ${r} dev cilium_host src ${r} mtu 1450`,
    ])
  })
})

describe("node-1's ipcache entries for what lies behind node-2", () => {
  const n1 = cluster.netns.get(cluster.nodeByName.get('node-1')!.nsId)!
  const n2 = cluster.nodeByName.get('node-2')!
  const entry = (ip: number) => ipcacheLookup(remoteNode(cluster, n1, formatIp(ip))!).rule

  it("holds node-2's Pod CIDR as reserved:world with node-2 as tunnel endpoint (the tunnel map's old job)", () => {
    const unused = (n2.podCIDR!.base + 200) >>> 0
    expect(cluster.pods.some((p) => p.ip === unused)).toBe(false)
    expect(entry(unused)).toBe(
      `${formatCidr(n2.podCIDR!)} identity=2 encryptkey=0 tunnelendpoint=192.168.1.12 flags=hastunnel`,
    )
  })

  it("holds node-2's router address as remote-node, behind the tunnel", () => {
    expect(entry(n2.routerIp!)).toBe(
      `${formatIp(n2.routerIp!)}/32 identity=6 encryptkey=0 tunnelendpoint=192.168.1.12 flags=hastunnel`,
    )
  })
})

describe('a ClusterIP request across nodes, Cilium replacing kube-proxy', () => {
  const t = traceOf(lesson, 'client-to-service')
  const request = t.steps.filter((s) => s.phase === 'request')
  const web = pod('web')

  it('is delivered, and no kube-proxy rule, no DNAT and no iptables lookup appears anywhere', () => {
    expect(t.outcome).toBe('delivered')
    expect(t.steps.some((s) => s.action === 'dnat' || s.action === 'unnat')).toBe(false)
    expect(
      t.steps
        .flatMap((s) => s.lookups)
        .some((l) => /iptables|nft|ipvsadm|KUBE-/.test(l.table + l.rule)),
    ).toBe(false)
  })

  it('has connect() translated by cil_sock4_connect, so the first packet on the wire already goes to the backend', () => {
    const lb = request[0]!
    expect(lb.action).toBe('lb-select')
    expect(lb.at).toMatchObject({
      component: 'cilium',
      hook: 'cgroup/connect4',
      pod: 'default/client',
    })
    expect(lb.packet.l3!.dst).toBe(
      formatIp(cluster.services.find((s) => s.name === 'web')!.clusterIP!),
    )
    expect(lb.lookups[0]!.table).toBe('cilium-dbg service list')
    const send = request[1]!
    expect(send.action).toBe('send')
    expect(send.packet.l3!.dst).toBe(formatIp(web.ip))
    expect(send.packet.l4!.dstPort).toBe(8080)
    // The send step says why its packet shows the backend and not the ClusterIP it dialled.
    expect(send.explain.en).toContain(
      `Its socket was already translated at connect(), so the kernel builds the packet to ${formatIp(web.ip)}:8080`,
    )
  })

  it('is moved by the BPF programs: cil_from_container encapsulates to node-2, cil_from_overlay delivers to the lxc', () => {
    const fromLxc = request.find(
      (s) => s.at.device === pod('client').hostVeth && s.action === 'route',
    )!
    expect(fromLxc.lookups.map((l) => l.rule)).toEqual([
      expect.stringMatching(/tcx\/ingress cil_from_container$/),
      // The web Pod's own identity, behind node-2 (RemoteEndpointInfo.String).
      `${formatIp(web.ip)}/32 identity=${podIdentity(cluster, web)!.id} encryptkey=0 tunnelendpoint=192.168.1.12 flags=hastunnel`,
    ])
    const encap = request.find((s) => s.action === 'encapsulate')!
    expect(encap.at.device).toBe('cilium_vxlan')
    expect(encap.packet.outer).toMatchObject({
      l3: { src: '192.168.1.11', dst: '192.168.1.12' },
      l4: { dstPort: 8472 },
    })
    const toWeb = request.find((s) => s.at.device === web.hostVeth && s.action === 'route')!
    expect(toWeb.lookups[0]!.rule).toMatch(/cilium_vxlan\(\d+\) tcx\/ingress cil_from_overlay$/)
    expect(toWeb.packet.l3!.ttl).toBe(63)
  })

  it('picks among the backends at random with the seed, slot by slot', () => {
    const yaml = lesson
    const two = `${yaml}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-b, namespace: default, labels: {app: web}}\nspec:\n  nodeName: node-1\n  containers:\n    - {name: nginx, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}\n`
    const chosen = new Set(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
        const s = traceOf(two, 'client-to-service', seed).steps.find(
          (x) => x.action === 'send' && x.phase === 'request',
        )!
        return s.packet.l3!.dst
      }),
    )
    expect(chosen.size).toBe(2)
  })

  it('fails connect() with EHOSTUNREACH for a Service without backends, before any packet', () => {
    const none = lesson.replace('selector: { app: web }', 'selector: { app: nobody }')
    const r = traceOf(none, 'client-to-service')
    expect(r.outcome).toBe('rejected')
    const last = r.steps.at(-1)!
    expect(last.action).toBe('reject')
    expect(last.explain.en).toMatch(/No route to host.*EHOSTUNREACH/)
    expect(r.steps.filter((s) => s.phase === 'request' && s.action === 'send')).toEqual([])
  })
})

describe("what a node itself sends to a Pod, Cilium's cil_from_host", () => {
  it('is translated at connect() too, routed to cilium_host, and tunnelled by cil_from_host on its tc egress', () => {
    const fromNode = lesson.replace(
      'spec:\n  from: { pod: default/client }',
      'spec:\n  from: { node: node-1 }',
    )
    const t = traceOf(fromNode, 'client-to-service')
    expect(t.outcome).toBe('delivered')
    const req = t.steps.filter((s) => s.phase === 'request')
    expect(req[0]!.at).toMatchObject({ hook: 'cgroup/connect4', node: 'node-1', pod: null })
    const n1 = cluster.nodeByName.get('node-1')!
    // The route via the router on cilium_host gives the node's packet the router address as source.
    expect(req[1]!.packet.l3!.src).toBe(formatIp(n1.routerIp!))
    const fromHost = req.find((s) => s.at.hook === 'tc egress')!
    expect(fromHost.at.device).toBe('cilium_host')
    expect(fromHost.lookups[0]!.rule).toMatch(/^cilium_host\(\d+\) tcx\/egress cil_from_host$/)
    expect(req.some((s) => s.action === 'encapsulate' && s.at.node === 'node-1')).toBe(true)
  })
})

describe('cilium-dbg service list', () => {
  it('prints the Services as the agent holds them, in its tabwriter columns, and no iptables', () => {
    const t = nodeTables(cluster, 'node-1')!
    expect(t).not.toMatch(/iptables-save|KUBE-/)
    const lines = t.split('\n')
    const at = lines.indexOf('$ cilium-dbg service list')
    // minwidth 5 and padding 3: "ID" takes 5 columns; every other column its widest cell + 3.
    const header = lines[at + 1]!
    expect(header).toMatch(/^ID {3}Frontend {3,}Service Type {3}Backend {3,}$/)
    const rows = lines.slice(at + 2, lines.indexOf('', at))
    const backendAt = header.indexOf('Backend')
    for (const r of rows)
      expect(r.slice(backendAt)).toMatch(/^\d+ => \S+:\d+\/(TCP|UDP) \(active\) *$/)
    const webIp = formatIp(cluster.services.find((s) => s.name === 'web')!.clusterIP!)
    const row = lines.slice(at + 2).find((l) => l.includes(`${webIp}:80/TCP`))!
    expect(row).toMatch(
      new RegExp(
        `^\\d+ +${webIp.replaceAll('.', '\\.')}:80/TCP +ClusterIP +1 => ${formatIp(web().ip).replaceAll('.', '\\.')}:8080/TCP \\(active\\) +$`,
      ),
    )
  })
})

function web() {
  return pod('web')
}
