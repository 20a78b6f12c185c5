/**
 * The engine (src/sim) ends a dropped or rejected trace with a short reason written in English
 * only (Trace.reason is a plain string). These are the fixed ones, in Chinese, so the Chinese UI
 * does not show an English phrase where it can say it in Chinese. A reason that is not listed
 * here is shown as the engine wrote it.
 */
import type { Lang } from '../model/text.ts'

const ZH: Readonly<Record<string, string>> = {
  'underlay has no route': '底层网络没有去往这个地址的路由',
  'not in loadBalancerSourceRanges': '源地址不在 loadBalancerSourceRanges 允许的网段内',
  'service has no endpoints': 'Service 没有端点',
  'no service on this port': '这个端口上没有 Service',
  'has no local endpoints': '本节点上没有这个 Service 的端点',
  'unallocated ClusterIP': '这个 ClusterIP 没有分配给任何 Service',
  'no real server': 'IPVS 虚拟服务没有真实服务器（real server）',
  'kube-proxy found no endpoints': 'kube-proxy 找不到端点',
}

// The one reason built from names (src/sim/trace.ts, a Service of type ExternalName).
const EXTERNAL_NAME = /^ExternalName: (\S+) is a CNAME to (\S+), outside the cluster$/

/** The reason to show in `lang`, and the language it is actually written in. */
export function engineReason(reason: string, lang: Lang): { text: string; lang: Lang } {
  if (lang === 'zh-CN') {
    const zh = ZH[reason]
    if (zh !== undefined) return { text: zh, lang: 'zh-CN' }
    const ext = EXTERNAL_NAME.exec(reason)
    if (ext) {
      const [, host, cname] = ext
      return {
        text: `ExternalName：“${host}”是指向集群外“${cname}”的 CNAME`,
        lang: 'zh-CN',
      }
    }
  }
  return { text: reason, lang: 'en' }
}
