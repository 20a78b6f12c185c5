import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { goldenPath, type Golden } from '../../cli/golden.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { LANGS, type Lang } from '../../model/text.ts'
import { findTerms, glossaryEntry, segments } from './find-terms.ts'
import { GLOSSARY } from './terms.ts'

/** Every narration of every golden trace, once each, per language. */
const NARRATIONS: Record<Lang, string[]> = { en: [], 'zh-CN': [] }
for (const lesson of LESSONS) {
  const g = JSON.parse(readFileSync(goldenPath(lesson), 'utf8')) as Golden
  for (const t of g.traces)
    for (const s of t.steps) for (const l of LANGS) NARRATIONS[l].push(s.explain[l])
}
for (const l of LANGS) NARRATIONS[l] = [...new Set(NARRATIONS[l])]

// A token of its own: not part of a longer name (a device, a chain hash, a dotted path).
const B = '(?<![\\w./-])'
const E = '(?![\\w/-]|\\.\\w)'

/**
 * What "a narration uses a term" means: a match of one of these patterns. Three catch-alls
 * (any upper-case acronym, any CamelCase or camelCase API name, any kube-proxy chain) and the
 * technical words in lower case or in Chinese that no pattern of shape can find. A match that
 * no glossary entry covers fails the test.
 */
/** An ASCII word watched as a token of its own; Chinese words as they are. */
const asWord = (x: string) => (/^[ -~]+$/.test(x) ? `${B}(?:${x})${E}` : x)

const WATCH_ALL: RegExp[] = [
  new RegExp(`${B}[A-Z][A-Z0-9]{2,}${E}`, 'g'),
  new RegExp(`${B}[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+${E}`, 'g'),
  new RegExp(`${B}[a-z]+(?:[A-Z][a-z0-9]+)+${E}`, 'g'),
  new RegExp(`${B}HTTPRoutes?|GatewayClass(?:es)?${E}`, 'g'),
  /KUBE-[A-Z-]*[A-Z]/g,
  /\bX-[A-Z][A-Za-z-]+/g,
  /\bIP\b/g,
]
const WATCH: Record<Lang, RegExp[]> = {
  en: [
    ...WATCH_ALL,
    new RegExp(
      [
        'veth',
        '[Bb]ridge(?! fdb)',
        'forwarding database',
        'neighbou?r table',
        'proxy[ _]arp',
        'hairpin',
        'longest',
        'on-?link',
        'ip_forward',
        'underlay',
        'overlay',
        'encapsulat\\w*',
        'host-gw',
        '[Ff]lannel',
        'kube-proxy',
        'userspace',
        'kube-ipvs0',
        'scheduler',
        'round[- ]robin',
        'ipsets?',
        'nftables',
        'verdict map',
        'numgen',
        '[Nn]etfilter',
        'iptables',
        'statistic',
        '[Mm]asquerad\\w*',
        'conntrack',
        'br_netfilter',
        'ndots',
        'search (?:list|domains?)',
        'resolv\\.conf',
        'kubelet',
        'kubeadm',
        'network namespaces?',
        'sandbox',
        'security identit(?:y|ies)',
        'policy map',
        '[Hh]ubble',
        'pause container',
        'loopback',
        'localhost',
        'ephemeral',
        'headless',
        'endpoints?',
        'readiness',
        'not ready',
        'cloud load balancer',
        'ingress-nginx',
        'Ingress(?:es)?',
        '[Ii]ngress controllers?',
        'location',
        'server_name',
        'upstream',
        'default backend',
        'listeners?',
        'weight',
        'Secret',
        'Host header',
        'sockets?',
        'external-dns',
        'Gateway',
        'Envoy',
        'API server',
        'Lua',
        // NetworkPolicy's directions and felix's verdict (mode2-policy-default-deny,
        // mode3-policy-forgot-dns).
        'Egress',
        'End of tier',
        'accept mark',
      ]
        .map(asWord)
        .join('|'),
      'g',
    ),
  ],
  'zh-CN': [
    ...WATCH_ALL,
    new RegExp(
      [
        'veth',
        '网桥',
        '转发表',
        '邻居表',
        'proxy_arp',
        'hairpin',
        '最长前缀',
        '同一链路',
        'onlink',
        'ip_forward',
        '底层网络',
        '节点网络',
        '覆盖网络',
        '封装',
        'host-gw',
        'flannel',
        'kube-proxy',
        'userspace',
        'kube-ipvs0',
        '调度器',
        '轮询',
        'ipset',
        'nftables',
        'verdict map',
        'numgen',
        'Netfilter',
        'iptables',
        'statistic',
        '伪装',
        '地址转换',
        'conntrack',
        'br_netfilter',
        'ndots',
        '搜索列表',
        '搜索域',
        'resolv\\.conf',
        'kubelet',
        'kubeadm',
        '网络命名空间',
        '沙箱',
        '回环',
        'localhost',
        '临时端口',
        '端点',
        '就绪',
        '云负载均衡',
        'ingress-nginx',
        'Ingress',
        '控制器',
        'location',
        'server_name',
        'upstream',
        '上游',
        '默认后端',
        '监听器',
        '权重',
        'Secret',
        '套接字',
        'external-dns',
        'Gateway',
        'Envoy',
        'Lua',
        '端口不可达',
        'Egress',
        'End of tier',
        '接受标记',
        '安全身份',
        '策略表',
      ]
        .map(asWord)
        .join('|'),
      'g',
    ),
  ],
}

