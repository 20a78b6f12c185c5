/**
 * What the learner reads when kube-proxy's nftables table decides a packet's fate: the verdict
 * maps looked up, the numgen draw, the reject/drop elements, the masquerade in postrouting.
 */
import { text, type Text } from '../../model/text.ts'
import type { Lookup } from '../../model/trace.ts'
import type { NftWalk } from './nft-eval.ts'

const MAP_PREFIX = 'nft ip kube-proxy map '

/** Rules tested, not counting the map elements shown beside the vmap rule that found them. */
export function nftRulesTested(lookups: readonly Lookup[]): number {
  return lookups.filter((l) => l.table.startsWith('nft ') && !l.table.startsWith(MAP_PREFIX)).length
}

function lastMap(r: NftWalk): string | null {
  const hit = [...r.tested].reverse().find((l) => l.table.startsWith(MAP_PREFIX))
  return hit ? hit.table.slice(MAP_PREFIX.length) : null
}

export interface DnatFacts {
  hook: 'PREROUTING' | 'OUTPUT'
  dst: string
  dport: number
  proto: string
  src: string
  service: string
  to: string
  masqMark: number
  clusterCIDR: string | null
  /** What the destination was: a ClusterIP, an external IP, a load-balancer IP, a node port. */
  kind: 'cluster' | 'external' | 'lb' | 'nodePort' | null
  /** externalTrafficPolicy Local (for the external addresses). */
  etpLocal: boolean
  /** Endpoints left out (not ready) or the terminating fallback, already worded. */
  endpointsNote: Text
}

/** The firewall chain a firewall-ips element sent the packet to, and the rule it passed. */
function firewallPassed(r: NftWalk): { chain: string; rule: string } | null {
  const i = r.tested.findIndex((l) => l.table === `${MAP_PREFIX}firewall-ips`)
  if (i < 0) return null
  const next = r.tested
    .slice(i + 1)
    .find(
      (l) =>
        l.table.startsWith('nft ip kube-proxy firewall-') &&
        l.table !== 'nft ip kube-proxy firewall-check',
    )
  return next ? { chain: next.table.slice('nft ip kube-proxy '.length), rule: next.rule } : null
}

