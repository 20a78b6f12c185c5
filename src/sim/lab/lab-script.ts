/**
 * `podpath lab`: a self-contained bash script that, run as root, builds a scenario in real
 * network namespaces (topology.ts), loads kube-proxy's rules as PodPath prints them, starts the
 * servers (servers.ts), sends each traffic's packets from the trace's own source ports, and
 * prints the kernel's view beside PodPath's (expect.ts, compared by the embedded lab-py.ts).
 * Pure: the same cluster, runs and options always give the same script.
 *
 * Exit status of the script: 0 every check agrees; 1 some disagree; 2 the lab could not be
 * built (or a usage error); 3 nothing could run on this machine (a missing program or kernel
 * feature), with the reason.
 */
import { formatIp } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'
import { text, type Text } from '../../model/text.ts'
import { formatRoute } from '../print/ip-route.ts'
import { formatRule } from '../print/ip-rule.ts'
import { sortRoutes } from '../print/tables.ts'
import { iptablesSave } from '../print/iptables-save.ts'
import { nftListTable } from '../print/nft-list.ts'
import { nodeIptables, nodeNftablesTable } from '../proxy/kube-proxy.ts'
import type { Link, NetNs } from '../net/netns.ts'
import { labExpectation, type LabExpectation, type LabRun } from './expect.ts'
import { labServers, type LabServer } from './servers.ts'
import { labTopology, lineText, type Feature, type LabLine, type LabTopology } from './topology.ts'
import { heredoc, heredocInto, shCmd, shq } from './shell.ts'
import { LAB_PY } from './lab-py.ts'
import { labProxyConfig } from './proxy-config.ts'
import { IPVS_SYSCTLS, ipsetRestore, ipvsadmRestore } from './ipvs-lab.ts'
import { felixIpsetRestore } from '../cni/felix/ipsets.ts'
import { ipvsadmList } from '../proxy/ipvs.ts'

export interface LabOptions {
  prefix: string
  /** Where the scenario came from, for the script's header. */
  source: string
}

/**
 * Debian packages a lab needs (apt-get install ...): the tools that build and watch it, and the
 * real proxies it runs (with openssl for the certificates of TLS listeners).
 */
export function labPackages(c: Cluster, plan: LabPlan): string[] {
  const pkgs = ['iproute2', 'iptables', 'nftables', 'conntrack', 'nfacct', 'tcpdump', 'python3']
  if (c.decl.kubeProxy.mode === 'ipvs') pkgs.push('ipvsadm', 'ipset')
  else if (c.nodes.some((n) => labIpsetInput(c, n.name) !== null)) pkgs.push('ipset')
  for (const s of plan.servers) {
    if (s.kind === 'tls' && !pkgs.includes('openssl')) pkgs.push('openssl')
    if ((s.kind === 'nginx' || s.kind === 'haproxy') && !pkgs.includes(s.kind)) pkgs.push(s.kind)
    if (
      (s.kind === 'nginx' || s.kind === 'haproxy') &&
      labProxyConfig(c, s, '', '').tlsHosts.length > 0 &&
      !pkgs.includes('openssl')
    )
      pkgs.push('openssl')
  }
  return pkgs
}

/**
 * `ipset restore` input for a node: kube-proxy's sets in IPVS mode, then the CNI agent's
 * (felix's pool sets, made as felix makes them); null when the node's rules match no set.
 */
export function labIpsetInput(c: Cluster, node: string): string | null {
  const cni = c.cniIptables.get(node)?.ipsets ?? []
  const ipvs = c.decl.kubeProxy.mode === 'ipvs'
  if (!ipvs && cni.length === 0) return null
  return `${ipvs ? ipsetRestore(c, node) : ''}${cni.length ? felixIpsetRestore(cni) : ''}`
}

/** Why a traffic cannot run in a lab at all, on any machine (null: it can, given the kernel). */
export function notRunnable(c: Cluster, exp: LabExpectation): Text | null {
  const mode = c.decl.kubeProxy.mode
  // Cilium's data plane is BPF its agent compiles and attaches (bpf/bpf_lxc.c, bpf_overlay.c,
  // bpf_sock.c); the lab builds namespaces, routes and netfilter rules, and has no agent.
  if (c.decl.cni.plugin === 'cilium')
    return text(
      "Cilium's data plane is BPF programs its agent compiles and attaches (cil_from_container and cil_from_overlay on tc, cil_sock4_connect on the cgroup), and the lab runs no Cilium agent: it builds namespaces, routes and netfilter rules only",
      'Cilium 的数据面是由其 agent 编译并挂载的 BPF 程序（tc 上的 cil_from_container 和 cil_from_overlay，cgroup 上的 cil_sock4_connect），而实验不运行 Cilium agent：它只构建命名空间、路由和 netfilter 规则',
    )
  if (mode === 'userspace')
    return text(
      'kube-proxy userspace mode: the proxy is kube-proxy itself (removed in Kubernetes 1.26), which the lab cannot run',
      'kube-proxy userspace 模式：代理就是 kube-proxy 自己（Kubernetes 1.26 已移除），实验无法运行它',
    )
  if (exp.outcome === 'error')
    return text(
      `PodPath could not trace it: ${exp.reason?.en ?? ''}`,
      `PodPath 无法跟踪它：${exp.reason?.['zh-CN'] ?? ''}`,
    )
  // AWS: the Internet gateway maps a node's address 1:1 to its public one (nodes[].externalIP);
  // the lab's router does no such translation, so the host would see another source.
  const outside = exp.hops.find((h) => h.component === 'internet')
  const publicIps = new Set(c.nodes.flatMap((n) => (n.externalIP ? [formatIp(n.externalIP)] : [])))
  if (outside && publicIps.has(outside.peer.ip))
    return text(
      `an egress request through the Internet gateway, which gives the node its public address ${outside.peer.ip}: the lab's router does not translate addresses`,
      `这是一个经过互联网网关的出站请求，网关把节点换成它的公网地址 ${outside.peer.ip}：实验中的路由器不做地址转换`,
    )
  if (!exp.client.request && exp.outcome !== 'dns-only')
    return text('the trace sends no request', '这个跟踪没有发出请求')
  return null
}