/** Watched words that are not terms to explain, each with the reason. */
const NOT_TERMS: Record<string, string> = {
  PodPath: 'the product itself',
  AWS: 'a company; its VPC and ENI have entries',
  RFC: 'a document series the narration cites, not a networking term',
  API: 'only in "API server", which has an entry',
  'X-Shop-Route': "a header the lesson's HTTPRoute invents",
  控制器: 'only as part of a named controller (Ingress 控制器, gatewayclass-controller)',
}

describe('the glossary covers every term the narrations use', () => {
  for (const lang of LANGS) {
    it(`${lang}: every watched word in a golden narration has a glossary entry`, () => {
      const missing = new Map<string, string>()
      for (const n of NARRATIONS[lang]) {
        const hits = findTerms(n, lang)
        for (const re of WATCH[lang]) {
          for (const m of n.matchAll(re)) {
            const [start, end] = [m.index, m.index + m[0].length]
            if (NOT_TERMS[m[0]]) continue
            if (!hits.some((h) => h.start < end && h.end > start)) missing.set(m[0], n)
          }
        }
      }
      expect(Object.fromEntries(missing)).toEqual({})
    })
  }

  it('has narrations to check in both languages', () => {
    expect(NARRATIONS.en.length).toBeGreaterThan(500)
    expect(NARRATIONS['zh-CN'].length).toBe(NARRATIONS.en.length)
  })

  it('has an entry for every term the issue names', () => {
    const named = [
      'veth',
      'bridge',
      'FDB',
      'ARP',
      'VXLAN',
      'VNI',
      'VTEP',
      'IP-in-IP',
      'BGP',
      'BIRD',
      'MTU',
      'conntrack',
      'DNAT',
      'SNAT',
      'MASQUERADE',
      'hairpin',
      'ClusterIP',
      'NodePort',
      'EndpointSlice',
      'kube-proxy',
      'IPVS',
      'ipset',
      'nftables verdict map',
      'CoreDNS',
      'ndots',
      'search list',
      'Ingress',
      'IngressClass',
      'Ingress controller',
      'Gateway',
      'GatewayClass',
      'HTTPRoute',
      'TLS termination',
      'SNI',
      'externalTrafficPolicy',
      // The NetworkPolicy and egress lessons (issue 15).
      'NetworkPolicy',
      'policyTypes',
      'default deny',
      'Egress',
      'cali-tw-cali68caf03a5f4',
      'cali-fw-calia7a3e029a7b',
      'cali-pi-_gXPaCB1t-SWHb8oA9OT',
      'cali-po-_PsuMb9rqQaYYGX3SKT9',
      'End of tier default. Drop if no policies passed packet',
      'natOutgoing',
      'cali-nat-outgoing',
      'cali40masq-ipam-pools',
      'FLANNEL-POSTRTG',
      'FLANNEL-FWD',
      'AWS-SNAT-CHAIN-0',
      // mode2-policy-from-namespace and mode2-policy-and-or.
      'cali40s:KgEiWMLoFtVf3ir44vb4QuN',
      'IP set',
      'namespaceSelector',
      'podSelector',
      'AND/OR',
      // mode2-policy-cilium.
      'security identity',
      'policy map',
      'Hubble',
    ]
    for (const term of named) expect([term, findTerms(term, 'en').length]).not.toEqual([term, 0])
    const ids = (t: string) => findTerms(t, 'en').map((h) => h.id)
    expect(ids('nftables verdict map')).toEqual(['nftables', 'verdict-map'])
    expect(ids('Ingress controller')).toEqual(['ingress-controller'])
    expect(ids('TLS termination')).toEqual(['tls-termination'])
    expect(ids('the IP set cali40s:KgEiWMLoFtVf3ir44vb4QuN')).toEqual([
      'ipset',
      'felix-selector-ipset',
    ])
  })

  it("reads Ingress in a NetworkPolicy's policyTypes as the policy's direction, not the Ingress API", () => {
    // The narrations of mode2-policy-default-deny and mode3-policy-forgot-dns, in both languages.
    const en = 'NetworkPolicy default/x selects the Pod with Ingress in its policyTypes, so'
    const zh = 'NetworkPolicy default/x 选中了这个 Pod，且其 policyTypes 含 Ingress，所以'
    const at = (t: string, lang: Lang, word: string) =>
      findTerms(t, lang).find((h) => h.start <= t.indexOf(word) && h.end > t.indexOf(word))?.id
    expect(at(en, 'en', 'Ingress')).toBe('policy-types')
    expect(at(zh, 'zh-CN', 'Ingress')).toBe('policy-types')
    expect(at(en.replace('Ingress', 'Egress'), 'en', 'Egress')).toBe('policy-types')
    // Two policies (mode2-policy-from-namespace): "select the Pod with Ingress in their policyTypes".
    const two = 'NetworkPolicy b/x, b/y select the Pod with Ingress in their policyTypes, so'
    expect(at(two, 'en', 'Ingress')).toBe('policy-types')
    // The Ingress object keeps its own entry.
    expect(at('The Ingress routes by host.', 'en', 'Ingress')).toBe('ingress')
  })
})