export function nftDnatText(r: NftWalk, f: DnatFacts): Text {
  const base = f.hook === 'PREROUTING' ? 'nat-prerouting' : 'nat-output'
  const svcChain = r.path.find((c) => c.startsWith('service-') || c.startsWith('local-')) ?? ''
  const ext = r.path.find((c) => c.startsWith('external-'))
  const n = r.pick?.mod ?? 1
  const v = r.pick?.value ?? 0
  const tested = nftRulesTested(r.tested)
  const key = `${f.dst} . ${f.proto} . ${f.dport}`
  const viaNodePorts = r.tested.some((l) => l.table === `${MAP_PREFIX}service-nodeports`)
  const fw = firewallPassed(r)
  const firewall = fw
    ? text(
        ` Before that, at priority dstnat - 10, the chain filter-${f.hook === 'OUTPUT' ? 'output' : 'prerouting'}-pre-dnat jumped to firewall-check, which found ${key} in the verdict map firewall-ips because the Service has loadBalancerSourceRanges: its chain ${fw.chain} holds one rule, \`${fw.rule}\`, and ${f.src} is in an allowed range, so the packet fell off the end of that chain and went on.`,
        `在此之前，优先级为 dstnat - 10 的链 “filter-${f.hook === 'OUTPUT' ? 'output' : 'prerouting'}-pre-dnat” 跳转到 “firewall-check”，它在 verdict map “firewall-ips” 中找到 ${key}，因为这个 Service 设置了 loadBalancerSourceRanges：它的链 “${fw.chain}” 只有一条规则 \`${fw.rule}\`，而 ${f.src} 在允许的网段内，所以包走完这条链，继续往下。`,
      )
    : text('', '')
  const shortCircuit = r.tested.some(
    (l) => l.matched && l.rule.includes('short-circuit pod traffic'),
  )
  const fromHostShort = r.tested.some(
    (l) => l.matched && l.rule.includes('short-circuit local traffic'),
  )
  const externalHow = !ext
    ? text('', '')
    : f.etpLocal && shortCircuit
      ? text(
          ` With externalTrafficPolicy Local, the external chain's first rule sends traffic from a Pod of the cluster (source in ${f.clusterCIDR ?? 'the cluster CIDR'}) straight to ${svcChain} ("short-circuit pod traffic"), with no masquerade mark: the policy only limits traffic that really comes from outside.`,
          `externalTrafficPolicy 为 Local 时，external 链的第一条规则把来自集群内 Pod（源地址在 ${f.clusterCIDR ?? '集群网段'} 内）的流量直接交给 “${svcChain}”（“short-circuit pod traffic”），不打伪装标记：这个策略只约束真正来自集群外部的流量。`,
        )
      : f.etpLocal && fromHostShort
        ? text(
            ` With externalTrafficPolicy Local, the external chain still treats packets this node sends itself (\`fib saddr type local\`) apart: it marks them for masquerade ("masquerade local traffic") and sends them to ${svcChain} ("short-circuit local traffic"), which may use endpoints on any node.`,
            `externalTrafficPolicy 为 Local 时，external 链仍然单独处理本节点自己发出的包（\`fib saddr type local\`）：给它们打上伪装标记（“masquerade local traffic”），再交给 “${svcChain}”（“short-circuit local traffic”），那里可以使用任何节点上的端点。`,
          )
        : f.etpLocal
          ? text(
              ` With externalTrafficPolicy Local, the external chain sends it on to ${svcChain}, which holds only the endpoints on this node, so the client's address is kept.`,
              `externalTrafficPolicy 为 Local 时，external 链把它交给 “${svcChain}”，其中只有本节点上的端点，所以客户端的地址得以保留。`,
            )
          : text(
              ` The external chain (externalTrafficPolicy Cluster) marks the packet and goes on to ${svcChain}.`,
              `external 链（externalTrafficPolicy 为 Cluster）给包打上标记，再转到 “${svcChain}”。`,
            )
  const addrName =
    f.kind === 'lb'
      ? text(
          `a load-balancer IP of Service ${f.service} (status.loadBalancer.ingress). kube-proxy puts every load-balancer IP in service-ips on every node, so the packet is handled right here and never travels to the cloud load balancer: a short cut inside the cluster`,
          `Service ${f.service} 的一个负载均衡器 IP（status.loadBalancer.ingress）。kube-proxy 在每个节点上都把负载均衡器 IP 写进 “service-ips”，所以这个包就在这里处理，根本不会去往云上的负载均衡器：这是集群内部的一条捷径`,
        )
      : text(
          `an external IP of Service ${f.service} (spec.externalIPs)`,
          `Service ${f.service} 的一个外部 IP（spec.externalIPs）`,
        )
  const found =
    ext && viaNodePorts
      ? text(
          `The first rule of services finds no entry for ${key} in the verdict map service-ips, but ${f.dst} is in the set nodeport-ips (this node's own address), so the second rule looks up ${f.proto} . ${f.dport} in the map service-nodeports: node port ${f.dport} belongs to Service ${f.service}, so the packet goes to the external chain ${ext} and from there to ${svcChain}.`,
          `“services” 链的第一条规则在 verdict map “service-ips” 里找不到 ${key}，但 ${f.dst} 在集合 “nodeport-ips” 中（本节点自己的地址），于是第二条规则在 “service-nodeports” 中查找 ${f.proto} . ${f.dport}：节点端口 ${f.dport} 属于 Service ${f.service}，包先进入 external 链 “${ext}”，再转到 “${svcChain}”。`,
        )
      : ext
        ? text(
            `The first rule of services looks up ${key} in the verdict map service-ips: ${f.dst} is ${addrName.en}. The element says goto ${ext}, the Service's external chain.${externalHow.en}`,
            `“services” 链的第一条规则在 verdict map “service-ips” 中查找 ${key}：${f.dst} 是 ${addrName['zh-CN']}。该元素的内容是 goto “${ext}”，即这个 Service 的 external 链。${externalHow['zh-CN']}`,
          )
        : text(
            `The first rule of services looks up ${key} in the verdict map service-ips: one hash lookup, however many Services the cluster has. The element belongs to Service ${f.service} and says goto ${svcChain}.`,
            `“services” 链的第一条规则在 verdict map “service-ips” 中查找 ${key}：只做一次哈希查找，与集群里有多少个 Service 无关。查到的元素属于 Service ${f.service}，内容是 goto “${svcChain}”。`,
          )
  const marked = (r.mark & f.masqMark) !== 0
  const hairpin = f.to.split(':')[0] === f.src
  const fromHost = r.tested.some((l) => l.matched && l.rule.includes('masquerade local traffic'))
  const why = hairpin
    ? text(
        `this is hairpin traffic: the Pod ${f.src} is reaching itself through its own Service`,
        `这是发夹（hairpin）流量：Pod ${f.src} 正通过自己的 Service 访问自己`,
      )
    : fromHost
      ? text(
          'the packet comes from this node itself ("masquerade local traffic")',
          '这个包来自本节点自身（“masquerade local traffic”）',
        )
      : ext && viaNodePorts
        ? text(
            'it arrived on a node port and may leave this node again',
            '它是从节点端口进来的，可能还要离开本节点',
          )
        : ext
          ? text(
              'it was sent to an external address with externalTrafficPolicy Cluster, and the endpoint may be on another node',
              '它发往一个外部地址，且 externalTrafficPolicy 为 Cluster，端点可能在别的节点上',
            )
          : text(
              `the source ${f.src} is not a Pod address${f.clusterCIDR ? ` (outside ${f.clusterCIDR})` : ''}`,
              `源地址 ${f.src} 不是 Pod 地址${f.clusterCIDR ? `（不在 ${f.clusterCIDR} 内）` : ''}`,
            )
  const draw =
    n === 1
      ? text(
          'There `numgen random mod 1` can only draw 0: the Service has a single endpoint, and its endpoint chain',
          '在那里，`numgen random mod 1` 只能抽到 0：这个 Service 只有一个端点，该端点链',
        )
      : text(
          `There \`numgen random mod ${n}\` draws ${v}, so the packet goes to endpoint ${v + 1} of ${n} (each has the same chance, 1/${n}), and that endpoint chain`,
          `在那里，\`numgen random mod ${n}\` 抽到 ${v}，于是包被交给 ${n} 个端点中的第 ${v + 1} 个（每个端点的机会相同，都是 1/${n}），该端点链`,
        )
  const update = r.tested.find((l) => l.rule.startsWith('update @affinity-'))
  const affinity = update
    ? text(
        ` The Service has sessionAffinity ClientIP: before the draw, one rule per endpoint checked whether ${f.src} is already in that endpoint's affinity set (it is not: this is its first connection), and the endpoint chain now adds it with \`${update.rule}\`, so its next connections within the timeout skip the draw and go to the same endpoint.`,
        `这个 Service 设置了 sessionAffinity ClientIP：抽签之前，每个端点各有一条规则检查 ${f.src} 是否已在该端点的亲和集合中（不在：这是它的第一个连接）；端点链现在用 \`${update.rule}\` 把它加进去，所以在超时之前它的后续连接会跳过抽签，直接去同一个端点。`,
      )
    : text('', '')
  const masq = marked
    ? text(
        ` On the way, a jump to mark-for-masquerade set kube-proxy's mark 0x4000 because ${why.en}, so the packet will be masqueraded in postrouting, on its way out.`,
        `途中一条规则跳到 “mark-for-masquerade”，打上 kube-proxy 的标记 0x4000，因为${why['zh-CN']}；所以这个包在出口的 postrouting 处会被伪装（masquerade）。`,
      )
    : text('', '')
  return text(
    `Netfilter's ${f.hook} hook runs the base chain ${base} of kube-proxy's nftables table ip kube-proxy (type nat, priority dstnat), which jumps to the chain services. ${found.en} ${draw.en} rewrites the destination to ${f.to} (dnat).${f.endpointsNote.en}${affinity.en}${masq.en}${firewall.en} The packet was tested against ${tested} rules, and that number does not grow with the number of Services. conntrack records the translation so that every later packet of this connection, and the reply, is handled without the rules.`,
    `Netfilter 的 ${f.hook} 钩子执行 kube-proxy 的 nftables 表 “ip kube-proxy” 中的基础链 “${base}”（type nat，优先级 dstnat），它跳转到链 “services”。${found['zh-CN']}${draw['zh-CN']}把目的地址改写为 ${f.to}（dnat）。${f.endpointsNote['zh-CN']}${affinity['zh-CN']}${masq['zh-CN']}${firewall['zh-CN']}这个包一共被 ${tested} 条规则检查过，这个数字不会随 Service 数量增长。conntrack 记下这次转换，之后该连接的所有包以及应答都直接按记录处理，不再查规则。`,
  )
}

