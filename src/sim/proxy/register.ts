/**
 * kube-proxy registers at the node's netfilter hooks, as the rules it writes are loaded there
 * (iptables' nat and filter tables, or nftables' base chains, whose hook and priority are those
 * of the tables they stand for), and in IPVS mode the kernel's IPVS hook at INPUT too. Which
 * mode runs is decided here, once, when the cluster's data planes register.
 */
import type { KubeProxyMode } from '../../model/scenario.ts'
import type { NfHook } from '../walk/api.ts'
import { NF_IP_PRI, type HookRegistry } from '../walk/hooks.ts'
import { ipvsLocalIn } from './ipvs-hook.ts'
import {
  filterHook,
  natIn,
  natLocalIn,
  natOut,
  nftRun,
  xtablesRun,
  type ProxyRuleset,
} from './nf-hooks.ts'
import { userspaceListeners } from './userspace.ts'

const RULESETS: Record<KubeProxyMode, ProxyRuleset> = {
  iptables: { run: xtablesRun, portals: false, natShownAtInput: false },
  ipvs: { run: xtablesRun, portals: false, natShownAtInput: true },
  nftables: { run: nftRun, portals: false, natShownAtInput: false },
  userspace: { run: xtablesRun, portals: true, natShownAtInput: false },
}

export function registerKubeProxy(reg: HookRegistry, mode: KubeProxyMode): void {
  const rs = RULESETS[mode]
  const owner = `kube-proxy (${mode})`
  // nat PREROUTING and OUTPUT (DNAT, and the de-SNAT of replies by conntrack) at dstnat.
  for (const hook of ['PREROUTING', 'OUTPUT'] as const)
    reg.registerNf({
      hook,
      priority: NF_IP_PRI.NAT_DST,
      owner,
      fn: (w, ns, device, pkt) => natIn(rs, w, ns, device, pkt, hook),
    })
  // filter FORWARD, OUTPUT and INPUT (REJECT and DROP for Services without endpoints).
  for (const hook of ['FORWARD', 'OUTPUT', 'INPUT'] as const satisfies NfHook[])
    reg.registerNf({
      hook,
      priority: NF_IP_PRI.FILTER,
      owner,
      fn: (w, ns, device, pkt, _hook, out) => filterHook(rs, w, ns, device, pkt, hook, out),
    })
  if (mode === 'ipvs')
    reg.registerNf({
      hook: 'INPUT',
      priority: NF_IP_PRI.NAT_SRC - 1,
      owner: 'IPVS',
      fn: (w, ns, device, pkt) => ipvsLocalIn(w, ns, device, pkt),
    })
  // nat INPUT: conntrack undoes the DNAT of a reply to the node's own connection, at srcnat.
  reg.registerNf({
    hook: 'INPUT',
    priority: NF_IP_PRI.NAT_SRC,
    owner,
    fn: (w, ns, device, pkt) => {
      natLocalIn(rs, w, ns, device, pkt)
      return null
    },
  })
  // nat POSTROUTING (MASQUERADE, the CNI agent's masquerade, the reply's un-DNAT) at srcnat.
  reg.registerNf({
    hook: 'POSTROUTING',
    priority: NF_IP_PRI.NAT_SRC,
    owner,
    fn: (w, ns, device, pkt) => {
      natOut(rs, w, ns, device!, pkt)
      return null
    },
  })
  if (mode === 'userspace') reg.registerListeners(userspaceListeners)
}
