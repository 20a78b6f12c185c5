import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { run } from './main.ts'
import { realClusterPath, type RealCluster } from '../test/real-clusters.ts'

function check(name: RealCluster) {
  let out = ''
  let err = ''
  const code = run(['check', realClusterPath(name)], {
    out: (s) => (out += s),
    err: (s) => (err += s),
  })
  return { code, out, err }
}

describe('podpath check on a cluster as it prints itself', () => {
  it('kind: kindnet from its DaemonSet, ranges from POD_SUBNET and the API server flag', () => {
    const r = check('kind')
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    expect(r.out).toContain(
      'info: DaemonSet/kindnet: CNI kindnet: DaemonSet kube-system/kindnet runs it',
    )
    expect(r.out).toContain(
      'cluster CIDR 10.244.0.0/16, from POD_SUBNET=10.244.0.0/16 of DaemonSet kube-system/kindnet.',
    )
    expect(r.out).toContain(
      'Pod/kube-apiserver-kind-control-plane: service CIDR 10.96.0.0/16, from kube-apiserver --service-cluster-ip-range.',
    )
    expect(r.out).toContain(
      'node addresses from status.addresses InternalIP: kind-control-plane 172.18.0.2, kind-worker 172.18.0.4, kind-worker2 172.18.0.3.',
    )
    expect(r.out).toMatch(/ok: 3 nodes, 6 Pods, 0 traffic \(kindnet\)\n$/)
  })

  it('kubeadm + flannel: flannel from kube-flannel-ds, the Pod range from the podCIDRs', () => {
    const r = check('kubeadm-flannel')
    expect(r.code).toBe(0)
    expect(r.out).toContain(
      "CNI flannel: DaemonSet kube-flannel/kube-flannel-ds runs it (kube-flannel.yml), backend vxlan from cp-1's flannel.alpha.coreos.com/backend-type.",
    )
    expect(r.out).toContain(
      "cluster CIDR 10.244.0.0/16: the nodes' podCIDRs all lie in it, and it is the default of kube-flannel.yml, kind and minikube.",
    )
    expect(r.out).toContain(
      "service CIDR 10.96.0.0/12, kubeadm's default: it holds every ClusterIP (10.96.0.1, 10.96.0.10).",
    )
  })

  it('minikube + Calico: IP-in-IP from the tunnel annotations, the pool from CALICO_IPV4POOL_CIDR', () => {
    const r = check('minikube-calico-ipip')
    expect(r.code).toBe(0)
    expect(r.out).toContain(
      'CNI calico: DaemonSet kube-system/calico-node runs it (calico.yaml), backend IP-in-IP: minikube publishes projectcalico.org/IPv4IPIPTunnelAddr.',
    )
    expect(r.out).toContain('cluster CIDR 10.244.0.0/16, from CALICO_IPV4POOL_CIDR=10.244.0.0/16')
    expect(r.out).toContain('node network 192.168.49.0/24, from projectcalico.org/IPv4Address')
    expect(r.out).toMatch(/\(calico ipip\)\n$/)
  })

  it('EKS: the AWS VPC CNI from aws-node, Services in 172.20.0.0/16, AWS from the providerIDs', () => {
    const r = check('eks-aws-vpc-cni')
    expect(r.code).toBe(0)
    expect(r.out).toContain(
      'CNI aws-vpc-cni: DaemonSet kube-system/aws-node runs it (amazon-vpc-cni-k8s), MTU 9001 from AWS_VPC_ENI_MTU.',
    )
    expect(r.out).toContain(
      "service CIDR 172.20.0.0/16, EKS's other default: it holds every ClusterIP (172.20.0.1, 172.20.0.10, 172.20.91.148).",
    )
    expect(r.out).toContain(
      'cloud aws: node ip-10-20-12-34.us-west-2.compute.internal has providerID aws:///us-west-2a/i-0a7d2c9e4b1f36e58.',
    )
    expect(r.out).toContain('instance type m5.large, from the nodes')
    expect(r.out).toContain(
      'node network 10.20.0.0/18: the smallest block that holds every node and Pod address',
    )
  })

  it('kubeadm + canal: canal from its DaemonSet, the flannel backend from the Node annotations', () => {
    const r = check('kubeadm-canal')
    expect(r.code).toBe(0)
    expect(r.out).toContain(
      "CNI canal: DaemonSet kube-system/canal runs it (canal.yaml), backend vxlan from node-a's flannel.alpha.coreos.com/backend-type.",
    )
    expect(r.out).toMatch(/\(canal vxlan\)\n$/)
  })

  it('accepts every server-set field without a warning, and says which real values it took', () => {
    for (const name of [
      'kind',
      'kubeadm-flannel',
      'minikube-calico-ipip',
      'eks-aws-vpc-cni',
      'kubeadm-canal',
    ] as const) {
      const r = check(name)
      expect(r.out, name).not.toMatch(/: (warning|error):/)
      expect(r.out, name).toMatch(
        /Taken as the cluster printed them, in place of what PodPath would allocate: \d+ Pod IPs \(status\.podIP\), \d+ ClusterIPs/,
      )
    }
  })
})

describe('the example a user can open (docs/examples/kind-cluster.yaml)', () => {
  const file = fileURLToPath(new URL('../../docs/examples/kind-cluster.yaml', import.meta.url))
  const text = readFileSync(file, 'utf8')
  const list = (s: string) => s.slice(s.indexOf('apiVersion: v1\nitems:'), s.indexOf('\n---\n'))

  it('holds the kind dump the tests check, unchanged', () => {
    const dump = readFileSync(realClusterPath('kind'), 'utf8')
    expect(list(text)).toBe(dump.slice(dump.indexOf('apiVersion: v1\nitems:')).trimEnd())
  })

  it('traces its request through DNS and the Service across three nodes', () => {
    let out = ''
    expect(run(['trace', file], { out: (s) => (out += s), err: () => {} })).toBe(0)
    const t = JSON.parse(out) as { outcome: string; steps: { at: { node: string | null } }[] }
    expect(t.outcome).toBe('delivered')
    expect(new Set(t.steps.map((s) => s.at.node).filter((n) => n?.startsWith('kind')))).toEqual(
      new Set(['kind-worker2', 'kind-control-plane', 'kind-worker']),
    )
  })
})
