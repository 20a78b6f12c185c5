/**
 * The real-cluster dumps in src/test/real-clusters/: `kubectl get nodes,pods,svc,endpointslices,ds
 * -A -o yaml` output of five kinds of cluster, read as a user would paste them, with a Traffic
 * document appended when a test wants to trace.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export type RealCluster =
  'kubeadm-flannel' | 'minikube-calico-ipip' | 'kind' | 'eks-aws-vpc-cni' | 'kubeadm-canal'

export function realClusterPath(name: RealCluster): string {
  return fileURLToPath(new URL(`./real-clusters/${name}.yaml`, import.meta.url))
}

/** The dump as printed; with `to`, followed by a Traffic from Pod `from` (default/client) to it. */
export function realCluster(name: RealCluster, to?: string, from = 'default/client'): string {
  const dump = readFileSync(realClusterPath(name), 'utf8')
  if (to === undefined) return dump
  return `${dump}---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: probe}
spec:
  from: {pod: ${from}}
  to: ${to}
`
}
