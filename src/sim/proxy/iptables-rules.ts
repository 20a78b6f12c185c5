/**
 * kube-proxy's iptables mode (kubernetes pkg/proxy/iptables/proxier.go, syncProxyRules): the
 * rules it feeds to iptables-restore for one node, argument for argument as it writes them.
 * `print/iptables-save.ts` turns them into what `iptables-save` prints back.
 */
import { cidrContains, formatCidr, formatIp, type Cidr } from '../../model/ipv4.ts'
import { chainHash, chainHasher } from './chain-hash.ts'
import {
  categorizeEndpoints,
  externalPolicyLocal,
  loadBalancerVIPs,
  servicePortName,
  type BuiltEndpoint,
  type BuiltService,
  type BuiltServicePort,
} from '../services/service.ts'

export interface RestoreRule {
  table: 'filter' | 'nat'
  chain: string
  /** The arguments after `-A CHAIN`, exactly as kube-proxy writes them. */
  args: string[]
}

export interface IptablesRules {
  /** User chains kube-proxy declares, per table, in the order it declares them. */
  chains: { filter: string[]; nat: string[] }
  rules: RestoreRule[]
  /** The rules kube-proxy puts in the built-in chains to reach its own. */
  jumps: RestoreRule[]
}

export interface KubeProxyOptions {
  node: string
  /** The local-traffic detector's cluster CIDR (`--cluster-cidr`); null leaves the masquerade rule out. */
  clusterCIDR: Cidr | null
  masqueradeAll: boolean
  /** 1 << --iptables-masquerade-bit (14). kube-proxy formats it "%#08x" -> 0x004000; iptables prints 0x4000. */
  mark: string
  /** iptables >= 1.6.2 supports it, so real nodes have it (proxier.iptables.HasRandomFully). */
  randomFully: boolean
  /** kube-proxy >= 1.29 counts accepted localhost NodePort packets with nfacct. */
  nfacct: boolean
  /** The node's primary address (--bind-address / the Node's InternalIP): LB source ranges that hold it let the node in. */
  nodeIP: number | null
}

export const DEFAULT_MARK = '0x4000'

/**
 * The nfacct counters kube-proxy's iptables proxier creates at start and its rules name
 * (pkg/proxy/metrics: IPTablesCTStateInvalidDroppedNFAcctCounter,
 * LocalhostNodePortAcceptedNFAcctCounter). iptables-restore refuses a rule naming a missing one.
 */
export const NFACCT_CT_STATE_INVALID = 'ct_state_invalid_dropped_pkts'
export const NFACCT_LOCALHOST_NODEPORTS = 'localhost_nps_accepted_pkts'

/** portProtoHash: sha256 of "<servicePortName><protocol>", base32, first 16 characters. */
export function portProtoHash(spn: string, protocol: string, hash = chainHash): string {
  return hash(spn + protocol).slice(0, 16)
}

/** servicePortEndpointChainName: the same hash over "<servicePortName><protocol><ip:port>". */
export function endpointChainName(
  spn: string,
  protocol: string,
  endpoint: string,
  hash = chainHash,
): string {
  return `KUBE-SEP-${hash(spn + protocol + endpoint).slice(0, 16)}`
}

/** computeProbability: "%0.10f" of 1/n. */
export function probability(n: number): string {
  return (1 / n).toFixed(10)
}

export function chainNames(svc: BuiltService, port: BuiltServicePort, hash = chainHash) {
  const spn = servicePortName(svc, port)
  const h = portProtoHash(spn, port.protocol.toLowerCase(), hash)
  return {
    spn,
    svc: `KUBE-SVC-${h}`,
    svl: `KUBE-SVL-${h}`,
    ext: `KUBE-EXT-${h}`,
    fw: `KUBE-FW-${h}`,
  }
}

export function endpointString(ep: BuiltEndpoint): string {
  return `${formatIp(ep.ip)}:${ep.port}`
}

/** Appends one rule `-A chain args...` to a table. */
type Emit = (chain: string, ...args: string[]) => void

/**
 * What syncProxyRules works out for one Service port before it writes that port's rules: its
 * chain names, its addresses and which of its chains it needs. Hashes only the port's own name
 * (its endpoints' KUBE-SEP names are hashed when its chains are written).
 */