/** The kernel features a traffic needs: its tunnels, and IPVS in IPVS mode. */
export function trafficNeeds(c: Cluster, exp: LabExpectation): Feature[] {
  const needs = new Set<Feature>()
  const kinds = new Map<string, Link['kind']>()
  for (const ns of c.netns.values()) for (const l of ns.links) kinds.set(l.name, l.kind)
  for (const d of exp.devices) {
    const k = kinds.get(d)
    if (k === 'vxlan') needs.add('vxlan')
    if (k === 'ipip') needs.add('ipip')
  }
  if (exp.frames.some((f) => f.outer?.encap === 'ipip')) needs.add('ipip')
  if (exp.frames.some((f) => f.outer?.encap === 'vxlan')) needs.add('vxlan')
  // IPVS mode: every traffic meets kube-proxy's ipsets and IPVS, even one no virtual service
  // takes (its iptables rules match the sets, which exist only beside ip_vs here).
  if (c.decl.kubeProxy.mode === 'ipvs') needs.add('ipvs')
  return [...needs].sort()
}

/** `nsx NS ARGS`: ip netns exec through the script's guard. */
function nsx(ns: string, args: readonly string[]): string {
  return `nsx ${shCmd([ns, ...args])}`
}

/**
 * A section's lines as bash: runs of `ip` commands in one namespace go to one `ip -batch`
 * (`ipb`), runs of sysctls to one `sysctl -w`, each through the guard that refuses a namespace
 * the lab did not make; lines that need a kernel feature run only where it is there.
 */
function renderLines(lines: LabLine[]): string[] {
  const out: string[] = []
  for (let i = 0; i < lines.length;) {
    const l = lines[i]!
    let j = i + 1
    while (
      j < lines.length &&
      lines[j]!.ns === l.ns &&
      lines[j]!.tool === l.tool &&
      lines[j]!.needs === l.needs &&
      (l.tool === 'ip' || l.tool === 'sysctl')
    )
      j++
    const run = lines.slice(i, j)
    let cmd: string
    if (l.tool === 'ip' && run.length > 1)
      cmd = heredocInto(`ipb ${shq(l.ns)}`, run.map((x) => shCmd(x.args)).join('\n'), 'IP')
    else if (l.tool === 'ip') cmd = `ipn ${shCmd([l.ns, ...l.args])}`
    else if (l.tool === 'sysctl') cmd = nsx(l.ns, ['sysctl', '-qw', ...run.flatMap((x) => x.args)])
    else if (l.tool === 'addns') cmd = `addns ${shq(l.ns)}`
    else cmd = nsx(l.ns, l.args)
    out.push(l.needs ? `if have ${l.needs}; then\n${cmd}\nfi` : cmd)
    i = j
  }
  return out
}

/** What the tables check compares, per namespace: the command and PodPath's lines. */
interface TableExpect {
  ns: string
  label: string
  cmd: string
  lines: { text: string; needs?: Feature }[]
}

function tableExpects(c: Cluster, topo: LabTopology): TableExpect[] {
  const out: TableExpect[] = []
  const kindOf = (ns: NetNs, dev: string | null): Feature | undefined => {
    const k = dev ? ns.links.find((l) => l.name === dev)?.kind : undefined
    return k === 'ipip' ? 'ipip' : k === 'vxlan' ? 'vxlan' : k === 'dummy' ? 'dummy' : undefined
  }
  for (const n of topo.namespaces) {
    const ns = n.source
    if (!ns) continue
    const tables = [
      'main' as const,
      ...[...new Set(ns.routes.map((r) => r.table))]
        .filter((t): t is number => typeof t === 'number')
        .sort((a, b) => a - b),
      'local' as const,
    ]
    for (const t of tables)
      out.push({
        ns: n.name,
        label: n.label,
        cmd: `ip route show table ${t}`,
        lines: sortRoutes(ns.routes.filter((r) => r.table === t)).map((r) => ({
          text: formatRoute(r),
          needs: kindOf(ns, r.dev),
        })),
      })
    out.push({
      ns: n.name,
      label: n.label,
      cmd: 'ip rule show',
      lines: [...ns.rules]
        .sort((a, b) => a.priority - b.priority)
        .map((r) => ({ text: formatRule(r) })),
    })
    if (ns.kind === 'host') {
      const mode = c.decl.kubeProxy.mode
      if (mode === 'iptables' || mode === 'ipvs')
        out.push({
          ns: n.name,
          label: n.label,
          cmd: 'iptables-save',
          lines: iptablesSave(nodeIptables(c, ns.node))
            .trimEnd()
            .split('\n')
            .map((text) => ({ text })),
        })
      // As `podpath tables` prints it before any traffic (no connection counted yet).
      if (mode === 'ipvs')
        out.push({
          ns: n.name,
          label: n.label,
          cmd: 'ipvsadm -Ln',
          // The checker compares lines without their trailing blanks (ipvsadm pads columns).
          lines: ipvsadmList(c, ns.node).map((text) => ({ text: text.trimEnd() })),
        })
      if (mode === 'nftables')
        out.push({
          ns: n.name,
          label: n.label,
          cmd: 'nft list table ip kube-proxy',
          lines: nftListTable(nodeNftablesTable(c, ns.node))
            .trimEnd()
            .split('\n')
            .map((text) => ({ text })),
        })
    }
  }
  return out
}

/** The JSON the embedded checker reads for one traffic. */
function checkJson(c: Cluster, topo: LabTopology, exp: LabExpectation): string {
  const nsOf = (id: string) => topo.byId.get(id) ?? ''
  const vxlanPorts = new Set<number>()
  for (const ns of c.netns.values())
    for (const l of ns.links) if (l.vxlan) vxlanPorts.add(l.vxlan.port)
  return JSON.stringify({
    traffic: exp.traffic,
    tool: c.decl.kubeProxy.mode === 'nftables' ? 'nft' : 'xtables',
    outcome: exp.outcome,
    status: exp.status,
    client: exp.client,
    hops: exp.hops,
    conntrack: exp.conntrack.map((x) => ({ ...x, ns: nsOf(x.nsId) })),
    ipvsMode: c.decl.kubeProxy.mode === 'ipvs',
    ipvs: exp.ipvs.map((x) => ({ ...x, ns: nsOf(x.nsId) })),
    rules: exp.rules,
    counters: exp.counters,
    packets: exp.packets.map((x) => ({ ...x, ns: nsOf(x.nsId) })),
    frames: exp.frames,
    nodes: c.nodes.map((n) => ({ node: n.name, ns: nsOf(n.nsId) })),
    vxlanPorts: [...vxlanPorts],
  })
}

