import { describe, expect, it } from 'vitest'
import { commandPlace, printCommand } from './table-command.ts'

describe('the command that prints a table on a node', () => {
  it('is the table name itself for ip, bridge, tcpdump, conntrack, ipvsadm and dig', () => {
    for (const t of ['ip route', 'ip neigh', 'ip rule', 'bridge fdb show', 'ipvsadm -Ln', 'dig'])
      expect(printCommand(t)).toBe(t)
    expect(printCommand('tcpdump -n -e -i cni0 arp')).toBe('tcpdump -n -e -i cni0 arp')
    expect(printCommand('conntrack -L')).toBe('conntrack -L')
    expect(printCommand('dig (answer section)')).toBe('dig')
  })

  it('lists one iptables chain with -S, in the -A form the rules are shown in', () => {
    expect(printCommand('iptables -t nat KUBE-SERVICES')).toBe('iptables -t nat -S KUBE-SERVICES')
    expect(printCommand('iptables -t filter FORWARD')).toBe('iptables -t filter -S FORWARD')
  })

  it('lists an nftables chain or map with nft list', () => {
    expect(printCommand('nft ip kube-proxy services')).toBe('nft list chain ip kube-proxy services')
    expect(printCommand('nft ip kube-proxy map service-ips')).toBe(
      'nft list map ip kube-proxy service-ips',
    )
  })

  it('keeps the kubectl command without the part of its output', () => {
    expect(printCommand('kubectl get httproute -o yaml: status.parents')).toBe(
      'kubectl get httproute -o yaml',
    )
  })

  it('is the table name for bpftool on the node, and for cilium-dbg and hubble in the agent Pod', () => {
    expect(printCommand('bpftool net show dev eth0')).toBe('bpftool net show dev eth0')
    expect(commandPlace('bpftool net show dev eth0')).toBe('node')
    for (const t of ['cilium-dbg service list', 'cilium-dbg bpf lb list', 'hubble observe']) {
      expect(printCommand(t)).toBe(t)
      expect(commandPlace(t)).toBe('cilium-agent')
    }
    expect(commandPlace('ip route')).toBe('node')
    // PodPath's own rendering of a BPF map's rows: no command prints exactly that.
    expect(printCommand('Cilium conntrack (cilium_ct4_global)')).toBeNull()
  })

  it('has none for configuration, logs and cloud load balancers', () => {
    for (const t of ['Corefile', 'Ingress default/shop', 'kube-proxy log (--v=3)', 'target group'])
      expect(printCommand(t)).toBeNull()
    expect(printCommand('public DNS (dig A)')).toBeNull()
  })
})
