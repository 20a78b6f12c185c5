/**
 * The command a learner types on a node to print the table a lookup came from. The trace names
 * each table as `Lookup.table` (`ip route`, `iptables -t nat KUBE-SERVICES`, `nft ip kube-proxy
 * services`, `Corefile`); most names already are the command, netfilter's name the chain.
 */

/** Tools whose name in the trace is itself the command that prints the table. */
const COMMANDS = [
  'ip ',
  'bridge ',
  'tcpdump ',
  'conntrack ',
  'ipvsadm ',
  'cat ',
  'kubectl ',
  'bpftool ',
]

/**
 * Tools that live in the node's Cilium agent Pod, not on the node itself: cilium-dbg talks to
 * the local agent over its socket and ships in the agent's image (docs.cilium.io cmdref
 * cilium-dbg, "CLI for interacting with the local Cilium Agent"), as does the hubble client the
 * docs run there (`kubectl -n kube-system exec ds/cilium -- hubble observe`).
 */
const AGENT_COMMANDS = ['cilium-dbg ', 'hubble ']

/** Where a learner runs the command: a shell on the node, or inside the node's Cilium agent Pod. */
export function commandPlace(table: string): 'node' | 'cilium-agent' {
  return AGENT_COMMANDS.some((c) => table.startsWith(c)) ? 'cilium-agent' : 'node'
}

/**
 * The command, or null when the table is not printed by a command on the node (a Corefile, an
 * Ingress, nginx's upstreams, a log, a cloud load balancer's target group, a BPF map whose
 * rows PodPath prints in a form of its own).
 */
export function printCommand(table: string): string | null {
  // iptables(8): -S/--list-rules prints one chain's rules as `-A CHAIN ...`, the form the trace shows.
  const ipt = /^iptables -t (\S+) (\S+)$/.exec(table)
  if (ipt) return `iptables -t ${ipt[1]} -S ${ipt[2]}`
  // nft(8): `nft list map|chain <family> <table> <name>`.
  const nft = /^nft (\S+) (\S+) (map )?(\S+)$/.exec(table)
  if (nft) return `nft list ${nft[3] ? 'map' : 'chain'} ${nft[1]} ${nft[2]} ${nft[4]}`
  // `kubectl get httproute -o yaml: status.parents`: the command, then the part of its output.
  if (table.startsWith('kubectl ')) return table.split(': ')[0]!
  // `dig (answer section)`: the same dig output as its question, further down.
  if (table.startsWith('dig')) return 'dig'
  if ([...COMMANDS, ...AGENT_COMMANDS].some((c) => table.startsWith(c))) return table
  return null
}