interface PortPlan {
  svc: BuiltService
  port: BuiltServicePort
  names: ReturnType<typeof chainNames>
  proto: string
  lbVips: string[]
  externalIPs: string[]
  cat: ReturnType<typeof categorizeEndpoints>
  itpLocal: boolean
  etpLocal: boolean
  hasEndpoints: boolean
  hasInternal: boolean
  hasExternal: boolean
  usesCluster: boolean
  usesLocal: boolean
  internalChain: string
  externalPolicyChain: string
  usesExternalChain: boolean
  usesFwChain: boolean
  lbChain: string
  dportArgs: string[]
}

/** kube-proxy walks a map, so a real node lists Services in no fixed order; PodPath sorts them. */
function portPlans(
  services: readonly BuiltService[],
  o: KubeProxyOptions,
  hash: (name: string) => string,
): PortPlan[] {
  const ordered = [...services]
    .filter((s) => s.clusterIP !== null)
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
  const plans: PortPlan[] = []
  for (const svc of ordered) {
    for (const port of svc.ports) {
      const d = svc.decl
      const names = chainNames(svc, port, hash)
      const proto = port.protocol.toLowerCase()
      const vip = formatIp(svc.clusterIP!)
      const lbVips = loadBalancerVIPs(svc).map(formatIp)
      const externalIPs = svc.externalIPs.map(formatIp)
      const cat = categorizeEndpoints(svc, port, o.node)
      const itpLocal = d.internalTrafficPolicy === 'Local'
      // ServicePort.ExternallyAccessible: a node port, a load-balancer VIP or an external IP.
      const externallyAccessible =
        port.nodePort !== null || lbVips.length > 0 || externalIPs.length > 0
      const etpLocal = externalPolicyLocal(svc)
      const hasEndpoints = cat.hasAny
      const usesFwChain = hasEndpoints && lbVips.length > 0 && d.loadBalancerSourceRanges.length > 0
      plans.push({
        svc,
        port,
        names,
        proto,
        lbVips,
        externalIPs,
        cat,
        itpLocal,
        etpLocal,
        hasEndpoints,
        hasInternal: itpLocal ? cat.local.length > 0 : hasEndpoints,
        hasExternal: etpLocal ? cat.local.length > 0 : hasEndpoints,
        usesCluster: cat.cluster.length > 0 && (!itpLocal || externallyAccessible),
        usesLocal: cat.local.length > 0 && (itpLocal || (etpLocal && externallyAccessible)),
        internalChain: itpLocal ? names.svl : names.svc,
        externalPolicyChain: etpLocal ? names.svl : names.svc,
        usesExternalChain: hasEndpoints && externallyAccessible,
        usesFwChain,
        lbChain: usesFwChain ? names.fw : names.ext,
        dportArgs: portDst(proto, vip, port.port),
      })
    }
  }
  return plans
}

function portDst(proto: string, ip: string, port: number): string[] {
  return ['-m', proto, '-p', proto, '-d', ip, '--dport', String(port)]
}

/** "has no endpoints" REJECTs; "has no local endpoints" DROPs (the Service exists elsewhere). */
function noEndpoints(p: PortPlan, what: 'internal' | 'external') {
  const localOnly = what === 'internal' ? p.itpLocal : p.etpLocal
  return localOnly && p.hasEndpoints
    ? { comment: `"${p.names.spn} has no local endpoints"`, target: 'DROP' }
    : { comment: `"${p.names.spn} has no endpoints"`, target: 'REJECT' }
}

/**
 * A Service port's rules in the chains every Service shares: KUBE-SERVICES,
 * KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and KUBE-PROXY-FIREWALL.
 */