const commentOf = (rule: string) => /comment "([^"]*)"/.exec(rule)?.[1] ?? ''

export interface DstKey {
  dst: string
  proto: string
  port: number
}

/** The key a verdict map is looked up with: address . protocol . port, or protocol . port. */
function keyFor(map: string | null, k: DstKey): string {
  return map === 'no-endpoint-nodeports'
    ? `${k.proto} . ${k.port}`
    : `${k.dst} . ${k.proto} . ${k.port}`
}

export function nftRejectText(r: NftWalk, hook: string, k: DstKey): Text {
  const map = lastMap(r)
  const key = keyFor(map, k)
  const rule = r.verdict.kind === 'reject' ? r.verdict.rule : ''
  if (map && r.element) {
    const svc = r.element.comment ?? ''
    const nodePort = map === 'no-endpoint-nodeports'
    const check = nodePort ? 'nodeport-endpoints-check' : 'service-endpoints-check'
    const via = nodePort
      ? text(` (${k.dst} is in the set nodeport-ips)`, `（${k.dst} 在集合 “nodeport-ips” 中）`)
      : text('', '')
    return text(
      `For a new connection, kube-proxy's filter ${hook.toLowerCase()} chain jumps to ${check}, which looks up ${key} in the verdict map ${map}${via.en}. The element, commented with the Service port ${svc}, says goto reject-chain: the Service exists but has no ready endpoint, so \`reject\` answers at once with ICMP port unreachable (the client sees "Connection refused") instead of letting the connection time out.`,
      `对新连接，kube-proxy 的 filter ${hook.toLowerCase()} 链跳转到 “${check}”，它在 verdict map “${map}” 中查找 ${key}${via['zh-CN']}。该元素的注释是 Service 端口 ${svc}，内容是 goto “reject-chain”：Service 存在，但没有任何就绪的端点，所以 \`reject\` 立即用 ICMP 端口不可达拒绝连接（客户端看到 "Connection refused"），而不是让连接超时。`,
    )
  }
  return text(
    `For a new connection, kube-proxy's filter ${hook.toLowerCase()} chain jumps to cluster-ips-check. The rule "${commentOf(rule)}" matches: the destination is a ClusterIP in the set cluster-ips, but no Service offers ${key} (service-ips had no entry for it), so the connection is refused with ICMP port unreachable.`,
    `对新连接，kube-proxy 的 filter ${hook.toLowerCase()} 链跳转到 “cluster-ips-check”。规则 “${commentOf(rule)}” 命中：目的地址是集合 “cluster-ips” 中的 ClusterIP，但没有 Service 提供 ${key}（service-ips 里没有这一项），所以连接被 ICMP 端口不可达拒绝。`,
  )
}

