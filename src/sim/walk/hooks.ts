/**
 * The hook points of the walk and how a data plane registers at them, as netfilter's
 * nf_register_net_hook does: each function runs at its hook in ascending priority (of equal
 * priorities the later registered first), and the first that returns a result stops the packet there. The walk
 * calls `runNf` at each hook and `listenerAt` when a packet reaches a socket; it never asks which
 * data plane is loaded. A cluster's registry is filled once, when the engine first walks it
 * (../assemble/data-planes.ts).
 */
import type { Packet } from '../../model/trace.ts'
import type { Cluster } from '../cluster.ts'
import type { Link, NetNs } from '../net/netns.ts'
import type {
  Endpoint,
  ListenerSource,
  NfHook,
  NfHookFn,
  ProxyListener,
  SockConnectFn,
  TcProgramFn,
  Walk,
  WalkResult,
} from './api.ts'

/**
 * The IPv4 hook priorities of the kernel (enum nf_ip_hook_priorities, in
 * include/uapi/linux/netfilter_ipv4.h): conntrack -200, mangle -150, dstnat -100, filter 0,
 * security 50, srcnat 100. IPVS's request hook on LOCAL_IN sits just before srcnat
 * (ip_vs_remote_request4 at NF_IP_PRI_NAT_SRC - 1, net/netfilter/ipvs/ip_vs_core.c).
 */
export const NF_IP_PRI = {
  CONNTRACK: -200,
  MANGLE: -150,
  NAT_DST: -100,
  FILTER: 0,
  SECURITY: 50,
  NAT_SRC: 100,
} as const

/** One registration (struct nf_hook_ops): where, in what order, and what runs. */
export interface NfHookOps {
  hook: NfHook
  priority: number
  /** Who registered it, for errors and for reading the registry in a test. */
  owner: string
  fn: NfHookFn
}

export class HookRegistry {
  private readonly nf = new Map<NfHook, NfHookOps[]>()
  private readonly sources: ListenerSource[] = []
  private readonly tc = new Map<string, { owner: string; fn: TcProgramFn }>()
  private readonly connectOps: { owner: string; fn: SockConnectFn }[] = []

  /**
   * A BPF program a device may have attached on tc, by its name: the device names what is
   * attached (`Link.tc`, as bpftool net lists it), the registry holds the program's code.
   */
  registerTc(program: string, owner: string, fn: TcProgramFn): void {
    this.tc.set(program, { owner, fn })
  }

  /** A program on every socket's connect() (a cgroup BPF program on the root cgroup). */
  registerConnect(owner: string, fn: SockConnectFn): void {
    this.connectOps.push({ owner, fn })
  }

  /** The program attached on `link`'s tc ingress, if one is and it registered. */
  runTcIngress(w: Walk, ns: NetNs, link: Link, pkt: Packet): WalkResult | null {
    const name = link.tc?.ingress
    const prog = name === undefined ? undefined : this.tc.get(name)
    return prog ? prog.fn(w, ns, link, pkt) : null
  }

  /** The program attached on `link`'s tc egress, if one is and it registered. */
  runTcEgress(w: Walk, ns: NetNs, link: Link, pkt: Packet): WalkResult | null {
    const name = link.tc?.egress
    const prog = name === undefined ? undefined : this.tc.get(name)
    return prog ? prog.fn(w, ns, link, pkt) : null
  }

  /** The connect() programs, in registration order; the first result fails the connect(). */
  runConnect(w: Walk, from: Endpoint, ns: NetNs, pkt: Packet): WalkResult | null {
    for (const op of this.connectOps) {
      const r = op.fn(w, from, ns, pkt)
      if (r) return r
    }
    return null
  }

  /** nf_register_net_hook: `fn` runs at `hook` in the order of `priority`. */
  registerNf(ops: NfHookOps): void {
    const list = this.nf.get(ops.hook) ?? []
    // Before the first of priority >= its own, as nf_hook_entries_grow (net/netfilter/core.c)
    // inserts: of equal priorities the one registered later runs first.
    const at = list.findIndex((o) => o.priority >= ops.priority)
    if (at < 0) list.push(ops)
    else list.splice(at, 0, ops)
    this.nf.set(ops.hook, list)
  }

  /** A kind of process that listens on sockets (a proxy, an Ingress controller, a Gateway). */
  registerListeners(source: ListenerSource): void {
    this.sources.push(source)
  }

  /** What registered at `hook`, in the order it runs. */
  at(hook: NfHook): readonly NfHookOps[] {
    return this.nf.get(hook) ?? []
  }

  /** Runs `hook`'s functions from priority `from` on; the first result stops the packet. */
  runNf(
    hook: NfHook,
    w: Walk,
    ns: NetNs,
    device: string | null,
    pkt: Packet,
    from = -Infinity,
    out: string | null = null,
  ): WalkResult | null {
    for (const ops of this.at(hook)) {
      if (ops.priority < from) continue
      const r = ops.fn(w, ns, device, pkt, hook, out)
      if (r) return r
    }
    return null
  }

  /** The process that owns `proto` port `port` in `ns`: the first source, in registration order. */
  listenerAt(c: Cluster, ns: NetNs, proto: string, port: number): ProxyListener | null {
    for (const source of this.sources) {
      const l = source(c, ns).find((x) => x.proto === proto && x.port === port)
      if (l) return l
    }
    return null
  }
}
