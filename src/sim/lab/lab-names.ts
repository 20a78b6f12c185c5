/**
 * Names of the lab's network namespaces. Every one starts with the lab's prefix, so that a lab
 * never touches a namespace it did not make and two labs on one machine never meet; the links
 * inside them keep the names PodPath shows (eth0, cni0, veth...), because they are created
 * inside those namespaces and never in the namespace the script runs in.
 */
import type { NetNs } from '../net/netns.ts'
import { netnsName } from '../print/ip-link.ts'

/** The product's own default prefix. */
export const DEFAULT_PREFIX = 'pp-'

/**
 * A prefix is letters, digits and dashes, starting with a letter, at most 20 characters: it
 * becomes part of file names under /run/netns and of bash words, so nothing else is allowed.
 */
export function checkPrefix(prefix: string): string | null {
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(prefix))
    return 'a prefix is a lower-case letter, then up to 19 lower-case letters, digits or dashes'
  return null
}

/** The lab namespace of a node's or a Pod's network namespace. */
export function labNsName(prefix: string, ns: NetNs): string {
  if (ns.kind === 'host') return `${prefix}${ns.node}`
  // The name containerd would give the sandbox (cni-<uuid>), behind the prefix.
  return `${prefix}${netnsName(ns)!}`
}

/** The namespace that plays the node network: its switch (a bridge per subnet) and router. */
export function underlayNs(prefix: string): string {
  return `${prefix}underlay`
}

/** The namespace of clients outside the cluster (Traffic from: {external: IP}). */
export function internetNs(prefix: string): string {
  return `${prefix}internet`
}
