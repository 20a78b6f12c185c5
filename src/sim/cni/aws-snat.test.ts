import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'
import { traceOf } from '../../test/scenario.ts'
import { iptablesSave } from '../print/iptables-save.ts'
import { nodeIptables } from '../proxy/kube-proxy.ts'

/** A Pod on an EKS node calling a host on the Internet; `env` is cni.env, `ext` node-1's externalIP. */
function eks(env = '', ext = 'externalIP: 203.0.113.11') {
  return `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cloud: aws
  nodeCIDR: 10.0.0.0/16
  cni: {plugin: aws-vpc-cni${env ? `, env: {${env}}` : ''}}
  upstreamDNS: 10.0.0.2
  externalHosts:
    - {name: api.github.com, ip: 140.82.112.6}
  nodes:
    - {name: n1, ip: 10.0.0.11${ext ? `, ${ext}` : ''}}
    - {name: n2, ip: 10.0.0.12}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: n1
  containers: [{name: curl, image: curl}]
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: out}
spec:
  from: {pod: default/client}
  to: https://api.github.com/
`
}

function natLines(yaml: string, node = 'n1'): string[] {
  const l = loadScenarioSource(yaml, 't.yaml')
  const save = iptablesSave(nodeIptables(l.cluster!, node))
  const nat = save.slice(save.indexOf('*nat'))
  return nat.split('\n').filter((x) => x.includes('AWS'))
}

function diagnostics(yaml: string): string[] {
  return loadScenarioSource(yaml, 't.yaml').diagnostics.map((d) => `${d.severity}: ${d.message.en}`)
}

describe("aws-node's SNAT rules (pkg/networkutils/network.go buildIptablesSNATRules)", () => {
  it('exempts the VPC and SNATs the rest to the primary ENI address, --random-fully by default', () => {
    expect(natLines(eks(), 'n2')).toEqual([
      ':AWS-SNAT-CHAIN-0 - [0:0]',
      '-A POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0',
      '-A AWS-SNAT-CHAIN-0 -d 10.0.0.0/16 -m comment --comment "AWS SNAT CHAIN" -j RETURN',
      '-A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 10.0.0.12 --random-fully',
    ])
  })

  it('puts the exclusions first, last listed first (each CIDR is inserted at position 1)', () => {
    const env =
      'AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: "172.16.0.0/12, 192.168.5.9/16", AWS_VPC_K8S_CNI_RANDOMIZESNAT: hashrandom'
    expect(natLines(eks(env)).filter((l) => l.startsWith('-A AWS-SNAT'))).toEqual([
      '-A AWS-SNAT-CHAIN-0 -d 192.168.0.0/16 -m comment --comment "AWS SNAT CHAIN EXCLUSION" -j RETURN',
      '-A AWS-SNAT-CHAIN-0 -d 172.16.0.0/12 -m comment --comment "AWS SNAT CHAIN EXCLUSION" -j RETURN',
      '-A AWS-SNAT-CHAIN-0 -d 10.0.0.0/16 -m comment --comment "AWS SNAT CHAIN" -j RETURN',
      '-A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 10.0.0.11 --random',
    ])
  })

  it('writes none of it with AWS_VPC_K8S_CNI_EXTERNALSNAT=true', () => {
    expect(natLines(eks('AWS_VPC_K8S_CNI_EXTERNALSNAT: "true"'))).toEqual([])
  })

  it('reports what aws-node would refuse, and a variable it does not read', () => {
    expect(
      diagnostics(
        eks(
          'AWS_VPC_K8S_CNI_EXTERNALSNAT: "yes", AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: "10.1.0.0/33,fd00::/8", AWS_VPC_K8S_CNI_EXTERNAL_SNAT: "true"',
        ),
      ),
    ).toEqual([
      'error: AWS_VPC_K8S_CNI_EXTERNALSNAT is "yes", which strconv.ParseBool does not read; write true or false',
      'error: "10.1.0.0/33" in AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS is not an IPv4 CIDR such as 172.16.0.0/12',
      'error: "fd00::/8" in AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS is not an IPv4 CIDR such as 172.16.0.0/12',
      'warning: PodPath does not read the aws-node variable "AWS_VPC_K8S_CNI_EXTERNAL_SNAT"; it reads AWS_VPC_K8S_CNI_EXTERNALSNAT, AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS, AWS_VPC_K8S_CNI_RANDOMIZESNAT (did you mean AWS_VPC_K8S_CNI_EXTERNALSNAT?)',
    ])
    expect(
      diagnostics(`
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cni: {plugin: flannel, env: {AWS_VPC_K8S_CNI_EXTERNALSNAT: "true"}}
`),
    ).toContain(
      'error: cni.env holds the aws-node variables of the AWS VPC CNI; flannel reads none of them',
    )
  })
})

