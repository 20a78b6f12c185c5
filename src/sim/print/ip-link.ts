/**
 * Links and addresses as `ip -d addr` prints them (iproute2 ip/ipaddress.c). The first two lines
 * of each link are printed in full; the `-d` detail line keeps the attributes that matter for
 * networking and leaves out the generic tail (numtxqueues, gso_max_size, ...).
 */
import { formatIp, maskOf } from '../../model/ipv4.ts'
import type { Link, NetNs } from '../net/netns.ts'
import { sha1Hex } from '../hash.ts'

function flags(l: Link): string {
  if (l.kind === 'loopback') return '<LOOPBACK,UP,LOWER_UP>'
  // kube-proxy never sets kube-ipvs0 up: its addresses only need their local routes.
  if (l.kind === 'dummy') return '<BROADCAST,NOARP>'
  if (l.kind === 'ipip') return '<NOARP,UP,LOWER_UP>'
  return '<BROADCAST,MULTICAST,UP,LOWER_UP>'
}

function qdisc(l: Link): string {
  if (l.kind === 'dummy') return 'noop'
  // Physical NICs get the default qdisc (fq_codel on systemd hosts); virtual devices are noqueue.
  return l.kind === 'ether' ? 'fq_codel' : 'noqueue'
}

function state(l: Link): string {
  if (l.kind === 'dummy') return 'DOWN'
  // Devices without a carrier of their own (lo, vxlan, ipip) report UNKNOWN.
  return l.kind === 'loopback' || l.kind === 'vxlan' || l.kind === 'ipip' ? 'UNKNOWN' : 'UP'
}

/** The `-d` line that says what kind of device this is. */
export function linkDetail(l: Link): string | null {
  switch (l.kind) {
    case 'vxlan': {
      const v = l.vxlan!
      // A flow-based device has no fixed VNI, local address or lower device (iproute2 prints
      // "external" for IFLA_VXLAN_COLLECT_METADATA, and the id the kernel reports, 0).
      if (v.external)
        return `vxlan external id 0 srcport 0 0 dstport ${v.port} ${v.learning ? '' : 'no'}learning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx`
      return `vxlan id ${v.vni} local ${formatIp(v.local)} dev ${v.dev} srcport 0 0 dstport ${v.port} ${v.learning ? '' : 'no'}learning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx`
    }
    case 'ipip':
      // The kernel's fallback tunnel: "ip -d link show tunl0".
      return 'ipip any remote any local any ttl inherit nopmtudisc'
    case 'bridge':
      return 'bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q'
    case 'veth':
      return 'veth'
    case 'dummy':
      return 'dummy'
    default:
      return null
  }
}

function portDetail(l: Link): string | null {
  if (!l.master) return null
  return `bridge_slave state forwarding priority 32 cost 2 hairpin ${l.hairpin ? 'on' : 'off'} guard off root_block off fastleave off learning on flood on`
}

export function formatLink(l: Link, peerNetnsName: string | null): string[] {
  const name = l.peer
    ? `${l.name}@if${l.peer.ifindex}`
    : l.kind === 'ipip'
      ? `${l.name}@NONE`
      : l.name
  const master = l.master ? ` master ${l.master}` : ''
  const qlen =
    l.kind === 'ether' || l.kind === 'loopback' || l.kind === 'bridge' || l.kind === 'ipip'
      ? ' qlen 1000'
      : ''
  const lines = [
    `${l.ifindex}: ${name}: ${flags(l)} mtu ${l.mtu} qdisc ${qdisc(l)}${master} state ${state(l)} group default${qlen}`,
  ]
  if (l.kind === 'loopback')
    lines.push('    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0')
  else if (l.kind === 'ipip') lines.push('    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0')
  else {
    // The host namespace has no name under /var/run/netns, so its peers print its id instead.
    const netns = l.peer ? (peerNetnsName ? ` link-netns ${peerNetnsName}` : ' link-netnsid 0') : ''
    lines.push(
      `    link/ether ${l.mac} brd ff:ff:ff:ff:ff:ff${netns} promiscuity ${l.master ? 1 : 0}`,
    )
  }
  const detail = linkDetail(l)
  if (detail) lines.push(`    ${detail}`)
  const port = portDetail(l)
  if (port) lines.push(`    ${port}`)
  for (const a of l.addrs) {
    const brd =
      a.prefix < 31 && l.kind !== 'loopback'
        ? ` brd ${formatIp((a.ip | ~maskOf(a.prefix)) >>> 0)}`
        : ''
    lines.push(`    inet ${formatIp(a.ip)}/${a.prefix}${brd} scope ${a.scope} ${l.name}`)
    lines.push('       valid_lft forever preferred_lft forever')
  }
  return lines
}

/**
 * The name containerd gives a Pod's network namespace under /var/run/netns: "cni-" + a random
 * UUID (made deterministic from the Pod's name here).
 */
export function netnsName(ns: NetNs): string | null {
  if (ns.kind !== 'pod') return null
  const h = sha1Hex(`netns:${ns.id}`)
  return `cni-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}
