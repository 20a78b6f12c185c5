import { describe, expect, it } from 'vitest'
import { GOLDEN_SEED, lessonSource } from '../cli/golden.ts'
import { loadScenarioSource } from '../cli/load.ts'
import { LESSONS } from './catalog.ts'
import { scenarioLab } from '../sim/lab/lab.ts'

/** The script's own lines, without the bodies of its heredocs (files it writes, ip -batch input). */
function scriptLines(script: string): string[] {
  const out: string[] = []
  let until: string | null = null
  for (const line of script.split('\n')) {
    if (until !== null) {
      if (line === until) until = null
      continue
    }
    out.push(line)
    const m = /<<'([A-Z_0-9]+)'$/.exec(line)
    if (m) until = m[1]!
  }
  return out
}

function labOf(id: string, prefix = 'pp-t-') {
  const lesson = LESSONS.find((l) => l.id === id)!
  const l = loadScenarioSource(lessonSource(lesson), lesson.file)
  return scenarioLab(l.cluster!, {
    traffic: l.scenario!.traffic,
    seed: GOLDEN_SEED,
    prefix,
    source: `src/lessons/${lesson.file}`,
  })
}

// The scale lessons' scripts are megabytes of the same rules; the others cover every CNI,
// kube-proxy mode and proxy the labs run (all but the one whose scenario is an error).
const ids = LESSONS.filter(
  (l) => !l.id.startsWith('mode3-scale-') && loadScenarioSource(lessonSource(l), l.file).cluster,
).map((l) => l.id)

describe('the lab script never changes the namespace it is started in', () => {
  it.each(ids)(
    '%s: every command that changes something names a namespace of the lab, through its guard',
    (id) => {
      const lab = labOf(id)
      const lines = scriptLines(lab.script)
      const body = lines.slice(lines.indexOf('preflight'))
      // After the runtime's functions, no tool that changes the network runs bare: ip, sysctl,
      // netfilter and the rest go through ipn/ipb/nsx/addns/bg, which refuse a foreign namespace.
      const bare = body.filter((l) =>
        /^\s*(ip|iptables\S*|ip6tables\S*|nft|sysctl|tc|bridge|modprobe|conntrack|nfacct|ipset|ipvsadm|ethtool)\s/.test(
          l,
        ),
      )
      expect(bare).toEqual([])
      const ns = new Set(/\nLAB_NS='?([^'\n]*)'?\n/.exec(lab.script)![1]!.split(' '))
      expect(ns.size).toBe(lab.namespaces)
      for (const n of ns) expect(n).toMatch(/^pp-t-/)
      for (const l of body) {
        const m = /^\s*(?:ipn|ipb|nsx|addns|bg) ('?)([^\s']+)\1/.exec(l)
        if (m && !m[2]!.startsWith('"$')) expect(ns, l).toContain(m[2])
      }
    },
  )
})

describe('the lab of a lesson', () => {
  it('names what to install, including the real proxies it runs and openssl for TLS', () => {
    expect(labOf('mode2-flannel-vxlan').packages).toEqual([
      'iproute2',
      'iptables',
      'nftables',
      'conntrack',
      'nfacct',
      'tcpdump',
      'python3',
    ])
    expect(labOf('mode4-ingress-tls').packages).toEqual(
      expect.arrayContaining(['nginx', 'openssl']),
    )
    expect(labOf('mode4-ingress-tls').script).toContain(
      `\n# Needs root and: apt-get install ${labOf('mode4-ingress-tls').packages.join(' ')}\n`,
    )
  })

  it('says why a traffic can never run in a lab, in both languages', () => {
    const lab = labOf('mode3-userspace')
    expect(lab.traffic.map((t) => t.never?.en)).toEqual([
      expect.stringMatching(/^kube-proxy userspace mode: /),
      expect.stringMatching(/^kube-proxy userspace mode: /),
    ])
    expect(lab.traffic[0]!.never!['zh-CN']).toMatch(/userspace 模式/)
    expect(labOf('mode2-calico-ipip').traffic).toEqual([
      { name: 'client-to-web', needs: ['ipip'], never: null },
    ])
  })

  it('lists a Cilium lesson as not runnable, since no agent loads its BPF programs, and still builds its devices', () => {
    const lab = labOf('mode3-clusterip-cilium')
    expect(lab.traffic.map((t) => t.never?.en)).toEqual([
      expect.stringMatching(/^Cilium's data plane is BPF programs .* the lab runs no Cilium agent/),
    ])
    expect(lab.traffic[0]!.never!['zh-CN']).toMatch(/实验不运行 Cilium agent/)
    expect(lab.script).toMatch(
      /link add cilium_vxlan .*type vxlan external dstport 8472 nolearning/,
    )
    // The NetworkPolicy lesson on Cilium likewise: its policy maps are BPF the lab cannot load.
    expect(labOf('mode2-policy-cilium').traffic.map((t) => [t.name, t.never?.en])).toEqual([
      ['from-frontend', expect.stringMatching(/the lab runs no Cilium agent/)],
      ['from-other', expect.stringMatching(/the lab runs no Cilium agent/)],
    ])
    expect(lab.script.match(/link add cilium_(host|net) /g)).toEqual([
      'link add cilium_host ',
      'link add cilium_host ',
    ])
  })

  it("serves an egress request's host in the Internet namespace, with TLS for https://", () => {
    const lab = labOf('mode2-egress-flannel')
    expect(lab.traffic.map((t) => t.never)).toEqual([null])
    expect(lab.packages).toContain('openssl')
    // The ip -batch input of the Internet namespace: the host's own address.
    expect(lab.script).toContain('\naddr add 140.82.112.6/32 dev eth0\n')
    expect(lab.script).toMatch(/openssl req -x509 .* -subj \/CN=api\.github\.com /)
    expect(lab.script).toMatch(/lab\.py" serve 'the Internet host' "[^"]+" tls:443\n/)
  })

  it("lists AWS egress as not run: the lab's router does not map a node to its public address", () => {
    const never = labOf('mode2-egress-aws').traffic.map((t) => t.never)
    expect(never[0]?.en).toMatch(/^an egress request through the Internet gateway/)
    expect(never[0]?.['zh-CN']).toMatch(/互联网网关/)
  })

  it('is the same script for the same scenario, seed and prefix', () => {
    expect(labOf('mode3-clusterip-iptables').script).toBe(labOf('mode3-clusterip-iptables').script)
    expect(labOf('mode3-clusterip-iptables', 'pp-u-').script).not.toContain('pp-t-')
  })
})
