import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run } from './main.ts'
import { LESSONS_DIR } from './golden.ts'

function cli(...argv: string[]) {
  let out = ''
  let err = ''
  const code = run(argv, { out: (s) => (out += s), err: (s) => (err += s) })
  return { code, out, err }
}

const lesson = (id: string) => join(LESSONS_DIR, `${id}.yaml`)

describe('podpath trace', () => {
  it('prints the trace format alone as JSON', () => {
    const r = cli('trace', lesson('mode2-flannel-vxlan'), '--seed', '3')
    expect(r.code).toBe(0)
    const t = JSON.parse(r.out)
    expect(t).toMatchObject({
      format: 'podpath.trace/v2',
      traffic: 'client-to-web',
      seed: 3,
      outcome: 'delivered',
    })
  })

  it('prints one readable line per step as text', () => {
    const r = cli('trace', lesson('mode2-calico-ipip'), '--format', 'text')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^# client-to-web \(seed 1\): delivered/)
    expect(r.out).toContain(
      '\n# dialled 10.244.0.65:80, reached default/web (container nginx on node-2) at 10.244.0.65:80\n',
    )
    expect(r.out).toMatch(/encapsulate +node-1 tunl0 +\[192\.168\.1\.11 > 192\.168\.1\.12 ipip\]/)
  })

  it('says why a request stopped in the language asked for, as the trace holds it', () => {
    const en = cli('trace', lesson('mode2-bridge-no-route'), '--format', 'text')
    expect(en.out).toMatch(/^# client-to-web \(seed 1\): dropped - underlay has no route\n/)
    const zh = cli('trace', lesson('mode2-bridge-no-route'), '--format', 'text', '--lang', 'zh-CN')
    expect(zh.out).toMatch(
      /^# client-to-web \(seed 1\): dropped - 底层网络没有去往这个地址的路由\n/,
    )
    expect(JSON.parse(cli('trace', lesson('mode2-bridge-no-route')).out).reason).toEqual({
      en: 'underlay has no route',
      'zh-CN': '底层网络没有去往这个地址的路由',
    })
  })

  it('picks a Traffic by name and rejects an unknown one', () => {
    expect(cli('trace', lesson('mode2-same-node'), '--traffic', 'web-to-itself').code).toBe(0)
    const r = cli('trace', lesson('mode2-same-node'), '--traffic', 'nope')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/no Traffic "nope" \(traffic: client-to-web, web-to-itself\)/)
  })

  it('refuses a bad seed and a bad format with a usage error', () => {
    expect(cli('trace', lesson('mode2-same-node'), '--seed', 'x').code).toBe(2)
    expect(cli('trace', lesson('mode2-same-node'), '--format', 'xml').code).toBe(2)
    expect(cli('frobnicate', 'x').code).toBe(2)
  })
})

describe('the lesson switches on the command line', () => {
  it('--cni and --proxy-mode build the cluster as the app’s switches do', () => {
    const vxlan = JSON.parse(cli('trace', lesson('mode2-flannel-vxlan')).out)
    const hostGw = cli('trace', lesson('mode2-flannel-vxlan'), '--cni', 'flannel-host-gw')
    expect(hostGw.code).toBe(0)
    const actions = (t: { steps: { action: string }[] }) => t.steps.map((s) => s.action)
    expect(actions(vxlan)).toContain('encapsulate')
    expect(actions(JSON.parse(hostGw.out))).not.toContain('encapsulate')
    const nft = cli(
      'tables',
      lesson('mode3-hairpin'),
      '--node',
      'node-1',
      '--proxy-mode',
      'nftables',
    )
    expect(nft.code).toBe(0)
    expect(nft.out).toContain('table ip kube-proxy')
    const check = cli('check', lesson('mode3-hairpin'), '--proxy-mode', 'ipvs')
    expect(check.out).toContain('kube-proxy mode switched from iptables to ipvs')
  })

  it('refuses a choice it does not know', () => {
    const r = cli('trace', lesson('mode2-flannel-vxlan'), '--cni', 'weave')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--cni must be one of flannel-vxlan, flannel-host-gw')
    expect(cli('trace', lesson('mode2-flannel-vxlan'), '--proxy-mode', 'ebpf').code).toBe(2)
  })
})

