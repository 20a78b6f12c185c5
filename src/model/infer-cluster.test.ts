import { describe, expect, it } from 'vitest'
import { formatCidr } from './ipv4.ts'
import { parseScenario } from './parse-scenario.ts'

const node = (name: string, ip: string, podCIDR: string) => `
- apiVersion: v1
  kind: Node
  metadata: {name: ${name}, uid: 0f0e, resourceVersion: "7"}
  spec: {podCIDR: ${podCIDR}}
  status:
    addresses: [{address: ${ip}, type: InternalIP}]
    conditions: [{type: Ready, status: "True"}]`

describe('inferring the ranges', () => {
  it('takes a Pod range that holds the nodes podCIDRs when it is not 10.244.0.0/16', () => {
    const yaml = `apiVersion: v1
kind: List
items:${node('a', '10.0.0.11', '192.168.0.0/24')}${node('b', '10.0.0.12', '192.168.1.0/24')}
`
    const p = parseScenario(yaml)
    expect(p.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(formatCidr(p.scenario!.cluster.clusterCIDR)).toBe('192.168.0.0/16')
    expect(p.diagnostics.map((d) => d.message.en)).toContain(
      "cluster CIDR 192.168.0.0/16: the /16 (or wider) block that holds the nodes' podCIDRs. The output does not say its length (flannel's net-conf.json, kube-controller-manager --cluster-cidr); give a Cluster document to say it.",
    )
  })

  it('takes EKS 10.100.0.0/16 when the ClusterIPs are there', () => {
    const yaml = `apiVersion: v1
kind: List
items:${node('a', '192.168.3.4', '10.244.0.0/24')}
- apiVersion: v1
  kind: Service
  metadata: {name: kubernetes, namespace: default}
  spec: {clusterIP: 10.100.0.1, ports: [{name: https, port: 443, targetPort: 443}]}
`
    const p = parseScenario(yaml)
    expect(formatCidr(p.scenario!.cluster.serviceCIDR)).toBe('10.100.0.0/16')
  })

  it('leaves a hand-written scenario alone: no real objects, no inference', () => {
    const p = parseScenario(`apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: 172.20.0.9, selector: {app: web}, ports: [{port: 80}]}
`)
    expect(p.diagnostics).toEqual([])
    expect(formatCidr(p.scenario!.cluster.serviceCIDR)).toBe('10.96.0.0/12')
  })

  it('keeps what a Cluster document states and infers only the rest', () => {
    const yaml = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: c}
spec: {clusterCIDR: 10.32.0.0/12}
---
apiVersion: v1
kind: List
items:${node('a', '10.0.0.11', '10.32.0.0/24')}
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: kindnet, namespace: kube-system}
  spec:
    selector: {matchLabels: {app: kindnet}}
    template:
      metadata: {labels: {app: kindnet}}
      spec:
        hostNetwork: true
        containers: [{name: kindnet-cni, image: kindnetd, env: [{name: POD_SUBNET, value: 10.244.0.0/16}]}]
`
    const c = parseScenario(yaml).scenario!.cluster
    expect(c.cni.plugin).toBe('kindnet')
    expect(formatCidr(c.clusterCIDR)).toBe('10.32.0.0/12')
  })

  it('lets a real component config win over what the DaemonSet env says', () => {
    const yaml = `apiVersion: v1
kind: List
items:${node('a', '10.0.0.11', '10.244.0.0/24')}
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: calico-node, namespace: kube-system}
  spec:
    selector: {matchLabels: {k8s-app: calico-node}}
    template:
      metadata: {labels: {k8s-app: calico-node}}
      spec:
        hostNetwork: true
        containers: [{name: calico-node, image: node, env: [{name: CALICO_IPV4POOL_CIDR, value: 192.168.0.0/16}]}]
- apiVersion: crd.projectcalico.org/v1
  kind: IPPool
  metadata: {name: default-ipv4-ippool}
  spec: {cidr: 172.16.0.0/16, vxlanMode: Always, ipipMode: Never}
`
    const c = parseScenario(yaml).scenario!.cluster
    expect(c.cni).toMatchObject({ plugin: 'calico', backend: 'vxlan' })
    expect(formatCidr(c.clusterCIDR)).toBe('172.16.0.0/16')
  })

  it("reads the default pool's natOutgoing from calico-node's CALICO_IPV4POOL_NAT_OUTGOING (evaluateENVBool)", () => {
    const dump = (env: string) => `apiVersion: v1
kind: List
items:${node('a', '10.0.0.11', '10.244.0.0/24')}
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: calico-node, namespace: kube-system}
  spec:
    selector: {matchLabels: {k8s-app: calico-node}}
    template:
      metadata: {labels: {k8s-app: calico-node}}
      spec:
        hostNetwork: true
        containers: [{name: calico-node, image: node, env: [${env}]}]
`
    const nat = (env: string) => parseScenario(dump(env)).scenario!.cluster.cni.natOutgoing
    expect(nat('{name: CALICO_IPV4POOL_CIDR, value: 10.244.0.0/16}')).toBe(true)
    expect(nat('{name: CALICO_IPV4POOL_NAT_OUTGOING, value: "No"}')).toBe(false)
    expect(nat('{name: CALICO_IPV4POOL_NAT_OUTGOING, value: "off"}')).toBe(true)
  })

  it('recognises kind from its providerIDs when the dump has no DaemonSets', () => {
    const yaml = `apiVersion: v1
kind: List
items:${node('kind-control-plane', '172.18.0.2', '10.244.0.0/24')}
  `.replace(
      'spec: {podCIDR: 10.244.0.0/24}',
      'spec: {podCIDR: 10.244.0.0/24, providerID: "kind://docker/kind/kind-control-plane"}',
    )
    const p = parseScenario(yaml)
    expect(p.scenario!.cluster.cni.plugin).toBe('kindnet')
    expect(p.diagnostics[0]!.message.en).toBe(
      'CNI kindnet: node kind-control-plane has providerID kind://docker/kind/kind-control-plane, and kind installs kindnet unless networking.disableDefaultCNI is set.',
    )
  })
})

describe('controllers printed beside their Pods', () => {
  const ds = `
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: agent, namespace: kube-system}
  spec:
    selector: {matchLabels: {app: agent}}
    template:
      metadata: {labels: {app: agent}}
      spec: {containers: [{name: a, image: a}]}`
  const deploy = `
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: default}
  spec:
    replicas: 3
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: nginx, image: nginx}]}`
  const pod = (name: string, kind: string, owner: string, extra = '') => `
