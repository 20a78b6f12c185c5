/**
 * The scale lessons: one cluster with 1,000 Services, the same in every kube-proxy mode, so a
 * learner can compare how many rules the first packet of a connection is tested against. The
 * files are generated (`npm run lessons:scale`) and a test checks they still match.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LESSONS_DIR } from './golden.ts'

export const SCALE_SERVICES = 1000
export const SCALE_MODES = ['iptables', 'ipvs', 'nftables'] as const

const HEADERS: Record<(typeof SCALE_MODES)[number], string> = {
  iptables: `# Mode 3 at scale, kube-proxy iptables mode: 1,000 Services (all in front of the same two Pods,
# so the cluster stays small). The nat table has one KUBE-SERVICES rule per Service port, and the
# first packet of every connection is tested against them one by one until one matches: the
# trace counts every rule it touched, for the DNS query and again for the request.
#
# Published figures (paraphrased):
# - Huawei, KubeCon Europe 2017 ("Scale Kubernetes to Support 50,000 Services"; the table is in
#   kubernetes/community PR #692, 2017-06-07): adding rules with the iptables tool took 2 ms with
#   1 Service (8 rules), 11 minutes with 5,000 Services (40,000 rules) and 5 hours with 20,000
#   Services (160,000 rules), while IPVS did not slow down as Services were added.
# - kubernetes.io blog "NFTables mode for kube-proxy" (Dan Winship, 2025-02-28): the iptables
#   first-packet latency grows with the number of Services; at 5,000 and 10,000 Services the
#   nftables median is about the iptables 1st percentile, and at 30,000 the nftables 99th
#   percentile still beats the iptables 1st percentile.
# - KEP-3453 (partial syncs, Kubernetes 1.26-1.28): on the 5,000-node scalability test, only
#   rewriting the rules that changed halved network programming latency (median from about 27 s
#   to about 13 s).
# Compare with the same cluster in IPVS mode (mode3-scale-ipvs).
`,
  ipvs: `# Mode 3 at scale, kube-proxy IPVS mode: the same 1,000 Services as mode3-scale-iptables. Every
# ClusterIP is bound to kube-ipvs0 and the few iptables rules left match ipsets (hash lookups),
# so the first packet meets the same handful of rules and one IPVS hash lookup whatever the
# number of Services. Huawei's 2017 measurements (kubernetes/community PR #692) found that adding
# a virtual service with ipvsadm did not slow down as Services were added, where iptables took
# 11 minutes at 5,000 Services.
`,
  nftables: `# Mode 3 at scale, kube-proxy nftables mode: the same 1,000 Services as mode3-scale-iptables.
# All of them sit in one verdict map, service-ips, keyed on destination address, protocol and
# port: the first packet is tested against one rule in the chain services, which looks the key
# up in that map (a hash lookup), then against the few rules of one Service's chains. The trace
# counts the same handful of rules whatever the number of Services.
#
# Published figures (paraphrased):
# - kubernetes.io blog "NFTables mode for kube-proxy" (Dan Winship, 2025-02-28): with 5,000 and
#   10,000 Services, the median first-packet latency of nftables mode is about the 1st
#   percentile of iptables mode; with 30,000 Services, the nftables 99th percentile is still
#   better than the iptables 1st percentile.
# Compare with the same cluster in iptables mode (mode3-scale-iptables) and IPVS mode
# (mode3-scale-ipvs).
`,
}

export function scaleLesson(mode: (typeof SCALE_MODES)[number], n = SCALE_SERVICES): string {
  const width = String(n).length
  const services = Array.from({ length: n }, (_, i) => {
    const name = `svc-${String(i + 1).padStart(width, '0')}`
    return `  - { apiVersion: v1, kind: Service, metadata: { name: ${name}, namespace: default }, spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] } }`
  })
  const last = `svc-${String(n).padStart(width, '0')}`
  return `${HEADERS[mode]}apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: { name: scale-${mode} }
spec:
  cni: { plugin: flannel, backend: vxlan }
  kubeProxy: { mode: ${mode} }
  nodes:
    - { name: node-1, ip: 192.168.1.11 }
    - { name: node-2, ip: 192.168.1.12 }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec:
  nodeName: node-1
  containers:
    - { name: curl, image: curlimages/curl:8.10.1 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [{ containerPort: 8080 }]
---
apiVersion: v1
kind: List
items:
${services.join('\n')}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: { name: to-the-last-service }
spec:
  from: { pod: default/client }
  to: http://${last}/
`
}

export const scaleLessonFile = (mode: string) => `mode3-scale-${mode}.yaml`

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isMain) {
  for (const mode of SCALE_MODES) {
    const path = join(LESSONS_DIR, scaleLessonFile(mode))
    writeFileSync(path, scaleLesson(mode))
    console.log(`wrote ${path}`)
  }
}
