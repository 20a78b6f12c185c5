import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { build, traceOf } from '../../test/scenario.ts'
import { realCluster } from '../../test/real-clusters.ts'
import { loadScenarioSource } from '../../cli/load.ts'
import { formatCidr } from '../../model/ipv4.ts'
import { nodeTables, podTables } from '../print/tables.ts'
import { awsVethName, maxPods } from './aws-vpc-cni.ts'

const yaml = (pods: number, instanceType = 'm5.large') => `
apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: eks}
spec:
  nodeCIDR: 10.0.0.0/16
  cni: {plugin: aws-vpc-cni, instanceType: ${instanceType}}
  nodes: [{name: a, ip: 10.0.0.11}, {name: b, ip: 10.0.0.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: a, containers: [{name: c}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: ${pods}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {nodeName: b, containers: [{name: w, ports: [{containerPort: 80}]}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-web}
spec: {from: {pod: client}, to: "http://web-0/"}
${pods >= 12 ? '---\napiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: to-web-11}\nspec: {from: {pod: client}, to: "http://web-11/"}\n' : ''}`

describe('AWS VPC CNI', () => {
  it('computes max Pods as ENIs x (IPv4 per ENI - 1) + 2', () => {
    expect(maxPods('m5.large')).toBe(29)
    expect(maxPods('t3.medium')).toBe(17)
    expect(maxPods('t3.small')).toBe(11)
  })

  it('names the host veth "eni" + the first 11 hex digits of sha1("<namespace>.<pod>")', () => {
    expect(awsVethName('default', 'web-0')).toBe(
      `eni${createHash('sha1').update('default.web-0').digest('hex').slice(0, 11)}`,
    )
  })

  it('gives Pods VPC addresses from the node subnet, with a /32 and a static ARP entry for 169.254.1.1', () => {
    const { cluster } = build(yaml(1))
    const web = cluster.pods.find((p) => p.name === 'web-0')!
    expect(web.ip >>> 16).toBe(0x0a00) // inside 10.0.0.0/16
    const pod = podTables(cluster, 'default/web-0')!
    expect(pod).toContain('default via 169.254.1.1 dev eth0')
    expect(pod).toMatch(/169\.254\.1\.1 dev eth0 lladdr [0-9a-f:]{17} PERMANENT/)
    expect(pod).toMatch(/inet 10\.0\.\d+\.\d+\/32 scope global eth0/)
    expect(pod).toContain('mtu 9001')
  })

  it('routes to each Pod with a host route and an ip rule at priority 512', () => {
    const { cluster } = build(yaml(1))
    const t = nodeTables(cluster, 'b')!
    expect(t).toMatch(/\n10\.0\.\d+\.\d+ dev eni[0-9a-f]{11} scope link\n/)
    expect(t).toMatch(/512:\tfrom all to 10\.0\.\d+\.\d+ lookup main/)
    expect(t).not.toMatch(/cni0|flannel|tunl0/)
  })

  it('attaches a second ENI when the first runs out, with its own table and a from-Pod rule at 1536', () => {
    const { cluster } = build(yaml(12))
    const t = nodeTables(cluster, 'b')!
    expect(t).toMatch(/\d+: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9001/)
    expect(t).toContain('$ ip route show table 2\ndefault via 10.0.0.1 dev eth1')
    expect(t).toMatch(/1536:\tfrom 10\.0\.\d+\.\d+ lookup 2/)
  })

  it('refuses more Pods than the instance type allows', () => {
    // 27 Pods fit on node b besides the two host-network ones the formula reserves; one CoreDNS
    // replica is scheduled there too, so 26 web replicas fill it.
    expect(() => build(yaml(27))).toThrow(/node b is full: its instance type allows 29 Pods/)
    expect(() => build(yaml(26))).not.toThrow()
  })

  it('delivers across nodes with no encapsulation: the VPC carries Pod addresses', () => {
    const t = traceOf(yaml(1), 'to-web')
    expect(t.outcome).toBe('delivered')
    expect(t.steps.every((s) => s.packet.outer === null)).toBe(true)
    const vpc = t.steps.find((s) => s.at.component === 'vpc')!
    expect(vpc.explain.en).toMatch(/ENI that holds/)
  })

  it('sends the reply of a Pod on a secondary ENI out of that ENI (table 2)', () => {
    const t = traceOf(yaml(12), 'to-web-11')
    expect(t.outcome).toBe('delivered')
    const out = t.steps.find(
      (s) => s.phase === 'reply' && s.action === 'route' && s.at.node === 'b' && s.at.pod === null,
    )!
    expect(out.lookups[0]!.rule).toMatch(/^1536:\tfrom 10\.0\.\d+\.\d+ lookup 2$/)
    expect(out.at.device).toBe('eth1')
  })
})

describe('EKS with the AWS VPC CNI, as it prints itself', () => {
  // Nodes 10.20.12.34 (us-west-2a) and 10.20.45.67 (us-west-2b), m5.large; client 10.20.3.150,
  // web 10.20.60.22; ClusterIPs in 172.20.0.0/16.
  const yaml = realCluster('eks-aws-vpc-cni', 'http://10.20.60.22/')
  const loaded = loadScenarioSource(yaml, 'eks.yaml')
  const cluster = loaded.cluster!

  it("is recognised as the AWS VPC CNI on AWS, with ClusterIPs in EKS's 172.20.0.0/16", () => {
    expect(loaded.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(cluster.decl.cni).toMatchObject({ plugin: 'aws-vpc-cni', instanceType: 'm5.large' })
    expect(cluster.decl.cloud).toBe('aws')
    expect(formatCidr(cluster.decl.serviceCIDR)).toBe('172.20.0.0/16')
    expect(cluster.services.find((s) => s.name === 'web')!.clusterIP).toBe(0xac145b94)
    expect(cluster.mtu).toBe(9001)
  })

  it('holds each Pod address as a secondary IP of its node, behind an eni veth and a /32 route', () => {
    const n2 = nodeTables(cluster, 'ip-10-20-45-67.us-west-2.compute.internal')!
    const veth = awsVethName('default', 'web-59f7d7c7bf-tz6kd')
    expect(n2).toContain(`10.20.60.22 dev ${veth} scope link`)
    expect(n2).toContain('512:\tfrom all to 10.20.60.22 lookup main')
    expect(n2).toContain('inet 10.20.45.67/18 brd 10.20.63.255 scope global eth0')
    const pod = podTables(cluster, 'default/client')!
    expect(pod).toContain('inet 10.20.3.150/32 scope global eth0')
    expect(pod).toContain('default via 169.254.1.1 dev eth0')
  })

  it('lets the VPC carry the Pod address from one node to the other, untouched', () => {
    const t = traceOf(yaml)
    expect(t.outcome).toBe('delivered')
    expect(t.steps.some((s) => s.action === 'encapsulate' || s.action === 'masquerade')).toBe(false)
    const vpc = t.steps.find((s) => s.at.component === 'vpc' || s.at.node === 'vpc')
    expect(vpc!.packet.l3).toMatchObject({ src: '10.20.3.150', dst: '10.20.60.22' })
    expect(t.steps.at(-1)!.at.pod).toBe('default/client')
  })
})