- apiVersion: v1
  kind: Pod
  metadata:
    name: ${name}
    namespace: ${kind === 'DaemonSet' ? 'kube-system' : 'default'}
    labels: {app: x${extra}}
    ownerReferences: [{apiVersion: apps/v1, kind: ${kind}, name: ${owner}, controller: true, uid: u}]
  spec: {nodeName: a, containers: [{name: c, image: c}]}`

  it('are not stamped out again: the listed Pods are their replicas', () => {
    const yaml = `apiVersion: v1
kind: List
items:${node('a', '10.0.0.11', '10.244.0.0/24')}${ds}${deploy}${pod('agent-x1', 'DaemonSet', 'agent')}${pod('web-5d9c-aaaaa', 'ReplicaSet', 'web-5d9c', ', pod-template-hash: 5d9c')}
`
    const names = parseScenario(yaml).scenario!.pods.map((p) => p.name)
    expect(names).toEqual(['agent-x1', 'web-5d9c-aaaaa'])
  })

  it('are stamped out when none of their Pods are listed', () => {
    const yaml = `apiVersion: v1
kind: List
items:${node('a', '10.0.0.11', '10.244.0.0/24')}${ds}${deploy}
`
    const pods = parseScenario(yaml).scenario!.pods
    expect(pods.map((p) => p.owner?.kind)).toEqual([
      'DaemonSet',
      'Deployment',
      'Deployment',
      'Deployment',
    ])
  })
})