function writeCaptureRules(p: PortPlan, n: Emit, f: Emit, o: KubeProxyOptions): void {
  const { svc, port, names, proto, dportArgs } = p
  const dst = (ip: string) => portDst(proto, ip, port.port)
  // Capture the clusterIP.
  if (p.hasInternal)
    n(
      'KUBE-SERVICES',
      '-m',
      'comment',
      '--comment',
      `"${names.spn} cluster IP"`,
      ...dportArgs,
      '-j',
      p.internalChain,
    )
  else {
    const x = noEndpoints(p, 'internal')
    f('KUBE-SERVICES', '-m', 'comment', '--comment', x.comment, ...dportArgs, '-j', x.target)
  }
  // Capture externalIPs.
  for (const ip of p.externalIPs) {
    if (p.hasEndpoints)
      n(
        'KUBE-SERVICES',
        '-m',
        'comment',
        '--comment',
        `"${names.spn} external IP"`,
        ...dst(ip),
        '-j',
        names.ext,
      )
    if (!p.hasExternal) {
      const x = noEndpoints(p, 'external')
      f(
        'KUBE-EXTERNAL-SERVICES',
        '-m',
        'comment',
        '--comment',
        x.comment,
        ...dst(ip),
        '-j',
        x.target,
      )
    }
  }
  // Capture load-balancer ingress.
  for (const ip of p.lbVips) {
    if (p.hasEndpoints)
      n(
        'KUBE-SERVICES',
        '-m',
        'comment',
        '--comment',
        `"${names.spn} loadbalancer IP"`,
        ...dst(ip),
        '-j',
        p.lbChain,
      )
    if (p.usesFwChain)
      f(
        'KUBE-PROXY-FIREWALL',
        '-m',
        'comment',
        '--comment',
        `"${names.spn} traffic not accepted by ${names.fw}"`,
        ...dst(ip),
        '-j',
        'DROP',
      )
  }
  if (!p.hasExternal) {
    const x = noEndpoints(p, 'external')
    for (const ip of p.lbVips)
      f(
        'KUBE-EXTERNAL-SERVICES',
        '-m',
        'comment',
        '--comment',
        x.comment,
        ...dst(ip),
        '-j',
        x.target,
      )
  }
  // Capture node ports.
  if (port.nodePort !== null) {
    if (p.hasEndpoints) {
      const nodePort = ['-m', 'comment', '--comment', names.spn, '-m', proto, '-p', proto]
      const dport = ['--dport', String(port.nodePort)]
      // localhostNodePorts: also for 127.0.0.0/8, counted with nfacct (kube-proxy >= 1.29).
      if (o.nfacct) {
        n(
          'KUBE-NODEPORTS',
          ...nodePort,
          '-d',
          '127.0.0.0/8',
          ...dport,
          '-m',
          'nfacct',
          '--nfacct-name',
          NFACCT_LOCALHOST_NODEPORTS,
          '-j',
          names.ext,
        )
      }
      n('KUBE-NODEPORTS', ...nodePort, ...dport, '-j', names.ext)
    }
    if (!p.hasExternal) {
      const x = noEndpoints(p, 'external')
      f(
        'KUBE-EXTERNAL-SERVICES',
        '-m',
        'comment',
        '--comment',
        x.comment,
        '-m',
        'addrtype',
        '--dst-type',
        'LOCAL',
        '-m',
        proto,
        '-p',
        proto,
        '--dport',
        String(port.nodePort),
        '-j',
        x.target,
      )
    }
  }
  // Capture healthCheckNodePorts: accepted whether or not this node has endpoints.
  if (svc.healthCheckNodePort !== null)
    f(
      'KUBE-NODEPORTS',
      '-m',
      'comment',
      '--comment',
      `"${names.spn} health check node port"`,
      '-m',
      'tcp',
      '-p',
      'tcp',
      '--dport',
      String(svc.healthCheckNodePort),
      '-j',
      'ACCEPT',
    )
}

/**
 * A Service port's own chains: its KUBE-SVC (or KUBE-SVL), KUBE-EXT, KUBE-FW and the KUBE-SEP of
 * each endpoint. `declare` is told each chain's name as kube-proxy declares it.
 */
