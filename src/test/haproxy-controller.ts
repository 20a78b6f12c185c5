/**
 * HAProxy's Ingress controller as its Helm chart deploys it (a Pod on node-1 and its
 * LoadBalancer Service), for tests that switch a lesson's IngressClass to
 * `haproxy.org/ingress-controller`. Starts with a document separator: append it to a scenario.
 */
export const HAPROXY_CONTROLLER = `---
apiVersion: v1
kind: Pod
metadata:
  name: haproxy
  namespace: haproxy-controller
  labels: { app.kubernetes.io/name: kubernetes-ingress }
spec:
  nodeName: node-1
  containers:
    - name: kubernetes-ingress-controller
      image: haproxytech/kubernetes-ingress:1.10.6
      ports: [{ name: http, containerPort: 8080 }, { name: https, containerPort: 8443 }]
---
apiVersion: v1
kind: Service
metadata: { name: haproxy, namespace: haproxy-controller }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: { app.kubernetes.io/name: kubernetes-ingress }
  ports:
    - { name: http, port: 80, targetPort: http }
    - { name: https, port: 443, targetPort: https }
`
