/**
 * A scenario of one's own, as a learner would paste it: two Pods on two nodes, flannel VXLAN,
 * and one request from the client to the web Pod.
 */
export const TWO_PODS_VXLAN = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: mine}
spec:
  cni: {plugin: flannel, backend: vxlan}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: node-2, containers: [{name: w, ports: [{containerPort: 80}]}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: to-web}
spec: {from: {pod: default/client}, to: "http://web/"}
`