function writeServiceChains(
  p: PortPlan,
  n: Emit,
  declare: (chain: string) => void,
  o: KubeProxyOptions,
  hash: (name: string) => string,
): void {
  const { svc, names, proto, dportArgs } = p
  const d = svc.decl
  const notLocal = o.clusterCIDR ? ['!', '-s', formatCidr(o.clusterCIDR)] : []
  const isLocal = o.clusterCIDR ? ['-s', formatCidr(o.clusterCIDR)] : []
  // Each endpoint's KUBE-SEP chain is named in up to three rules: hash its name once.
  const seps = new Map<BuiltEndpoint, string>()
  const sepOf = (ep: BuiltEndpoint) => {
    let name = seps.get(ep)
    if (name === undefined) {
      name = endpointChainName(names.spn, proto, endpointString(ep), hash)
      seps.set(ep, name)
    }
    return name
  }
  // Internal traffic: masquerade what comes from outside the cluster CIDR (or everything).
  if (p.hasInternal) {
    const args = ['-m', 'comment', '--comment', `"${names.spn} cluster IP"`, ...dportArgs]
    if (o.masqueradeAll) n(p.internalChain, ...args, '-j', 'KUBE-MARK-MASQ')
    else if (o.clusterCIDR) n(p.internalChain, ...args, ...notLocal, '-j', 'KUBE-MARK-MASQ')
  }
  // External traffic.
  if (p.usesExternalChain) {
    declare(names.ext)
    if (!p.etpLocal) {
      n(
        names.ext,
        '-m',
        'comment',
        '--comment',
        `"masquerade traffic for ${names.spn} external destinations"`,
        '-j',
        'KUBE-MARK-MASQ',
      )
    } else {
      if (o.clusterCIDR)
        n(
          names.ext,
          '-m',
          'comment',
          '--comment',
          `"pod traffic for ${names.spn} external destinations"`,
          ...isLocal,
          '-j',
          names.svc,
        )
      n(
        names.ext,
        '-m',
        'comment',
        '--comment',
        `"masquerade LOCAL traffic for ${names.spn} external destinations"`,
        '-m',
        'addrtype',
        '--src-type',
        'LOCAL',
        '-j',
        'KUBE-MARK-MASQ',
      )
      n(
        names.ext,
        '-m',
        'comment',
        '--comment',
        `"route LOCAL traffic for ${names.spn} external destinations"`,
        '-m',
        'addrtype',
        '--src-type',
        'LOCAL',
        '-j',
        names.svc,
      )
    }
    if (p.hasExternal) n(names.ext, '-j', p.externalPolicyChain)
  }
  // The firewall chain: allowed source ranges go on to KUBE-EXT; the rest falls through,
  // not DNATed, to the DROP in filter KUBE-PROXY-FIREWALL.
  if (p.usesFwChain) {
    declare(names.fw)
    const fw = ['-m', 'comment', '--comment', `"${names.spn} loadbalancer IP"`]
    let allowFromNode = false
    for (const c of d.loadBalancerSourceRanges) {
      n(names.fw, ...fw, '-s', formatCidr(c), '-j', names.ext)
      if (o.nodeIP !== null && cidrContains(c, o.nodeIP)) allowFromNode = true
    }
    // A node reaching its own LB VIP may loop back with the VIP as its source.
    if (allowFromNode) for (const ip of p.lbVips) n(names.fw, ...fw, '-s', ip, '-j', names.ext)
    n(
      names.fw,
      '-m',
      'comment',
      '--comment',
      `"other traffic to ${names.spn} will be dropped by KUBE-PROXY-FIREWALL"`,
    )
  }
  if (p.usesCluster) {
    declare(names.svc)
    writeEndpointRules(n, svc, names.spn, names.svc, p.cat.cluster, sepOf)
  }
  if (p.usesLocal) {
    declare(names.svl)
    writeEndpointRules(n, svc, names.spn, names.svl, p.cat.local, sepOf)
  }
  for (const ep of p.cat.reachable) {
    const chain = sepOf(ep)
    declare(chain)
    n(chain, '-m', 'comment', '--comment', names.spn, '-s', formatIp(ep.ip), '-j', 'KUBE-MARK-MASQ')
    const affinity =
      d.sessionAffinity === 'ClientIP' ? ['-m', 'recent', '--name', chain, '--set'] : []
    n(
      chain,
      '-m',
      'comment',
      '--comment',
      names.spn,
      ...affinity,
      '-m',
      proto,
      '-p',
      proto,
      '-j',
      'DNAT',
      '--to-destination',
      endpointString(ep),
    )
  }
}