/** The client's program input: the trace's queries and request, from its source ports. */
function clientJson(exp: LabExpectation): string {
  return JSON.stringify({
    dns: exp.client.dns.map((q) => ({
      server: q.server,
      port: q.port,
      sport: q.sport,
      id: q.id,
      qname: q.qname,
    })),
    request: exp.outcome === 'dns-only' ? null : exp.client.request,
    timeout: 2,
  })
}

function describe(exp: LabExpectation): string {
  const r = exp.client.request
  const to = r
    ? `${r.proto} ${r.dst}:${r.dport}${r.http ? ` (${r.http.method} ${r.http.host}${r.http.path})` : ''}`
    : 'a name'
  return `${exp.client.label} -> ${to}, from source port ${r?.sport ?? '-'}`
}

export interface LabPlan {
  topo: LabTopology
  exps: LabExpectation[]
  /** Per traffic: the features it needs, or why it can never run. */
  runnable: { exp: LabExpectation; needs: Feature[]; never: Text | null }[]
  servers: LabServer[]
  missing: Map<string, Text>
}

export function labPlan(c: Cluster, runs: LabRun[], prefix: string): LabPlan {
  const exps = runs.map((r) => labExpectation(c, r))
  // The Internet namespace holds the outside clients and the hosts egress requests reach.
  const external = [
    ...new Set(
      exps.flatMap((x) => [
        ...(x.client.external ? [x.client.external] : []),
        ...x.hops.filter((h) => h.component === 'internet').map((h) => h.local.ip),
      ]),
    ),
  ]
  const topo = labTopology(c, prefix, external)
  const { servers, missing } = labServers(c, exps)
  const runnable = exps.map((exp) => {
    let never = notRunnable(c, exp)
    if (!never)
      for (const h of exp.hops) {
        const why = missing.get(h.component)
        if (why) never = why
      }
    return { exp, needs: trafficNeeds(c, exp), never }
  })
  return { topo, exps, runnable, servers, missing }
}