describe('podpath tables', () => {
  it('prints each command as a section header followed by its output', () => {
    const r = cli('tables', lesson('mode2-flannel-vxlan'), '--node', 'node-1')
    expect(r.code).toBe(0)
    for (const cmd of ['ip -d addr', 'ip route', 'ip neigh', 'bridge fdb show'])
      expect(r.out).toContain(`$ ${cmd}\n`)
    expect(r.out).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink')
  })

  it('prints a Pod namespace as ip netns exec would', () => {
    const r = cli('tables', lesson('mode2-calico-ipip'), '--pod', 'default/client')
    expect(r.out).toMatch(/^\$ ip netns exec cni-[0-9a-f-]{36} ip -d addr/)
  })

  it('names the nodes when the node does not exist', () => {
    const r = cli('tables', lesson('mode2-flannel-vxlan'), '--node', 'node-9')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/no node "node-9" \(nodes: node-1, node-2\)/)
  })
})

describe('podpath check', () => {
  it('passes a good scenario', () => {
    const r = cli('check', lesson('mode2-aws-vpc-cni'))
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^ok: 2 nodes, 4 Pods, 1 traffic \(aws-vpc-cni\)/)
  })

  it('exits 1 listing every error with file, line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podpath-'))
    const f = join(dir, 'bad.yaml')
    writeFileSync(
      f,
      [
        'apiVersion: podpath.dev/v1alpha1',
        'kind: Cluster',
        'metadata: {name: c}',
        'spec: {clusterCIDR: banana, mtu: "big"}',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'spec: {nodeName: nowhere, containers: [{name: c}]}',
      ].join('\n'),
    )
    const r = cli('check', f)
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${f}:4:21: error: Cluster/c: "banana" is not an IPv4 CIDR`)
    expect(r.err).toContain(
      `${f}:4:34: error: Cluster/c: field "mtu" must be an integer, not a string`,
    )
    expect(r.err).toMatch(
      /Pod\/default\/p: spec.nodeName "nowhere" names a node that does not exist/,
    )
    expect(r.err).toMatch(/3 errors\n$/)
  })

  it('exits 1 for an empty file or one of only "---", instead of checking the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podpath-'))
    for (const [name, text] of [
      ['empty.yaml', ''],
      ['dashes.yaml', '---\n---\n'],
    ]) {
      const f = join(dir, name!)
      writeFileSync(f, text!)
      const r = cli('check', f)
      expect(r.code).toBe(1)
      expect(r.out).toBe('')
      expect(r.err).toBe(
        `${f}:1:1: error: the file holds no documents (it is empty, or only comments and "---"): write at least a Cluster or a Pod\n1 error\n`,
      )
    }
  })

  it('reports a missing file', () => {
    const r = cli('check', '/nonexistent/x.yaml')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/cannot read the file: no such file/)
  })

  it('speaks Chinese when asked', () => {
    const r = cli('check', lesson('mode1-port-conflict'), '--lang', 'zh-CN')
    expect(r.err).toMatch(/共享一个网络命名空间/)
  })
})

describe('sessions on the command line', () => {
  it('traces the k-th connection of a session and checks --connection', () => {
    const r = cli('trace', lesson('mode3-clusterip-ipvs'), '--connection', '3')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ seed: 1, connection: 3 })
    expect(cli('trace', lesson('mode3-clusterip-ipvs'), '--connection', '0').code).toBe(2)
    expect(cli('trace', lesson('mode3-clusterip-ipvs'), '--connection', '65').code).toBe(2)
  })

  it('prints conntrack -L and the IPVS counts a session leaves on a node', () => {
    const r = cli(
      'tables',
      lesson('mode3-clusterip-ipvs'),
      '--node',
      'node-1',
      '--after',
      'client-to-service',
      '--connection',
      '3',
    )
    expect(r.code).toBe(0)
    const ct = r.out.slice(r.out.indexOf('$ conntrack -L'))
    // Three connections, each with its DNS query first: 3 TCP and 3 UDP entries.
    expect(ct.match(/^tcp {6}6 86399 ESTABLISHED /gm)).toHaveLength(3)
    expect(ct.match(/^udp {6}17 29 /gm)).toHaveLength(3)
    expect(ct).toContain('conntrack v1.4.7 (conntrack-tools): 6 flow entries have been shown.')
    // rr spread the three connections over the three web Pods: one active connection each.
    const ipvs = r.out.slice(r.out.indexOf('$ ipvsadm -Ln'), r.out.indexOf('$ conntrack -L'))
    expect(ipvs.match(/:8080 +Masq {4}1 {6}1 {10}0 /g)).toHaveLength(3)
    expect(cli('tables', lesson('mode3-clusterip-ipvs'), '--node', 'node-1').out).not.toContain(
      'conntrack -L',
    )
  })
})

describe('the scale lessons', () => {
  it('are what the generator writes (npm run lessons:scale)', async () => {
    const { readFileSync } = await import('node:fs')
    const { SCALE_MODES, scaleLesson, scaleLessonFile } = await import('./scale-lesson.ts')
    for (const mode of SCALE_MODES)
      expect(readFileSync(join(LESSONS_DIR, scaleLessonFile(mode)), 'utf8')).toBe(scaleLesson(mode))
  })
})

describe('podpath writing into a pipe that closes', () => {
  it('stops quietly when the reader (head) has what it wanted, because a closed pipe is no error of the user', async () => {
    const { spawnSync } = await import('node:child_process')
    const tsx = join(LESSONS_DIR, '../../node_modules/.bin/tsx')
    const main = join(LESSONS_DIR, '../cli/main.ts')
    // The scale lesson's text is 400 kB: far more than a pipe holds once head has gone.
    const r = spawnSync(
      'bash',
      [
        '-c',
        'set -o pipefail; "$0" "$1" trace "$2" --format text | head -n 1',
        tsx,
        main,
        lesson('mode3-scale-iptables'),
      ],
      { encoding: 'utf8' },
    )
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe('# to-the-last-service (seed 1): delivered\n')
    expect(r.status).toBe(0)
  }, 30000)
})

describe('podpath lab', () => {
  it('prints the commands with --dry-run, each in a namespace of its own prefix, none in the one it runs in', () => {
    const r = cli('lab', lesson('mode2-flannel-vxlan'), '--dry-run', '--prefix', 'pp-t-')
    expect(r.code).toBe(0)
    const cmds = r.out.split('\n').filter((l) => l && !l.startsWith('#'))
    expect(cmds.length).toBeGreaterThan(50)
    for (const l of cmds)
      expect(l).toMatch(/^(ip netns add pp-t-\S+|ip -n pp-t-\S+ |ip netns exec pp-t-\S+ )/)
    expect(r.out).toMatch(
      /^ip -n pp-t-node-1 link add flannel\.1 .* type vxlan id 1 .* dstport 8472 /m,
    )
    expect(r.out).toMatch(/^ip netns exec pp-t-node-1 iptables-restore /m)
  })

  it('prints a bash script that names its prefix and refuses a prefix bash or /run/netns could misread', () => {
    const r = cli('lab', lesson('mode2-flannel-vxlan'), '--prefix', 'pp-t-')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^#!\/usr\/bin\/env bash\n/)
    expect(r.out).toContain('\nLAB_PREFIX=pp-t-\n')
    for (const bad of ['pp t', 'PP-', '../x', '-x', 'p;rm'])
      expect(cli('lab', lesson('mode2-flannel-vxlan'), '--prefix', bad).code).toBe(2)
    expect(cli('lab', lesson('mode2-flannel-vxlan'), '--traffic', 'nope').code).toBe(1)
    expect(cli('lab').code).toBe(2)
  })
})
