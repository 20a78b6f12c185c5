/** The CNI plugins' own configuration objects: flannel's ConfigMap and Calico's IPPool. */
import type { ObjReader } from './yaml-reader.ts'
import type { ClusterDecl } from './scenario.ts'
import { parseCidr } from './ipv4.ts'
import { text } from './text.ts'
import { readCidr } from './parse-cluster.ts'

/**
 * kube-flannel.yml ships `net-conf.json` in ConfigMap `kube-flannel-cfg`:
 * {"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}; VNI and Port are optional
 * (flannel-io/flannel Documentation/backends.md). canal.yaml ships the same key in `canal-config`.
 */
export function readFlannelConfigMap(
  r: ObjReader,
  c: ClusterDecl,
  plugin: 'flannel' | 'canal' = 'flannel',
): void {
  const data = r.obj('data')
  const raw = data?.str('net-conf.json')
  if (!data || raw === null || raw === undefined) {
    r.report(
      ['data'],
      text(
        `${r.object.split('/').pop()} has no data."net-conf.json"`,
        `${r.object.split('/').pop()} 缺少 data.“net-conf.json”`,
      ),
    )
    return
  }
  let conf: unknown
  try {
    conf = JSON.parse(raw)
  } catch (e) {
    data.report(
      ['net-conf.json'],
      text(
        `net-conf.json is not valid JSON: ${(e as Error).message}`,
        `net-conf.json 不是合法的 JSON：${(e as Error).message}`,
      ),
    )
    return
  }
  if (!conf || typeof conf !== 'object' || Array.isArray(conf)) {
    data.report(
      ['net-conf.json'],
      text('net-conf.json must be a JSON object', 'net-conf.json 必须是 JSON 对象'),
    )
    return
  }
  const o = conf as Record<string, unknown>
  c.cni.plugin = plugin
  c.cni.backend = 'vxlan'
  if (typeof o.Network === 'string') {
    const cidr = parseCidr(o.Network)
    if (cidr) c.clusterCIDR = cidr
    else
      data.report(
        ['net-conf.json'],
        text(`Network "${o.Network}" is not a CIDR`, `Network “${o.Network}” 不是 CIDR`),
      )
  }
  const backend = o.Backend
  if (backend && typeof backend === 'object' && !Array.isArray(backend)) {
    const b = backend as Record<string, unknown>
    const type = typeof b.Type === 'string' ? b.Type : 'vxlan'
    if (type === 'vxlan' || type === 'host-gw') c.cni.backend = type
    else
      data.report(
        ['net-conf.json'],
        text(
          `flannel backend "${String(type)}" is not simulated; PodPath knows vxlan and host-gw`,
          `PodPath 不模拟 flannel 后端 “${String(type)}”，只支持 vxlan 和 host-gw`,
        ),
      )
    if (Number.isInteger(b.VNI) && (b.VNI as number) >= 0 && (b.VNI as number) < 2 ** 24)
      c.cni.vni = b.VNI as number
    if (Number.isInteger(b.Port) && (b.Port as number) > 0 && (b.Port as number) < 65536)
      c.cni.port = b.Port as number
  }
}

/**
 * Calico IPPool (crd.projectcalico.org/v1 or projectcalico.org/v3): cidr, blockSize (default 26),
 * ipipMode and vxlanMode (Always | CrossSubnet | Never), natOutgoing (a bool the v3 API leaves
 * false when omitted; only the pool calico-node creates itself defaults to true). Both Never
 * means plain BGP routing.
 */
export function readCalicoIPPool(r: ObjReader, c: ClusterDecl): void {
  const spec = r.obj('spec', true)
  if (!spec) return
  c.cni.plugin = 'calico'
  const cidr = readCidr(spec, 'cidr')
  if (cidr) c.clusterCIDR = cidr
  c.cni.blockSize = spec.int('blockSize', 20, 32) ?? c.cni.blockSize
  c.cni.natOutgoing = spec.bool('natOutgoing') ?? false
  const ipip = spec.str('ipipMode') ?? 'Never'
  const vxlan = spec.str('vxlanMode') ?? 'Never'
  for (const [key, v] of [
    ['ipipMode', ipip],
    ['vxlanMode', vxlan],
  ] as const) {
    if (!['Always', 'CrossSubnet', 'Never'].includes(v))
      spec.report(
        [key],
        text(
          `${key} must be Always, CrossSubnet or Never`,
          `${key} 只能是 Always、CrossSubnet 或 Never`,
        ),
      )
  }
  if (ipip !== 'Never' && vxlan !== 'Never')
    spec.report(
      ['vxlanMode'],
      text('an IPPool cannot enable both IPIP and VXLAN', '一个 IPPool 不能同时启用 IPIP 和 VXLAN'),
    )
  c.cni.backend = ipip !== 'Never' ? 'ipip' : vxlan !== 'Never' ? 'vxlan' : 'bgp'
}