export function nftDropText(r: NftWalk, hook: string, k: DstKey): Text {
  const map = lastMap(r)
  const key = keyFor(map, k)
  if (map && r.element) {
    const svc = r.element.comment ?? ''
    return text(
      `For a new connection, kube-proxy's filter ${hook.toLowerCase()} chain looks up ${key} in the verdict map ${map}. The element, commented with the Service port ${svc}, says drop: with a Local traffic policy only endpoints on this node may be used, and there are none, so the packet is silently dropped.`,
      `对新连接，kube-proxy 的 filter ${hook.toLowerCase()} 链在 verdict map “${map}” 中查找 ${key}。该元素的注释是 Service 端口 ${svc}，内容是 drop：Local 流量策略只允许使用本节点上的端点，而本节点一个也没有，所以包被静默丢弃。`,
    )
  }
  const rule = r.verdict.kind === 'drop' ? r.verdict.rule : ''
  return text(
    `For a new connection, kube-proxy's chain cluster-ips-check reaches the rule "${commentOf(rule)}": the destination lies in the Service CIDR but no Service has that address, so the packet is dropped.`,
    `对新连接，kube-proxy 的链 “cluster-ips-check” 命中规则 “${commentOf(rule)}”：目的地址在 Service 网段内，但没有任何 Service 使用这个地址，所以包被丢弃。`,
  )
}

