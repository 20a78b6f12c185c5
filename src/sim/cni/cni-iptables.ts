/** The iptables rules a CNI's node agent writes beside kube-proxy's, as the cluster keeps them. */
import type { RestoreRule } from '../proxy/iptables-rules.ts'

/** Rules a CNI's node agent keeps in iptables beside kube-proxy's (kindnet's masquerade). */
export interface CniIptables {
  /** User chains of the nat table it creates. */
  natChains: string[]
  /** Rules in its own chains. */
  rules: RestoreRule[]
  /** Its jumps from the built-in chains, appended after kube-proxy's. */
  jumps: RestoreRule[]
}
