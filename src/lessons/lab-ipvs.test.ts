/**
 * The lab of a kube-proxy IPVS lesson (docs/lab.md): the script programs each node as the IPVS
 * proxier does, from the same model that prints `ipvsadm -Ln` and `ipset list` in
 * `podpath tables`, and lists its traffic as not run only where the kernel lacks ip_vs.
 * This machine's kernel has no ip_vs, so what runs here is the script's text, `bash -n` and
 * its own `--dry-run`; src/lessons/lab.kernel.test.ts runs it where the kernel has ip_vs.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOLDEN_SEED, lessonSource } from '../cli/golden.ts'
import { loadScenarioSource } from '../cli/load.ts'
import { formatIp } from '../model/ipv4.ts'
import { LESSONS } from './catalog.ts'
import { scenarioLab, scenarioLabCommands } from '../sim/lab/lab.ts'
import { ipvsadmList } from '../sim/proxy/ipvs.ts'
import { ipsetList } from '../sim/print/ipset-list.ts'
import { LAB_PY } from '../sim/lab/lab-py.ts'

function load(id: string) {
  const lesson = LESSONS.find((l) => l.id === id)!
  const l = loadScenarioSource(lessonSource(lesson), lesson.file)
  const req = {
    traffic: l.scenario!.traffic,
    seed: GOLDEN_SEED,
    prefix: 'pp-t-',
    source: `src/lessons/${lesson.file}`,
  }
  return {
    c: l.cluster!,
    lab: scenarioLab(l.cluster!, req),
    commands: scenarioLabCommands(l.cluster!, req),
  }
}

/** The body of the heredoc the script writes to `$LAB_DIR/<file>`. */
function written(script: string, file: string): string {
  const m = new RegExp(`^cat > "\\$LAB_DIR/${file}" <<'(\\w+)'\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(
    script,
  )
  expect(m, file).not.toBeNull()
  return m![2]!
}

/**
 * What `ipvsadm -Ln` prints after `ipvsadm-restore` of these lines on a fresh kernel, after
 * ipvsadm(8): -A a virtual service (-t TCP, -u UDP) with its scheduler and -p persistence,
 * -a a real server with -m (masquerading: "Masq") and -w its weight; no connection yet.
 * libipvs lists services by protocol, address, port and real servers by address and port.
 */
function listAfterRestore(input: string): string[] {
  const services = new Map<string, { head: string; key: number[]; rs: [number[], string][] }>()
  const ipKey = (a: string) => a.split(/[.:]/).map(Number)
  for (const line of input.trim().split('\n')) {
    const a = line.split(' ')
    const proto = a[1] === '-t' ? 'TCP' : a[1] === '-u' ? 'UDP' : 'SCTP'
    const id = `${proto} ${a[2]}`
    if (a[0] === '-A') {
      expect(a[3]).toBe('-s')
      const persist = a[5] === '-p' ? ` persistent ${a[6]}` : ''
      const pnum = { TCP: 6, UDP: 17, SCTP: 132 }[proto]
      services.set(id, {
        head: `${proto}  ${a[2]} ${a[4]}${persist}`,
        key: [pnum, ...ipKey(a[2]!)],
        rs: [],
      })
    } else {
      expect(a[0]).toBe('-a')
      expect(a.slice(3)).toEqual(['-r', a[4], '-m', '-w', a[7]])
      services
        .get(id)!
        .rs.push([
          ipKey(a[4]!),
          `  -> ${a[4]!.padEnd(28)} ${'Masq'.padEnd(7)} ${a[7]!.padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}`,
        ])
    }
  }
  const cmp = (x: number[], y: number[]) => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
    return 0
  }
  return [...services.values()]
    .sort((x, y) => cmp(x.key, y.key))
    .flatMap((v) => [v.head, ...v.rs.sort((x, y) => cmp(x[0], y[0])).map((r) => r[1])])
}

describe('the lab of an IPVS lesson (mode3-clusterip-ipvs)', () => {
  const { c, lab, commands } = load('mode3-clusterip-ipvs')

  it("programs every node's virtual and real servers as `podpath tables` prints `ipvsadm -Ln`", () => {
    for (const n of c.nodes) {
      const printed = ipvsadmList(c, n.name).slice(3)
      expect(printed.length).toBeGreaterThan(0)
      expect(listAfterRestore(written(lab.script, `pp-t-${n.name}.ipvsadm`))).toEqual(printed)
      // Loaded in the node's own namespace, after the ipsets and iptables rules.
      const node = `pp-t-${n.name}`
      const at = (s: string) => lab.script.indexOf(s)
      const ipset = at(`nsx ${node} ipset restore -file "$LAB_DIR/pp-t-${n.name}.ipset"`)
      const ipt = at(`nsx ${node} iptables-restore "$LAB_DIR/pp-t-${n.name}.iptables"`)
      const ipvs = at(
        `nsx ${node} sh -c 'ipvsadm-restore < "$1"' ipvs "$LAB_DIR/pp-t-${n.name}.ipvsadm"`,
      )
      expect(ipset).toBeGreaterThan(0)
      expect(ipt).toBeGreaterThan(ipset)
      expect(ipvs).toBeGreaterThan(ipt)
    }
  })

  it('binds exactly the Services’ ClusterIPs to kube-ipvs0, a dummy device, on every node', () => {
    const clusterIps = c.services
      .map((s) => s.clusterIP)
      .filter((x): x is number => x !== null)
      .map((ip) => `${formatIp(ip)}/32`)
      .sort()
    expect(clusterIps.length).toBeGreaterThan(1)
    for (const n of c.nodes) {
      const mine = commands.split('\n').filter((l) => l.startsWith(`ip -n pp-t-${n.name} `))
      expect(mine.find((l) => / link add kube-ipvs0 /.test(l))).toMatch(/ type dummy\b/)
      const addrs = mine
        .map((l) => / addr add (\S+) (?:\S+ )*dev kube-ipvs0\b/.exec(l)?.[1])
        .filter((x): x is string => !!x)
        .sort()
      expect(addrs).toEqual(clusterIps)
    }
  })

  it('creates the ipsets with the members `ipset list` shows, before the rules that match them', () => {
    for (const n of c.nodes) {
      const input = written(lab.script, `pp-t-${n.name}.ipset`).split('\n')
      const listed = ipsetList(c, n.name)
      const names = listed.filter((l) => l.startsWith('Name: ')).map((l) => l.slice(6))
      expect(input.filter((l) => l.startsWith('create ')).map((l) => l.split(' ')[1])).toEqual(
        names,
      )
      for (const name of names) {
        const from = listed.indexOf(`Name: ${name}`)
        const members = listed.slice(listed.indexOf('Members:', from) + 1)
        const end = members.indexOf('')
        const want = end < 0 ? members : members.slice(0, end)
        expect(
          input.filter((l) => l.startsWith(`add ${name} `)).map((l) => l.split(' ')[2]),
          name,
        ).toEqual(want)
      }
      // Every set a rule of the node matches is one the lab creates.
      const rules = written(lab.script, `pp-t-${n.name}.iptables`)
      const used = [...rules.matchAll(/--match-set (\S+)/g)].map((m) => m[1]!)
      expect(used.length).toBeGreaterThan(0)
      for (const s of used) expect(names).toContain(s)
    }
  })

  it('compares each node’s `ipvsadm -Ln` after the build with PodPath’s, as ipvsadm pads it', () => {
    const tables = JSON.parse(written(lab.script, 'tables.json')) as {
      cmd: string
      label: string
      lines: { text: string }[]
    }[]
    const ipvs = tables.filter((t) => t.cmd === 'ipvsadm -Ln')
    expect(ipvs.map((t) => t.label)).toEqual(c.nodes.map((n) => expect.stringContaining(n.name)))
    const dir = mkdtempSync(join(tmpdir(), 'pp-ipvs-tables-'))
    try {
      writeFileSync(join(dir, 'lab.py'), LAB_PY)
      writeFileSync(join(dir, 'tables.json'), JSON.stringify(ipvs))
      // What the kernel would list: PodPath's lines, column padding included.
      c.nodes.forEach((n, i) =>
        writeFileSync(join(dir, `${i}.txt`), `${ipvsadmList(c, n.name).join('\n')}\n`),
      )
      const r = spawnSync(
        'python3',
        [join(dir, 'lab.py'), 'tables', join(dir, 'tables.json'), dir],
        {
          encoding: 'utf8',
        },
      )
      expect(r.status, r.stderr).toBe(0)
      expect(readFileSync(join(dir, 'counts'), 'utf8').trim()).toBe(`${c.nodes.length} 0`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("sets the proxier's sysctls: IPVS conntrack, expire_nodest_conn, expire_quiescent_template", () => {
    for (const n of c.nodes)
      expect(lab.script).toContain(
        `nsx pp-t-${n.name} sysctl -qw net.ipv4.vs.conntrack=1 net.ipv4.vs.expire_nodest_conn=1 net.ipv4.vs.expire_quiescent_template=1`,
      )
  })

  it('runs its traffic where the kernel has ip_vs, and says so where it has not', () => {
    expect(lab.traffic.length).toBeGreaterThan(0)
    for (const t of lab.traffic) {
      expect(t.never).toBeNull()
      expect(t.needs).toContain('ipvs')
    }
    expect(lab.script).toContain(
      'else say \'lab: not running client-to-service: \'"$(lacking ipvs)"',
    )
    expect(lab.packages).toEqual(expect.arrayContaining(['ipvsadm', 'ipset']))
    // The reason names only what this kernel lacks (HAVE is what preflight found).
    const fns = /^have\(\) \{[^\n]*\n(?:[^\n]*\n)*?lacking\(\) \{\n(?:[^\n]*\n)*?\}$/m.exec(
      lab.script,
    )![0]
    const why = (have: string, needs: string) =>
      spawnSync('bash', ['-c', `${fns}\nHAVE=${JSON.stringify(have)}; lacking ${needs}`], {
        encoding: 'utf8',
      }).stdout
    const noIpvs =
      'kube-proxy IPVS mode: ip_vs is not in this kernel (modprobe ip_vs fails, no /proc/net/ip_vs)'
    expect(why(' vxlan dummy', 'ipvs vxlan')).toBe(noIpvs)
    expect(why(' dummy', 'ipvs vxlan')).toBe(
      `${noIpvs}; it crosses vxlan, which this kernel does not have`,
    )
    expect(why(' ipvs', 'ipip ipvs vxlan')).toBe(
      'it crosses ipip and vxlan, which this kernel does not have',
    )
  })

  it('is valid bash, and its own --dry-run prints the IPVS commands and builds nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-ipvs-lab-'))
    try {
      const f = join(dir, 'lab.sh')
      writeFileSync(f, lab.script)
      expect(spawnSync('bash', ['-n', f]).status).toBe(0)
      const r = spawnSync('bash', [f, '--dry-run'], { encoding: 'utf8' })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('lab: dry run, nothing built')
      expect(r.stdout).toMatch(
        /^\+ ip netns exec pp-t-node-1 sh -c ipvsadm-restore < "\$1" ipvs \/tmp\/\S+\/pp-t-node-1\.ipvsadm$/m,
      )
      expect(r.stdout).toMatch(/^\+ ip netns exec pp-t-node-2 ipset restore -file /m)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("the lab's IPVS check", () => {
  // As ipvsadm 1.31 prints them (ipvsadm.c print_service_entry with --stats, print_conn).
  const stats = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
    '  -> RemoteAddress:Port',
    'TCP  10.96.0.10:53                      0        0        0        0        0',
    '  -> 10.244.0.5:53                      0        0        0        0        0',
    'TCP  10.106.171.216:80                  1        6        5      412      538',
    '  -> 10.244.0.3:8080                    0        0        0        0        0',
    '  -> 10.244.1.2:8080                    1        6        5      412      538',
  ].join('\n')
  const conns = [
    'IPVS connection entries',
    'pro expire state       source             virtual            destination',
    'TCP 14:59  ESTABLISHED 10.244.0.3:40000   10.106.171.216:80  10.244.1.2:8080',
  ].join('\n')

  function run(ipvs: object[]): { kind: string; ok: boolean; kernel: unknown }[] {
    const dir = mkdtempSync(join(tmpdir(), 'pp-ipvs-check-'))
    try {
      writeFileSync(join(dir, 'lab.py'), LAB_PY)
      writeFileSync(join(dir, 'ipvss.pp-t-node-1.txt'), stats)
      writeFileSync(join(dir, 'ipvsc.pp-t-node-1.txt'), conns)
      writeFileSync(join(dir, 'ipvss.pp-t-node-2.txt'), stats.split('\n').slice(0, 3).join('\n'))
      writeFileSync(join(dir, 'ipvsc.pp-t-node-2.txt'), '')
      const exp = {
        ipvs,
        nodes: [
          { node: 'node-1', ns: 'pp-t-node-1' },
          { node: 'node-2', ns: 'pp-t-node-2' },
        ],
      }
      const py = `import importlib.util, json, sys
spec = importlib.util.spec_from_file_location('lab', sys.argv[1]); lab = importlib.util.module_from_spec(spec); spec.loader.exec_module(lab)
rep = lab.Report(); lab.check_ipvs(json.load(open(sys.argv[2])), sys.argv[3], rep); print(json.dumps(rep.checks))`
      writeFileSync(join(dir, 'exp.json'), JSON.stringify(exp))
      const r = spawnSync('python3', ['-c', py, join(dir, 'lab.py'), join(dir, 'exp.json'), dir], {
        encoding: 'utf8',
      })
      expect(r.stderr).toBe('')
      return JSON.parse(r.stdout) as { kind: string; ok: boolean; kernel: unknown }[]
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const pick = (server: string, port: number | '*' = 40000) => ({
    node: 'node-1',
    ns: 'pp-t-node-1',
    service: 'TCP 10.106.171.216:80',
    server,
    source: { ip: '10.244.0.3', port },
  })

  it('agrees when the real server whose Conns moved, and the connection entry, are the trace’s', () => {
    const checks = run([pick('10.244.1.2:8080')])
    expect(checks.map((x) => [x.kind, x.ok])).toEqual([
      ['ipvs', true],
      ['ipvs', true],
      ['ipvs', true],
    ])
    expect(checks[0]!.kernel).toEqual(['TCP 10.106.171.216:80 -> 10.244.1.2:8080'])
    expect(checks[1]!.kernel).toEqual([])
    expect(run([pick('10.244.1.2:8080', '*')]).every((x) => x.ok)).toBe(true)
  })

  it('disagrees when IPVS scheduled another real server', () => {
    const checks = run([pick('10.244.0.3:8080')])
    expect(checks.map((x) => x.ok)).toEqual([false, true, false])
  })
})