export function nftMasqueradeText(newSrc: string, outDev: string): Text {
  return text(
    `On the way out, kube-proxy's base chain nat-postrouting (type nat, priority srcnat) jumps to masquerading. The packet carries kube-proxy's mark 0x4000 (set by mark-for-masquerade), so the first rule does not return; the second clears the mark and \`masquerade fully-random\` rewrites the source to ${newSrc}, the address of ${outDev}, with a random source port. The reply will come back to this node, which undoes it.`,
    `出站时，kube-proxy 的基础链 “nat-postrouting”（type nat，优先级 srcnat）跳转到 “masquerading”。这个包带着 kube-proxy 的标记 0x4000（由 “mark-for-masquerade” 打上），所以第一条规则不会 return；第二条清除标记，\`masquerade fully-random\` 把源地址改为 ${outDev} 的地址 ${newSrc}，源端口随机。应答会回到本节点，由它还原。`,
  )
}

export function nftFirewallDropText(r: NftWalk, hook: string, key: string, src: string): Text {
  const base = hook === 'OUTPUT' ? 'filter-output-pre-dnat' : 'filter-prerouting-pre-dnat'
  const rule = r.verdict.kind === 'drop' ? r.verdict.rule : ''
  const chain = r.path.find((c) => c.startsWith('firewall-') && c !== 'firewall-check') ?? ''
  return text(
    `For a new connection, kube-proxy's base chain ${base} (type filter, priority dstnat - 10, so before any DNAT) jumps to firewall-check, which finds ${key} in the verdict map firewall-ips: the Service has loadBalancerSourceRanges, so the element says goto ${chain}. That chain's only rule, \`${rule}\`, matches because ${src} is in none of the allowed ranges, so the packet is dropped silently (the client sees a timeout) and never reaches the nat chains.`,
    `对新连接，kube-proxy 的基础链 “${base}”（type filter，优先级 dstnat - 10，即在任何 DNAT 之前）跳转到 “firewall-check”，它在 verdict map “firewall-ips” 中找到 ${key}：这个 Service 设置了 loadBalancerSourceRanges，所以该元素的内容是 goto “${chain}”。这条链唯一的规则 \`${rule}\` 命中，因为 ${src} 不在任何允许的网段内，所以包被静默丢弃（客户端只会等到超时），根本到不了 nat 链。`,
  )
}
