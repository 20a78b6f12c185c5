import { describe, expect, it } from 'vitest'
import { openLesson, setSwitches } from './session.ts'
import { useAppStore } from './store.ts'

// No Worker in Node: the session's engine client runs the same handler in-process.
const encapsulates = () =>
  useAppStore.getState().trace?.steps.some((s) => s.action === 'encapsulate') ?? false

describe('lesson switches in a session', () => {
  it('open a lesson with the switches the URL names, where the lesson offers them', async () => {
    await openLesson('mode2-flannel-vxlan', { cni: 'flannel-host-gw', proxy: 'ipvs' })
    const s = useAppStore.getState()
    expect(s.status).toBe('ready')
    expect(s.asWritten).toEqual({ cni: 'flannel-vxlan', proxyMode: 'iptables' })
    // The lesson offers no kube-proxy switch, so ipvs is dropped.
    expect([s.cniSwitch, s.proxySwitch]).toEqual(['flannel-host-gw', null])
    expect(s.cluster?.cni).toBe('flannel host-gw')
    expect(encapsulates()).toBe(false)
  })

  it('rebuild and re-trace the open lesson, and a switch back to the file is no switch', async () => {
    await openLesson('mode2-flannel-vxlan')
    expect(encapsulates()).toBe(true)
    useAppStore.setState({ step: 5 })
    await setSwitches({ cni: 'calico-bgp' })
    let s = useAppStore.getState()
    expect([s.cniSwitch, s.step, s.cluster?.cni]).toEqual(['calico-bgp', 0, 'calico bgp'])
    expect(encapsulates()).toBe(false)
    await setSwitches({ cni: 'flannel-vxlan' })
    s = useAppStore.getState()
    expect([s.cniSwitch, s.cluster?.cni]).toEqual([null, 'flannel vxlan'])
    expect(encapsulates()).toBe(true)
  })

  it('ignore an alternative the lesson does not offer, and reset on the next lesson', async () => {
    await openLesson('mode3-hairpin', { cni: 'calico-bgp', proxy: 'nftables' })
    let s = useAppStore.getState()
    expect([s.cniSwitch, s.proxySwitch]).toEqual([null, 'nftables'])
    await setSwitches({ proxy: 'userspace' })
    expect(useAppStore.getState().proxySwitch).toBe(null)
    await openLesson('mode3-loadbalancer')
    s = useAppStore.getState()
    expect([s.cniSwitch, s.proxySwitch]).toEqual([null, null])
  })

  it('take no kube-proxy mode beside Cilium, which replaces kube-proxy', async () => {
    await openLesson('mode4-nodeport-traffic-policy', { cni: 'cilium', proxy: 'nftables' })
    let s = useAppStore.getState()
    expect([s.cniSwitch, s.proxySwitch]).toEqual(['cilium', null])
    const tables = () => s.trace!.steps.flatMap((x) => x.lookups.map((l) => l.table))
    expect(tables().some((t) => /^(iptables|nft |ipvsadm)/.test(t))).toBe(false)
    expect(tables()).toContain('cilium-dbg bpf lb list')
    await setSwitches({ proxy: 'nftables' })
    expect(useAppStore.getState().proxySwitch).toBe(null)
    // Back to a CNI beside kube-proxy, the kube-proxy switch works again.
    await setSwitches({ cni: 'calico-ipip', proxy: 'nftables' })
    s = useAppStore.getState()
    expect([s.cniSwitch, s.proxySwitch]).toEqual([null, 'nftables'])
  })
})