/** The rules after every Service's: KUBE-SERVICES' last rule, KUBE-FIREWALL and KUBE-FORWARD. */
function tailRules(o: KubeProxyOptions): RestoreRule[] {
  const rules: RestoreRule[] = [
    {
      table: 'nat',
      chain: 'KUBE-SERVICES',
      args: [
        '-m',
        'comment',
        '--comment',
        '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"',
        '-m',
        'addrtype',
        '--dst-type',
        'LOCAL',
        '-j',
        'KUBE-NODEPORTS',
      ],
    },
    {
      table: 'filter',
      chain: 'KUBE-FIREWALL',
      args: [
        '-m',
        'comment',
        '--comment',
        '"block incoming localnet connections"',
        '-d',
        '127.0.0.0/8',
        '!',
        '-s',
        '127.0.0.0/8',
        '-m',
        'conntrack',
        '!',
        '--ctstate',
        'RELATED,ESTABLISHED,DNAT',
        '-j',
        'DROP',
      ],
    },
    {
      table: 'filter',
      chain: 'KUBE-FORWARD',
      args: [
        '-m',
        'conntrack',
        '--ctstate',
        'INVALID',
        ...(o.nfacct ? ['-m', 'nfacct', '--nfacct-name', NFACCT_CT_STATE_INVALID] : []),
        '-j',
        'DROP',
      ],
    },
  ]
  return [...rules, ...forwardAcceptRules(o)]
}

const FILTER_CHAINS = [
  'KUBE-SERVICES',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-FORWARD',
  'KUBE-NODEPORTS',
  'KUBE-PROXY-FIREWALL',
  'KUBE-FIREWALL',
]
const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']

export function kubeProxyIptables(
  services: readonly BuiltService[],
  o: KubeProxyOptions,
): IptablesRules {
  const nat = [...NAT_CHAINS]
  const rules: RestoreRule[] = [...masqueradeRules(o)]
  const n: Emit = (chain, ...args) => rules.push({ table: 'nat', chain, args })
  const f: Emit = (chain, ...args) => rules.push({ table: 'filter', chain, args })
  const hash = chainHasher(services)
  const declare = (chain: string) => nat.push(chain)
  for (const p of portPlans(services, o, hash)) {
    writeCaptureRules(p, n, f, o)
    writeServiceChains(p, n, declare, o, hash)
  }
  rules.push(...tailRules(o))
  return { chains: { filter: [...FILTER_CHAINS], nat }, rules, jumps: JUMP_RULES }
}

/** A table's rules by chain, in the order kube-proxy writes them. */
export interface ChainRules {
  rules(table: 'filter' | 'nat', chain: string): readonly RestoreRule[]
}

/** Rules grouped by table and chain, each chain in the order of `lists` and of each list. */
export function chainsOf(...lists: readonly RestoreRule[][]): ChainRules {
  const byChain = {
    filter: new Map<string, RestoreRule[]>(),
    nat: new Map<string, RestoreRule[]>(),
  }
  for (const list of lists)
    for (const rule of list) {
      const chain = byChain[rule.table].get(rule.chain)
      if (chain) chain.push(rule)
      else byChain[rule.table].set(rule.chain, [rule])
    }
  return { rules: (table, chain) => byChain[table].get(chain) ?? [] }
}

/** `a`'s rules of each chain, then `b`'s, then `c`'s. */
export function concatChains(a: ChainRules, b: ChainRules, c: ChainRules): ChainRules {
  return {
    rules(table, chain) {
      const x = a.rules(table, chain)
      const y = b.rules(table, chain)
      const z = c.rules(table, chain)
      return x.length === 0 && z.length === 0 ? y : [...x, ...y, ...z]
    },
  }
}

/**
 * kubeProxyIptables' rules chain by chain, for a walk: the shared chains are written at once
 * (KUBE-SERVICES names every Service port), a Service port's own chains the first time a walk
 * asks for one of them. A walk to one Service of 10,000 enters one KUBE-SVC and one KUBE-SEP,
 * so the other 9,999 ports' endpoint chains are never hashed nor written. Each chain holds the
 * rules `kubeProxyIptables` lists for it, in the same order (the rules of one chain all come
 * from the shared writers or from one Service port).
 */
