import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile } from '../cli/load.ts'
import { formatSections, nodeTables, podTables } from './print/tables.ts'
import { inspectAt, type Inspection } from './inspect.ts'
import { trace, traceSession } from './trace.ts'

const LESSONS = join(import.meta.dirname, '..', 'lessons')

function lesson(file: string) {
  const loaded = loadScenarioFile(join(LESSONS, file))
  const cluster = loaded.cluster!
  const traffic = loaded.scenario!.traffic[0]!
  return { cluster, traffic, trace: trace(cluster, traffic, { seed: 1 }) }
}

const section = (i: Inspection, command: RegExp) => i.sections.find((s) => command.test(s.command))!
const text = (i: Inspection) =>
  formatSections(i.sections.map((s) => ({ command: s.command, lines: s.lines.map((l) => l.text) })))

describe('opening a box at a step of the trace', () => {
  it('prints, at the last step, exactly what `podpath tables --after` prints', () => {
    const { cluster, traffic, trace: t } = lesson('mode3-clusterip-iptables.yaml')
    const last = t.steps.length - 1
    const after = traceSession(cluster, traffic, { seed: 1 }).state
    const node = inspectAt(cluster, traffic, { seed: 1 }, last, { node: 'node-1' })!
    expect(text(node)).toBe(nodeTables(cluster, 'node-1', after))
    const pod = inspectAt(cluster, traffic, { seed: 1 }, last, { pod: 'default/client' })!
    expect(text(pod)).toBe(podTables(cluster, 'default/client', after))
  })

  it('shows the neighbour entry only once the ARP exchange has learnt it', () => {
    const { cluster, traffic, trace: t } = lesson('mode2-flannel-vxlan.yaml')
    const arp = t.steps.findIndex((s) => s.action === 'arp')
    const neigh = (step: number) =>
      section(
        inspectAt(cluster, traffic, { seed: 1 }, step, { pod: 'default/client' })!,
        /ip neigh$/,
      )
    expect(neigh(arp - 1).lines).toEqual([])
    const learnt = neigh(arp).lines
    expect(learnt).toHaveLength(1)
    expect(learnt[0]!.text).toMatch(/^10\.244\.0\.1 dev eth0 lladdr \S+ REACHABLE$/)
    // The ARP step itself read that entry: it is marked as used now, and as used before later on.
    expect(learnt[0]!.used).toBe('now')
    expect(neigh(arp + 2).lines[0]!.used).toBe('before')
  })

  it('adds the conntrack entry at the DNAT, not before, and marks the rules that chose it', () => {
    const { cluster, traffic, trace: t } = lesson('mode3-clusterip-iptables.yaml')
    const dnat = t.steps.findIndex((s) => s.phase === 'request' && s.action === 'dnat')
    const at = (step: number, node: string) =>
      inspectAt(cluster, traffic, { seed: 1 }, step, { node })!
    const ct = (i: Inspection) => section(i, /conntrack -L$/).lines
    const service = t.endpoint!
    const tcp = (i: Inspection) => ct(i).filter((l) => l.text.startsWith('tcp'))
    expect(tcp(at(dnat - 1, 'node-1'))).toEqual([])
    const made = tcp(at(dnat, 'node-1'))
    expect(made).toHaveLength(1)
    expect(made[0]!.text).toContain('[UNREPLIED]')
    expect(made[0]!.used).toBe('now')
    // The rule that picked the endpoint, marked on the client's node only.
    const chosen = t.steps[dnat]!.lookups.find(
      (l) => l.matched && l.table.startsWith('iptables -t nat KUBE-SEP-'),
    )!
    const rules = (i: Inspection) => section(i, /iptables-save/).lines
    expect(rules(at(dnat, 'node-1')).find((l) => l.text === chosen.rule)?.used).toBe('now')
    expect(rules(at(0, 'node-1')).find((l) => l.text === chosen.rule)?.used).toBe('later')
    // node-2 has the same rule but this packet never met it there; node-2's rules that the DNS
    // lookup crossed earlier (CoreDNS runs there) are marked, none as this step's.
    const onNode2 = rules(at(dnat, 'node-2'))
    expect(onNode2.find((l) => l.text === chosen.rule)?.used ?? null).toBeNull()
    expect(onNode2.filter((l) => l.used === 'now')).toEqual([])
    expect(service.port).toBeGreaterThan(0)
  })

  it('marks the route a Pod used, in that Pod only', () => {
    const { cluster, traffic, trace: t } = lesson('mode2-flannel-vxlan.yaml')
    const i = t.steps.findIndex((s) =>
      s.lookups.some((l) => l.matched && l.table === 'ip route' && s.at.pod === 'default/client'),
    )
    const rule = t.steps[i]!.lookups.find((l) => l.matched && l.table === 'ip route')!.rule
    const route = (pod: string) =>
      section(inspectAt(cluster, traffic, { seed: 1 }, i, { pod })!, /ip route$/).lines.find(
        (l) => l.text === rule,
      )
    expect(route('default/client')?.used).toBe('now')
    // Another Pod has the same default route line, unused by this trace.
    const other = cluster.pods.find(
      (p) => p.node === 'node-1' && `${p.namespace}/${p.name}` !== 'default/client',
    )
    if (other) expect(route(`${other.namespace}/${other.name}`)?.used ?? null).toBeNull()
  })

  it('is null for a node or Pod that is not there', () => {
    const { cluster, traffic } = lesson('mode2-flannel-vxlan.yaml')
    expect(inspectAt(cluster, traffic, { seed: 1 }, 0, { node: 'node-9' })).toBeNull()
    expect(inspectAt(cluster, traffic, { seed: 1 }, 0, { pod: 'default/nobody' })).toBeNull()
  })
})