describe('a Pod on EKS calling the Internet', () => {
  it('is SNATed to the primary ENI IP, then mapped to the public IP by the Internet gateway', () => {
    const t = traceOf(eks())
    const request = t.steps.filter((s) => s.phase === 'request')
    // An SNAT rule, not MASQUERADE: the step says so, and so does the reply's un-SNAT.
    const snat = request.find((s) => s.action === 'snat' && s.at.node === 'n1')!
    expect(snat.at).toMatchObject({ node: 'n1', device: 'eth0', hook: 'POSTROUTING' })
    expect(snat.packet.l3!.src).toBe('10.0.0.11')
    expect(snat.lookups.filter((l) => l.matched).map((l) => l.rule)).toContain(
      '-A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 10.0.0.11 --random-fully',
    )
    const igw = request.find((s) => s.action === 'snat' && s.at.node === null)!
    expect(igw.packet.l3!.src).toBe('203.0.113.11')
    expect(request.at(-1)).toMatchObject({ action: 'deliver', at: { component: 'internet' } })
    expect(request.at(-1)!.packet.l3!.src).toBe('203.0.113.11')
    const reply = t.steps.filter((s) => s.phase === 'reply')
    const back = reply.find((s) => s.action === 'unnat' && s.at.node === null)!
    expect(back.packet.l3!.dst).toBe('10.0.0.11')
    const unSnat = reply.find((s) => s.action === 'unnat' && s.at.node === 'n1')!
    expect(unSnat.explain.en).toContain('rewritten by SNAT')
    expect(unSnat.explain.en).not.toContain('masqueraded')
    expect(t.outcome).toBe('delivered')
    expect(reply.at(-1)).toMatchObject({ action: 'deliver', at: { pod: 'default/client' } })
  })

  it('goes no further than the Internet gateway from a node with no public address', () => {
    const t = traceOf(eks('', ''))
    expect(t.outcome).toBe('dropped')
    expect(t.reason!.en).toBe('no public IPv4 address')
    expect(t.steps.at(-1)!.packet.l3!.src).toBe('10.0.0.11')
  })

  it("leaves the Pod's address with EXTERNALSNAT=true, which no Internet gateway maps", () => {
    const t = traceOf(eks('AWS_VPC_K8S_CNI_EXTERNALSNAT: "true"'))
    const request = t.steps.filter((s) => s.phase === 'request')
    expect(request.some((s) => s.action === 'masquerade' || s.action === 'snat')).toBe(false)
    expect(t.outcome).toBe('dropped')
    expect(t.reason!.en).toBe('no public IPv4 address')
    const last = t.steps.at(-1)!
    expect(last.packet.l3!.src).toBe('10.0.0.13')
    expect(last.explain.en).toContain('AWS_VPC_K8S_CNI_EXTERNALSNAT=true')
  })

  it("reads a real Node's ExternalIP address as its public address", () => {
    const yaml = eks('', '')
      .replace(
        '---\napiVersion: v1\nkind: Pod',
        `---
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  addresses:
    - {type: InternalIP, address: 10.0.0.11}
    - {type: ExternalIP, address: 203.0.113.11}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
status:
  addresses: [{type: InternalIP, address: 10.0.0.12}]
---
apiVersion: v1
kind: Pod`,
      )
      .replace(/ {2}nodes:\n( {4}- .*\n)+/, '')
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    const igw = t.steps.find((s) => s.action === 'snat' && s.at.node === null)!
    expect(igw.packet.l3!.src).toBe('203.0.113.11')
  })
})
