/**
 * What a CNI's node agent writes into its Node's annotations, read from `kubectl get nodes -o
 * yaml`: flanneld's lease and calico-node's BGP spec. A value that does not parse is reported
 * as a warning and left out (the cluster still traces, with what PodPath computes instead).
 */
import type { ObjReader } from './yaml-reader.ts'
import type { NodeCniAnnotations } from './scenario.ts'
import { parseIp } from './ipv4.ts'
import { text } from './text.ts'

// flannel pkg/subnet/kube/annotations.go: the default prefix flannel.alpha.coreos.com/.
const FLANNEL = 'flannel.alpha.coreos.com/'
// libcalico-go lib/backend/k8s/resources/node.go: nodeBgpIpv4AddrAnnotation and its siblings.
const CALICO = 'projectcalico.org/'
// A MAC as Go's net.HardwareAddr prints it (six lower-case hex pairs).
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/

export function noCniAnnotations(): NodeCniAnnotations {
  return { flannel: null, calico: null }
}

export function readCniAnnotations(meta: ObjReader | null): NodeCniAnnotations {
  const out = noCniAnnotations()
  const raw = meta?.value.annotations
  if (!meta || !raw || typeof raw !== 'object' || Array.isArray(raw)) return out
  const a = raw as Record<string, unknown>
  const get = (key: string): string | null =>
    typeof a[key] === 'string' ? (a[key] as string) : null
  const warn = (key: string, what: string, zh: string) =>
    meta.report(
      ['annotations', key],
      text(
        `annotation ${key} is not ${what}; PodPath computes the value instead`,
        `注解 ${key} 不是${zh}；PodPath 改用自己计算的值`,
      ),
      'warning',
    )
  const ip = (key: string): number | null => {
    const v = get(key)
    if (v === null || v === '') return null
    const n = parseIp(v)
    if (n === null) warn(key, 'an IPv4 address', ' IPv4 地址')
    return n
  }

  if (Object.keys(a).some((k) => k.startsWith(FLANNEL))) {
    // kube.go nodeToLease: the lease's PublicIP is public-ip; flanneld copies public-ip-overwrite
    // into public-ip when it is set, so the overwrite is what the lease ends up holding.
    const publicIp = ip(`${FLANNEL}public-ip-overwrite`) ?? ip(`${FLANNEL}public-ip`)
    let vni: number | null = null
    let vtepMac: string | null = null
    const dataKey = `${FLANNEL}backend-data`
    const data = get(dataKey)
    if (data !== null && data !== '' && data !== 'null') {
      // vxlan_network.go vxlanLeaseAttrs {VNI uint32; VtepMAC hardwareAddr}, marshalled as JSON.
      let parsed: unknown = null
      try {
        parsed = JSON.parse(data)
      } catch {
        warn(dataKey, 'JSON', ' JSON')
      }
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const o = parsed as Record<string, unknown>
        if (Number.isInteger(o.VNI) && (o.VNI as number) >= 0 && (o.VNI as number) < 2 ** 24)
          vni = o.VNI as number
        if (typeof o.VtepMAC === 'string') {
          const mac = o.VtepMAC.toLowerCase()
          if (MAC.test(mac)) vtepMac = mac
          else
            warn(
              dataKey,
              'a VtepMAC such as 92:01:5e:01:fe:01',
              '形如 92:01:5e:01:fe:01 的 VtepMAC',
            )
        }
      }
    }
    out.flannel = { backendType: get(`${FLANNEL}backend-type`), vni, vtepMac, publicIp }
  }

  if (Object.keys(a).some((k) => k.startsWith(CALICO))) {
    let ipv4Address: { ip: number; prefix: number } | null = null
    const addrKey = `${CALICO}IPv4Address`
    const addr = get(addrKey)
    if (addr !== null && addr !== '') {
      // calico-node writes the autodetected address with its subnet length: "192.168.49.2/24".
      const [host, len] = addr.split('/')
      const n = parseIp(host ?? '')
      const prefix = Number(len)
      if (n !== null && /^\d{1,2}$/.test(len ?? '') && prefix <= 32) ipv4Address = { ip: n, prefix }
      else
        warn(
          addrKey,
          'an address with its prefix such as 192.168.49.2/24',
          '形如 192.168.49.2/24 的带前缀地址',
        )
    }
    const macKey = `${CALICO}VXLANTunnelMACAddr`
    const mac = get(macKey)?.toLowerCase() ?? null
    if (mac !== null && mac !== '' && !MAC.test(mac)) warn(macKey, 'a MAC address', ' MAC 地址')
    out.calico = {
      ipv4Address,
      ipipTunnelAddr: ip(`${CALICO}IPv4IPIPTunnelAddr`),
      vxlanTunnelAddr: ip(`${CALICO}IPv4VXLANTunnelAddr`),
      vxlanTunnelMac: mac !== null && MAC.test(mac) ? mac : null,
    }
  }
  return out
}
