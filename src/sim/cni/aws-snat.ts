/**
 * The AWS VPC CNI's SNAT for traffic leaving the VPC, as ipamd (aws-node) programs it:
 * amazon-vpc-cni-k8s pkg/networkutils/network.go, buildIptablesSNATRules, in the layout with one
 * chain, AWS-SNAT-CHAIN-0 (CleanUpStaleAWSChains removes the older AWS-SNAT-CHAIN-1..N), read at
 * commit 0089259 of the repository. A Pod's address is a real VPC address, so inside the VPC it
 * is kept; anything else leaves with the primary private IP of the node's primary ENI (eth0).
 *
 * Left out, though that version has them: the AWS-CONNMARK-CHAIN-0 chain in nat PREROUTING and
 * the mangle PREROUTING CONNMARK rules (mark 0x80) that, with the `fwmark 0x80/0x80 lookup main`
 * rule, send replies for Pods on secondary ENIs out of eth0. PodPath's walk has no mangle table
 * and no connection marks; its lesson Pod sits on eth0, where they change nothing.
 */
import { formatCidr, formatIp, type Cidr } from '../../model/ipv4.ts'
import type { AwsSnatEnv } from '../../model/scenario.ts'
import { text } from '../../model/text.ts'
import type { RestoreRule } from '../proxy/iptables-rules.ts'
import type { CniIptables, CniMasquerade } from './cni-iptables.ts'

export const AWS_SNAT_CHAIN = 'AWS-SNAT-CHAIN-0'

/**
 * The rules on a node whose primary ENI has `primaryIp`, in a VPC of `vpcCIDRs`, in the order a
 * fresh aws-node leaves them: updateIptablesRules inserts every CIDR's RETURN at position 1 (so
 * the last CIDR listed, exclusions after the VPC's blocks, ends up first) and appends the SNAT
 * rule after them. AWS_VPC_K8S_CNI_EXTERNALSNAT=true: none of it (shouldExist is false).
 */
export function awsSnatRules(vpcCIDRs: Cidr[], env: AwsSnatEnv, primaryIp: number): CniIptables {
  if (env.externalSNAT)
    return {
      natChains: [],
      rules: [],
      jumps: [],
      untranslatedText: text(
        'AWS_VPC_K8S_CNI_EXTERNALSNAT=true, so aws-node wrote no SNAT rule and the node sent it untranslated, expecting a NAT gateway on the way (the setting is for private subnets whose default route points at one).',
        'AWS_VPC_K8S_CNI_EXTERNALSNAT=true，所以 aws-node 没有写 SNAT 规则，节点原样发出它，指望途中有 NAT 网关（这个设置用于默认路由指向 NAT 网关的私有子网）。',
      ),
    }
  const rule = (...args: string[]): RestoreRule => ({ table: 'nat', chain: AWS_SNAT_CHAIN, args })
  const cidrs = [
    ...vpcCIDRs.map((c) => ({ cidr: c, comment: '"AWS SNAT CHAIN"' })),
    ...env.excludeCIDRs.map((c) => ({ cidr: c, comment: '"AWS SNAT CHAIN EXCLUSION"' })),
  ]
  const returns = cidrs
    .map((c) =>
      rule('-d', formatCidr(c.cidr), '-m', 'comment', '--comment', c.comment, '-j', 'RETURN'),
    )
    .reverse()
  // typeOfSNAT: prng (the default, and what an empty value means) adds --random-fully when
  // iptables has it (go-iptables HasRandomFully: 1.6.2 and later, as every node PodPath models);
  // hashrandom adds --random; none adds nothing.
  const random =
    env.randomize === 'prng'
      ? ['--random-fully']
      : env.randomize === 'hashrandom'
        ? ['--random']
        : []
  const snat = rule(
    '!',
    '-o',
    'vlan+',
    '-m',
    'comment',
    '--comment',
    '"AWS, SNAT"',
    '-m',
    'addrtype',
    '!',
    '--dst-type',
    'LOCAL',
    '-j',
    'SNAT',
    '--to-source',
    formatIp(primaryIp),
    ...random,
  )
  const exempt = cidrs.map((c) => formatCidr(c.cidr))
  return {
    natChains: [AWS_SNAT_CHAIN],
    rules: [...returns, snat],
    jumps: [
      {
        table: 'nat',
        chain: 'POSTROUTING',
        args: ['-m', 'comment', '--comment', '"AWS SNAT CHAIN"', '-j', AWS_SNAT_CHAIN],
      },
    ],
    masqueradeText: (m) => snatText(m, exempt, vpcCIDRs.map(formatCidr), random),
  }
}

/**
 * Why the packet was translated, and which destinations are not: the VPC's own blocks (a Pod's
 * address is a VPC address, routed by the VPC to its ENI; docs.aws.amazon.com/eks/latest/
 * userguide/external-snat.html) and the listed exclusions.
 */
function snatText(m: CniMasquerade, exempt: string[], vpc: string[], random: string[]) {
  const list = exempt.join(', ')
  const port = random.includes('--random-fully')
    ? {
        en: ' --random-fully draws the source port at random.',
        zh: '--random-fully 随机选取源端口。',
      }
    : random.includes('--random')
      ? { en: ' --random picks the source port by a hash.', zh: '--random 按哈希选取源端口。' }
      : {
          en: ' The source port stays unless another connection holds it.',
          zh: '源端口不变，除非已被其他连接占用。',
        }
  return text(
    `On the way out of ${m.dev}, nat POSTROUTING jumps to AWS-SNAT-CHAIN-0, the chain aws-node keeps on every node. Its RETURN rules skip every destination inside ${list}: the VPC (${vpc.join(', ')}) routes Pod addresses itself, since they are secondary IPs of the nodes' ENIs, so there a Pod keeps its own address. ${m.dst} is outside them all, so the last rule matches ("! -o vlan+ ... ! --dst-type LOCAL -j SNAT --to-source ${m.to}"): the source ${m.from} becomes ${m.to}, the primary private IP of this node's primary ENI. It is SNAT to a fixed address, not MASQUERADE: whatever device the packet leaves by, the address is eth0's first one.${port.en} conntrack records the translation, so the reply will be un-SNATed back to the Pod.`,
    `离开 ${m.dev} 时，nat POSTROUTING 跳转到 AWS-SNAT-CHAIN-0：这是 aws-node 在每个节点上维护的链。它的 RETURN 规则跳过 ${list} 之内的所有目的地：VPC（${vpc.join('、')}）自己就能路由 Pod 地址，因为它们是节点 ENI 的辅助 IP，所以在那里 Pod 保留自己的地址。${m.dst} 不在其中任何一个之内，所以最后一条规则匹配（“! -o vlan+ ... ! --dst-type LOCAL -j SNAT --to-source ${m.to}”）：源地址 ${m.from} 变为 ${m.to}，即本节点主 ENI 的主私有 IP。这是 SNAT 到一个固定地址，而不是 MASQUERADE：无论包从哪个设备离开，用的都是 eth0 的第一个地址。${port.zh}conntrack 记下这次转换，所以应答会被反向 SNAT，回到 Pod。`,
  )
}
