/**
 * flanneld's FORWARD rules (flannel-io/flannel pkg/trafficmngr/iptables/iptables.go,
 * forwardRules, written by SetupAndEnsureForwardRules): main.go installs them whenever
 * --iptables-forward-rules is true, its default, because Docker 1.13 and later set the FORWARD
 * policy to DROP. A FLANNEL-FWD chain in the filter table, reached by a jump flanneld appends to
 * FORWARD (after kube-proxy's, which kube-proxy prepends), accepts anything to or from the
 * flannel network.
 */
import { formatCidr, type Cidr } from '../../model/ipv4.ts'
import type { RestoreRule } from '../proxy/iptables-rules.ts'
import type { CniIptables } from './cni-iptables.ts'

export const FLANNEL_FWD_CHAIN = 'FLANNEL-FWD'

/** forwardRules(flannelNetwork), in the order flanneld appends them. */
export function flannelForwardRules(network: Cidr): CniIptables {
  const net = formatCidr(network)
  const comment = ['-m', 'comment', '--comment', '"flanneld forward"']
  const rule = (chain: string, ...args: string[]): RestoreRule => ({
    table: 'filter',
    chain,
    args,
  })
  return {
    natChains: [],
    filterChains: [FLANNEL_FWD_CHAIN],
    rules: [
      // "allow traffic to be forwarded if it is to or from the flannel network range"
      rule(FLANNEL_FWD_CHAIN, '-s', net, ...comment, '-j', 'ACCEPT'),
      rule(FLANNEL_FWD_CHAIN, '-d', net, ...comment, '-j', 'ACCEPT'),
    ],
    jumps: [rule('FORWARD', ...comment, '-j', FLANNEL_FWD_CHAIN)],
  }
}