export function kubeProxyIptablesChains(
  services: readonly BuiltService[],
  o: KubeProxyOptions,
): ChainRules {
  const byChain = {
    filter: new Map<string, RestoreRule[]>(),
    nat: new Map<string, RestoreRule[]>(),
  }
  const add = (rule: RestoreRule) => {
    const list = byChain[rule.table].get(rule.chain)
    if (list) list.push(rule)
    else byChain[rule.table].set(rule.chain, [rule])
  }
  const n: Emit = (chain, ...args) => add({ table: 'nat', chain, args })
  const f: Emit = (chain, ...args) => add({ table: 'filter', chain, args })
  const hash = chainHasher(services)
  for (const r of masqueradeRules(o)) add(r)
  // A port's own chains, until written: KUBE-SVC, KUBE-SVL, KUBE-EXT and KUBE-FW by name. Its
  // KUBE-SEP names are known only once hashed, so a KUBE-SEP chain not yet written writes all.
  const pending = new Map<string, PortPlan>()
  const unwritten = new Set<PortPlan>()
  for (const p of portPlans(services, o, hash)) {
    writeCaptureRules(p, n, f, o)
    for (const c of [p.names.svc, p.names.svl, p.names.ext, p.names.fw]) pending.set(c, p)
    unwritten.add(p)
  }
  for (const r of tailRules(o)) add(r)
  const write = (p: PortPlan) => {
    if (!unwritten.delete(p)) return
    writeServiceChains(p, n, () => {}, o, hash)
  }
  return {
    rules(table, chain) {
      if (table === 'nat' && unwritten.size > 0) {
        const p = pending.get(chain)
        if (p) write(p)
        else if (chain.startsWith('KUBE-SEP-') && !byChain.nat.has(chain))
          for (const q of [...unwritten]) write(q)
      }
      return byChain[table].get(chain) ?? []
    },
  }
}

/** writeServiceToEndpointRules: affinity checks first, then one probabilistic jump per endpoint. */
function writeEndpointRules(
  n: (chain: string, ...args: string[]) => void,
  svc: BuiltService,
  spn: string,
  chain: string,
  eps: BuiltEndpoint[],
  sepOf: (ep: BuiltEndpoint) => string,
): void {
  if (svc.decl.sessionAffinity === 'ClientIP') {
    for (const ep of eps) {
      const sep = sepOf(ep)
      n(
        chain,
        '-m',
        'comment',
        '--comment',
        `"${spn} -> ${endpointString(ep)}"`,
        '-m',
        'recent',
        '--name',
        sep,
        '--rcheck',
        '--seconds',
        String(svc.decl.sessionAffinityTimeout),
        '--reap',
        '-j',
        sep,
      )
    }
  }
  eps.forEach((ep, i) => {
    const sep = sepOf(ep)
    const stat =
      i < eps.length - 1
        ? ['-m', 'statistic', '--mode', 'random', '--probability', probability(eps.length - i)]
        : []
    n(chain, '-m', 'comment', '--comment', `"${spn} -> ${endpointString(ep)}"`, ...stat, '-j', sep)
  })
}

/** The iptables-restore input kube-proxy writes: `*filter` ... COMMIT `*nat` ... COMMIT. */
export function restoreText(r: IptablesRules): string {
  const out: string[] = []
  for (const table of ['filter', 'nat'] as const) {
    out.push(`*${table}`)
    for (const c of r.chains[table]) out.push(`:${c} - [0:0]`)
    for (const rule of r.rules)
      if (rule.table === table) out.push(['-A', rule.chain, ...rule.args].join(' '))
    out.push('COMMIT')
  }
  return `${out.join('\n')}\n`
}

/**
 * Rules both iptables and IPVS mode write: KUBE-POSTROUTING masquerades (and clears the mark of)
 * what KUBE-MARK-MASQ marked; KUBE-FORWARD accepts marked and established traffic.
 */