describe('glossary entries', () => {
  it('have unique ids, both languages, a Chinese text that is Chinese, and an https source', () => {
    expect(new Set(GLOSSARY.map((e) => e.id)).size).toBe(GLOSSARY.length)
    for (const e of GLOSSARY) {
      expect(e.short.en.length, e.id).toBeGreaterThan(30)
      expect(e.short['zh-CN'], e.id).toMatch(/[\u4e00-\u9fff]/)
      expect(e.short.en, e.id).not.toMatch(/[\u4e00-\u9fff]/)
      expect(e.source.url, e.id).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+\//)
      expect(e.source.title.length, e.id).toBeGreaterThan(2)
    }
  })

  it('each find their own name, in both languages', () => {
    for (const e of GLOSSARY)
      for (const l of LANGS)
        expect(
          findTerms(e.term[l], l).map((h) => h.id),
          `${e.id} ${l}`,
        ).toContain(e.id)
  })
})

describe('finding terms in a narration', () => {
  it('does not mark a term inside a longer name: devices, sysctls, Pod and chain names', () => {
    const t =
      'It crosses veth7d6000b0 into flannel.1, by net.bridge.bridge-nf-call-iptables=1, to Pod ingress-nginx/ingress-nginx-controller-6c888d4b78-jf92l, via KUBE-SVC-TCOU7JCQXEZGVUNU.'
    expect(findTerms(t, 'en').map((h) => [t.slice(h.start, h.end), h.id])).toEqual([
      ['bridge-nf-call-iptables', 'br-netfilter'],
      ['KUBE-SVC-TCOU7JCQXEZGVUNU', 'kube-svc'],
    ])
  })

  it('marks the longer term where two overlap, and each term once when asked', () => {
    const t = 'The Ingress controller reads the Ingress; the Ingress controller proxies.'
    expect(findTerms(t, 'en').map((h) => h.id)).toEqual([
      'ingress-controller',
      'ingress',
      'ingress-controller',
    ])
    expect(findTerms(t, 'en', { firstOnly: true }).map((h) => h.id)).toEqual([
      'ingress-controller',
      'ingress',
    ])
  })

  it('finds Chinese terms and the English names a Chinese narration keeps', () => {
    const t = '帧经过 veth 对进入网桥 cni0，内核查询邻居表，conntrack 记下 DNAT。'
    expect(findTerms(t, 'zh-CN').map((h) => h.id)).toEqual([
      'veth',
      'bridge',
      'neighbour',
      'conntrack',
      'dnat',
    ])
  })

  it('cuts a text into plain pieces and terms that join back to the text', () => {
    const t = 'kube-proxy DNATs it, and conntrack remembers.'
    const parts = segments(t, findTerms(t, 'en'))
    expect(parts.map((p) => p.text).join('')).toBe(t)
    expect(parts.filter((p) => p.term).map((p) => [p.text, p.term])).toEqual([
      ['kube-proxy', 'kube-proxy'],
      ['DNATs', 'dnat'],
      ['conntrack', 'conntrack'],
    ])
    expect(glossaryEntry('dnat')?.term.en).toBe('DNAT')
  })
})