/** The commands the lab runs to build the cluster, one a line (`podpath lab --dry-run`). */
export function labCommands(c: Cluster, runs: LabRun[], opts: LabOptions): string {
  const plan = labPlan(c, runs, opts.prefix)
  const lines: string[] = []
  for (const s of plan.topo.sections) {
    lines.push(`# ${s.title}`)
    for (const l of s.lines)
      lines.push(`${lineText(l)}${l.needs ? `   # only with ${l.needs}` : ''}`)
  }
  const mode = c.decl.kubeProxy.mode
  if (mode === 'iptables' || mode === 'nftables' || mode === 'ipvs') {
    lines.push("# kube-proxy's rules, as `podpath tables FILE --node NAME` prints them")
    for (const n of c.nodes) {
      const ns = plan.topo.byId.get(n.nsId)!
      if (mode === 'ipvs')
        lines.push(
          `ip netns exec ${ns} sysctl -qw ${IPVS_SYSCTLS.join(' ')}   # only with ipvs`,
          `ip netns exec ${ns} ipset restore < ${ns}.ipset   # only with ipvs`,
        )
      else if (mode === 'iptables' && labIpsetInput(c, n.name) !== null)
        lines.push(`ip netns exec ${ns} ipset restore < ${ns}.ipset   # the CNI agent's sets`)
      lines.push(
        mode === 'nftables'
          ? `ip netns exec ${ns} nft -f ${ns}.nft`
          : `ip netns exec ${ns} iptables-restore < ${ns}.iptables${mode === 'ipvs' ? '   # only with ipvs' : ''}`,
      )
      if (mode === 'ipvs')
        for (const v of ipvsadmRestore(c, n.name).split('\n').filter(Boolean))
          lines.push(`ip netns exec ${ns} ipvsadm ${v}   # only with ipvs`)
    }
  }
  return `${lines.join('\n')}\n`
}

const RUNTIME = String.raw`
LAB_DIR=
CREATED=
BG_PIDS=
DRY_RUN=0
VERBOSE=0
PAUSE=0
HAVE=
TOTAL_OK=0
TOTAL_BAD=0
for a in "$@"; do
  case "$a" in
    --dry-run) DRY_RUN=1 ;;
    -v|--verbose) VERBOSE=1 ;;
    --pause) PAUSE=1 ;;
    -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lab: unknown option $a (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*"; }
run() {
  if [ "$DRY_RUN" = 1 ] || [ "$VERBOSE" = 1 ]; then printf '+ %s\n' "$*"; fi
  [ "$DRY_RUN" = 1 ] && return 0
  "$@" || { local rc=$?; echo "lab: this failed: $*" >&2; return $rc; }
}
# Every command that changes something names one of this lab's namespaces, and goes through
# here: the lab never changes the namespace it was started in.
own() {
  case " $LAB_NS " in
    *" $1 "*) ;;
    *) echo "lab: refusing to touch namespace $1: it is not one of this lab's" >&2; exit 2 ;;
  esac
}
ipn() { own "$1"; local ns="$1"; shift; run ip -n "$ns" "$@"; }
# kube-proxy sets net.ipv4.vs.conn_reuse_mode=0 on kernels 4.1 to 5.8 and leaves it as it is
# from 5.9 on (the kernel fixed connection reuse there; kubernetes#93297).
old_conn_reuse() {
  local v maj min; v=$(uname -r); maj=@{v%%.*}; v=@{v#*.}; min=@{v%%[!0-9]*}
  [ "$maj" -lt 5 ] || { [ "$maj" = 5 ] && [ "@{min:-0}" -lt 9 ]; }
}
# ip -batch: the commands on standard input, one a line, in one namespace.
ipb() {
  own "$1"
  if [ "$DRY_RUN" = 1 ] || [ "$VERBOSE" = 1 ]; then
    local f; f=$(mktemp); cat > "$f"; sed "s|^|+ ip -n $1 |" "$f"
    [ "$DRY_RUN" = 1 ] || ip -n "$1" -batch "$f" || { rm -f "$f"; echo "lab: this failed: ip -n $1 -batch (above)" >&2; return 1; }
    rm -f "$f"; return 0
  fi
  ip -n "$1" -batch - || { echo "lab: this failed: ip -n $1 -batch" >&2; return 1; }
}
nsx() { own "$1"; local ns="$1"; shift; run ip netns exec "$ns" "$@"; }
addns() { own "$1"; run ip netns add "$1" && CREATED="$1 $CREATED"; }
have() { case " $HAVE " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# Why a traffic that needs these features cannot run here: the ones this kernel lacks.
lacking() {
  local f tunnels= why=
  for f in "$@"; do
    have "$f" && continue
    if [ "$f" = ipvs ]; then why="kube-proxy IPVS mode: ip_vs is not in this kernel (modprobe ip_vs fails, no /proc/net/ip_vs)"
    else tunnels="@{tunnels:+$tunnels and }$f"; fi
  done
  [ -n "$tunnels" ] && why="@{why:+$why; }it crosses $tunnels, which this kernel does not have"
  printf '%s' "$why"
}
bg() { local ns="$1"; shift; own "$ns"; ip netns exec "$ns" "$@" & BG_PIDS="$BG_PIDS $!"; }

teardown() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$DRY_RUN" != 1 ]; then
    for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
    for ns in $CREATED; do
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
    done
    wait 2>/dev/null
    for ns in $CREATED; do ip netns del "$ns" 2>/dev/null; done
  fi
  if [ -n "$LAB_DIR" ]; then
    if [ -n "$PODPATH_LAB_KEEP" ]; then echo "lab: kept $LAB_DIR" >&2; else rm -rf "$LAB_DIR"; fi
  fi
  exit $rc
}
trap teardown EXIT
trap 'echo "lab: interrupted, tearing down" >&2; exit 130' INT TERM

cannot() { echo "lab: cannot run here: $*" >&2; say "lab: 0 checks agree, 0 disagree"; exit 3; }
fail() { echo "lab: could not build the lab: $*" >&2; say "lab: 0 checks agree, 0 disagree"; exit 2; }

# Debian's own interpreter when it is there: a python3 on PATH may be a slow wrapper (pyenv).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo python3)

preflight() {
  [ "$DRY_RUN" = 1 ] && return 0
  [ "$(id -u)" = 0 ] || cannot "run it as root (sudo bash $0): it makes network namespaces"
  for p in $LAB_PROGRAMS; do
    command -v "$p" >/dev/null 2>&1 || cannot "$p is missing (apt-get install $LAB_PACKAGES)"
  done
  iptables-restore --version 2>/dev/null | grep -q nf_tables ||
    cannot "iptables is not the nf_tables variant (update-alternatives --set iptables /usr/sbin/iptables-nft)"
  local taken
  taken=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$LAB_PREFIX" | head -n 3 | tr '\n' ' ')
  [ -z "$taken" ] || cannot "namespaces with the prefix $LAB_PREFIX already exist ($taken); another lab is running or was killed (ip netns del NAME), or pick another --prefix"
  # What this kernel has, tried in a scratch namespace of the lab's own.
  local probe="$LAB_PREFIX""probe"
  LAB_NS="$LAB_NS $probe"
  addns "$probe" || cannot "ip netns add failed: no network namespaces here"
  ip -n "$probe" link add t0 type vxlan id 1 dstport 4789 2>/dev/null && HAVE="$HAVE vxlan"
  { ip -n "$probe" link show tunl0 >/dev/null 2>&1 || { ip -n "$probe" link add t1 type ipip 2>/dev/null && ip -n "$probe" link show tunl0 >/dev/null 2>&1; }; } && HAVE="$HAVE ipip"
  ip -n "$probe" link add t2 type dummy 2>/dev/null && HAVE="$HAVE dummy"
  # ip_vs: a lab in IPVS mode loads it as ipvsadm would (libipvs runs modprobe ip_vs); it is
  # there when /proc/net/ip_vs is, in the probe namespace too.
  [ "$LAB_IPVS" = 1 ] && modprobe -q ip_vs 2>/dev/null
  ip netns exec "$probe" sh -c '[ -e /proc/net/ip_vs ]' && HAVE="$HAVE ipvs"
  if [ "$LAB_IPVS" = 1 ] && have ipvs; then
    for p in ipvsadm ipvsadm-restore ipset; do
      command -v "$p" >/dev/null 2>&1 || { ip netns del "$probe"; CREATED=; cannot "$p is missing (apt-get install $LAB_PACKAGES)"; }
    done
    ip netns exec "$probe" ipset create podpath-probe hash:ip 2>/dev/null ||
      { ip netns del "$probe"; CREATED=; cannot "no ip_set (modprobe ip_set): kube-proxy's IPVS rules match ipsets"; }
  fi
  ip netns exec "$probe" sh -c '[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]' ||
    { ip netns del "$probe"; CREATED=; cannot "no br_netfilter (modprobe br_netfilter): kube-proxy's rules must see bridged traffic"; }
  ip netns exec "$probe" nfacct add podpath-probe 2>/dev/null ||
    { ip netns del "$probe"; CREATED=; cannot "no nfnetlink_acct (modprobe nfnetlink_acct): kube-proxy's rules use -m nfacct"; }
  ip netns del "$probe"
  CREATED=
  say "lab: this kernel has:$HAVE"
}

# Wait until a file exists (a server is ready, a client is done), at most $2 tenths of a second.
await() { local i=0; while [ ! -e "$1" ] && [ $i -lt "$2" ]; do sleep 0.05; i=$((i + 1)); done; [ -e "$1" ]; }

# One rule monitor per node, appending to its file; its pid is kept to restart it should it
# stop (a monitor that cannot keep up with the kernel's events is dropped by netlink).
start_monitor() {
  local ns="$1"
  if [ "$LAB_TOOL" = nft ]; then
    bg "$ns" stdbuf -oL nft monitor trace >> "$LAB_DIR/mon.$ns.txt" 2>/dev/null
  else
    bg "$ns" stdbuf -oL xtables-monitor --trace >> "$LAB_DIR/mon.$ns.txt" 2>/dev/null
  fi
  echo $! > "$LAB_DIR/mon.$ns.pid"
}

monitor_ready() {
  local ns="$1" k=0 size
  size=$(stat -c %s "$LAB_DIR/mon.$ns.txt")
  while [ "$(stat -c %s "$LAB_DIR/mon.$ns.txt")" = "$size" ] && [ $k -lt 100 ]; do
    nsx "$ns" bash -c 'echo lab > /dev/udp/127.0.0.1/9' 2>/dev/null
    sleep 0.05; k=$((k + 1))
  done
}

start_monitors() {
  for ns in $LAB_NODES; do
    nsx "$ns" nft -f "$LAB_DIR/trace.nft"
    : > "$LAB_DIR/mon.$ns.txt"
    start_monitor "$ns"
  done
  for port in $LAB_CAPTURE; do
    local dev="@{port%%:*}" dir="@{port##*:}"
    bg "$LAB_UNDERLAY" tcpdump -n -U -Q "$dir" -i "$dev" -w "$LAB_DIR/cap.$dev.$dir.pcap" 2>/dev/null
  done
  if [ -n "$LAB_INTERNET" ]; then
    bg "$LAB_INTERNET" tcpdump -n -U -Q out -i eth0 -w "$LAB_DIR/cap.internet.pcap" 2>/dev/null
  fi
  # Ready when each monitor has reported a packet of its own namespace and each capture file
  # has its header.
  for ns in $LAB_NODES; do monitor_ready "$ns"; done
  for f in "$LAB_DIR"/cap.*.pcap; do
    local k=0
    while [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" -lt 24 ] && [ $k -lt 100 ]; do sleep 0.05; k=$((k + 1)); done
  done
  sleep 0.2
}

# Before a try, the connections of the one before end: the client reset its own, and a proxy
# closes its upstream one then, or keeps it idle for reuse (HAProxy does). A packet of one still
# open after conntrack -F is INVALID to the kernel, and each would move the counters this try
# zeroes. So: wait until no node's conntrack holds a TCP connection still open; after a second,
# close what is left in the lab's namespaces (ss -K, an RST to each peer) and wait again, at
# most three seconds in all. A SYN nobody answered leaves SYN_SENT, quiet once its socket is gone.
tcp_open() {
  local ns
  for ns in $LAB_NODES; do
    if nsx "$ns" conntrack -L -p tcp 2>/dev/null |
      grep -qE ' (SYN_RECV|ESTABLISHED|FIN_WAIT|CLOSE_WAIT|LAST_ACK) '; then return 0; fi
  done
  return 1
}
drain() {
  local k=0 ns
  while tcp_open && [ $k -lt 60 ]; do
    if [ $k = 20 ]; then
      for ns in $LAB_NS; do nsx "$ns" ss -t -K state connected >/dev/null 2>&1; done
    fi
    sleep 0.05; k=$((k + 1))
  done
}

# Before each try: no connection open or tracked, no session-affinity memory, counters at
# zero, and where the rule traces of this try begin. A rule monitor that stopped is started
# again first: its readiness probe is a packet of the node's own.
reset_kernel() {
  drain
  for ns in $LAB_NODES; do
    if ! kill -0 "$(cat "$LAB_DIR/mon.$ns.pid")" 2>/dev/null; then
      say "   (the rule monitor of $ns stopped; starting it again)"
      start_monitor "$ns"; monitor_ready "$ns"
    fi
  done
  nsx "$LAB_UNDERLAY" conntrack -F >/dev/null 2>&1
  for ns in $LAB_NODES; do
    nsx "$ns" sh -c 'conntrack -F >/dev/null 2>&1
      for f in /proc/net/xt_recent/*; do [ -e "$f" ] && echo / > "$f"; done
      [ "$1" = xtables ] && { iptables -Z; iptables -t nat -Z; }
      [ "$2" = 1 ] && ipvsadm -Z
      exit 0' reset "$LAB_TOOL" "$LAB_IPVS"
    stat -c %s "$LAB_DIR/mon.$ns.txt" > "$LAB_DIR/mon.$ns.off"
  done
}

# The monitors and captures write a moment after the kernel reports: wait until no file of
# theirs has grown for a third of a second (at most three seconds).
settle() {
  local last= now= k=0
  while [ $k -lt 30 ]; do
    now=$(cat "$LAB_DIR"/mon.*.txt "$LAB_DIR"/cap.*.pcap 2>/dev/null | wc -c)
    [ "$now" = "$last" ] && [ $k -ge 3 ] && return 0
    last=$now; sleep 0.1; k=$((k + 1))
  done
}

collect() {
  local t="$1"
  settle
  "$PY" -c 'import time; print(repr(time.time()))' > "$t/dumped"
  for ns in $LAB_NODES; do
    nsx "$ns" sh -c 'conntrack -L > "$1" 2>/dev/null
      [ "$3" = xtables ] && iptables-save -c > "$2"
      [ "$4" = 1 ] && { ipvsadm -Lnc > "$5"; ipvsadm -Ln --stats > "$6"; }
      exit 0' collect "$t/ct.$ns.txt" "$t/counters.$ns.txt" "$LAB_TOOL" "$LAB_IPVS" "$t/ipvsc.$ns.txt" "$t/ipvss.$ns.txt"
  done
}

# One traffic: send it until the kernel's random choices are the trace's (the rules pick an
# endpoint at random, as PodPath's seeded choice does), then compare what the kernel did.
# IPVS mode: each traffic starts with the virtual services made again, as kube-proxy wrote them:
# each trace starts from a fresh node, and new services start their schedulers afresh (rr at
# the head of its list). Not a clean slate: the kernel keeps a removed real server a while
# (ip_vs_ctl.c dest_trash) and reuses it when it is added back, with the connections and
# persistence templates that still point at it; those of an earlier traffic come from other
# source ports, and time out.
ipvs_reload() {
  local ns
  for ns in $LAB_NODES; do
    nsx "$ns" sh -c 'ipvsadm -C && ipvsadm-restore < "$1"' reload "$LAB_DIR/$ns.ipvsadm"
  done
}

run_traffic() {
  local i="$1" client_ns="$2" tries="$3" t="$LAB_DIR/t$1" n=0
  mkdir -p "$t"
  [ "$LAB_IPVS" = 1 ] && ipvs_reload
  while :; do
    n=$((n + 1))
    rm -f "$t/client.json" "$t/release"
    reset_kernel
    "$PY" -c 'import time; print(repr(time.time()))' > "$t/since"
    bg "$client_ns" "$PY" "$LAB_DIR/lab.py" client "$LAB_DIR/client.$i.json" "$t/client.json" "$t/release"
    local cpid=$!
    await "$t/client.json" 200 || { touch "$t/release"; say "   the client did not finish"; break; }
    sleep 0.1
    "$PY" "$LAB_DIR/lab.py" picked "$LAB_DIR/check.$i.json" "$t" "$LAB_DIR/serve"
    [ $? = 1 ] && [ $n -lt "$tries" ] || break
    touch "$t/release"; wait "$cpid" 2>/dev/null
  done
  say "   try $n: answered by $(cat "$t/picked" 2>/dev/null)"
  collect "$t"
  touch "$t/release"; wait "$cpid" 2>/dev/null
  "$PY" "$LAB_DIR/lab.py" check "$LAB_DIR/check.$i.json" "$t" "$LAB_DIR/serve"
  local ok bad
  read -r ok bad < "$t/counts"
  TOTAL_OK=$((TOTAL_OK + ok)); TOTAL_BAD=$((TOTAL_BAD + bad))
  if [ -n "$PODPATH_LAB_RESULTS" ]; then cp "$t/result.json" "$PODPATH_LAB_RESULTS/traffic-$i.json"; fi
}
`.replace(/@\{/g, '$' + '{')

function serverLines(s: LabServer, topo: LabTopology, i: number): string[] {
  const ns =
    s.nsId === 'internet'
      ? topo.internet!
      : s.nsId === 'underlay'
        ? topo.underlay
        : topo.byId.get(s.nsId)!
  const ready = `$LAB_DIR/ready.${i}`
  const log = `$LAB_DIR/serve/${i}.log`
  const env = `PODPATH_READY=${ready}`
  switch (s.kind) {
    case 'tcp':
      return [
        `bg ${shq(ns)} env ${env} "$PY" "$LAB_DIR/lab.py" serve ${shq(s.who)} "${log}" ${s.ports.map((p) => `tcp:${p}`).join(' ')}`,
      ]
    case 'tls': {
      // A self-signed certificate for the host, made now (the client does not verify it).
      const cert = `$LAB_DIR/tls.${i}.crt`
      const key = `$LAB_DIR/tls.${i}.key`
      return [
        `openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj ${shq(`/CN=${s.host ?? 'localhost'}`)} -keyout "${key}" -out "${cert}" 2>/dev/null || fail "openssl could not make the certificate of ${s.host ?? ''}"`,
        `bg ${shq(ns)} env ${env} PODPATH_TLS_CERT="${cert}" PODPATH_TLS_KEY="${key}" "$PY" "$LAB_DIR/lab.py" serve ${shq(s.who)} "${log}" ${s.ports.map((p) => `tls:${p}`).join(' ')}`,
      ]
    }
    case 'dns':
      return [
        ...(s.bind ? [`ipn ${shCmd([ns, 'addr', 'add', `${s.bind}/32`, 'dev', 'lo'])}`] : []),
        `bg ${shq(ns)} env ${env} "$PY" "$LAB_DIR/lab.py" dns ${shq(s.who)} "${log}" "$LAB_DIR/records.${i}.json"${s.bind ? ` ${s.bind}` : ''}`,
      ]
    case 'vpc-arp':
      return topo.bridges.map(
        (b) =>
          `bg ${shq(ns)} env ${env} "$PY" "$LAB_DIR/lab.py" vpc-arp ${b} ${Object.entries(
            s.owners ?? {},
          )
            .map(([ip, mac]) => `${ip}=${mac}`)
            .join(' ')}`,
      )
    case 'nginx':
      return [
        `nsx ${shq(ns)} nginx -t -q -c "$LAB_DIR/nginx.${i}/nginx.conf" || fail "nginx -t rejects the nginx.conf PodPath shows"`,
        `bg ${shq(ns)} nginx -c "$LAB_DIR/nginx.${i}/nginx.conf"`,
        `touch ${ready}`,
      ]
    case 'haproxy':
      return [
        `nsx ${shq(ns)} haproxy -c -q -f "$LAB_DIR/haproxy.${i}/haproxy.cfg" || fail "haproxy -c rejects the haproxy.cfg PodPath shows"`,
        `bg ${shq(ns)} sh -c ${shq(`exec haproxy -db -f "$1" >> "$2" 2>/dev/null`)} haproxy "$LAB_DIR/haproxy.${i}/haproxy.cfg" "${log}"`,
        `touch ${ready}`,
      ]
  }
}

/** The whole script: each run is one traffic's trace and the kernel state it leaves. */
export function labScript(c: Cluster, runs: LabRun[], opts: LabOptions): string {
  const plan = labPlan(c, runs, opts.prefix)
  const { topo } = plan
  const nodes = c.nodes.map((n) => topo.byId.get(n.nsId)!)
  const pkgs = labPackages(c, plan)
  const programs = [
    'ip',
    'bridge',
    'iptables-restore',
    'iptables-save',
    'xtables-monitor',
    'nft',
    'conntrack',
    'nfacct',
    'tcpdump',
    'python3',
    'stdbuf',
  ]
  if (plan.servers.some((s) => s.kind === 'nginx')) programs.push('nginx')
  if (plan.servers.some((s) => s.kind === 'haproxy')) programs.push('haproxy')
  const capture = [...c.nodes.map((_, i) => `n${i + 1}:in`), ...topo.bridges.map((b) => `${b}:out`)]
  const out: string[] = []
  const name = c.decl.name
  out.push(
    '#!/usr/bin/env bash',
    `# PodPath lab: ${name} (${opts.source}), made by \`podpath lab\`.`,
    '#',
    '# Builds this cluster in network namespaces on this machine, as PodPath draws it: a namespace',
    '# per node and per Pod sandbox, the node network between them, the veth pairs, bridges and',
    "# tunnels with PodPath's names and MACs, the CNI's routes, neighbours and forwarding entries,",
    "# and kube-proxy's rules as PodPath prints them. Then it starts a small server in every Pod",
    '# that answers with the address it saw, sends each traffic from the source ports of the',
    "# trace, and prints the kernel's view beside PodPath's: who answered, the source address the",
    '# server saw, the conntrack entries, the rules each packet matched on each node, and what',
    '# crossed the node network. Everything is removed on exit, on error and on Ctrl-C.',
    '#',
    `# Needs root and: apt-get install ${pkgs.join(' ')}`,
    `# Usage: sudo bash ${opts.source.replace(/.*\//, '').replace(/\.ya?ml$/, '')}-lab.sh [--dry-run] [--verbose] [--pause]`,
    '#   --dry-run  print the commands only   --verbose  print every command   --pause  wait for',
    '#   Enter before tearing down (look around: sudo ip netns exec NAME bash)',
    `# Last line: "lab: N checks agree, M disagree". Exit 0 all agree, 1 some disagree, 2 the lab`,
    '# could not be built, 3 it cannot run on this machine (the reason is printed).',
    '#',
    '# Safety: every namespace starts with the prefix below; the script refuses to start if one',
    '# exists, creates links only inside its own namespaces, never adds an address, route or rule',
    '# to the namespace it runs in, and no namespace it makes is connected to it.',
    '',
    `LAB_PREFIX=${shq(opts.prefix)}`,
    `LAB_NS=${shq(topo.namespaces.map((n) => n.name).join(' '))}`,
    `LAB_NODES=${shq(nodes.join(' '))}`,
    `LAB_UNDERLAY=${shq(topo.underlay)}`,
    `LAB_INTERNET=${shq(topo.internet ?? '')}`,
    `LAB_CAPTURE=${shq(capture.join(' '))}`,
    `LAB_TOOL=${c.decl.kubeProxy.mode === 'nftables' ? 'nft' : 'xtables'}`,
    `LAB_IPVS=${c.decl.kubeProxy.mode === 'ipvs' ? 1 : 0}`,
    `LAB_PROGRAMS=${shq(programs.join(' '))}`,
    `LAB_PACKAGES=${shq(pkgs.join(' '))}`,
    'PODPATH_LAB_RESULTS="${PODPATH_LAB_RESULTS:-}"',
    'PODPATH_LAB_KEEP="${PODPATH_LAB_KEEP:-}"',
  )
  out.push(RUNTIME)
  out.push('preflight', 'LAB_DIR=$(mktemp -d /tmp/podpath-lab.XXXXXX)', 'mkdir -p "$LAB_DIR/serve"')
  out.push(heredoc('"$LAB_DIR/lab.py"', LAB_PY))
  // The lab's own instrument: a table that marks every packet for netfilter's tracing, so that
  // the kernel reports each rule a packet matches (nft monitor trace / xtables-monitor --trace).
  // Not the tunnels' own UDP packets, which the trace does not follow through netfilter: fewer
  // events for the monitors to keep up with.
  const tunnelPorts = [
    ...new Set(
      [...c.netns.values()].flatMap((ns) =>
        ns.links.flatMap((l) => (l.vxlan ? [l.vxlan.port] : [])),
      ),
    ),
  ].sort((a, b) => a - b)
  const ipip = [...c.netns.values()].some((ns) => ns.links.some((l) => l.kind === 'ipip'))
  const tunnelSkip = [
    ...(tunnelPorts.length ? [`\t\tudp dport { ${tunnelPorts.join(', ')} } return`] : []),
    ...(ipip ? ['\t\tip protocol 4 return'] : []),
  ]
  out.push(
    heredoc(
      '"$LAB_DIR/trace.nft"',
      [
        'table ip podpath-lab {',
        '\tchain pre {',
        '\t\ttype filter hook prerouting priority -350; policy accept;',
        ...tunnelSkip,
        '\t\tmeta nftrace set 1',
        '\t}',
        '\tchain out {',
        '\t\ttype filter hook output priority -350; policy accept;',
        ...tunnelSkip,
        '\t\tmeta nftrace set 1',
        '\t}',
        '}',
      ].join('\n'),
    ),
  )
  for (const n of c.nodes) {
    const ns = topo.byId.get(n.nsId)!
    if (c.decl.kubeProxy.mode === 'iptables' || c.decl.kubeProxy.mode === 'ipvs')
      out.push(heredoc(`"$LAB_DIR/${ns}.iptables"`, iptablesSave(nodeIptables(c, n.name))))
    const sets = labIpsetInput(c, n.name)
    if (sets !== null) out.push(heredoc(`"$LAB_DIR/${ns}.ipset"`, sets))
    if (c.decl.kubeProxy.mode === 'ipvs')
      out.push(heredoc(`"$LAB_DIR/${ns}.ipvsadm"`, ipvsadmRestore(c, n.name)))
    if (c.decl.kubeProxy.mode === 'nftables')
      out.push(heredoc(`"$LAB_DIR/${ns}.nft"`, nftListTable(nodeNftablesTable(c, n.name))))
  }
  plan.servers.forEach((s, i) => {
    if (s.kind === 'dns')
      out.push(heredoc(`"$LAB_DIR/records.${i}.json"`, JSON.stringify(s.records)))
    if (s.kind === 'nginx' || s.kind === 'haproxy') {
      // The configuration names its own directory; heredocs are not expanded, so fill it in.
      const dir = `$LAB_DIR/${s.kind}.${i}`
      const conf = labProxyConfig(c, s, '@LAB_DIR@/' + `${s.kind}.${i}`, `@LAB_DIR@/serve/${i}.log`)
      out.push(`mkdir -p "${dir}/maps"`)
      for (const f of conf.files) {
        out.push(heredoc(`"${dir}/${f.name}"`, f.body))
        out.push(`sed -i "s|@LAB_DIR@|$LAB_DIR|g" "${dir}/${f.name}"`)
      }
      for (const h of conf.tlsHosts) {
        const file = h === '_' ? 'default' : h.replace(/[^A-Za-z0-9.-]/g, '_')
        const cn = h === '_' ? 'Kubernetes Ingress Controller Fake Certificate' : h
        out.push(
          `[ "$DRY_RUN" = 1 ] || openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj ${shq(`/CN=${cn}`)} ${h === '_' ? '' : `-addext ${shq(`subjectAltName=DNS:${h}`)} `}-keyout "${dir}/${file}.key" -out "${dir}/${file}.crt" 2>/dev/null || cannot "openssl could not make a certificate (apt-get install openssl)"`,
          `cat "${dir}/${file}.crt" "${dir}/${file}.key" > "${dir}/${file}.pem" 2>/dev/null`,
        )
      }
    }
  })
  out.push(heredoc('"$LAB_DIR/tables.json"', JSON.stringify(tableExpects(c, topo))))
  plan.runnable.forEach((r, i) => {
    out.push(heredoc(`"$LAB_DIR/check.${i}.json"`, checkJson(c, topo, r.exp)))
    out.push(heredoc(`"$LAB_DIR/client.${i}.json"`, clientJson(r.exp)))
  })

  // Which traffic can run on this kernel.
  out.push('', '# ---- which traffic this machine can run', 'RUN=')
  plan.runnable.forEach((r, i) => {
    const label = `${r.exp.traffic}`
    if (r.never) out.push(`say ${shq(`lab: not running ${label}: ${r.never.en}`)}`)
    else if (r.needs.length > 0)
      out.push(
        `if ${r.needs.map((f) => `have ${f}`).join(' && ')}; then RUN="$RUN ${i}"; else say ${shq(`lab: not running ${label}: `)}"$(lacking ${r.needs.join(' ')})"; fi`,
      )
    else out.push(`RUN="$RUN ${i}"`)
  })
  out.push(
    '[ -n "$RUN" ] || [ "$DRY_RUN" = 1 ] || cannot "no traffic of this lab can run on this machine"',
  )

  out.push(
    '',
    '# ---- build',
    'set -E',
    `trap 'fail "see the command above"' ERR`,
    'say "lab: building ' + `${topo.namespaces.length} namespaces` + '"',
  )
  for (const n of topo.notes) out.push(`[ "$VERBOSE" = 1 ] && say ${shq(`   note: ${n}`)}`)
  for (const s of topo.sections) {
    out.push(`# ${s.title}`)
    out.push(...renderLines(s.lines))
  }
  // kube-proxy's rules, as PodPath prints them. nfacct objects first: kube-proxy creates the
  // counters its rules name (pkg/util/nfacct) before it writes them.
  for (const n of c.nodes) {
    const ns = topo.byId.get(n.nsId)!
    // IPVS mode, as the proxier starts: its sysctls, the ipsets its iptables rules match, then
    // (below) the rules, then the virtual services (syncProxyRules writes iptables after IPVS;
    // the order does not matter to a packet, none flows yet).
    if (c.decl.kubeProxy.mode === 'ipvs')
      out.push(
        nsx(ns, ['sysctl', '-qw', ...IPVS_SYSCTLS]),
        `if old_conn_reuse; then ${nsx(ns, ['sysctl', '-qw', 'net.ipv4.vs.conn_reuse_mode=0'])}; fi`,
      )
    // The sets the rules match (kube-proxy's in IPVS mode, the CNI agent's: felix's pools).
    if (labIpsetInput(c, n.name) !== null && c.decl.kubeProxy.mode !== 'nftables')
      out.push(`nsx ${shq(ns)} ipset restore -file "$LAB_DIR/${ns}.ipset"`)
    if (c.decl.kubeProxy.mode === 'iptables' || c.decl.kubeProxy.mode === 'ipvs') {
      const acct = [
        ...new Set(
          [...iptablesSave(nodeIptables(c, n.name)).matchAll(/--nfacct-name\s+(\S+)/g)].map(
            (m) => m[1]!,
          ),
        ),
      ]
      for (const a of acct) out.push(nsx(ns, ['nfacct', 'add', a]))
      out.push(`nsx ${shq(ns)} iptables-restore "$LAB_DIR/${ns}.iptables"`)
    }
    if (c.decl.kubeProxy.mode === 'ipvs')
      out.push(`nsx ${shq(ns)} sh -c 'ipvsadm-restore < "$1"' ipvs "$LAB_DIR/${ns}.ipvsadm"`)
    // nft before 1.0.8 names priority dstnat only on prerouting and srcnat only on postrouting
    // (src/rule.c std_prio_family_hook_compat); kube-proxy writes dstnat on output and input too.
    // There the lab loads the same priority as a number.
    if (c.decl.kubeProxy.mode === 'nftables')
      out.push(
        `nsx ${shq(ns)} nft -c -f "$LAB_DIR/${ns}.nft" 2>/dev/null || "$PY" "$LAB_DIR/lab.py" nft-numeric "$LAB_DIR/${ns}.nft"`,
        `nsx ${shq(ns)} nft -f "$LAB_DIR/${ns}.nft"`,
      )
  }
  out.push('trap - ERR', '[ "$DRY_RUN" = 1 ] && { say "lab: dry run, nothing built"; exit 0; }')

  // Does the kernel hold what PodPath shows?
  out.push('', '# ---- the tables, as the tools print them', 'mkdir -p "$LAB_DIR/tables"')
  const expects = tableExpects(c, topo)
  for (const ns of [...new Set(expects.map((t) => t.ns))]) {
    const cmds = expects
      .map((t, i) => ({ t, i }))
      .filter((x) => x.t.ns === ns)
      .map((x) => `${x.t.cmd} > "$1/${x.i}.txt" 2>&1`)
    out.push(`nsx ${shq(ns)} sh -c ${shq(cmds.join('; '))} tables "$LAB_DIR/tables"`)
  }
  out.push(
    'say "== the tables: the kernel\'s own listing beside PodPath\'s"',
    `"$PY" "$LAB_DIR/lab.py" tables "$LAB_DIR/tables.json" "$LAB_DIR/tables" "$HAVE"`,
    'read -r ok bad < "$LAB_DIR/tables/counts"; TOTAL_OK=$((TOTAL_OK + ok)); TOTAL_BAD=$((TOTAL_BAD + bad))',
    '[ -n "$PODPATH_LAB_RESULTS" ] && cp "$LAB_DIR/tables/result.json" "$PODPATH_LAB_RESULTS/tables.json"',
  )

  out.push('', '# ---- servers')
  plan.servers.forEach((s, i) => out.push(...serverLines(s, topo, i)))
  plan.servers.forEach((_, i) =>
    out.push(`await "$LAB_DIR/ready.${i}" 100 || fail "server ${i} did not start"`),
  )
  out.push('start_monitors')

  out.push('', '# ---- traffic')
  plan.runnable.forEach((r, i) => {
    const clientNs = r.exp.client.external ? topo.internet! : topo.byId.get(r.exp.client.nsId ?? '')
    out.push(`case " $RUN " in *" ${i} "*)`)
    out.push(`  say ${shq(`== ${r.exp.traffic} (seed ${r.exp.seed}): ${describe(r.exp)}`)}`)
    const lb = r.exp.lb
    if (lb) {
      // The cloud load balancer, as PodPath models it: a pass-through layer 4 balancer that
      // rewrites the destination to the node it picked and the Service's nodePort, and the
      // reply's source back (conntrack does the reverse). It sends to the node the trace's
      // balancer picked; the lab does not run its health checks.
      out.push(
        `  ${heredocInto(
          `nsx ${shq(topo.underlay)} nft -f -`,
          [
            'table ip podpath-cloud-lb',
            'delete table ip podpath-cloud-lb',
            'table ip podpath-cloud-lb {',
            '\tchain pre {',
            '\t\ttype nat hook prerouting priority dstnat; policy accept;',
            `\t\tip daddr ${lb.vip} ${lb.proto} dport ${lb.port} dnat to ${lb.nodeIp}:${lb.nodePort}`,
            '\t}',
            '}',
          ].join('\n'),
          'NFT',
        )}`,
      )
    }
    out.push(`  run_traffic ${i} ${shq(clientNs ?? '')} 60 ;;`, 'esac')
  })
  out.push(
    '',
    'if [ "$PAUSE" = 1 ]; then say "lab: paused; namespaces: $LAB_NS"; say "press Enter to tear down"; read -r _; fi',
    'say "lab: $TOTAL_OK checks agree, $TOTAL_BAD disagree"',
    '[ "$TOTAL_BAD" = 0 ]',
    '',
  )
  return out.join('\n')
}