export function masqueradeRules(o: KubeProxyOptions): RestoreRule[] {
  const nat = (...args: string[]): RestoreRule => ({
    table: 'nat',
    chain: args[0]!,
    args: args.slice(1),
  })
  const mark = `${o.mark}/${o.mark}`
  return [
    nat('KUBE-POSTROUTING', '-m', 'mark', '!', '--mark', mark, '-j', 'RETURN'),
    nat('KUBE-POSTROUTING', '-j', 'MARK', '--xor-mark', o.mark),
    nat(
      'KUBE-POSTROUTING',
      '-m',
      'comment',
      '--comment',
      '"kubernetes service traffic requiring SNAT"',
      '-j',
      'MASQUERADE',
      ...(o.randomFully ? ['--random-fully'] : []),
    ),
    nat('KUBE-MARK-MASQ', '-j', 'MARK', '--or-mark', o.mark),
  ]
}

export function forwardAcceptRules(o: KubeProxyOptions): RestoreRule[] {
  const filter = (...args: string[]): RestoreRule => ({
    table: 'filter',
    chain: 'KUBE-FORWARD',
    args,
  })
  return [
    filter(
      '-m',
      'comment',
      '--comment',
      '"kubernetes forwarding rules"',
      '-m',
      'mark',
      '--mark',
      `${o.mark}/${o.mark}`,
      '-j',
      'ACCEPT',
    ),
    filter(
      '-m',
      'comment',
      '--comment',
      '"kubernetes forwarding conntrack rule"',
      '-m',
      'conntrack',
      '--ctstate',
      'RELATED,ESTABLISHED',
      '-j',
      'ACCEPT',
    ),
  ]
}

/** The rules kube-proxy adds to the built-in chains (iptablesJumpChains, each prepended). */
export const JUMP_RULES: RestoreRule[] = [
  {
    table: 'filter',
    chain: 'INPUT',
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      '"kubernetes load balancer firewall"',
      '-j',
      'KUBE-PROXY-FIREWALL',
    ],
  },
  {
    table: 'filter',
    chain: 'INPUT',
    args: [
      '-m',
      'comment',
      '--comment',
      '"kubernetes health check service ports"',
      '-j',
      'KUBE-NODEPORTS',
    ],
  },
  {
    table: 'filter',
    chain: 'INPUT',
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      '"kubernetes externally-visible service portals"',
      '-j',
      'KUBE-EXTERNAL-SERVICES',
    ],
  },
  { table: 'filter', chain: 'INPUT', args: ['-j', 'KUBE-FIREWALL'] },
  {
    table: 'filter',
    chain: 'FORWARD',
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      '"kubernetes load balancer firewall"',
      '-j',
      'KUBE-PROXY-FIREWALL',
    ],
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    args: ['-m', 'comment', '--comment', '"kubernetes forwarding rules"', '-j', 'KUBE-FORWARD'],
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      '"kubernetes service portals"',
      '-j',
      'KUBE-SERVICES',
    ],
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      '"kubernetes externally-visible service portals"',
      '-j',
      'KUBE-EXTERNAL-SERVICES',
    ],
  },
  {
    table: 'filter',
    chain: 'OUTPUT',
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      '"kubernetes load balancer firewall"',
      '-j',
      'KUBE-PROXY-FIREWALL',
    ],
  },
  {
    table: 'filter',
    chain: 'OUTPUT',
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      '"kubernetes service portals"',
      '-j',
      'KUBE-SERVICES',
    ],
  },
  { table: 'filter', chain: 'OUTPUT', args: ['-j', 'KUBE-FIREWALL'] },
  {
    table: 'nat',
    chain: 'PREROUTING',
    args: ['-m', 'comment', '--comment', '"kubernetes service portals"', '-j', 'KUBE-SERVICES'],
  },
  {
    table: 'nat',
    chain: 'OUTPUT',
    args: ['-m', 'comment', '--comment', '"kubernetes service portals"', '-j', 'KUBE-SERVICES'],
  },
  {
    table: 'nat',
    chain: 'POSTROUTING',
    args: [
      '-m',
      'comment',
      '--comment',
      '"kubernetes postrouting rules"',
      '-j',
      'KUBE-POSTROUTING',
    ],
  },
]
